"""asn-attest's conformance suite, run on this plugin's reader and exporter."""

from __future__ import annotations

from pathlib import Path

import asn_attest_nusantara
from asn_attest_nusantara.testing import write_export

from asn_attest.testing.conformance import ExporterContract, RosterReaderContract
from asn_attest.testing.kabupaten import make_kabupaten
from asn_attest.testing.samples import SampleFile


class TestNusantaraReader(RosterReaderContract):
    plugin = asn_attest_nusantara
    reader_name = "nusantara"
    entry_point = "nusantara"

    def sample_files(self, folder: Path) -> list[SampleFile]:
        people = make_kabupaten(seed=7, size=40).people
        written = [
            write_export(people[:25], folder / "ekspor_pegawai_dinkes.csv"),
            write_export(people[25:], folder / "ekspor_pegawai_disdik.xlsx", fmt="xlsx"),
        ]
        return [SampleFile(w.path, records=w.records, problems=w.problems) for w in written]


class TestNusantaraImportFile(ExporterContract):
    plugin = asn_attest_nusantara
    exporter_name = "nusantara-impor"
    entry_point = "nusantara"
