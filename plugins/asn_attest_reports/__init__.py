"""Bundled exporters: the spreadsheets OPD heads receive, and the status file for HR systems.

Registered through the ``asn_attest`` entry-point group like any vendor's plugin.
"""

from __future__ import annotations

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import StatusExporter

from .status import write_status_csv, write_status_xlsx
from .workbooks import write_spreadsheets


@hookimpl
def asn_attest_status_exporters() -> list[StatusExporter]:
    return [
        StatusExporter(
            name="xlsx",
            description="ringkasan.xlsx (summary with chart), belum-ttd/<unit>.xlsx for each unit's head, masalah.xlsx",
            write=write_spreadsheets,
            default=True,
        ),
        StatusExporter(
            name="status-csv",
            description="status-ikrar.csv: one row per person (sudah / belum / dikecualikan) for the HR system",
            write=write_status_csv,
            default=True,
        ),
        StatusExporter(
            name="status-xlsx",
            description="status-ikrar.xlsx: the rows of status-ikrar.csv as a workbook, NIPs as text (not by default: "
            "the largest and slowest file of a run)",
            write=write_status_xlsx,
        ),
    ]
