"""Every bundled adapter passes the conformance suite that vendors run on theirs."""

from __future__ import annotations

from pathlib import Path

import asn_attest_esign
import asn_attest_exemptions
import asn_attest_forms
import asn_attest_reports
import asn_attest_signsheet
import asn_attest_simpeg

from asn_attest.testing.conformance import (
    AttestationReaderContract,
    ExemptionReaderContract,
    ExporterContract,
    RosterReaderContract,
)
from asn_attest.testing.samples import SampleFile, write_sample_files


class _Bundled:
    """A bundled reader: it ships with the core (so always its hook API), and its sample
    files are the bundled ones meant for it."""

    reader_name: str
    declares_hook_api = False

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return write_sample_files(folder).for_reader(self.reader_name)


class TestSimpegRosterReader(_Bundled, RosterReaderContract):
    plugin = asn_attest_simpeg
    reader_name = "simpeg"
    entry_point = "simpeg"
    generic = True


class TestSignSheetReader(_Bundled, AttestationReaderContract):
    plugin = asn_attest_signsheet
    reader_name = "signsheet"
    entry_point = "signsheet"
    generic = True


class TestFormReader(_Bundled, AttestationReaderContract):
    plugin = asn_attest_forms
    reader_name = "form"
    entry_point = "forms"


class TestEsignReader(_Bundled, AttestationReaderContract):
    plugin = asn_attest_esign
    reader_name = "esign"
    entry_point = "esign"


class TestExemptionReader(_Bundled, ExemptionReaderContract):
    plugin = asn_attest_exemptions
    reader_name = "exemptions"
    entry_point = "exemptions"
    generic = True


class TestSpreadsheetExporter(ExporterContract):
    plugin = asn_attest_reports
    exporter_name = "xlsx"
    entry_point = "reports"
    declares_hook_api = False
    per_unit_files = "belum-ttd/*.xlsx"


class TestStatusCsvExporter(ExporterContract):
    plugin = asn_attest_reports
    exporter_name = "status-csv"
    entry_point = "reports"
    declares_hook_api = False


class TestStatusXlsxExporter(ExporterContract):
    plugin = asn_attest_reports
    exporter_name = "status-xlsx"
    entry_point = "reports"
    declares_hook_api = False
