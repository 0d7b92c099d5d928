"""Who has signed, per unit: the roster and the matcher's verdicts counted by OPD,
kecamatan or sub-unit. Pure code: no I/O, nothing printed.

Coverage of a unit = signed / (staff - exempt). Units are compared on
:func:`asn_attest.matching.unit_key`, so "DINAS KESEHATAN" in one export and
"Dinas Kesehatan" in another are one unit, shown in its most frequent spelling.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

from .errors import ConfigError
from .matching import MatchResult, Verdict, match, unit_key
from .names import name_key as key_of
from .nip import NipStatus
from .reading import ERROR, Problem
from .records import Attestation, Employee, Exemption, ExemptionReason, Provenance

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
    #: (exemption, roster index) of people who say they signed: for the admin to confirm, not counted
    claims: Sequence[tuple[Exemption, int]] = ()

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
    exemptions: Sequence[Exemption] = (),
    as_of: dt.date | None = None,
    problems: Sequence[Any] = (),
    verdicts: Mapping[int, Verdict] | None = None,
) -> Reconciliation:
    """Match the evidence to the roster and count per unit.

    People excused from signing (``exempt`` roster indexes, and the people the
    ``exemptions`` records name, valid on ``as_of``) count as neither signed nor
    unsigned. ``verdicts`` are reviewers' decisions on attestations (see
    :func:`asn_attest.matching.match`).
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
    result = match(roster, evidence, unit_aliases=unit_aliases, verdicts=verdicts)
    excused, claims, rejected = apply_exemptions(roster, exemptions, as_of=as_of or dt.date.today(), unit_aliases=unit_aliases)
    exempt = frozenset(exempt) | excused
    problems = (*problems, *rejected)
    units = sorted(_tally(roster, attribute, unit_aliases if by == "opd" else None, result.signed, exempt),
                   key=_worst_first)
    return Reconciliation(by, roster, evidence, units, result, exempt, tuple(problems), tuple(claims))


def _tally(
    roster: Sequence[Employee],
    attribute: str,
    aliases: Mapping[str, str] | None,
    signed: Mapping[int, Any],
    exempt: frozenset[int],
) -> list[UnitStatus]:
    """One UnitStatus per unit key, in the order the roster first names each unit.

    A person is exempt if excused (whether or not they signed), else signed, else
    unsigned. People are gathered per spelling of their unit first: a roster repeats
    a few dozen spellings, so each is keyed once, and a unit's count is then a few
    operations on the list of its people rather than a step per person.
    """
    by_spelling: dict[str, list[int]] = defaultdict(list)
    for index, written in enumerate(map(attrgetter(attribute), roster)):
        by_spelling[written or ""].append(index)
    # Spellings come in the order of their first person, so a unit key is met first
    # through its earliest spelling: units keep the order of their first person.
    members: dict[str, list[list[int]]] = {}
    spellings: dict[str, Counter[str]] = {}
    for written, people in by_spelling.items():
        key = unit_key(written, aliases)
        if key not in members:
            members[key] = []
            spellings[key] = Counter()
        members[key].append(people)
        spellings[key][written or NO_UNIT] += len(people)
    units = []
    for key, lists in members.items():
        # Several spellings of one unit: merged back into roster order.
        people = lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))
        unsigned = [i for i in people if i not in exempt and i not in signed]
        excused = sum(1 for i in people if i in exempt) if exempt else 0
        status = UnitStatus(_most_common(spellings[key]), staff=len(people), exempt=excused, unsigned_staff=unsigned)
        status.signed = status.staff - status.exempt - status.unsigned
        units.append(status)
    return units


