"""SIMPEG Nusantara's "Ekspor Data Pegawai" -> Employee records.

The export (menu Laporan > Ekspor Data Pegawai, format v3) is a CSV (``;``, UTF-8
with BOM) or an xlsx with one sheet, laid out as::

    #SIMPEG-NUSANTARA ; EKSPOR-PEGAWAI ; v3 ; <kode instansi> ; <tanggal ekspor>
    ID_PEG ; NIP_BARU ; NAMA_LENGKAP ; GELAR_DEPAN ; GELAR_BELAKANG ; JNS_PEG ; KD_GOL ; ...
    100234 ; 198503152010011001 ; AHMAD FAUZI ; Dr. ; M.Si. ; 1 ; 31 ; ...

Its column names alone would not need a reader (header aliases would do); its codes
do: JNS_PEG 1 PNS, 2 CPNS, 3 PPPK, 4 PPPK paruh waktu, 9 non-ASN; KD_GOL ``31`` for
III/a (PNS: first digit the ruang I-IV, second the letter a-e) and ``P09`` for PPPK
golongan IX; JK 1 male, 2 female; TGL_LAHIR as YYYYMMDD. An unknown code is a
warning and the value is left empty: the person stays on the roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from marshmallow import ValidationError

from asn_attest.errors import ConfigError, DataError
from asn_attest.nip import NipStatus
from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import NON_ASN, Employee, EmployeeSchema
from asn_attest.tabular.kinds import FileKind, FileSample
from asn_attest.tabular.tables import flatten_messages, sample_text
from asn_attest.tabular.workbook import open_workbook
from asn_attest.values import clean_text

MARKER = "#SIMPEG-NUSANTARA"
EXPORT = "EKSPOR-PEGAWAI"
VERSION = "v3"
ID_HEADER = "ID_PEG"

#: Field of the Employee record -> its column in the export.
COLUMNS: dict[str, str] = {
    "nip": "NIP_BARU",
    "name": "NAMA_LENGKAP",
    "gelar_depan": "GELAR_DEPAN",
    "gelar_belakang": "GELAR_BELAKANG",
    "employment_type": "JNS_PEG",
    "golongan": "KD_GOL",
    "jabatan": "NAMA_JABATAN",
    "unit": "NAMA_OPD",
    "sub_unit": "NAMA_SUBUNIT",
    "kecamatan": "KEC_KERJA",
    "birth_date": "TGL_LAHIR",
    "gender": "JK",
}
#: A v3 export always has these; without them the file is something else.
REQUIRED = ("nip", "name", "unit")
FILE_KINDS = (FileKind.CSV.value, FileKind.XLSX.value)

STAFF_TYPES = {"1": "PNS", "2": "PNS", "3": "PPPK", "4": "PPPK", "9": NON_ASN}
GENDERS = {"1": "L", "2": "P"}
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")
_PNS_LETTERS = {1: "abcd", 2: "abcd", 3: "abcd", 4: "abcde"}

_SCHEMA = EmployeeSchema()


def sniff(sample: FileSample) -> float:
    """Certain when the file starts with SIMPEG Nusantara's marker cell; not mine otherwise."""
    if sample.kind is FileKind.CSV:
        return 0.95 if sample_text(sample).lstrip("\ufeff").startswith(MARKER) else 0.0
    if sample.kind is FileKind.XLSX:
        return 0.95 if f">{MARKER}<" in sample_text(sample) else 0.0
    return 0.0


def golongan(code: str) -> str | None:
    """``"31"`` -> ``"III/a"``, ``"P09"`` -> ``"IX"``; None for a code SIMPEG Nusantara does not use."""
    if len(code) == 3 and code[0] in "Pp" and code[1:].isdigit() and 1 <= int(code[1:]) <= len(_ROMAN):
        return _ROMAN[int(code[1:]) - 1]
    if len(code) == 2 and code.isdigit():
        ruang, letter = int(code[0]), int(code[1])
        letters = _PNS_LETTERS.get(ruang, "")
        if 1 <= letter <= len(letters):
            return f"{_ROMAN[ruang - 1]}/{letters[letter - 1]}"
    return None


def birth_date(code: str) -> dt.date | None:
    """``"19850315"`` -> 15 March 1985; None when it is not a real YYYYMMDD date."""
    if len(code) != 8 or not code.isdigit():
        return None
    try:
        return dt.date(int(code[:4]), int(code[4:6]), int(code[6:]))
    except ValueError:
        return None


#: Code columns: field -> (translation, what the column holds, for the warning).
_CODES: dict[str, tuple[Callable[[str], Any], str]] = {
    "employment_type": (STAFF_TYPES.get, "1, 2, 3, 4 or 9"),
    "golongan": (golongan, "11-44 (45 for IV/e) for PNS, P01-P17 for PPPK"),
    "gender": (GENDERS.get, "1 or 2"),
    "birth_date": (birth_date, "a date as YYYYMMDD"),
}


