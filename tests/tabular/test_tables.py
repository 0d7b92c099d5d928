"""The shared table reading: what it warns about (hidden rows, cells merged down over data), rows as
columns, evidence loaded through the schema."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from marshmallow import missing

from asn_attest.reading import ReadContext
from asn_attest.tabular.kinds import sample_file
from asn_attest.tabular.tables import EvidenceRows, column_chunks, warn_marks
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


def test_column_chunks_leave_out_empty_rows_and_mark_empty_cells_missing() -> None:
    rows = [(2, ("x", "198503152010011001", "ANI")), (3, (None, "", None)), (4, ("y", None, "BUDI", "extra")),
            (5, ("z",)), (6, (0, None, " "))]  # fmt: skip
    chunks = list(column_chunks(rows, {"nip": 1, "name": 2}, size=2))
    assert chunks == [
        ([2], {"nip": ["198503152010011001"], "name": ["ANI"]}),  # row 3 is empty in both columns
        ([4], {"nip": [missing], "name": ["BUDI"]}),  # row 5 has no cell in them
        ([6], {"nip": [missing], "name": [" "]}),
    ]


def _evidence(tmp_path: Path) -> tuple[ReadContext, EvidenceRows]:
    path = tmp_path / "log.csv"
    path.write_text("NIK;NAMA\n", encoding="utf-8")
    ctx = ReadContext(sample_file(path), "test")
    return ctx, EvidenceRows(ctx, sheet=None, date_column="WAKTU")


def test_evidence_rows_added_one_by_one_load_as_a_chunk_of_columns_does(tmp_path: Path) -> None:
    """A refused row (no NIP, NIK or name), a bad date (kept, with a warning) and rows that
    are no evidence (reported in their place) come out alike through add/flush and load."""
    rows = [2, 3, 4, 5, 6]
    columns = {
        "nip": ["198503152010011001", missing, missing, "199001012015031002", missing],
        "name": ["ANI", missing, "BUDI", missing, "CICI"],
        "signed_at": ["2024-02-12 09:30", missing, "not a date", missing, "2024-02-13"],
        "channel": ["esign"] * 5,
        "raw": [{"NAMA": "ANI"}, {}, {"NAMA": "BUDI"}, {}, {"NAMA": "CICI"}],
    }
    problems = {3: ("status 'gagal': not a signature", "STATUS", "warning")}

    ctx, evidence = _evidence(tmp_path)
    loaded = list(evidence.load(rows, columns, problems))
    ctx_rows, evidence_rows = _evidence(tmp_path)
    added = []
    for i, row in enumerate(rows):
        if i in problems:
            message, column, severity = problems[i]
            evidence_rows.problem(message, row=row, column=column, severity=severity)
        else:
            added += evidence_rows.add(row, {k: v[i] for k, v in columns.items() if v[i] is not missing})
    added += evidence_rows.flush()

    assert [(a.source.row, a.name, a.signed_at) for a in loaded] == [
        (2, "ANI", dt.datetime(2024, 2, 12, 9, 30)), (4, "BUDI", None), (6, "CICI", dt.date(2024, 2, 13)),
    ]  # fmt: skip
    assert added == loaded
    said = [(p.source.row, p.column, p.severity, p.message) for p in ctx.file_problems()]
    assert [(row, column, severity) for row, column, severity, _ in said] == [
        (3, None, "error"), (4, "WAKTU", "warning"), (5, "STATUS", "warning")]
    assert said == [(p.source.row, p.column, p.severity, p.message) for p in ctx_rows.file_problems()]
