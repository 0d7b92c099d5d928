from __future__ import annotations

import csv
import datetime
import io
import re
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from asn_attest.errors import ConfigError, DataError
from asn_attest.reading import max_rows_from_env
from asn_attest.tabular import workbook as workbook_module
from asn_attest.tabular.kinds import FileKind
from asn_attest.tabular.workbook import (
    BACKENDS,
    CSV_FIELD_LIMIT,
    LIMIT_HINT,
    Sheet,
    guess_delimiter,
    max_unzipped_bytes,
    open_workbook,
    positive_int_from_env,
    xml_is_defused,
)
from tests.tabular.conftest import build_ole2, build_xlsx

NIP = 198503152010011001


def read_all(path: Path, **kwargs) -> list[list[tuple[int, tuple]]]:
    with open_workbook(path, **kwargs) as workbook:
        return [list(sheet.rows()) for sheet in workbook.sheets]


def only_sheet(path: Path, **kwargs) -> list[tuple[int, tuple]]:
    sheets = read_all(path, **kwargs)
    assert len(sheets) == 1
    return sheets[0]


def openpyxl_file(path: Path, rows: list[list], **options) -> Path:
    wb = openpyxl.Workbook()
    if options.get("date1904"):
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Pegawai"
    for row in rows:
        ws.append(row)
    for name in options.get("hidden", ()):
        wb.create_sheet(name).sheet_state = "hidden"
    wb.save(path)
    return path


def xlwt_file(path: Path, cells: dict[tuple[int, int], object], *, dates_1904: bool = False,
              hidden: tuple[str, ...] = ()) -> Path:
    wb = xlwt.Workbook()
    wb.dates_1904 = dates_1904
    ws = wb.add_sheet("Pegawai")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    time_style = xlwt.easyxf(num_format_str="hh:mm")
    for (r, c), value in cells.items():
        if isinstance(value, datetime.time):
            ws.write(r, c, value, time_style)
        elif isinstance(value, (datetime.date, datetime.datetime)):
            ws.write(r, c, value, date_style)
        elif isinstance(value, str) and value.startswith("#"):
            ws.row(r).set_cell_error(c, 0x2A if value == "#N/A" else value)  # xlwt lacks "#N/A"
        else:
            ws.write(r, c, value)
    for name in hidden:
        wb.add_sheet(name).visibility = 1
    wb.save(str(path))
    return path


# --- xlsx -------------------------------------------------------------------------------------


def test_xlsx_values_keep_their_types(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [
        ["NO", "NAMA\nNIP", "TGL LAHIR", "AKTIF"],
        [1, "AHMAD FAUZI\n198503152010011001", datetime.datetime(1985, 3, 15), True],
    ])
    assert only_sheet(path) == [
        (1, ("NO", "NAMA\nNIP", "TGL LAHIR", "AKTIF")),
        (2, (1, "AHMAD FAUZI\n198503152010011001", datetime.datetime(1985, 3, 15), True)),
    ]


def test_xlsx_18_digit_number_comes_out_as_float(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [[NIP, 1.98503152010011e17]])
    (_, values), = only_sheet(path)
    assert all(type(v) is float for v in values)
    assert values[0] == float(NIP)


def test_xlsx_integral_float_becomes_int_below_1e15_only(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [[2.0, 999_999_999_999_999, 10**15, 2.5, -3.0]])
    (_, values), = only_sheet(path)
    assert values == (2, 999_999_999_999_999, 1e15, 2.5, -3)
    assert [type(v) for v in values] == [int, int, float, float, int]


def test_xlsx_error_cells_yield_their_text(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [["#N/A", "#REF!", "x"]])
    assert only_sheet(path) == [(1, ("#N/A", "#REF!", "x"))]


def test_xlsx_formula_gives_the_cached_value_or_none(make_file):
    data = build_xlsx({"S": {1: [("", "<f>1+1</f><v>2</v>"), ("", "<f>A1*2</f>"), "end"]}})
    assert only_sheet(make_file("f.xlsx", data)) == [(1, (2, None, "end"))]


def test_xlsx_rows_beyond_a_too_small_dimension_are_not_lost(make_file):
    rows = {1: ["NIP", "NAMA"], 2: ["1", "A"], 500: ["2", "B"], 501: ["3", "C", "extra"]}
    path = make_file("dim.xlsx", build_xlsx({"S": rows}, dimension="A1:B2"))
    assert only_sheet(path) == [
        (1, ("NIP", "NAMA")), (2, ("1", "A")), (500, ("2", "B")), (501, ("3", "C", "extra")),
    ]


