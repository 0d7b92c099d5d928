"""NIP (Nomor Induk Pegawai): cleaning, validation, and spotting spreadsheet damage.

A NIP is the key that ties a roster row to a signature, so a wrong NIP is worse than
no NIP: it silently credits or blames someone else. This module therefore answers a
narrow question for every cell value it is given: is this a NIP we can trust in full
(``FULL``), one whose first 15 digits only can be trusted (``PARTIAL``), no NIP at all
(``EMPTY``), or something that cannot be a NIP (``INVALID``, with a reason a human can
act on). It never raises for bad data: 300,000 rows go through it per run and every
one of them must end up in a report.

Layout (the NIP section of the domain primer):

* PNS:  ``YYYYMMDD`` birth date, ``YYYYMM`` TMT CPNS, ``G`` gender, ``NNN`` serial.
* PPPK: ``YYYYMMDD`` birth date, ``YYYY`` appointment year, ``2x`` PPPK code (x 1-9;
  the reported "24" paruh-waktu variant included), ``G`` gender, ``NNN`` serial.

Digits 13-14 are a month (01-12) for PNS and 21-29 for PPPK, which is how the two are
told apart.

Spreadsheet damage. Excel keeps 15 significant digits of a number, so an 18-digit NIP
typed or pasted as a number loses its serial: it shows as ``198503152010011000`` and is
read back as the float ``1.98503152010011e+17`` or the integer ``198503152010011008``.
Only the first 15 digits (birth date, TMT, gender) survive. Such a value is
``PARTIAL``: never ``FULL``, whatever its digits look like, because the serial is what
tells two people with the same birth date and TMT apart. Damage is recognised when

(a) the value arrives as a number (``int``/``float``, a numeric cell);
(b) it is text in scientific notation (``1.98503152010011e+17``, ``1,98503152010011E+17``);
(c) it is 18-digit text ending in ``000`` (serial 000 does not exist; that is what Excel
    shows);
(d) it is digit text with a trailing ``.0`` (a float printed by a program);
(e) it is 18-digit text equal to the float image of its own 15-digit rounding
    (``198503152010011008``): what a program prints after reading a damaged cell.

Rule (e) has a known cost: in most runs of a thousand serials one genuine serial
(typically 008, 016, 984 or 992, depending on the other 15 digits) is exactly such a
float image, so about 1 genuine NIP in 1,300 is reported ``PARTIAL`` rather than ``FULL``.
That is accepted: a partial NIP is still matched on its 15 digits plus the name, whereas
a damaged number taken as a full NIP would be matched to the wrong person.

For rules (a), (b), (d) and (e) the trusted 15 digits are taken from the 15-significant-
digit rounding of the number when the number is the float image of that rounding (that
is what Excel stored), otherwise from its first 15 digits (Excel truncates what is typed).
A float made by a program from an exact NIP whose serial is within 16 of a multiple of
1000 can still carry into the 15th digit: no rule can undo that, and the name check of
the matcher is what catches it.

Numbers that are not 18 digits long (a truncated NIP that also went through a number)
are ``INVALID``: their first 15 digits are not known to be the first 15 of the real NIP.
"""

from __future__ import annotations

import datetime
import numbers
import re
import time
import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "NipKind",
    "NipStatus",
    "Nip",
    "ParsedNip",
    "parse_nip",
    "normalise_nip_text",
    "looks_like_nip",
]


class NipKind(str, Enum):
    """Which kind of ASN a NIP belongs to, read from digits 13-14."""

    PNS = "PNS"
    PPPK = "PPPK"


_PNS = NipKind.PNS
_PPPK = NipKind.PPPK


