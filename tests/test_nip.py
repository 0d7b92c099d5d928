from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from asn_attest.nip import (
    Nip,
    NipKind,
    NipStatus,
    ParsedNip,
    looks_like_nip,
    normalise_nip_text,
    parse_nip,
)

TODAY = datetime.date(2025, 6, 1)
PNS = "198503152010011001"  # born 1985-03-15, TMT CPNS 2010-01, male, serial 001
PPPK = "199204172023212045"  # born 1992-04-17, PPPK 2023, code 21, female, serial 045

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(value: object) -> ParsedNip:
    return parse_nip(value, today=TODAY)


def round15(n: int) -> int:
    return round(n, -3)


def is_float_image_collision(digits: str) -> bool:
    """Rule (e): the digits equal int(float(r)) for their 15-digit rounding r != n."""
    n = int(digits)
    r = round15(n)
    return r != n and int(float(r)) == n


# ------------------------------------------------------------------ decoding a good NIP


def test_plain_pns_nip_is_full_and_decoded() -> None:
    result = parse(PNS)
    assert result.status is NipStatus.FULL
    assert result.reason is None and result.prefix15 is None
    nip = result.nip
    assert nip is not None
    assert nip.kind is NipKind.PNS
    assert nip.birth_date == datetime.date(1985, 3, 15)
    assert (nip.appointed_year, nip.appointed_month) == (2010, 1)
    assert nip.appointed == (2010, 1)
    assert nip.pppk_code is None
    assert nip.gender == 1
    assert nip.serial == 1
    assert str(nip) == PNS
    assert nip.spaced() == "19850315 201001 1 001"


def test_pppk_number_is_told_apart_by_its_2x_code() -> None:
    nip = parse(PPPK).nip
    assert nip is not None
    assert nip.kind is NipKind.PPPK
    assert nip.birth_date == datetime.date(1992, 4, 17)
    assert nip.appointed == 2023
    assert nip.appointed_month is None
    assert nip.pppk_code == 21
    assert nip.gender == 2
    assert nip.serial == 45
    assert nip.spaced() == "19920417 202321 2 045"


def test_pppk_paruh_waktu_code_24_is_pppk() -> None:
    nip = parse("199204172025242045").nip
    assert nip is not None and nip.kind is NipKind.PPPK and nip.pppk_code == 24


def test_parsed_nip_helpers_expose_the_trusted_digits() -> None:
    full = parse(PNS)
    assert full.is_full and not full.is_partial
    assert full.trusted_prefix == PNS[:15]
    assert full.kind is NipKind.PNS
    assert full.birth_date == datetime.date(1985, 3, 15)
    partial = parse(int(PPPK))
    assert partial.is_partial and partial.trusted_prefix == PPPK[:15]
    assert partial.kind is NipKind.PPPK
    assert partial.birth_date == datetime.date(1992, 4, 17)
    empty = parse("-")
    assert empty.is_empty and empty.trusted_prefix is None and empty.kind is None
    invalid = parse("123")
    assert invalid.is_invalid and invalid.birth_date is None


def test_verdicts_equal_normally_built_objects() -> None:
    built = ParsedNip(
        NipStatus.FULL,
        PNS,
        Nip(PNS, NipKind.PNS, datetime.date(1985, 3, 15)),
        None,
        PNS,
        None,
    )
    assert parse(PNS) == built
    assert hash(parse(PNS)) == hash(built)
    assert parse("-") == ParsedNip(NipStatus.EMPTY, "-", None, None, None, "no NIP")


def test_nip_is_frozen() -> None:
    nip = parse(PNS).nip
    with pytest.raises(AttributeError):
        nip.digits = "x"  # type: ignore[misc, union-attr]


def test_without_today_the_clock_is_used() -> None:
    assert parse_nip(PNS).is_full
    assert parse_nip("198503152099011001").reason == "TMT 2099-01 is in the future"


def test_leap_day_birth_is_a_date_only_in_leap_years() -> None:
    assert parse("200002292020011001").is_full
    assert parse("199902292020011001").reason == "birth date 1999-02-29 is not a date"


def test_tmt_in_the_month_of_the_18th_birthday_is_accepted() -> None:
    assert parse("198503152003031001").is_full
    assert parse("198503152003021001").reason == (
        "TMT 2003-02 is before the 18th birthday (born 1985-03-15, 18 on 2003-03-15)"
    )


