"""python-calamine reads xlsx exactly as openpyxl does, or leaves the workbook (or the sheet) to it.

Every workbook here is opened twice through :func:`open_workbook`, once with each reader
(``ASN_ATTEST_XLSX_READER``), and the sheets, date system and rows must be equal in value and
type. The tests also say which reader read what: a workbook that python-calamine leaves to
openpyxl is still read right, but slowly, so the common shapes must stay with python-calamine.
Hostile files that would crash python-calamine itself are read in a child process.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from asn_attest.errors import ConfigError, DataError
from asn_attest.tabular import workbook
from asn_attest.tabular.kinds import sample_file
from asn_attest.tabular.workbook import XLSX_READER_ENV, open_workbook
from asn_attest.testing.evidence import write_evidence
from asn_attest.testing.kabupaten import make_kabupaten, write_kabupaten_exports
from tests.tabular.conftest import (
    MAIN,
    PACKAGE,
    RELATIONSHIPS,
    ROOT_RELATIONSHIPS,
    STRINGS_TYPE,
    build_xlsx,
    content_types,
    override,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (REPO / "sample_exports").rglob("*") if p.suffix in (".xlsx", ".xlsm"))

NIP = "198503152010011001"


# --- reading with both readers ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def default_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests choose their reader; a setting in the environment must not choose for them."""
    monkeypatch.delenv(XLSX_READER_ENV, raising=False)


TypedRow = tuple[int, tuple[tuple[type, Any], ...]]


def typed(row: tuple[int, tuple[Any, ...]]) -> TypedRow:
    """A row with each value's type beside it: True == 1 and 2.0 == 2, but they must not pass."""
    number, values = row
    return number, tuple((type(v), v) for v in values)


def snapshot(path: Path, reader: str) -> dict[str, Any]:
    """Everything a consumer sees of a workbook through ``reader``; a DataError is part of it."""
    previous = os.environ.get(XLSX_READER_ENV)
    os.environ[XLSX_READER_ENV] = reader
    try:
        with open_workbook(path) as book:
            sheets = []
            for sheet in book.sheets:
                got: list[TypedRow] = []
                try:
                    got.extend(typed(row) for row in sheet.rows())
                except DataError as exc:  # rows up to the error, then the error as a row -1
                    got.append((-1, ((DataError, exc.message),)))
                sheets.append(((sheet.name, sheet.hidden, sheet.index), got))
            return {"1904": book.datemode_1904, "sheets": sheets}
    except DataError as exc:
        return {"error": (exc.message, exc.location)}
    finally:
        if previous is None:
            os.environ.pop(XLSX_READER_ENV, None)
        else:
            os.environ[XLSX_READER_ENV] = previous


def calamine_sheets(path: Path) -> list[bool] | None:
    """Per sheet, whether python-calamine reads it; None when the workbook is left to openpyxl."""
    try:
        backend = workbook._CalamineXlsxBackend(sample_file(path))
    except workbook._UseOpenpyxl:
        return None
    with closing(backend):
        return [scan.exact for scan in backend._scans]


def assert_same_rows(path: Path) -> list[bool] | None:
    """Both readers give the same workbook; returns what python-calamine reads of it."""
    expected = snapshot(path, "openpyxl")
    assert snapshot(path, "calamine") == expected, path
    return calamine_sheets(path)


def assert_read_by_calamine(path: Path) -> None:
    routing = assert_same_rows(path)
    assert routing is not None and all(routing), (path, routing)


# --- building workbooks -----------------------------------------------------------------------


