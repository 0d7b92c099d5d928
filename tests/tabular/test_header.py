from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asn_attest.errors import AsnAttestError
from asn_attest.tabular.fields import ROSTER_FIELDS, SIGNSHEET_FIELDS, extend
from asn_attest.tabular.header import (
    HeaderNotFound,
    MappingConflict,
    UnknownField,
    UnknownHeader,
    find_table,
)

from .test_fields import NON_ASN_PAYROLL, SIASN_DATA_UTAMA


def numbered(rows, start=1):
    """(row_number, values) pairs for rows written one per line; None marks an empty row."""
    out = []
    for number, values in enumerate(rows, start):
        if values is not None:
            out.append((number, tuple(values)))
    return out


def data(table):
    return list(table.rows)


# ------------------------------------------------------ realistic layouts

SIMPEG_SHEET = numbered([
    ("PEMERINTAH KABUPATEN SUKAMAJU",),
    ("BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",),
    ("DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL",),
    ("Keadaan per 31 Desember 2023",),
    None,
    ("No.", "NIP", "NIP Baru", "Nama", "Tempat / Tgl Lahir", None, "L/P", "Status", "Pangkat", None, "Eselon",
     "Jabatan", "TMT Jabatan", "Agama", "Pendidikan", None, "Unit Kerja", "Satuan Kerja"),
    (None, None, None, None, "Tempat", "Tanggal", None, None, "Gol. Ruang", "TMT Pangkat", None, None, None, None,
     "Tingkat", "Jurusan"),
    tuple(range(1, 19)),
    (1, "132456789", "19850315 201001 1 001", "Dr. H. AHMAD FAUZI, M.Si.", "Sukamaju", datetime(1985, 3, 15), "L",
     "PNS", "IV/a", datetime(2018, 4, 1), "III.a", "Kepala Dinas", datetime(2021, 1, 4), "Islam", "S2",
     "Administrasi Publik", "Dinas Kesehatan", "Dinas Kesehatan"),
    (2, "-", "'199001022015032004", "SITI AMINAH, S.Kep", "Bandung", datetime(1990, 1, 2), "P", "PNS", "III/b",
     datetime(2019, 4, 1), None, "Perawat Ahli Pertama", datetime(2015, 3, 1), "Islam", "S1", "Keperawatan",
     "UPT Puskesmas Sukamaju", "Dinas Kesehatan"),
    (3, None, "199203142023212011", "RINA MARLINA", "Sukamaju", datetime(1992, 3, 14), "P", "PPPK", "IX",
     datetime(2023, 1, 1), None, "Bidan Ahli Pertama", datetime(2023, 1, 1), "Islam", "D4", "Kebidanan",
     "UPT Puskesmas Cibeureum", "Dinas Kesehatan"),
    None,
    None,
    (None, None, None, None, None, None, None, None, None, None, None, None, None, "Sukamaju, 2 Januari 2024"),
    (None, None, None, None, None, None, None, None, None, None, None, None, None, "Kepala BKPSDM"),
    None,
    (None, None, None, None, None, None, None, None, None, None, None, None, None, "Drs. H. DEDI SUPRIATNA, M.M."),
    (None, None, None, None, None, None, None, None, None, None, None, None, None, "Pembina Utama Muda"),
    (None, None, None, None, None, None, None, None, None, None, None, None, None, "NIP. 19700101 199003 1 002"),
])


