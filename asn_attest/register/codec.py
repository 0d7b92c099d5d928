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
_CHANNELS = {c.value: c for c in Channel}
_REASONS = {r.value: r for r in ExemptionReason}


def _encode_source(source: Provenance) -> list[Any]:
    return [source.file, source.sheet, source.row]


#: field name -> encoder, for the fields that are not plain JSON values
_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "nip": _encode_nip,
    "source": _encode_source,
    "channel": lambda c: c.value,
    "reason": lambda r: r.value,
    "raw": lambda raw: raw,
}
#: fields whose values repeat from row to row (units, jabatan, golongan): decoded
#: records share one string per distinct value, as records read from files do
_REPEATING = {"employment_type", "golongan", "jabatan", "unit", "sub_unit", "kecamatan", "gender", "birth_place", "note"}


def _is_dated(f: Any) -> bool:
    return "date" in str(f.type)  # date, datetime, or a union with them


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _encoding_plan(cls: type) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """(position, encoder) of the fields that are not plain JSON values: only those are touched."""
    plan = []
    for position, f in enumerate(fields(cls)):
        if f.name in _ENCODERS:
            plan.append((position, _ENCODERS[f.name]))
        elif _is_dated(f):
            plan.append((position, encode_value))
    return tuple(plan)


_NAMES = {cls: _names(cls) for cls in RECORD_TYPES.values()}
_ENCODING = {cls: _encoding_plan(cls) for cls in RECORD_TYPES.values()}


def encode(record: Any) -> tuple[str, str]:
    """(kind, JSON text) of an Employee, Attestation or Exemption."""
    cls = type(record)
    values = [getattr(record, name) for name in _NAMES[cls]]
    for position, enc in _ENCODING[cls]:
        values[position] = enc(values[position])
    return _KIND_OF[cls], json.dumps(values, ensure_ascii=False, separators=(",", ":"))


class Decoder:
    """Decodes many records, sharing equal strings and dates between them (a roster of
    300,000 people names a few dozen units): a third less memory than one object per
    field. Only the fields JSON has no type for are touched, which is most of the speed.
    """

    def __init__(self) -> None:
        self._memo: dict[Any, Any] = {}
        by_name: dict[str, Callable[[Any], Any]] = {
            "nip": self._nip, "source": self._source, "raw": self._raw,
            "channel": _CHANNELS.__getitem__, "reason": _REASONS.__getitem__,
        }
        self._plans: dict[type, tuple[tuple[int, Callable[[Any], Any]], ...]] = {}
        self._repeating: dict[type, tuple[int, ...]] = {}
        for cls in RECORD_TYPES.values():
            plan = []
            for position, f in enumerate(fields(cls)):
                if f.name in by_name:
                    plan.append((position, by_name[f.name]))
                elif _is_dated(f):
                    plan.append((position, decode_value))
            self._plans[cls] = tuple(plan)
            self._repeating[cls] = tuple(i for i, name in enumerate(_NAMES[cls]) if name in _REPEATING)

    def _nip(self, data: list[Any]) -> ParsedNip:
        status, written, prefix15, digits, reason, kind, birth = data
        if kind is None:
            return restore(_NIP_STATUS[status], written, prefix15, digits, reason)
        born = self._memo.get(("born", birth))
        if born is None:
            born = self._memo[("born", birth)] = dt.date.fromisoformat(birth)
        return restore(_NIP_STATUS[status], written, prefix15, digits, reason, _NIP_KIND[kind], born)

    def _source(self, data: list[Any]) -> Provenance:
        file, sheet, row = data
        share = self._memo.setdefault
        return Provenance(share(file, file), sheet and share(sheet, sheet), row)

    def _raw(self, raw: dict[str, Any]) -> dict[str, Any]:
        share = self._memo.setdefault
        return {share(k, k): (share(v, v) if isinstance(v, str) else v) for k, v in raw.items()}

    def decode(self, kind: str, text: str) -> Any:
        """The record :func:`encode` was given.

        A record stored before a field was added to its class has fewer values; the
        fields it lacks take their defaults (new fields always have one).
        """
        cls = RECORD_TYPES[kind]
        values = json.loads(text)
        known = len(_NAMES[cls])
        if len(values) > known:
            raise ValueError(f"a stored {kind} has {len(values)} fields, this version knows {known}")
        count = len(values)
        for position, dec in self._plans[cls]:
            if position < count:
                values[position] = dec(values[position])
        share = self._memo.setdefault
        for position in self._repeating[cls]:  # inline: this loop runs millions of times
            if position < count and values[position] is not None:
                values[position] = share(values[position], values[position])
        return cls(*values)


def decode(kind: str, text: str) -> Any:
    """The record :func:`encode` was given (see :meth:`Decoder.decode`)."""
    return Decoder().decode(kind, text)
