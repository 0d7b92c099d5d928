"""E-signature log rows -> Attestation records (channel "esign").

A row whose status says the signing failed, was rejected or expired is not a
signature; it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from marshmallow import missing

from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import Attestation, Channel
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import EvidenceRows, keyword_table, raw_cells
from asn_attest.values import clean_text

_COLUMN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nik", re.compile(r"^(?:nik|nik penandatangan|nik signer)\b")),
    ("nip", re.compile(r"^nip\b(?! lama)")),
    ("name", re.compile(r"^(?:nama|name|penandatangan|signer)\b(?! (?:dokumen|document|berkas))")),
    ("document", re.compile(r"\b(?:dokumen|document|berkas)\b")),
    ("signed_at", re.compile(r"\b(?:waktu|tanggal|tgl|signed at|signing time|timestamp)\b")),
    ("status", re.compile(r"^(?:status|keterangan)\b")),
)
_FAILED = re.compile(r"\b(?:gagal|failed|ditolak|rejected|expired|kedaluwarsa|batal|dibatalkan|revoked|dicabut)\b", re.IGNORECASE)


def read_esign_log(sample: FileSample, ctx: ReadContext) -> Iterator[Attestation]:
    with keyword_table(
        sample, ctx, _COLUMN_RULES, what="an e-signature log", needs="a signer NIK (or NIP) and a signing time",
        required=(("signed_at",), ("nik", "nip")),
    ) as table:  # fmt: skip
        rows = EvidenceRows(ctx, sheet=table.sheet, date_column=table.headers.get("signed_at"))
        for numbers, cells in table.chunks():
            problems = {}
            for i, value in enumerate(cells.get("status", ())):
                status = clean_text(None if value is missing else value)
                if status and _FAILED.search(status):
                    problems[i] = (f"status {status!r}: not a signature", table.headers["status"], WARNING)
            record = {k: cells[k] for k in ("nik", "nip", "name", "signed_at") if k in cells}
            record["channel"] = [Channel.ESIGN.value] * len(numbers)
            record["raw"] = raw_cells(cells, table.headers)
            yield from rows.load(numbers, record, problems)