def test_simpeg_data_pegawai_with_titles_two_row_header_numbering_and_signature_block():
    table = find_table(SIMPEG_SHEET, ROSTER_FIELDS)
    layout = table.layout
    assert layout.header_rows == (6, 7)
    assert layout.numbering_row == 8
    assert layout.columns == {
        "row_no": 0, "nip_lama": 1, "nip": 2, "name": 3, "birth_place": 4, "birth_date": 5, "gender": 6,
        "employment_type": 7, "golongan": 8, "jabatan": 11, "sub_unit": 16, "unit": 17,
    }
    assert layout.headers["golongan"] == "Pangkat / Gol. Ruang"
    assert layout.headers["birth_date"] == "Tempat / Tgl Lahir / Tanggal"
    assert layout.ignored == [
        "Pangkat / TMT Pangkat", "Eselon", "TMT Jabatan", "Agama", "Pendidikan / Tingkat", "Pendidikan / Jurusan",
    ]
    assert layout.title_lines == [
        "PEMERINTAH KABUPATEN SUKAMAJU",
        "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
        "DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL",
    ]
    assert layout.preamble == {"keadaan per": "31 Desember 2023"}
    assert any("old NIP" in note for note in layout.notes)
    rows = data(table)
    assert [number for number, _ in rows] == [9, 10, 11]
    assert rows[0][1][3] == "Dr. H. AHMAD FAUZI, M.Si."
    assert table.footer_row == 14


def test_siasn_data_utama_csv_header_on_first_row():
    rows = [
        (1, SIASN_DATA_UTAMA),
        (2, ("A8ACA7E1F7B43912E040640A040269BB", "198503152010011001", "132456789", "AHMAD FAUZI", "Dr. H.",
             "M.Si.") + ("x",) * (len(SIASN_DATA_UTAMA) - 6)),
        (3, ("8ae483c65ab3c4d2015ac4e0f1a21b8c", "199203142023212011", "", "RINA MARLINA", "", "A.Md.Keb")
         + ("y",) * (len(SIASN_DATA_UTAMA) - 6)),
    ]
    table = find_table(rows, ROSTER_FIELDS)
    cols = table.layout.columns
    assert table.layout.header_rows == (1,)
    assert cols["unit"] == SIASN_DATA_UTAMA.index("UNOR NAMA")
    assert cols["nip"] == 1 and cols["nip_lama"] == 2 and cols["name"] == 3
    assert "sub_unit" not in cols
    assert "KEDUDUKAN HUKUM NAMA" in table.layout.ignored
    assert "SATUAN KERJA INDUK NAMA" in table.layout.ignored
    assert any("SATUAN KERJA INDUK NAMA" in note and "parent" in note for note in table.layout.notes)
    assert [n for n, _ in data(table)] == [2, 3]
    assert table.footer_row is None


def test_semicolon_csv_with_text_cells():
    lines = [
        "NO;NAMA;NIP LAMA;NIP BARU;GOLRU;PANGKAT;TMT GOLRU;SATKER;JABATAN",
        "1;BUDI SANTOSO;132456789;198503152010011001;III/a;Penata Muda;01-04-2010;DINAS PENDIDIKAN;Guru",
        "2;ANI;-;198601012010012001;III/b;Penata Muda Tk. I;01-04-2014;DINAS PENDIDIKAN;Guru",
        ";;;;;;;;",
        "Jumlah;2;;;;;;;",
    ]
    rows = [(i, tuple(line.split(";"))) for i, line in enumerate(lines, 1)]
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.columns == {
        "row_no": 0, "name": 1, "nip_lama": 2, "nip": 3, "golongan": 4, "unit": 7, "jabatan": 8,
    }
    assert table.layout.ignored == ["PANGKAT", "TMT GOLRU"]
    assert [n for n, _ in data(table)] == [2, 3]
    assert table.footer_row == 5


def test_bkpsdm_report_unit_given_only_in_preamble():
    rows = numbered([
        ("LAPORAN DATA PEGAWAI NEGERI SIPIL",),
        ("Satuan Kerja : Dinas Pendidikan dan Kebudayaan",),
        ("Kecamatan", ":", "Sukamaju Utara"),
        ("Keadaan per", "1 Februari 2024"),
        None,
        ("NO", "NAMA PEGAWAI", "NIP", "GOL", "JABATAN", "ESELON", "TGL LAHIR"),
        (1, "BUDI SANTOSO, S.Pd.", "198503152010011001", "III/a", "Guru Ahli Pertama", "-", "15-03-1985"),
    ])
    table = find_table(rows, ROSTER_FIELDS)
    layout = table.layout
    assert "unit" not in layout.columns
    assert layout.preamble == {
        "satuan kerja": "Dinas Pendidikan dan Kebudayaan",
        "kecamatan": "Sukamaju Utara",
        "keadaan per": "1 Februari 2024",
    }
    assert layout.title_lines == ["LAPORAN DATA PEGAWAI NEGERI SIPIL"]
    assert [n for n, _ in data(table)] == [7]


