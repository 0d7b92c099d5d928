"""ringkasan.xlsx, belum-ttd/<unit>.xlsx and masalah.xlsx, written with openpyxl.

A file for one unit's head holds that unit's unsigned staff and nobody else. Every
value read from an input is written as inert text (see asn_attest.tabular.output).
Rows of people are appended as cells made by InertCells, whose styles are resolved
once per sheet: styling cell by cell was most of the time these files took.
masalah.xlsx is written in write-only mode, since its rows grow with the problems
of the inputs, which can be as many as their rows. A belum-ttd file holds one
unit's unsigned staff, a few thousand rows at most, and stays a normal workbook:
openpyxl takes styled cells about a quarter faster there than in write-only mode.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from asn_attest.export import ExportOptions
from asn_attest.forked import fork_map, worker_count
from asn_attest.nip import NipStatus
from asn_attest.reconcile import Reconciliation, UnitStatus
from asn_attest.records import Employee
from asn_attest.tabular.output import (
    InertCells,
    ReportWorkbook,
    atomic_write,
    safe_file_stem,
    set_text_cell,
    xlsx_bytes,
)

from .labels import KETERANGAN_CHOICES, LABELS

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_PERCENT = "0.0%"


def write_spreadsheets(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    out = Path(out_dir)
    labels = LABELS[options.lang]
    files: list[tuple[Path, Callable[[], _Book]]] = [
        (out / "ringkasan.xlsx", lambda: _summary(result, options, labels)),
        (out / "masalah.xlsx", lambda: _problems(result, labels)),
    ]
    taken: set[str] = set()
    for unit in result.units:
        if unit.unsigned_staff:
            path = out / "belum-ttd" / f"{safe_file_stem(unit.unit, taken)}.xlsx"
            files.append((path, lambda unit=unit: _unsigned(result, unit, options, labels)))

    def write(item: tuple[Path, Callable[[], _Book]]) -> int:
        path, build = item
        book = build()
        _save(book, path, options)
        return book.removed_cells()

    # the files are independent: written side by side, each by a worker of its own
    removed = fork_map(write, files, workers=worker_count(), describe=lambda item: str(item[0]))
    for (path, _), count in zip(files, removed):
        if count:
            options.warn(f"{path}: characters Excel cannot store were removed from {count} cell(s)")
    return [path for path, _ in files]


class _Book(ReportWorkbook):
    """A workbook that counts the cells from which characters Excel cannot store were removed."""

    def __init__(self, write_only: bool = False) -> None:
        super().__init__(write_only=write_only)
        self.removed = 0
        self._row_cells: list[InertCells] = []

    def cells(self, ws: Any) -> InertCells:
        """The maker of ``ws``'s row cells, whose removals count for this workbook."""
        maker = InertCells(ws)
        self._row_cells.append(maker)
        return maker

    def removed_cells(self) -> int:
        """Cells cleaned by ``_text`` and by the row makers: what the warning counts."""
        return self.removed + sum(maker.removed for maker in self._row_cells)


def _save(workbook: _Book, path: Path, options: ExportOptions) -> None:
    data = xlsx_bytes(workbook, options.generated_at)
    with atomic_write(path) as fh:
        fh.write(data)


def _text(ws: Any, row: int, column: int, value: str | None) -> None:
    if value and set_text_cell(ws.cell(row=row, column=column), value):
        ws.parent.removed += 1


def _header(ws: Any, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, 1):
        cell = ws.cell(row=row, column=column, value=title)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEAD_FILL, _BOX, _HEAD_ALIGN


def _widths(ws: Any, widths: list[int]) -> None:
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _print_setup(ws: Any, header_row: int, labels: dict[str, str]) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = labels["page"]
    ws.page_margins.left = ws.page_margins.right = 0.5