def raw_xlsx(
    path: Path,
    sheet_data: str,
    *,
    strings: Iterable[str] = (),
    styles: str | None = None,
    workbook_pr: str = "",
    before_sheet_data: str = "",
    extra: dict[str, bytes | str] | None = None,
    target: str = "worksheets/sheet1.xml",
) -> Path:
    """A one-sheet workbook written by hand: ``sheet_data`` is the inner XML of <sheetData>,
    ``strings`` the inner XML of each <si>, ``styles`` the inner XML of <styleSheet>."""
    strings = list(strings)
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": content_types(override("xl/sharedStrings.xml", STRINGS_TYPE) if strings else ""),
        "_rels/.rels": ROOT_RELATIONSHIPS,
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">{workbook_pr}'
            '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="{target}"/>'
            + (f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
               if strings else "")
            + (f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>' if styles else "")
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{MAIN}">{before_sheet_data}<sheetData>{sheet_data}</sheetData></worksheet>'
        ),
    }
    if strings:
        members["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si>{s}</si>" for s in strings) + "</sst>"
        )
    if styles is not None:
        members["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    members.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def replace_members(path: Path, **members: bytes | str) -> Path:
    """Rewrite ``path`` with some members replaced (``/`` in a name is written ``__``)."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    for key, content in members.items():
        contents[key.replace("__", "/")] = content.encode() if isinstance(content, str) else content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    return path


def date_styles(*formats: str) -> str:
    """<numFmts> and <cellXfs>: style 0 is General, style i is ``formats[i - 1]``."""
    custom = "".join(f'<numFmt numFmtId="{164 + i}" formatCode="{f}"/>' for i, f in enumerate(formats))
    xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{164 + i}"/>' for i in range(len(formats)))
    return f'<numFmts count="{len(formats)}">{custom}</numFmts><cellXfs count="{len(formats) + 1}">{xfs}</cellXfs>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def inline(ref: str, text: str, *, preserve: bool = True) -> str:
    space = ' xml:space="preserve"' if preserve else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def number(ref: str, value: object, style: int | None = None) -> str:
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


# --- every real and generated workbook ------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_exports_are_read_by_calamine_as_openpyxl_reads_them(path: Path) -> None:
    assert_read_by_calamine(path)


def test_there_are_sample_exports_to_compare() -> None:
    assert len(SAMPLES) >= 30


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The roster exports of every layout variant, the sign sheets, and the reports written
    from the sample exports (which come back as exemption lists)."""
    out = tmp_path_factory.mktemp("generated")
    kabupaten = make_kabupaten(size=400)
    for variant in range(4):
        write_kabupaten_exports(kabupaten, out / f"variant{variant}", variant=variant)
    write_evidence(kabupaten, out / "evidence")
    from asn_attest.cli import cli

    result = CliRunner().invoke(cli, [
        "reconcile", "--roster", str(REPO / "sample_exports" / "roster"),
        "--signatures", str(REPO / "sample_exports" / "signatures"), "-o", str(out / "reports"), "-q",
    ])
    assert result.exit_code == 0, result.output
    return sorted(out.rglob("*.xlsx"))


def test_generated_exports_and_reports_are_read_by_calamine_as_openpyxl_reads_them(generated: list[Path]) -> None:
    assert len(generated) > 60
    for path in generated:
        assert_read_by_calamine(path)


def test_the_tabular_fixture_builder_is_read_by_calamine_as_openpyxl_reads_it(tmp_path: Path) -> None:
    rows = {1: ["NIP", "NAMA"], 3: [NIP, "A"], 7: [None, None, "far"], 9: [1, 2.5, True, False]}
    for dimension in ("A1:A1", "B3:B3", None, "A1:C9"):
        path = tmp_path / f"{dimension}.xlsx"
        path.write_bytes(build_xlsx({"S": rows, "Lama": {2: ["x"]}}, dimension=dimension, hidden=frozenset({"Lama"})))
        assert_read_by_calamine(path)


# --- values -----------------------------------------------------------------------------------


def dated_workbook(path: Path, *, epoch: datetime.datetime | None = None) -> Path:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.append(["TGL LAHIR", "TMT", "JAM", "LAMA", "SERIAL"])
    for day in range(1, 40):
        born = datetime.datetime(1960, 1, 1) + datetime.timedelta(days=day * 397)
        duration = datetime.timedelta(hours=day * 7, seconds=day)
        sheet.append([born, born.date(), datetime.time(day % 24, day), duration, day])
        sheet.cell(sheet.max_row, 5).number_format = "dd-mm-yyyy"
    # Serial 1..60 of the 1900 system carry Excel's leap-year bug; the 1904 system starts later.
    early = datetime.datetime(1900, 3, 1) if epoch is None else datetime.datetime(1904, 1, 2)
    sheet.append([datetime.datetime(2024, 2, 14, 7, 30, 15), early, 0.0, 1.5, 59])
    for column, fmt in ((3, "hh:mm"), (4, "[h]:mm:ss"), (5, "d mmm yyyy")):
        sheet.cell(sheet.max_row, column).number_format = fmt
    book.save(path)
    return path


def test_dates_times_and_durations_come_out_as_openpyxl_gives_them(tmp_path: Path) -> None:
    assert_read_by_calamine(dated_workbook(tmp_path / "dates.xlsx"))


def test_dates_of_1904_workbooks_come_out_as_openpyxl_gives_them(tmp_path: Path) -> None:
    path = dated_workbook(tmp_path / "dates.xlsx", epoch=CALENDAR_MAC_1904)
    assert_read_by_calamine(path)
    with open_workbook(path) as opened:
        assert opened.datemode_1904


def test_fractions_of_a_second_agree_to_the_millisecond(tmp_path: Path) -> None:
    """The one known difference: both readers round to the millisecond, from different sums,
    so a fraction on a half millisecond may come out 1 ms apart."""
    serials = [45000 + i / 997 for i in range(1, 600)] + [1.5 + 1e-9, 999999.9999]
    cells = "".join(row(i, number(f"A{i}", repr(v), 1), number(f"B{i}", repr(v), 2)) for i, v in enumerate(serials, 1))
    path = raw_xlsx(tmp_path / "ms.xlsx", cells, styles=date_styles("yyyy-mm-dd hh:mm:ss.000", "[h]:mm:ss.000"))
    assert calamine_sheets(path) == [True]
    expected, got = snapshot(path, "openpyxl")["sheets"][0][1], snapshot(path, "calamine")["sheets"][0][1]
    assert [n for n, _ in got] == [n for n, _ in expected]
    for (_, want), (_, have) in zip(expected, got):
        for (want_type, a), (have_type, b) in zip(want, have):
            assert want_type is have_type and abs(a - b) <= datetime.timedelta(milliseconds=1)


@pytest.mark.parametrize(
    "value, by_calamine", [("1", True), ("true", True), ("0", True), ("false", True), ("on", False)]
)
def test_the_date_system_is_read_alike_or_left_to_openpyxl(tmp_path: Path, value: str, by_calamine: bool) -> None:
    # openpyxl takes any value but "false", "f" and "0" for 1904; python-calamine only "1" and "true".
    path = raw_xlsx(
        tmp_path / "epoch.xlsx", row(1, number("A1", 45000, 1)), styles=date_styles("dd-mm-yyyy"),
        workbook_pr=f'<workbookPr date1904="{value}"/>',
    )
    assert assert_same_rows(path) == ([True] if by_calamine else None)


def test_custom_and_builtin_date_formats_are_recognised_alike(tmp_path: Path) -> None:
    formats = [
        "dd/mm/yyyy;@", "[$-421]dd mmmm yyyy", "[$-F800]dddd, mmmm dd, yyyy", "d mmm yy", '0" hari"',
        '"Rp"#,##0', "[h]:mm:ss", "mm:ss", "hh:mm AM/PM", "yyyy-mm-dd hh:mm:ss", "DD-MM-YYYY", "[Red]dd/mm/yyyy",
        "General", "@", "0", "0.00E+00", "#,##0;[Red]-#,##0", "0.0%", "# ?/?", "mmmm", "ddd", "[m]",
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    for r, fmt in enumerate(formats, 1):
        for c, value in enumerate((45000.5, 45000, 0.25, 1.5, 60, 999999.75), 1):
            sheet.cell(r, c, value).number_format = fmt
    for builtin in range(0, 50):
        cell = sheet.cell(len(formats) + 1 + builtin, 1, 45000.75)
        cell.number_format = BUILTIN_FORMATS.get(builtin, "General")
    path = tmp_path / "formats.xlsx"
    book.save(path)
    assert_read_by_calamine(path)


def test_numbers_follow_the_int_float_rule_including_damaged_nips(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([NIP, 1.98503152010011e17, int(NIP), 2.0, 999_999_999_999_999, 10**15, 2.5, -3.0, 0, -0.0])
    sheet.append([1e-7, 1e300, 12345678901234567890, -(10**15), 0.1 + 0.2, 3, True, False])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    assert_read_by_calamine(path)
    with open_workbook(path) as opened:
        (_, first), _ = list(opened.sheets[0].rows())
    assert [type(v) for v in first[:4]] == [str, float, float, int]


def test_text_keeps_line_breaks_edge_spaces_and_unicode(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NAMA\nNIP", " AHMAD ", "SITI\u00a0RAHAYU", "Dr. H. ÉLIA, S.Pd.", "ｎｉｐ", " x ", "a\tb"])
    sheet.append(["'" + NIP])
    sheet.append(["AHMAD FAUZI\r\nNIP. " + NIP, "tab\t", "", None, "end"])
    path = tmp_path / "text.xlsx"
    book.save(path)
    assert_read_by_calamine(path)


def test_rich_text_and_phonetic_runs_read_as_their_plain_text(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "rich.xlsx",
        row(1, '<c r="A1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>1</v></c>', '<c r="C1" t="s"><v>2</v></c>')
        + row(2, '<c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>in</t></r>'
                 '<r><t xml:space="preserve">line </t></r></is></c>'),
        strings=[
            '<r><rPr><b/><color rgb="FFFF0000"/></rPr><t>NAMA</t></r><r><t xml:space="preserve"> PEGAWAI</t></r>',
            '<t>ア</t><rPh sb="0" eb="1"><t>a</t></rPh><phoneticPr fontId="0"/>',
            "<t/>",
        ],
    )
    assert_read_by_calamine(path)


def test_error_cells_yield_their_text_also_behind_a_formula(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "errors.xlsx",
        row(1, inline("A1", "NIP"), inline("B1", "NAMA"))
        + row(2, '<c r="A2" t="e"><f>VLOOKUP(B2,Lain!A:B,2,0)</f><v>#N/A</v></c>', inline("B2", "A"))
        + row(3, '<c r="A3" s="0" t="e"><v>#REF!</v></c>', '<c r="B3" t="e"><v>#DIV/0!</v></c>',
              '<c r="C3" t="e"><v>#NAME?</v></c>', '<c r="D3" t="e"><v>#NULL!</v></c>',
              '<c r="E3" t="e"><v>#NUM!</v></c>', '<c r="F3" t="e"><v>#VALUE!</v></c>')
        + row(4, '<c r="C4" t="e"><f t="shared" ref="C4:C5" si="0">1/0</f><v>#DIV/0!</v></c>')
        + row(5, '<c r="C5" t="e"><f t="shared" si="0"/><v>#DIV/0!</v></c>'),
    )
    assert_read_by_calamine(path)
    with open_workbook(path) as opened:
        assert list(opened.sheets[0].rows())[1] == (2, ("#N/A", "A"))


def test_formulas_give_their_cached_value_of_every_type(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "formulas.xlsx",
        row(1, '<c r="A1"><f>1+1</f><v>2</v></c>', '<c r="B1" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>',
            '<c r="C1" t="b"><f>TRUE()</f><v>1</v></c>', '<c r="D1"><f>A1*2</f></c>',
            '<c r="E1" t="str"><f>""</f><v></v></c>', inline("F1", "end")),
    )
    assert_read_by_calamine(path)


def test_leading_blank_rows_and_columns_and_gaps_keep_their_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["D5"] = "PEMERINTAH KABUPATEN"
    sheet["C9"] = "NIP"
    sheet["E9"] = "NAMA"
    sheet["C10"] = NIP
    sheet["F10"] = None
    sheet["C200"] = "footer"
    sheet.cell(12, 3).value = ""  # an empty string is no value
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    assert_read_by_calamine(path)
    with open_workbook(path) as opened:
        assert [number for number, _ in opened.sheets[0].rows()] == [5, 9, 10, 200]


def test_merged_cells_give_their_value_once(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "DAFTAR NOMINATIF PEGAWAI"
    sheet.merge_cells("A1:F2")
    sheet["A4"], sheet["C4"] = "IDENTITAS", "JABATAN"
    sheet.merge_cells("A4:B4")
    sheet["A5"], sheet["B5"], sheet["C5"] = "NIP", "NAMA", None
    sheet.merge_cells("C4:C5")
    sheet["A4"].alignment = Alignment(horizontal="center")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    assert_read_by_calamine(path)


def test_hidden_sheets_and_rows_and_chart_sheets_follow_the_openpyxl_policy(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Pegawai"
    book.active.append(["NIP"])
    book.active.append(["hidden row"])
    book.active.row_dimensions[2].hidden = True
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Grafik").add_chart(chart)
    lama = book.create_sheet("Lama")
    lama.append(["old"])
    lama.sheet_state = "hidden"
    rahasia = book.create_sheet("Rahasia")
    rahasia.sheet_state = "veryHidden"
    book.create_sheet("Kosong")
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    assert_read_by_calamine(path)
    with open_workbook(path) as opened:
        assert [(s.name, s.hidden) for s in opened.sheets] == [
            ("Pegawai", False), ("Lama", True), ("Rahasia", True), ("Kosong", False),
        ]
        assert list(opened.sheets[0].rows()) == [(1, ("NIP",)), (2, ("hidden row",))]


def test_a_dimension_that_claims_too_little_loses_no_row(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "dimension.xlsx",
        row(1, inline("A1", "NIP"), inline("B1", "NAMA")) + row(2, inline("A2", "1"))
        + row(500, inline("A500", "2"), inline("B500", "B")) + row(501, inline("C501", "extra")),
        before_sheet_data='<dimension ref="A1:B2"/>',
    )
    assert_read_by_calamine(path)


def test_xlsm_and_xlsx_under_another_name_are_read_by_calamine(tmp_path: Path) -> None:
    source = raw_xlsx(tmp_path / "base.xlsx", row(1, inline("A1", "NIP"), number("B1", 3)))
    for name in ("macro.xlsm", "export.xls", "export", "UPPER.XLSX"):
        path = tmp_path / name
        path.write_bytes(source.read_bytes())
        assert_read_by_calamine(path)


CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x0b\x0c\ufffe\uffff"), max_size=12)
    .filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text) and not text.startswith("=")),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    # Whole milliseconds: near a half millisecond the two readers may round 1 ms apart, the
    # known difference (test_fractions_of_a_second_agree_to_the_millisecond).
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 31)).map(
        lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    ),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.times().map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)),
    st.sampled_from(["#N/A", "#REF!", "#DIV/0!", NIP, " " + NIP, "NIP.\u00a0" + NIP]),
)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(1, 60), st.integers(1, 30)), CELL_VALUES, max_size=40))
def test_any_workbook_openpyxl_writes_reads_the_same(tmp_path_factory: pytest.TempPathFactory, cells: dict) -> None:
    book = openpyxl.Workbook()
    for (r, c), value in cells.items():
        book.active.cell(r, c, value)
    path = tmp_path_factory.mktemp("any") / "any.xlsx"
    book.save(path)
    assert_same_rows(path)


