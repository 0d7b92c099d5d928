"""E-signature log rows -> Attestation records (channel "esign").

A row whose status says the signing failed, was rejected or expired is not a
signature; it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from marshmallow import ValidationError

from asn_attest.errors import ConfigError, DataError
from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import Attestation, AttestationSchema, Channel
from asn_attest.tabular.fields import header_key
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import flatten_messages
from asn_attest.tabular.workbook import open_workbook
from asn_attest.values import clean_text

_COLUMN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nik", re.compile(r"^(?:nik|nik penandatangan|nik signer)\b")),
    ("nip", re.compile(r"^nip\b(?! lama)")),
    ("name", re.compile(r"^(?:nama|name|penandatangan|signer)\b(?! (?:dokumen|document|berkas))")),
    ("document", re.compile(r"\b(?:dokumen|document|berkas)\b")),
    ("signed_at", re.compile(r"\b(?:waktu|tanggal|tgl|signed at|signing time|timestamp)\b")),
    ("status", re.compile(r"^(?:status|keterangan)\b")),
)
FIELDS = tuple(name for name, _ in _COLUMN_RULES)
_FAILED = re.compile(r"\b(?:gagal|failed|ditolak|rejected|expired|kedaluwarsa|batal|dibatalkan|revoked|dicabut)\b", re.IGNORECASE)

_SCHEMA = AttestationSchema()


def read_esign_log(sample: FileSample, ctx: ReadContext) -> Iterator[Attestation]:
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        sheet = workbook.sheets[0]
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            raise DataError("empty e-signature log", file=sample.path)
        header_row, header = first
        texts = [clean_text(v) or "" for v in header]
        columns = _columns(texts, ctx)
        if "signed_at" not in columns or not ({"nik", "nip"} & set(columns)):
            raise DataError(
                f"not an e-signature log with a signer NIK (or NIP) and a signing time; found: "
                f"{' | '.join(t for t in texts if t)} (name the columns with --map FIELD=HEADER; fields: {', '.join(FIELDS)})",
                file=sample.path, row=header_row,
            )  # fmt: skip
        headers = {f: texts[i] for f, i in columns.items()}
        ctx.sheet_read(
            sheet=sheet.name,
            header_row=header_row,
            columns=headers,
            ignored=[t for i, t in enumerate(texts) if t and i not in columns.values()],
        )
        for row, values in rows:
            data = {f: values[i] for f, i in columns.items() if i < len(values) and values[i] not in (None, "")}
            if not data:
                continue
            status = clean_text(data.get("status"))
            if status and _FAILED.search(status):
                ctx.problem(f"status {status!r}: not a signature", sheet=sheet.name, row=row,
                            column=headers["status"], severity=WARNING)  # fmt: skip
                continue
            attestation = _load(data, headers, row, sheet.name, ctx)
            if attestation is not None:
                yield attestation


def _columns(texts: list[str], ctx: ReadContext) -> dict[str, int]:
    keys = [header_key(t) for t in texts]
    columns: dict[str, int] = {}
    for field, header in ctx.overrides.items():
        if field not in FIELDS:
            raise ConfigError(f"unknown field {field!r} for an e-signature log; valid fields: {', '.join(FIELDS)}")
        if header_key(header) not in keys:
            raise ConfigError(f"{ctx.path}: --map {field}={header!r}: no such column; columns: {' | '.join(texts)}")
        columns[field] = keys.index(header_key(header))
    taken = set(columns.values())
    for field, rule in _COLUMN_RULES:
        if field not in columns:
            index = next((i for i, k in enumerate(keys) if i not in taken and k and rule.search(k)), None)
            if index is not None:
                columns[field] = index
                taken.add(index)
    return columns


def _load(data: dict[str, Any], headers: dict[str, str], row: int, sheet: str | None, ctx: ReadContext) -> Attestation | None:
    record: dict[str, Any] = {k: data[k] for k in ("nik", "nip", "name", "signed_at") if k in data}
    record["channel"] = Channel.ESIGN.value
    record["raw"] = {headers[f]: str(v) for f, v in data.items()}
    record["source"] = {"file": ctx.display_path, "sheet": sheet, "row": row}
    try:
        return _SCHEMA.load(record)
    except ValidationError as exc:
        ctx.problem(f"{'; '.join(flatten_messages(exc.messages))}: not counted", sheet=sheet, row=row)
        return None