def test_xlsx_rows_and_columns_before_the_dimension_start_are_not_lost(make_file):
    path = make_file("dim.xlsx", build_xlsx({"S": {1: ["a", "b"], 3: [None, "c"]}}, dimension="B3:B3"))
    assert only_sheet(path) == [(1, ("a", "b")), (3, (None, "c"))]


def test_xlsx_without_dimension_is_read(make_file):
    path = make_file("dim.xlsx", build_xlsx({"S": {2: ["a"]}}, dimension=None))
    assert only_sheet(path) == [(2, ("a",))]


def test_xlsx_empty_rows_are_skipped_and_numbers_kept(make_file):
    rows = {1: ["TITLE"], 2: [None, ""], 4: ["NIP", None, None], 6: ["x", "", "y", "", None]}
    path = make_file("e.xlsx", build_xlsx({"S": rows}))
    assert only_sheet(path) == [(1, ("TITLE",)), (4, ("NIP",)), (6, ("x", None, "y"))]


def test_xlsx_hidden_sheets_are_flagged_in_order(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [["a"]], hidden=("Lama",))
    with open_workbook(path) as workbook:
        assert [(s.name, s.hidden, s.index) for s in workbook.sheets] == [
            ("Pegawai", False, 0), ("Lama", True, 1),
        ]
        assert workbook.kind is FileKind.XLSX and not workbook.datemode_1904


def test_xlsx_very_hidden_sheet_is_hidden(make_file):
    data = build_xlsx({"A": {1: ["a"]}, "B": {1: ["b"]}}, hidden=frozenset({"B"}))
    path = make_file("h.xlsx", data)  # state="hidden", turned into "veryHidden" below
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(b'"hidden"', b'"veryHidden"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with open_workbook(path) as workbook:
        assert [s.hidden for s in workbook.sheets] == [False, True]


def test_xlsx_1904_dates_are_right(tmp_path):
    born = datetime.datetime(1985, 3, 15)
    path = openpyxl_file(tmp_path / "r.xlsx", [[born]], date1904=True)
    with open_workbook(path) as workbook:
        assert workbook.datemode_1904
        assert list(workbook.sheets[0].rows()) == [(1, (born,))]


def test_xlsx_with_an_xls_name_is_read(tmp_path):
    path = openpyxl_file(tmp_path / "r.xls", [["a", 1]])
    assert only_sheet(path) == [(1, ("a", 1))]


def test_corrupt_xlsx_sheet_names_the_sheet(make_file, tmp_path):
    good = build_xlsx({"Data": {1: ["x"] * 50, 2: ["y"] * 50}})
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:-40]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    path = make_file("bad.xlsx", buffer.getvalue())
    with open_workbook(path) as workbook, pytest.raises(DataError) as caught:
        list(workbook.sheets[0].rows())
    assert caught.value.location.sheet == "Data"
    assert "corrupt xlsx sheet" in caught.value.message
    assert "ParseError" not in caught.value.message


def test_xlsx_with_damaged_compressed_data_is_a_data_error(make_file):
    data = bytearray(build_xlsx({"Data": {i: [f"row {i}", i] for i in range(1, 400)}}))
    start = data.index(b"xl/worksheets/sheet1.xml") + 40
    data[start : start + 200] = bytes(200)
    path = make_file("crc.xlsx", bytes(data))
    with pytest.raises(DataError):
        read_all(path)


def test_xlsx_with_entity_expansion_is_refused(make_file):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    good = build_xlsx({"S": {1: ["x"]}})
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = bomb.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(DataError):
        read_all(make_file("bomb.xlsx", buffer.getvalue()))


def test_openpyxl_parses_through_defusedxml():
    assert xml_is_defused() is True


# --- xls --------------------------------------------------------------------------------------


def test_xls_values_follow_the_same_rules_as_xlsx(tmp_path):
    born = datetime.datetime(1985, 3, 15)
    path = xlwt_file(tmp_path / "r.xls", {
        (0, 0): "NAMA\nNIP", (0, 1): 5.0, (0, 2): float(NIP), (0, 3): 2.5,
        (0, 4): born, (0, 5): True, (0, 6): "#N/A", (0, 7): 10.0**15, (0, 8): "#REF!",
    })
    (number, values), = only_sheet(path)
    assert number == 1
    assert values == ("NAMA\nNIP", 5, float(NIP), 2.5, born, True, "#N/A", 1e15, "#REF!")
    assert [type(v) for v in values] == [
        str, int, float, float, datetime.datetime, bool, str, float, str,
    ]


