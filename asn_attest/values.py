"""Cell values from spreadsheets and CSVs, made comparable.

Every reader hands over what the file held: text with NBSPs, zero-width characters
and BOMs from copy-paste, dates as ``date`` objects, as Excel serial numbers or as text
in half a dozen Indonesian and English styles, gender and golongan in every spelling
HR offices use. These functions turn such a cell into one canonical value, return
``None`` for an empty one, and raise ``ValueError`` with a reason a user can act on
for anything else: the caller knows the file, sheet, row and column and wraps the
reason into a :class:`~asn_attest.errors.DataError`.

Conventions, chosen once for every reader:

* Dates with numbers only are read day first (``25/12/1986``, ``05-01-1990``), as
  everywhere in Indonesia; a month above 12 is an error, never a silent swap.
* Two-digit years pivot on today: ``yy`` up to this year's two digits is 20yy, above is
  19yy (in 2025: ``86`` is 1986, ``05`` is 2005). These files hold birth, appointment
  and signing dates, all in the past.
* Dates outside 1900-2100 are refused; Excel serial numbers must fall in 1920-2100,
  because a small number in a date column is a count, a code or a year, not a date of
  the 1900s. ``0``, ``0000-00-00`` (MySQL's zero date, common in PHP exports) and
  ``00/01/1900`` (Excel's display of 0, what a VLOOKUP of a blank returns) are empty.
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
import unicodedata
from decimal import Decimal

__all__ = [
    "clean_text",
    "parse_date",
    "split_place_date",
    "parse_gender",
    "parse_golongan",
    "parse_employment_type",
]


# -------------------------------------------------------------------------------- text


class _FormatCharacters(dict):
    """``str.translate`` table dropping format characters (zero-width space and
    joiners, word joiner, BOM, soft hyphen, direction marks) and turning the Unicode
    line and paragraph separators into newlines. Filled lazily per code point."""

    def __missing__(self, codepoint: int) -> int | None:
        char = chr(codepoint)
        result: int | None = codepoint
        if char in "\u2028\u2029\x85":
            result = 10
        elif unicodedata.category(char) == "Cf":
            result = None
        self[codepoint] = result
        return result


_FORMAT_TABLE = _FormatCharacters()
_LINE_BREAK_RE = re.compile(r"\r\n?|[\v\f\x1c\x1d\x1e]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_EMPTY_MARKERS = frozenset(
    {
        "-", "--", "---", "\u2013", "\u2014",
        "n/a", "na", "#n/a", "null", "none", "nan", "nat", "<na>",
    }
)


def clean_text(value: object, *, keep_newlines: bool = False) -> str | None:
    """Text of a cell with the invisible noise removed; ``None`` when nothing is left.

    NFKC (full-width letters and digits become ASCII, NBSP becomes a space), format
    characters and BOMs dropped, control characters (NUL, C0, DEL, C1) dropped, runs
    of spaces and tabs collapsed. Line breaks become spaces, unless ``keep_newlines``:
    combined cells ("NAMA" on one line, "NIP" on the next) need them, and then blank
    lines are dropped and each line is trimmed. Non-text values are written as text
    (a date as ``YYYY-MM-DD``, a whole float without ``.0``).
    """
    if value is None:
        return None
    if type(value) is str:
        text = value
        if text.isascii() and text.isprintable():
            return " ".join(text.split()) or None
    else:
        text = _as_text(value)
        if text is None:
            return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_FORMAT_TABLE)
    text = _CONTROL_RE.sub("", _LINE_BREAK_RE.sub("\n", text))
    if keep_newlines:
        lines = (" ".join(line.split()) for line in text.split("\n"))
        return "\n".join(line for line in lines if line) or None
    return " ".join(text.split()) or None


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(value).decode("cp1252", errors="replace")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
    return str(value)


def _text_or_none(value: object) -> str | None:
    """Cleaned text, ``None`` for blanks and the usual "nothing here" markers."""
    text = clean_text(value)
    if text is None or text.casefold() in _EMPTY_MARKERS:
        return None
    return text


# ------------------------------------------------------------------------------- dates

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTHS: dict[str, int] = {}
for _month, _spellings in enumerate(
    (
        "januari january jan",
        "februari pebruari february feb peb",
        "maret march mar mrt",
        "april apr",
        "mei may",
        "juni june jun",
        "juli july jul",
        "agustus august agu agt ags agst aug",
        "september sep sept",
        "oktober october okt oct",
        "november nopember nov nop",
        "desember december des dec",
    ),
    start=1,
):
    for _spelling in _spellings.split():
        _MONTHS[_spelling] = _month

_WEEKDAY_RE = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b\.?\s*[,/]?\s*",
    re.IGNORECASE,
)
_TIME = r"(?:[T ]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_DAY_FIRST_RE = re.compile(r"(\d{1,2})([-/. ])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_DAY_MONTH_NAME_RE = re.compile(r"(\d{1,2})[-/. ]*([^\W\d_]{3,})\.?[-/. ,]*(\d{4}|\d{2})")
_MONTH_NAME_FIRST_RE = re.compile(r"([^\W\d_]{3,})\.?[ -](\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_SPACED_SEPARATOR_RE = re.compile(r"\s*([-/.])\s*")
_ZERO_DATE_RE = re.compile(
    r"0{1,4}[-/.]0{1,2}[-/.]0{1,4}" + _TIME + r"|00[-/.]01[-/.]1900|1900[-/.]01[-/.]00"
)

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_MIN_SERIAL_DATE = datetime.date(1920, 1, 1)
_MAX_SERIAL_DATE = datetime.date(2100, 12, 31)
_EXCEL_EPOCH_1900 = datetime.date(1899, 12, 30)
_EXCEL_EPOCH_1904 = datetime.date(1904, 1, 1)
_EXPECTED_FORMS = "expected e.g. 25-12-1986, 1986-12-25 or 25 Desember 1986"


def parse_date(value: object, *, datemode_1904: bool = False) -> datetime.date | None:
    """A date from a cell: ``date``/``datetime``, an Excel serial number, or text.

    ``datemode_1904`` is the workbook's date system (old Mac Excel files count from
    1904). Raises ``ValueError`` with the reason when the cell holds something that is
    not a date; returns ``None`` for an empty cell.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a date")
    if isinstance(value, (numbers.Real, Decimal)):
        return _from_number(value, datemode_1904)
    text = _text_or_none(value)
    if text is None:
        return None
    return _from_text(text, datemode_1904)


