"""The records everything else works on, and the marshmallow schemas that make them.

A reader never builds a record by hand: it hands the cell values of a row to a
schema's ``load``, which cleans and validates every field and returns the record.
That keeps the rules (what a NIP is, what a date may look like) in one place for
bundled and vendors' readers alike. Every record carries its provenance: the file,
sheet and row it came from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NamedTuple

from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing, post_load
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.error_store import ErrorStore

from .errors import Location
from .names import display_and_key, name_key
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


#: distinct values a field remembers: more than the birth dates of a large roster
_CACHE_SIZE = 1 << 16
#: distinct values after which a field that found few repeats stops remembering
_TRIAL_SIZE = 4096
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
    A field whose values hardly repeat (names) stops remembering when its memory
    first fills with few hits: then each value is cleaned as it comes.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: keyed by the value's type and the value (``1``, ``1.0`` and ``True`` are
        #: equal but may not clean alike); plain text, most cells, by itself
        self._cache: dict[Any, tuple[bool, Any]] = {}
        self._lookups = 0
        self._remember = True

    def _clean(self, value: Any) -> Any:
        raise NotImplementedError

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not self._remember:
            return self._clean(value)
        if type(value) is str:
            key: Any = value
        elif isinstance(value, _CACHEABLE):
            key = (type(value), value)
        else:
            return self._clean(value)
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = (True, self._clean(value))
            except ValidationError as exc:
                hit = (False, exc.messages)
            size = len(self._cache)
            if size == _TRIAL_SIZE and self._lookups < size + size // 4:
                self._remember = False  # fewer than one lookup in five was a hit
                self._cache.clear()
            else:
                if size >= _CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = hit
        self._lookups += 1
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


class NameText(Text):
    """A person's name as written: cell text with at least one letter. A blank cell is
    a missing name (the error marshmallow gives a required field without a value)."""

    def _clean(self, value: Any) -> str | None:
        text = super()._clean(value)
        if text is None:
            raise self.make_error("required")
        if not any(ch.isalpha() for ch in text):
            raise ValidationError(f"{text!r} is not a name (no letters)")
        return text


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


_PROVENANCE_KEYS = frozenset({"file", "sheet", "row"})


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
        if not _PROVENANCE_KEYS.issuperset(value):
            unknown = set(value) - _PROVENANCE_KEYS
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


class RawCells(fields.Dict):
    """The cells a piece of evidence was read from, header -> text (or None).

    ``fields.Dict(keys=String(), values=String(allow_none=True))``; the dict of text
    every reader hands over is taken as is, since loading it key by key and value by
    value through two String fields gives an equal dict, at several times the cost.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(keys=fields.String(), values=fields.String(allow_none=True), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, str | None]:
        if type(value) is dict:
            for key, cell in value.items():
                if type(key) is not str or (cell is not None and type(cell) is not str):
                    break
            else:
                return dict(value)
        return super()._deserialize(value, attr, data, **kwargs)


class SharedText:
    """Equal texts of one column as one object: ``shared(text)`` is ``text`` or an equal
    text seen before.

    Each cell a reader reads is a new string, and evidence keeps its raw cells: the
    same unit, answer or date, thousands of times over, in as many copies. A column
    whose values do not repeat (e-mail addresses) stops adding once it holds
    ``limit`` distinct values, so the memory kept is bounded whatever the column holds.
    """

    __slots__ = ("_seen", "_limit")

    def __init__(self, limit: int = 4096) -> None:
        self._seen: dict[str, str] = _Seen()
        self._limit = limit

    def __call__(self, text: str) -> str:
        seen = self._seen.get(text)
        if seen is not None:
            return seen
        if len(self._seen) < self._limit:
            self._seen[text] = text
        return text

    def sharer(self) -> Callable[[str], str]:
        """A faster ``self`` for the next ``n`` texts, where ``n`` is up to the caller:
        it may add up to ``n`` texts beyond the limit (ask again every few thousand)."""
        return self._seen.__getitem__ if len(self._seen) < self._limit else self._seen_or_same

    def _seen_or_same(self, text: str) -> str:
        return self._seen.get(text, text)


class _Seen(dict):  # type: ignore[type-arg]
    """text -> the first equal text: a text not seen yet is added (by itself) on lookup."""

    def __missing__(self, text: str) -> str:
        self[text] = text
        return text


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


# -- schemas -----------------------------------------------------------------------


def _marshmallow_major() -> int:
    try:
        return int(version("marshmallow").split(".")[0])
    except (PackageNotFoundError, ValueError):
        return 0


