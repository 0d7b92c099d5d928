from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_attest.errors import ConfigError
from asn_attest.tabular.fields import (
    ROSTER_FIELDS,
    SIGNSHEET_FIELDS,
    UNIT_ROLES,
    UNMAPPED,
    AliasConflict,
    FieldSpec,
    MappingConflict,
    UnknownField,
    UnknownHeader,
    alias_index,
    column_letter,
    extend,
    header_key,
    resolve_columns,
)


def mapping(headers, fields=ROSTER_FIELDS, **kwargs) -> dict[str, str]:
    """field -> header text, the way a reader would report it."""
    res = resolve_columns(headers, fields, **kwargs)
    return {name: res.texts[col] for name, col in res.columns.items()}


# ---------------------------------------------------------------- header_key

@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("NIP BARU", "nip baru"),
        ("Nip_Baru", "nip baru"),
        ("nip  baru", "nip baru"),
        (" NIP\nBARU ", "nip baru"),
        ("NIP\u00a0BARU", "nip baru"),
        ("ＮＩＰ　ＢＡＲＵ", "nip baru"),
        ("Gol. Ruang", "gol ruang"),
        ("GOL/RUANG", "gol ruang"),
        ("PANGKAT / GOL. RUANG", "pangkat gol ruang"),
        ("No.", "no"),
        ("Satuan Kerja :", "satuan kerja"),
        ("UNIT KERJA (UNOR)", "unit kerja unor"),
        ("Tempat, Tanggal Lahir", "tempat tanggal lahir"),
        ("N I P", "nip"),
        ("N.I.P.", "nip"),
        ("L/P", "lp"),
        ("NIP 18", "nip 18"),
        (None, ""),
        (3, "3"),
        (3.0, "3"),
        ("", ""),
        ("::", ""),
    ],
)
def test_header_key_normalises_spelling_case_and_punctuation(text, key):
    assert header_key(text) == key


@given(st.text(max_size=40))
def test_header_key_is_idempotent(text):
    assert header_key(header_key(text)) == header_key(text)


# ------------------------------------------------------------- vocabularies

def test_vocabularies_have_no_alias_claimed_twice():
    alias_index(ROSTER_FIELDS)
    alias_index(SIGNSHEET_FIELDS)


def test_no_alias_is_also_declared_unmapped():
    aliases = set(alias_index(ROSTER_FIELDS)) | set(alias_index(SIGNSHEET_FIELDS))
    assert aliases.isdisjoint(UNMAPPED)


def test_roster_field_names_are_the_canonical_ones():
    assert set(ROSTER_FIELDS) == {
        "nip", "nip_lama", "name", "name_nip", "gelar_depan", "gelar_belakang", "employment_type", "golongan",
        "jabatan", "unit", "sub_unit", "kecamatan", "gender", "birth_date", "birth_place", "birth_place_date",
        "nik", "row_no",
    }
    assert all(spec.name == name for name, spec in ROSTER_FIELDS.items())


def test_signsheet_shares_field_specs_with_the_roster():
    assert set(SIGNSHEET_FIELDS) == {"nip", "name", "name_nip", "jabatan", "unit", "signature", "row_no", "date"}
    for name in ("nip", "name", "name_nip", "jabatan", "unit", "row_no"):
        assert SIGNSHEET_FIELDS[name] is ROSTER_FIELDS[name]


