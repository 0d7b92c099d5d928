from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_attest.values import (
    clean_text,
    parse_date,
    parse_employment_type,
    parse_gender,
    parse_golongan,
    split_place_date,
)

XMAS_1986 = datetime.date(1986, 12, 25)


# ---------------------------------------------------------------------------- clean_text


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("  AHMAD   FAUZI ", "AHMAD FAUZI"),
        ("AHMAD\u00a0FAUZI", "AHMAD FAUZI"),
        ("AHMAD\u202fFAUZI", "AHMAD FAUZI"),
        ("\ufeffNAMA", "NAMA"),
        ("NA\u200bMA\u200c\u200d\u2060", "NAMA"),
        ("AHMAD\tFAUZI", "AHMAD FAUZI"),
        ("NAMA\r\nNIP", "NAMA NIP"),
        ("x\x00y\x07z\x7f", "xyz"),
        ("a\x85b", "a b"),
        ("\x9fDINAS", "DINAS"),
        ("ＤＩＮＡＳ　ＰＵ", "DINAS PU"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        (datetime.datetime(2024, 1, 2), "2024-01-02"),
        (datetime.datetime(2024, 1, 2, 3, 4), "2024-01-02 03:04:00"),
        (b"DINAS", "DINAS"),
        ("DINAS PENDIDIKAN".encode("cp1252"), "DINAS PENDIDIKAN"),
    ],
)
def test_clean_text_removes_invisible_noise(value: object, cleaned: str) -> None:
    assert clean_text(value) == cleaned


@pytest.mark.parametrize("value", [None, "", "   ", "\u200b\ufeff", "\x00", float("nan"), "\u00a0"])
def test_clean_text_of_nothing_is_none(value: object) -> None:
    assert clean_text(value) is None


def test_clean_text_keeps_line_breaks_of_combined_cells_when_asked() -> None:
    assert clean_text("AHMAD FAUZI\r\n\r\n 198503152010011001 \n", keep_newlines=True) == (
        "AHMAD FAUZI\n198503152010011001"
    )
    assert clean_text("NAMA\u2028NIP", keep_newlines=True) == "NAMA\nNIP"
    assert clean_text("NAMA\tA\x0bNIP", keep_newlines=True) == "NAMA A\nNIP"


def test_clean_text_does_not_map_dashes_to_none() -> None:
    # Only the parse_* functions read "-" as empty; text keeps it.
    assert clean_text("-") == "-"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_output_is_stable_and_trimmed(text: str) -> None:
    cleaned = clean_text(text)
    if cleaned is not None:
        assert cleaned == cleaned.strip()
        assert "  " not in cleaned and "\n" not in cleaned and "\x00" not in cleaned
        assert clean_text(cleaned) == cleaned


