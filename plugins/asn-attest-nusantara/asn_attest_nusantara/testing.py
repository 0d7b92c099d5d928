"""Invented SIMPEG Nusantara exports, for this plugin's tests and for anyone trying it out.

The people come from :func:`asn_attest.testing.kabupaten.make_kabupaten` (made up from
a seed); :func:`write_export` lays them out as SIMPEG Nusantara's "Ekspor Data
Pegawai" v3 and says what a correct reader finds in the file.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from asn_attest.testing.kabupaten import Person

from .reader import _ROMAN, COLUMNS, EXPORT, ID_HEADER, MARKER, VERSION

__all__ = ["WrittenExport", "write_export", "golongan_code"]

_STAFF_CODES = {"PNS": "1", "PPPK": "3", "NON_ASN": "9"}
_GENDER_CODES = {"L": "1", "P": "2"}


@dataclass(frozen=True)
class WrittenExport:
    """A file :func:`write_export` wrote, and how many people and problems a correct reader finds."""

    path: Path
    records: int
    problems: int


def golongan_code(golongan: str | None) -> str:
    """``"III/a"`` -> ``"31"``, ``"IX"`` (PPPK) -> ``"P09"``, None -> ``""``."""
    if not golongan:
        return ""
    if "/" in golongan:
        ruang, letter = golongan.split("/")
        return f"{_ROMAN.index(ruang) + 1}{'abcde'.index(letter.lower()) + 1}"
    return f"P{_ROMAN.index(golongan) + 1:02d}"


def _row(number: int, person: Person) -> list[str]:
    by_field = {
        "nip": person.nip or "",
        "name": person.name.upper(),
        "gelar_depan": person.front_titles,
        "gelar_belakang": person.back_titles,
        "employment_type": _STAFF_CODES[person.employment_type],
        "golongan": golongan_code(person.golongan),
        "jabatan": person.jabatan,
        "unit": person.unit,
        "sub_unit": person.sub_unit or "",
        "kecamatan": person.kecamatan,
        "birth_date": f"{person.birth_date:%Y%m%d}",
        "gender": _GENDER_CODES[person.gender],
    }
    return [str(100_000 + number), *(by_field[field] for field in COLUMNS)]


def write_export(people: Sequence[Person], path: str | Path, *, fmt: str = "csv", traps: bool = True) -> WrittenExport:
    """``people`` as an "Ekspor Data Pegawai" v3 file (``fmt`` ``"csv"`` or ``"xlsx"``).

    With ``traps`` (and at least two people), the second person's KD_GOL is a code
    SIMPEG Nusantara does not use (a warning; the person is kept) and a last row
    has no name (a problem; the row is skipped).
    """
    path = Path(path)
    table = [[MARKER, EXPORT, VERSION, "3201", "2024-05-31"], [ID_HEADER, *COLUMNS.values()]]
    table += [_row(number, person) for number, person in enumerate(people, 1)]
    problems = 0
    if traps and len(people) >= 2:
        table[3][1 + list(COLUMNS).index("golongan")] = "99"
        nameless = _row(len(people) + 1, people[0])
        nameless[1 + list(COLUMNS).index("name")] = ""
        table.append(nameless)
        problems = 2
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows(table)
    elif fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "PEGAWAI"
        for cells in table:
            sheet.append(cells)
        workbook.save(path)
    else:
        raise ValueError(f"fmt must be 'csv' or 'xlsx', not {fmt!r}")
    return WrittenExport(path, len(people), problems)
