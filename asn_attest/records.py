"""The records everything else works on, and the marshmallow schemas that make them.

A reader never builds a record by hand: it hands the cell values of a row to a
schema's ``load``, which cleans and validates every field and returns the record.
That keeps the rules (what a NIP is, what a date may look like) in one place for
bundled and vendors' readers alike. Every record carries its provenance: the file,
sheet and row it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing, post_load, pre_load, validates

from .errors import Location
from .names import parse_name
from .nip import NipKind, NipStatus, ParsedNip, parse_nip
from .values import clean_text, parse_date, parse_employment_type, parse_gender, parse_golongan, parse_timestamp

PNS, PPPK, NON_ASN = "PNS", "PPPK", "NON_ASN"
EMPLOYMENT_TYPES = (PNS, PPPK, NON_ASN)


class Channel(str, Enum):
    """How a signature reached the HR office."""

    SHEET = "sheet"
    FORM = "form"
    ESIGN = "esign"
    MANUAL = "manual"


class ExemptionReason(str, Enum):
    """Why a person is neither signed nor unsigned (the reasons HR records)."""

    CUTI = "cuti"
    CLTN = "cltn"
    TUGAS_BELAJAR = "tugas belajar"
    SAKIT = "sakit"
    MPP = "mpp"
    PINDAH = "pindah"
    PENSIUN = "pensiun"
    MENINGGAL = "meninggal"
    #: not an exemption: the person says they signed; listed for the admin to confirm, never counted
    CLAIMS_SIGNED = "sudah tanda tangan"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from. ``row`` is the row number the user sees in the file."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        return str(Location(self.file, self.sheet, self.row))


@dataclass(slots=True)
class Employee:
    """One person on the roster. ``nip`` is always a parse result: check ``nip.status``."""

    name: str
    name_key: str
    nip: ParsedNip
    source: Provenance
    employment_type: str | None = None
    golongan: str | None = None
    jabatan: str | None = None
    unit: str | None = None
    sub_unit: str | None = None
    kecamatan: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    birth_place: str | None = None
    nik: str | None = None
    nip_lama: str | None = None

    @property
    def nip_full(self) -> str | None:
        """The 18-digit NIP when it is valid and whole, else None."""
        return self.nip.nip.digits if self.nip.status is NipStatus.FULL and self.nip.nip else None


@dataclass(slots=True)
class Attestation:
    """One piece of signature evidence, with the raw cells it was read from."""

    channel: Channel
    source: Provenance
    nip: ParsedNip
    name: str | None = None
    name_key: str | None = None
    unit: str | None = None
    nik: str | None = None
    signed_at: dt.datetime | dt.date | None = None
    raw: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Exemption:
    """A person HR has excused from signing, for a reason and possibly until a date."""

    reason: ExemptionReason
    source: Provenance
    nip: ParsedNip
    name: str | None = None
    unit: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    note: str | None = None


# -- fields ------------------------------------------------------------------------


_CACHE_SIZE = 8192
_CACHEABLE = (str, int, float, bool, dt.date, dt.datetime)


class _Optional(fields.Field):
    """A field that may be blank or absent (None), unless declared required."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_none", True)
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)


class _Cleaned(_Optional):
    """A field whose cleaning is a pure function of the cell value, remembered per value.

    Rosters repeat the same units, jabatan, golongan and places on thousands of
    rows; cleaning each distinct value once is most of this field's cost saved.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cache: dict[tuple[type, Any], tuple[bool, Any]] = {}

    def _clean(self, value: Any) -> Any:
        raise NotImplementedError

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, _CACHEABLE):
            return self._clean(value)
        key = (type(value), value)
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = (True, self._clean(value))
            except ValidationError as exc:
                hit = (False, exc.messages)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = hit
        ok, result = hit
        if not ok:
            raise ValidationError(result)
        return result


class Text(_Cleaned):
    """Cell text: Unicode-normalised, invisible characters removed, blank -> None."""

    def __init__(self, *, max_length: int = 500, keep_newlines: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.keep_newlines = keep_newlines

    def _clean(self, value: Any) -> str | None:
        text = clean_text(value, keep_newlines=self.keep_newlines)
        if text is not None and len(text) > self.max_length:
            raise ValidationError(f"{len(text)} characters (at most {self.max_length} expected)")
        return text

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value


class Parsed(_Cleaned):
    """A field whose cleaning is one of the parsers of :mod:`asn_attest.values`."""

    def __init__(self, parser: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parser = parser

    def _clean(self, value: Any) -> Any:
        try:
            return self.parser(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Enum):
            return value.value
        return value


class NipField(_Optional):
    """Any written form of a NIP; never fails, because a bad NIP does not remove a person.

    The parse result says whether the NIP is whole, damaged (first 15 digits only),
    invalid (and why) or absent; readers report the last two as problems.
    """

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> ParsedNip:
        if isinstance(value, ParsedNip):
            return value
        return parse_nip(None if value is missing else value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if not isinstance(value, ParsedNip):
            return None
        if value.status is NipStatus.FULL and value.nip is not None:
            return value.nip.digits
        return value.written or None


class ProvenanceField(fields.Field):
    """Where a record came from: ``{"file": str, "sheet": str | None, "row": int | None}``.

    A plain field rather than a nested schema: it is loaded for every row of every
    file, and a nested schema costs more than all the other fields together.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Provenance:
        if isinstance(value, Provenance):
            return value
        if not isinstance(value, dict):
            raise ValidationError("provenance must be a mapping with file, sheet and row")
        unknown = set(value) - {"file", "sheet", "row"}
        if unknown:
            raise ValidationError(f"unknown provenance keys: {', '.join(sorted(unknown))}")
        file, sheet, row = value.get("file"), value.get("sheet"), value.get("row")
        if not isinstance(file, str) or not file:
            raise ValidationError("provenance needs the file it came from")
        if sheet is not None and not isinstance(sheet, str):
            raise ValidationError("provenance sheet must be text or null")
        if row is not None and (not isinstance(row, int) or isinstance(row, bool) or row < 1):
            raise ValidationError("provenance row must be a row number (1 or more) or null")
        return Provenance(file, sheet, row)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"file": value.file, "sheet": value.sheet, "row": value.row}