def test_field_spec_stores_aliases_as_header_keys():
    spec = FieldSpec("nip", frozenset({"NIP Baru", "N.I.P."}), "x")
    assert spec.aliases == {"nip baru", "nip"}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("NIP", "nip"), ("NIP BARU", "nip"), ("NIP 18", "nip"), ("NIP/NRPTT", "nip"), ("NI PPPK", "nip"),
        ("NIP / NI PPPK", "nip"), ("NIP LAMA", "nip_lama"), ("NIP 9", "nip_lama"),
        ("NAMA", "name"), ("NAMA PEGAWAI", "name"), ("NAMA LENGKAP", "name"), ("NMPPPNPN", "name"),
        ("NAMA PPPK", "name"),
        ("NAMA / NIP", "name_nip"), ("NAMA DAN NIP", "name_nip"), ("NAMA/NIP", "name_nip"),
        ("GELAR DEPAN", "gelar_depan"), ("GELAR BELAKANG", "gelar_belakang"),
        ("STATUS", "employment_type"), ("STATUS PEGAWAI", "employment_type"), ("JENIS PEGAWAI", "employment_type"),
        ("JENIS PEGAWAI NAMA", "employment_type"),
        ("GOL", "golongan"), ("GOLRU", "golongan"), ("GOL. RUANG", "golongan"), ("GOL/RUANG", "golongan"),
        ("PANGKAT/GOL", "golongan"), ("GOL AKHIR NAMA", "golongan"), ("GOLONGAN", "golongan"),
        ("PANGKAT / GOL. RUANG", "golongan"),
        ("JABATAN", "jabatan"), ("JABATAN NAMA", "jabatan"), ("NAMA JABATAN", "jabatan"),
        ("SATUAN KERJA", "unit"), ("SATKER", "unit"), ("OPD", "unit"), ("SKPD", "unit"),
        ("PERANGKAT DAERAH", "unit"), ("UNIT KERJA", "unit"), ("UNIT_KERJA", "unit"), ("UNOR NAMA", "unit"),
        ("SATUAN KERJA INDUK NAMA", "unit"), ("UNIT KERJA (UNOR)", "unit"),
        ("SUB UNIT", "sub_unit"), ("BIDANG", "sub_unit"), ("SUB UNIT KERJA", "sub_unit"),
        ("KECAMATAN", "kecamatan"), ("KEC.", "kecamatan"),
        ("L/P", "gender"), ("JENIS KELAMIN", "gender"), ("JK", "gender"), ("SEX", "gender"),
        ("TANGGAL LAHIR", "birth_date"), ("TGL LAHIR", "birth_date"), ("TGL. LAHIR", "birth_date"),
        ("TANGGAL_LAHIR", "birth_date"), ("TEMPAT LAHIR", "birth_place"),
        ("TEMPAT, TANGGAL LAHIR", "birth_place_date"), ("TEMPAT/TGL LAHIR", "birth_place_date"),
        ("TTL", "birth_place_date"),
        ("NIK", "nik"), ("NIKPPNPN", "nik"), ("NO KTP", "nik"),
        ("NO", "row_no"), ("NO.", "row_no"), ("NOMOR", "row_no"), ("NO URUT", "row_no"),
    ],
)
def test_roster_header_alone_maps_to_its_field(header, field):
    assert mapping([header]) == {field: header}


@pytest.mark.parametrize(
    "header",
    ["KEDUDUKAN HUKUM NAMA", "KEDUDUKAN", "LOKASI KERJA NAMA", "INSTANSI INDUK NAMA", "INSTANSI", "PANGKAT"],
)
def test_ambiguous_headers_are_deliberately_unmapped(header):
    assert mapping([header]) == {}
    assert header_key(header) in UNMAPPED


@pytest.mark.parametrize(
    ("header", "field"),
    [("TANDA TANGAN", "signature"), ("TTD", "signature"), ("PARAF", "signature"),
     ("TANDA TANGAN / PARAF", "signature"), ("T.T.D", "signature"), ("HARI/TANGGAL", "date"), ("TANGGAL", "date")],
)
def test_signsheet_headers_map_to_their_field(header, field):
    assert mapping([header], SIGNSHEET_FIELDS) == {field: header}


# ------------------------------------------------ DOMAIN.md header lists

