"""One roster out of many exports: PNS, PPPK and non-ASN lists, one file per OPD or one for all.

The same NIP in two places is a person counted once: the first occurrence (in
file order, then row order) stays on the roster and every other is reported with
both places named, so the admin can see which export is out of date.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .plugins import AsnAttestPluginManager
from .nip import NipStatus
from .reading import ERROR, WARNING, Problem, ReadJob, ReadResult, SheetReport, read_jobs
from .records import Employee

_NIK = re.compile(r"^\d{16}$")


@dataclass
class Roster:
    """Everyone on the roster, with what was read from where and what was wrong."""

    employees: list[Employee]
    sheets: list[SheetReport]
    problems: list[Problem]
    duplicates: list[Problem]


def load_roster(
    pm: AsnAttestPluginManager,
    paths: Iterable[str | os.PathLike[str]],
    *,
    overrides: Mapping[str, str] | None = None,
    reader: str | None = None,
    max_rows: int | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Roster:
    job = roster_job(pm, paths, overrides=overrides, reader=reader, max_rows=max_rows)
    return assemble_roster(read_jobs([job], on_file=on_file)[0])


def roster_job(
    pm: AsnAttestPluginManager,
    paths: Iterable[str | os.PathLike[str]],
    *,
    overrides: Mapping[str, str] | None = None,
    reader: str | None = None,
    max_rows: int | None = None,
) -> ReadJob:
    """Reading roster exports, for :func:`asn_attest.reading.read_jobs` (then :func:`assemble_roster`)."""
    return ReadJob(
        pm.roster_readers(),
        tuple(paths),
        forced_reader=reader,
        overrides=overrides,
        header_aliases=tuple(pm.header_aliases("roster")),
        max_rows=max_rows,
    )


def assemble_roster(result: ReadResult[Employee]) -> Roster:
    """One roster from the rows read from its files, in file order: each person once.

    The sheet reports in ``result`` gain the duplicate rows found in their sheet.
    """
    employees, duplicates = _drop_duplicates(result.records)
    reports = {(s.path, s.sheet): s for s in result.sheets}
    for index, problem in enumerate(duplicates):
        report = reports[(problem.source.file, problem.source.sheet)]
        if problem.column in report.columns:  # name the column as its header says
            problem = duplicates[index] = replace(problem, column=report.columns[problem.column])
        report.problems.append(problem)
    return Roster(employees, result.sheets, result.problems + duplicates, duplicates)


def _drop_duplicates(records: list[Employee]) -> tuple[list[Employee], list[Problem]]:
    """Keep the first row of each person; report the others, naming where the first was.

    The same person is: the same whole NIP; a NIP damaged by Excel whose trusted first
    15 digits and name agree with an earlier row; or, for staff without a NIP, the
    same 16-digit NIK.
    """
    by_nip: dict[str, Employee] = {}
    by_prefix: dict[tuple[str, str], Employee] = {}
    by_nik: dict[str, Employee] = {}
    kept: list[Employee] = []
    duplicates: list[Problem] = []
    for employee in records:
        nip = employee.nip
        status = nip.status
        if status is NipStatus.FULL and nip.nip is not None:
            digits = nip.nip.digits
            earlier = by_nip.get(digits)
            if earlier is None:
                head = (digits[:15], employee.name_key)
                earlier = by_prefix.get(head)
                if earlier is None:
                    kept.append(employee)
                    by_nip[digits] = employee
                    by_prefix.setdefault(head, employee)
                    continue
                what = f"NIP {digits} (damaged there; same first 15 digits and name)"
            else:
                what = f"NIP {digits}"
        elif status is NipStatus.PARTIAL and nip.prefix15:
            head = (nip.prefix15, employee.name_key)
            earlier = by_prefix.get(head)
            if earlier is None:
                kept.append(employee)
                by_prefix.setdefault(head, employee)
                continue
            what = f"damaged NIP {nip.written!r} (same first 15 digits and name)"
        elif status is NipStatus.EMPTY and employee.nik and _NIK.match(employee.nik):
            earlier = by_nik.get(employee.nik)
            if earlier is None:
                kept.append(employee)
                by_nik[employee.nik] = employee
                continue
            what = "NIK"
        else:
            kept.append(employee)
            continue
        if earlier.nip.status is NipStatus.PARTIAL and status is NipStatus.FULL:
            earlier.nip = nip  # the whole NIP found elsewhere repairs the damaged one
            by_nip[nip.nip.digits] = earlier  # type: ignore[union-attr]
        same_person = earlier.name_key == employee.name_key
        message = (
            f"{what} already read at {earlier.source}"
            + ("" if same_person else f" for a different name ({earlier.name!r})")
            + "; this row is not counted again"
        )
        duplicates.append(Problem(employee.source, message, "nip" if what != "NIK" else "nik", WARNING if same_person else ERROR))
    return _drop_broken_copies(kept, duplicates)


def _drop_broken_copies(kept: list[Employee], duplicates: list[Problem]) -> tuple[list[Employee], list[Problem]]:
    """A row whose NIP lost a digit, or most digits to scientific notation, is the same
    person as a row with the same name whose whole NIP it is a broken copy of."""
    broken = [e for e in kept if e.nip.status is NipStatus.INVALID and e.nip.digits]
    if not broken:
        return kept, duplicates
    whole: dict[str, list[Employee]] = {}
    for employee in kept:
        if employee.nip_full is not None:
            whole.setdefault(employee.name_key, []).append(employee)
    dropped: set[int] = set()
    for employee in broken:
        digits = employee.nip.digits or ""
        for other in whole.get(employee.name_key, ()):
            full = other.nip_full or ""
            if _is_broken_copy(digits, employee.nip.written, full):
                dropped.add(id(employee))
                duplicates.append(
                    Problem(
                        employee.source,
                        f"NIP {employee.nip.written!r} is a broken copy of NIP {full} of the same name at "
                        f"{other.source}; this row is not counted again",
                        "nip",
                        WARNING,
                    )
                )
                break
    return [e for e in kept if id(e) not in dropped], duplicates


def _is_broken_copy(digits: str, written: str, full: str) -> bool:
    if len(digits) == 17:
        return any(full[:i] + full[i + 1 :] == digits for i in range(18))
    significant = digits.rstrip("0")
    return "e" in written.lower() and len(significant) >= 6 and full.startswith(significant)