# --- what python-calamine would read differently goes to openpyxl ---------------------------


def test_escaped_characters_in_shared_strings_leave_the_workbook_to_openpyxl(tmp_path: Path) -> None:
    # openpyxl keeps "_x000D_" as it is (dropping only "x005F_"); python-calamine decodes it.
    path = raw_xlsx(
        tmp_path / "escaped.xlsx", row(1, '<c r="A1" t="s"><v>0</v></c>'), strings=["<t>AHMAD_x000D_\nNIP</t>"],
    )
    assert assert_same_rows(path) is None


def test_escaped_characters_in_a_cell_leave_that_sheet_to_openpyxl(tmp_path: Path) -> None:
    cells = row(1, inline("A1", "AHMAD_x000D_"), '<c r="B1" t="str"><v>x_x0041_</v></c>')
    path = raw_xlsx(tmp_path / "escaped.xlsx", cells)
    assert assert_same_rows(path) == [False]


@pytest.mark.parametrize("text", [" lead", "trail ", "\ttab", "line\n", "&#32;ref", "ref&#13;", "  "])
def test_unpreserved_edge_white_space_leaves_the_sheet_to_openpyxl(tmp_path: Path, text: str) -> None:
    # openpyxl itself writes a cell of spaces only without xml:space="preserve".
    path = raw_xlsx(tmp_path / "space.xlsx", row(1, inline("A1", text, preserve=False), inline("B1", "x")))
    assert assert_same_rows(path) == [False]
    shared = raw_xlsx(tmp_path / "shared.xlsx", row(1, '<c r="A1" t="s"><v>0</v></c>'), strings=[f"<t>{text}</t>"])
    assert assert_same_rows(shared) is None