def test_xls_time_of_day_is_a_time(tmp_path):
    path = xlwt_file(tmp_path / "r.xls", {(0, 0): datetime.time(7, 30)})
    assert only_sheet(path) == [(1, (datetime.time(7, 30),))]


def test_xls_1904_workbook_dates_are_right(tmp_path):
    born = datetime.datetime(1985, 3, 15)
    path = xlwt_file(tmp_path / "r.xls", {(0, 0): born}, dates_1904=True)
    with open_workbook(path) as workbook:
        assert workbook.datemode_1904
        assert list(workbook.sheets[0].rows()) == [(1, (born,))]


def test_xls_empty_rows_skipped_and_trailing_cells_trimmed(tmp_path):
    path = xlwt_file(tmp_path / "r.xls", {(0, 0): "TITLE", (3, 1): "x", (3, 2): "", (5, 4): ""})
    assert only_sheet(path) == [(1, ("TITLE",)), (4, (None, "x"))]


def test_xls_hidden_sheet_is_flagged(tmp_path):
    path = xlwt_file(tmp_path / "r.xls", {(0, 0): "a"}, hidden=("Arsip",))
    with open_workbook(path) as workbook:
        assert [(s.name, s.hidden, s.index) for s in workbook.sheets] == [
            ("Pegawai", False, 0), ("Arsip", True, 1),
        ]
        assert workbook.kind is FileKind.XLS


def test_xls_sheets_can_be_read_twice(tmp_path):
    path = xlwt_file(tmp_path / "r.xls", {(0, 0): "a", (1, 0): 1})
    with open_workbook(path) as workbook:
        first = list(workbook.sheets[0].rows())
        assert list(workbook.sheets[0].rows()) == first == [(1, ("a",)), (2, (1,))]


def test_encrypted_xls_says_password_protected(make_file):
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0600)
    filepass = struct.pack("<HH", 0x002F, 54) + b"\x01\x00\x01\x00\x01\x00" + bytes(48)
    data = build_ole2({"Workbook": bof + filepass + struct.pack("<HH", 0x000A, 0)})
    with pytest.raises(DataError) as caught:
        open_workbook(make_file("locked.xls", data))
    assert caught.value.message.startswith("password-protected workbook")


def test_garbage_workbook_stream_is_a_data_error(make_file):
    data = build_ole2({"Workbook": bytes(range(256)) * 20})
    with pytest.raises(DataError) as caught:
        open_workbook(make_file("bad.xls", data))
    assert "cannot read the .xls workbook" in caught.value.message


def test_xlrd_prints_nothing(tmp_path, capsys):
    path = xlwt_file(tmp_path / "r.xls", {(0, 0): "a"})
    read_all(path)
    assert capsys.readouterr() == ("", "")


# --- CSV --------------------------------------------------------------------------------------

ROWS = [["NO", "NAMA", "NIP"], ["1", "AHMAD FAUZI, S.Pd.", "198503152010011001"], ["2", "SITI", ""]]
EXPECTED = [(1, ("NO", "NAMA", "NIP")), (2, ("1", "AHMAD FAUZI, S.Pd.", "198503152010011001")),
            (3, ("2", "SITI"))]


def csv_bytes(rows, delimiter=",", encoding="utf-8", line_end="\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"], ids=["comma", "semicolon", "pipe", "tab"])
def test_each_delimiter_is_read(make_file, delimiter):
    assert only_sheet(make_file("r.csv", csv_bytes(ROWS, delimiter))) == EXPECTED


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_each_line_end_is_read(make_file, line_end):
    assert only_sheet(make_file("r.csv", csv_bytes(ROWS, ";", line_end=line_end))) == EXPECTED


def test_utf16_tab_separated_csv_is_read(make_file):
    data = b"\xff\xfe" + csv_bytes(ROWS, "\t", "utf-16-le")
    assert only_sheet(make_file("r.csv", data)) == EXPECTED


def test_utf16_without_bom_is_read(make_file):
    assert only_sheet(make_file("r.csv", csv_bytes(ROWS, ";", "utf-16-be"))) == EXPECTED


def test_utf8_bom_is_not_part_of_the_first_header(make_file):
    rows = only_sheet(make_file("r.csv", b"\xef\xbb\xbf" + csv_bytes(ROWS, ";")))
    assert rows[0] == (1, ("NO", "NAMA", "NIP"))