#: The fast load mirrors marshmallow 4's ``Schema._do_load`` (hooks called with
#: ``unknown``, ``@validates`` with ``data_key``); any other version takes the
#: generic path.
_FAST_LOAD = _marshmallow_major() == 4
#: What marshmallow passes its load hooks for one record of a schema with the
#: options the fast load covers.
_HOOK_KWARGS: dict[str, Any] = {"many": False, "partial": None, "unknown": EXCLUDE}
#: The methods of :meth:`fields.Field.deserialize` the fast load takes in place.
_FIELD_LOAD_STEPS = ("deserialize", "_validate_missing", "_validate", "_validate_all")


#: Fields whose load of a value does not look at the rest of the row: they can load a
#: column value by value (:meth:`_FastSchema.load_columns`). The exact classes: a
#: subclass could look at the row.
_COLUMN_FIELDS = frozenset({Text, NameText, Parsed, NipField, ProvenanceField, RawCells, fields.Enum})


class _FieldStep(NamedTuple):
    """How to load one declared field: where its value is read and stored, and what
    is called on it (a tuple, so that the loop over fields unpacks it cheaply)."""

    data_key: str
    attribute: str
    #: ``field._deserialize`` when ``inline``, else ``field.deserialize``
    call: Callable[..., Any]
    #: the field keeps marshmallow's own ``deserialize`` and has nothing to run
    #: around ``_deserialize``, so the checks for missing and null are made in place
    inline: bool
    required: bool
    allow_none: bool
    load_default: Any
    field: fields.Field


def _plain_deserialize(obj: fields.Field) -> bool:
    """Does loading a value into ``obj`` come down to the checks for missing and
    null and ``obj._deserialize``? True when the field keeps marshmallow's own
    ``deserialize`` and checks and has no validators or load functions of its own."""
    kind = type(obj)
    return (
        all(getattr(kind, name) is getattr(fields.Field, name) for name in _FIELD_LOAD_STEPS)
        and not obj.validators
        and not getattr(obj, "pre_load", None)  # field-level load functions came in 4.3
        and not getattr(obj, "post_load", None)
    )


@dataclass(frozen=True, slots=True)
class _LoadPlan:
    """Everything ``Schema._do_load`` looks up on each call, looked up once."""

    steps: tuple[_FieldStep, ...]
    #: (bound method, pass_original), in marshmallow's order (collection hooks first)
    pre_load: tuple[tuple[Callable[..., Any], bool], ...]
    #: (bound validator taking the value, field name, attribute, data_key)
    validators: tuple[tuple[Callable[..., Any], str, str, str], ...]
    post_load: tuple[tuple[Callable[..., Any], bool], ...]


