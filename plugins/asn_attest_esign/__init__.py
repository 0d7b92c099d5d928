"""Bundled reader of electronic-signature logs (BSrE / TTE exports, CSV).

Such logs identify the signer by NIK, not NIP; the matcher ties a NIK to a person
through the roster's NIK column.
"""

from __future__ import annotations

import re

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import AttestationReader
from asn_attest.tabular.kinds import FileKind, FileSample
from asn_attest.tabular.tables import sample_text

from .reader import read_esign_log

READER_NAME = "esign"
_NIK = re.compile(r"\bnik\b", re.IGNORECASE)
_DOCUMENT = re.compile(r"\b(?:dokumen|document|berkas)\b", re.IGNORECASE)


def sniff(sample: FileSample) -> float:
    """A log names the signer's NIK and the document signed, on its first line."""
    if sample.kind is not FileKind.CSV:
        return 0.0
    first_line = sample_text(sample).lstrip("\ufeff").split("\n", 1)[0]
    return 0.7 if _NIK.search(first_line) and _DOCUMENT.search(first_line) else 0.0


@hookimpl
def asn_attest_attestation_readers() -> list[AttestationReader]:
    return [
        AttestationReader(
            name=READER_NAME,
            description="Electronic-signature logs (CSV): signer NIK, name, document, signing time",
            file_kinds=(FileKind.CSV.value,),
            sniff=sniff,
            read=read_esign_log,
        )
    ]