def test_cp1252_csv_is_decoded(make_file):
    data = csv_bytes([["NAMA"], ["ANDRÉ “X”"], ["z", "1"]], ";", "cp1252")
    assert only_sheet(make_file("r.csv", data))[1] == (2, ("ANDRÉ “X”",))


def test_quoted_field_keeps_its_line_break_and_the_next_row_number_is_right(make_file):
    data = b'NO;NAMA / NIP\r\n1;"AHMAD\r\n198503152010011001"\r\n2;SITI\r\n'
    assert only_sheet(make_file("r.csv", data)) == [
        (1, ("NO", "NAMA / NIP")),
        (2, ("1", "AHMAD\n198503152010011001")),
        (4, ("2", "SITI")),
    ]


def test_blank_lines_and_delimiter_only_lines_are_skipped(make_file):
    data = b"DAFTAR NOMINATIF;;;\n\n;;;\nNO;NAMA;;\n1;A;;\n"
    assert only_sheet(make_file("r.csv", data)) == [
        (1, ("DAFTAR NOMINATIF",)), (4, ("NO", "NAMA")), (5, ("1", "A")),
    ]


def test_unbalanced_quote_names_the_line(make_file):
    lines = ["NO;NAMA"] + [f"{i};NAMA {i}" for i in range(1, 10)]
    lines[5] = '5;"AHMAD FAUZI'
    path = make_file("r.csv", "\n".join(lines).encode() + b"\n")
    with pytest.raises(DataError) as caught:
        read_all(path)
    assert caught.value.location.row == 6
    assert "unbalanced quote" in caught.value.message and "line 6" in caught.value.message


def test_unbalanced_quote_in_a_later_line_of_a_record_names_that_line(make_file):
    data = b'NO;NAMA;X\n1;"A\nB";"open\n2;C;D\n'
    with pytest.raises(DataError) as caught:
        read_all(make_file("r.csv", data))
    assert caught.value.location.row == 3


def test_unbalanced_quote_in_a_big_file_is_not_swallowed_silently(make_file):
    body = "".join(f"{i};NAMA PEGAWAI NOMOR {i};{i:018d}\n" for i in range(60000))
    data = ("NO;NAMA;NIP\n" + '7;"BROKEN;1\n' + body).encode()
    assert len(data) > CSV_FIELD_LIMIT
    with pytest.raises(DataError) as caught:
        read_all(make_file("r.csv", data))
    assert caught.value.location.row == 2


def test_field_longer_than_the_limit_names_its_line(make_file):
    data = b"NO;CATATAN\n1;ok\n2;" + b"x" * (CSV_FIELD_LIMIT + 10) + b"\n"
    with pytest.raises(DataError) as caught:
        read_all(make_file("r.csv", data))
    assert caught.value.location.row == 3
    assert "longer than 1 MiB" in caught.value.message


def test_field_larger_than_the_csv_default_is_read(make_file):
    long_text = "y" * 200_000  # the csv module's own limit is 131,072
    data = f"NO;CATATAN\n1;{long_text}\n".encode()
    assert only_sheet(make_file("r.csv", data))[1] == (2, ("1", long_text))


def test_text_after_a_closing_quote_is_a_data_error_with_the_line(make_file):
    data = b'NO;NAMA\n1;"AHMAD" FAUZI\n'
    with pytest.raises(DataError) as caught:
        read_all(make_file("r.csv", data))
    assert caught.value.location.row == 2
    assert "closing quote" in caught.value.message


def test_nul_bytes_are_removed_from_values(make_file):
    data = b"NO;NAMA\n1;BU\x00DI\n2;\x00\n"
    assert only_sheet(make_file("r.csv", data)) == [(1, ("NO", "NAMA")), (2, ("1", "BUDI")), (3, ("2",))]


def test_csv_values_are_always_text(make_file):
    rows = only_sheet(make_file("r.csv", b"1;2.5;198503152010011001\n"))
    assert rows == [(1, ("1", "2.5", "198503152010011001"))]


def test_csv_sheet_has_no_name(make_file):
    with open_workbook(make_file("r.csv", b"a;b\n")) as workbook:
        assert [(s.name, s.hidden, s.index) for s in workbook.sheets] == [(None, False, 0)]


def test_closing_the_workbook_closes_an_open_csv_stream(make_file):
    data = b"a;b\n" * 10
    workbook = open_workbook(make_file("r.csv", data))
    rows = workbook.sheets[0].rows()
    next(rows)
    workbook.close()
    with pytest.raises(ValueError):
        next(rows)
    with pytest.raises(ValueError):
        workbook.sheets[0].rows()


