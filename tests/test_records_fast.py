"""The schemas' fast load gives what marshmallow's own ``Schema.load`` gives, always.

Every reader hands its rows to ``EmployeeSchema``, ``AttestationSchema`` or
``ExemptionSchema``; their ``load`` takes a shortcut for one plain dict. Here both
paths load the same data, side by side: every row the bundled readers produce from
``sample_exports/`` (and from an exemption list and a form export made here), and
generated rows mixing valid, invalid, missing, null, blank, numeric and date values,
unknown keys and broken provenance. They must give equal records, or the same
refusal: the same messages in the same order (readers join them into problem text),
the same ``valid_data``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    missing,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import SIGNERS_LIST, read_files
from asn_attest.records import (
    AttestationSchema,
    Channel,
    EmployeeSchema,
    ExemptionReason,
    ExemptionSchema,
    Provenance,
    RawCells,
    _FastSchema,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"
SCHEMAS = (EmployeeSchema, AttestationSchema, ExemptionSchema)


# -- comparing the two paths ---------------------------------------------------------


def _ordered(value: Any) -> Any:
    """Messages and valid data with dict order made visible: readers join messages
    in the order marshmallow stored them, so order is part of the result."""
    if isinstance(value, dict):
        return [(key, _ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


def _outcome(load: Callable[[Any], Any], data: Any) -> tuple[Any, ...]:
    snapshot = copy.deepcopy(data)
    try:
        record = load(data)
    except ValidationError as exc:
        result: tuple[Any, ...] = ("refused", _ordered(exc.messages), _ordered(exc.valid_data), exc.data is data)
    except Exception as exc:  # noqa: BLE001 - whatever one path raises, the other must raise too
        result = ("raised", type(exc), str(exc))
    else:
        result = ("loaded", type(record), record)
    assert data == snapshot, "load changed its input"
    return result


def assert_same_load(schema: Schema, data: Any, **options: Any) -> tuple[Any, ...]:
    """Load ``data`` with the schema's own ``load`` and with marshmallow's, and
    insist on the same outcome; returns it."""
    fast = _outcome(lambda d: schema.load(d, **options), data)
    generic = _outcome(lambda d: Schema.load(schema, d, **options), data)
    assert fast == generic, f"for {data!r}"
    return fast


# -- every row the bundled readers produce ----------------------------------------------


def _exemption_list(path: Path) -> Path:
    """An exemption list with good rows and every kind of bad one the reader meets."""
    path.write_text(
        "NIP;NAMA;UNIT KERJA;KETERANGAN;MULAI;SAMPAI\n"
        "198503152010011001;ANI;Dinas A;Cuti;01-06-2024;30-06-2024\n"
        "19850315 201001 2 001;Dr. BUDI, M.Si.;Dinas A;tugas belajar;;\n"
        "1.98503152010011e+17;CITRA;;Sakit;2024-06-01;\n"
        ";DEWI;Dinas B;liburan;;\n"
        "-;;Dinas B;pensiun;;\n"
        "198503152010011004;EKO;;CLTN;10-06-2024;01-06-2024\n"
        "198503152010011005;FAJAR;;MPP;31-02-2024;\n"
        "12345;;;meninggal;;\n"
        "198503152010011006;GITA;;sudah tanda tangan;;\n"
        "198503152010011007;HADI;;Wafat.;15 Juni 2024;45500\n",
        encoding="utf-8",
    )
    return path


def _form_responses(path: Path) -> Path:
    """A form export with the refusals the sample files do not hold: unreadable
    timestamps, nobody named, a name without letters, an overlong NIK."""
    path.write_text(
        "Timestamp,Email,NIP,Nama Lengkap,Unit Kerja,NIK,Saya menyatakan setuju\n"
        "01/06/2024 08:15:00,a@b.id,198503152010011001,Ani,Dinas A,,Ya\n"
        "kemarin,b@b.id,19850315 201001 1 002,Budi,Dinas A,,Ya\n"
        "31/02/2024 08:15:00,c@b.id,-,Citra,Dinas B,,Ya\n"
        "2024-06-01 08:00,c@b.id,-,,Dinas B,,Ya\n"
        "2024-06-01 08:00,d@b.id,-,--,,,Ya\n"
        "2024-06-01 08:00,e@b.id,honorer,Eko,,3302196203960004,Ya\n"
        f"2024-06-01 08:00,f@b.id,,,,{'9' * 41},Ya\n"
        "2024-06-01 08:00,g@b.id,1.98503152010011e+17,Gita,Dinas C,,Ya\n",
        encoding="utf-8",
    )
    return path


#: (schema class, a copy of the dict) per ``load`` call a reader made
ReaderLoads = list[tuple[type[Schema], dict[str, Any]]]


@pytest.fixture(scope="module")
def reader_loads(tmp_path_factory: pytest.TempPathFactory) -> ReaderLoads:
    """(schema class, a copy of the dict) for every row the readers load from the samples,
    one at a time or by column."""
    seen: ReaderLoads = []
    fast_load = _FastSchema.load
    column_load = _FastSchema.load_columns
    by_column = [False]

    def recording(self: _FastSchema, data: Any, **options: Any) -> Any:
        assert not options, "readers load one dict at a time"
        if not by_column[0]:  # a row a column load refused is loaded again: recorded once
            seen.append((type(self), copy.deepcopy(data)))
        return fast_load(self, data, **options)

    def recording_columns(self: _FastSchema, columns: Any, size: int) -> Any:
        for i in range(size):
            row = {key: column[i] for key, column in columns.items() if column[i] is not missing}
            seen.append((type(self), copy.deepcopy(row)))
        by_column[0] = True
        try:
            return column_load(self, columns, size)
        finally:
            by_column[0] = False

    pm = make_plugin_manager()
    made = tmp_path_factory.mktemp("inputs")
    exemptions = _exemption_list(made / "pengecualian.csv")
    responses = _form_responses(made / "respon.csv")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_FastSchema, "load", recording)
        mp.setattr(_FastSchema, "load_columns", recording_columns)
        mp.setenv("ASN_ATTEST_WORKERS", "1")  # the loads are recorded in this process
        read_files(pm.roster_readers(), [SAMPLES / "roster"])
        read_files(pm.attestation_readers(), [SAMPLES / "signatures"])
        read_files(pm.attestation_readers(), [SAMPLES / "signatures"], options={SIGNERS_LIST: True})
        read_files(pm.attestation_readers(), [responses])
        read_files(pm.exemption_readers(), [exemptions])
    return seen


def test_the_samples_exercise_every_schema_and_refusals(reader_loads: ReaderLoads) -> None:
    """The corpus is only a guarantee if it holds both loads and refusals of each schema."""
    counts = {cls: [0, 0] for cls in SCHEMAS}
    for cls, data in reader_loads:
        try:
            cls().load(data)
        except ValidationError:
            counts[cls][1] += 1
        else:
            counts[cls][0] += 1
    assert counts[EmployeeSchema][0] > 1000 and counts[AttestationSchema][0] > 1000
    assert all(loaded and refused for loaded, refused in counts.values()), counts


def test_every_reader_row_loads_the_same_both_ways(reader_loads: ReaderLoads) -> None:
    schemas = {cls: cls() for cls in SCHEMAS}
    for cls, data in reader_loads:
        assert_same_load(schemas[cls], data)


# -- generated rows ---------------------------------------------------------------------

_BLANKS = ("", " ", "\u00a0", "\t\n", "\u200b", "-")
_SCALARS = st.one_of(
    st.none(),
    st.sampled_from(_BLANKS),
    st.text(max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
_ODD = st.one_of(
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just("x" * 501),
    st.just("=HYPERLINK(\"http://x\")"),
)

_NAMES = st.sampled_from(
    [
        "Dr. H. AHMAD FAUZI, S.Pd., M.Si.",
        "Hj. SITI AMINAH, S.Kep.,Ns",
        "BAMBANG EKO WIBOWO",
        "ACHMAD FAUZI SPd",
        "soekarno",
        "Dr. H.",
        "I NYOMAN SUDARMA",
        "198503152010011001",
        "12",
        "M.ALI",
        "Ma'ruf\u00a0Amin",
        "José Ramos-Horta",
    ]
)
_NIPS = st.sampled_from(
    [
        "198503152010011001",
        "19850315 201001 1 001",
        "19850315.201001.1.001",
        "'198503152010011001",
        "NIP. 198503152010012001",
        "199001012021211001",
        "１９８５０３１５２０１００１１００１",
        "198503152010011000",
        "1.98503152010011e+17",
        1.98503152010011e17,
        198503152010011008,
        "19850315201001100",
        "-",
        "honorer",
        "123",
    ]
)
_DATES = st.one_of(
    st.sampled_from(
        ["15-03-1985", "31-02-1990", "25 DEC 1986", "15 Maret 1985", "1985-03-15", "15/03/85", "kemarin", "0"]
    ),
    st.integers(min_value=-5, max_value=80000),
    st.floats(min_value=-5, max_value=80000),
    st.dates(),
    st.datetimes(),
)
_TIMESTAMPS = st.one_of(
    _DATES,
    st.sampled_from(["2024-06-01 08:00", "01/06/2024 08:15:00", "6/1/2024 8:15:00 AM", "2024-06-01T08:00:00+07:00"]),
)
_PROVENANCES = st.one_of(
    st.fixed_dictionaries(
        {"file": st.sampled_from(["r.xlsx", "ttd.csv"])},
        optional={
            "sheet": st.one_of(st.none(), st.text(max_size=5)),
            "row": st.one_of(st.none(), st.integers(1, 10**6)),
        },
    ),
    st.builds(Provenance, st.just("r.xlsx"), st.none(), st.integers(1, 99)),
    st.sampled_from(
        [
            {"sheet": "x", "row": 1},
            {"file": "", "row": 1},
            {"file": "a.csv", "row": 0},
            {"file": "a.csv", "row": "3"},
            {"file": "a.csv", "row": True},
            {"file": "a.csv", "sheet": 5},
            {"file": "a.csv", "col": "B", "zz": 1},
            "a.csv",
            None,
        ]
    ),
)
#: Values a field of that name meets in real files; any other field gets generic values.
_LIKELY: dict[str, st.SearchStrategy[Any]] = {
    "name": _NAMES,
    "gelar_depan": st.sampled_from(["Dr. H.", "Hj.", "-", "dr.", "Prof. Dr."]),
    "gelar_belakang": st.sampled_from(["S.Pd., M.Si.", "SE", "-", "A.Md.Kep.", "x" * 101]),
    "nip": _NIPS,
    "nip_lama": st.sampled_from(["-", "010203040", "0" * 41]),
    "nik": st.sampled_from(["3302196203960004", "'3302196203960004", "0" * 41]),
    "employment_type": st.sampled_from(["PNS", "PPPK", "Non ASN", "honorer", "CPNS", "pns", "TKD", "x"]),
    "golongan": st.sampled_from(["III/a", "IIIa", "III/A", "Penata Muda (III/a)", "IX", "XVIII", "V/a", "IV/e"]),
    "gender": st.sampled_from(["L", "P", "Laki-laki", "Perempuan", "LAKI - LAKI", 1, 2, "X", 3]),
    "birth_date": _DATES,
    "since": _DATES,
    "until": _DATES,
    "signed_at": _TIMESTAMPS,
    "reason": st.sampled_from(
        [*(r.value for r in ExemptionReason), "Tugas Belajar", "Wafat.", "liburan", "MPP ", ExemptionReason.CUTI]
    ),
    "channel": st.sampled_from(["sheet", "form", "esign", "manual", "SHEET", "fax", Channel.FORM, 1]),
    "raw": st.one_of(
        st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.text(max_size=4)), max_size=3),
        st.dictionaries(st.text(max_size=4), st.integers(), min_size=1, max_size=2),
        st.sampled_from(["NAMA=ANI", [("NAMA", "ANI")], {1: "x"}]),
    ),
    "source": _PROVENANCES,
}


def _field_values(name: str) -> st.SearchStrategy[Any]:
    likely = _LIKELY.get(name)
    choices = [_SCALARS, _ODD] if likely is None else [likely, likely, _SCALARS, _ODD]
    return st.one_of(*choices)


@st.composite
def rows_for(draw: st.DrawFn, schema: Schema) -> dict[str, Any]:
    """A row as a reader could hand it over: any subset of the schema's fields (taken
    from the schema itself, so a field added later is generated too), each with a
    likely, a generic or an odd value, and possibly keys the schema does not know."""
    keys = {obj.data_key or name: name for name, obj in schema.load_fields.items()}
    row = draw(st.fixed_dictionaries({}, optional={key: _field_values(name) for key, name in keys.items()}))
    unknown = draw(st.dictionaries(st.text(max_size=8).filter(lambda k: k not in keys), _SCALARS, max_size=2))
    return {**unknown, **row}


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda c: c.__name__)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_rows_load_the_same_both_ways(schema_class: type[Schema], data: st.DataObject) -> None:
    schema = schema_class()
    assert_same_load(schema, data.draw(rows_for(schema)))


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda c: c.__name__)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_rows_with_a_valid_core_load_the_same_and_mostly_load(schema_class: type[Schema], data: st.DataObject) -> None:
    """Valid required fields and provenance, so the generated rows reach post_load
    (record-making and its refusals), not just the field errors."""
    schema = schema_class()
    row = data.draw(rows_for(schema))
    row["source"] = {"file": "r.xlsx", "sheet": "Data", "row": 7}
    row.update(
        {
            EmployeeSchema: lambda: {"name": data.draw(_NAMES)},
            AttestationSchema: lambda: {"channel": "form"},
            ExemptionSchema: lambda: {"reason": "cuti"},
        }[schema_class]()
    )
    assert_same_load(schema, row)


def test_the_same_schema_instance_gives_the_same_results_row_after_row() -> None:
    """Fields remember cleaned values per value: a refusal seen before is refused again,
    identically, by both paths."""
    schema = EmployeeSchema()
    rows = [
        {"name": "A", "gender": "X", "birth_date": "31-02-1990", "source": {"file": "r.csv", "row": 2}},
        {"name": "B", "gender": "X", "source": {"file": "r.csv", "row": 3}},
        {"name": "  ", "gender": "X", "source": {"file": "r.csv", "row": 4}},
    ]
    for row in rows * 3:
        assert_same_load(schema, row)


_CELL_PARTS = st.one_of(st.text(max_size=4), st.none(), st.binary(max_size=3), st.integers(0, 3))


@settings(max_examples=500, deadline=None)
@given(
    value=st.one_of(
        st.dictionaries(st.text(max_size=4), st.one_of(st.text(max_size=4), st.none()), max_size=4),
        st.dictionaries(_CELL_PARTS, _CELL_PARTS, max_size=4),
        st.builds(OrderedDict, st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=2)),
        _SCALARS,
        st.lists(st.text(max_size=2), max_size=2),
    )
)
def test_raw_cells_load_like_a_dict_of_strings(value: Any) -> None:
    """``raw`` takes a dict of text as is; everything it gives must be what the
    marshmallow field it stands for gives."""
    plain = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), load_default=dict)
    assert _outcome(RawCells(load_default=dict).deserialize, value) == _outcome(plain.deserialize, value)


# -- what the fast path covers, and what it leaves to marshmallow --------------------------


def test_a_plain_dict_does_not_go_through_marshmallows_generic_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Otherwise the comparisons above would compare marshmallow with itself."""
    schema = EmployeeSchema()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("generic load used")

    monkeypatch.setattr(Schema, "_do_load", refuse)
    assert schema.load({"name": "ANI", "source": {"file": "r.csv"}}).name == "ANI"
    with pytest.raises(ValidationError):
        schema.load({"name": "", "source": {"file": "r.csv"}})
    with pytest.raises(AssertionError, match="generic load used"):
        schema.load([{"name": "ANI", "source": {"file": "r.csv"}}], many=True)


