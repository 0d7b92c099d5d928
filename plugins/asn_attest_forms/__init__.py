"""Bundled reader of online form responses (Google Forms and the like), CSV or xlsx.

A response counts as a signature only when its consent answer is affirmative; a
missing or negative answer is reported and not counted.
"""

from __future__ import annotations

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import AttestationReader
from asn_attest.tabular.kinds import FileKind, FileSample
from asn_attest.tabular.tables import sample_text

from .reader import TIMESTAMP_HEADER, read_form_responses

READER_NAME = "form"
_KINDS = (FileKind.XLSX.value, FileKind.CSV.value)


def sniff(sample: FileSample) -> float:
    """Form exports start with a timestamp column ("Timestamp", "Stempel waktu", "Cap waktu")."""
    if sample.kind.value not in _KINDS:
        return 0.0
    return 0.8 if TIMESTAMP_HEADER.search(sample_text(sample)) else 0.0


@hookimpl
def asn_attest_attestation_readers() -> list[AttestationReader]:
    return [
        AttestationReader(
            name=READER_NAME,
            description="Online form responses (Google Forms export, CSV or xlsx) with a consent answer",
            file_kinds=_KINDS,
            sniff=sniff,
            read=read_form_responses,
        )
    ]