def test_csv_streams_without_reading_everything(make_file):
    data = b"a;b\n" * 200_000 + b'x;"never closed\n'
    workbook = open_workbook(make_file("r.csv", data))
    rows = workbook.sheets[0].rows()
    assert next(rows) == (1, ("a", "b"))  # the broken end of the file is not read yet
    workbook.close()


# --- delimiter guessing -----------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def test_semicolon_wins_over_commas_inside_names():
    text = "NO;NAMA;GOL\n1;Dr. H. AHMAD, S.Pd., M.Si.;III/a\n2;SITI, S.E.;II/b\n3;BUDI;I/a\n"
    assert guess_delimiter(lines_of(text)) == ";"


def test_comma_wins_when_semicolons_are_quoted():
    text = 'NO,NAMA,KET\n1,"A; B",x\n2,"C; D; E",y\n3,F,z\n'
    assert guess_delimiter(lines_of(text)) == ","


def test_decimal_commas_do_not_beat_semicolons():
    assert guess_delimiter(lines_of("1,5;2,5;3\n4,5;5,5;6\n")) == ";"


def test_title_rows_do_not_confuse_the_guess():
    text = "DAFTAR NOMINATIF PEGAWAI\nKeadaan per 1 Januari 2024, Kab. X\n\nNO|NAMA|NIP\n1|A|1\n2|B|2\n"
    assert guess_delimiter(lines_of(text)) == "|"


def test_tab_wins_over_commas_in_values():
    text = "NO\tNAMA\n1\tA, S.Pd.\n2\tB, S.E., M.M.\n"
    assert guess_delimiter(lines_of(text)) == "\t"


def test_one_column_file_defaults_to_comma():
    assert guess_delimiter(lines_of("NIP\n198503152010011001\n")) == ","


delimiters = st.sampled_from([",", ";", "|", "\t"])
field_text = st.text(alphabet=st.sampled_from(list('ABCabc xyz019."\n')), max_size=12)