def test_tmt_in_the_current_month_is_accepted() -> None:
    assert parse("198503152025061001").is_full
    assert parse("198503152025071001").reason == "TMT 2025-07 is in the future"


# ------------------------------------------------------------------------ written forms


@pytest.mark.parametrize(
    "written",
    [
        "19850315 201001 1 001",
        "19850315.201001.1.001",
        "19850315-201001-1-001",
        "'198503152010011001",
        "`198503152010011001",
        "\u2019198503152010011001",
        "NIP. 198503152010011001",
        "NIP.198503152010011001",
        "nip: 19850315 201001 1 001",
        "NIP Baru 198503152010011001",
        "NIP BARU: 198503152010011001",
        "NIP 19850315 201001 1 001",
        '"198503152010011001"',
        "  198503152010011001 \t",
        "19850315\u00a0201001\u00a01\u00a0001",
        "19850315\u202f201001\u202f1\u202f001",
        "\ufeff198503152010011001",
        "1985\u200b0315\u200c2010\u200d0110\u206001",
        "１９８５０３１５２０１００１１００１",
        "١٩٨٥٠٣١٥٢٠١٠٠١١٠٠١",
        "۱۹۸۵۰۳۱۵۲۰۱۰۰۱۱۰۰۱",
        "१९८५०३१५ २०१००१ १ ००१",
        "19850315 – 201001 – 1 – 001",
        b"198503152010011001",
        Decimal("198503152010011001"),
    ],
)
def test_written_forms_of_a_nip_are_full(written: object) -> None:
    result = parse(written)
    assert result.status is NipStatus.FULL, result.reason
    assert result.nip is not None and result.nip.digits == PNS
    assert result.digits == PNS


def test_written_keeps_the_value_as_written() -> None:
    assert parse("NIP. 19850315 201001 1 001").written == "NIP. 19850315 201001 1 001"
    assert parse(1.98503152010011e17).written == "1.98503152010011e+17"
    assert parse(None).written == ""


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("NIP. 19850315 201001 1 001", PNS),
        ("'١٩٨٥٠٣١٥٢٠١٠٠١١٠٠١", PNS),
        ("NIP Baru : 19850315.201001.1.001", PNS),
        ("1985 0315 2010 O110 01", "198503152010O11001"),
        ("-", ""),
        ("1.98503152010011e+17", "198503152010011e+17"),
    ],
)
def test_normalise_nip_text_cleans_without_judging(text: str, cleaned: str) -> None:
    assert normalise_nip_text(text) == cleaned


# -------------------------------------------------------------------------- no NIP


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "-",
        "–",
        "—",
        "--",
        "0",
        "000000000000000000",
        "honorer",
        "Honorer",
        "Tenaga Honorer",
        "non asn",
        "Non-ASN",
        "NON PNS",
        "tidak ada",
        "Tidak Ada NIP",
        "belum ada",
        "n/a",
        "N/A",
        "#N/A",
        "NIP. -",
        "nan",
        "PPNPN",
        "THL",
        "kosong",
        0,
        0.0,
        float("nan"),
    ],
)
def test_placeholders_mean_no_nip(value: object) -> None:
    result = parse(value)
    assert result.status is NipStatus.EMPTY
    assert result.reason == "no NIP"
    assert result.nip is None and result.prefix15 is None