def _kind_of(nip: ParsedNip) -> str | None:
    """PNS or PPPK from a whole or damaged NIP (digits 13-14 are a month for PNS, 2x for
    PPPK); no NIP at all means non-ASN staff; an invalid NIP tells nothing."""
    if nip.status is NipStatus.EMPTY:
        return NON_ASN
    if nip.status is NipStatus.FULL and nip.nip is not None:
        return PPPK if nip.nip.kind is NipKind.PPPK else PNS
    if nip.status is NipStatus.PARTIAL and nip.prefix15:
        return PPPK if nip.prefix15[12] == "2" else PNS
    return None


class EmployeeSchema(Schema):
    """A roster row. ``name`` is required; every other field may be missing or blank."""

    class Meta:
        unknown = EXCLUDE

    name = Text(required=True, allow_none=False)
    gelar_depan = Text(load_only=True, max_length=100)
    gelar_belakang = Text(load_only=True, max_length=100)
    nip = NipField()
    employment_type = Parsed(parse_employment_type)
    golongan = Parsed(parse_golongan)
    jabatan = Text()
    unit = Text()
    sub_unit = Text()
    kecamatan = Text()
    gender = Parsed(parse_gender)
    birth_date = Parsed(parse_date)
    birth_place = Text(max_length=100)
    nik = Text(max_length=40)
    nip_lama = Text(max_length=40)
    source = ProvenanceField()

    @validates("name")
    def _name_has_letters(self, value: str, **kwargs: Any) -> None:
        if not any(ch.isalpha() for ch in value):
            raise ValidationError(f"{value!r} is not a name (no letters)")

    @pre_load
    def _blank_name_is_missing(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if "name" in data and clean_text(data["name"]) is None:
            data = dict(data)
            del data["name"]
        return data

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Employee:
        person = parse_name(data.pop("name"), data.pop("gelar_depan", None), data.pop("gelar_belakang", None))
        nip = data.pop("nip", None) or parse_nip(None)
        if data.get("employment_type") is None:
            data["employment_type"] = _kind_of(nip)
        return Employee(name=person.display, name_key=person.key, nip=nip, **data)


class AttestationSchema(Schema):
    """A piece of signature evidence; who signed may be known by NIP, NIK or name."""

    class Meta:
        unknown = EXCLUDE

    channel = fields.Enum(Channel, by_value=True, required=True)
    nip = NipField()
    name = Text()
    unit = Text()
    nik = Text(max_length=40)
    signed_at = Parsed(parse_timestamp)
    raw = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), load_default=dict)
    source = ProvenanceField()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Attestation:
        nip = data.pop("nip", None) or parse_nip(None)
        name = data.get("name")
        key = parse_name(name).key if name else None
        if nip.status is NipStatus.EMPTY and not name and not data.get("nik"):
            raise ValidationError("a signature needs a NIP, a NIK or a name", field_name="name")
        return Attestation(nip=nip, name_key=key, **data)


_REASON_WORDS = {
    "cuti": ExemptionReason.CUTI,
    "cltn": ExemptionReason.CLTN,
    "cuti di luar tanggungan negara": ExemptionReason.CLTN,
    "tugas belajar": ExemptionReason.TUGAS_BELAJAR,
    "tubel": ExemptionReason.TUGAS_BELAJAR,
    "sakit": ExemptionReason.SAKIT,
    "mpp": ExemptionReason.MPP,
    "masa persiapan pensiun": ExemptionReason.MPP,
    "pindah": ExemptionReason.PINDAH,
    "mutasi": ExemptionReason.PINDAH,
    "pensiun": ExemptionReason.PENSIUN,
    "meninggal": ExemptionReason.MENINGGAL,
    "meninggal dunia": ExemptionReason.MENINGGAL,
    "sudah tanda tangan": ExemptionReason.CLAIMS_SIGNED,
    "sudah ttd": ExemptionReason.CLAIMS_SIGNED,
    "sudah menandatangani": ExemptionReason.CLAIMS_SIGNED,
    "wafat": ExemptionReason.MENINGGAL,
}


def _exemption_reason(value: Any) -> ExemptionReason:
    if isinstance(value, ExemptionReason):
        return value
    text = (clean_text(value) or "").lower().strip(" .")
    if text in _REASON_WORDS:
        return _REASON_WORDS[text]
    choices = ", ".join(r.value for r in ExemptionReason)
    raise ValueError(f"{value!r} is not an exemption reason (expected one of: {choices})")


class ExemptionSchema(Schema):
    """An exemption; ``until`` before ``since`` is an error."""

    class Meta:
        unknown = EXCLUDE

    reason = Parsed(_exemption_reason, required=True, allow_none=False)
    nip = NipField()
    name = Text()
    unit = Text()
    since = Parsed(parse_date)
    until = Parsed(parse_date)
    note = Text()
    source = ProvenanceField()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Exemption:
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError(f"until {data['until']} is before since {data['since']}", field_name="until")
        nip = data.pop("nip", None) or parse_nip(None)
        if nip.status is NipStatus.EMPTY and not data.get("name"):
            raise ValidationError("an exemption needs a NIP or a name", field_name="name")
        return Exemption(nip=nip, **data)