def test_bkpsdm_report_perangkat_daerah_is_unit_and_unor_the_sub_unit():
    rows = numbered([
        ("NO", "NAMA PEGAWAI", "NIP", "GOL", "JABATAN", "ESELON", "PERANGKAT DAERAH", "UNIT KERJA (UNOR)",
         "TGL LAHIR"),
        (1, "BUDI", "198503152010011001", "III/a", "Guru", None, "Dinas Pendidikan", "SD Negeri 1 Sukamaju",
         "15-03-1985"),
    ])
    layout = find_table(rows, ROSTER_FIELDS).layout
    assert layout.columns["unit"] == 6 and layout.columns["sub_unit"] == 7


def test_non_asn_payroll_with_name_in_first_column():
    rows = numbered([
        ("REKAPITULASI HONOR PPNPN BULAN JANUARI 2024",),
        None,
        NON_ASN_PAYROLL,
        ("ANNISA RAHMAWATI", "3204015501900001", "PPNPN", "Pramu Kantor", "Sekretariat Daerah"),
        ("TOTOK SUTRISNO", "3204011203850002", "PPNPN", "Pengemudi", "Sekretariat Daerah"),
        ("A. NURHADI", "3204011203850003", "PPNPN", "Satpam", "Sekretariat Daerah"),
        ("KEPALAWATI", "3204011203850004", "PPNPN", "Pramu Kantor", "Sekretariat Daerah"),
        ("Jumlah", None, None, None, None, 4),
        ("Bendahara Pengeluaran",),
    ])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.columns == {"name": 0, "nik": 1, "employment_type": 2, "jabatan": 3, "unit": 4}
    names = [values[0] for _, values in data(table)]
    assert names == ["ANNISA RAHMAWATI", "TOTOK SUTRISNO", "A. NURHADI", "KEPALAWATI"]
    assert table.footer_row == 8


SIGN_SHEET = numbered([
    ("DAFTAR HADIR PENANDATANGANAN IKRAR NETRALITAS ASN",),
    ("PEMILIHAN UMUM TAHUN 2024",),
    None,
    ("OPD", ":", "Dinas Kesehatan"),
    ("Hari/Tanggal", ": Senin, 12 Februari 2024"),
    None,
    ("NO", "NAMA", "NIP", "JABATAN", "TANDA TANGAN"),
    ("(1)", "(2)", "(3)", "(4)", "(5)"),
    (1, "dr. RINA", "198503152010012001", "Kepala Dinas", "1."),
    (2, "BUDI", "198601012010011002", "Sekretaris", None),
    (3, "SITI", "199203142023212011", "Kepala Bidang P2P", "3. ttd"),
    None,
    (None, None, None, "Sukamaju, 12 Februari 2024"),
    (None, None, None, "Kepala Dinas Kesehatan,"),
])


def test_sign_sheet_with_opd_and_date_preamble():
    table = find_table(SIGN_SHEET, SIGNSHEET_FIELDS)
    layout = table.layout
    assert layout.columns == {"row_no": 0, "name": 1, "nip": 2, "jabatan": 3, "signature": 4}
    assert layout.preamble == {"opd": "Dinas Kesehatan", "hari tanggal": "Senin, 12 Februari 2024"}
    assert layout.title_lines == ["DAFTAR HADIR PENANDATANGANAN IKRAR NETRALITAS ASN", "PEMILIHAN UMUM TAHUN 2024"]
    assert layout.numbering_row == 8
    assert [n for n, _ in data(table)] == [9, 10, 11]
    assert table.footer_row == 13


