"""The file SIMPEG Nusantara's "Impor Status Ikrar" screen takes: who has signed, and when.

One row per person of the roster, ``;``-separated UTF-8 with BOM (what the import
screen expects), with the status as SIMPEG Nusantara codes it: S (sudah), B (belum),
D (dikecualikan). The name and OPD are there for the operator to check the rows the
screen cannot match by NIP (non-ASN staff have none). Every text field goes through
``csv_field``, so a name typed as a formula stays text, and the file is written
through ``atomic_write``, so a failed run leaves the previous file as it was.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from asn_attest.export import ExportOptions
from asn_attest.reconcile import Reconciliation
from asn_attest.tabular.output import atomic_write, csv_field

FILE_NAME = "impor_status_ikrar_nusantara.csv"
HEADER = ("NIP_BARU", "NAMA_LENGKAP", "NAMA_OPD", "STATUS_IKRAR", "TGL_IKRAR", "KANAL")
SIGNED, UNSIGNED, EXEMPT = "S", "B", "D"


def import_rows(result: Reconciliation) -> Iterator[tuple[str, ...]]:
    """One row per person, in roster order: NIP, name, OPD, status code, signing date (YYYYMMDD), channel."""
    signed = result.matches.signed
    for index, person in enumerate(result.roster):
        match = signed.get(index)
        day = channel = ""
        if match is not None:
            attestation = result.evidence[match.attestation]
            day = f"{attestation.signed_at:%Y%m%d}" if attestation.signed_at else ""
            channel = attestation.channel.value
            status = SIGNED
        else:
            status = EXEMPT if index in result.exempt else UNSIGNED
        yield (person.nip_full or "", person.name, person.unit or "", status, day, channel)


def write_import_file(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    path = Path(out_dir) / FILE_NAME
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for row in import_rows(result):
            writer.writerow([csv_field(value) for value in row])
    return [path]