def apply_exemptions(
    roster: Sequence[Employee],
    exemptions: Sequence[Exemption],
    *,
    as_of: dt.date,
    unit_aliases: Mapping[str, str] | None = None,
) -> tuple[frozenset[int], list[tuple[Exemption, int]], list[Problem]]:
    """Who the exemptions excuse on ``as_of``, who claims to have signed, and what is refused.

    A person is found by the whole NIP, or without one by the name within the unit.
    A file in which any row names someone of another unit, or a NIP that is not the
    roster's NIP for that name, is refused as a whole: such a file was edited or is
    the wrong one, and none of its rows can be trusted.
    """
    if not exemptions:
        return frozenset(), [], []  # what the loops below come to with nothing to apply
    by_nip = {e.nip_full: i for i, e in enumerate(roster) if e.nip_full}
    by_name: dict[tuple[str, str], list[int]] = {}
    keys: dict[str | None, str] = {}  # unit_key per spelling: a roster repeats a few dozen
    for i, e in enumerate(roster):
        unit = keys.get(e.unit)
        if unit is None:
            unit = keys[e.unit] = unit_key(e.unit, unit_aliases)
        by_name.setdefault((unit, e.name_key), []).append(i)
    found: dict[str, list[tuple[Exemption, int]]] = {}
    refused: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for exemption in exemptions:
        file = exemption.source.file
        index, fault = _find(roster, exemption, by_nip, by_name, unit_aliases)
        if fault is not None:
            refused.setdefault(file, []).append(f"row {exemption.source.row}: {fault}")
        elif index is None:
            problems.append(Problem(exemption.source, f"{exemption.name or exemption.nip.written}: not on the roster"))
        else:
            found.setdefault(file, []).append((exemption, index))
    for file, faults in refused.items():
        message = "file refused, none of its rows applied: " + "; ".join(faults)
        problems.append(Problem(Provenance(file), message, None, ERROR))
    excused: set[int] = set()
    claims: list[tuple[Exemption, int]] = []
    for file, rows in found.items():
        if file in refused:
            continue
        for exemption, index in rows:
            if exemption.reason is ExemptionReason.CLAIMS_SIGNED:
                claims.append((exemption, index))
            elif (exemption.until is None or exemption.until >= as_of) and (
                exemption.since is None or exemption.since <= as_of
            ):
                excused.add(index)
    return frozenset(excused), claims, problems


def _find(
    roster: Sequence[Employee],
    exemption: Exemption,
    by_nip: Mapping[str, int],
    by_name: Mapping[tuple[str, str], list[int]],
    unit_aliases: Mapping[str, str] | None,
) -> tuple[int | None, str | None]:
    """(roster index or None, a reason to refuse the whole file or None)."""
    written_unit = unit_key(exemption.unit, unit_aliases) if exemption.unit else None
    name_key = key_of(exemption.name) if exemption.name else ""
    nip = exemption.nip.nip.digits if exemption.nip.status is NipStatus.FULL and exemption.nip.nip else None
    if nip is not None:
        index = by_nip.get(nip)
        if index is None:
            same_name = by_name.get((written_unit or "", name_key), []) if name_key else []
            if same_name:
                other = roster[same_name[0]]
                return None, f"NIP {nip} is not {other.name}'s NIP on the roster ({other.nip_full}): altered?"
            return None, None
        person = roster[index]
        if written_unit and written_unit not in (unit_key(person.unit, unit_aliases), unit_key(person.sub_unit, unit_aliases)):
            return None, f"{person.name} (NIP {nip}) is in {person.unit}, not {exemption.unit}"
        if name_key and not set(name_key.split()) & set(person.name_key.split()):
            return None, f"NIP {nip} is {person.name} on the roster, not {exemption.name}: altered?"
        return index, None
    candidates = by_name.get((written_unit or "", name_key), []) if name_key else []
    return (candidates[0], None) if len(candidates) == 1 else (None, None)


def _most_common(counter: Counter[str]) -> str:
    best = max(counter.values())
    return min(name for name, count in counter.items() if count == best)


def _worst_first(status: UnitStatus) -> tuple[float, str]:
    coverage = status.coverage
    return (2.0 if coverage is None else coverage, status.unit.casefold())


def _filled(employee: Employee) -> list[str]:
    names = ("nip", "name", "unit", "sub_unit", "kecamatan", "jabatan", "golongan", "employment_type", "nik")
    return [n for n in names if getattr(employee, n, None) not in (None, "")]


def counts(status: UnitStatus) -> dict[str, Any]:
    """A unit's counts as JSON: staff, signed, exempt, unsigned, coverage (4 decimals)."""
    coverage = status.coverage
    return {
        "staff": status.staff,
        "signed": status.signed,
        "exempt": status.exempt,
        "unsigned": status.unsigned,
        "coverage": None if coverage is None else round(coverage, 4),
    }


def to_json(rec: Reconciliation) -> dict[str, Any]:
    """The ``--json`` object documented in the README."""

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
        "claims": [
            {"source": str(e.source), "nip": rec.roster[i].nip_full, "name": rec.roster[i].name, "unit": rec.roster[i].unit}
            for e, i in rec.claims
        ],
        "problems": [
            {"source": str(p.source), "column": p.column, "message": p.message, "severity": p.severity}
            for p in rec.problems
        ],
    }
