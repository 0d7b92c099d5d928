"""Who has signed, per unit: the roster and the matcher's verdicts counted by OPD,
kecamatan or sub-unit. Pure code: no I/O, nothing printed.

Coverage of a unit = signed / (staff - exempt). Units are compared on
:func:`asn_attest.matching.unit_key`, so "DINAS KESEHATAN" in one export and
"Dinas Kesehatan" in another are one unit, shown in its most frequent spelling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .matching import MatchResult, match, unit_key
from .records import Attestation, Employee

#: ``--by`` choice -> the Employee attribute it groups on.
GROUPINGS = {"opd": "unit", "kecamatan": "kecamatan", "sub-unit": "sub_unit"}
NO_UNIT = "(tanpa unit)"


@dataclass
class UnitStatus:
    """One unit's count. ``coverage`` is None when everyone in it is exempt."""

    unit: str
    staff: int = 0
    signed: int = 0
    exempt: int = 0
    unsigned_staff: list[int] = field(default_factory=list)

    @property
    def unsigned(self) -> int:
        return len(self.unsigned_staff)

    @property
    def coverage(self) -> float | None:
        expected = self.staff - self.exempt
        return self.signed / expected if expected else None


@dataclass
class Reconciliation:
    """The answer: per-unit counts (worst coverage first), totals, and the matcher's verdicts."""

    grouped_by: str
    roster: Sequence[Employee]
    evidence: Sequence[Attestation]
    units: list[UnitStatus]
    matches: MatchResult
    exempt: frozenset[int] = frozenset()
    #: problems found while reading the inputs (reading.Problem), carried to the reports
    problems: Sequence[Any] = ()

    @property
    def totals(self) -> UnitStatus:
        total = UnitStatus("TOTAL")
        for unit in self.units:
            total.staff += unit.staff
            total.signed += unit.signed
            total.exempt += unit.exempt
            total.unsigned_staff.extend(unit.unsigned_staff)
        return total


def reconcile(
    roster: Sequence[Employee],
    evidence: Sequence[Attestation],
    *,
    by: str = "opd",
    unit_aliases: Mapping[str, str] | None = None,
    exempt: frozenset[int] = frozenset(),
    problems: Sequence[Any] = (),
) -> Reconciliation:
    """Match the evidence to the roster and count per unit.

    ``exempt`` holds roster indexes of people excused from signing: they count as
    neither signed nor unsigned.
    """
    if by not in GROUPINGS:
        raise ConfigError(f"cannot group by {by!r}; choose one of: {', '.join(GROUPINGS)}")
    attribute = GROUPINGS[by]
    if roster and not any(getattr(e, attribute) for e in roster):
        present = sorted({f for e in roster[:1000] for f in _filled(e)})
        raise ConfigError(
            f"the roster has no {attribute.replace('_', '-')} for anyone, so it cannot be grouped by {by}; "
            f"it has: {', '.join(present)} (name the column with --map {attribute}=HEADER)"
        )
    result = match(roster, evidence, unit_aliases=unit_aliases)
    groups: dict[str, UnitStatus] = {}
    spellings: dict[str, Counter[str]] = {}
    for index, employee in enumerate(roster):
        written = getattr(employee, attribute) or ""
        key = unit_key(written, unit_aliases if by == "opd" else None)
        status = groups.get(key)
        if status is None:
            status = groups[key] = UnitStatus(key)
            spellings[key] = Counter()
        spellings[key][written or NO_UNIT] += 1
        status.staff += 1
        if index in exempt:
            status.exempt += 1
        elif index in result.signed:
            status.signed += 1
        else:
            status.unsigned_staff.append(index)
    for key, status in groups.items():
        status.unit = _most_common(spellings[key])
    units = sorted(groups.values(), key=_worst_first)
    return Reconciliation(by, roster, evidence, units, result, frozenset(exempt), tuple(problems))


def _most_common(counter: Counter[str]) -> str:
    best = max(counter.values())
    return min(name for name, count in counter.items() if count == best)


def _worst_first(status: UnitStatus) -> tuple[float, str]:
    coverage = status.coverage
    return (2.0 if coverage is None else coverage, status.unit.casefold())


def _filled(employee: Employee) -> list[str]:
    names = ("nip", "name", "unit", "sub_unit", "kecamatan", "jabatan", "golongan", "employment_type", "nik")
    return [n for n in names if getattr(employee, n, None) not in (None, "")]


def to_json(rec: Reconciliation) -> dict[str, Any]:
    """The ``--json`` object documented in the README."""

    def counts(status: UnitStatus) -> dict[str, Any]:
        coverage = status.coverage
        return {
            "staff": status.staff,
            "signed": status.signed,
            "exempt": status.exempt,
            "unsigned": status.unsigned,
            "coverage": None if coverage is None else round(coverage, 4),
        }

    def person(index: int) -> dict[str, Any]:
        e = rec.roster[index]
        return {"nip": e.nip_full, "name": e.name, "sub_unit": e.sub_unit, "jabatan": e.jabatan}

    def signature(index: int) -> dict[str, Any]:
        a = rec.evidence[index]
        return {"source": str(a.source), "nip": a.nip.written or None, "name": a.name}

    return {
        "grouped_by": rec.grouped_by,
        "totals": counts(rec.totals),
        "units": [
            {"unit": u.unit, **counts(u), "unsigned_staff": [person(i) for i in u.unsigned_staff]} for u in rec.units
        ],
        "unmatched_signatures": [{**signature(u.attestation), "reason": u.reason} for u in rec.matches.unmatched],
        "review": [
            {
                **signature(r.attestation),
                "candidates": [{**person(c), "unit": rec.roster[c].unit} for c in r.candidates],
                "reason": r.reason,
            }
            for r in rec.matches.review
        ],
        "duplicates": [
            {**signature(d.attestation), "counted": str(rec.evidence[d.kept].source)} for d in rec.matches.duplicates
        ],
        "problems": [
            {"source": str(p.source), "column": p.column, "message": p.message, "severity": p.severity}
            for p in rec.problems
        ],
    }