# ---------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "value",
    [
        "25-12-1986",
        "25/12/1986",
        "25.12.1986",
        "25 12 1986",
        "25 - 12 - 1986",
        "1986-12-25",
        "1986/12/25",
        "1986-12-25 00:00:00",
        "1986-12-25T00:00:00",
        "25-12-1986 08:30",
        "25 DEC 1986",
        "25 Dec 1986",
        "25 Desember 1986",
        "25 desember 1986",
        "25 Des 1986",
        "25-Dec-86",
        "25-Des-1986",
        "25. Desember 1986",
        "Desember 25, 1986",
        "December 25 1986",
        "Kamis, 25 Desember 1986",
        "19861225",
        "25121986",
        "31771",
        "31771.0",
        31771,
        31771.75,
        Decimal("31771"),
        19861225,
        XMAS_1986,
        datetime.datetime(1986, 12, 25, 14, 30),
    ],
)
def test_christmas_1986_in_every_written_form(value: object) -> None:
    assert parse_date(value) == XMAS_1986


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 Januari 1990", datetime.date(1990, 1, 5)),
        ("1 Pebruari 1990", datetime.date(1990, 2, 1)),
        ("14 Februari 1990", datetime.date(1990, 2, 14)),
        ("1 Maret 1990", datetime.date(1990, 3, 1)),
        ("2 Mei 1990", datetime.date(1990, 5, 2)),
        ("2 Juni 1990", datetime.date(1990, 6, 2)),
        ("2 Juli 1990", datetime.date(1990, 7, 2)),
        ("17 Agustus 1945", datetime.date(1945, 8, 17)),
        ("17 Agu 1945", datetime.date(1945, 8, 17)),
        ("17 Agt 1945", datetime.date(1945, 8, 17)),
        ("17 Ags 1945", datetime.date(1945, 8, 17)),
        ("17 Aug 1945", datetime.date(1945, 8, 17)),
        ("3 Okt 1990", datetime.date(1990, 10, 3)),
        ("3 Oct 1990", datetime.date(1990, 10, 3)),
        ("10 Nopember 1990", datetime.date(1990, 11, 10)),
        ("10 Nov 1990", datetime.date(1990, 11, 10)),
        ("05-01-1990", datetime.date(1990, 1, 5)),
        ("Jum'at, 1 Maret 2024", datetime.date(2024, 3, 1)),
        ("Senin, 12 Februari 2024", datetime.date(2024, 2, 12)),
    ],
)
def test_indonesian_and_english_month_names_and_day_first(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


def test_two_digit_years_pivot_on_the_current_year() -> None:
    this_year = datetime.date.today().year
    assert parse_date("25-12-86") == XMAS_1986
    assert parse_date(f"01-01-{this_year % 100:02d}") == datetime.date(this_year, 1, 1)
    next_yy = (this_year + 1) % 100
    assert parse_date(f"01-01-{next_yy:02d}").year == this_year + 1 - 100


def test_excel_serials_in_both_date_systems() -> None:
    assert parse_date(45292) == datetime.date(2024, 1, 1)
    # The 1904 system counts from 1904-01-01: 1462 days fewer for the same day.
    assert parse_date(43830, datemode_1904=True) == datetime.date(2024, 1, 1)
    assert parse_date("43830", datemode_1904=True) == datetime.date(2024, 1, 1)
    assert parse_date(21916) == datetime.date(1960, 1, 1)


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", "-", "\u2013", "0", 0, 0.0, "n/a", float("nan")]
    + ["0000-00-00", "0000-00-00 00:00:00", "00/01/1900"],
)
def test_empty_dates_are_none(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12/25/1986", "'12/25/1986': month 25 does not exist (dates are read day first, dd-mm-yyyy)"),
        ("31-02-1986", "'31-02-1986': February 1986 has no day 31"),
        ("29-02-1986", "'29-02-1986': February 1986 has no day 29"),
        ("25 Foo 1986", "'25 Foo 1986': 'Foo' is not a month name"),
        ("1986", "'1986' is only a year, not a date"),
        ("3000-01-01", "'3000-01-01': year 3000 is out of range (1900-2100)"),
        ("kemarin", "'kemarin' is not a date (expected e.g. 25-12-1986, 1986-12-25 or 25 Desember 1986)"),
        (
            60,
            "Excel serial 60 is 29 February 1900, a day that never existed "
            "(Excel's 1900 leap-year bug)",
        ),
        (
            12,
            "12 is not a plausible date as an Excel serial number (1900-01-12): "
            "expected a date from 1920 to 2100",
        ),
        (-5, "-5 is negative: not a date"),
        (True, "True is not a date"),
        ("99999999", "'99999999' is not a date as YYYYMMDD nor as DDMMYYYY"),
    ],
)
def test_garbage_dates_say_why(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_date(value)
    assert str(raised.value) == reason


def test_huge_numbers_are_refused_not_crashed() -> None:
    with pytest.raises(ValueError, match="plausible"):
        parse_date(1e20)
    with pytest.raises(ValueError):
        parse_date(10**400)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.decimals(), st.booleans(), st.none()))
def test_parse_date_returns_a_date_none_or_value_error(value: object) -> None:
    try:
        result = parse_date(value)
    except ValueError as error:
        assert str(error)
    else:
        assert result is None or isinstance(result, datetime.date)


@settings(max_examples=200, deadline=None)
@given(st.dates(datetime.date(1930, 1, 1), datetime.date(2099, 12, 31)))
def test_every_written_date_reads_back(day: datetime.date) -> None:
    for written in (f"{day:%d-%m-%Y}", f"{day:%Y-%m-%d}", f"{day:%d %b %Y}", f"{day:%d/%m/%Y}"):
        assert parse_date(written) == day
    serial = (day - datetime.date(1899, 12, 30)).days
    assert parse_date(serial) == day


# ---------------------------------------------------------------------- split_place_date


