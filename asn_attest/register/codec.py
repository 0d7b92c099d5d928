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

from ..nip import Nip, NipKind, NipStatus, ParsedNip
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


def _decode_nip(data: list[Any]) -> ParsedNip:
    status, written, prefix15, digits, reason, kind, birth = data
    whole = Nip(digits, _NIP_KIND[kind], dt.date.fromisoformat(birth)) if kind is not None else None
    return ParsedNip(_NIP_STATUS[status], written, whole, prefix15, digits, reason)


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
_PLAIN = (encode_value, decode_value)


def _plan(cls: type) -> tuple[tuple[str, ...], tuple[Callable[[Any], Any], ...], tuple[Callable[[Any], Any], ...]]:
    names = tuple(f.name for f in fields(cls))
    coders = [_SPECIAL.get(name, _PLAIN) for name in names]
    return names, tuple(c[0] for c in coders), tuple(c[1] for c in coders)


_PLANS = {cls: _plan(cls) for cls in RECORD_TYPES.values()}


def encode(record: Any) -> tuple[str, str]:
    """(kind, JSON text) of an Employee, Attestation or Exemption."""
    cls = type(record)
    names, encoders, _ = _PLANS[cls]
    values = [enc(getattr(record, name)) for name, enc in zip(names, encoders)]
    return _KIND_OF[cls], json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def decode(kind: str, text: str) -> Any:
    """The record :func:`encode` was given.

    A record stored before a field was added to its class has fewer values; the
    fields it lacks take their defaults (new fields always have one).
    """
    cls = RECORD_TYPES[kind]
    _, _, decoders = _PLANS[cls]
    values = json.loads(text)
    if len(values) > len(decoders):
        raise ValueError(f"a stored {kind} has {len(values)} fields, this version knows {len(decoders)}")
    return cls(*[dec(v) for dec, v in zip(decoders, values)])
