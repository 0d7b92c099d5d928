"""Form responses -> Attestation records.

Form headers are the questions as the form's author typed them ("NIP (18 digit,
tanpa spasi)", "Dengan ini saya menyatakan bersedia ..."), so columns are found by
keywords in the header row, not by the fixed vocabulary of exports; ``--map`` wins
over every guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from marshmallow import missing

from asn_attest.reading import WARNING, ReadContext
from asn_attest.records import Attestation, Channel, SharedText
from asn_attest.tabular.kinds import FileSample
from asn_attest.tabular.tables import EvidenceRows, keyword_table, raw_cells
from asn_attest.values import clean_text

TIMESTAMP_HEADER = re.compile(r"\b(?:timestamp|stempel waktu|cap waktu)\b", re.IGNORECASE)

#: field -> header_key pattern, tried in this order; the first column that matches wins.
_COLUMN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("timestamp", re.compile(r"^(?:timestamp|stempel waktu|cap waktu)\b")),
    ("email", re.compile(r"\b(?:email|e mail|surel)\b")),
    ("nik", re.compile(r"^(?:nik|no ktp|nomor induk kependudukan)\b")),
    ("nip", re.compile(r"^(?:nip|ni pppk|nomor induk pegawai)\b(?! lama)")),
    ("name", re.compile(r"^nama(?! (?:unit|opd|skpd|instansi|dinas|satuan|perangkat))\b")),
    ("unit", re.compile(r"\b(?:unit kerja|opd|skpd|instansi|perangkat daerah|satuan kerja|satker)\b")),
    ("consent", re.compile(r"\b(?:setuju|bersedia|pernyataan|persetujuan|menyatakan|ikrar|consent|agree)\b")),
)

_YES = re.compile(r"^(?:ya|iya|yes|y|setuju|saya setuju|bersedia|saya bersedia|sanggup|benar|ok|true|1)\b", re.IGNORECASE)
_NO = re.compile(r"^(?:tidak|tdk|no|n|belum|menolak|false|0)\b", re.IGNORECASE)


def read_form_responses(sample: FileSample, ctx: ReadContext) -> Iterator[Attestation]:
    with keyword_table(
        sample, ctx, _COLUMN_RULES, what="a form export", needs="a timestamp, a NIP or name, and a consent question",
        required=(("timestamp",), ("consent",), ("nip", "name", "nik")),
    ) as table:  # fmt: skip
        declined = 0
        headers = table.headers
        shared = {f: SharedText() for f in headers}
        rows = EvidenceRows(ctx, sheet=table.sheet, date_column=headers.get("timestamp"))
        consents = _Consents()
        for numbers, cells in table.chunks():
            problems = {}
            for i, answer in enumerate(cells["consent"]):
                if answer is missing:
                    answer = None
                if not consents(answer):
                    text = clean_text(answer) or "no answer"
                    problems[i] = (f"consent answer {text!r} is not a yes: not a signature", headers["consent"], WARNING)
            declined += len(problems)
            record = {k: cells[k] for k in ("nip", "name", "unit", "nik") if k in cells}
            if "timestamp" in cells:
                record["signed_at"] = cells["timestamp"]
            record["channel"] = [Channel.FORM.value] * len(numbers)
            # a sharer may take a chunk's texts past its limit (see SharedText.sharer)
            record["raw"] = raw_cells(cells, headers, {f: shared[f].sharer() for f in cells})
            yield from rows.load(numbers, record, problems)
        if declined:
            table.report.notes.append(f"{declined} response(s) without a yes to the consent question: not counted")


def _consents(answer: Any) -> bool:
    text = clean_text(answer)
    return bool(text) and bool(_YES.match(text)) and not _NO.match(text)


class _Consents:
    """:func:`_consents`, remembered per answer: a form has a handful of distinct answers."""

    def __init__(self) -> None:
        self._seen: dict[str, bool] = {}

    def __call__(self, answer: Any) -> bool:
        if type(answer) is not str:
            return _consents(answer)
        verdict = self._seen.get(answer)
        if verdict is None:
            verdict = _consents(answer)
            if len(self._seen) < 4096:
                self._seen[answer] = verdict
        return verdict