# -------------------------------------------------------------------- invalid reasons


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("19850315201001100", "17 digits (expected 18)"),
        ("1985031520100110011", "19 digits (expected 18)"),
        ("1", "1 digit (expected 18)"),
        ("123456789", "9 digits (expected 18): looks like an old 9-digit NIP (NIP lama)"),
        (
            "3201234567890001",
            "16 digits (expected 18): 16 digits is the length of a NIK (national ID), not a NIP",
        ),
        ("198513012010011001", "birth date 1985-13-01 is not a date"),
        ("198502302010011001", "birth date 1985-02-30 is not a date"),
        ("192001012010011001", "birth year 1920 is before 1930"),
        ("202601012010011001", "birth year 2026 is in the future"),
        ("198503152031011001", "TMT 2031-01 is in the future"),
        ("193503151949011001", "TMT 1949-01 is before 1950"),
        (
            "198503152000011001",
            "TMT 2000-01 is before the 18th birthday (born 1985-03-15, 18 on 2003-03-15)",
        ),
        (
            "198503152010131001",
            "digits 13-14 are 13: neither a TMT month (01-12) nor a PPPK code (21-29)",
        ),
        (
            "198503152010001001",
            "digits 13-14 are 00: neither a TMT month (01-12) nor a PPPK code (21-29)",
        ),
        (
            "198503152020201001",
            "digits 13-14 are 20: neither a TMT month (01-12) nor a PPPK code (21-29)",
        ),
        ("198503152010013001", "gender digit 3 (expected 1 or 2)"),
        ("198503152010010001", "gender digit 0 (expected 1 or 2)"),
        (
            "199204172018212045",
            "PPPK appointment year 2018 is before 2019, when PPPK appointments began",
        ),
        ("199204172026212045", "PPPK appointment year 2026 is in the future"),
        (
            "200801012025212045",
            "PPPK appointment year 2025 is before the year of the 18th birthday "
            "(born 2008-01-01)",
        ),
        ("198503152010011O01", "contains 'O' (letter) where a digit was expected"),
        ("19850315/201001/1/001", "contains '/' (punctuation) where a digit was expected"),
        ("Ahmad Fauzi", "contains 'A' (letter) where a digit was expected"),
        ("198503152010011001\x07", "contains U+0007 (control character) where a digit was expected"),
        ("19850315******1001", "masked: 6 digits hidden behind '*'"),
        ("19850315201001xxxx", "masked: 4 digits hidden behind 'x'"),
        (True, "a boolean (True) is not a NIP"),
        (datetime.date(1985, 3, 15), "a date or time is not a NIP"),
        (-198503152010011001, "a negative number (stored as a number) is not a NIP"),
        (1.5, "a number with decimals is not a NIP"),
        (float("inf"), "an infinite number is not a NIP"),
    ],
)
def test_invalid_values_say_why(value: object, reason: str) -> None:
    result = parse(value)
    assert result.status is NipStatus.INVALID
    assert result.reason == reason
    assert result.nip is None and result.prefix15 is None


def test_invalid_keeps_the_digits_found_for_the_report() -> None:
    assert parse("198503152010011O01").digits == "19850315201001101"
    assert parse("Ahmad").digits is None


def test_a_serial_of_000_is_never_full() -> None:
    # With a sane first 15 digits it is Excel damage (rule c); otherwise the first
    # problem found is reported.
    assert parse("198503152010011000").is_partial
    assert parse("198503152031011000").reason == "TMT 2031-01 is in the future"


# --------------------------------------------------------------------- float damage

NUMBER_REASON = "stored as a number: Excel destroyed the last 3 digits; only the first 15 are trusted"


def test_nip_as_an_int_cell_is_partial() -> None:
    result = parse(int(PNS))
    assert result.status is NipStatus.PARTIAL
    assert result.prefix15 == PNS[:15]
    assert result.reason == NUMBER_REASON
    assert result.nip is None
    assert result.written == PNS


def test_nip_as_a_float_cell_is_partial() -> None:
    result = parse(float(PNS))
    assert result.status is NipStatus.PARTIAL
    assert result.prefix15 == PNS[:15]
    assert result.reason == NUMBER_REASON
    assert result.digits == "198503152010011000"


@pytest.mark.parametrize(
    "written",
    ["1.98503152010011e+17", "1.98503152010011E+17", "1,98503152010011E+17", "1.98503152010011E17"],
)
def test_scientific_notation_text_is_partial(written: str) -> None:
    result = parse(written)
    assert result.status is NipStatus.PARTIAL
    assert result.prefix15 == PNS[:15]
    assert result.reason == (
        "written in scientific notation: a spreadsheet destroyed the last 3 digits; "
        "only the first 15 are trusted"
    )


@pytest.mark.parametrize("written", ["198503152010011008.0", "198503152010011001.0", "198503152010011008,00"])
def test_trailing_point_zero_is_partial(written: str) -> None:
    result = parse(written)
    assert result.status is NipStatus.PARTIAL
    assert result.prefix15 == PNS[:15]
    assert "('.0')" in (result.reason or "")