@settings(max_examples=150, deadline=None)
@given(delimiter=delimiters, width=st.integers(2, 6), data=st.data(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       line_end=st.sampled_from(["\n", "\r\n"]))
def test_written_csv_reads_back(tmp_path_factory, delimiter, width, data, encoding, line_end):
    rows = data.draw(st.lists(st.lists(field_text, min_size=width, max_size=width), min_size=1, max_size=8))
    rows = [["NO"] + [f"H{i}" for i in range(1, width)]] + rows
    path = tmp_path_factory.mktemp("csv") / "r.csv"
    path.write_bytes(csv_bytes(rows, delimiter, encoding, line_end))
    expected = []
    for row in rows:
        values = [v.replace("\r\n", "\n") or None for v in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            expected.append(tuple(values))
    assert [values for _, values in only_sheet(path)] == expected


# --- HTML -------------------------------------------------------------------------------------


def html_file(make_file, body: str, encoding: str = "utf-8", name: str = "export.xls") -> Path:
    return make_file(name, body.encode(encoding))


def test_each_table_is_a_sheet_named_by_its_position(make_file):
    page = "<html><body><table><tr><td>a</td></tr></table><p>x</p><table><tr><td>b</td></tr></table>"
    with open_workbook(html_file(make_file, page)) as workbook:
        assert [(s.name, s.hidden, s.index) for s in workbook.sheets] == [
            ("table 1", False, 0), ("table 2", False, 1),
        ]
        assert [list(s.rows()) for s in workbook.sheets] == [[(1, ("a",))], [(1, ("b",))]]
        assert workbook.kind is FileKind.HTML


def test_cell_text_is_stripped_of_tags_and_entities_decoded(make_file):
    page = "<table><tr><td><b>AHMAD</b> &amp; <i>SITI</i>&nbsp;&#8220;x&#8221;</td></tr></table>"
    assert only_sheet(html_file(make_file, page)) == [(1, ("AHMAD & SITI “x”",))]


def test_br_and_blocks_become_line_breaks_and_whitespace_collapses(make_file):
    page = ("<table><tr><td>\n  AHMAD   FAUZI <br/> 19850315 201001 1 001 <br><br></td>"
            "<td><div>Dinas</div><div>  Pendidikan </div></td></tr></table>")
    assert only_sheet(html_file(make_file, page)) == [
        (1, ("AHMAD FAUZI\n19850315 201001 1 001", "Dinas\nPendidikan")),
    ]


def test_colspan_and_rowspan_line_up_like_merged_cells(make_file):
    page = """<table>
      <tr><th rowspan="2">NO</th><th colspan="2">PEGAWAI</th><th rowspan=2>UNIT</th></tr>
      <tr><th>NAMA</th><th>NIP</th></tr>
      <tr><td>1</td><td>A</td><td>11</td><td>Dinas X</td></tr>
    </table>"""
    assert only_sheet(html_file(make_file, page)) == [
        (1, ("NO", "PEGAWAI", None, "UNIT")),
        (2, (None, "NAMA", "NIP")),
        (3, ("1", "A", "11", "Dinas X")),
    ]


def test_rowspan_covering_a_middle_column_shifts_later_cells(make_file):
    page = ("<table><tr><td>1</td><td rowspan=3>Dinas</td><td>A</td></tr>"
            "<tr><td>2</td><td>B</td></tr><tr><td>3</td><td>C</td></tr></table>")
    assert only_sheet(html_file(make_file, page)) == [
        (1, ("1", "Dinas", "A")), (2, ("2", None, "B")), (3, ("3", None, "C")),
    ]


def test_hostile_spans_are_bounded(make_file):
    page = '<table><tr><td colspan="999999999">a</td><td rowspan="99999999">b</td></tr><tr><td>c</td></tr></table>'
    (first, second) = only_sheet(html_file(make_file, page))
    assert len(first[1]) == 1001 and first[1][-1] == "b"
    assert second == (2, ("c",))


def test_omitted_end_tags_are_closed_as_browsers_do(make_file):
    page = "<table><tr><td>1<td>A<tr><td>2<td>B</table>"
    assert only_sheet(html_file(make_file, page)) == [(1, ("1", "A")), (2, ("2", "B"))]


def test_empty_html_rows_are_skipped_but_counted(make_file):
    page = "<table><tr><td>T</td></tr><tr><td>&nbsp;</td><td> </td></tr><tr><td>x</td></tr></table>"
    assert only_sheet(html_file(make_file, page)) == [(1, ("T",)), (3, ("x",))]


def test_nested_table_is_its_own_sheet_and_not_in_the_outer_cell(make_file):
    page = ("<table><tr><td>Laporan<table><tr><td>NIP</td><td>NAMA</td></tr>"
            "<tr><td>1</td><td>A</td></tr></table>Halaman 1</td></tr></table>")
    assert read_all(html_file(make_file, page)) == [
        [(1, ("Laporan\nHalaman 1",))],
        [(1, ("NIP", "NAMA")), (2, ("1", "A"))],
    ]


def test_script_and_style_text_is_ignored(make_file):
    page = "<table><tr><td><style>td{}</style>A<script>var x='<td>';</script></td></tr></table>"
    assert only_sheet(html_file(make_file, page)) == [(1, ("A",))]


def test_unclosed_head_does_not_hide_the_table(make_file):
    page = "<html><head><title>Data Pegawai<body><table><tr><td>A</td></tr></table>"
    assert only_sheet(html_file(make_file, page)) == [(1, ("A",))]


def test_html_in_windows_1252_is_decoded_by_its_meta(make_file):
    page = '<html><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><table><tr><td>ANDRÉ “X”</td></tr></table>'
    assert only_sheet(html_file(make_file, page, "cp1252")) == [(1, ("ANDRÉ “X”",))]


def test_html_in_utf16_is_read(make_file):
    page = "<html><table><tr><td>SITI ‘A’</td></tr></table></html>"
    assert only_sheet(make_file("x.xls", b"\xff\xfe" + page.encode("utf-16-le"))) == [(1, ("SITI ‘A’",))]


# --- limits, kinds, backends ------------------------------------------------------------------


def test_max_rows_error_says_how_to_raise_the_limit(make_file):
    path = make_file("r.csv", b"".join(b"%d;x\n" % i for i in range(1, 8)))
    with open_workbook(path, max_rows=5, limit_hint="raise the limit with ASN_ATTEST_MAX_ROWS") as workbook:
        rows = workbook.sheets[0].rows()
        with pytest.raises(DataError) as caught:
            list(rows)
    assert caught.value.message == (
        "more than 5 rows in this sheet; expected at most 5; raise the limit with ASN_ATTEST_MAX_ROWS"
    )
    assert caught.value.location.row == 6


def test_max_rows_counts_rows_with_values_only(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [["a"], [], [], ["b"]])
    assert only_sheet(path, max_rows=2) == [(1, ("a",)), (4, ("b",))]


def test_max_rows_applies_to_xlsx(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [[i] for i in range(10)])
    with pytest.raises(DataError) as caught:
        read_all(path, max_rows=3)
    assert caught.value.location.sheet == "Pegawai"
    assert "more than 3 rows" in caught.value.message


def test_max_rows_stops_an_html_table_while_parsing(make_file):
    page = "<table>" + "<tr><td>x</td></tr>" * 20 + "</table>"
    with pytest.raises(DataError) as caught:
        open_workbook(html_file(make_file, page), max_rows=10, limit_hint="hint")
    assert (caught.value.location.sheet, caught.value.location.row) == ("table 1", 11)
    assert caught.value.message.endswith("; hint")


def test_forced_kind_reads_html_as_text(make_file):
    path = make_file("x.txt", b"<b>a</b>;b\n")
    with open_workbook(path, kind=FileKind.CSV) as workbook:
        assert workbook.kind is FileKind.CSV
        assert list(workbook.sheets[0].rows()) == [(1, ("<b>a</b>", "b"))]


def test_unreadable_kinds_raise_before_any_backend(make_file):
    with pytest.raises(DataError) as caught:
        open_workbook(make_file("x.xls", b""))
    assert "empty file" in caught.value.message


def test_every_kind_has_a_backend():
    assert set(BACKENDS) == set(FileKind)


def test_a_backend_can_be_swapped_per_kind(make_file, monkeypatch):
    class Fake:
        sheets = [("only", False)]
        datemode_1904 = False
        closed = False

        def __init__(self, sample, **options):
            self.sample = sample

        def rows(self, index):
            return iter([(7, ("from fake",))])

        def close(self):
            Fake.closed = True

    monkeypatch.setitem(BACKENDS, FileKind.CSV, Fake)
    with open_workbook(make_file("r.csv", b"a;b\n")) as workbook:
        assert list(workbook.sheets[0].rows()) == [(7, ("from fake",))]
    assert Fake.closed


def test_sheet_without_a_source_has_no_rows():
    assert list(Sheet("x", False, 0).rows()) == []


def test_closing_an_xlsx_under_a_running_iteration_is_not_called_corruption(tmp_path):
    path = openpyxl_file(tmp_path / "r.xlsx", [[i] for i in range(3000)])
    workbook = open_workbook(path)
    rows = workbook.sheets[0].rows()
    next(rows)
    workbook.close()
    with pytest.raises(ValueError) as caught:
        list(rows)
    assert not isinstance(caught.value, DataError)


def test_delimiter_is_guessed_past_nul_padding(make_file):
    data = b"NO;NAMA\x00\x00\n1;A\n2;B\n"
    assert only_sheet(make_file("r.csv", data)) == [(1, ("NO", "NAMA")), (2, ("1", "A")), (3, ("2", "B"))]


# --- what every reader shares: the row limit's words, the settings, the bound on a row --------


def test_every_reader_says_how_to_raise_the_row_limit_unless_told_other_words(make_file, tmp_path):
    paths = [
        make_file("r.csv", b"".join(b"%d;x\n" % i for i in range(1, 8))),
        openpyxl_file(tmp_path / "r.xlsx", [[i] for i in range(1, 8)]),
        xlwt_file(tmp_path / "r.xls", {(r, 0): r for r in range(7)}),
        html_file(make_file, "<table>" + "<tr><td>x</td></tr>" * 7 + "</table>"),
    ]
    assert LIMIT_HINT == "raise the limit with ASN_ATTEST_MAX_ROWS=N if this file is genuine"
    for path in paths:
        with pytest.raises(DataError) as caught:
            read_all(path, max_rows=5)
        assert caught.value.message.endswith(f"expected at most 5; {LIMIT_HINT}"), path
        with pytest.raises(DataError) as caught:
            read_all(path, max_rows=5, limit_hint="other words")
        assert caught.value.message.endswith("expected at most 5; other words"), path


def test_settings_are_positive_whole_numbers_worded_alike():
    assert positive_int_from_env("X", 7, environ={}) == 7
    assert positive_int_from_env("X", 7, environ={"X": "  "}) == 7
    assert positive_int_from_env("X", 7, environ={"X": " 1_000 "}) == 1000
    assert max_rows_from_env({}) == 2_000_000
    assert max_rows_from_env({"ASN_ATTEST_MAX_ROWS": "10000"}) == 10_000
    assert max_unzipped_bytes({}) == 512 * 1024 * 1024
    assert max_unzipped_bytes({"ASN_ATTEST_MAX_UNZIPPED_MB": "3"}) == 3 * 1024 * 1024
    for parse, setting, message in (
        (max_rows_from_env, {"ASN_ATTEST_MAX_ROWS": "many"}, "ASN_ATTEST_MAX_ROWS='many' is not a whole number"),
        (max_rows_from_env, {"ASN_ATTEST_MAX_ROWS": "0"}, "ASN_ATTEST_MAX_ROWS must be positive, got 0"),
        (max_unzipped_bytes, {"ASN_ATTEST_MAX_UNZIPPED_MB": "1.5"},
         "ASN_ATTEST_MAX_UNZIPPED_MB='1.5' is not a whole number of MB"),
        (max_unzipped_bytes, {"ASN_ATTEST_MAX_UNZIPPED_MB": "-2"},
         "ASN_ATTEST_MAX_UNZIPPED_MB must be positive, got -2"),
    ):
        with pytest.raises(ConfigError) as caught:
            parse(setting)
        assert str(caught.value) == message


#: How the bound on a row's bytes found the open row before: every row tag, in order (the
#: reference the search from the end must agree with).
_EVERY_ROW_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?row(?=[\s/>])[^>]*?(/?)>")


class _EveryRowTag:
    def __init__(self) -> None:
        self.offset, self.tail, self.row_start = 0, b"", None

    def read(self, data: bytes) -> None:
        text = self.tail + data
        end = 0
        for match in _EVERY_ROW_TAG.finditer(text):
            closing, empty = match.groups()
            self.row_start = None if closing or empty else self.offset + match.start()
            end = match.end()
        cut = text.rfind(b"<", end)
        if cut < 0 or text.find(b">", cut) >= 0:
            cut = len(text)
        self.offset += cut
        self.tail = text[cut:]


_SHEET_PIECES = [
    b'<row r="1">', b"</row>", b'<row r="2" spans="1:3"/>', b'<x:row r="3">', b"</x:row>", b"<row>", b"<x:row/>",
    b'<row\n r="9" >', b'<c r="A1"><v>1</v></c>', b'<c r="B2" t="inlineStr"><is><t>Arrow row/row> x:row </t></is></c>',
    b'<rowBreaks count="1"><brk id="1"/></rowBreaks>', b"<sheetData>", b"</sheetData>",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SHEET_PIECES), max_size=40), st.lists(st.integers(1, 40), min_size=1, max_size=60))
