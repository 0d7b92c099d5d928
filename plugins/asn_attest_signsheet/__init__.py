"""Bundled reader of paper sign sheets typed or scanned into Excel (daftar hadir penandatanganan).

Registered through the ``asn_attest`` entry-point group like any vendor's plugin.
"""

from __future__ import annotations

import re

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import AttestationReader
from asn_attest.tabular.kinds import FileKind, FileSample

from .reader import read_sign_sheet

READER_NAME = "signsheet"
_KINDS = (FileKind.XLSX.value, FileKind.XLS.value, FileKind.HTML.value, FileKind.CSV.value)
_SIGN_WORDS = re.compile(rb"tanda\s*tangan|\bttd\b|\bparaf\b|ikrar", re.IGNORECASE)


def sniff(sample: FileSample) -> float:
    """Text files can be checked for a signature column; workbooks are compressed, so answer low."""
    if sample.kind.value not in _KINDS:
        return 0.0
    if sample.kind in (FileKind.CSV, FileKind.HTML):
        head = sample.head.decode(sample.encoding or "utf-8", errors="replace").encode("utf-8")
        return 0.5 if _SIGN_WORDS.search(head) else 0.1
    return 0.2


@hookimpl
def asn_attest_attestation_readers() -> list[AttestationReader]:
    return [
        AttestationReader(
            name=READER_NAME,
            description="Paper sign sheets typed or scanned into Excel: NO | NAMA | NIP | JABATAN | TANDA TANGAN",
            file_kinds=_KINDS,
            sniff=sniff,
            read=read_sign_sheet,
        )
    ]
