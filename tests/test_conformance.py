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


def _bundled_samples(folder: Path, reader: str) -> list[SampleFile]:
    return write_sample_files(folder).for_reader(reader)


class TestSimpegRosterReader(RosterReaderContract):
    plugin = asn_attest_simpeg
    reader_name = "simpeg"
    entry_point = "simpeg"
    generic = True
    declares_hook_api = False  # bundled: ships with the core, always its API

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return _bundled_samples(folder, "simpeg")


class TestSignSheetReader(AttestationReaderContract):
    plugin = asn_attest_signsheet
    reader_name = "signsheet"
    entry_point = "signsheet"
    generic = True
    declares_hook_api = False

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return _bundled_samples(folder, "signsheet")


class TestFormReader(AttestationReaderContract):
    plugin = asn_attest_forms
    reader_name = "form"
    entry_point = "forms"
    declares_hook_api = False

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return _bundled_samples(folder, "form")


class TestEsignReader(AttestationReaderContract):
    plugin = asn_attest_esign
    reader_name = "esign"
    entry_point = "esign"
    declares_hook_api = False

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return _bundled_samples(folder, "esign")


class TestExemptionReader(ExemptionReaderContract):
    plugin = asn_attest_exemptions
    reader_name = "exemptions"
    entry_point = "exemptions"
    generic = True
    declares_hook_api = False

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return _bundled_samples(folder, "exemptions")


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
