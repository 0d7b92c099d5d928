"""Sign sheet rows -> Attestation records: a row is a signature only when its sign cell holds a mark.

Sheets are pre-printed from the roster with every staff member of the unit, so a
row on the sheet proves nothing: "1.", "2.", a tick, "ttd" or any other mark in
the TANDA TANGAN column is a signature, a blank cell is a person who did not sign.
A cell holding only the pre-printed dotted line ("........", "1. ........") is blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from asn_attest.errors import DataError
from asn_attest.nip import NipStatus
from asn_attest.reading import SIGNERS_LIST, WARNING, ReadContext
from asn_attest.records import Attestation, Channel
from asn_attest.tabular.fields import SIGNSHEET_FIELDS, extend
from asn_attest.tabular.header import Table
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import apply_preamble, load_attestation, row_values, split_name_nip, tables
from asn_attest.values import clean_text, parse_date

_DATE_LABELS = ("hari tanggal", "hari tgl", "tanggal", "tgl", "hari")
#: A pre-printed signing line: dots, underscores, dashes, optionally after the row's number.
_PLACEHOLDER = re.compile(r"^\s*(?:\d+\s*[.)]?)?\s*[._\-…\s]{3,}$")


def read_sign_sheet(sample: FileSample, ctx: ReadContext) -> Iterator[Attestation]:
    vocabulary = extend(SIGNSHEET_FIELDS, ctx.header_aliases)
    for sheet, table in tables(sample, ctx, vocabulary, what="sign sheet", required_any=(("name", "name_nip", "nip"),)):
        yield from _read_table(sample, table, sheet, ctx)


def is_mark(value: Any) -> bool:
    """Whether a sign cell holds a signature mark (anything but blank or a pre-printed line)."""
    if value is None or value is False:
        return False
    text = clean_text(value)
    return bool(text) and not _PLACEHOLDER.match(text)


def _read_table(sample: FileSample, table: Table, sheet: str | None, ctx: ReadContext) -> Iterator[Attestation]:
    layout = table.layout
    columns = dict(layout.columns)
    headers = dict(layout.headers)
    notes = list(layout.notes)
    signers_list = bool(ctx.options.get(SIGNERS_LIST))
    if "signature" not in columns and not signers_list:
        raise DataError(
            "no signature column (TANDA TANGAN, TTD or PARAF): a pre-printed sheet lists those who did not sign "
            "too, so its rows cannot be counted; if this sheet lists only people who signed, say so with "
            "--signers-list",
            file=sample.path,
            sheet=sheet,
            row=layout.header_rows[0],
        )
    constants = apply_preamble(layout.preamble, columns, headers, ctx.overrides, notes)
    signed_on = _preamble_date(layout.preamble, notes)
    shown = dict(headers)
    for fieldname, value in constants.items():
        shown[fieldname] = f"(preamble) {value}"
    if signed_on is not None and "date" not in columns:
        shown["date"] = f"(preamble) {signed_on.isoformat()}"
    if "signature" not in columns:
        notes.append("no signature column: every row read as a signature (--signers-list)")
    report = ctx.sheet_read(
        sheet=sheet, header_row=layout.header_rows[0], columns=shown, ignored=layout.ignored, notes=notes
    )
    sign_cols = _sign_columns(columns.get("signature"), layout.texts)
    blank = 0
    for row, values in table.rows:
        if sign_cols and not any(is_mark(values[c]) for c in sign_cols if c < len(values)):
            blank += 1
            continue
        data = row_values(values, columns, constants)
        if data is None:
            continue
        attestation = _load(data, values, layout.headers, row, sheet, signed_on, ctx)
        if attestation is not None:
            yield attestation
    if sign_cols:
        report.notes.append(f"{blank} row(s) with a blank signature cell: listed, not signed")


def _sign_columns(sign_col: int | None, texts: list[str]) -> tuple[int, ...]:
    """The sign column, and the one after it when it has no header of its own.

    Sheets often merge TANDA TANGAN over two columns and alternate the signing
    lines ("1." left, "2." right); a mark in either is a signature.
    """
    if sign_col is None:
        return ()
    after = sign_col + 1
    if after >= len(texts) or not texts[after]:
        return (sign_col, after)
    return (sign_col,)


def _preamble_date(preamble: Mapping[str, str], notes: list[str]) -> Any:
    for label in _DATE_LABELS:
        if label in preamble:
            try:
                return parse_date(preamble[label])
            except ValueError as exc:
                notes.append(f"'{preamble[label]}' above the header is not a date ({exc}); signing date unknown")
                return None
    return None


def _load(
    data: dict[str, Any],
    values: tuple[Any, ...],
    headers: Mapping[str, str],
    row: int,
    sheet: str | None,
    signed_on: Any,
    ctx: ReadContext,
) -> Attestation | None:
    record: dict[str, Any] = {k: data[k] for k in ("nip", "name", "unit") if k in data}
    if "name_nip" in data and ("name" not in record or "nip" not in record):
        name, nip = split_name_nip(data["name_nip"])
        if name is not None:
            record.setdefault("name", name)
        if nip is not None:
            record.setdefault("nip", nip)
    when = data.get("date", signed_on)
    if when is not None:
        record["signed_at"] = when
    record["channel"] = Channel.SHEET.value
    record["raw"] = {headers.get(f, f): _raw(v) for f, v in data.items() if f in headers}
    attestation = load_attestation(record, ctx, sheet=sheet, row=row, date_column=headers.get("date"))
    if attestation is None:
        return None
    if attestation.nip.status in (NipStatus.INVALID, NipStatus.PARTIAL):
        ctx.problem(
            f"NIP {attestation.nip.written!r}: {attestation.nip.reason}; matched by name instead",
            sheet=sheet, row=row, column=headers.get("nip") or headers.get("name_nip"), severity=WARNING,
        )  # fmt: skip
    return attestation


def _raw(value: Any) -> str:
    return "" if value is None else str(value)
