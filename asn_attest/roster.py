"""One roster out of many exports: PNS, PPPK and non-ASN lists, one file per OPD or one for all.

The same NIP in two places is a person counted once: the first occurrence (in
file order, then row order) stays on the roster and every other is reported with
both places named, so the admin can see which export is out of date.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .plugins import AsnAttestPluginManager
from .reading import WARNING, Problem, ReadResult, SheetReport, read_files
from .records import Employee


@dataclass
class Roster:
    """Everyone on the roster, with what was read from where and what was wrong."""

    employees: list[Employee]
    sheets: list[SheetReport]
    problems: list[Problem]
    duplicates: list[Problem]

    @property
    def fields_present(self) -> set[str]:
        """Fields for which at least one sheet had a column (or a preamble line)."""
        return {f for s in self.sheets for f in s.columns}


def load_roster(
    pm: AsnAttestPluginManager,
    paths: Iterable[str | os.PathLike[str]],
    *,
    overrides: Mapping[str, str] | None = None,
    reader: str | None = None,
    max_rows: int | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Roster:
    result: ReadResult[Employee] = read_files(
        pm.roster_readers(),
        paths,
        forced_reader=reader,
        overrides=overrides,
        header_aliases=pm.header_aliases("roster"),
        max_rows=max_rows,
        on_file=on_file,
    )
    employees, duplicates = _drop_duplicate_nips(result.records)
    reports = {(s.path, s.sheet): s for s in result.sheets}
    for problem in duplicates:
        reports[(problem.source.file, problem.source.sheet)].problems.append(problem)
    return Roster(employees, result.sheets, result.problems + duplicates, duplicates)


def _drop_duplicate_nips(records: list[Employee]) -> tuple[list[Employee], list[Problem]]:
    first: dict[str, Employee] = {}
    kept: list[Employee] = []
    duplicates: list[Problem] = []
    for employee in records:
        nip = employee.nip_full
        if nip is None:
            kept.append(employee)
            continue
        earlier = first.get(nip)
        if earlier is None:
            first[nip] = employee
            kept.append(employee)
            continue
        same_person = earlier.name_key == employee.name_key
        message = (
            f"NIP {nip} already read at {earlier.source}"
            + ("" if same_person else f" for a different name ({earlier.name!r})")
            + "; this row is not counted again"
        )
        duplicates.append(Problem(employee.source, message, "nip", WARNING if same_person else "error"))
    return kept, duplicates