def test_the_open_row_is_found_from_the_end_as_every_tag_in_order_finds_it(pieces, reads):
    data = b"".join(pieces)
    stream = workbook_module._BoundedStream(io.BytesIO(b""), "sheet", rows=True)
    reference = _EveryRowTag()
    position = 0
    for size in reads * (len(data) // len(reads) + 1):
        if position >= len(data):
            break
        chunk = data[position : position + size]
        position += size
        stream._track_rows(chunk)
        reference.read(chunk)
        state = (stream._row_start, stream._offset, stream._tail)
        assert state == (reference.row_start, reference.offset, reference.tail)


@pytest.mark.parametrize("filler", [b"<row ", b"< row ", b"</x:row", b"<a row>", b"<", b"<>", b"<x:row <", b"<row"])
def test_the_bound_on_a_row_costs_one_pass_over_each_read_whatever_the_bytes(filler):
    """Finding every row tag from each "<row " to the next ">" took hours for a megabyte of "<row "."""
    data = filler * (4 * 1024 * 1024 // len(filler))
    stream = workbook_module._BoundedStream(io.BytesIO(data), "sheet", rows=True)
    started = time.process_time()
    while stream.read(1024 * 1024):
        pass
    assert time.process_time() - started < 1.0


def test_a_row_too_long_is_refused_also_with_a_prefix_and_across_reads():
    cells = b'<c r="A1"><v>1</v></c>' * (5 * 1024 * 1024 // 22)
    for row in (b'<row r="1">', b'<x:row r="1">'):
        data = b"<x:worksheet><x:sheetData>" + row + cells
        stream = io.BufferedReader(workbook_module._BoundedStream(io.BytesIO(data), "sheet", rows=True))
        with pytest.raises(workbook_module._PartRefused, match=r"a row of more than 4 MiB of cells"):
            while stream.read(65536):
                pass
    closed = (b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * 1000 + b"</row>") * 500  # 11 MB of short rows
    stream = io.BufferedReader(workbook_module._BoundedStream(io.BytesIO(closed), "sheet", rows=True))
    while stream.read(65536):
        pass
