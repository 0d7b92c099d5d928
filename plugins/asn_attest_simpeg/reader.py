"""Rows of a roster export -> Employee records, with every problem reported by row and column."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from marshmallow import ValidationError

from asn_attest.nip import NipStatus
from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import NON_ASN, Employee, EmployeeSchema
from asn_attest.tabular.fields import ROSTER_FIELDS, extend
from asn_attest.tabular.header import Table
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import apply_preamble, flatten_messages, row_values, split_name_nip, tables
from asn_attest.values import clean_text, split_place_date

_SCHEMA = EmployeeSchema()

#: Schema fields filled straight from a column of the same name.
_DIRECT = (
    "nip", "name", "gelar_depan", "gelar_belakang", "employment_type", "golongan", "jabatan", "unit",
    "sub_unit", "kecamatan", "gender", "birth_date", "birth_place", "nik", "nip_lama",
)  # fmt: skip

def read_roster(sample: FileSample, ctx: ReadContext) -> Iterator[Employee]:
    vocabulary = extend(ROSTER_FIELDS, ctx.header_aliases)
    for sheet, table in tables(sample, ctx, vocabulary, what="roster", required_any=(("name", "name_nip"),)):
        yield from _read_table(table, sheet, ctx)


def _read_table(table: Table, sheet: str | None, ctx: ReadContext) -> Iterator[Employee]:
    layout = table.layout
    columns = dict(layout.columns)
    headers = dict(layout.headers)
    notes = list(layout.notes)
    constants = apply_preamble(layout.preamble, columns, headers, ctx.overrides, notes)
    shown = dict(headers)
    for fieldname, value in constants.items():
        shown[fieldname] = f"(preamble) {value}"
    if "unit" not in columns and "unit" not in constants:
        notes.append("no unit column and no 'Satuan Kerja :' line: people have no unit; use --map unit=HEADER")
    report = ctx.sheet_read(
        sheet=sheet, header_row=layout.header_rows[0], columns=shown, ignored=layout.ignored, notes=notes
    )
    for row, values in table.rows:
        data = row_values(values, columns, constants)
        if data is None:
            continue
        employee = _load(data, row, sheet, headers, ctx)
        if employee is not None:
            yield employee
    if table.footer_row is not None:
        report.notes.append(f"data ends at row {table.footer_row} (signature block or totals)")


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
        name, nip = split_name_nip(combined)
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
            why = "no name" if clean_text(record.get("name")) is None else "; ".join(flatten_messages(messages["name"]))
            ctx.problem(f"{why}: row skipped", sheet=sheet, row=row, column=column)
            return None
        for fieldname, errors in messages.items():
            ctx.problem(
                f"{'; '.join(flatten_messages(errors))}: value ignored",
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