class NipStatus(str, Enum):
    """How far a written NIP can be trusted."""

    FULL = "full"
    PARTIAL = "partial"
    INVALID = "invalid"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Nip:
    """A NIP that passed every check.

    Only what :func:`parse_nip` decoded on the way is stored; the other fields are
    read from ``digits`` on demand, which keeps parsing 300,000 rows cheap. Build one
    with :func:`parse_nip`, not by hand: the constructor does not validate.
    """

    digits: str
    kind: NipKind
    birth_date: datetime.date

    @property
    def appointed_year(self) -> int:
        """Year of TMT CPNS (PNS) or of appointment (PPPK): digits 9-12."""
        return int(self.digits[8:12])

    @property
    def appointed_month(self) -> int | None:
        """Month of TMT CPNS for a PNS; ``None`` for a PPPK, whose number has no month."""
        if self.kind is NipKind.PPPK:
            return None
        return int(self.digits[12:14])

    @property
    def pppk_code(self) -> int | None:
        """Digits 13-14 (21-29) of a PPPK number; ``None`` for a PNS."""
        if self.kind is NipKind.PPPK:
            return int(self.digits[12:14])
        return None

    @property
    def appointed(self) -> tuple[int, int] | int:
        """``(year, month)`` of TMT CPNS for a PNS, the appointment year for a PPPK."""
        month = self.appointed_month
        if month is None:
            return self.appointed_year
        return (self.appointed_year, month)

    @property
    def gender(self) -> int:
        """1 male, 2 female (digit 15)."""
        return int(self.digits[14])

    @property
    def serial(self) -> int:
        """Digits 16-18, 1-999."""
        return int(self.digits[15:])

    def spaced(self) -> str:
        """The 8-6-1-3 grouping people read and type: ``19850315 201001 1 001``."""
        d = self.digits
        return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"

    def __str__(self) -> str:
        return self.digits


@dataclass(frozen=True, slots=True)
class ParsedNip:
    """The verdict on one written NIP.

    ``written`` is the value as the user wrote it (``str(value)`` for numbers) so a
    report can quote it; ``digits`` the ASCII digits found in it (for a number, the
    digits of the number), ``None`` when there are none. ``nip`` is set only when
    ``FULL``, ``prefix15`` only when ``PARTIAL``, ``reason`` whenever not ``FULL``.
    """

    status: NipStatus
    written: str
    nip: Nip | None
    prefix15: str | None
    digits: str | None
    reason: str | None

    @property
    def is_full(self) -> bool:
        return self.status is NipStatus.FULL

    @property
    def is_partial(self) -> bool:
        return self.status is NipStatus.PARTIAL

    @property
    def is_empty(self) -> bool:
        return self.status is NipStatus.EMPTY

    @property
    def is_invalid(self) -> bool:
        return self.status is NipStatus.INVALID

    @property
    def trusted_prefix(self) -> str | None:
        """The 15 digits (birth date, TMT/PPPK code, gender) that can be matched on."""
        if self.nip is not None:
            return self.nip.digits[:15]
        return self.prefix15

    @property
    def kind(self) -> NipKind | None:
        """PNS or PPPK when the trusted digits tell; ``None`` for EMPTY/INVALID."""
        prefix = self.trusted_prefix
        if prefix is None:
            return None
        return NipKind.PPPK if prefix[12] == "2" else NipKind.PNS

    @property
    def birth_date(self) -> datetime.date | None:
        """Birth date from the trusted digits (a matcher can check it against the roster)."""
        prefix = self.trusted_prefix
        if prefix is None:
            return None
        return _calendar_date(prefix[:8])


# --------------------------------------------------------------------------- cleaning

# Fixed-width digit strings: the checks compare them as text.
_MIN_BIRTH_YEAR = "1930"
_MIN_TMT_YEAR = "1950"
_MIN_PPPK_YEAR = "2019"
_MAX_DIGITS_SHOWN = 40

_APOSTROPHES = "'`\u2018\u2019\u00b4\u02bc"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

