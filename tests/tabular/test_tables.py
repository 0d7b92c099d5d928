"""What the shared table reading warns about: hidden rows and cells merged down over data."""

from __future__ import annotations

import time
from pathlib import Path

from asn_attest.reading import ReadContext
from asn_attest.tabular.kinds import sample_file
from asn_attest.tabular.tables import warn_marks
from asn_attest.tabular.workbook import Sheet, SheetMarks

COLUMNS = {"nip": 1, "name": 2, "unit": 3}
HEADERS = {"nip": "NIP", "name": "NAMA", "unit": "UNIT KERJA"}


def merge_warnings(tmp_path: Path, merged: tuple[tuple[int, int, int, int], ...], first: int, last: int | None) -> list:
    path = tmp_path / "r.csv"
    path.write_text("NIP;NAMA;UNIT KERJA\n", encoding="utf-8")
    ctx = ReadContext(sample_file(path), "test")
    sheet = Sheet("Pegawai", False, 0, marks_source=lambda: SheetMarks(merged=merged))
    warn_marks(sheet, first, last, COLUMNS, HEADERS, ctx)
    return [(p.source.row, p.column, p.message) for p in ctx.file_problems()]


def test_merged_rows_are_named_as_one_range_of_the_rows_read(tmp_path: Path) -> None:
    merged = (
        (3, 4, 5, 4),  # D3:D5 over data rows 4-5
        (1, 4, 2, 4),  # D1:D2: only header rows
        (6, 4, 6, 4),  # one cell: nothing under it
        (7, 4, 12, 4),  # D7:D12, read up to row 9
        (9, 4, 11, 4),  # D9:D11: row 10 and 11 were not read
        (8, 1, 9, 1),  # A8:A9: column A is not read
    )
    assert merge_warnings(tmp_path, merged, 3, 9) == [
        (3, "UNIT KERJA", "merged cells D3:D5: only row 3 holds the value; rows 4-5 read as empty in this column "
                          "(unmerge the cells in Excel and fill them in)"),
        (7, "UNIT KERJA", "merged cells D7:D12: only row 7 holds the value; rows 8-9 read as empty in this column "
                          "(unmerge the cells in Excel and fill them in)"),
    ]  # fmt: skip
    assert merge_warnings(tmp_path, ((2, 2, 3, 4),), 3, None) == [
        (2, "NIP", "merged cells B2:D3: only row 2 holds the value; row 3 read as empty in this column "
                   "(unmerge the cells in Excel and fill them in)"),
    ]  # fmt: skip


def test_a_thousand_merges_claiming_millions_of_rows_and_columns_cost_nothing(tmp_path: Path) -> None:
    """Counting the rows of each one by one took minutes (a hang, for the user)."""
    merged = tuple((2 + n % 3, 4, 9_999_999 - n, 4) for n in range(500)) + tuple(
        (2, 1, 9_999_999, 18_278) for _ in range(500)  # A2:ZZZ9999999
    )
    started = time.process_time()
    warnings = merge_warnings(tmp_path, merged, 3, None)
    assert time.process_time() - started < 1.0
    assert len(warnings) == 1000
    assert warnings[0] == (
        2, "UNIT KERJA", "merged cells D2:D9999999: only row 2 holds the value; rows 3-9999999 read as empty in this "
                         "column (unmerge the cells in Excel and fill them in)",
    )  # fmt: skip
    assert warnings[-1][:2] == (2, "NIP")
