"""status-ikrar.csv: one row per person, for the HR system to import back."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from asn_attest.export import ExportOptions
from asn_attest.reconcile import Reconciliation
from asn_attest.tabular.output import atomic_write, csv_field

HEADER = ("nip", "nama", "unit", "status", "tanggal_ttd", "kanal", "bukti")


def write_status_csv(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    path = Path(out_dir) / "status-ikrar.csv"
    signed = result.matches.signed
    exempt = result.exempt
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for index, person in enumerate(result.roster):
            match = signed.get(index)
            when: Any = ""
            channel = evidence = ""
            if match is not None:
                attestation = result.evidence[match.attestation]
                when = attestation.signed_at.isoformat() if attestation.signed_at else ""
                channel = attestation.channel.value
                evidence = str(attestation.source)
                status = "sudah"
            else:
                status = "dikecualikan" if index in exempt else "belum"
            nip = person.nip_full or person.nip.written or ""
            writer.writerow([csv_field(v) for v in (nip, person.name, person.unit or "", status, when, channel, evidence)])
    return [path]
