"""Rows of a roster export -> Employee records, with every problem reported by row and column."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from marshmallow import ValidationError

from asn_attest.errors import ConfigError, DataError
from asn_attest.nip import NipStatus
from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import NON_ASN, Employee, EmployeeSchema
from asn_attest.tabular.fields import ROSTER_FIELDS, UNIT_ROLES, extend, header_key
from asn_attest.tabular.header import HeaderNotFound, Table, UnknownField, UnknownHeader, find_table
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.workbook import open_workbook
from asn_attest.values import clean_text, split_place_date

_SCHEMA = EmployeeSchema()

#: How coarse a unit-like label is (see asn_attest.tabular.fields.UNIT_ROLES).
_UNIT_RANK = {"opd": 1, "unit_kerja": 2, "unor": 3}

#: Schema fields filled straight from a column of the same name.
_DIRECT = (
    "nip", "name", "gelar_depan", "gelar_belakang", "employment_type", "golongan", "jabatan", "unit",
    "sub_unit", "kecamatan", "gender", "birth_date", "birth_place", "nik", "nip_lama",
)  # fmt: skip

#: A name cell holding the NIP on a later line, or after a slash: "AHMAD FAUZI\nNIP. 1985..."
_NAME_NIP_SPLIT = re.compile(r"\s*(?:\n|/|\bNIP\b\.?:?)\s*", re.IGNORECASE)


def read_roster(sample: FileSample, ctx: ReadContext) -> Iterator[Employee]:
    vocabulary = extend(ROSTER_FIELDS, ctx.header_aliases)
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        not_found: list[tuple[str | None, str]] = []
        read_any = False
        for sheet in workbook.sheets:
            if sheet.hidden:
                ctx.problem(
                    f"hidden sheet '{sheet.name}' was not read (unhide it in Excel if it belongs to the roster)",
                    sheet=sheet.name,
                    severity=WARNING,
                )
                continue
            try:
                table = find_table(
                    sheet.rows(), vocabulary, overrides=ctx.overrides, required=(), required_any=(("name", "name_nip"),)
                )
            except HeaderNotFound as exc:
                not_found.append((sheet.name, str(exc)))
                continue
            except (UnknownHeader, UnknownField) as exc:
                raise ConfigError(f"{sample.path}{_sheet_label(sheet.name)}: {exc}") from None
            read_any = True
            yield from _read_table(table, sheet.name, ctx)
        if not read_any:
            if not not_found:
                raise DataError("no visible sheet with data", file=sample.path)
            sheet_name, message = not_found[0]
            raise DataError(f"no roster header found: {message}", file=sample.path, sheet=sheet_name)
        for sheet_name, message in not_found:
            ctx.problem(f"sheet '{sheet_name}' has no roster header and was not read", sheet=sheet_name, severity=WARNING)


def _sheet_label(name: str | None) -> str:
    return f", sheet '{name}'" if name is not None else ""


def _read_table(table: Table, sheet: str | None, ctx: ReadContext) -> Iterator[Employee]:
    layout = table.layout
    columns = dict(layout.columns)
    headers = dict(layout.headers)
    notes = list(layout.notes)
    constants = _apply_preamble(layout.preamble, columns, headers, ctx.overrides, notes)
    shown = dict(headers)
    for fieldname, value in constants.items():
        shown[fieldname] = f"(preamble) {value}"
    if "unit" not in columns and "unit" not in constants:
        notes.append("no unit column and no 'Satuan Kerja :' line: people have no unit; use --map unit=HEADER")
    report = ctx.sheet_read(
        sheet=sheet, header_row=layout.header_rows[0], columns=shown, ignored=layout.ignored, notes=notes
    )
    for row, values in table.rows:
        data = _row_data(values, columns, constants)
        if data is None:
            continue
        employee = _load(data, row, sheet, headers, ctx)
        if employee is not None:
            yield employee
    if table.footer_row is not None:
        report.notes.append(f"data ends at row {table.footer_row} (signature block or totals)")


def _apply_preamble(
    preamble: Mapping[str, str],
    columns: dict[str, int],
    headers: dict[str, str],
    overrides: Mapping[str, str],
    notes: list[str],
) -> dict[str, str]:
    """Fields a per-unit export gives once above the header ("Satuan Kerja : Dinas X").

    The coarsest unit-like line is the unit. A unit column finer than it (a "Unit
    Kerja (UNOR)" column under a "Satuan Kerja :" line) is then the sub-unit, unless
    the user mapped the unit column explicitly.
    """
    constants: dict[str, str] = {}
    ranked = sorted(
        (_UNIT_RANK[role], key, text)
        for key, value in preamble.items()
        if (role := UNIT_ROLES.get(key)) in _UNIT_RANK and (text := clean_text(value))
    )
    if ranked:
        rank, _, unit = ranked[0]
        if "unit" not in columns:
            constants["unit"] = unit
        elif "unit" not in overrides:
            column_rank = _UNIT_RANK.get(UNIT_ROLES.get(header_key(headers["unit"]), ""), 0)
            if column_rank > rank:
                header = headers.pop("unit")
                index = columns.pop("unit")
                if "sub_unit" not in columns:
                    columns["sub_unit"], headers["sub_unit"] = index, header
                    notes.append(f"'{header}' read as the sub-unit: the unit is '{unit}' from the line above the header")
                else:
                    notes.append(f"'{header}' not used: the unit is '{unit}' from the line above the header")
                constants["unit"] = unit
        if len(ranked) > 1 and "sub_unit" not in columns:
            constants["sub_unit"] = ranked[1][2]
    kecamatan = clean_text(preamble.get("kecamatan"))
    if kecamatan and "kecamatan" not in columns:
        constants["kecamatan"] = kecamatan
    return constants


def _row_data(values: tuple[Any, ...], columns: Mapping[str, int], constants: Mapping[str, str]) -> dict[str, Any] | None:
    """The raw values of one row by field; None for a row that is only a number (a blank template line)."""
    width = len(values)
    data: dict[str, Any] = {}
    for fieldname, index in columns.items():
        if index < width:
            value = values[index]
            if value is not None and value != "":
                data[fieldname] = value
    data.pop("row_no", None)
    if not data:
        return None
    for fieldname, value in constants.items():
        data.setdefault(fieldname, value)
    return data


def _load(
    data: dict[str, Any],
    row: int,
    sheet: str | None,
    headers: Mapping[str, str],
    ctx: ReadContext,
) -> Employee | None:
    record: dict[str, Any] = {f: data[f] for f in _DIRECT if f in data}
    combined = data.get("name_nip")
    if combined is not None and ("name" not in record or "nip" not in record):
        name, nip = _split_name_nip(combined)
        record.setdefault("name", name)
        if nip is not None:
            record.setdefault("nip", nip)
    place_date = data.get("birth_place_date")
    if place_date is not None:
        try:
            place, born = split_place_date(place_date)
        except ValueError as exc:
            ctx.problem(str(exc), sheet=sheet, row=row, column=headers.get("birth_place_date"))
        else:
            record.setdefault("birth_place", place)
            if born is not None:
                record.setdefault("birth_date", born)
    record["source"] = {"file": ctx.display_path, "sheet": sheet, "row": row}
    try:
        employee = _SCHEMA.load(record)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        if "name" in messages:
            if _only_unit_columns(data):
                return None
            column = headers.get("name") or headers.get("name_nip")
            why = "no name" if clean_text(record.get("name")) is None else "; ".join(_flatten(messages["name"]))
            ctx.problem(f"{why}: row skipped", sheet=sheet, row=row, column=column)
            return None
        for fieldname, errors in messages.items():
            ctx.problem(
                f"{'; '.join(_flatten(errors))}: value ignored",
                sheet=sheet,
                row=row,
                column=headers.get(fieldname, fieldname),
            )
            record.pop(fieldname, None)
        employee = _SCHEMA.load(record)
    _report_nip(employee, sheet, row, headers, ctx)
    return employee


def _only_unit_columns(data: Mapping[str, Any]) -> bool:
    """A row with nothing but a unit/sub-unit value is a group heading, not a person."""
    return set(data) <= {"unit", "sub_unit", "kecamatan"}


def _report_nip(employee: Employee, sheet: str | None, row: int, headers: Mapping[str, str], ctx: ReadContext) -> None:
    status = employee.nip.status
    if status is NipStatus.FULL or (status is NipStatus.EMPTY and employee.employment_type in (None, NON_ASN)):
        return
    column = headers.get("nip") or headers.get("name_nip")
    if status is NipStatus.PARTIAL:
        message = f"NIP {employee.nip.written!r}: {employee.nip.reason}; kept, matched by the first 15 digits and the name"
        ctx.problem(message, sheet=sheet, row=row, column=column, severity=WARNING)
    elif status is NipStatus.INVALID:
        message = f"NIP {employee.nip.written!r}: {employee.nip.reason}; the person is kept, known by name and unit"
        ctx.problem(message, sheet=sheet, row=row, column=column)
    else:
        ctx.problem(
            f"no NIP for a {employee.employment_type} employee; the person is kept, known by name and unit",
            sheet=sheet,
            row=row,
            column=column,
        )


def _split_name_nip(value: Any) -> tuple[str | None, str | None]:
    text = clean_text(value, keep_newlines=True)
    if text is None:
        return None, None
    parts = [p for p in _NAME_NIP_SPLIT.split(text, maxsplit=1) if p]
    if len(parts) == 2 and any(ch.isdigit() for ch in parts[1]):
        return parts[0], parts[1]
    if not any(ch.isalpha() for ch in text):  # only the NIP line was filled in
        return None, text
    return text.replace("\n", " "), None


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [m for v in errors.values() for m in _flatten(v)]
    if isinstance(errors, (list, tuple)):
        return [m for v in errors for m in _flatten(v)]
    return [str(errors)]