def _from_number(value: numbers.Real | Decimal, datemode_1904: bool) -> datetime.date | None:
    try:
        number = float(value)
    except (OverflowError, ValueError):
        raise ValueError(f"{value} is not a date") from None
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError(f"{value} is not a date")
    if number == 0:
        return None
    if number.is_integer() and 10_000_000 <= number < 100_000_000:
        return _from_eight_digits(str(int(number)))
    return _from_serial(number, datemode_1904)


def _from_serial(number: float, datemode_1904: bool) -> datetime.date:
    shown = _show_number(number)
    if number < 0:
        raise ValueError(f"{shown} is negative: not a date")
    days = math.floor(number)
    if datemode_1904:
        epoch = _EXCEL_EPOCH_1904
    elif days == 60:
        raise ValueError(
            "Excel serial 60 is 29 February 1900, a day that never existed "
            "(Excel's 1900 leap-year bug)"
        )
    else:
        # Serials before 60 are off by one: Excel counts the fictitious 1900-02-29.
        epoch = _EXCEL_EPOCH_1900 if days > 60 else _EXCEL_EPOCH_1900 + datetime.timedelta(1)
    try:
        result = epoch + datetime.timedelta(days=days)
    except OverflowError:
        result = None
    if result is None or not _MIN_SERIAL_DATE <= result <= _MAX_SERIAL_DATE:
        when = f" ({result.isoformat()})" if result is not None else ""
        raise ValueError(
            f"{shown} is not a plausible date as an Excel serial number{when}: "
            f"expected a date from {_MIN_SERIAL_DATE.year} to {_MAX_SERIAL_DATE.year}"
        )
    return result


