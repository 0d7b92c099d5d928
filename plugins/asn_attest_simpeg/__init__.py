"""Bundled roster reader for SIMPEG-style exports: SIMPEG, SIASN, BKPSDM reports, non-ASN lists.

Registered through the ``asn_attest`` entry-point group exactly like a vendor's
plugin. It reads .xlsx, legacy .xls, HTML tables saved as .xls and CSV files,
recognised by content, finds the header under title rows, and turns each row into
an :class:`asn_attest.records.Employee` through the roster schema.
"""

from __future__ import annotations

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import RosterReader
from asn_attest.tabular.kinds import FileKind, FileSample

from .reader import read_roster

READER_NAME = "simpeg"
_KINDS = (FileKind.XLSX.value, FileKind.XLS.value, FileKind.HTML.value, FileKind.CSV.value)


def sniff(sample: FileSample) -> float:
    """Any table may be a roster: answer low, so that a vendor's specific reader wins."""
    return 0.2 if sample.kind.value in _KINDS else 0.0


@hookimpl
def asn_attest_roster_readers() -> list[RosterReader]:
    return [
        RosterReader(
            name=READER_NAME,
            description="Roster exports of SIMPEG, SIASN, BKPSDM reports and non-ASN lists (xlsx, xls, HTML-as-xls, CSV)",
            file_kinds=_KINDS,
            sniff=sniff,
            read=read_roster,
        )
    ]