@pytest.mark.parametrize(
    ("data", "options"),
    [
        ([{"name": "ANI", "source": {"file": "r.csv"}}, {"name": "", "source": {"file": "r.csv"}}], {"many": True}),
        ({"name": "ANI"}, {"partial": True}),
        ({"name": "ANI"}, {"partial": ("source",)}),
        ({"name": "ANI", "source": {"file": "r.csv"}, "extra": 1}, {"unknown": RAISE}),
        ({"name": "ANI", "source": {"file": "r.csv"}, "extra": 1}, {"unknown": EXCLUDE}),
        (OrderedDict(name="ANI", source={"file": "r.csv"}), {}),
        (["ANI"], {}),
        ("ANI", {}),
        (None, {}),
    ],
)
def test_other_calls_give_what_marshmallow_gives(data: Any, options: dict[str, Any]) -> None:
    assert_same_load(EmployeeSchema(), data, **options)


class _Inner(Schema):
    code = fields.String(required=True)
    n = fields.Integer()


class _Sees(fields.Field):
    """Shows what a field is handed: its key and the (pre-loaded) row."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return value, attr, sorted(data, key=str)


class _Everything(_FastSchema):
    """Schema features the three record schemas do not use (yet), so that the fast path
    is held to marshmallow for them too: data_key and attribute, validators, nested
    and constant fields, field-level pre/post-load, several hooks of each kind,
    pass_original, a field validator on two fields, a hook refusing without a message."""

    class Meta:
        unknown = EXCLUDE

    count = fields.Integer(data_key="N", attribute="n", validate=validate.Range(min=0))
    code = fields.String(required=True, validate=validate.Length(max=3))
    email = fields.Email(allow_none=True)
    inner = fields.Nested(_Inner)
    kind = fields.Constant("k", required=True)
    tags = fields.List(fields.String(), load_default=list)
    label = fields.String(pre_load=[str.strip])
    shout = fields.String(post_load=[str.upper])
    seen = _Sees(data_key="S", allow_none=True)
    checked = _Sees(data_key="C", validate=bool)
    shown = fields.String(dump_only=True)
    calls: list[str]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls = []

    @pre_load(pass_collection=True)
    def _first(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict) and data.get("code") == "pre":
            raise ValidationError("refused before loading", field_name="code")
        if isinstance(data, dict) and data.get("code") == "up":
            return {**data, "code": "UP"}
        return data

    @pre_load
    def _second(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict) and "alias" in data:
            data = {**data, "code": data["alias"]}
        if isinstance(data, dict) and data.get("code") == "list":
            return ["not", "a", "mapping"]
        if isinstance(data, dict) and data.get("code") == "UP":
            return {**data, "code": "uP"}
        return data

    @validates("code", "count")
    def _not_zero(self, value: Any, data_key: str, **kwargs: Any) -> Any:
        if value in ("0", 0):
            raise ValidationError(f"{data_key} may not be zero")
        if value == "drop":
            return missing
        return None

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data.pop("tags", None)
        if data.get("code") == "bad":
            raise ValidationError("bad code", field_name="count")
        if data.get("code") == "nil":
            raise ValidationError({})
        return {"made": data}

    @post_load(pass_original=True)
    def _then(self, data: dict[str, Any], original: Any, **kwargs: Any) -> dict[str, Any]:
        if original.get("code") == "two":
            raise ValidationError(["second hook", "refused"])
        return {**data, "keys": sorted(original, key=str)}

    def handle_error(self, error: ValidationError, data: Any, *, many: bool, **kwargs: Any) -> None:
        self.calls.append(f"handle_error many={many} {kwargs}")


_EVERYTHING_VALUES = {
    "N": st.one_of(st.integers(-2, 2), st.sampled_from(["1", "x", None, 1.5])),
    "code": st.sampled_from(["ab", "abcd", "0", "drop", "pre", "up", "list", "bad", "nil", "two", None, 5]),
    "alias": st.sampled_from(["ab", "0", "two", "up"]),
    "email": st.sampled_from(["a@b.id", "nope", None, 3]),
    "inner": st.sampled_from([{"code": "x"}, {}, {"code": None}, {"code": "x", "n": "bad"}, "x", None]),
    "kind": st.sampled_from(["z", None]),
    "tags": st.sampled_from([["a"], "a", [1], None]),
    "label": st.sampled_from([" a ", None, 1]),
    "shout": st.sampled_from(["a", None, 1]),
    "S": st.sampled_from(["s", None]),
    "C": st.sampled_from(["c", None]),
    "shown": st.just("ignored"),
}


@settings(max_examples=500, deadline=None)
@given(row=st.fixed_dictionaries({}, optional=_EVERYTHING_VALUES))
def test_schema_features_beyond_the_records_load_the_same_both_ways(row: dict[str, Any]) -> None:
    fast, generic = _Everything(), _Everything()
    assert fast._plan is not None
    assert _outcome(fast.load, row) == _outcome(lambda d: Schema.load(generic, d), row)
    assert fast.calls == generic.calls


def test_a_schema_level_validator_leaves_loading_to_marshmallow() -> None:
    class Checked(_FastSchema):
        a = fields.Integer()

        @validates_schema
        def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
            if data.get("a") == 1:
                raise ValidationError("one")

    schema = Checked()
    assert schema._plan is None
    for row in ({"a": 1}, {"a": 2}, {"a": "x"}):
        assert_same_load(schema, row)


def test_a_field_added_to_a_schema_is_loaded_by_the_fast_path() -> None:
    class Extended(EmployeeSchema):
        eselon = fields.String(allow_none=True, validate=validate.OneOf(["II.a", "III.b"]))

        @post_load
        def _make(self, data: dict[str, Any], **kwargs: Any) -> tuple[Any, str | None]:
            eselon = data.pop("eselon", None)
            return super()._make(data, **kwargs), eselon

    schema = Extended()
    assert schema._plan is not None and "eselon" in {step.data_key for step in schema._plan.steps}
    for eselon in ("II.a", "IV", None):
        row = {"name": "ANI", "eselon": eselon, "source": {"file": "r.csv"}}
        outcome = assert_same_load(schema, row)
        assert outcome[0] == ("refused" if eselon == "IV" else "loaded")
        if eselon != "IV":
            assert outcome[2][1] == eselon


def test_changing_schema_options_after_construction_is_honoured() -> None:
    schema = EmployeeSchema()
    schema.unknown = RAISE
    assert_same_load(schema, {"name": "ANI", "source": {"file": "r.csv"}, "extra": 1})
    schema = EmployeeSchema()
    schema.many = True
    assert_same_load(schema, [{"name": "ANI", "source": {"file": "r.csv"}}])
    schema = EmployeeSchema(partial=True)
    assert_same_load(schema, {"name": "ANI"})


def test_loaded_records_are_plain_records() -> None:
    row = {"name": "Dr. ANI, S.E.", "birth_date": dt.date(1985, 3, 15), "source": {"file": "r.csv", "row": 2}}
    e = EmployeeSchema().load(row)
    assert (e.name_key, e.birth_date, e.source) == ("ANI", dt.date(1985, 3, 15), Provenance("r.csv", None, 2))


# -- loading by column --------------------------------------------------------------------


def _columns_of(rows: list[dict[str, Any]]) -> tuple[dict[str, list[Any]], list[dict[str, Any]]]:
    """The rows as columns (``missing`` where a row has no value), and each row's dict
    as ``load_columns`` defines it: its keys in the order of the columns."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    columns = {key: [row.get(key, missing) for row in rows] for key in keys}
    as_rows = [{key: column[i] for key, column in columns.items() if column[i] is not missing} for i in range(len(rows))]
    return columns, as_rows