@pytest.mark.parametrize(
    "line",
    [
        ("Unit Kerja : Dinas Sosial",),
        ("Unit Kerja", ":", "Dinas Sosial"),
        ("Unit Kerja :", "Dinas Sosial"),
        ("Unit Kerja", ": Dinas Sosial"),
        ("Unit Kerja", "Dinas Sosial"),
        ("UNIT KERJA", None, ":", None, "Dinas Sosial"),
    ],
)
def test_preamble_label_and_value_in_one_two_or_three_cells(line):
    rows = numbered([line, ("NO", "NAMA", "NIP"), (1, "BUDI", "198503152010011001")])
    layout = find_table(rows, ROSTER_FIELDS).layout
    assert layout.preamble == {"unit kerja": "Dinas Sosial"}
    assert layout.title_lines == []


def test_two_label_value_pairs_on_one_row():
    rows = numbered([("OPD", ":", "Dinas Sosial", "Tanggal", ":", "12-02-2024"), ("NO", "NAMA"), (1, "BUDI")])
    assert find_table(rows, SIGNSHEET_FIELDS).layout.preamble == {"opd": "Dinas Sosial", "tanggal": "12-02-2024"}


# ------------------------------------------------- header detection edges

def test_first_data_row_is_not_taken_for_a_second_header_row():
    rows = numbered([
        ("NAMA", "JABATAN", "UNIT KERJA"),
        ("Budi", "Staf", "Dinas Sosial"),
        ("Ani", "Staf", "Dinas Sosial"),
    ])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.header_rows == (1,)
    assert [n for n, _ in data(table)] == [2, 3]


def test_data_row_with_only_text_under_the_last_header_is_not_a_header_row():
    rows = numbered([("NO", "NIP", "NAMA"), (None, None, "BUDI SANTOSO"), (2, "-", "ANI")])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.header_rows == (1,)
    assert [n for n, _ in data(table)] == [2, 3]


def test_group_label_row_above_the_header_is_joined_to_it():
    rows = numbered([
        ("NO", "IDENTITAS PEGAWAI", None, "KETERANGAN"),
        (None, "NAMA", "NIP"),
        (1, "BUDI", "198503152010011001", "-"),
    ])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.header_rows == (1, 2)
    assert table.layout.columns == {"row_no": 0, "name": 1, "nip": 2}
    assert table.layout.headers["name"] == "IDENTITAS PEGAWAI / NAMA"


def test_numbering_row_as_strings_in_parentheses_is_skipped():
    rows = numbered([("NO", "NAMA", "NIP"), ("(1)", "(2)", "(3)"), (1, "BUDI", "198503152010011001")])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.numbering_row == 2
    assert [n for n, _ in data(table)] == [3]


def test_first_data_row_numbered_one_is_not_a_numbering_row():
    rows = numbered([("NO", "NAMA", "NIP"), (1, "BUDI", "198503152010011001")])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.numbering_row is None
    assert [n for n, _ in data(table)] == [2]


def test_header_repeated_on_each_printed_page_is_skipped():
    header = ("NO", "NAMA", "NIP")
    rows = numbered([header, (1, "A", "1"), (2, "B", "2"), header, (3, "C", "3")])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2, 3, 5]
    assert any("repeats the header" in note for note in table.layout.notes)


def test_required_any_accepts_combined_name_nip_column():
    rows = numbered([("NO", "NAMA / NIP", "JABATAN"), (1, "BUDI\n198503152010011001", "Staf")])
    with pytest.raises(HeaderNotFound):
        find_table(rows, ROSTER_FIELDS)
    table = find_table(rows, ROSTER_FIELDS, required=(), required_any=[("name", "name_nip")])
    assert table.layout.columns == {"row_no": 0, "name_nip": 1, "jabatan": 2}


