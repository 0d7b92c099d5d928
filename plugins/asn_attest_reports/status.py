"""status-ikrar.csv: one row per person, for the HR system to import back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from asn_attest.export import ExportOptions
from asn_attest.reconcile import Reconciliation
from asn_attest.tabular.output import atomic_write, csv_field, set_text_cell, xlsx_bytes

HEADER = ("nip", "nama", "unit", "status", "tanggal_ttd", "kanal", "bukti")


def status_rows(result: Reconciliation) -> Iterator[tuple[str, ...]]:
    """One row per person: NIP, name, unit, sudah / belum / dikecualikan, date, channel, evidence."""
    signed = result.matches.signed
    for index, person in enumerate(result.roster):
        match = signed.get(index)
        when = channel = evidence = ""
        if match is not None:
            attestation = result.evidence[match.attestation]
            when = attestation.signed_at.isoformat() if attestation.signed_at else ""
            channel = attestation.channel.value
            evidence = str(attestation.source)
            status = "sudah"
        else:
            status = "dikecualikan" if index in result.exempt else "belum"
        nip = person.nip_full or person.nip.written or ""
        yield (nip, person.name, person.unit or "", status, when, channel, evidence)


def write_status_csv(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    """status-ikrar.csv for import, and status-ikrar.xlsx for people (NIPs kept as text)."""
    csv_path, xlsx_path = Path(out_dir) / "status-ikrar.csv", Path(out_dir) / "status-ikrar.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("status")
    ws.append(list(HEADER))
    with atomic_write(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for row in status_rows(result):
            writer.writerow([csv_field(v) for v in row])
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws)
                if value:
                    set_text_cell(cell, value)
                cells.append(cell)
            ws.append(cells)
    data = xlsx_bytes(wb, options.generated_at)
    with atomic_write(xlsx_path) as fh:
        fh.write(data)
    return [csv_path, xlsx_path]