def _column_outcomes(schema: _FastSchema, columns: dict[str, list[Any]], size: int) -> list[tuple[Any, ...]]:
    records, errors = schema.load_columns(columns, size)
    assert len(records) == size and set(errors) <= set(range(size))
    out: list[tuple[Any, ...]] = []
    for i, record in enumerate(records):
        if i in errors:
            assert record is None
            out.append(("refused", _ordered(errors[i].messages), _ordered(errors[i].valid_data)))
        else:
            out.append(("loaded", type(record), record))
    return out


def assert_same_column_load(schema_class: type[_FastSchema], rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """``load_columns`` on the rows as columns gives, row by row, what ``load`` gives."""
    columns, as_rows = _columns_of(rows)
    snapshot = copy.deepcopy(columns)
    by_column = _column_outcomes(schema_class(), columns, len(rows))
    assert columns == snapshot, "load_columns changed its input"
    by_row = []
    one = schema_class()
    for row in as_rows:
        outcome = _outcome(one.load, row)
        by_row.append(outcome[:3] if outcome[0] == "refused" else outcome)
    assert by_column == by_row
    return by_column


def test_every_reader_row_loads_the_same_by_column(reader_loads: ReaderLoads) -> None:
    for cls in SCHEMAS:
        rows = [data for owner, data in reader_loads if owner is cls]
        outcomes = assert_same_column_load(cls, rows)
        assert {o[0] for o in outcomes} == {"loaded", "refused"}


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda c: c.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_rows_load_the_same_by_column(schema_class: type[_FastSchema], data: st.DataObject) -> None:
    schema = schema_class()
    rows = data.draw(st.lists(rows_for(schema), max_size=8))
    if data.draw(st.booleans()):  # most reader rows reach record-making
        for row in rows:
            row["source"] = Provenance("r.xlsx", "Data", 7)
            row[{EmployeeSchema: "name", AttestationSchema: "channel", ExemptionSchema: "reason"}[schema_class]] = (
                data.draw({EmployeeSchema: _NAMES, AttestationSchema: st.just("form"),
                           ExemptionSchema: st.just("cuti")}[schema_class])
            )  # fmt: skip
    assert_same_column_load(schema_class, rows)


def test_a_column_load_repeats_values_through_the_fields_memory() -> None:
    """The shortcut for texts seen before must give what cleaning them gives, refusals included."""
    rows = [
        {"name": name, "unit": unit, "golongan": golongan, "source": Provenance("r.xlsx", None, n)}
        for n, (name, unit, golongan) in enumerate(
            [("ANI", " Dinas  A ", "III/a"), ("  ", "Dinas A", "VI/z"), ("12", "x" * 501, "III/a")] * 4, 2
        )
    ]
    outcomes = assert_same_column_load(EmployeeSchema, rows)
    assert [o[0] for o in outcomes] == ["loaded", "refused", "refused"] * 4
    assert outcomes[0][2].unit == "Dinas A" and outcomes[0][2].golongan == "III/a"
    assert [field for field, _ in outcomes[1][1]] == ["name", "golongan"]
    assert outcomes[1][1][0] == ("name", ["Missing data for required field."])
    assert [field for field, _ in outcomes[2][1]] == ["name", "unit"]
    assert outcomes[2][1][0] == ("name", ["'12' is not a name (no letters)"])


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="column 'unit' has 1 values, expected 2"):
        EmployeeSchema().load_columns({"name": ["A", "B"], "unit": ["X"]}, 2)