# Leading apostrophe (Excel's text marker) and "NIP", "NIP.", "NIP:", "NIP Baru", ...
_PREFIX_RE = re.compile(
    "^(?:[" + re.escape(_APOSTROPHES) + r"]|NIP(?:[\s.]*BARU)?[\s.:]*)",
    re.IGNORECASE,
)
# The written forms seen most (spaced 8-6-1-3, dotted, hyphenated, apostrophe, "NIP."
# prefix) in plain ASCII: one match instead of the general cleaning.
_COMMON_FORM_RE = re.compile(
    r"[ \t]*'?(?:NIP[.:]?[ \t]*)?([0-9]{8})[ .-]?([0-9]{6})[ .-]?([0-9])[ .-]?([0-9]{3})[ \t]*",
    re.IGNORECASE,
)
_QUOTED_RE = re.compile(r'^["\u201c\u201d](.*)["\u201c\u201d]$', re.DOTALL)
_SEPARATORS_RE = re.compile("[\\s" + re.escape("." + _HYPHENS) + "]+")
_SCIENTIFIC_RE = re.compile(r"^([0-9]+)(?:[.,]([0-9]*))?[eE]\+?([0-9]{1,2})$")
_TRAILING_ZERO_DECIMAL_RE = re.compile(r"^([0-9]+)[.,]0+$")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
_MASK_CHARS = frozenset("*xX#?\u2022\u25cf\u00d7")

_PLACEHOLDERS = frozenset(
    {
        "honorer", "honor", "tenagahonorer", "nonasn", "nonpns", "bukanasn", "bukanpns",
        "tidakada", "tidakadanip", "belumada", "belumadanip", "tidakpunya", "belumpunya",
        "kosong", "nihil", "n/a", "na", "#n/a", "none", "null", "nil", "nan", "<na>",
        "nat", "ppnpn", "thl", "tkk", "ptt", "gtt", "kontrak", "tenagakontrak",
        "tenagapendukung", "/", "?", "—",
    }
)
_PLACEHOLDER_WORD_RE = re.compile(
    r"honor|\bnon\b|\bnon[- ]?(?:asn|pns)|tidak\s+ada|belum|kosong|ppnpn|\bthl\b|"
    r"\btkk\b|kontrak|pendukung",
    re.IGNORECASE,
)


class _DigitTable(dict):
    """``str.translate`` table: other scripts' decimal digits to ASCII, format
    characters (zero-width space/joiners, BOM, soft hyphen, direction marks) removed.

    Filled lazily, one code point at a time, so importing the module stays cheap.
    """

    def __missing__(self, codepoint: int) -> int | None:
        char = chr(codepoint)
        category = unicodedata.category(char)
        result: int | None
        if category == "Nd":
            result = 48 + unicodedata.decimal(char)
        elif category == "Cf":
            result = None
        else:
            result = codepoint
        self[codepoint] = result
        return result


_DIGIT_TABLE = _DigitTable()