def _show_number(number: float) -> str:
    return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)


def _pivot_year(two_digits: int) -> int:
    this_year = datetime.date.today().year
    if two_digits <= this_year % 100:
        return this_year - this_year % 100 + two_digits
    return this_year - this_year % 100 - 100 + two_digits


def _make_date(text: str, year_text: str, month: int, day: int) -> datetime.date:
    year = int(year_text)
    if len(year_text) == 2:
        year = _pivot_year(year)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"'{text}': year {year} is out of range ({_MIN_YEAR}-{_MAX_YEAR})")
    if not 1 <= month <= 12:
        raise ValueError(
            f"'{text}': month {month} does not exist (dates are read day first, dd-mm-yyyy)"
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}': {_MONTH_NAMES[month - 1]} {year} has no day {day}") from None


def _from_eight_digits(digits: str) -> datetime.date:
    """``YYYYMMDD`` or ``DDMMYYYY``: never both valid, since a year 19xx/20xx in front
    would leave 19/20 as the month of the other reading."""
    readings = ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2]))
    for year, month, day in readings:
        try:
            return _make_date(digits, year, int(month), int(day))
        except ValueError:
            continue
    raise ValueError(f"'{digits}' is not a date as YYYYMMDD nor as DDMMYYYY")


def _from_text(text: str, datemode_1904: bool) -> datetime.date | None:
    if _ZERO_DATE_RE.fullmatch(text) or text == "0":
        return None
    compact = _SPACED_SEPARATOR_RE.sub(r"\1", _WEEKDAY_RE.sub("", text)).strip(" ,")
    match = _ISO_RE.fullmatch(compact)
    if match:
        year, month, day = match.groups()
        return _make_date(text, year, int(month), int(day))
    match = _DAY_FIRST_RE.fullmatch(compact)
    if match:
        day, _, month, year = match.groups()
        return _make_date(text, year, int(month), int(day))
    match = _DAY_MONTH_NAME_RE.fullmatch(compact)
    if match:
        day, name, year = match.groups()
        return _make_date(text, year, _month_number(text, name), int(day))
    match = _MONTH_NAME_FIRST_RE.fullmatch(compact)
    if match:
        name, day, year = match.groups()
        return _make_date(text, year, _month_number(text, name), int(day))
    if compact.isdigit() and len(compact) == 8:
        return _from_eight_digits(compact)
    if compact.isdigit() and len(compact) == 4 and _MIN_YEAR <= int(compact) <= _MAX_YEAR:
        raise ValueError(f"'{text}' is only a year, not a date")
    if _NUMBER_RE.fullmatch(compact):
        return _from_serial(float(compact.replace(",", ".")), datemode_1904)
    raise ValueError(f"'{text}' is not a date ({_EXPECTED_FORMS})")


def _month_number(text: str, name: str) -> int:
    month = _MONTHS.get(name.casefold())
    if month is None:
        raise ValueError(f"'{text}': '{name}' is not a month name")
    return month


# ------------------------------------------------------------------ place, date of birth

_TRAILING_DATE_RE = re.compile(
    r"^(?P<place>.*?)[\s/;]+(?P<date>\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
    r"\d{1,2}[ -][^\W\d_]{3,}\.?[ -]\d{2,4})$"
)
_HAS_DIGIT_RE = re.compile(r"\d")
_WEEKDAY_AT_END_RE = re.compile(
    r",\s*(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*$", re.IGNORECASE
)


