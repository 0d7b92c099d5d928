"""asn-attest plugin for SIMPEG Nusantara, a (fictional) regional HR system.

It provides what an HR office using SIMPEG Nusantara needs from asn-attest:

- the roster reader ``nusantara``, for the "Ekspor Data Pegawai" file (CSV or
  xlsx) whose staff types, golongan and gender are codes only SIMPEG Nusantara uses;
- the status exporter ``nusantara-impor``, writing the file that SIMPEG Nusantara's
  "Impor Status Ikrar" screen takes back.

Installed, it is found through the ``asn_attest`` entry point ``nusantara``.
"""

from __future__ import annotations

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import RosterReader, StatusExporter

from .exporter import FILE_NAME, write_import_file
from .reader import FILE_KINDS, read_export, sniff

#: The hook API version this plugin was written for.
ASN_ATTEST_HOOK_API = "1.0"

READER_NAME = "nusantara"
EXPORTER_NAME = "nusantara-impor"


@hookimpl
def asn_attest_roster_readers() -> list[RosterReader]:
    return [
        RosterReader(
            name=READER_NAME,
            description="SIMPEG Nusantara 'Ekspor Data Pegawai' (CSV or xlsx, format v3)",
            file_kinds=FILE_KINDS,
            sniff=sniff,
            read=read_export,
        )
    ]


@hookimpl
def asn_attest_status_exporters() -> list[StatusExporter]:
    return [
        StatusExporter(
            name=EXPORTER_NAME,
            description=f"{FILE_NAME}: attestation status for SIMPEG Nusantara's 'Impor Status Ikrar' screen",
            write=write_import_file,
        )
    ]
