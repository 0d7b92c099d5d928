"""Rows of a roster export -> Employee records, with every problem reported by row and column."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from marshmallow import ValidationError, missing

from asn_attest.nip import NipStatus
from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import NON_ASN, Employee, EmployeeSchema, Provenance
from asn_attest.tabular.fields import ROSTER_FIELDS, extend
from asn_attest.tabular.header import Table
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import apply_preamble, column_chunks, flatten_messages, split_name_nip, tables
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
    display_path = ctx.display_path
    # a row holding nothing but a number (a blank template line) is no row (see row_values)
    used = {fieldname: index for fieldname, index in columns.items() if fieldname != "row_no"}
    for numbers, cells in column_chunks(table.rows, used):
        yield from _load_chunk(numbers, cells, constants, sheet, headers, display_path, ctx)
    if table.footer_row is not None:
        report.notes.append(f"data ends at row {table.footer_row} (signature block or totals)")


def _load_chunk(
    numbers: list[int],
    cells: dict[str, list[Any]],
    constants: Mapping[str, str],
    sheet: str | None,
    headers: Mapping[str, str],
    display_path: str,
    ctx: ReadContext,
) -> Iterator[Employee]:
    """The employees of some rows (a chunk of :func:`column_chunks`), in row order: their
    cells loaded column by column (:meth:`EmployeeSchema.load_columns`), what is wrong
    reported per row and cell."""
    size = len(numbers)
    for fieldname, value in constants.items():
        column = cells.setdefault(fieldname, [missing] * size)
        cells[fieldname] = [value if v is missing else v for v in column]
    record = {f: cells[f] for f in _DIRECT if f in cells}
    unsplit: dict[int, str] = {}
    if "name_nip" in cells or "birth_place_date" in cells:
        unsplit = _split_combined(cells, record, size)
    record["source"] = [Provenance(display_path, sheet, row) for row in numbers]
    employees, refused = _SCHEMA.load_columns(record, size)
    for i, employee in enumerate(employees):
        row = numbers[i]
        if i in unsplit:
            ctx.problem(unsplit[i], sheet=sheet, row=row, column=headers.get("birth_place_date"))
        if employee is None:
            data = {f: column[i] for f, column in cells.items() if column[i] is not missing}
            loaded = {f: column[i] for f, column in record.items() if column[i] is not missing}
            employee = _after_refusal(refused[i], loaded, data, row, sheet, headers, ctx)
            if employee is None:
                continue
        _report_nip(employee, sheet, row, headers, ctx)
        yield employee


def _split_combined(cells: Mapping[str, list[Any]], record: dict[str, list[Any]], size: int) -> dict[int, str]:
    """Fill ``name``/``nip`` from a "name and NIP" column, and ``birth_place``/``birth_date``
    from a "place, date of birth" column, where the row has no column of its own for
    them; returns, by row, why a place and date could not be split."""
    for fieldname in ("name", "nip", "birth_place", "birth_date"):
        record[fieldname] = list(record.get(fieldname) or [missing] * size)
    name, nip, place, born = record["name"], record["nip"], record["birth_place"], record["birth_date"]
    combined = cells.get("name_nip")
    place_date = cells.get("birth_place_date")
    unsplit: dict[int, str] = {}
    for i in range(size):
        if combined is not None and combined[i] is not missing and (name[i] is missing or nip[i] is missing):
            split_name, split_nip = split_name_nip(combined[i])
            if name[i] is missing and split_name is not None:
                name[i] = split_name
            if nip[i] is missing and split_nip is not None:
                nip[i] = split_nip
        if place_date is not None and place_date[i] is not missing:
            try:
                split_place, split_born = split_place_date(place_date[i])
            except ValueError as exc:
                unsplit[i] = str(exc)
                continue
            if place[i] is missing and split_place is not None:
                place[i] = split_place
            if born[i] is missing and split_born is not None:
                born[i] = split_born
    return unsplit


def _after_refusal(
    exc: ValidationError,
    record: dict[str, Any],
    data: Mapping[str, Any],
    row: int,
    sheet: str | None,
    headers: Mapping[str, str],
    ctx: ReadContext,
) -> Employee | None:
    """A refused row: skipped when it has no usable name, else loaded without the
    values refused, each reported by its column."""
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
    return _SCHEMA.load(record)


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