def test_text_ending_in_000_is_partial() -> None:
    result = parse("19850315 201001 1 000")
    assert result.status is NipStatus.PARTIAL
    assert result.prefix15 == PNS[:15]
    assert result.reason == "ends in 000: looks like a number rounded by Excel to 15 digits"


def test_text_equal_to_the_float_image_of_its_rounding_is_partial() -> None:
    assert is_float_image_collision("198503152010011008")
    result = parse("198503152010011008")
    assert result.status is NipStatus.PARTIAL
    assert result.prefix15 == PNS[:15]
    assert result.reason == (
        "equals the float image of 1.98503152010011e+17; possibly damaged by a "
        "spreadsheet; only the first 15 digits are trusted"
    )


def test_float_image_below_the_rounding_trusts_the_rounding_prefix() -> None:
    # Excel stored 1.98503152010042e+17 (a woman, TMT 2010-04); the float reads back as
    # 198503152010041984, whose own first 15 digits would say a man.
    image = str(int(float(198503152010042000)))
    assert image == "198503152010041984"
    for value in (image, int(image)):
        result = parse(value)
        assert result.status is NipStatus.PARTIAL
        assert result.prefix15 == "198503152010042"
    below_gender_zero = str(int(float(198503152010021000)))
    assert below_gender_zero == "198503152010020992"
    assert parse(below_gender_zero).prefix15 == "198503152010021"


def test_float_damage_with_a_bad_prefix_is_invalid() -> None:
    result = parse(198513012010011001)
    assert result.status is NipStatus.INVALID
    assert result.reason == f"birth date 1985-13-01 is not a date; also {NUMBER_REASON}"


def test_scientific_notation_with_few_digits_says_the_nip_is_lost() -> None:
    result = parse("1.97705E+17")
    assert result.status is NipStatus.INVALID
    assert result.reason.startswith("written in scientific notation with only 6 significant digits: the NIP is lost")
    assert parse("1.985e+17").reason.startswith("written in scientific notation with only 4 significant digits")


def test_a_short_number_is_invalid_not_partial() -> None:
    result = parse(19850315201001100)
    assert result.status is NipStatus.INVALID
    assert result.reason == (
        "17 digits (expected 18); stored as a number, so the remaining digits cannot "
        "be trusted either"
    )


def test_decimal_keeps_every_digit_so_only_its_text_can_show_damage() -> None:
    assert parse(Decimal(PNS)).is_full
    assert parse(Decimal("1.98503152010011E+17")).is_partial


def test_looks_like_nip_accepts_full_and_damaged_only() -> None:
    assert looks_like_nip(PNS)
    assert looks_like_nip(float(PNS))
    assert not looks_like_nip("-")
    assert not looks_like_nip("Ahmad")


# ------------------------------------------------------------------------- properties

ADULT_BY = datetime.date(TODAY.year - 18, TODAY.month, 1)


@st.composite
def valid_nips(draw: st.DrawFn) -> str:
    birth = draw(st.dates(datetime.date(1930, 1, 1), ADULT_BY))
    adult = (birth.year + 18, birth.month)
    gender = draw(st.sampled_from("12"))
    serial = draw(st.integers(1, 999))
    if draw(st.booleans()) and max(2019, birth.year + 18) <= TODAY.year:
        year = draw(st.integers(max(2019, birth.year + 18), TODAY.year))
        middle = f"{year}2{draw(st.integers(1, 9))}"
    else:
        first = max(adult, (1950, 1))
        months = (TODAY.year * 12 + TODAY.month) - (first[0] * 12 + first[1])
        index = first[0] * 12 + first[1] - 1 + draw(st.integers(0, months))
        middle = f"{index // 12:04d}{index % 12 + 1:02d}"
    return f"{birth:%Y%m%d}{middle}{gender}{serial:03d}"


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXTENDED_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def spaced(d: str, sep: str = " ") -> str:
    return sep.join((d[:8], d[8:14], d[14], d[15:]))