SIMPEG_DATA_PEGAWAI = (
    "No.", "NIP", "NIP Baru", "Nama", "Tempat Lahir", "Tanggal Lahir", "L/P", "Status", "Gol. Ruang",
    "TMT Pangkat", "Eselon", "Jabatan", "TMT Jabatan", "Agama", "Telepon", "Alamat", "TMT Pensiun",
    "Pendidikan", "Jurusan", "Lulus", "Unit Kerja", "Satuan Kerja",
)
SIASN_DATA_UTAMA = (
    "PNS ID", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA", "TANGGAL LAHIR", "JENIS KELAMIN", "AGAMA ID", "AGAMA NAMA", "EMAIL", "EMAIL GOV",
    "NIK", "ALAMAT", "NOMOR HP", "NOMOR TELPON", "JENIS PEGAWAI ID", "JENIS PEGAWAI NAMA",
    "KEDUDUKAN HUKUM ID", "KEDUDUKAN HUKUM NAMA", "STATUS CPNS PNS", "KARIS KARSU", "NOMOR SK CPNS",
    "TANGGAL SK CPNS", "TMT CPNS", "NOMOR SK PNS", "TANGGAL SK PNS", "TMT PNS", "GOL AWAL ID", "GOL AWAL NAMA",
    "GOL AKHIR ID", "GOL AKHIR NAMA", "TMT GOLONGAN", "MK TAHUN", "MK BULAN", "JENIS JABATAN ID",
    "JENIS JABATAN NAMA", "JABATAN ID", "JABATAN NAMA", "TMT JABATAN", "TINGKAT PENDIDIKAN ID",
    "TINGKAT PENDIDIKAN NAMA", "PENDIDIKAN ID", "PENDIDIKAN NAMA", "TAHUN LULUS", "KPKN ID", "KPKN NAMA",
    "LOKASI KERJA ID", "LOKASI KERJA NAMA", "UNOR ID", "UNOR NAMA", "UNOR INDUK ID", "UNOR INDUK NAMA",
    "INSTANSI INDUK ID", "INSTANSI INDUK NAMA", "INSTANSI KERJA ID", "INSTANSI KERJA NAMA",
    "SATUAN KERJA INDUK ID", "SATUAN KERJA INDUK NAMA", "SATUAN KERJA KERJA ID", "SATUAN KERJA KERJA NAMA",
    "IS VALID NIK", "FLAG IKD",
)
SEMICOLON_CSV = tuple(
    "NO;NAMA;NIP LAMA;NIP BARU;GOLRU;PANGKAT;TMT GOLRU;SATKER;JABATAN;ESELON;TMT JABATAN;KETERANGAN".split(";")
)
BKPSDM_REPORT = (
    "NO", "NAMA PEGAWAI", "NIP", "GOL", "JABATAN", "ESELON", "PERANGKAT DAERAH", "UNIT KERJA (UNOR)", "TGL LAHIR",
)
NON_ASN_PAYROLL = ("NMPPPNPN", "NIKPPNPN", "STATUS", "JABATAN", "UNIT_KERJA")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (SIMPEG_DATA_PEGAWAI, {
            "row_no": "No.", "nip_lama": "NIP", "nip": "NIP Baru", "name": "Nama", "birth_place": "Tempat Lahir",
            "birth_date": "Tanggal Lahir", "gender": "L/P", "employment_type": "Status", "golongan": "Gol. Ruang",
            "jabatan": "Jabatan", "sub_unit": "Unit Kerja", "unit": "Satuan Kerja",
        }),
        (SIASN_DATA_UTAMA, {
            "nip": "NIP BARU", "nip_lama": "NIP LAMA", "name": "NAMA", "gelar_depan": "GELAR DEPAN",
            "gelar_belakang": "GELAR BELAKANG", "birth_place": "TEMPAT LAHIR NAMA", "birth_date": "TANGGAL LAHIR",
            "gender": "JENIS KELAMIN", "nik": "NIK", "employment_type": "JENIS PEGAWAI NAMA",
            "golongan": "GOL AKHIR NAMA", "jabatan": "JABATAN NAMA", "unit": "UNOR NAMA",
        }),
        (SEMICOLON_CSV, {
            "row_no": "NO", "name": "NAMA", "nip_lama": "NIP LAMA", "nip": "NIP BARU", "golongan": "GOLRU",
            "unit": "SATKER", "jabatan": "JABATAN",
        }),
        (BKPSDM_REPORT, {
            "row_no": "NO", "name": "NAMA PEGAWAI", "nip": "NIP", "golongan": "GOL", "jabatan": "JABATAN",
            "unit": "PERANGKAT DAERAH", "sub_unit": "UNIT KERJA (UNOR)", "birth_date": "TGL LAHIR",
        }),
        (NON_ASN_PAYROLL, {
            "name": "NMPPPNPN", "nik": "NIKPPNPN", "employment_type": "STATUS", "jabatan": "JABATAN",
            "unit": "UNIT_KERJA",
        }),
    ],
    ids=["simpeg-data-pegawai", "siasn-data-utama", "semicolon-csv", "bkpsdm-report", "non-asn-payroll"],
)
def test_every_domain_header_is_mapped_right_or_deliberately_unmapped(headers, expected):
    res = resolve_columns(headers, ROSTER_FIELDS)
    assert {name: res.texts[col] for name, col in res.columns.items()} == expected
    for col in res.ignored:
        key = header_key(res.texts[col])
        assert key in UNMAPPED or UNIT_ROLES.get(key) == "parent", res.texts[col]