def test_best_scoring_row_wins_over_an_earlier_weaker_one():
    rows = numbered([
        ("Nama", ": Laporan bulanan"),
        ("NO", "NAMA", "NIP", "JABATAN", "UNIT KERJA"),
        (1, "BUDI", "198503152010011001", "Staf", "Dinas Sosial"),
    ])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.header_rows == (2,)
    assert table.layout.preamble == {"nama": "Laporan bulanan"}


# --------------------------------------------------------------- overrides

def test_override_finds_a_header_the_vocabulary_does_not_know():
    rows = numbered([("NO", "NAMA_PEG", "NIP_PEG"), (1, "BUDI", "198503152010011001")])
    with pytest.raises(HeaderNotFound):
        find_table(rows, ROSTER_FIELDS)
    table = find_table(rows, ROSTER_FIELDS, overrides={"name": "nama peg", "nip": "#3"})
    assert table.layout.columns == {"row_no": 0, "name": 1, "nip": 2}
    assert table.layout.headers == {"row_no": "NO", "name": "NAMA_PEG", "nip": "NIP_PEG"}


def test_override_wins_and_guessed_column_goes_to_ignored():
    rows = numbered([("NAMA", "NAMA LENGKAP", "UNIT KERJA", "OPD"), ("Budi", "Drs. BUDI", "x", "y")])
    table = find_table(rows, ROSTER_FIELDS, overrides={"name": "NAMA LENGKAP", "unit": "UNIT KERJA"})
    assert table.layout.columns == {"name": 1, "unit": 2}
    assert table.layout.ignored == ["NAMA", "OPD"]


def test_override_header_helps_find_the_header_row():
    rows = numbered([
        ("NAMA", "JABATAN"),
        ("Budi", "Staf"),
        ("NAMA", "JABATAN", "KODE SATKER"),
        ("Budi", "Staf", "D01"),
    ])
    table = find_table(rows, ROSTER_FIELDS, overrides={"unit": "KODE SATKER"})
    assert table.layout.header_rows == (3,)


def test_override_with_header_not_in_the_header_row_lists_available_headers():
    rows = numbered([("NO", "NAMA", "NIP"), (1, "BUDI", "198503152010011001")])
    with pytest.raises(UnknownHeader) as err:
        find_table(rows, ROSTER_FIELDS, overrides={"unit": "SATUAN KERJA"})
    message = str(err.value)
    assert "SATUAN KERJA" in message and "'NAMA'" in message and "'NIP'" in message and "row 1" in message
    assert err.value.available == ["NO", "NAMA", "NIP"]


def test_override_of_unknown_field_lists_valid_fields():
    with pytest.raises(UnknownField, match="valid fields: .*name"):
        find_table(numbered([("NAMA",)]), ROSTER_FIELDS, overrides={"nama": "NAMA"})


def test_required_field_not_in_vocabulary_is_unknown_field():
    with pytest.raises(UnknownField):
        find_table(numbered([("NAMA",)]), SIGNSHEET_FIELDS, required=("golongan",))


def test_two_overrides_with_the_same_header_conflict():
    with pytest.raises(MappingConflict):
        find_table(numbered([("NAMA",)]), ROSTER_FIELDS, overrides={"name": "NAMA", "name_nip": "nama"})


def test_plugin_aliases_are_used_for_detection():
    fields = extend(ROSTER_FIELDS, [("name", "NAMA_PEG")])
    table = find_table(numbered([("NO", "NAMA_PEG"), (1, "BUDI")]), fields)
    assert table.layout.columns == {"row_no": 0, "name": 1}


# ---------------------------------------------------------- header missing

