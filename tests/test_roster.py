"""Many exports make one roster: duplicates are counted once and reported, bad rows kept or skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from asn_attest.errors import ConfigError, DataError
from asn_attest.nip import NipStatus
from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import ERROR, WARNING
from asn_attest.roster import load_roster

ANI = "198503152010012001"
BUDI = "197001011995031002"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager(environ={"ASN_ATTEST_LOAD_PLUGINS": ""})


def test_same_nip_in_two_files_is_one_person_and_a_warning_naming_both(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA;UNIT KERJA\n{ANI};Dr. ANI, S.Pd.;Dinas A\n")
    b = write(tmp_path / "b.csv", f"NIP;NAMA;UNIT KERJA\n{BUDI};BUDI;Dinas B\n'{ANI};ani;Dinas A\n")
    roster = load_roster(pm, [a, b])
    assert [e.nip_full for e in roster.employees] == [ANI, BUDI]
    (dup,) = roster.duplicates
    assert (dup.source.file, dup.source.row, dup.severity, dup.column) == (str(b), 3, WARNING, "NIP")
    assert f"NIP {ANI} already read at {a}, row 2" in dup.message


def test_same_nip_with_a_different_name_is_an_error(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA\n{ANI};ANI\n{ANI};CITRA\n")
    roster = load_roster(pm, [a])
    assert len(roster.employees) == 1
    assert roster.duplicates[0].severity == ERROR
    assert "for a different name ('ANI')" in roster.duplicates[0].message


def test_invalid_nip_keeps_the_person_by_name_and_unit(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", "NIP;NAMA;UNIT KERJA\n19850315201001200;CITRA;Dinas A\n")
    roster = load_roster(pm, [a])
    (citra,) = roster.employees
    assert (citra.name, citra.unit, citra.nip.status) == ("CITRA", "Dinas A", NipStatus.INVALID)
    (problem,) = roster.problems
    assert (problem.source.row, problem.column) == (2, "NIP")
    assert "17 digits (expected 18)" in problem.message and "kept" in problem.message


def test_row_without_a_name_is_reported_and_skipped(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NO;NIP;NAMA\n1;{ANI};ANI\n2;{BUDI};\n3;;\n")
    roster = load_roster(pm, [a])
    assert [e.name for e in roster.employees] == ["ANI"]
    assert [(p.source.row, p.message) for p in roster.problems] == [(3, "no name: row skipped")]


def test_damaged_nip_and_whole_nip_of_the_same_name_are_one_person(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA\n{ANI[:15]}000;ANI\n")
    b = write(tmp_path / "b.csv", f"NIP;NAMA\n{ANI};ANI\n")
    roster = load_roster(pm, [a, b])
    (ani,) = roster.employees
    assert ani.nip_full == ANI  # the whole NIP repairs the damaged one
    assert ani.source.file == str(a)


def test_damaged_nip_of_another_name_is_not_merged(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA\n{ANI[:15]}000;ANI\n{ANI};DEWI\n")
    assert len(load_roster(pm, [a]).employees) == 2


def test_non_asn_staff_are_deduplicated_by_nik(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", "NMPPPNPN;NIKPPNPN;JABATAN;UNIT_KERJA\nEKA;3201010101900001;Pengemudi;Dinas A\n")
    b = write(tmp_path / "b.csv", "NMPPPNPN;NIKPPNPN;JABATAN;UNIT_KERJA\nEka;3201010101900001;Pengemudi;Dinas A\n")
    roster = load_roster(pm, [a, b])
    assert len(roster.employees) == 1
    assert roster.employees[0].employment_type == "NON_ASN"
    assert "NIK already read" in roster.duplicates[0].message


def test_folders_are_read_recursively_skipping_lock_and_hidden_files(tmp_path: Path, pm) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.csv", f"NIP;NAMA\n{ANI};ANI\n")
    write(tmp_path / "~$a.csv", "garbage")
    write(tmp_path / ".hidden.csv", "garbage")
    write(tmp_path / "notes.docx", "garbage")
    roster = load_roster(pm, [tmp_path])
    assert [e.name for e in roster.employees] == ["ANI"]


def test_unit_comes_from_the_preamble_when_there_is_no_unit_column(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"DAFTAR PEGAWAI\nSatuan Kerja : Dinas Sosial\n\nNO;NIP;NAMA\n1;{ANI};ANI\n")
    roster = load_roster(pm, [a])
    assert roster.employees[0].unit == "Dinas Sosial"
    assert roster.sheets[0].columns["unit"] == "(preamble) Dinas Sosial"


def test_a_unit_column_finer_than_the_preamble_unit_becomes_the_sub_unit(tmp_path: Path, pm) -> None:
    a = write(
        tmp_path / "a.csv",
        f"Satuan Kerja : Dinas Kesehatan\nNO;NAMA PEGAWAI;NIP;UNIT KERJA (UNOR)\n1;ANI;{ANI};Puskesmas Barat\n",
    )
    (ani,) = load_roster(pm, [a]).employees
    assert (ani.unit, ani.sub_unit) == ("Dinas Kesehatan", "Puskesmas Barat")


def test_map_override_reads_a_column_the_vocabulary_does_not_know(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA;KANTOR INDUK\n{ANI};ANI;Dinas A\n")
    (ani,) = load_roster(pm, [a], overrides={"unit": "kantor induk"}).employees
    assert ani.unit == "Dinas A"


def test_map_to_a_header_that_is_not_there_lists_the_headers(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA\n{ANI};ANI\n")
    with pytest.raises(ConfigError, match="NIP.*NAMA"):
        load_roster(pm, [a], overrides={"unit": "SATKER"})


def test_map_of_an_unknown_field_lists_the_fields(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", f"NIP;NAMA\n{ANI};ANI\n")
    with pytest.raises(ConfigError, match="unknown field 'opd'.*unit"):
        load_roster(pm, [a], overrides={"opd": "NAMA"})


def test_file_without_a_roster_header_names_the_file_and_what_was_missing(tmp_path: Path, pm) -> None:
    a = write(tmp_path / "a.csv", "foo;bar\n1;2\n")
    with pytest.raises(DataError) as info:
        load_roster(pm, [a])
    assert str(info.value).startswith(f"{a}: no roster header found")
    assert "--map" in str(info.value)


def test_hidden_sheet_is_not_read_and_is_warned_about(tmp_path: Path, pm) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    visible = wb.active
    visible.title = "Pegawai"
    visible.append(["NIP", "NAMA"])
    visible.append([ANI, "ANI"])
    hidden = wb.create_sheet("Lama")
    hidden.append(["NIP", "NAMA"])
    hidden.append([BUDI, "BUDI"])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "r.xlsx")
    roster = load_roster(pm, [tmp_path / "r.xlsx"])
    assert [e.name for e in roster.employees] == ["ANI"]
    assert any("hidden sheet 'Lama' was not read" in p.message for p in roster.problems)


def test_reading_refuses_to_start_when_openpyxl_would_not_use_defusedxml(tmp_path: Path, pm, monkeypatch) -> None:
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    a = write(tmp_path / "a.csv", f"NIP;NAMA\n{ANI};ANI\n")
    with pytest.raises(ConfigError, match="defusedxml"):
        load_roster(pm, [a])
