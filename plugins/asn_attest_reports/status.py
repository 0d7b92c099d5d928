"""status-ikrar.csv: one row per person, for the HR system to import back; status-ikrar.xlsx on request.

The workbook holds the same rows as the CSV, for people who want to open the list in
Excel. It is its own exporter, not run by default: a row per person is the largest
file of a run, and writing it with openpyxl takes several times as long as all the
other reports together, for a list that only the HR system reads at that size.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from asn_attest.export import ExportOptions
from asn_attest.reconcile import Reconciliation
from asn_attest.records import Provenance
from asn_attest.tabular.output import InertCells, ReportWorkbook, atomic_write, csv_field, xlsx_bytes

HEADER = ("nip", "nama", "unit", "status", "tanggal_ttd", "kanal", "bukti")


class _SourceText:
    """``str(source)`` for the evidence of a run, and, with ``inert``, as :func:`csv_field` makes it.

    The evidence comes from a few files and sheets: the file-and-sheet part of the
    text is made (and escaped) once for each, and only the row is added per record.
    A text cannot start like a formula after that part unless the part itself does
    (an empty part gives "" or ", row N"), so escaping the part escapes the text.
    """

    def __init__(self, *, inert: bool) -> None:
        self._inert = inert
        #: (file, sheet) -> the text before the row
        self._heads: dict[tuple[str, str | None], str] = {}

    def __call__(self, source: Provenance) -> str:
        key = (source.file, source.sheet)
        head = self._heads.get(key)
        if head is None:
            head = str(Provenance(source.file, source.sheet))
            head = self._heads[key] = csv_field(head) if self._inert else head
        return head if source.row is None else f"{head}, row {source.row}"


def status_rows(result: Reconciliation) -> Iterator[tuple[str, ...]]:
    """One row per person: NIP, name, unit, sudah / belum / dikecualikan, date, channel, evidence."""
    return _status_rows(result, inert=False)


def _status_rows(result: Reconciliation, *, inert: bool) -> Iterator[tuple[str, ...]]:
    """The rows of :func:`status_rows`; with ``inert``, each field as :func:`csv_field` makes it.

    Only the values read from the inputs (NIP, name, unit, evidence) can start like a
    formula: the status words, ISO dates and channel names are ours.
    """
    signed = result.matches.signed
    evidence = result.evidence
    exempt = result.exempt
    source_text = _SourceText(inert=inert)
    for index, person in enumerate(result.roster):
        nip = person.nip_full or person.nip.written or ""
        name = person.name
        unit = person.unit or ""
        if inert:
            nip, name, unit = csv_field(nip), csv_field(name), csv_field(unit)
        match = signed.get(index)
        if match is not None:
            attestation = evidence[match.attestation]
            when = attestation.signed_at.isoformat() if attestation.signed_at else ""
            yield (nip, name, unit, "sudah", when, attestation.channel.value, source_text(attestation.source))
        else:
            yield (nip, name, unit, "dikecualikan" if index in exempt else "belum", "", "", "")


def write_status_csv(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    """status-ikrar.csv, for import: ";"-separated UTF-8 with BOM, as Indonesian-locale Excel reads it."""
    path = Path(out_dir) / "status-ikrar.csv"
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        _write_csv_rows(fh, [HEADER])
        _write_csv_rows(fh, _status_rows(result, inert=True))
    return [path]


#: what makes csv.writer quote a field or refuse it (";" is found by counting)
_NOT_PLAIN = re.compile('["\r\n\x00]')
_LINES_PER_WRITE = 4096


def _write_csv_rows(fh: TextIO, rows: Iterable[Sequence[str]]) -> None:
    """Text rows as ``csv.writer(fh, delimiter=";").writerows(rows)`` writes them, byte for byte.

    csv.writer writes a row of two or more fields none of which holds ";", a quote,
    a line end or NUL as the fields joined by ";", ended by CR LF: nearly every row,
    joined here and written a few thousand at a time. Any other row is written by
    csv.writer itself.
    """
    writer = csv.writer(fh, delimiter=";")
    lines: list[str] = []
    for row in rows:
        line = ";".join(row)
        if len(row) > 1 and line.count(";") == len(row) - 1 and not _NOT_PLAIN.search(line):
            lines.append(line)
            if len(lines) == _LINES_PER_WRITE:
                _write_lines(fh, lines)
        else:
            _write_lines(fh, lines)
            writer.writerow(row)
    _write_lines(fh, lines)


def _write_lines(fh: TextIO, lines: list[str]) -> None:
    if lines:
        lines.append("")  # the last line's CR LF
        fh.write("\r\n".join(lines))
        lines.clear()


def write_status_xlsx(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    """status-ikrar.xlsx: the rows of the CSV, every value as text (NIPs stay whole), streamed in write-only mode."""
    path = Path(out_dir) / "status-ikrar.xlsx"
    wb = ReportWorkbook(write_only=True)
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