def split_place_date(value: object) -> tuple[str | None, datetime.date | None]:
    """Split a "Tempat, Tanggal Lahir" cell: ``"Kab. Garut, 25 Desember 1986"`` gives
    ``("Kab. Garut", date(1986, 12, 25))``.

    The split is at the last comma followed by a date, so commas inside the place
    survive. Without a comma a trailing date is still found ("BANDUNG 25-12-1986").
    A cell with a place only gives ``(place, None)``; one with a date only
    ``(None, date)``. A date part that is there but not a date raises ``ValueError``.
    """
    if isinstance(value, (datetime.date, numbers.Real, Decimal)) and not isinstance(value, bool):
        return None, parse_date(value)
    text = _text_or_none(value)
    if text is None:
        return None, None
    commas = [index for index, char in enumerate(text) if char == ","]
    for index in reversed(commas):
        tail = text[index + 1 :].strip()
        try:
            found = parse_date(tail)
        except ValueError:
            continue
        if found is not None:
            return _place(text[:index]), found
    trailing = _TRAILING_DATE_RE.match(text)
    if trailing:
        return _place(trailing.group("place")), parse_date(trailing.group("date"))
    if not _HAS_DIGIT_RE.search(text):
        return _place(text), None
    try:
        return None, parse_date(text)
    except ValueError:
        if commas:
            tail = text[commas[-1] + 1 :].strip()
            if _HAS_DIGIT_RE.search(tail):
                parse_date(tail)  # raises the precise reason for the date part
        raise ValueError(
            f"'{text}': no date found (expected a place and a date, e.g. 'Bandung, 25-12-1986')"
        ) from None


def _place(text: str) -> str | None:
    place = _WEEKDAY_AT_END_RE.sub("", text).strip(" ,/;")
    return place or None


# ------------------------------------------------------------------------------ gender

_GENDERS = {
    "l": "L", "lk": "L", "laki": "L", "lakilaki": "L", "laki2": "L", "pria": "L",
    "m": "L", "male": "L", "man": "L", "1": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "w": "P",
    "f": "P", "female": "P", "woman": "P", "2": "P",
}
_GENDER_SQUASH_RE = re.compile(r"[\s.\-_]+")


def parse_gender(value: object) -> str | None:
    """``"L"`` (laki-laki) or ``"P"`` (perempuan), the codes of Indonesian forms.

    Accepts L/P, Laki-laki (any spacing), Pria/Wanita, Perempuan, M/F, Male/Female and
    1/2 (the NIP's gender digit).
    """
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a gender")
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if value in (1, 2):
            return "L" if value == 1 else "P"
    text = _text_or_none(value)
    if text is None:
        return None
    gender = _GENDERS.get(_GENDER_SQUASH_RE.sub("", text.casefold()))
    if gender is None:
        raise ValueError(
            f"'{text}' is not a gender (expected L/P, Laki-laki/Perempuan, Pria/Wanita, "
            "M/F or 1/2)"
        )
    return gender


# ---------------------------------------------------------------------------- golongan

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
          "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")
