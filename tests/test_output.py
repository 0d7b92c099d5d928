"""Files we write: inert values, valid names, atomic replacement."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from asn_attest.tabular import output
from asn_attest.tabular.output import (
    InertCells,
    OutputError,
    ReportWorkbook,
    RowWriter,
    atomic_write,
    cell_text,
    csv_field,
    safe_file_stem,
    safe_sheet_title,
    set_text_cell,
    xlsx_bytes,
)

STAMP = dt.datetime(2024, 2, 12, 10, 0)
PAYLOADS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")',
            "=cmd|' /C calc'!A0", "'=already quoted"]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    for row, payload in enumerate(PAYLOADS, 1):
        set_text_cell(wb.active.cell(row=row, column=1), payload)
    wb.save(tmp_path / "o.xlsx")
    with zipfile.ZipFile(tmp_path / "o.xlsx") as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    ws = load_workbook(tmp_path / "o.xlsx").active
    for row, payload in enumerate(PAYLOADS, 1):
        cell = ws.cell(row=row, column=1)
        assert (cell.value, cell.data_type) == (payload.replace("\r", "\n"), "s")
        assert cell.quotePrefix


def test_characters_excel_cannot_store_are_removed_and_reported() -> None:
    cell = Workbook().active["A1"]
    assert set_text_cell(cell, "AN\x00I\x07") is True
    assert cell.value == "ANI"
    assert set_text_cell(cell, "ANI") is False


def test_text_xml_cannot_hold_is_removed_so_the_workbook_opens(tmp_path: Path) -> None:
    """A lone surrogate (text decoded with escapes) or U+FFFE would make a file no
    spreadsheet program opens."""
    wb = ReportWorkbook()
    cells = InertCells(wb.active)
    wb.active.append([cells.text("AN\udcffI\ufffe"), cells.text("BUDI \U0001f600")])
    assert cells.removed == 1
    (tmp_path / "s.xlsx").write_bytes(xlsx_bytes(wb, STAMP))
    assert [c.value for c in load_workbook(tmp_path / "s.xlsx").active[1]] == ["ANI", "BUDI \U0001f600"]


@pytest.mark.parametrize("through", ["openpyxl", "xlsx_bytes"])
@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_appended_rows_keep_text_inert_and_numbers_as_numbers(tmp_path: Path, write_only: bool, through: str) -> None:
    wb = (Workbook if through == "openpyxl" else ReportWorkbook)(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    cells = InertCells(ws)
    boxed = cells.style(border=Border(left=Side(style="thin")))
    ws.append(["header"])
    for payload in [*PAYLOADS, "#N/A", "198503152010011001"]:
        ws.append([cells.text(payload), cells.text(payload, boxed), cells.number(7), cells.number(7, boxed),
                   cells.blank(boxed), cells.text(None), cells.text("", boxed)])
    if through == "openpyxl":
        wb.save(tmp_path / "o.xlsx")
    else:
        (tmp_path / "o.xlsx").write_bytes(xlsx_bytes(wb, STAMP))
    with zipfile.ZipFile(tmp_path / "o.xlsx") as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    ws = load_workbook(tmp_path / "o.xlsx").active
    for row, payload in enumerate([*PAYLOADS, "#N/A", "198503152010011001"], 2):
        plain, styled, number, styled_number, blank, nothing, styled_blank = (ws.cell(row, c) for c in range(1, 8))
        for cell in (plain, styled):
            assert (cell.value, cell.data_type, cell.quotePrefix) == (payload.replace("\r", "\n"), "s", True)
        assert (number.value, number.data_type, styled_number.value) == (7, "n", 7)
        assert [c.border.left.style for c in (plain, styled, styled_number, blank, styled_blank)] == [
            None, "thin", "thin", "thin", "thin"]
        assert blank.value is None and nothing.value is None and not nothing.has_style


def test_appended_text_is_cleaned_and_removals_counted() -> None:
    cells = InertCells(Workbook().active)
    assert cells.text("AN\x00I\x07").value == "ANI"
    assert cells.text("ANI").value == "ANI"
    assert cells.removed == 1


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_cells_are_the_cells_openpyxl_makes(write_only: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """InertCells makes its cells without Cell.__init__: each must equal, attribute by
    attribute, the one openpyxl's own constructor makes, and stay its own (a style set on
    one cell changes no other)."""
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    cells = InertCells(ws)
    boxed = cells.style(border=Border(left=Side(style="thin")), alignment=Alignment(wrap_text=True))

    def made() -> list[Any]:
        return [cells.text("=1+1"), cells.text("ANI\r\nBUDI", boxed), cells.text("x" * 32_768, boxed),
                cells.number(7, boxed), cells.number(2.5, boxed), cells.number(True, boxed), cells.blank(boxed)]

    def state(cell: Any) -> tuple[Any, ...]:
        return (cell.parent, cell.row, cell.column, cell._value, cell.data_type, tuple(cell._style),
                cell._hyperlink, cell._comment)

    assert output._cell_slots() == output._CELL_SLOTS  # else every cell takes the slow way
    fast = made()
    first, second = cells.text("a", boxed), cells.text("b", boxed)
    first.font = Font(bold=True)
    assert first.font.bold and not second.font.bold
    monkeypatch.setattr(output, "_cell", output._cell_by_init)
    reference = made()
    assert [state(c) for c in fast] == [state(c) for c in reference]
    assert len(fast[2].value) == 32767 and fast[5].data_type == "b"


def test_our_own_labels_are_text_without_the_quote_prefix() -> None:
    cell = InertCells(Workbook().active).label("=Nama")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=Nama", "s", False)


def test_text_is_appended_only_as_inert_text() -> None:
    with pytest.raises(TypeError, match="not a number"):
        InertCells(Workbook().active).number("=1+1")  # type: ignore[arg-type]


def test_cell_text_keeps_printable_text_and_normalises_line_ends() -> None:
    assert cell_text("Dr. H. AHMAD FAUZI, S.Pd.") == ("Dr. H. AHMAD FAUZI, S.Pd.", False)
    assert cell_text("a\r\nb\rc\u00a0d\te") == ("a\nb\nc\u00a0d\te", False)
    assert cell_text("a\x0bb") == ("ab", True)


@pytest.mark.parametrize("payload", PAYLOADS[:-1])
def test_csv_fields_that_look_like_formulas_get_an_apostrophe(payload: str) -> None:
    assert csv_field(payload) == "'" + payload
    out = io.StringIO()
    csv.writer(out).writerow([csv_field(payload)])
    assert not out.getvalue().lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_numbers_and_plain_text_are_unchanged() -> None:
    assert [csv_field(v) for v in (-5, 1.5, None, "Dinas A")] == ["-5", "1.5", "", "Dinas A"]


def test_file_stems_are_valid_and_unique_after_cleaning() -> None:
    taken: set[str] = set()
    names = ["Dinas A/B", "Dinas A:B", "dinas a-b", "CON", "..", "x" * 300, 'Badan "X" <Y>?']
    stems = [safe_file_stem(n, taken) for n in names]
    assert stems[:3] == ["Dinas A-B", "Dinas A-B (2)", "dinas a-b (3)"]
    assert stems[3] == "CON_" and stems[4] == "unit"
    assert len(stems[5]) <= 100
    assert stems[6] == "Badan -X- -Y"
    assert all(not set(s) & set('\\/:*?"<>|') for s in stems)


def test_sheet_titles_fit_excel_rules_and_stay_unique() -> None:
    taken: set[str] = set()
    long = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    first, second = safe_sheet_title(long, taken), safe_sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert safe_sheet_title("UPT [1] / SD: 2?", taken) == "UPT -1- - SD- 2-"


def test_atomic_write_replaces_the_file_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "ringkasan.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(target, "w", encoding="utf-8") as fh:
            fh.write("half")
            raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_write(target, "w", encoding="utf-8") as fh:
        fh.write("new")
    assert target.read_text(encoding="utf-8") == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_into_a_folder_that_cannot_be_made_names_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(OutputError, match=r"out/x\.xlsx: cannot write here"):
        with atomic_write(blocker / "x.xlsx") as fh:
            fh.write(b"x")


def test_a_file_held_open_by_another_program_is_named_and_the_old_file_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ringkasan.xlsx"
    target.write_bytes(b"old")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("asn_attest.tabular.output.os.replace", locked)
    with pytest.raises(OutputError, match=r"ringkasan\.xlsx: the file is open in another program \(Excel\?\)"):
        with atomic_write(target) as fh:
            fh.write(b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


#: texts for the worksheet writers: formulas to keep inert, characters XML escapes, spaces XML keeps
TEXTS = [*PAYLOADS, "plain", 'a & b < c > d "e" \'f\'', "&amp; written", "]]>", " leading", "trailing ", "   ",
         "line\nend", "tab\tinside", "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Jalan", "\u00a0nbsp", "\ud83d",
         "x" * 40_000, "#N/A", "#REF!", "0123", "TRUE"]


def _fill(wb: Any, write_only: bool, texts: list[str] = TEXTS) -> None:
    """Rows of every kind a report appends, and cells of the kinds openpyxl writes itself."""
    ws = wb.create_sheet("s") if write_only else wb.active
    ws.row_dimensions[4].height = 30  # a row with dimensions
    cells = InertCells(ws)
    thin = Side(style="thin")
    boxed = cells.style(border=Border(left=thin, bottom=thin), alignment=Alignment(wrap_text=True))
    head = cells.style(font=Font(bold=True), fill=PatternFill("solid", fgColor="D9E1F2"), border=Border(top=thin))
    percent = cells.style(number_format="0.0%")
    ws.append([cells.label("No", head), cells.label("=Nama", head), None, cells.label("Nilai & <x>", head),
               cells.label("unstyled")])
    for number, text in enumerate(texts, 1):
        ws.append([
            cells.number(number, boxed), cells.text(text), cells.text(text, boxed), None,
            cells.number(number / 7, percent), cells.blank(boxed), cells.text(None), cells.text("", boxed),
            cells.number(-number), cells.number(0.1 * number),
        ])  # fmt: skip
    ws.append([cells.number(float("nan")), cells.number(float("inf"), boxed), cells.number(2**70), cells.number(1e-20),
               cells.number(-0.0), cells.number(0)])
    ws.append([])
    ws.append([None, None, cells.text("after an empty row")])
    commented = WriteOnlyCell(ws, value="with a comment") if write_only else ws.cell(row=1, column=20)
    commented.comment = Comment("a note & <more>", "author")
    linked = WriteOnlyCell(ws, value="a link") if write_only else ws.cell(row=1, column=21)
    linked.hyperlink = "https://example.org/?a=1&b=2"
    rich = CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"))
    others = ["=SUM(1,2)", dt.datetime(2024, 2, 12, 9, 30), dt.date(2024, 2, 12), True, False, "#N/A", rich, 5, "text"]
    if write_only:
        ws.append([*others, commented, linked, cells.text("last")])
    else:
        row = ws.max_row + 1
        for column, value in enumerate(others, 1):
            ws.cell(row=row, column=column, value=value)
        commented.value, linked.value = "with a comment", "a link"
        ws.cell(row=row, column=12, value="last").quotePrefix = True
        ws.cell(row=row + 1, column=2, value="merged").border = Border(top=Side(style="thin"))
        ws.merge_cells(start_row=row + 1, start_column=2, end_row=row + 2, end_column=4)


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_row_writer_writes_the_xml_openpyxl_writes(write_only: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """RowWriter writes plain cells itself: every part of the file must be what openpyxl writes."""
    theirs = Workbook(write_only=write_only)
    _fill(theirs, write_only)
    raw = io.BytesIO()
    theirs.save(raw)

    written = []
    own_write_cells = RowWriter._write_cells

    def counting(self: RowWriter, xf: Any, write: Any, row: Any) -> None:
        written.append(1)
        own_write_cells(self, xf, write, row)

    monkeypatch.setattr(RowWriter, "_write_cells", counting)
    ours = ReportWorkbook(write_only=write_only)
    _fill(ours, write_only)
    data = xlsx_bytes(ours, STAMP)
    assert len(written) >= len(TEXTS)  # the rows went through RowWriter, not through openpyxl's writer

    def parts(body: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}

    mine, reference = parts(data), parts(raw.getvalue())
    assert mine.keys() == reference.keys()
    for name in reference:
        assert mine[name] == reference[name], name
    sheet = mine["xl/worksheets/sheet1.xml"]
    assert b"a &amp; b &lt; c &gt; d \"e\" 'f'" in sheet and b'<t xml:space="preserve"> leading</t>' in sheet
    assert sheet.count(b"<f>") == 1  # the formula openpyxl was given; text that looks like one stays text


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_row_writer_leaves_text_inert_when_read_back(tmp_path: Path, write_only: bool) -> None:
    texts = [text for text in TEXTS if text != "\ud83d"]  # a lone surrogate makes XML no reader takes, as in openpyxl
    wb = ReportWorkbook(write_only=write_only)
    _fill(wb, write_only, texts)
    (tmp_path / "o.xlsx").write_bytes(xlsx_bytes(wb, STAMP))
    ws = load_workbook(tmp_path / "o.xlsx").worksheets[0]
    for row, text in enumerate(texts, 2):
        for column in (2, 3):
            cell = ws.cell(row=row, column=column)
            assert (cell.value, cell.data_type, cell.quotePrefix) == (cell_text(text)[0][:32767], "s", True)
        assert ws.cell(row=row, column=1).value == row - 1 and ws.cell(row=row, column=1).border.left.style == "thin"
