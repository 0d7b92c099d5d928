"""Records to JSON and back, exactly: what the register stores for every row it imports.

A record is stored as the cleaned values the schema produced at import, not as the
cells it was read from, so that ``status`` does not read, clean and validate the
inputs again: decoding is a ``json.loads`` and a constructor per row. The encoding is
a JSON list in the dataclass's field order, with a tag for the few values JSON has
no type for. ``decode(encode(r)) == r`` for every record (tests hold it to that on
the sample exports and on generated ones).

JSON and not pickle: a register is a file people copy and send, and unpickling a
file runs whatever code it names.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from ..nip import NipKind, NipStatus, ParsedNip, restore
from ..records import Attestation, Channel, Employee, Exemption, ExemptionReason, Provenance

__all__ = ["encode", "decode", "encode_value", "decode_value", "RECORD_TYPES"]

#: record kind as stored -> class
RECORD_TYPES: dict[str, type] = {"employee": Employee, "attestation": Attestation, "exemption": Exemption}
_KIND_OF = {cls: kind for kind, cls in RECORD_TYPES.items()}


def encode_value(value: Any) -> Any:
    """A date, datetime or anything JSON has as a JSON value; dates tagged so they come back as dates."""
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return dt.datetime.fromisoformat(value["t"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
    return value


def _encode_nip(nip: ParsedNip) -> list[Any]:
    whole = nip.nip
    return [
        nip.status.value,
        nip.written,
        nip.prefix15,
        nip.digits,
        nip.reason,
        whole.kind.value if whole else None,
        whole.birth_date.isoformat() if whole else None,
    ]


_NIP_STATUS = {s.value: s for s in NipStatus}
_NIP_KIND = {k.value: k for k in NipKind}
_BIRTH_DATES: dict[str, dt.date] = {}


def _decode_nip(data: list[Any]) -> ParsedNip:
    status, written, prefix15, digits, reason, kind, birth = data
    if kind is None:
        return restore(_NIP_STATUS[status], written, prefix15, digits, reason)
    born = _BIRTH_DATES.get(birth)
    if born is None:
        born = _BIRTH_DATES[birth] = dt.date.fromisoformat(birth)
    return restore(_NIP_STATUS[status], written, prefix15, digits, reason, _NIP_KIND[kind], born)


def _encode_source(source: Provenance) -> list[Any]:
    return [source.file, source.sheet, source.row]


def _decode_source(data: list[Any]) -> Provenance:
    return Provenance(data[0], data[1], data[2])


_CHANNELS = {c.value: c for c in Channel}
_REASONS = {r.value: r for r in ExemptionReason}

# field name -> (encode, decode) for the fields that are not plain JSON values
_SPECIAL: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "nip": (_encode_nip, _decode_nip),
    "source": (_encode_source, _decode_source),
    "channel": (lambda c: c.value, _CHANNELS.__getitem__),
    "reason": (lambda r: r.value, _REASONS.__getitem__),
}
_DATED = (encode_value, decode_value)


def _plan(cls: type) -> tuple[tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...],
                              tuple[tuple[int, Callable[[Any], Any]], ...]]:
    """Field names, and (position, coder) of the fields that are not plain JSON values:
    only those are touched, which is most of the speed of decoding 300,000 rows."""
    names = tuple(f.name for f in fields(cls))
    coders = []
    for position, f in enumerate(fields(cls)):
        if f.name in _SPECIAL:
            coders.append((position, _SPECIAL[f.name]))
        elif "date" in str(f.type):  # date, datetime, or a union with them
            coders.append((position, _DATED))
    return names, tuple((p, c[0]) for p, c in coders), tuple((p, c[1]) for p, c in coders)


_PLANS = {cls: _plan(cls) for cls in RECORD_TYPES.values()}


def encode(record: Any) -> tuple[str, str]:
    """(kind, JSON text) of an Employee, Attestation or Exemption."""
    cls = type(record)
    names, encoders, _ = _PLANS[cls]
    values = [getattr(record, name) for name in names]
    for position, enc in encoders:
        values[position] = enc(values[position])
    return _KIND_OF[cls], json.dumps(values, ensure_ascii=False, separators=(",", ":"))


#: fields whose values repeat from row to row (units, jabatan, golongan): decoded
#: records share one string per distinct value, as records read from files do
_REPEATING = {"employment_type", "golongan", "jabatan", "unit", "sub_unit", "kecamatan", "gender", "birth_place", "note"}
_SHARED_POSITIONS = {
    cls: tuple(i for i, name in enumerate(_PLANS[cls][0]) if name in _REPEATING) for cls in RECORD_TYPES.values()
}


_RAW_POSITION = _PLANS[Attestation][0].index("raw")


class Decoder:
    """Decodes many records, sharing equal strings between them (a roster of 300,000
    people names a few dozen units): a third less memory than a string per field."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def decode(self, kind: str, text: str) -> Any:
        """The record :func:`encode` was given.

        A record stored before a field was added to its class has fewer values; the
        fields it lacks take their defaults (new fields always have one).
        """
        cls = RECORD_TYPES[kind]
        names, _, decoders = _PLANS[cls]
        values = json.loads(text)
        if len(values) > len(names):
            raise ValueError(f"a stored {kind} has {len(values)} fields, this version knows {len(names)}")
        share = self._memo.setdefault
        for position, dec in decoders:
            if position >= len(values):
                continue
            value = values[position]
            if dec is _decode_source:
                file, sheet, row = value
                values[position] = Provenance(share(file, file), sheet and share(sheet, sheet), row)
            else:
                values[position] = dec(value)
        for position in _SHARED_POSITIONS[cls]:
            if position < len(values):
                value = values[position]
                if value is not None:
                    values[position] = share(value, value)
        if cls is Attestation and len(values) > _RAW_POSITION and values[_RAW_POSITION]:
            values[_RAW_POSITION] = {
                share(k, k): (share(v, v) if isinstance(v, str) else v) for k, v in values[_RAW_POSITION].items()
            }
        return cls(*values)


def decode(kind: str, text: str) -> Any:
    """The record :func:`encode` was given (see :meth:`Decoder.decode`)."""
    return Decoder().decode(kind, text)