_PNS_ROOMS = {"I": "abcd", "II": "abcd", "III": "abcd", "IV": "abcde"}
_PANGKAT = {
    "juru muda": "I/a",
    "juru muda tingkat i": "I/b",
    "juru": "I/c",
    "juru tingkat i": "I/d",
    "pengatur muda": "II/a",
    "pengatur muda tingkat i": "II/b",
    "pengatur": "II/c",
    "pengatur tingkat i": "II/d",
    "penata muda": "III/a",
    "penata muda tingkat i": "III/b",
    "penata": "III/c",
    "penata tingkat i": "III/d",
    "pembina": "IV/a",
    "pembina tingkat i": "IV/b",
    "pembina utama muda": "IV/c",
    "pembina utama madya": "IV/d",
    "pembina utama": "IV/e",
}
# "Penata Muda Tk. I", "Penata Muda Tingkat 1": the longest pangkat name first.
_PANGKAT_RE = re.compile(
    r"\b(juru|pengatur|penata|pembina)(\s+utama)?(\s+(?:muda|madya))?"
    r"(\s+(?:tingkat|tk)\.?\s*(?:i|1)(?![a-z0-9]))?",
    re.IGNORECASE,
)
_PNS_CODE_RE = re.compile(
    r"(?<![A-Z0-9])(IV|III|II|I|[1-4])\s*[/\-.]?\s*([A-E])(?![A-Z0-9])", re.IGNORECASE
)
_PPPK_ROMAN_RE = re.compile(
    r"(?<![A-Z0-9/])(XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?![A-Z0-9/])",
    re.IGNORECASE,
)
_ARABIC_RE = re.compile(r"(?<![0-9])([0-9]{1,2})(?![0-9])")
_GOLONGAN_WORD_RE = re.compile(r"^\s*(?:gol(?:ongan)?\.?|golru|pangkat)\s*[:.]?\s*", re.IGNORECASE)
_ARABIC_TO_ROMAN_PNS = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def parse_golongan(value: object, employment_type: str | None = None) -> str | None:
    """Canonical golongan: ``"III/a"`` for a PNS, ``"IX"`` for a PPPK.

    PNS forms: III/a, III/A, IIIa, III-a, 3a, 3/a, "Penata Muda (III/a)", "Penata Muda /
    III/a", "Pembina Utama Muda, IV/c", or the pangkat name alone. A pangkat name that
    contradicts the code is an error. PPPK: Roman I..XVII; Arabic 1..17 only when
    ``employment_type`` is ``"PPPK"``, since "3" alone could be a PNS golongan with its
    letter missing. ``employment_type`` may be any spelling
    :func:`parse_employment_type` accepts; ``"NON_ASN"`` counts as unknown.
    """
    kind = parse_employment_type(employment_type) if employment_type is not None else None
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a golongan")
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = _as_text(value)
    text = _text_or_none(value)
    if text is None:
        return None
    body = _GOLONGAN_WORD_RE.sub("", text)
    from_name = _golongan_from_pangkat(body)
    codes = {
        f"{_ARABIC_TO_ROMAN_PNS.get(roman, roman.upper())}/{room.lower()}"
        for roman, room in _PNS_CODE_RE.findall(body)
    }
    if len(codes) > 1:
        raise ValueError(f"'{text}' holds more than one golongan: {', '.join(sorted(codes))}")
    if codes:
        code = codes.pop()
        roman, room = code.split("/")
        if room not in _PNS_ROOMS[roman]:
            rooms = "/".join(_PNS_ROOMS[roman])
            raise ValueError(f"'{text}': golongan {roman} has ruang {rooms} only, not {room}")
        if from_name is not None and from_name[1] != code:
            raise ValueError(f"'{text}': pangkat {from_name[0]} is {from_name[1]}, not {code}")
        if kind == "PPPK":
            raise ValueError(f"'{text}': {code} is a PNS golongan, but the row is PPPK (I-XVII)")
        return code
    if from_name is not None:
        if kind == "PPPK":
            raise ValueError(f"'{text}': {from_name[0]} is a PNS pangkat, but the row is PPPK")
        return from_name[1]
    return _pppk_golongan(text, body, kind)


def _golongan_from_pangkat(text: str) -> tuple[str, str] | None:
    """``(pangkat as written, golongan)`` when ``text`` names a pangkat."""
    match = _PANGKAT_RE.search(text)
    if not match:
        return None
    base, utama, rank, tingkat = match.groups()
    words = [base, utama, rank]
    name = " ".join(" ".join(word.split()) for word in words if word).casefold()
    if tingkat:
        name += " tingkat i"
    golongan = _PANGKAT.get(name)
    if golongan is None:
        return None
    return " ".join(match.group().split()), golongan


def _pppk_golongan(text: str, body: str, kind: str | None) -> str:
    romans = {m.upper() for m in _PPPK_ROMAN_RE.findall(body)}
    arabic = _ARABIC_RE.findall(body) if not romans else []
    leftover = _ARABIC_RE.sub("", _PPPK_ROMAN_RE.sub("", body)).strip(" ()-/.,")
    if leftover or len(romans) + len(arabic) != 1:
        raise ValueError(
            f"'{text}' is not a golongan (expected e.g. III/a or Penata Muda for PNS, "
            "IX for PPPK)"
        )
    if romans:
        roman = romans.pop()
        if kind == "PNS":
            raise ValueError(
                f"'{text}': a PNS golongan needs its ruang letter (e.g. {roman}/a)"
                if roman in _PNS_ROOMS
                else f"'{text}': {roman} is a PPPK golongan, but the row is PNS"
            )
        return roman
    number = int(arabic[0])
    if kind != "PPPK":
        raise ValueError(
            f"'{text}': a number alone is a golongan only for PPPK (pass the employment "
            "type), and a PNS golongan needs its ruang letter (e.g. III/a)"
        )
    if not 1 <= number <= 17:
        raise ValueError(f"'{text}': PPPK golongan runs from I to XVII, not {number}")
    return _ROMAN[number - 1]