def test_a_schema_the_column_load_cannot_cover_loads_row_by_row() -> None:
    """A field that is not one of the core's, or a hook that needs the row's own dict:
    each row goes through ``load``, with the same results."""

    class WithString(EmployeeSchema):
        eselon = fields.String(allow_none=True, validate=validate.OneOf(["II.a"]))

        @post_load
        def _make(self, data: dict[str, Any], **kwargs: Any) -> tuple[Any, str | None]:
            eselon = data.pop("eselon", None)
            return super()._make(data, **kwargs), eselon

    class WithOriginal(AttestationSchema):
        @post_load(pass_original=True)
        def _seen(self, data: Any, original: dict[str, Any], **kwargs: Any) -> Any:
            if original.get("nik") == "refuse":
                raise ValidationError("refused by the original row")
            return data

    rows = [{"name": "ANI", "eselon": e, "source": Provenance("r.csv", None, 2)} for e in ("II.a", "IV", None)]
    assert [o[0] for o in assert_same_column_load(WithString, rows)] == ["loaded", "refused", "loaded"]
    rows = [{"channel": "form", "name": "ANI", "nik": n, "source": Provenance("r.csv", None, 2)} for n in ("1", "refuse")]
    outcomes = assert_same_column_load(WithOriginal, rows)
    assert outcomes[1][:2] == ("refused", [("_schema", ["refused by the original row"])])