def test_iso_dates_leave_the_sheet_to_openpyxl(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "iso.xlsx", row(1, '<c r="A1" t="d"><v>2020-01-02</v></c>',
                                               '<c r="B1" t="d"><v>2020-01-02T03:04:05</v></c>'))
    assert assert_same_rows(path) == [False]


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")
@pytest.mark.parametrize("value", ["-5", "-0.25", "2958466", "3000000", "198503152010011001", "1.98503152010011E+17",
                                   "0.9999999999", "1000000000"])
def test_date_formatted_numbers_out_of_range_leave_the_sheet_to_openpyxl(tmp_path: Path, value: str) -> None:
    # openpyxl: "#VALUE!" past 9999-12-31, 1899 for negatives; python-calamine: the float, or a time.
    path = raw_xlsx(
        tmp_path / "odd-date.xlsx", row(1, number("A1", value, 1), number("B1", 45000, 1), number("C1", value, 2)),
        styles=date_styles("dd-mm-yyyy", "[h]:mm:ss"),
    )
    assert assert_same_rows(path) == [False]


def test_ordinary_dates_beside_big_plain_numbers_stay_with_calamine(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "dates.xlsx",
        row(1, number("A1", 31121, 1), number("B1", "1.98503152010011E+17"), number("C1", -5), number("D1", 0.5, 2)),
        styles=date_styles("dd-mm-yyyy", "hh:mm"),
    )
    assert_read_by_calamine(path)