# --------------------------------------------------------------------- employment type

_NON_ASN_RE = re.compile(
    r"\b(?:non|bukan)\s*(?:asn|pns)\b|\bhonor(?:er)?\b|\bppnpn\b|\bthl\b|"
    r"\btenaga harian lepas\b|\btenaga pendukung\b|\btkk\b|\bkontrak\b|\bptt\b|\bgtt\b|"
    r"\bpegawai tidak tetap\b|\bguru tidak tetap\b|\boutsourc",
)
_PPPK_RE = re.compile(r"\bp{3,4}k\b|\bp3k\b|\bperjanjian kerja\b")
_PNS_RE = re.compile(r"\bc?pns\b|\bpegawai negeri sipil\b|\bcalon pegawai negeri\b")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_CANONICAL_TYPES = {"pns": "PNS", "pppk": "PPPK", "non_asn": "NON_ASN"}


def parse_employment_type(value: object) -> str | None:
    """``"PNS"``, ``"PPPK"`` or ``"NON_ASN"``.

    PNS also covers CPNS (a candidate is counted with the PNS). PPPK covers P3K and
    PPPK Paruh Waktu. NON_ASN gathers what regions call their non-ASN staff: honorer,
    PPNPN, THL, tenaga pendukung, TKK, tenaga kontrak, PTT/GTT, "non ASN". "ASN" alone
    is refused: it means PNS or PPPK.
    """
    text = _text_or_none(value)
    if text is None:
        return None
    words = " ".join(_NON_ALNUM_RE.sub(" ", text.casefold()).split())
    canonical = _CANONICAL_TYPES.get(text.casefold().replace("-", "_").replace(" ", "_"))
    if canonical is not None:
        return canonical
    found = []
    if _NON_ASN_RE.search(words):
        found.append("NON_ASN")
        words = _NON_ASN_RE.sub(" ", words)
    if _PPPK_RE.search(words):
        found.append("PPPK")
    if _PNS_RE.search(words):
        found.append("PNS")
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValueError(f"'{text}' names more than one employment type ({' and '.join(found)})")
    if words == "asn":
        raise ValueError(f"'{text}' could be PNS or PPPK: ASN covers both")
    raise ValueError(
        f"'{text}' is not an employment type (expected PNS, CPNS, PPPK/P3K, or a non-ASN "
        "kind: honorer, PPNPN, THL, tenaga pendukung, TKK, tenaga kontrak)"
    )


_TIME_SUFFIX = re.compile(
    r"^(?P<date>.+?)[ T,]+(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AP]\.?M\.?)?"
    r"\s*(?:(?:GMT|UTC|WIB|WITA|WIT)\s*(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z)?\s*$",
    re.IGNORECASE,
)


def parse_timestamp(value: object) -> datetime.datetime | datetime.date | None:
    """A date with an optional time of day, as form exports write it.

    "12/02/2024 9:15:03" (Indonesian locale), "2024/02/12 9:15:03 AM GMT+7" (English
    locale), ISO "2024-02-12T09:15:03". The time zone is dropped: all times of one
    campaign are local. Without a time, the date alone is returned.
    """
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        match = _TIME_SUFFIX.match(value.strip())
        if match:
            day = parse_date(match["date"].strip())
            if day is None:
                return None
            hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
            ampm = (match["ampm"] or "").replace(".", "").upper()
            if ampm:
                if not 1 <= hour <= 12:
                    raise ValueError(f"{value!r}: hour {hour} with {ampm}")
                hour = hour % 12 + (12 if ampm == "PM" else 0)
            try:
                return datetime.datetime(day.year, day.month, day.day, hour, minute, second)
            except ValueError:
                raise ValueError(f"{value!r}: {hour:02d}:{minute:02d}:{second:02d} is not a time of day") from None
    return parse_date(value)
