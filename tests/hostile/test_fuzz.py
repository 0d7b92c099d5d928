"""Fuzzing the three parsers every untrusted value meets first: the file sniffer (and the CSV
reader behind it), the header detector and the NIP parser.

Each property says what the parser may do with anything at all: give its answer, or raise
its one documented error, and end. Example counts are bounded (about 25 s in all on a
2-core machine), so the file runs in CI with the rest of the suite.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asn_attest.errors import DataError
from asn_attest.nip import NipStatus, parse_nip
from asn_attest.tabular.fields import ROSTER_FIELDS, SIGNSHEET_FIELDS
from asn_attest.tabular.header import HeaderNotFound, find_table
from asn_attest.tabular.kinds import FileKind, sample_file
from asn_attest.tabular.workbook import CSV_DELIMITERS, guess_delimiter, open_workbook

TODAY = datetime.date(2024, 6, 1)
FUZZ = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- the sniffer and the CSV reader -------------------------------------------------------------

#: Bytes that look like the start of each thing the sniffer tells apart, to be continued at random.
_STARTS = (
    b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"<html><table><tr><td>", b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">",
    b"NIP;NAMA;UNIT\r\n", b"NIP,NAMA\n\"", b"%PDF-1.4", b"\x00\x00",
)  # fmt: skip
_TEXTISH = st.text(alphabet=st.sampled_from(list('NIPAMU ,;|\t"\r\n\x00x1é9<>=-')), max_size=400)


@FUZZ
@given(start=st.sampled_from(_STARTS), tail=st.one_of(st.binary(max_size=600), _TEXTISH.map(str.encode)))
def test_the_sniffer_and_the_reader_answer_or_refuse_any_bytes_naming_the_file(
    tmp_path: Path, start: bytes, tail: bytes
) -> None:
    path = tmp_path / "masuk.xlsx"
    path.write_bytes(start + tail)
    try:
        sample = sample_file(path)
        assert sample.kind in FileKind
        with open_workbook(path) as book:
            for sheet in book.sheets:
                for number, values in sheet.rows():
                    assert number >= 1 and values and values[-1] is not None
                    assert "" not in values
    except DataError as exc:
        assert exc.location.file == str(path)
        assert "\n" not in str(exc)


@FUZZ
@given(st.lists(st.text(max_size=80), max_size=60))
def test_the_delimiter_guess_is_always_one_of_the_delimiters(lines: list[str]) -> None:
    assert guess_delimiter(lines) in CSV_DELIMITERS


@FUZZ
@given(
    delimiter=st.sampled_from(CSV_DELIMITERS),
    rows=st.lists(
        st.lists(st.text(alphabet=string.ascii_uppercase + string.digits + " .", min_size=1, max_size=12),
                 min_size=3, max_size=3),
        min_size=2, max_size=20,
    ),
)  # fmt: skip
def test_a_table_of_three_plain_columns_is_split_by_its_own_delimiter(delimiter: str, rows: list[list[str]]) -> None:
    lines = [delimiter.join(row) + "\r\n" for row in rows]
    assert guess_delimiter(lines) == delimiter


# --- the header detector ------------------------------------------------------------------------

_HEADER_WORDS = (
    "NIP", "NAMA", "NAMA PEGAWAI", "UNIT KERJA", "SATUAN KERJA", "JABATAN", "NO", "NO.", "GOL", "TANDA TANGAN",
    "TTD", "OPD", "Keadaan per 1 Januari 2024", "Satuan Kerja : Dinas X", "Mengetahui,", "Kepala Dinas", "JUMLAH",
    "1", "2", "3", "",
)  # fmt: skip
_CELL = st.one_of(
    st.none(),
    st.sampled_from(_HEADER_WORDS),
    st.text(max_size=30),
    st.integers(min_value=-10**19, max_value=10**19),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.sampled_from(["198503152010011001", "#N/A", "=SUM(A1)", "\ufeffNIP", "NAMA\nNIP"]),
)
_ROWS = st.lists(st.lists(_CELL, max_size=10).map(tuple), max_size=60)


def _numbered(rows: Sequence[tuple[object, ...]]) -> list[tuple[int, tuple[object, ...]]]:
    return [(number, values) for number, values in enumerate(rows, 1)]


@FUZZ
@given(rows=_ROWS, fields=st.sampled_from([ROSTER_FIELDS, SIGNSHEET_FIELDS]))
def test_the_header_detector_finds_a_table_or_says_why_and_the_rows_end(
    rows: list[tuple[object, ...]], fields: dict
) -> None:
    numbered = _numbered(rows)
    try:
        table = find_table(iter(numbered), fields, required=(), required_any=(("name", "name_nip"),))
    except HeaderNotFound as exc:
        assert str(exc) and "\n" not in str(exc)
        assert exc.row is None or 1 <= exc.row <= len(rows)
        return
    layout = table.layout
    assert "name" in layout.columns or "name_nip" in layout.columns
    assert list(layout.header_rows) == sorted(layout.header_rows)
    assert set(layout.columns) <= set(fields) | {"row_no"} or set(layout.columns) <= set(fields)
    data = list(table.rows)
    given_rows = dict(numbered)
    last = layout.numbering_row or layout.header_rows[-1]
    assert [number for number, _ in data] == sorted(number for number, _ in data)
    for number, values in data:
        assert number > last and given_rows[number] == values
    if table.footer_row is not None:
        assert all(number < table.footer_row for number, _ in data)


@FUZZ
@given(prefix=_ROWS, people=st.integers(min_value=1, max_value=20))
def test_a_plain_header_under_any_title_rows_is_found_with_all_its_people(
    prefix: list[tuple[object, ...]], people: int
) -> None:
    """Title rows of anything but data, then NIP | NAMA | UNIT KERJA and its people."""
    titles = [tuple(v for v in row[:1] if isinstance(v, str) and not any(c.isdigit() for c in v)) for row in prefix[:8]]
    header = ("NO", "NIP", "NAMA", "UNIT KERJA")
    body = [(n, f"19850315201001{n:04d}", f"PEGAWAI {chr(65 + n % 26)}{n}", "Dinas Contoh") for n in range(1, people + 1)]
    rows = _numbered([*titles, header, *body])
    table = find_table(iter(rows), ROSTER_FIELDS, required=(), required_any=(("name", "name_nip"),))
    assert table.layout.header_rows == (len(titles) + 1,)
    assert [values for _, values in table.rows] == body


# --- the NIP parser -----------------------------------------------------------------------------


@st.composite
def valid_nips(draw: st.DrawFn) -> str:
    """An 18-digit PNS or PPPK NIP whose every part is valid on :data:`TODAY`.

    Serials within 64 of a multiple of 1000 are left out: those NIPs can equal the float
    image of a number Excel rounded, and are rightly only partial (see ``asn_attest.nip``).
    """
    birth = draw(st.dates(min_value=datetime.date(1960, 1, 1), max_value=datetime.date(2000, 12, 31)))
    gender = draw(st.sampled_from("12"))
    serial = draw(st.integers(min_value=65, max_value=935))
    adult = birth.year + 18 + (1 if (birth.month, birth.day) > (1, 1) else 0)
    if draw(st.booleans()):  # PNS: TMT year and month
        year = draw(st.integers(min_value=max(adult, 1980), max_value=2023))
        middle = f"{year:04d}{draw(st.integers(min_value=1, max_value=12)):02d}"
    else:  # PPPK: appointment year, 2, contract count
        year = draw(st.integers(min_value=max(adult, 2019), max_value=2024))
        middle = f"{year:04d}2{draw(st.integers(min_value=1, max_value=9))}"
    return f"{birth:%Y%m%d}{middle}{gender}{serial:03d}"


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _written(nip: str, form: int) -> str:
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return (
        nip,
        spaced,
        spaced.replace(" ", "."),
        "'" + nip,
        "NIP. " + spaced,
        spaced.replace(" ", "\u00a0"),
        nip.translate(_FULL_WIDTH),
        f" {nip}\u200b ",
    )[form]


@FUZZ
@given(nip=valid_nips(), form=st.integers(min_value=0, max_value=7))
def test_any_valid_nip_is_recognised_full_in_every_written_form(nip: str, form: int) -> None:
    result = parse_nip(_written(nip, form), today=TODAY)
    assert result.status is NipStatus.FULL, (result.written, result.reason)
    assert result.nip is not None and result.nip.digits == nip
    again = parse_nip(str(result.nip), today=TODAY)
    assert again.status is NipStatus.FULL and again.nip == result.nip
    assert parse_nip(result.nip.spaced(), today=TODAY).nip == result.nip


@FUZZ
@given(nip=valid_nips(), position=st.integers(min_value=0, max_value=17))
def test_a_valid_nip_with_a_digit_missing_is_never_full(nip: str, position: int) -> None:
    result = parse_nip(nip[:position] + nip[position + 1 :], today=TODAY)
    assert result.status is not NipStatus.FULL


@FUZZ
@given(nip=valid_nips())
def test_a_valid_nip_stored_by_excel_as_a_number_is_never_full(nip: str) -> None:
    """Rounded to 15 digits: partial, known by those digits, when they are the NIP's own;
    when rounding carried into them, never full either."""
    result = parse_nip(float(nip), today=TODAY)
    assert result.status is not NipStatus.FULL
    if int(nip[15:]) < 500:
        assert result.status is NipStatus.PARTIAL
        assert result.prefix15 == nip[:15]


@FUZZ
@given(st.text(max_size=60))
def test_any_text_gets_a_verdict_and_a_verdict_is_stable(text: str) -> None:
    result = parse_nip(text, today=TODAY)
    assert result.status in NipStatus
    if result.status is NipStatus.FULL:
        assert parse_nip(result.nip.digits, today=TODAY).nip == result.nip
    else:
        assert result.reason


@pytest.mark.parametrize("value", ["", "-", "honorer", "NIP", None])
def test_placeholders_are_empty_not_invalid(value: object) -> None:
    assert parse_nip(value, today=TODAY).status is NipStatus.EMPTY