class _FastSchema(Schema):
    """A schema whose ``load`` of one plain dict skips marshmallow's generic machinery.

    Readers load every row of every file, one dict at a time, and marshmallow's
    generic path (a getter closure, an error store and a validator chain built per
    field and per row) costs more than cleaning the values. For that case ``load``
    follows a plan derived once per instance from the declared fields and hooks,
    taking the steps of ``Schema._do_load`` in its order and raising the same
    ``ValidationError`` (messages, ``data``, ``valid_data``). Everything else (many,
    partial, an explicit ``unknown``, anything but a dict, a schema option or
    hook the plan does not cover) goes through marshmallow unchanged. The plan reads
    marshmallow 4 internals (``_hooks``, ``ErrorStore``, the steps of
    ``Field.deserialize``): ``tests/test_records_fast.py`` holds both paths to equal
    results, and on another major version the plan is not made (and those tests say
    so) until it has been checked against that version's ``_do_load``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plan = self._make_plan()

    def _make_plan(self) -> _LoadPlan | None:
        hooks = self._hooks
        if not _FAST_LOAD or hooks[VALIDATES_SCHEMA]:
            return None
        steps = []
        for name, obj in self.load_fields.items():
            attribute = obj.attribute or name
            if "." in attribute:  # marshmallow stores it as a nested path
                return None
            inline = _plain_deserialize(obj)
            steps.append(
                _FieldStep(
                    data_key=obj.data_key if obj.data_key is not None else name,
                    attribute=attribute,
                    call=obj._deserialize if inline else obj.deserialize,
                    inline=inline,
                    required=obj.required,
                    allow_none=obj.allow_none,
                    load_default=obj.load_default,
                    field=obj,
                )
            )
        validators = []
        for method, _, options in hooks[VALIDATES]:
            for name in options["field_names"]:
                obj = self.fields.get(name)
                if obj is None:
                    # marshmallow skips an excluded field and refuses an unknown one
                    if name in self.declared_fields:
                        continue
                    return None
                data_key = obj.data_key if obj.data_key is not None else name
                bound = functools.partial(getattr(self, method), data_key=data_key)
                validators.append((bound, name, obj.attribute or name, data_key))
        return _LoadPlan(
            steps=tuple(steps),
            pre_load=self._processors(PRE_LOAD),
            validators=tuple(validators),
            post_load=self._processors(POST_LOAD),
        )

    def _processors(self, tag: str) -> tuple[tuple[Callable[..., Any], bool], ...]:
        """The load processors of ``tag`` as marshmallow calls them for one record:
        those registered with ``pass_collection`` first, then the others."""
        hooks = self._hooks[tag]
        ordered = [h for h in hooks if h[1]] + [h for h in hooks if not h[1]]
        return tuple((getattr(self, method), options.get("pass_original", False)) for method, _, options in ordered)

    def load(
        self,
        data: Any,
        *,
        many: bool | None = None,
        partial: Any = None,
        unknown: str | None = None,
    ) -> Any:
        """``Schema.load``; one plain dict with the schema's own options (what every
        reader passes) follows the plan, anything else marshmallow's own load."""
        plan = self._plan
        if (
            plan is None
            or type(data) is not dict
            or many
            or partial is not None
            or unknown is not None
            or self.many
            or self.partial is not None
            or self.unknown != EXCLUDE
        ):
            return super().load(data, many=many, partial=partial, unknown=unknown)
        return self._fast_load(plan, data)

    def _fast_load(self, plan: _LoadPlan, data: dict[str, Any]) -> Any:
        hook_kwargs = _HOOK_KWARGS
        store: ErrorStore | None = None
        result: dict[str, Any] | None = None
        processed: Any = data
        try:
            for hook, pass_original in plan.pre_load:
                processed = hook(processed, data, **hook_kwargs) if pass_original else hook(processed, **hook_kwargs)
        except ValidationError as err:
            errors = err.normalized_messages()
        else:
            result = self.dict_class()
            if type(processed) is dict or isinstance(processed, Mapping):
                get = processed.get
                for step in plan.steps:
                    data_key = step.data_key
                    try:
                        value = _step_value(step, get(data_key, missing), processed)
                    except ValidationError as error:
                        store = store or ErrorStore()
                        store.store_error(error.messages, data_key)
                        value = error.valid_data or missing
                    if value is not missing:
                        result[step.attribute] = value
            else:
                store = ErrorStore()
                store.store_error([self.error_messages["type"]])
            for validator, name, attribute, data_key in plan.validators:
                if attribute not in result:
                    continue
                try:
                    outcome = validator(result[attribute])
                except ValidationError as error:
                    store = store or ErrorStore()
                    store.store_error(error.messages, data_key)
                    outcome = error.valid_data or missing
                if outcome is missing:  # marshmallow drops the value by field name
                    result.pop(name, None)
            errors = store.errors if store else {}
            if not errors:
                made: Any = result
                try:
                    for hook, pass_original in plan.post_load:
                        made = hook(made, data, **hook_kwargs) if pass_original else hook(made, **hook_kwargs)
                except ValidationError as err:
                    errors = err.normalized_messages()
                else:
                    return made
        if errors:
            exc = ValidationError(errors, data=data, valid_data=result)
            self.handle_error(exc, data, many=False, partial=None)
            raise exc
        return result  # a hook refused with no message: marshmallow returns what it had


    def load_columns(
        self, columns: Mapping[str, Sequence[Any]], size: int
    ) -> tuple[list[Any], dict[int, ValidationError]]:
        """Load ``size`` rows given column by column: ``columns[key][i]`` is row ``i``'s
        value of ``key``, or ``missing`` where the row has none.

        Returns ``(records, errors)``: ``records[i]`` is what :meth:`load` returns for
        row ``i``'s dict (its keys whose value is not ``missing``, in the order of
        ``columns``), or None where it raises; ``errors[i]`` is what it raises.

        A reader reads thousands of rows whose columns repeat a few dozen units, ranks
        and dates: a field cleans a column value by value, its cache answering for the
        repeats, with none of the per-row, per-field bookkeeping of a load. A row with
        any refusal is then loaded again by :meth:`load`, alone, so its records and
        its errors are exactly those of a row-by-row read.
        """
        for key, column in columns.items():
            if len(column) != size:
                raise ValueError(f"column {key!r} has {len(column)} values, expected {size}")
        plan = self._plan
        if (
            plan is None
            or plan.pre_load
            or plan.validators
            or self.many
            or self.partial is not None
            or self.unknown != EXCLUDE
            or any(pass_original for _, pass_original in plan.post_load)
            or not all(type(step.field) in _COLUMN_FIELDS for step in plan.steps)
        ):
            return self._load_rows(columns, range(size), [None] * size, {})
        refused: set[int] = set()
        attributes = [step.attribute for step in plan.steps]
        loaded = [_load_column(step, columns.get(step.data_key), size, refused) for step in plan.steps]
        records: list[Any] = [None] * size
        errors: dict[int, ValidationError] = {}
        dict_class = self.dict_class
        post_load = plan.post_load
        hook_kwargs = _HOOK_KWARGS
        for i, values in enumerate(zip(*loaded) if loaded else [()] * size):
            if i in refused:
                continue
            made: Any = {attribute: value for attribute, value in zip(attributes, values) if value is not missing}
            if dict_class is not dict:
                made = dict_class(made)
            try:
                for hook, _ in post_load:
                    made = hook(made, **hook_kwargs)
            except ValidationError:
                refused.add(i)
            else:
                records[i] = made
        if refused:
            self._load_rows(columns, sorted(refused), records, errors)
        return records, errors

    def _load_rows(
        self,
        columns: Mapping[str, Sequence[Any]],
        rows: Iterable[int],
        records: list[Any],
        errors: dict[int, ValidationError],
    ) -> tuple[list[Any], dict[int, ValidationError]]:
        """Load each of ``rows`` by :meth:`load` of its own dict."""
        items = list(columns.items())
        for i in rows:
            data = {key: column[i] for key, column in items if column[i] is not missing}
            try:
                records[i] = self.load(data)
            except ValidationError as exc:
                records[i] = None
                errors[i] = exc
        return records, errors


