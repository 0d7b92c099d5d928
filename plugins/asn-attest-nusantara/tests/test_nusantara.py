"""What is particular to SIMPEG Nusantara: its codes, its format versions, its import file."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from asn_attest_nusantara.exporter import FILE_NAME, write_import_file
from asn_attest_nusantara.reader import birth_date, golongan
from asn_attest_nusantara.testing import write_export

from asn_attest.errors import DataError
from asn_attest.export import ExportOptions
from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import RosterReader
from asn_attest.reading import WARNING, read_files
from asn_attest.testing.kabupaten import make_kabupaten


@pytest.fixture(scope="module")
def people():
    return make_kabupaten(seed=11, size=30).people


@pytest.mark.parametrize(
    "code,expected",
    [("11", "I/a"), ("24", "II/d"), ("31", "III/a"), ("45", "IV/e"), ("P01", "I"), ("P09", "IX"), ("P17", "XVII"),
     ("15", None), ("46", None), ("51", None), ("P18", None), ("P00", None), ("3a", None)],
)  # fmt: skip
def test_golongan_codes(code: str, expected: str | None) -> None:
    assert golongan(code) == expected


def test_birth_dates_are_yyyymmdd_and_must_exist() -> None:
    assert birth_date("19850315") == dt.date(1985, 3, 15)
    assert birth_date("19850230") is None and birth_date("15031985x") is None


def test_codes_become_the_values_asn_attest_knows(asn_attest_pm, people, tmp_path: Path) -> None:
    export = write_export(people, tmp_path / "ekspor.csv", traps=False)
    result = read_files(asn_attest_pm.roster_readers(), [export.path])
    assert {s.reader for s in result.sheets} == {"nusantara"}
    assert not result.problems
    by_nip = {e.nip_full: e for e in result.records if e.nip_full}
    for person in people:
        if person.nip is None:
            continue
        employee = by_nip[person.nip]
        assert (employee.employment_type, employee.golongan, employee.gender, employee.birth_date) == (
            person.employment_type, person.golongan, person.gender, person.birth_date,
        )  # fmt: skip
        assert employee.unit == person.unit
    non_asn = [e for e in result.records if e.employment_type == "NON_ASN"]
    assert non_asn and all(e.nip_full is None for e in non_asn)


def test_an_unknown_code_is_a_warning_and_the_person_stays(asn_attest_pm, people, tmp_path: Path) -> None:
    export = write_export(people, tmp_path / "ekspor.xlsx", fmt="xlsx")
    result = read_files(asn_attest_pm.roster_readers(), [export.path])
    assert len(result.records) == len(people)
    warning = next(p for p in result.problems if p.severity == WARNING)
    assert (warning.source.sheet, warning.source.row, warning.column) == ("PEGAWAI", 4, "KD_GOL")
    assert "'99' is not a SIMPEG Nusantara code" in warning.message
    assert next(e for e in result.records if e.source.row == 4).golongan is None


def test_another_format_version_is_refused_naming_it(asn_attest_pm, people, tmp_path: Path) -> None:
    path = write_export(people, tmp_path / "ekspor.csv").path
    path.write_text(path.read_text(encoding="utf-8-sig").replace(";v3;", ";v4;", 1), encoding="utf-8-sig")
    with pytest.raises(DataError, match="export format v4; this plugin reads format v3") as info:
        read_files(asn_attest_pm.roster_readers(), [path], forced_reader="nusantara")
    assert info.value.location.file == str(path)


def test_inspect_picks_this_reader_by_itself(asn_attest_cli, people, tmp_path: Path) -> None:
    path = write_export(people, tmp_path / "ekspor.csv").path
    result = asn_attest_cli("inspect", "--json", str(path))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [f["reader"] for f in report["files"]] == ["nusantara"]
    assert report["records"] == len(people)


def test_a_second_reader_named_nusantara_is_a_conflict_naming_both(asn_attest_pm, asn_attest_register_plugin) -> None:
    class Impostor:
        @hookimpl
        def asn_attest_roster_readers(self):
            return [RosterReader(name="nusantara", description="another reader", file_kinds=("csv",),
                                 sniff=lambda sample: 0.0, read=lambda sample, ctx: iter(()))]  # fmt: skip

    asn_attest_register_plugin(Impostor(), name="impostor")
    (conflict,) = asn_attest_pm.conflicts()
    assert "asn-attest-nusantara" in conflict and "impostor" in conflict


def test_import_file_codes_each_person_s_status(asn_attest_reconciliation, tmp_path: Path) -> None:
    result = asn_attest_reconciliation
    (path,) = write_import_file(result, tmp_path, ExportOptions())
    assert path.name == FILE_NAME
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == len(result.roster)
    statuses = [r["STATUS_IKRAR"] for r in rows]
    assert statuses.count("S") == len(result.matches.signed)
    assert statuses.count("D") == len(result.exempt)
    signed = next(r for r in rows if r["STATUS_IKRAR"] == "S")
    assert signed["TGL_IKRAR"] == "20240212" and signed["KANAL"] == "form"
