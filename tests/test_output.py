"""Files we write: inert values, valid names, atomic replacement."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Side

from asn_attest.tabular.output import (
    InertCells,
    OutputError,
    atomic_write,
    cell_text,
    csv_field,
    safe_file_stem,
    safe_sheet_title,
    set_text_cell,
)

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


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_appended_rows_keep_text_inert_and_numbers_as_numbers(tmp_path: Path, write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    cells = InertCells(ws)
    boxed = cells.style(border=Border(left=Side(style="thin")))
    ws.append(["header"])
    for payload in [*PAYLOADS, "#N/A", "198503152010011001"]:
        ws.append([cells.text(payload), cells.text(payload, boxed), cells.number(7), cells.number(7, boxed),
                   cells.blank(boxed), cells.text(None), cells.text("", boxed)])
    wb.save(tmp_path / "o.xlsx")
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
