"""Exemption rows -> Exemption records.

A returned ``belum-ttd`` workbook lists every unsigned person of one unit; only the
rows whose Keterangan was filled in say something, the others are skipped. The unit
comes from the title block ("Unit: Dinas X") when the rows have no unit column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marshmallow import ValidationError

from asn_attest.reading import ReadContext
from asn_attest.records import Exemption, ExemptionSchema
from asn_attest.tabular.fields import EXEMPTION_FIELDS, extend
from asn_attest.tabular.header import Table
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import apply_preamble, flatten_messages, row_values, split_name_nip, tables
from asn_attest.values import clean_text

_SCHEMA = ExemptionSchema()
_UNIT_LABELS = ("unit", "unit kerja", "opd", "satuan kerja")


def read_exemptions(sample: FileSample, ctx: ReadContext) -> Iterator[Exemption]:
    vocabulary = extend(EXEMPTION_FIELDS, ctx.header_aliases)
    for sheet, table in tables(
        sample, ctx, vocabulary, what="exemption", required_any=(("nip", "name", "name_nip"), ("reason",))
    ):
        yield from _read_table(table, sheet, ctx)


def _read_table(table: Table, sheet: str | None, ctx: ReadContext) -> Iterator[Exemption]:
    layout = table.layout
    columns, headers, notes = dict(layout.columns), dict(layout.headers), list(layout.notes)
    constants = apply_preamble(layout.preamble, columns, headers, ctx.overrides, notes)
    if "unit" not in columns and "unit" not in constants:
        unit = next((clean_text(layout.preamble[k]) for k in _UNIT_LABELS if k in layout.preamble), None)
        if unit:
            constants["unit"] = unit
    shown = dict(headers) | {f: f"(preamble) {v}" for f, v in constants.items()}
    report = ctx.sheet_read(
        sheet=sheet, header_row=layout.header_rows[0], columns=shown, ignored=layout.ignored, notes=notes
    )
    blank = 0
    for row, values in table.rows:
        data = row_values(values, columns, constants)
        if data is None:
            continue
        if clean_text(data.get("reason")) is None:
            blank += 1
            continue
        exemption = _load(data, headers, row, sheet, ctx)
        if exemption is not None:
            yield exemption
    if blank:
        report.notes.append(f"{blank} row(s) without a reason: nothing to record")


def _load(data: dict[str, Any], headers: dict[str, str], row: int, sheet: str | None, ctx: ReadContext) -> Exemption | None:
    record = {k: data[k] for k in ("nip", "name", "unit", "reason", "since", "until") if k in data}
    if "name_nip" in data and ("name" not in record or "nip" not in record):
        name, nip = split_name_nip(data["name_nip"])
        record.setdefault("name", name)
        if nip is not None:
            record.setdefault("nip", nip)
    record["source"] = {"file": ctx.display_path, "sheet": sheet, "row": row}
    try:
        return _SCHEMA.load(record)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        column = next((headers[f] for f in messages if f in headers), None)
        ctx.problem(f"{'; '.join(flatten_messages(messages))}: not recorded", sheet=sheet, row=row, column=column)
        return None
