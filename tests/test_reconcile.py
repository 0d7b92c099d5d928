"""Counting per unit: coverage = signed / (staff - exempt), worst first, one unit per spelling."""

from __future__ import annotations

import pytest

from asn_attest.errors import ConfigError
from asn_attest.reconcile import reconcile, to_json
from asn_attest.records import AttestationSchema, EmployeeSchema

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