def _prepare(text: str) -> str:
    """NFKC, ASCII digits, no format characters, no prefix/apostrophe/quotes.

    Separators are still in place: scientific notation and ``.0`` are recognised on
    this form, before the dots go.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DIGIT_TABLE)
    text = text.strip()
    quoted = _QUOTED_RE.match(text)
    if quoted:
        text = quoted.group(1).strip()
    for _ in range(3):
        stripped = _PREFIX_RE.sub("", text, count=1).lstrip()
        if stripped == text:
            break
        text = stripped
    return "".join(text.split())


def normalise_nip_text(text: str) -> str:
    """The cleaning step alone: what is left of ``text`` once the noise people and
    spreadsheets add around a NIP is gone.

    Applies NFKC (full-width digits become ASCII), turns Arabic-Indic, Devanagari and
    other decimal digits into ASCII, drops zero-width characters and BOMs, a leading
    apostrophe or backtick, a leading ``NIP``/``NIP.``/``NIP:``/``NIP Baru`` and all
    spaces (NBSP included), dots and hyphens. The result may still hold non-digits:
    judging it is :func:`parse_nip`'s job.
    """
    return _SEPARATORS_RE.sub("", _prepare(text))


# ------------------------------------------------------------------------- validation


@lru_cache(maxsize=65536)
def _calendar_date(yyyymmdd: str) -> datetime.date | None:
    try:
        return datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def _eighteenth_birthday(birth: datetime.date) -> datetime.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # born 29 February
        return datetime.date(birth.year + 18, 3, 1)


@lru_cache(maxsize=65536)
def _birth(yyyymmdd: str) -> tuple[datetime.date, str, str] | None:
    """Birth date, and the year and ``YYYYMM`` of the 18th birthday as digit strings.

    Cached: a roster has far fewer birth dates than rows, and the checks below then
    compare fixed-width digit strings instead of converting to numbers.
    """
    birth = _calendar_date(yyyymmdd)
    if birth is None:
        return None
    adult_year = f"{birth.year + 18:04d}"
    return (birth, adult_year, adult_year + yyyymmdd[4:6])


class _Clock(NamedTuple):
    """Today as the digit strings the checks compare with."""

    year: str
    year_month: str


@lru_cache(maxsize=64)
def _clock(today: datetime.date) -> _Clock:
    return _Clock(f"{today.year:04d}", f"{today.year:04d}{today.month:02d}")


def _check_head(d: str, clock: _Clock) -> tuple[NipKind, datetime.date] | str:
    """Check the first 15 digits of ``d``; return ``(kind, birth date)`` or a reason.

    Runs for every row, so it compares fixed-width digit strings (``"2010" < "2031"``
    orders like the numbers) and builds a reason only on failure.
    """
    birth_info = _birth(d[:8])
    if birth_info is None:
        return f"birth date {d[:4]}-{d[4:6]}-{d[6:8]} is not a date"
    birth, adult_year, adult_year_month = birth_info
    birth_year = d[:4]
    if birth_year < _MIN_BIRTH_YEAR:
        return f"birth year {birth_year} is before {_MIN_BIRTH_YEAR}"
    if birth_year > clock.year:
        return f"birth year {birth_year} is in the future"
    year = d[8:12]
    code = d[12:14]
    if code[0] == "2" and code[1] != "0":
        if year < _MIN_PPPK_YEAR:
            return (
                f"PPPK appointment year {year} is before {_MIN_PPPK_YEAR}, "
                "when PPPK appointments began"
            )
        if year > clock.year:
            return f"PPPK appointment year {year} is in the future"
        if year < adult_year:
            return (
                f"PPPK appointment year {year} is before the year of the 18th birthday "
                f"(born {birth.isoformat()})"
            )
        kind = _PPPK
    elif "01" <= code <= "12":
        if year < _MIN_TMT_YEAR:
            return f"TMT {year}-{code} is before {_MIN_TMT_YEAR}"
        year_month = d[8:14]
        if year_month > clock.year_month:
            return f"TMT {year}-{code} is in the future"
        if year_month < adult_year_month:
            return (
                f"TMT {year}-{code} is before the 18th birthday "
                f"(born {birth.isoformat()}, 18 on {_eighteenth_birthday(birth).isoformat()})"
            )
        kind = _PNS
    else:
        return (
            f"digits 13-14 are {code}: neither a TMT month (01-12) "
            "nor a PPPK code (21-29)"
        )
    gender = d[14]
    if gender == "1" or gender == "2":
        return (kind, birth)
    return f"gender digit {gender} (expected 1 or 2)"


# An 18-digit number n is the float image of its 15-digit rounding r only when it lies
# within half a float step of r: 16 below 2**58, 64 below 10**18. Serials further than
# that from a multiple of 1000 are skipped without arithmetic.
_IMAGE_REACH = 64


def _float_image_of_rounding(n: int) -> int | None:
    """The 15-digit rounding ``r`` of ``n`` when ``n`` is exactly ``int(float(r))`` but
    not ``r`` itself, i.e. when ``n`` looks like a damaged cell printed by a program."""
    m = n % 1000
    if m == 0 or _IMAGE_REACH < m < 1000 - _IMAGE_REACH:
        return None
    r = n - m if m < 500 else n - m + 1000
    if int(float(r)) == n:
        return r
    return None


def _trusted_digits_of_number(n: int) -> str:
    """The digits whose first 15 are trusted, for an 18-digit number that went through
    a float: its 15-digit rounding if ``n`` is that rounding's float image (what Excel
    stored), else ``n`` itself (Excel truncates typed digits)."""
    r = _float_image_of_rounding(n)
    return str(r if r is not None else n)


# --------------------------------------------------------------------------- verdicts

_FULL = NipStatus.FULL
_PARTIAL = NipStatus.PARTIAL
_INVALID = NipStatus.INVALID
_EMPTY = NipStatus.EMPTY
_EMPTY_REASON = "no NIP"
_NUMBER_REASON = (
    "stored as a number: Excel destroyed the last 3 digits; only the first 15 are trusted"
)


def slot_setters(cls: type) -> tuple:
    """The slot setters of a dataclass's fields, in field order: what fills a frozen,
    slotted record without its generated ``__init__`` (see below; names and matching
    build their per-row records the same way)."""
    return tuple(cls.__dict__[field.name].__set__ for field in fields(cls))


# The __init__ that dataclass generates for a frozen class pays object.__setattr__
# per field: over half the cost of a fast-path parse. These build the same frozen
# objects by filling their slots directly (a new field makes the unpacking below fail
# loudly rather than leave a slot unset).
_NIP_SLOTS = slot_setters(Nip)
_VERDICT_SLOTS = slot_setters(ParsedNip)


def _verdict(
    status: NipStatus,
    written: str,
    nip: Nip | None,
    prefix15: str | None,
    digits: str | None,
    reason: str | None,
) -> ParsedNip:
    result = object.__new__(ParsedNip)
    set_status, set_written, set_nip, set_prefix15, set_digits, set_reason = _VERDICT_SLOTS
    set_status(result, status)
    set_written(result, written)
    set_nip(result, nip)
    set_prefix15(result, prefix15)
    set_digits(result, digits)
    set_reason(result, reason)
    return result


def _full(written: str, d: str, head: tuple[NipKind, datetime.date]) -> ParsedNip:
    nip = object.__new__(Nip)
    set_digits, set_kind, set_birth_date = _NIP_SLOTS
    set_digits(nip, d)
    set_kind(nip, head[0])
    set_birth_date(nip, head[1])
    return _verdict(_FULL, written, nip, None, d, None)


def restore(
    status: NipStatus,
    written: str,
    prefix15: str | None,
    digits: str | None,
    reason: str | None,
    kind: NipKind | None = None,
    birth_date: datetime.date | None = None,
) -> ParsedNip:
    """A verdict exactly as :func:`parse_nip` once gave it, from its stored parts.

    For storage (the campaign register), which must not parse again: parsing
    depends on the day (a birth date in the future) and on the cell's type.
    ``kind`` and ``birth_date`` are those of the whole NIP, given when FULL.
    """
    whole = None
    if kind is not None and birth_date is not None and digits is not None:
        whole = object.__new__(Nip)
        set_digits, set_kind, set_birth_date = _NIP_SLOTS
        set_digits(whole, digits)
        set_kind(whole, kind)
        set_birth_date(whole, birth_date)
    return _verdict(status, written, whole, prefix15, digits, reason)


def _invalid(written: str, digits: str | None, reason: str) -> ParsedNip:
    return _verdict(_INVALID, written, None, None, digits or None, reason)


def _empty(written: str, digits: str | None = None) -> ParsedNip:
    return _verdict(_EMPTY, written, None, None, digits, _EMPTY_REASON)


def _partial(
    written: str, digits: str, trusted: str, reason: str, clock: _Clock
) -> ParsedNip:
    """PARTIAL when the 15 trusted digits make sense, else INVALID saying why."""
    head = _check_head(trusted, clock)
    if isinstance(head, str):
        return _invalid(written, digits, f"{head}; also {reason}")
    return _verdict(_PARTIAL, written, None, trusted[:15], digits, reason)


def _length_reason(count: int) -> str:
    reason = f"{count} digit{'s' if count != 1 else ''} (expected 18)"
    if count == 9:
        reason += ": looks like an old 9-digit NIP (NIP lama)"
    elif count == 16:
        reason += ": 16 digits is the length of a NIK (national ID), not a NIP"
    return reason


_ALL_ZEROS = "0" * 18
_LOW_IMAGE_SERIAL = f"{_IMAGE_REACH:03d}"
_HIGH_IMAGE_SERIAL = f"{1000 - _IMAGE_REACH:03d}"


def _from_18_digits(written: str, d: str, clock: _Clock) -> ParsedNip:
    """Verdict on 18 ASCII digits written as text."""
    serial = d[15:]
    rounded = None
    if serial <= _LOW_IMAGE_SERIAL or serial >= _HIGH_IMAGE_SERIAL:
        rounded = _float_image_of_rounding(int(d))
    if rounded is not None:
        reason = (
            f"equals the float image of {float(rounded)!r}; possibly damaged by a "
            "spreadsheet; only the first 15 digits are trusted"
        )
        return _partial(written, d, str(rounded), reason, clock)
    head = _check_head(d, clock)
    if isinstance(head, str):
        if d == _ALL_ZEROS:
            return _empty(written, d)
        return _invalid(written, d, head)
    if serial == "000":
        reason = "ends in 000: looks like a number rounded by Excel to 15 digits"
        return _verdict(_PARTIAL, written, None, d[:15], d, reason)
    return _full(written, d, head)


def _from_number(written: str, n: int, clock: _Clock, how: str) -> ParsedNip:
    """Verdict on an integer that passed through a float (numeric cell, scientific
    notation, trailing ``.0``): never FULL."""
    if n < 0:
        return _invalid(written, str(-n), f"a negative number ({how}) is not a NIP")
    if n == 0:
        return _empty(written)
    d = str(n)
    if len(d) != 18:
        return _invalid(
            written,
            d if len(d) <= _MAX_DIGITS_SHOWN else None,
            f"{_length_reason(len(d))}; {how}, so the remaining digits cannot be trusted either",
        )
    reason = _NUMBER_REASON if how == "stored as a number" else (
        f"{how}: a spreadsheet destroyed the last 3 digits; only the first 15 are trusted"
    )
    return _partial(written, d, _trusted_digits_of_number(n), reason, clock)


def _describe_char(char: str) -> str:
    category = unicodedata.category(char)
    kind = {
        "L": "letter",
        "P": "punctuation",
        "S": "symbol",
        "N": "non-decimal numeral",
        "M": "combining mark",
        "Z": "separator",
        "C": "control character",
    }[category[0]]
    visible = char.isprintable() and category[0] not in "MZC"
    shown = f"'{char}'" if visible else f"U+{ord(char):04X}"
    return f"{shown} ({kind})"


def _from_text(written: str, text: str, clock: _Clock) -> ParsedNip:
    prepared = _prepare(text)
    scientific = _SCIENTIFIC_RE.match(prepared)
    if scientific:
        whole, fraction, exponent = scientific.groups()
        value = Decimal(f"{whole}.{fraction or '0'}e{exponent}")
        if value != value.to_integral_value():
            return _invalid(
                written, whole + (fraction or ""), "a number with decimals is not a NIP"
            )
        significant = len((whole + (fraction or "")).lstrip("0").rstrip("0"))
        if significant < 15 and len(str(int(value))) == 18:
            return _invalid(
                written,
                whole + (fraction or ""),
                f"written in scientific notation with only {significant} significant digits: "
                "the NIP is lost (format the column as Text in Excel and type it again)",
            )
        return _from_number(written, int(value), clock, "written in scientific notation")
    decimal = _TRAILING_ZERO_DECIMAL_RE.match(prepared)
    if decimal:
        return _from_number(
            written, int(decimal.group(1)), clock, "written as a decimal number ('.0')"
        )
    cleaned = _SEPARATORS_RE.sub("", prepared)
    if cleaned.isdigit() and cleaned.isascii():
        if len(cleaned) == 18:
            return _from_18_digits(written, cleaned, clock)
        if cleaned.count("0") == len(cleaned):
            return _empty(written, cleaned)
        return _invalid(written, cleaned, _length_reason(len(cleaned)))
    if not cleaned:
        return _empty(written)
    digits = _NON_DIGIT_RE.sub("", cleaned) or None
    if digits is None and (
        cleaned.casefold() in _PLACEHOLDERS or _PLACEHOLDER_WORD_RE.search(text)
    ):
        return _empty(written)
    others = [char for char in cleaned if not ("0" <= char <= "9")]
    if all(char in _MASK_CHARS for char in others) and (digits or len(others) >= 3):
        hidden = len(others)
        return _invalid(
            written,
            digits,
            f"masked: {hidden} digit{'s' if hidden != 1 else ''} hidden behind '{others[0]}'",
        )
    return _invalid(
        written, digits, f"contains {_describe_char(others[0])} where a digit was expected"
    )


def _is_nan_like(value: object) -> bool:
    try:
        return bool(value != value)
    except Exception:  # pandas.NA refuses bool(); it is still "not a value"
        return type(value).__name__ in {"NAType", "NaTType"}


_clock_cache: list = [float("-inf"), None]


def _today_clock() -> _Clock:
    """Today, asked of the system clock at most once a minute (asking costs more than
    the rest of a fast-path parse)."""
    now = time.monotonic()
    if now >= _clock_cache[0]:
        _clock_cache[0] = now + 60.0
        _clock_cache[1] = _clock(datetime.date.today())
    return _clock_cache[1]


def parse_nip(value: object, *, today: datetime.date | None = None) -> ParsedNip:
    """Judge one written NIP; never raises, whatever ``value`` is.

    ``today`` bounds the birth, TMT and PPPK years ("not in the future"); tests pass
    a fixed day, everyone else leaves it to the clock.
    """
    clock = _today_clock() if today is None else _clock(today)
    if type(value) is str:
        # Fast path: most cells already hold exactly 18 ASCII digits.
        if value.isascii():
            if len(value) == 18 and value.isdigit():
                return _from_18_digits(value, value, clock)
            common = _COMMON_FORM_RE.fullmatch(value)
            if common:
                return _from_18_digits(value, "".join(common.groups()), clock)
        return _from_text(value, value, clock)
    if value is None:
        return _empty("")
    if isinstance(value, bool):
        return _invalid(str(value), None, f"a boolean ({value}) is not a NIP")
    if isinstance(value, str):
        return _from_text(str(value), str(value), clock)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        return _from_text(text, text, clock)
    if isinstance(value, (datetime.date, datetime.time)):
        if _is_nan_like(value):
            return _empty("")
        return _invalid(str(value), None, "a date or time is not a NIP")
    if isinstance(value, Decimal):
        # A Decimal keeps every digit: only its written form can show damage.
        return _from_text(str(value), str(value), clock)
    if isinstance(value, numbers.Number):
        return _from_numeric_cell(value, clock)
    try:
        text = str(value)
    except Exception as exc:
        return _invalid(f"<{type(value).__name__}>", None, f"cannot be read as text ({exc!r})")
    if _is_nan_like(value):
        return _empty(text)
    return _from_text(text, text, clock)


def _from_numeric_cell(value: numbers.Number, clock: _Clock) -> ParsedNip:
    written = str(value)
    if isinstance(value, numbers.Integral):
        return _from_number(written, int(value), clock, "stored as a number")
    if _is_nan_like(value):
        return _empty("")
    if not isinstance(value, numbers.Real):
        return _invalid(written, None, "a complex number is not a NIP")
    number = float(value)
    if number in (float("inf"), float("-inf")):
        return _invalid(written, None, "an infinite number is not a NIP")
    if number != int(number):
        return _invalid(
            written, _NON_DIGIT_RE.sub("", written) or None, "a number with decimals is not a NIP"
        )
    # The shortest repr is what was stored: 15 digits for a cell Excel damaged.
    return _from_number(written, int(Decimal(repr(number))), clock, "stored as a number")


def looks_like_nip(value: object) -> bool:
    """True when ``value`` is a NIP, in full or damaged (FULL or PARTIAL).

    For spotting a NIP column or the NIP line of a combined "Nama / NIP" cell.
    """
    return parse_nip(value).status in (NipStatus.FULL, NipStatus.PARTIAL)