def _summary(result: Reconciliation, options: ExportOptions, labels: dict[str, str]) -> _Book:
    wb = _Book()
    ws = wb.active
    ws.title = labels["summary_sheet"]
    ws.cell(row=1, column=1, value=labels["summary_title"]).font = _TITLE
    ws.cell(row=2, column=1, value=f"{labels['as_of']}: {options.as_of:%d-%m-%Y}")
    ws.cell(row=3, column=1, value=f"{labels['grouped_by']}: {labels[result.grouped_by]}")
    header_row = 5
    _header(ws, header_row, [labels[k] for k in ("no", "unit", "staff", "signed", "exempt", "unsigned", "coverage")])
    row = header_row
    for number, unit in enumerate(result.units, 1):
        row += 1
        _unit_row(ws, row, number, unit)
    first, last = header_row + 1, row
    row += 1
    totals = result.totals
    ws.cell(row=row, column=2, value=labels["total"]).font = _BOLD
    _counts(ws, row, totals)
    for column in range(1, 8):
        ws.cell(row=row, column=column).font = _BOLD
        ws.cell(row=row, column=column).border = _BOX
    if last >= first:
        ws.conditional_formatting.add(
            f"G{first}:G{last}", DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1, color="5B9BD5")
        )
        ws.auto_filter.ref = f"A{header_row}:G{last}"
        chart = BarChart()
        chart.type = "bar"
        chart.title = labels["chart_title"]
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
        chart.add_data(Reference(ws, min_col=7, min_row=header_row, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
        chart.height = max(7.5, 0.5 * (last - first + 1) + 2)
        chart.width = 18
        ws.add_chart(chart, f"I{header_row}")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    _widths(ws, [5, 48, 14, 12, 13, 12, 11])
    _print_setup(ws, header_row, labels)
    _info_sheet(wb, result, options, labels)
    return wb


def _unit_row(ws: Any, row: int, number: int, unit: UnitStatus) -> None:
    ws.cell(row=row, column=1, value=number).border = _BOX
    _text(ws, row, 2, unit.unit)
    ws.cell(row=row, column=2).border = _BOX
    _counts(ws, row, unit)


def _counts(ws: Any, row: int, status: UnitStatus) -> None:
    for column, value in zip(range(3, 7), (status.staff, status.signed, status.exempt, status.unsigned)):
        ws.cell(row=row, column=column, value=value).border = _BOX
    coverage = ws.cell(row=row, column=7, value=status.coverage)
    coverage.number_format = _PERCENT
    coverage.border = _BOX


def _info_sheet(wb: Workbook, result: Reconciliation, options: ExportOptions, labels: dict[str, str]) -> None:
    ws = wb.create_sheet(labels["info_sheet"])
    _header(ws, 1, [labels["info_item"], labels["info_value"], labels["sha256"]])
    rows: list[tuple[str, str, str]] = [
        (labels["generated"], options.generated_at.isoformat(sep=" "), ""),
        (labels["version"], options.version, ""),
        (labels["grouped_by"], labels[result.grouped_by], ""),
        (labels["as_of"], options.as_of.isoformat(), ""),
    ]
    rows += [(labels["input"], path, digest) for path, digest in options.inputs]
    for row, (item, value, digest) in enumerate(rows, 2):
        ws.cell(row=row, column=1, value=item)
        _text(ws, row, 2, value)
        _text(ws, row, 3, digest)
    _widths(ws, [22, 70, 68])


def _nip_text(person: Employee) -> str:
    parsed = person.nip
    if parsed.status is NipStatus.FULL and parsed.nip is not None:
        return parsed.nip.spaced()
    return parsed.written or ""


def _unsigned(result: Reconciliation, unit: UnitStatus, options: ExportOptions, labels: dict[str, str]) -> _Book:
    wb = _Book()
    ws = wb.active
    ws.title = labels["unsigned_sheet"]
    ws.cell(row=1, column=1, value=labels["unsigned_title"]).font = _TITLE
    ws.cell(row=2, column=1, value=f"{labels['unit']}:").font = _BOLD
    _text(ws, 2, 2, unit.unit)
    ws.cell(row=3, column=1, value=f"{labels['as_of']}: {options.as_of:%d-%m-%Y}")
    expected = unit.staff - unit.exempt
    pct = "-" if unit.coverage is None else f"{unit.coverage:.1%}"
    ws.cell(row=4, column=1, value=labels["coverage_line"].format(pct=pct, signed=unit.signed, expected=expected))
    header_row = 6
    titles = [labels[k] for k in ("no", "nip", "name", "jabatan", "golongan", "sub_unit", "keterangan")]
    _header(ws, header_row, titles)
    people = sorted(unit.unsigned_staff, key=lambda i: (result.roster[i].sub_unit or "", result.roster[i].name_key))
    cells = wb.cells(ws)
    boxed = cells.style(border=_BOX, alignment=_WRAP)
    for number, index in enumerate(people, 1):
        person = result.roster[index]
        ws.append([
            cells.number(number, boxed),
            *(cells.text(value, boxed)
              for value in (_nip_text(person), person.name, person.jabatan, person.golongan, person.sub_unit)),
            cells.blank(boxed),
        ])  # fmt: skip
    row = header_row + len(people)
    choices = DataValidation(type="list", formula1='"' + ",".join(KETERANGAN_CHOICES) + '"', allow_blank=True)
    choices.prompt = labels["keterangan_help"]
    choices.showInputMessage = True
    choices.showErrorMessage = True
    ws.add_data_validation(choices)
    if row > header_row:
        choices.add(f"G{header_row + 1}:G{row}")
        ws.auto_filter.ref = f"A{header_row}:G{row}"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _widths(ws, [5, 23, 40, 46, 10, 34, 20])  # wide enough that wrapped rows stay rare
    _print_setup(ws, header_row, labels)
    return wb


def _problems(result: Reconciliation, labels: dict[str, str]) -> _Book:
    """masalah.xlsx: what needs a human, each with the file, sheet and row it came from."""
    wb = _Book(write_only=True)
    sheets = [
        (labels["unmatched_sheet"], [labels["reason"]], [(u.attestation, [u.reason]) for u in result.matches.unmatched]),
        (
            labels["review_sheet"],
            [labels["candidates"], labels["reason"]],
            [(r.attestation, [_candidates(result, r.candidates), r.reason]) for r in result.matches.review],
        ),
        (
            labels["duplicates_sheet"],
            [labels["counted"]],
            [(d.attestation, [str(result.evidence[d.kept].source)]) for d in result.matches.duplicates],
        ),
    ]
    for title, extra, items in sheets:
        headings = [labels[k] for k in ("file", "sheet", "row", "nip", "name")] + extra
        ws, cells = _problem_sheet(wb, title, headings, [40, 18, 7, 22, 30] + [60] * len(extra))
        for index, values in items:
            attestation = result.evidence[index]
            source = attestation.source
            ws.append([
                cells.text(source.file), cells.text(source.sheet), cells.number(source.row),
                cells.text(attestation.nip.written), cells.text(attestation.name), *map(cells.text, values),
            ])  # fmt: skip
    titles = [labels[k] for k in ("file", "sheet", "row", "column", "message", "severity")]
    ws, cells = _problem_sheet(wb, labels["problems_sheet"], titles, [40, 18, 7, 18, 90, 10])
    for problem in result.problems:
        source = problem.source
        ws.append([
            cells.text(source.file), cells.text(source.sheet), cells.number(source.row),
            cells.text(problem.column), cells.text(problem.message), cells.text(problem.severity),
        ])  # fmt: skip
    return wb


def _problem_sheet(wb: _Book, title: str, headings: list[str], widths: list[int]) -> tuple[Any, InertCells]:
    """A write-only sheet of masalah.xlsx with its header row.

    Widths and the frozen row are set here because a write-only sheet writes them
    with its first row.
    """
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    _widths(ws, widths)
    cells = wb.cells(ws)
    head = cells.style(font=_BOLD, fill=_HEAD_FILL, border=_BOX, alignment=_HEAD_ALIGN)
    ws.append([cells.label(heading, head) for heading in headings])
    return ws, cells


def _candidates(result: Reconciliation, candidates: tuple[int, ...]) -> str:
    people = (result.roster[i] for i in candidates)
    return "; ".join(f"{p.name} ({p.nip_full or p.nip.written or '-'}, {p.unit or '-'})" for p in people)