# ------------------------------------------------------------ unit rules

def test_satuan_kerja_is_the_unit_and_unit_kerja_the_sub_unit():
    assert mapping(["NAMA", "UNIT KERJA", "SATUAN KERJA"]) == {
        "name": "NAMA", "sub_unit": "UNIT KERJA", "unit": "SATUAN KERJA",
    }


def test_unit_kerja_alone_is_the_unit():
    assert mapping(["NAMA", "UNIT KERJA"]) == {"name": "NAMA", "unit": "UNIT KERJA"}


def test_siasn_unor_is_the_unit_and_satuan_kerja_induk_an_ignored_parent():
    res = resolve_columns(["NAMA", "UNOR NAMA", "INSTANSI INDUK NAMA", "SATUAN KERJA INDUK NAMA"], ROSTER_FIELDS)
    assert res.columns == {"name": 0, "unit": 1}
    assert [res.texts[c] for c in res.ignored] == ["INSTANSI INDUK NAMA", "SATUAN KERJA INDUK NAMA"]
    assert any("SATUAN KERJA INDUK NAMA" in note and "parent" in note for note in res.notes)


def test_satuan_kerja_induk_is_the_unit_when_nothing_finer_exists():
    assert mapping(["NAMA", "SATUAN KERJA INDUK NAMA"]) == {"name": "NAMA", "unit": "SATUAN KERJA INDUK NAMA"}


def test_explicit_sub_unit_column_wins_over_unit_kerja():
    res = resolve_columns(["NAMA", "OPD", "UNIT KERJA", "BIDANG"], ROSTER_FIELDS)
    assert res.columns == {"name": 0, "unit": 1, "sub_unit": 3}
    assert any("UNIT KERJA" in note for note in res.notes)


def test_sign_sheet_without_sub_unit_field_keeps_opd_as_unit():
    res = resolve_columns(["NAMA", "UNIT KERJA", "OPD"], SIGNSHEET_FIELDS)
    assert res.columns == {"name": 0, "unit": 2}
    assert res.ignored == [1]


def test_plugin_unit_alias_counts_as_opd():
    fields = extend(ROSTER_FIELDS, [("unit", "KODE OPD NAMA")])
    assert mapping(["NAMA", "UNIT KERJA", "KODE OPD NAMA"], fields) == {
        "name": "NAMA", "sub_unit": "UNIT KERJA", "unit": "KODE OPD NAMA",
    }


# ------------------------------------------------------- other decisions

