"""Counting per unit: coverage = signed / (staff - exempt), worst first, one unit per spelling."""

from __future__ import annotations

import datetime as dt

import pytest

from asn_attest.errors import ConfigError
from asn_attest.nip import parse_nip
from asn_attest.reconcile import apply_exemptions, reconcile, to_json
from asn_attest.records import AttestationSchema, EmployeeSchema, Exemption, ExemptionReason, Provenance

NIPS = [f"198503152010{m:02d}1{n:03d}" for m in (1, 2) for n in range(1, 6)]


def employee(i: int, unit: str, **extra: object):
    return EmployeeSchema().load({"name": f"ORANG {chr(65 + i)}", "nip": NIPS[i], "unit": unit,
                                  "source": {"file": "r.csv", "row": i + 2}, **extra})


def signature(i: int):
    return AttestationSchema().load({"channel": "form", "nip": NIPS[i], "name": f"orang {chr(65 + i)}",
                                     "source": {"file": "f.csv", "row": i + 2}})


def test_coverage_per_unit_worst_first_with_totals() -> None:
    roster = [employee(0, "Dinas A"), employee(1, "Dinas A"), employee(2, "DINAS  A"), employee(3, "Dinas B")]
    rec = reconcile(roster, [signature(0), signature(3)])
    assert [(u.unit, u.staff, u.signed, u.unsigned) for u in rec.units] == [("Dinas A", 3, 1, 2), ("Dinas B", 1, 1, 0)]
    assert rec.units[0].coverage == pytest.approx(1 / 3)
    totals = rec.totals
    assert (totals.staff, totals.signed, totals.unsigned) == (4, 2, 2)


def test_exempt_people_are_neither_signed_nor_unsigned() -> None:
    roster = [employee(0, "Dinas A"), employee(1, "Dinas A"), employee(2, "Dinas A")]
    rec = reconcile(roster, [signature(0)], exempt=frozenset({1}))
    (unit,) = rec.units
    assert (unit.signed, unit.exempt, unit.unsigned, unit.coverage) == (1, 1, 1, 0.5)


def test_a_unit_where_everyone_is_exempt_has_no_coverage_and_comes_last() -> None:
    roster = [employee(0, "Dinas A"), employee(1, "Dinas B")]
    rec = reconcile(roster, [], exempt=frozenset({1}))
    assert [u.unit for u in rec.units] == ["Dinas A", "Dinas B"]
    assert rec.units[1].coverage is None
    assert to_json(rec)["units"][1]["coverage"] is None


def test_grouping_by_a_field_the_roster_lacks_names_what_it_has() -> None:
    with pytest.raises(ConfigError, match="no kecamatan for anyone.*it has: employment_type, name, nip, unit"):
        reconcile([employee(0, "Dinas A")], [], by="kecamatan")


def test_grouping_by_kecamatan_counts_where_people_work() -> None:
    roster = [employee(0, "Dinas A", kecamatan="Utara"), employee(1, "Dinas B", kecamatan="Utara"),
              employee(2, "Dinas A", kecamatan="Selatan")]
    rec = reconcile(roster, [signature(1)], by="kecamatan")
    assert sorted((u.unit, u.staff, u.signed) for u in rec.units) == [("Selatan", 1, 0), ("Utara", 2, 1)]


def test_json_lists_unsigned_staff_unmatched_and_review() -> None:
    roster = [employee(0, "Dinas A"), employee(1, "Dinas A")]
    stranger = AttestationSchema().load({"channel": "form", "nip": "-", "name": "YOHANES KRISTIANTO", "unit": "Dinas A",
                                         "source": {"file": "f.csv", "row": 9}})
    data = to_json(reconcile(roster, [signature(0), stranger]))
    assert data["grouped_by"] == "opd"
    assert data["units"][0]["unsigned_staff"] == [{"nip": NIPS[1], "name": "ORANG B", "sub_unit": None, "jabatan": None}]
    (unmatched,) = data["unmatched_signatures"]
    assert (unmatched["source"], unmatched["name"], unmatched["nip"]) == ("f.csv, row 9", "YOHANES KRISTIANTO", "-")
    assert unmatched["reason"]


def test_one_unit_in_several_spellings_keeps_its_people_in_roster_order() -> None:
    roster = [employee(0, "Dinas A"), employee(1, "DINAS A"), employee(2, "Dinas B"), employee(3, "dinas a"),
              employee(4, "DINAS A"), employee(5, "Dinas B")]
    rec = reconcile(roster, [signature(4), signature(2)], exempt=frozenset({3}))
    a, b = (next(u for u in rec.units if u.unit == name) for name in ("DINAS A", "Dinas B"))
    assert (a.staff, a.signed, a.exempt, a.unsigned_staff) == (4, 1, 1, [0, 1])
    assert (b.staff, b.signed, b.exempt, b.unsigned_staff) == (2, 1, 0, [5])


def test_an_exempt_person_who_signed_counts_as_exempt_only() -> None:
    roster = [employee(0, "Dinas A"), employee(1, "Dinas A")]
    rec = reconcile(roster, [signature(0), signature(1)], exempt=frozenset({0}))
    (unit,) = rec.units
    assert (unit.staff, unit.signed, unit.exempt, unit.unsigned, unit.coverage) == (2, 1, 1, 0, 1.0)


def test_people_without_a_unit_are_counted_together() -> None:
    roster = [employee(0, "Dinas A"), employee(1, ""), EmployeeSchema().load(
        {"name": "ORANG C", "nip": NIPS[2], "source": {"file": "r.csv", "row": 4}})]
    rec = reconcile(roster, [signature(2)], by="opd")
    assert sorted((u.unit, u.staff, u.signed, tuple(u.unsigned_staff)) for u in rec.units) == [
        ("(tanpa unit)", 2, 1, (1,)), ("Dinas A", 1, 0, (0,))
    ]


def test_units_with_equal_coverage_come_in_name_order() -> None:
    roster = [employee(0, "Dinas C"), employee(1, "dinas b"), employee(2, "Dinas A")]
    assert [u.unit for u in reconcile(roster, []).units] == ["Dinas A", "dinas b", "Dinas C"]


def test_exemptions_find_people_by_name_in_a_unit_written_otherwise_or_by_alias() -> None:
    roster = [employee(0, "Dinas Pendidikan"), employee(1, "DINAS PENDIDIKAN"), employee(2, "Dinas Kesehatan")]

    def row(i: int, unit: str, reason: ExemptionReason = ExemptionReason.CUTI) -> Exemption:
        return Exemption(reason, Provenance("cuti.csv", None, i + 2), parse_nip(None), f"Orang {chr(65 + i)}", unit)

    exemptions = [
        row(0, "Disdik"), row(1, "dinas pendidikan kab. bogor"), row(2, "Dinkes", ExemptionReason.CLAIMS_SIGNED)
    ]
    rec = reconcile(roster, [], exemptions=exemptions, as_of=dt.date(2024, 2, 12),
                    unit_aliases={"disdik": "Dinas Pendidikan", "dinkes": "Dinas Kesehatan"})
    assert rec.exempt == frozenset({0, 1})
    assert [(e.name, i) for e, i in rec.claims] == [("Orang C", 2)]
    assert rec.problems == ()


def test_no_exemptions_excuse_no_one_and_refuse_nothing() -> None:
    assert apply_exemptions([employee(0, "Dinas A")], [], as_of=dt.date(2024, 2, 12)) == (frozenset(), [], [])