def test_no_header_message_names_closest_row_and_what_it_lacks():
    rows = numbered([
        ("DAFTAR PEGAWAI",),
        ("NO", "NAMA_PEG", "NIP", "JABATAN"),
        (1, "BUDI", "198503152010011001", "Staf"),
    ])
    with pytest.raises(HeaderNotFound) as err:
        find_table(rows, ROSTER_FIELDS)
    message = str(err.value)
    assert "first 40 rows" in message
    assert "row 2 (NO | NAMA_PEG | NIP | JABATAN)" in message
    assert "no name" in message
    assert "NAMA" in message and "--map" in message
    assert err.value.row == 2 and err.value.missing == ["name"]
    assert isinstance(err.value, ValueError) and isinstance(err.value, AsnAttestError)


def test_no_header_in_an_empty_sheet():
    with pytest.raises(HeaderNotFound, match="no data"):
        find_table([], ROSTER_FIELDS)


def test_header_below_scan_rows_is_not_found():
    rows = numbered([("judul",)] * 5 + [("NO", "NAMA"), (1, "BUDI")])
    with pytest.raises(HeaderNotFound, match="first 5 rows"):
        find_table(rows, ROSTER_FIELDS, scan_rows=5)
    assert find_table(rows, ROSTER_FIELDS, scan_rows=6).layout.header_rows == (6,)


def test_unmatched_override_is_named_when_no_header_is_found():
    rows = numbered([("NO", "NAMA_PEG"), (1, "BUDI")])
    with pytest.raises(HeaderNotFound, match=r"--map name='NAMA PG'"):
        find_table(rows, ROSTER_FIELDS, overrides={"name": "NAMA PG"})


# ------------------------------------------------------------------ footer

HEADER = ("NO", "NAMA", "NIP", "JABATAN", "UNIT KERJA")


def staff(n):
    return (n, f"PEGAWAI {n}", f"19850315201001{n:04d}", "Staf", "Dinas Sosial")


def test_footer_row_is_recorded_and_rows_after_it_are_not_yielded():
    rows = numbered([HEADER, staff(1), staff(2), ("Mengetahui,",), staff(3)])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2, 3]
    assert table.footer_row == 4


@pytest.mark.parametrize(
    "line",
    [
        (None, "Mengetahui,"),
        (None, None, None, "Sukamaju, 12 Januari 2024"),
        ("", "Kab. Sukamaju, 12-01-2024"),
        (None, None, None, "Sukamaju,        Februari 2024"),
        ("JUMLAH", None, None, None, 123),
        (None, "Total pegawai: 2"),
        ("Keterangan:",),
        (None, "a.n. Kepala Dinas Sosial"),
        (None, "NIP. 19700101 199003 1 002"),
    ],
)
def test_signature_block_and_totals_lines_end_the_table(line):
    rows = numbered([HEADER, staff(1), line, staff(2)])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2]
    assert table.footer_row == 3


def test_signature_line_followed_only_by_the_signers_name_ends_the_table():
    rows = numbered([HEADER, staff(1), (None, "Kepala Dinas Sosial"), None, None,
                     (None, "Drs. H. DEDI, M.M."), (None, "NIP. 19700101 199003 1 002")])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2]
    assert table.footer_row == 3


def test_vacant_kepala_position_followed_by_staff_is_a_data_row():
    rows = numbered([HEADER, staff(1), (None, None, None, "Kepala Seksi Umum", "Dinas Sosial"), staff(3), staff(4)])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2, 3, 4, 5]
    assert table.footer_row is None


def test_name_starting_with_a_footer_word_is_data_when_the_row_has_a_nip():
    rows = numbered([HEADER, staff(1), (None, "Kepala Bidang Umum BUDI", "198503152010011009", "Kabid", "Dinsos")])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2, 3]


def test_names_that_only_begin_like_footer_words_are_data():
    names = ["TOTOK", "JUMLAHWATI", "ANNISA", "AN NUR", "KEPALAWATI", "CAMATIA", "PLTINA", "NIPAH"]
    rows = numbered([("NAMA", "JABATAN")] + [(name, "Staf") for name in names])
    table = find_table(rows, ROSTER_FIELDS)
    assert [values[0] for _, values in data(table)] == names