def test_plain_nip_next_to_nip_baru_is_the_old_nip():
    res = resolve_columns(["NIP", "NIP BARU", "NAMA"], ROSTER_FIELDS)
    assert res.columns == {"nip_lama": 0, "nip": 1, "name": 2}
    assert any("old NIP" in note for note in res.notes)


def test_plain_nip_next_to_ni_pppk_is_not_demoted():
    res = resolve_columns(["NIP", "NI PPPK", "NAMA"], ROSTER_FIELDS)
    assert res.columns == {"nip": 0, "name": 2}
    assert res.ignored == [1]


def test_second_column_for_a_field_is_ignored_with_a_note():
    res = resolve_columns(["NAMA", "JABATAN", "NAMA LENGKAP"], ROSTER_FIELDS)
    assert res.columns == {"name": 0, "jabatan": 1}
    assert res.ignored == [2]
    assert res.notes == ["'NAMA LENGKAP' (column C) also looks like name; 'NAMA' (column A) is used "
                         "(--map name=HEADER chooses another)"]


def test_matching_is_exact_not_by_substring():
    assert mapping(["NAMA JABATAN", "NAMA IBU KANDUNG", "STATUS PERKAWINAN"]) == {"jabatan": "NAMA JABATAN"}


# ------------------------------------------------------- two-row headers

def test_lower_cell_of_merged_upper_names_the_field():
    res = resolve_columns(
        ["NO", "NAMA", "NIP", "PANGKAT", None, "JABATAN"], ROSTER_FIELDS, lower=[None, None, None, "GOL", "TMT"]
    )
    assert res.columns == {"row_no": 0, "name": 1, "nip": 2, "golongan": 3, "jabatan": 5}
    assert res.texts == ["NO", "NAMA", "NIP", "PANGKAT / GOL", "PANGKAT / TMT", "JABATAN"]
    assert res.ignored == [4]


def test_tempat_and_tanggal_under_tempat_tgl_lahir_are_birth_place_and_date():
    res = resolve_columns(["NAMA", "TEMPAT / TGL LAHIR", None], ROSTER_FIELDS, lower=[None, "TEMPAT", "TANGGAL"])
    assert res.columns == {"name": 0, "birth_place": 1, "birth_date": 2}


def test_lower_nama_under_jabatan_is_the_position_not_the_person():
    res = resolve_columns(["NAMA", "JABATAN", None], ROSTER_FIELDS, lower=[None, "NAMA", "TMT"])
    assert res.columns == {"name": 0, "jabatan": 1}


def test_lower_cell_under_a_known_unmapped_header_is_not_read_alone():
    res = resolve_columns(["NAMA", "TMT", None], ROSTER_FIELDS, lower=[None, "GOL", "JABATAN"])
    assert res.columns == {"name": 0}


def test_lower_cells_under_a_group_label_are_read_alone():
    res = resolve_columns(["NO", "DATA PEGAWAI", None, "GELAR", None], ROSTER_FIELDS,
                          lower=[None, "NAMA", "NIP", "DEPAN", "BELAKANG"])
    assert res.columns == {"row_no": 0, "name": 1, "nip": 2, "gelar_depan": 3, "gelar_belakang": 4}


def test_merged_upper_names_its_first_column_when_no_lower_cell_is_known():
    res = resolve_columns(["NAMA", "PANGKAT/GOL", None], ROSTER_FIELDS, lower=[None, "PANGKAT", "TMT"])
    assert res.columns == {"name": 0, "golongan": 1}


# --------------------------------------------------------------- overrides

def test_override_by_header_text_wins_and_the_guess_loses():
    res = resolve_columns(["NAMA", "NAMA LENGKAP", "NIP"], ROSTER_FIELDS, overrides={"name": "nama  lengkap"})
    assert res.columns == {"name": 1, "nip": 2}
    assert res.pinned == {"name": 1}
    assert res.ignored == [0]
    assert any("--map sets name" in note for note in res.notes)


