"""status-ikrar.csv: one row per person, for the HR system to import back; status-ikrar.xlsx on request.

The workbook holds the same rows as the CSV, for people who want to open the list in
Excel. It is its own exporter, not run by default: a row per person is the largest
file of a run, and writing it with openpyxl takes several times as long as all the
other reports together, for a list that only the HR system reads at that size.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from asn_attest.export import ExportOptions
from asn_attest.reconcile import Reconciliation
from asn_attest.tabular.output import InertCells, atomic_write, csv_field, xlsx_bytes

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
    """status-ikrar.csv, for import: ";"-separated UTF-8 with BOM, as Indonesian-locale Excel reads it."""
    path = Path(out_dir) / "status-ikrar.csv"
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(map(csv_field, row) for row in status_rows(result))
    return [path]


def write_status_xlsx(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    """status-ikrar.xlsx: the rows of the CSV, every value as text (NIPs stay whole), streamed in write-only mode."""
    path = Path(out_dir) / "status-ikrar.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("status")
    cells = InertCells(ws)
    ws.append(list(HEADER))  # our own labels: none starts like a formula
    for row in status_rows(result):
        ws.append([cells.text(value) for value in row])
    if cells.removed:
        options.warn(f"{path}: characters Excel cannot store were removed from {cells.removed} cell(s)")
    data = xlsx_bytes(wb, options.generated_at)
    with atomic_write(path) as fh:
        fh.write(data)
    return [path]