def test_a_default_style_with_a_date_format_leaves_the_workbook_to_openpyxl(tmp_path: Path) -> None:
    # openpyxl applies style 0 to a cell without "s"; python-calamine treats such a cell as General.
    styles = '<cellXfs count="1"><xf numFmtId="14"/></cellXfs>'
    path = raw_xlsx(tmp_path / "style0.xlsx", row(1, number("A1", 45000)), styles=styles)
    assert assert_same_rows(path) is None


def test_an_east_asian_builtin_date_format_leaves_the_workbook_to_openpyxl(tmp_path: Path) -> None:
    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="30"/></cellXfs>'
    path = raw_xlsx(tmp_path / "cjk.xlsx", row(1, number("A1", 45000, 1)), styles=styles)
    assert assert_same_rows(path) is None


def test_an_error_cell_in_an_unusual_shape_leaves_the_sheet_to_openpyxl(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "error.xlsx", row(1, '<c r="A1" t="e"><v>#N&#47;A</v></c>', inline("B1", "x")))
    assert assert_same_rows(path) == [False]


def test_a_failure_inside_calamine_hands_the_rest_of_the_sheet_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook()
    for i in range(1, 30):
        book.active.append([i, datetime.datetime(2000, 1, i % 28 + 1), f"name {i}"])
    path = tmp_path / "resume.xlsx"
    book.save(path)
    expected = snapshot(path, "openpyxl")
    calls = 0
    real = workbook._calamine_special

    def failing(value: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 10:
            raise OverflowError("as python-calamine raises for a duration beyond timedelta")
        return real(value)

    monkeypatch.setattr(workbook, "_calamine_special", failing)
    assert snapshot(path, "calamine") == expected
    assert calls == 10


def test_closing_under_a_running_calamine_iteration_is_not_called_corruption(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for i in range(100):
        book.active.append([i])
    path = tmp_path / "close.xlsx"
    book.save(path)
    opened = open_workbook(path)
    assert isinstance(opened._backend, workbook._CalamineXlsxBackend)
    rows = opened.sheets[0].rows()
    next(rows)
    opened.close()
    with pytest.raises(ValueError) as caught:
        list(rows)
    assert not isinstance(caught.value, DataError)


def test_max_rows_stops_a_calamine_sheet_at_the_same_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for i in range(10):
        book.active.append([i])
    path = tmp_path / "many.xlsx"
    book.save(path)
    with open_workbook(path, max_rows=3, limit_hint="raise the limit with ASN_ATTEST_MAX_ROWS") as opened:
        rows = opened.sheets[0].rows()
        assert [r[0] for r in (next(rows), next(rows), next(rows))] == [1, 2, 3]
        with pytest.raises(DataError) as caught:
            next(rows)
    assert caught.value.location.row == 4
    assert caught.value.message.endswith("raise the limit with ASN_ATTEST_MAX_ROWS")


# --- the reader setting -----------------------------------------------------------------------


def test_the_setting_chooses_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = raw_xlsx(tmp_path / "r.xlsx", row(1, inline("A1", "x")))
    for value, backend in (("", workbook._CalamineXlsxBackend), ("calamine", workbook._CalamineXlsxBackend),
                           (" OpenPyXL ", workbook._XlsxBackend)):
        monkeypatch.setenv(XLSX_READER_ENV, value)
        with open_workbook(path) as opened:
            assert type(opened._backend) is backend
    monkeypatch.setenv(XLSX_READER_ENV, "pandas")
    with pytest.raises(ConfigError) as caught:
        open_workbook(path)
    assert "ASN_ATTEST_XLSX_READER='pandas'" in str(caught.value) and "calamine, openpyxl" in str(caught.value)


def test_without_python_calamine_openpyxl_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "_calamine", lambda: None)
    path = raw_xlsx(tmp_path / "r.xlsx", row(1, inline("A1", "x")))
    with open_workbook(path) as opened:
        assert type(opened._backend) is workbook._XlsxBackend
        assert list(opened.sheets[0].rows()) == [(1, ("x",))]


# --- hostile files ----------------------------------------------------------------------------


def run_child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter, with the default reader: an abort there cannot
    take pytest down."""
    env = {k: v for k, v in os.environ.items() if k != XLSX_READER_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600, env=env, cwd=REPO
    )


READ_ALL = """
import sys
from asn_attest.tabular.workbook import open_workbook
with open_workbook(sys.argv[1]) as book:
    for sheet in book.sheets:
        rows = list(sheet.rows())
        print(sheet.name, len(rows), [(n, len(v), v[0], v[-1]) for n, v in rows[-2:]])
"""


CALAMINE_ALONE = "import sys, python_calamine as c; c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)"


def far_cell_workbook(path: Path) -> Path:
    return raw_xlsx(path, row(1, inline("A1", "NIP")) + row(1048576, inline("XFD1048576", "x")))


def test_python_calamine_alone_aborts_on_a_cell_at_xfd1048576(tmp_path: Path) -> None:
    """Why the scan exists: the whole process dies, there is no exception to catch."""
    path = far_cell_workbook(tmp_path / "far.xlsx")
    result = run_child(CALAMINE_ALONE, str(path))
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_a_cell_at_xfd1048576_is_read_without_crashing_or_allocating_the_sheet(tmp_path: Path) -> None:
    path = far_cell_workbook(tmp_path / "far.xlsx")
    assert calamine_sheets(path) is None
    result = run_child(READ_ALL, str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Data 2 [(1, 1, 'NIP', 'NIP'), (1048576, 16384, None, 'x')]"


def test_a_far_cell_in_a_member_only_python_calamine_would_read_is_caught(tmp_path: Path) -> None:
    """openpyxl normalises "worksheets/../worksheets/sheet1.xml", python-calamine opens the member
    of that literal name: the bomb there must be found although openpyxl never reads it."""
    cells = row(1, inline("A1", "NIP")) + row(1048576, inline("XFD1048576", "x"))
    bomb = f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'
    path = raw_xlsx(
        tmp_path / "divert.xlsx", row(1, inline("A1", "NIP")), target="worksheets/../worksheets/sheet1.xml",
        extra={"xl/worksheets/../worksheets/sheet1.xml": bomb},
    )
    assert run_child(CALAMINE_ALONE, str(path)).returncode != 0
    assert calamine_sheets(path) is None
    result = run_child(READ_ALL, str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Data 1 [(1, 1, 'NIP', 'NIP')]"


FAR = "XFD1048576"


@pytest.mark.parametrize("cells", [
    # deeper than the budget allows, even for a box exactly as wide as the first row
    row(1, *(inline(f"{c}1", c) for c in "ABCDE")) + row(1048576, inline("A1048576", "y")),
    row(1, inline("A1", "x"), inline("AAA1", "y")),  # wider than ZZ
    row(1, inline("A1", "x"), inline("ZZ1", "z")) + row(1048576, inline("A1048576", "y")),
    row(1, '<c t="inlineStr"><is><t>no reference</t></is></c>') + '<row r="1048576"><c><v>1</v></c></row>',
    row(1, '<c s="0" r="A1"><v>1</v></c>'),  # not written <c r="
    row(1, inline("A1", "x")) + f'<row r="2"><c r="A2" r="{FAR}"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + f'<row r="2"><c r="A2" s=">" r="{FAR}"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + f'<row r="2"><c r="A2"\nr = "{FAR}"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + f'<row r="2"><c\tr="{FAR}"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + f"<row r=\"2\"><c r='{FAR}'><v>1</v></c></row>",
    row(1, inline("A1", "x")) + f'<row r="2"><c t="n" r="{FAR}"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + f'<row r="2"><c r="{FAR.lower()}"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + '<row r="2"><c r="A0001048576"><v>1</v></c></row>',
    row(1, inline("A1", "x")) + f'<row r="1048576"><c r="{FAR}" s="1"/></row>',
], ids=[
    "deep", "wide", "deep and wide", "no reference", "r not first", "second r", "second r after a quoted >",
    "second r after a line break", "tab", "single quotes", "r after t", "lower case", "leading zeros", "empty far cell",
])
def test_cells_the_scan_cannot_bound_leave_the_workbook_to_openpyxl(tmp_path: Path, cells: str) -> None:
    """Most of these kill python-calamine alone; the dimension keeps openpyxl from finding
    anything wrong when it opens the workbook, so the scan alone has to."""
    path = raw_xlsx(tmp_path / "odd.xlsx", cells, before_sheet_data='<dimension ref="A1"/>')
    assert calamine_sheets(path) is None  # only then is it safe to read here
    assert snapshot(path, "calamine") == snapshot(path, "openpyxl")


def test_a_narrow_sheet_deeper_than_the_slack_allows_stays_with_calamine(tmp_path: Path) -> None:
    """Wider than its first rows, the box would hold 312,500 rows; exactly as wide, it holds them all."""
    path = raw_xlsx(tmp_path / "deep.xlsx", row(1, inline("A1", "x")) + row(400_000, inline("A400000", "y")))
    assert assert_same_rows(path) == [True]
    assert snapshot(path, "calamine")["sheets"][0][1] == [(1, ((str, "x"),)), (400_000, ((str, "y"),))]


def test_a_namespace_prefixed_cell_leaves_the_workbook_to_openpyxl(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "prefixed.xlsx", row(1, inline("A1", "x")))
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1">'
        '<x:c r="A1" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>'
    )
    replace_members(path, **{"xl__worksheets__sheet1.xml": sheet})
    assert calamine_sheets(path) is None
    assert_same_rows(path)


def test_a_sheet_in_utf16_leaves_the_workbook_to_openpyxl(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "utf16.xlsx", row(1, inline("A1", "x")))
    sheet = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        f'<worksheet xmlns="{MAIN}"><sheetData>{row(1, inline("A1", "x"))}</sheetData></worksheet>'
    )
    replace_members(path, **{"xl__worksheets__sheet1.xml": sheet.encode("utf-16")})
    assert calamine_sheets(path) is None
    assert_same_rows(path)


def refusal_whichever_reader(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """The DataError reading ``path`` gives with the reader setting unset and set to openpyxl:
    the same, or the test fails."""
    refusals = []
    for reader in (None, "openpyxl"):
        if reader is None:
            monkeypatch.delenv(XLSX_READER_ENV, raising=False)
        else:
            monkeypatch.setenv(XLSX_READER_ENV, reader)
        with pytest.raises(DataError) as caught, open_workbook(path) as book:
            for sheet in book.sheets:
                list(sheet.rows())
        refusals.append((caught.value.message, caught.value.location))
    assert refusals[0] == refusals[1]
    return refusals[0]


def test_the_box_ends_at_excels_last_row_however_narrow_the_sheet() -> None:
    pattern = workbook._odd_cell_pattern(b'<c r="A1"/>', tight=True)  # one column: the budget allows 5,000,000 rows
    assert not pattern.search(b'<c r="A1048576"/>')
    assert pattern.search(b'<c r="A1048577"/>')


def test_a_cell_below_excels_last_row_in_a_narrow_sheet_is_refused_whichever_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The box of a one-column sheet reached row 5,000,000: python-calamine read A1200000."""
    path = raw_xlsx(tmp_path / "below.xlsx", row(1, inline("A1", "NIP")) + row(1_200_000, inline("A1200000", "x")))
    assert calamine_sheets(path) is None
    message, location = refusal_whichever_reader(path, monkeypatch)
    assert message.startswith("a row numbered beyond Excel's last row (1,048,576)") and location.sheet == "Data"


def test_a_row_of_six_900_kb_cells_is_refused_whichever_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No cell passes the bound on a text, the row passes the bound on a row: the scan before
    python-calamine did not bound rows, so python-calamine read it."""
    cells = row(1, inline("A1", "NIP")) + row(2, *(inline(f"{column}2", column * 900_000) for column in "ABCDEF"))
    path = raw_xlsx(tmp_path / "heavy.xlsx", cells)
    assert calamine_sheets(path) is None
    message, location = refusal_whichever_reader(path, monkeypatch)
    assert message.startswith("a row of more than 4 MiB of cells") and location.sheet == "Data"


def test_a_member_beyond_a_bound_before_any_sheet_data_leaves_the_workbook_with_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image of zeros (a text run beyond 1 MiB) or bigger than the unzipped limit: it used to
    send the whole workbook to openpyxl, which never opens it."""
    cells = row(1, inline("A1", "NIP"), inline("B1", "NAMA")) + row(2, inline("A2", NIP), inline("B2", "ANI"))
    path = raw_xlsx(tmp_path / "media.xlsx", cells, extra={"xl/media/image1.png": bytes(3 * 1024 * 1024)})
    assert assert_same_rows(path) == [True]
    monkeypatch.setenv("ASN_ATTEST_MAX_UNZIPPED_MB", "2")
    assert assert_same_rows(path) == [True]


def test_a_sheet_beyond_the_unzipped_limit_is_refused_whichever_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = "".join(row(n, inline(f"A{n}", "x" * 100)) for n in range(1, 20_001))
    path = raw_xlsx(tmp_path / "big.xlsx", cells)
    monkeypatch.setenv("ASN_ATTEST_MAX_UNZIPPED_MB", "1")
    assert refusal_whichever_reader(path, monkeypatch)[0].startswith(
        "xl/worksheets/sheet1.xml expands to 4 MB when unzipped, more than the limit of 1 MB; "
        "raise the limit with ASN_ATTEST_MAX_UNZIPPED_MB=N (in MB)"
    )


def test_the_unzipped_limit_is_read_once_per_workbook_whichever_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also when python-calamine leaves the workbook, or one sheet, to openpyxl."""
    calls = []
    real = workbook.max_unzipped_bytes
    monkeypatch.setattr(workbook, "max_unzipped_bytes", lambda environ=None: calls.append(1) or real(environ))
    left = raw_xlsx(tmp_path / "left.xlsx", row(1, '<c r="A1" t="s"><v>0</v></c>'), strings=["<t>A_x000D_</t>"])
    one_sheet = raw_xlsx(tmp_path / "one.xlsx", row(1, inline("A1", "AHMAD_x000D_")))
    plain = raw_xlsx(tmp_path / "plain.xlsx", row(1, inline("A1", "AHMAD")))
    for path, routing in ((left, None), (one_sheet, [False]), (plain, [True])):
        for reader in ("calamine", "openpyxl"):
            calls.clear()
            snapshot(path, reader)
            assert len(calls) == 1, (path.name, reader)
        assert calamine_sheets(path) == routing


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
BOMBED_STRINGS = f'{BILLION_LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'


@pytest.mark.parametrize("part", ["shared strings", "sheet", "workbook", "styles"])
def test_entity_expansion_is_refused_as_before_in_every_part(tmp_path: Path, part: str) -> None:
    path = raw_xlsx(
        tmp_path / "bomb.xlsx", row(1, '<c r="A1" t="s"><v>0</v></c>'), strings=["<t>x</t>"],
        styles='<cellXfs count="1"><xf numFmtId="0"/></cellXfs>',
    )
    laughing_cell = row(1, inline("A1", "&lol9;"))
    members = {
        "shared strings": ("xl__sharedStrings.xml", BOMBED_STRINGS),
        "sheet": ("xl__worksheets__sheet1.xml",
                  f'{BILLION_LAUGHS}<worksheet xmlns="{MAIN}"><sheetData>{laughing_cell}</sheetData></worksheet>'),
        "workbook": ("xl__workbook.xml", f'{BILLION_LAUGHS}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                     '<sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "styles": ("xl__styles.xml", f'{BILLION_LAUGHS}<styleSheet xmlns="{MAIN}"><numFmts count="1">'
                   '<numFmt numFmtId="164" formatCode="&lol9;"/></numFmts></styleSheet>'),
    }
    name, content = members[part]
    replace_members(path, **{name: content})
    assert calamine_sheets(path) is None
    result = snapshot(path, "calamine")
    assert result == snapshot(path, "openpyxl")
    assert "error" in result or any(number == -1 for _, rows in result["sheets"] for number, _ in rows)


def test_python_calamine_does_not_expand_entities_either(tmp_path: Path) -> None:
    """Checked in a child with 2 GB of address space: an expansion would die or hang there."""
    path = raw_xlsx(tmp_path / "bomb.xlsx", row(1, '<c r="A1" t="s"><v>0</v></c>'), strings=["<t>x</t>"])
    replace_members(path, **{"xl__sharedStrings.xml": BOMBED_STRINGS})
    code = (
        "import resource, sys, python_calamine as c\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "try:\n"
        "    c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)\n"
        "except c.CalamineError as exc:\n"
        "    print('refused', type(exc).__name__)\n"
    )
    result = run_child(code, str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused")


def test_truncated_and_corrupt_sheets_fail_as_they_did(tmp_path: Path) -> None:
    good = build_xlsx({"Data": {i: [f"row {i}", i] for i in range(1, 400)}})
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    replace_members(truncated, **{"xl__worksheets__sheet1.xml": sheet[: len(sheet) // 2]})
    damaged = bytearray(good)
    start = damaged.index(b"xl/worksheets/sheet1.xml") + 40
    damaged[start : start + 200] = bytes(200)
    deflate = tmp_path / "deflate.xlsx"
    deflate.write_bytes(bytes(damaged))
    for path in (truncated, deflate):
        expected = snapshot(path, "openpyxl")
        assert snapshot(path, "calamine") == expected
        assert "error" in expected or expected["sheets"][0][1][-1][0] == -1


# --- the scan's patterns ----------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=702), st.integers(min_value=1, max_value=16384))
def test_column_pattern_matches_exactly_the_columns_up_to_its_bound(bound: int, column: int) -> None:
    pattern = re.compile(rb"(?:%s)\Z" % workbook._letters_up_to(bound))
    assert bool(pattern.match(get_column_letter(column).encode())) == (column <= bound)


@given(st.integers(min_value=1, max_value=10_000_000), st.integers(min_value=0, max_value=20_000_000))
def test_row_pattern_matches_exactly_the_numbers_up_to_its_bound(bound: int, number: int) -> None:
    pattern = re.compile(rb"(?:%s)\Z" % workbook._numbers_up_to(bound))
    assert bool(pattern.match(str(number).encode())) == (1 <= number <= bound)
    assert not pattern.match(b"0%d" % max(number, 1))


def test_the_box_is_as_wide_as_the_first_rows_and_as_deep_as_the_budget_allows() -> None:
    head = b'<sheetData><row r="1"><c r="A1"/><c r="BH1"/></row>'
    pattern = workbook._odd_cell_pattern(head)
    columns = 60 + workbook._COLUMN_SLACK
    rows = workbook.CALAMINE_CELL_BUDGET // columns
    assert not pattern.search(f'<c r="{get_column_letter(columns)}{rows}" s="1" t="s"><v>0</v></c>'.encode())
    assert not pattern.search(b'<c r="A1" t="inlineStr" /><color rgb="FF000000"/>')
    assert pattern.search(f'<c r="{get_column_letter(columns + 1)}1">'.encode())
    assert pattern.search(f'<c r="A{rows + 1}">'.encode())
    for odd in (b'<c r="A1" r="B1">', b'<c r="A1" s=">">', b"<c r='A1'>", b'<c  r="A1">', b"<c>", b'<c\tr="A1">'):
        assert pattern.search(odd), odd


def iter_pieces(data: bytes, chunk: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[bytes, bool]]:
    monkeypatch.setattr(workbook, "_CHUNK", chunk)
    stream = io.BytesIO(data)
    return workbook._pieces(stream.read(chunk), stream, b"<c ", b"</c>")


def test_pieces_never_cut_a_cell_and_cover_the_part(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = (f'<row r="{i}"><c r="A{i}" t="e"><v>#N/A</v></c><c r="B{i}"><v>{i}</v></c></row>' for i in range(1, 300))
    data = b"<sheetData>" + "".join(rows).encode() + b"</sheetData>"
    pieces = list(iter_pieces(data, 97, monkeypatch))
    assert b"".join(p for p, _ in pieces) == data
    assert all(whole for _, whole in pieces)
    assert all(p.count(b"<c ") == p.count(b"</c>") for p, _ in pieces)


def test_a_cell_longer_than_a_piece_leaves_its_sheet_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "_CHUNK", 4096)
    long_text = "".join(f"<r><t>run{i}</t></r>" for i in range(2000))  # rich text: tags all along
    cells = row(1, inline("A1", "NIP")) + row(2, f'<c r="A2" t="inlineStr"><is>{long_text}</is></c>')
    path = raw_xlsx(tmp_path / "long.xlsx", cells)
    assert not all(whole for _, whole in iter_pieces(path_member(path), 4096, monkeypatch))
    assert assert_same_rows(path) == [False]


def path_member(path: Path, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)