@pytest.mark.parametrize("ref", ["#2", "#B", "# b"])
def test_override_by_column_position(ref):
    res = resolve_columns(["NAMA", "X", "NIP"], ROSTER_FIELDS, overrides={"name": ref})
    assert res.columns == {"name": 1, "nip": 2}


def test_override_of_a_column_without_header_is_allowed():
    res = resolve_columns(["NAMA", "NIP"], ROSTER_FIELDS, overrides={"unit": "#D"})
    assert res.columns == {"name": 0, "nip": 1, "unit": 3}


def test_override_matches_lower_or_upper_text_of_two_row_header():
    upper, lower = ["NAMA", "PANGKAT", None], [None, "GOL", "KODE"]
    assert resolve_columns(upper, ROSTER_FIELDS, lower=lower, overrides={"golongan": "KODE"}).columns == {
        "name": 0, "golongan": 2,
    }
    assert resolve_columns(upper, ROSTER_FIELDS, lower=lower, overrides={"golongan": "pangkat / kode"}).columns == {
        "name": 0, "golongan": 2,
    }


def test_override_of_unit_keeps_the_finer_column_as_sub_unit():
    res = resolve_columns(["NAMA", "UNIT KERJA", "SATUAN KERJA"], ROSTER_FIELDS, overrides={"unit": "SATUAN KERJA"})
    assert res.columns == {"name": 0, "sub_unit": 1, "unit": 2}


def test_override_of_unknown_field_lists_valid_fields():
    with pytest.raises(UnknownField) as err:
        resolve_columns(["NAMA"], ROSTER_FIELDS, overrides={"nmae": "NAMA"})
    assert "'nmae'" in str(err.value) and "name" in err.value.valid
    assert isinstance(err.value, ValueError) and isinstance(err.value, ConfigError)


def test_override_whose_header_is_missing_is_reported_unmatched():
    res = resolve_columns(["NAMA"], ROSTER_FIELDS, overrides={"nip": "NIP PEG"})
    assert res.unmatched == {"nip": "NIP PEG"}


def test_two_overrides_on_one_column_conflict():
    with pytest.raises(MappingConflict):
        resolve_columns(["NAMA", "NIP"], ROSTER_FIELDS, overrides={"name": "#1", "name_nip": "NAMA"})


def test_config_errors_are_value_errors():
    assert issubclass(UnknownHeader, ValueError) and issubclass(UnknownHeader, ConfigError)
    assert issubclass(MappingConflict, ValueError)


# ------------------------------------------------------------------ extend

def test_extend_adds_plugin_aliases_without_changing_the_input():
    fields = extend(ROSTER_FIELDS, [("name", "NAMA_PEG"), ("name", "NM PEGAWAI")])
    assert "nama peg" in fields["name"].aliases
    assert "nama peg" not in ROSTER_FIELDS["name"].aliases
    assert fields["nip"] is ROSTER_FIELDS["nip"]
    assert mapping(["NAMA_PEG"], fields) == {"name": "NAMA_PEG"}


def test_extend_alias_claimed_by_another_field_names_both():
    with pytest.raises(AliasConflict) as err:
        extend(ROSTER_FIELDS, [("jabatan", "Nama")])
    assert err.value.fields == ("name", "jabatan")
    assert "'name'" in str(err.value) and "'jabatan'" in str(err.value)


def test_extend_conflict_between_two_extra_aliases_names_both():
    with pytest.raises(AliasConflict, match="'nip'.*'nik'"):
        extend(ROSTER_FIELDS, [("nip", "NOMOR PEG"), ("nik", "nomor_peg")])


def test_extend_with_unknown_field_is_an_error():
    with pytest.raises(UnknownField):
        extend(SIGNSHEET_FIELDS, [("golongan", "GOL")])


def test_extend_with_empty_header_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        extend(ROSTER_FIELDS, [("name", " / ")])


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letter(index, letters):
    assert column_letter(index) == letters
