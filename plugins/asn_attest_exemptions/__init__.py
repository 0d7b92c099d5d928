"""Bundled exemption reader: HR's exemption lists and the returned belum-ttd workbooks.

Registered through the ``asn_attest`` entry-point group like any vendor's plugin.
"""

from __future__ import annotations

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import ExemptionReader
from asn_attest.tabular.kinds import FileKind, FileSample

from .reader import read_exemptions

READER_NAME = "exemptions"
_KINDS = (FileKind.XLSX.value, FileKind.XLS.value, FileKind.HTML.value, FileKind.CSV.value)


def sniff(sample: FileSample) -> float:
    return 0.2 if sample.kind.value in _KINDS else 0.0


@hookimpl
def asn_attest_exemption_readers() -> list[ExemptionReader]:
    return [
        ExemptionReader(
            name=READER_NAME,
            description="Exemption lists (NIP, NAMA, KETERANGAN/ALASAN, SAMPAI) and returned belum-ttd workbooks",
            file_kinds=_KINDS,
            sniff=sniff,
            read=read_exemptions,
        )
    ]