WRITTEN_FORMS = {
    "plain": lambda d: d,
    "spaced": spaced,
    "dotted": lambda d: spaced(d, "."),
    "hyphenated": lambda d: spaced(d, "-"),
    "apostrophe": lambda d: "'" + d,
    "nip prefix": lambda d: "NIP. " + d,
    "nip prefix spaced": lambda d: "NIP. " + spaced(d),
    "nbsp": lambda d: spaced(d, "\u00a0"),
    "narrow nbsp": lambda d: spaced(d, "\u202f"),
    "full width": lambda d: d.translate(FULL_WIDTH),
    "arabic-indic": lambda d: d.translate(ARABIC_INDIC),
    "extended arabic-indic": lambda d: spaced(d.translate(EXTENDED_ARABIC_INDIC)),
    "devanagari": lambda d: d.translate(DEVANAGARI),
    "zero width": lambda d: "\u200b".join(d[i : i + 3] for i in range(0, 18, 3)) + "\ufeff",
    "surrounding whitespace": lambda d: f" \t{d}\n ",
}


@PROPERTY
@given(valid_nips(), st.sampled_from(sorted(WRITTEN_FORMS)))
def test_every_written_form_of_a_valid_nip_is_that_nip(digits: str, form: str) -> None:
    assume(not is_float_image_collision(digits))
    written = WRITTEN_FORMS[form](digits)
    assert normalise_nip_text(written) == digits
    result = parse(written)
    assert result.status is NipStatus.FULL, result.reason
    assert result.nip is not None and result.nip.digits == digits
    assert result.nip.spaced() == spaced(digits)
    assert result.nip.kind is (NipKind.PPPK if digits[12] == "2" else NipKind.PNS)


@PROPERTY
@given(valid_nips())
def test_float_image_collisions_are_partial_never_full(digits: str) -> None:
    image = str(int(float(round15(int(digits)))))
    assume(image != str(round15(int(digits))))
    result = parse(image)
    assert result.status is not NipStatus.FULL
    if result.status is NipStatus.PARTIAL:
        assert result.prefix15 == str(round15(int(digits)))[:15]


@PROPERTY
@given(valid_nips())
def test_float_damaged_values_are_never_full(digits: str) -> None:
    n = int(digits)
    as_float = float(n)
    rounded = round15(n)
    truncated = n - n % 1000
    damaged: list[object] = [
        as_float,
        int(as_float),
        str(as_float),
        repr(as_float),
        f"{as_float:E}".replace(".", ","),
        str(rounded),
        str(truncated),
        str(int(float(rounded))),
        str(int(float(truncated))),
        float(truncated),
        str(float(truncated)),
        f"{int(as_float)}.0",
    ]
    for value in damaged:
        result = parse(value)
        assert result.status is not NipStatus.FULL, value
        assert result.status is not NipStatus.EMPTY, value


@PROPERTY
@given(valid_nips())
def test_excel_damage_keeps_the_true_first_15_digits(digits: str) -> None:
    # Excel truncates typed digits beyond the 15th and stores 15 significant digits.
    stored = float(digits[:15] + "000")
    for value in (stored, int(stored), repr(stored), str(int(stored))):
        result = parse(value)
        assert result.status is NipStatus.PARTIAL, (value, result.reason)
        assert result.prefix15 == digits[:15]


ANY_VALUE = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789 .-'eE+,NIP\u00a0\u200b٠١٢٣", max_size=30),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.binary(max_size=30),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.complex_numbers(),
    st.fractions(),
)


@settings(max_examples=1000, deadline=None)
@given(ANY_VALUE)
def test_parse_nip_never_raises_and_its_verdicts_are_consistent(value: object) -> None:
    result = parse(value)
    assert isinstance(result, ParsedNip)
    assert isinstance(result.written, str)
    if result.status is NipStatus.FULL:
        assert isinstance(result.nip, Nip)
        assert result.reason is None and result.prefix15 is None
        assert result.digits == result.nip.digits
        assert len(result.nip.digits) == 18 and result.nip.digits.isascii()
        assert parse(result.nip.spaced()).nip == result.nip
    else:
        assert result.nip is None
        assert result.reason
    if result.status is NipStatus.PARTIAL:
        prefix = result.prefix15
        assert prefix is not None and len(prefix) == 15 and prefix.isascii() and prefix.isdigit()
    else:
        assert result.prefix15 is None
    if result.digits is not None:
        assert result.digits.isascii() and result.digits.isdigit()


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text")


def test_an_object_that_cannot_become_text_is_invalid() -> None:
    result = parse(Unprintable())
    assert result.status is NipStatus.INVALID
    assert result.written == "<Unprintable>"
    assert result.reason.startswith("cannot be read as text")