def test_signature_line_after_two_blank_rows_ends_the_table_at_once():
    def source():
        yield from numbered([HEADER] + [staff(n) for n in range(1, 6)] + [None, None, (None, "Kepala Dinas Sosial")])
        raise AssertionError("read past the footer")

    table = find_table(source(), ROSTER_FIELDS, scan_rows=2)
    assert [n for n, _ in data(table)] == [2, 3, 4, 5, 6]
    assert table.footer_row == 9


def test_blank_rows_inside_the_data_do_not_end_it():
    rows = numbered([HEADER, staff(1), None, None, None, staff(2), ("", "", " ")])
    table = find_table(rows, ROSTER_FIELDS)
    assert [n for n, _ in data(table)] == [2, 6]
    assert table.footer_row is None


# --------------------------------------------------------------- streaming

def test_find_table_reads_only_the_scan_window_and_streams_the_rest():
    pulled = []

    def source():
        yield 1, ("DAFTAR",)
        yield 2, HEADER
        for n in range(3, 10**9):
            pulled.append(n)
            yield n, staff(n)

    table = find_table(source(), ROSTER_FIELDS, scan_rows=10)
    assert len(pulled) <= 10
    first = next(table.rows)
    assert first[0] == 3
    for _ in range(100):
        next(table.rows)
    assert len(pulled) < 120


def test_100k_rows_pass_through_without_loss():
    rows = [(1, HEADER)] + [(n, staff(n)) for n in range(2, 100_002)]
    assert sum(1 for _ in find_table(rows, ROSTER_FIELDS).rows) == 100_000


# ------------------------------------------------------------- robustness

WORDS = [
    "NO", "NAMA", "NIP", "NIP BARU", "JABATAN", "UNIT KERJA", "SATUAN KERJA", "PANGKAT", "GOL", "TMT",
    "TANDA TANGAN", "Mengetahui", "Kepala Dinas", "Jumlah", "Sukamaju, 12 Januari 2024", "NIP. 1970", ":",
    "OPD : Dinas X", "Keadaan per 1 Januari", "(1)", "1", "198503152010011001", "", " ", "a.n.", "TTL",
    "TEMPAT / TGL LAHIR", "TEMPAT", "TANGGAL",
]
cells = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.text(max_size=30),
    st.integers(-10, 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)
sheets = st.lists(
    st.tuples(st.integers(1, 3), st.lists(cells, max_size=10).map(tuple)),
    max_size=60,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets, st.sampled_from([ROSTER_FIELDS, SIGNSHEET_FIELDS]), st.integers(1, 45))
def test_arbitrary_rows_never_crash_find_table(sheet, fields, scan_rows):
    rows, number = [], 0
    for step, values in sheet:
        number += step
        rows.append((number, values))
    try:
        table = find_table(iter(rows), fields, scan_rows=scan_rows)
    except HeaderNotFound:
        return
    got = list(table.rows)
    numbers = [n for n, _ in got]
    assert numbers == sorted(set(numbers))
    assert set(numbers) <= {n for n, _ in rows}
    assert all(n > max(table.layout.header_rows) for n in numbers)
    if table.footer_row is not None:
        assert all(n < table.footer_row for n in numbers)


def test_data_row_of_short_texts_under_a_header_with_a_blank_cell_is_data():
    rows = numbered([("NO", "NAMA", None, "JABATAN"), (None, "BUDI", "Staf", None), (None, "ANI", "Staf", None)])
    table = find_table(rows, ROSTER_FIELDS)
    assert table.layout.header_rows == (1,)
    assert [n for n, _ in data(table)] == [2, 3]


def test_a_time_above_the_header_is_a_title_line_not_a_label():
    rows = numbered([("Pukul 08:00 WIB",), ("NO", "NAMA"), (1, "BUDI")])
    layout = find_table(rows, SIGNSHEET_FIELDS).layout
    assert layout.title_lines == ["Pukul 08:00 WIB"] and layout.preamble == {}