@pytest.mark.parametrize(
    ("value", "place", "date"),
    [
        ("BANDUNG, 25-12-1986", "BANDUNG", XMAS_1986),
        ("Kab. Garut, 25 Desember 1986", "Kab. Garut", XMAS_1986),
        ("Kota Bandung,  25 - 12 - 1986", "Kota Bandung", XMAS_1986),
        ("Kec. Cibiru, Kota Bandung, 25-12-1986", "Kec. Cibiru, Kota Bandung", XMAS_1986),
        ("Bandung, Desember 25, 1986", "Bandung", XMAS_1986),
        ("Jakarta, Kamis, 25 Desember 1986", "Jakarta", XMAS_1986),
        ("BANDUNG,25-12-1986", "BANDUNG", XMAS_1986),
        ("BANDUNG 25-12-1986", "BANDUNG", XMAS_1986),
        ("BANDUNG / 25-12-1986", "BANDUNG", XMAS_1986),
        ("25-12-1986", None, XMAS_1986),
        ("BANDUNG", "BANDUNG", None),
        ("Kab. Garut, Jawa Barat", "Kab. Garut, Jawa Barat", None),
        ("BANDUNG, 0000-00-00", "BANDUNG", None),
        ("", None, None),
        (None, None, None),
        ("-", None, None),
        (XMAS_1986, None, XMAS_1986),
        (31771, None, XMAS_1986),
    ],
)
def test_place_and_date_of_birth_are_split(value: object, place: str | None, date: datetime.date | None) -> None:
    assert split_place_date(value) == (place, date)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("BANDUNG, 31-02-1986", "'31-02-1986': February 1986 has no day 31"),
        ("BANDUNG, 25-13-1986", "'25-13-1986': month 13 does not exist (dates are read day first, dd-mm-yyyy)"),
        ("BANDUNG, 25 Foo 1986", "'25 Foo 1986': 'Foo' is not a month name"),
        ("BANDUNG 1986", "'BANDUNG 1986': no date found (expected a place and a date, e.g. 'Bandung, 25-12-1986')"),
    ],
)
def test_an_unreadable_date_part_says_why(value: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        split_place_date(value)
    assert str(raised.value) == reason


# --------------------------------------------------------------------------- parse_gender


@pytest.mark.parametrize(
    "value",
    ["L", "l", "Laki-laki", "Laki - Laki", "LAKI-LAKI", "laki laki", "Laki2", "LK", "Pria", "M", "Male", 1, "1", 1.0],
)
def test_male_spellings_are_l(value: object) -> None:
    assert parse_gender(value) == "L"


@pytest.mark.parametrize("value", ["P", "p", "Perempuan", "PEREMPUAN", "PR", "Wanita", "W", "F", "Female", 2, "2"])
def test_female_spellings_are_p(value: object) -> None:
    assert parse_gender(value) == "P"


@pytest.mark.parametrize("value", [None, "", "-", " "])
def test_blank_gender_is_none(value: object) -> None:
    assert parse_gender(value) is None


@pytest.mark.parametrize("value", ["X", "3", 3, "Laki-laki/Perempuan", True])
def test_unknown_gender_says_what_was_expected(value: object) -> None:
    with pytest.raises(ValueError, match="not a gender"):
        parse_gender(value)


# ------------------------------------------------------------------------- parse_golongan


@pytest.mark.parametrize(
    ("value", "golongan"),
    [
        ("III/a", "III/a"),
        ("III/A", "III/a"),
        ("IIIa", "III/a"),
        ("III-a", "III/a"),
        ("III a", "III/a"),
        ("3a", "III/a"),
        ("3/a", "III/a"),
        ("iii/a", "III/a"),
        ("Penata Muda (III/a)", "III/a"),
        ("Penata Muda / III/a", "III/a"),
        ("PENATA MUDA, III/a", "III/a"),
        ("Pembina Utama Muda, IV/c", "IV/c"),
        ("Pengatur Muda Tk. I (II/b)", "II/b"),
        ("II/b - Pengatur Muda Tingkat I", "II/b"),
        ("Gol. III/d", "III/d"),
        ("IV/e", "IV/e"),
        ("I/d", "I/d"),
        ("Penata Muda", "III/a"),
        ("Penata Muda Tk.I", "III/b"),
        ("Penata", "III/c"),
        ("Penata Tingkat 1", "III/d"),
        ("Pembina", "IV/a"),
        ("Pembina Utama Madya", "IV/d"),
        ("Pembina Utama", "IV/e"),
        ("Juru Muda", "I/a"),
    ],
)
def test_pns_golongan_forms_are_canonical(value: str, golongan: str) -> None:
    assert parse_golongan(value) == golongan


@pytest.mark.parametrize(
    ("value", "employment_type", "golongan"),
    [
        ("IX", None, "IX"),
        ("ix", "PPPK", "IX"),
        ("Golongan IX", None, "IX"),
        ("XVII", "P3K", "XVII"),
        ("V", None, "V"),
        ("9", "PPPK", "IX"),
        (9, "PPPK", "IX"),
        (9.0, "PPPK", "IX"),
        ("Gol 7", "Pegawai Pemerintah dengan Perjanjian Kerja", "VII"),
        ("3", "PPPK", "III"),
    ],
)
def test_pppk_golongan_is_roman(value: object, employment_type: str | None, golongan: str) -> None:
    assert parse_golongan(value, employment_type) == golongan


@pytest.mark.parametrize("value", [None, "", "-", "n/a"])
def test_blank_golongan_is_none(value: object) -> None:
    assert parse_golongan(value) is None


@pytest.mark.parametrize(
    ("value", "employment_type", "reason"),
    [
        ("III/e", None, "'III/e': golongan III has ruang a/b/c/d only, not e"),
        ("Penata Muda (III/b)", None, "'Penata Muda (III/b)': pangkat Penata Muda is III/a, not III/b"),
        ("III/a, III/b", None, "'III/a, III/b' holds more than one golongan: III/a, III/b"),
        ("III", "PNS", "'III': a PNS golongan needs its ruang letter (e.g. III/a)"),
        ("IX", "PNS", "'IX': IX is a PPPK golongan, but the row is PNS"),
        ("III/a", "PPPK", "'III/a': III/a is a PNS golongan, but the row is PPPK (I-XVII)"),
        ("Penata Muda", "PPPK", "'Penata Muda': Penata Muda is a PNS pangkat, but the row is PPPK"),
        ("18", "PPPK", "'18': PPPK golongan runs from I to XVII, not 18"),
        (
            "9",
            None,
            "'9': a number alone is a golongan only for PPPK (pass the employment type), "
            "and a PNS golongan needs its ruang letter (e.g. III/a)",
        ),
        (
            "Staf",
            None,
            "'Staf' is not a golongan (expected e.g. III/a or Penata Muda for PNS, IX for PPPK)",
        ),
    ],
)
def test_bad_golongan_says_why(value: object, employment_type: str | None, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_golongan(value, employment_type)
    assert str(raised.value) == reason


# ------------------------------------------------------------------ parse_employment_type


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("PNS", "PNS"),
        ("pns", "PNS"),
        ("CPNS", "PNS"),
        ("Pegawai Negeri Sipil", "PNS"),
        ("Calon Pegawai Negeri Sipil", "PNS"),
        ("PNS Daerah", "PNS"),
        ("PPPK", "PPPK"),
        ("P3K", "PPPK"),
        ("Pegawai Pemerintah dengan Perjanjian Kerja", "PPPK"),
        ("PPPK Paruh Waktu", "PPPK"),
        ("honorer", "NON_ASN"),
        ("Tenaga Honorer", "NON_ASN"),
        ("PPNPN", "NON_ASN"),
        ("THL", "NON_ASN"),
        ("Tenaga Harian Lepas", "NON_ASN"),
        ("tenaga pendukung", "NON_ASN"),
        ("non ASN", "NON_ASN"),
        ("Non-ASN", "NON_ASN"),
        ("NON PNS", "NON_ASN"),
        ("TKK", "NON_ASN"),
        ("Tenaga Kontrak", "NON_ASN"),
        ("GTT", "NON_ASN"),
        ("NON_ASN", "NON_ASN"),
    ],
)
def test_employment_types_are_canonical(value: str, kind: str) -> None:
    assert parse_employment_type(value) == kind


@pytest.mark.parametrize("value", [None, "", "-"])
def test_blank_employment_type_is_none(value: object) -> None:
    assert parse_employment_type(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ASN", "'ASN' could be PNS or PPPK: ASN covers both"),
        ("PNS/PPPK", "'PNS/PPPK' names more than one employment type (PPPK and PNS)"),
        (
            "Aktif",
            "'Aktif' is not an employment type (expected PNS, CPNS, PPPK/P3K, or a non-ASN "
            "kind: honorer, PPNPN, THL, tenaga pendukung, TKK, tenaga kontrak)",
        ),
    ],
)
def test_unknown_employment_type_says_why(value: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_employment_type(value)
    assert str(raised.value) == reason
