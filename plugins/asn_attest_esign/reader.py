"""E-signature log rows -> Attestation records (channel "esign").

A row whose status says the signing failed, was rejected or expired is not a
signature; it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from asn_attest.errors import DataError
from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import Attestation, Channel
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import keyword_columns, load_attestation
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


def read_esign_log(sample: FileSample, ctx: ReadContext) -> Iterator[Attestation]:
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        sheet = workbook.sheets[0]
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            raise DataError("empty e-signature log", file=sample.path)
        header_row, header = first
        texts = [clean_text(v) or "" for v in header]
        columns = keyword_columns(texts, _COLUMN_RULES, ctx, what="an e-signature log")
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


def _load(data: dict[str, Any], headers: dict[str, str], row: int, sheet: str | None, ctx: ReadContext) -> Attestation | None:
    record: dict[str, Any] = {k: data[k] for k in ("nik", "nip", "name", "signed_at") if k in data}
    record["channel"] = Channel.ESIGN.value
    record["raw"] = {headers[f]: str(v) for f, v in data.items()}
    return load_attestation(record, ctx, sheet=sheet, row=row, date_column=headers.get("signed_at"))