def _load_column(step: _FieldStep, column: Sequence[Any] | None, size: int, refused: set[int]) -> list[Any]:
    """The values of one field for ``size`` rows (``column`` None: the field is in
    none of them), as the fast load makes them; the rows where the field refuses
    its value are added to ``refused``."""
    inline, required, default, obj = step.inline, step.required, step.load_default, step.field
    if column is None:
        if inline and not required:
            return [default() for _ in range(size)] if callable(default) else [default] * size
        column = [missing] * size
    if isinstance(obj, _Cleaned) and obj._remember:
        # texts this field has cleaned before, answered from its memory in one pass
        get = obj._cache.get
        hits = [get(value) if type(value) is str else None for value in column]
        out = [hit[1] if hit is not None else None for hit in hits]
        rest: Iterable[int] = [i for i, hit in enumerate(hits) if hit is None or not hit[0]]
    else:
        out = [None] * size
        rest = range(size)
    for i in rest:
        try:
            out[i] = _step_value(step, column[i], None)
        except ValidationError:
            refused.add(i)
            out[i] = missing
    return out


def _step_value(step: _FieldStep, value: Any, data: Any) -> Any:
    """One field's value from a row's ``value`` (``missing`` when absent), the steps of
    ``Field.deserialize`` taken in place where the field has nothing around them."""
    data_key, _, call, inline, required, allow_none, default, obj = step
    if not inline:
        return call(value, data_key, data)
    if value is missing:
        if required:
            raise obj.make_error("required")
        return default() if callable(default) else default
    if value is None:
        if not allow_none:
            raise obj.make_error("null")
        return None
    return call(value, data_key, data)


class EmployeeSchema(_FastSchema):
    """A roster row. ``name`` is required; every other field may be missing or blank."""

    class Meta:
        unknown = EXCLUDE

    # no value, None or blank: one message (readers tell "no name" from a bad one by it)
    name = NameText(required=True, allow_none=False, error_messages={"null": fields.Field.default_error_messages["required"]})
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

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Employee:
        name, key = display_and_key(data.pop("name"), data.pop("gelar_depan", None), data.pop("gelar_belakang", None))
        nip = data.pop("nip", None) or parse_nip(None)
        if data.get("employment_type") is None:
            data["employment_type"] = _kind_of(nip)
        return Employee(name=name, name_key=key, nip=nip, **data)


class AttestationSchema(_FastSchema):
    """A piece of signature evidence; who signed may be known by NIP, NIK or name."""

    class Meta:
        unknown = EXCLUDE

    channel = fields.Enum(Channel, by_value=True, required=True)
    nip = NipField()
    name = Text()
    unit = Text()
    nik = Text(max_length=40)
    signed_at = Parsed(parse_timestamp)
    raw = RawCells(load_default=dict)
    source = ProvenanceField()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Attestation:
        nip = data.pop("nip", None) or parse_nip(None)
        name = data.get("name")
        key = name_key(name) if name else None
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


class ExemptionSchema(_FastSchema):
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