def read_export(sample: FileSample, ctx: ReadContext) -> Iterator[Employee]:
    """The people of the export's first visible sheet, each with the row they came from."""
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        sheet = next((s for s in workbook.sheets if not s.hidden), None)
        if sheet is None:
            raise DataError("no visible sheet: expected a SIMPEG Nusantara export", file=sample.path)
        rows = sheet.rows()
        _check_marker(next(rows, None), sample, sheet.name)
        header = next(rows, None)
        if header is None:
            raise DataError("the export has no header row under its first line", file=sample.path, sheet=sheet.name)
        header_row, cells = header
        titles = [clean_text(value) or "" for value in cells]
        if titles[:1] != [ID_HEADER]:
            raise DataError(
                f"expected the header ({ID_HEADER} | NIP_BARU | NAMA_LENGKAP | ...) under the first line, "
                f"found {' | '.join(t for t in titles if t) or 'nothing'}",
                file=sample.path, sheet=sheet.name, row=header_row,
            )  # fmt: skip
        columns = _columns(titles, ctx.overrides, sample, sheet.name, header_row)
        headers = {field: titles[index] for field, index in columns.items()}
        ctx.sheet_read(
            sheet=sheet.name,
            header_row=header_row,
            columns=headers,
            ignored=[title for index, title in enumerate(titles) if title and index not in columns.values()],
        )
        for row, values in rows:
            data = {f: values[i] for f, i in columns.items() if i < len(values) and values[i] not in (None, "")}
            if not data:
                continue
            employee = _employee(data, headers, row, sheet.name, ctx)
            if employee is not None:
                yield employee


def _check_marker(first: tuple[int, tuple[Any, ...]] | None, sample: FileSample, sheet: str | None) -> None:
    if first is None:
        raise DataError("the file is empty: expected a SIMPEG Nusantara export", file=sample.path, sheet=sheet)
    row, values = first
    cells = [clean_text(v) or "" for v in values] + ["", "", ""]
    if cells[0] != MARKER:
        why = f"not a SIMPEG Nusantara export: its first cell should read {MARKER!r}, found {cells[0]!r}"
    elif cells[1] != EXPORT:
        why = (f"a SIMPEG Nusantara {cells[1] or 'file'}, not the staff export ({EXPORT}): export "
               "Laporan > Ekspor Data Pegawai")  # fmt: skip
    elif cells[2] != VERSION:
        why = (f"export format {cells[2] or '(none)'}; this plugin reads format {VERSION}: "
               f"upgrade asn-attest-nusantara, or export again in format {VERSION}")  # fmt: skip
    else:
        return
    raise DataError(why, file=sample.path, sheet=sheet, row=row)


def _columns(
    titles: list[str], overrides: Mapping[str, str], sample: FileSample, sheet: str | None, row: int
) -> dict[str, int]:
    """The column of each field: the user's ``--map FIELD=HEADER`` first, then COLUMNS."""
    keys = [title.casefold() for title in titles]
    columns: dict[str, int] = {}
    for field, header in {**COLUMNS, **overrides}.items():
        if field not in COLUMNS:
            raise ConfigError(f"unknown field {field!r} for a SIMPEG Nusantara export; fields: {', '.join(COLUMNS)}")
        if header.casefold() in keys:
            columns[field] = keys.index(header.casefold())
        elif field in overrides:
            raise ConfigError(f"{sample.path}: --map {field}={header!r}: no such column; columns: {' | '.join(titles)}")
    missing = [COLUMNS[field] for field in REQUIRED if field not in columns]
    if missing:
        raise DataError(f"the header has no {', '.join(missing)} column", file=sample.path, sheet=sheet, row=row)
    return columns


def _employee(
    data: dict[str, Any], headers: Mapping[str, str], row: int, sheet: str | None, ctx: ReadContext
) -> Employee | None:
    """One row through the codes and the schema; a bad value is a warning, a row without a name is skipped."""
    record: dict[str, Any] = {}
    for field, value in data.items():
        if field not in _CODES:
            record[field] = value
            continue
        translate, expected = _CODES[field]
        code = clean_text(value)  # the CSV gives "31", a workbook may give 31 or 31.0: all "31"
        meaning = translate(code) if code else None
        if meaning is None:
            ctx.problem(f"{code!r} is not a SIMPEG Nusantara code (expected {expected}): left empty",
                        sheet=sheet, row=row, column=headers[field], severity=WARNING)  # fmt: skip
        else:
            record[field] = meaning
    record["source"] = {"file": ctx.display_path, "sheet": sheet, "row": row}
    try:
        employee = _SCHEMA.load(record)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        if "name" in messages:
            why = "no name" if "name" not in record else "; ".join(flatten_messages(messages["name"]))
            ctx.problem(f"{why}: row skipped", sheet=sheet, row=row, column=headers.get("name"))
            return None
        for field, errors in messages.items():
            ctx.problem(f"{'; '.join(flatten_messages(errors))}: left empty",
                        sheet=sheet, row=row, column=headers.get(field, field), severity=WARNING)  # fmt: skip
            record.pop(field, None)
        employee = _SCHEMA.load(record)
    if employee.nip.status is NipStatus.INVALID or (
        employee.nip.status is NipStatus.EMPTY and employee.employment_type != NON_ASN
    ):
        reason = employee.nip.reason or "no NIP for an ASN employee"
        ctx.problem(f"NIP {employee.nip.written or ''!r}: {reason}; the person is kept, known by name and unit",
                    sheet=sheet, row=row, column=headers.get("nip"))  # fmt: skip
    return employee
