"""A fully synthetic kabupaten and the roster exports its BKPSDM would hand over.

Readers and the reconcile engine must be tested on files that look like the real ones
(title rows, merged headers, float-damaged NIPs, Windows-1252 CSVs...) without touching
anybody's personal data. Everything here is invented from ``random.Random(seed)``: the
same seed and variant give byte-identical files, and every writer returns an
:class:`ExportTruth` saying which person sits on which row and which traps were planted
where, so a test can check a reader against the truth instead of against itself.

``variant`` changes only the surface of a file (title rows, header spelling and case,
column order, one- or two-row header, which rows carry which trap), never who is in it:
tests use variants other than 0 as layouts a reader has never seen.
"""

from __future__ import annotations

import csv
import datetime
import gc
import hashlib
import html
import io
import json
import random
import re
import uuid
from bisect import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..tabular.output import xlsx_bytes

__all__ = [
    "TODAY",
    "Person",
    "Kabupaten",
    "ExportTruth",
    "make_kabupaten",
    "eselon_of",
    "head_of_unit",
    "write_simpeg_data_pegawai",
    "write_siasn_csv",
    "write_html_xls",
    "write_semicolon_csv",
    "write_non_asn_csv",
    "write_bkpsdm_report",
    "write_kabupaten_exports",
]

#: The generator's fixed "today": ages, TMT and CPNS status are judged against it.
TODAY = datetime.date(2024, 6, 1)
#: The "Keadaan per ..." date printed on every export.
KEADAAN = datetime.date(2024, 5, 31)
#: Timestamp written into xlsx metadata and zip entries so that files are byte-identical.
_FIXED_STAMP = datetime.datetime(2024, 5, 31, 8, 0, 0)

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
_MON_EN = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

GOLONGAN_PNS = ("I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b",
                "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e")
PANGKAT = dict(zip(GOLONGAN_PNS, (
    "Juru Muda", "Juru Muda Tingkat I", "Juru", "Juru Tingkat I", "Pengatur Muda",
    "Pengatur Muda Tingkat I", "Pengatur", "Pengatur Tingkat I", "Penata Muda",
    "Penata Muda Tingkat I", "Penata", "Penata Tingkat I", "Pembina", "Pembina Tingkat I",
    "Pembina Utama Muda", "Pembina Utama Madya", "Pembina Utama")))
GOLONGAN_PPPK = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
                 "XIII", "XIV", "XV", "XVI", "XVII")
_GOL_INDEX = {g: i for i, g in enumerate(GOLONGAN_PNS)}


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class Person:
    """One invented member of staff. ``name`` carries no titles; see :attr:`display_name`."""

    nip: str | None
    nip_lama: str | None
    nik: str | None
    front_titles: str
    name: str
    back_titles: str
    employment_type: str
    golongan: str | None
    jabatan: str
    unit: str
    sub_unit: str | None
    kecamatan: str
    gender: str
    birth_place: str
    birth_date: datetime.date

    @property
    def display_name(self) -> str:
        """The name as rosters print it: ``"front name, back"``."""
        text = f"{self.front_titles} {self.name}" if self.front_titles else self.name
        return f"{text}, {self.back_titles}" if self.back_titles else text


@dataclass
class Kabupaten:
    name: str
    seed: int
    units: list[str]
    people: list[Person]
    #: Kecamatan names; the first is the capital, where OPD offices are.
    kecamatan: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Kabupaten {self.name}"


@dataclass
class ExportTruth:
    """What a correct reader must find in one written file.

    Rows are numbered as the user sees them: the Excel row, the CSV line, or for an
    HTML table the ordinal of the ``<tr>`` in the document.
    """

    path: Path
    layout: str
    sheet: str | None
    people: list[tuple[int, Person]]
    traps: list[tuple[int, str]]
    header_row: int
    expected_problem_rows: list[int]
    skipped_rows: list[int]
    #: Rows the header occupies (2 for a two-row merged header; header_row is the first).
    header_height: int = 1
    #: The row that only numbers the columns 1..N, if any.
    numbering_row: int | None = None
    #: Signature block under the data: not people, not problems.
    footer_rows: list[int] = field(default_factory=list)
    #: Field key of each column in file order (see _FIELD_KEYS in the README).
    columns: list[str] = field(default_factory=list)
    #: Text encoding and delimiter of CSV files; None for spreadsheets.
    encoding: str | None = None
    delimiter: str | None = None
    #: The OPD given only in a preamble line ("Satuan Kerja : ..."), if any.
    preamble_unit: str | None = None

    @property
    def data_start_row(self) -> int:
        return self.header_row + self.header_height + (1 if self.numbering_row else 0)


# --------------------------------------------------------------------------- name material

_JAVA_M = ("Budi", "Slamet", "Agus", "Bambang", "Wahyu", "Eko", "Joko", "Sugeng", "Hartono",
           "Bayu", "Teguh", "Hadi", "Yudi", "Priyo", "Sutrisno", "Heru", "Rudi", "Widodo",
           "Sigit", "Purnomo", "Gunawan", "Arif", "Dwi", "Tri", "Wawan", "Kuncoro")
_JAVA_F = ("Sri", "Endang", "Wulan", "Retno", "Rini", "Yuni", "Sulistyowati", "Tri", "Dwi",
           "Lestari", "Wahyuni", "Puji", "Ratna", "Indah", "Kartini", "Sumarni", "Dewi",
           "Setyaningsih", "Purwanti", "Anik", "Rahayu", "Handayani")
_JAVA_2M = ("Santoso", "Wibowo", "Prasetyo", "Setiawan", "Nugroho", "Susanto", "Hidayat",
            "Purnomo", "Saputro", "Wicaksono", "Kurniawan", "Riyadi", "Utomo", "Sutanto")
_JAVA_2F = ("Wahyuni", "Lestari", "Rahayu", "Handayani", "Purwanti", "Susanti", "Astuti",
            "Wulandari", "Kusumawati", "Rahmawati", "Setyowati", "Suryani")
_JAVA_OLD_M = ("Soekardi", "Soeparno", "Djoko", "Tjahjo", "Soetrisno", "Djumadi", "Soemarno",
               "Djatmiko", "Soehardjo", "Tjipto")
_JAVA_OLD_F = ("Soewarni", "Soeparmi", "Djuwariyah", "Tjitjih", "Soelastri", "Djumiati")
_SUNDA_M = ("Asep", "Dadang", "Ujang", "Cecep", "Yayat", "Dede", "Nanang", "Iwan", "Eman",
            "Ade", "Deden", "Yusuf", "Rahmat", "Aceng", "Engkus", "Ajat", "Encep", "Ayi")
_SUNDA_F = ("Euis", "Neneng", "Iis", "Imas", "Entin", "Yeni", "Lilis", "Tintin", "Nining",
            "Ai", "Cucu", "Yuyun", "Nia", "Rina", "Ela")
_SUNDA_2M = ("Sukmana", "Permana", "Suryana", "Kurniawan", "Hidayat", "Rustandi", "Sopandi",
             "Supriatna", "Mulyana", "Gunawan", "Saepudin", "Kusnadi", "Ruhiyat")
_SUNDA_2F = ("Nurhayati", "Rahmawati", "Komariah", "Kurniasih", "Sumiati", "Rohaeti",
             "Mulyani", "Aisah", "Herawati", "Susilawati")
_MALAY_M = ("Muhammad", "Ahmad", "Abdul", "Muh.", "Rahmat", "Hasan", "Ismail", "Zulkifli",
            "Syahrul", "Ridwan", "Hamzah", "Fauzan", "Irfan", "Rizki", "Fadli")
_MALAY_F = ("Siti", "Nur", "Fatimah", "Aisyah", "Khadijah", "Zahra", "Nurul", "Rahmah",
            "Halimah", "Syarifah", "Maryam", "Aminah")
_MALAY_2M = ("Rahman", "Hidayat", "Fauzi", "Ridwan", "Syahputra", "Hakim", "Ma'ruf",
             "Syafi'i", "Rifa'i", "Hamid", "Yusuf", "Ramadhan", "Effendi", "Ma'mun")
_MALAY_2F = ("Aminah", "Rohmah", "Sa'diyah", "Mu'awanah", "Hasanah", "Zubaidah",
             "Maisaroh", "Fitriani", "Rahmawati", "Sholihah")
_BATAK_M = ("Togar", "Maruli", "Lamhot", "Parlindungan", "Hotman", "Binsar", "Roy", "Jonner",
            "Tigor", "Posman")
_BATAK_F = ("Tiurma", "Rosmawati", "Lasma", "Dameria", "Rotua", "Nurmala", "Romauli")
_BATAK_CHRISTIAN = ("Simanjuntak", "Situmorang", "Sitompul", "Hutapea", "Pardede", "Sinaga",
                    "Panjaitan", "Manurung", "Hutagalung", "Sihombing", "Simatupang")
_BATAK_MUSLIM = ("Nasution", "Lubis", "Harahap", "Daulay", "Rangkuti")
_BUGIS_M = ("Baso", "Arfah", "Rusdi", "Amir", "Syamsul", "Ilham", "Iskandar", "Muhlis",
            "Hasanuddin", "Akbar")
_BUGIS_F = ("Besse", "Tenri", "Hasnah", "Sitti Aminah", "Nurhaedah", "Hasmawati", "Ratna")
_BUGIS_2 = ("Said", "Amir", "Hamid", "Bahar", "Mappa", "Latif", "Rauf", "Tahir")
_BALI_ORDER_M = ("Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut")
_BALI_ORDER_F = ("Luh", "Putu", "Made", "Kadek", "Nyoman", "Ketut", "Wayan")
_BALI_M = ("Sudarsana", "Suardana", "Wirawan", "Astawa", "Suparta", "Artawan", "Darmawan",
           "Mahendra")
_BALI_F = ("Ariani", "Sukerti", "Widiastuti", "Suarni", "Sriasih", "Yuliantari", "Purnamasari")
_CHRIS_M = ("Yohanes", "Stefanus", "Agustinus", "Yosef", "Markus", "Fransiskus", "Andréas",
            "Daniel", "Yakobus")
_CHRIS_F = ("Maria", "Theresia", "Yohana", "Agnes", "Désy", "Margaretha", "Elisabeth", "Rénny")
_CHRIS_2 = ("Wenas", "Lumintang", "Pattiasina", "Manuhutu", "Kaunang", "Tumbel", "Lewerissa",
            "Rumengan", "Sigar", "Bria")
_CATHOLIC = frozenset(("Fransiskus", "Yosef", "Agustinus", "Maria", "Theresia", "Agnes",
                       "Margaretha", "Yakobus", "Bria"))
_CHRISTIAN_TOKENS = frozenset(_CHRIS_M + _CHRIS_F + _CHRIS_2 + _BATAK_CHRISTIAN + _BATAK_M
                              + _BATAK_F)

# (weight, male given, female given, male second, female second, prob of a second name)
_ETHNIC = (
    (0.33, _JAVA_M, _JAVA_F, _JAVA_2M, _JAVA_2F, 0.85),
    (0.27, _SUNDA_M, _SUNDA_F, _SUNDA_2M, _SUNDA_2F, 0.9),
    (0.15, _MALAY_M, _MALAY_F, _MALAY_2M, _MALAY_2F, 1.0),
    (0.08, _BATAK_M, _BATAK_F, _BATAK_CHRISTIAN, _BATAK_CHRISTIAN, 1.0),
    (0.03, _MALAY_M, _MALAY_F, _BATAK_MUSLIM, _BATAK_MUSLIM, 1.0),
    (0.06, _BUGIS_M, _BUGIS_F, _BUGIS_2, _BUGIS_2, 0.8),
    (0.04, None, None, None, None, 1.0),  # Balinese: built below
    (0.04, _CHRIS_M, _CHRIS_F, _CHRIS_2, _CHRIS_2, 1.0),
)
_ETHNIC_CUM = [sum(e[0] for e in _ETHNIC[: i + 1]) for i in range(len(_ETHNIC))]
_BIRTH_PLACES = (
    ("Semarang", "Surabaya", "Klaten", "Kediri", "Madiun", "Purworejo", "Boyolali", "Blitar"),
    ("Bandung", "Garut", "Tasikmalaya", "Ciamis", "Sumedang", "Cianjur", "Kuningan"),
    ("Padang", "Pekanbaru", "Palembang", "Jambi", "Pontianak", "Bukittinggi"),
    ("Medan", "Tarutung", "Sibolga", "Pematangsiantar", "Balige"),
    ("Padangsidimpuan", "Medan", "Mandailing Natal"),
    ("Makassar", "Bone", "Parepare", "Sengkang", "Sidrap"),
    ("Denpasar", "Gianyar", "Tabanan", "Singaraja", "Bangli"),
    ("Manado", "Ambon", "Kupang", "Tomohon", "Larantuka"),
)

# Names forced onto the first non-ASN staff so the Windows-1252 payroll always carries them.
_FORCED_NON_ASN = (("P", "Désy Ratnasari"), ("L", "Ahmad Ma'ruf"), ("L", "Andréas Wenas"))


def _name(rnd: Callable[[], float], gender: str, old: bool) -> tuple[str, int]:
    """An invented name and the index of its ethnic group (for birth places).

    ``old``: a Javanese name in the pre-1972 spelling (Soekardi, Djoko, Tjahjo).
    """
    e = 0 if old else min(bisect(_ETHNIC_CUM, rnd() * _ETHNIC_CUM[-1]), len(_ETHNIC) - 1)
    male = gender == "L"
    if e == 6:
        if male:
            order = _BALI_ORDER_M[int(rnd() * len(_BALI_ORDER_M))]
            given = _BALI_M[int(rnd() * len(_BALI_M))]
            return f"I {order} {given}", e
        order = _BALI_ORDER_F[int(rnd() * len(_BALI_ORDER_F))]
        given = _BALI_F[int(rnd() * len(_BALI_F))]
        return f"Ni {order} {given}", e
    _, gm, gf, sm, sf, p2 = _ETHNIC[e]
    if old:
        gm, gf = _JAVA_OLD_M, _JAVA_OLD_F
    given = gm[int(rnd() * len(gm))] if male else gf[int(rnd() * len(gf))]
    if e == 5 and rnd() < 0.4:
        given = f"Andi {given}"
    if rnd() < p2:
        second = sm[int(rnd() * len(sm))] if male else sf[int(rnd() * len(sf))]
        if e <= 2 and rnd() < 0.2:  # a middle name: "Sri Wahyuni Lestari"
            middle = gm[int(rnd() * len(gm))] if male else gf[int(rnd() * len(gf))]
            if middle not in (given, second):
                given = f"{given} {middle}"
        if second not in given:
            return f"{given} {second}", e
    return given, e


def _name_pool(rnd: Callable[[], float], gender: str, old: bool) -> list[tuple[str, int]]:
    """Up to _NAME_POOL distinct names (fewer when the name lists run dry, as old ones do)."""
    seen: set[str] = set()
    pool = []
    for _ in range(4 * _NAME_POOL):
        item = _name(rnd, gender, old)
        if item[0] not in seen:
            seen.add(item[0])
            pool.append(item)
            if len(pool) == _NAME_POOL:
                break
    return pool


def religion_of(name: str) -> str:
    """Religion a roster would show for an invented name (drives H./Hj. and AGAMA)."""
    if name.startswith(("I ", "Ni ")):
        return "Hindu"
    tokens = name.split()
    if any(t in _CHRISTIAN_TOKENS for t in tokens):
        return "Katolik" if any(t in _CATHOLIC for t in tokens) else "Kristen"
    return "Islam"


# --------------------------------------------------------------------------- units

_KAB_NAMES = ("Sukamaju", "Mekarsari", "Tanjung Harapan", "Sindangjaya", "Batu Permai",
              "Lembah Hijau", "Karang Sentosa", "Sumber Rejeki")
_KEC_POOL = ("Cibening", "Karangsari", "Tanjungwangi", "Margahayu", "Sindangsari",
             "Pasirjaya", "Mekarmukti", "Wanasari", "Bojongsari", "Sumberwaras", "Talagamukti",
             "Kedungrejo", "Mulyaharja", "Lubuk Jaya", "Batu Ampar", "Air Putih",
             "Pematang Sari", "Cikadu Hilir", "Gunung Sari", "Rawamerta")
_KEL_POOL = ("Kaum", "Pasar Baru", "Sukasari", "Kebon Jati", "Babakan", "Cigadung",
             "Nagrak", "Tegalsari", "Margajaya", "Sirnagalih")

# (name, kind, bidang list, fungsional jabatan templates for S1+ staff)
_FIXED_OPD = (
    ("Sekretariat Daerah", "setda",
     ("Bagian Tata Pemerintahan", "Bagian Hukum", "Bagian Organisasi", "Bagian Perekonomian",
      "Bagian Kesejahteraan Rakyat", "Bagian Pengadaan Barang dan Jasa",
      "Bagian Protokol dan Komunikasi Pimpinan", "Bagian Umum"),
     ("Analis Kebijakan {ahli}", "Analis Hukum {ahli}", "Pranata Hubungan Masyarakat {ahli}")),
    ("Sekretariat DPRD", "dprd",
     ("Bagian Umum dan Keuangan", "Bagian Persidangan dan Perundang-undangan",
      "Bagian Fasilitasi Penganggaran dan Pengawasan"),
     ("Analis Kebijakan {ahli}", "Perancang Peraturan Perundang-undangan {ahli}")),
    ("Inspektorat Daerah", "inspektorat",
     ("Sekretariat", "Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II",
      "Inspektur Pembantu Wilayah III", "Inspektur Pembantu Wilayah IV"),
     ("Auditor {ahli}", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah {ahli}")),
    ("Dinas Pendidikan", "pendidikan",
     ("Sekretariat", "Bidang Pembinaan Sekolah Dasar", "Bidang Pembinaan Sekolah Menengah Pertama",
      "Bidang Pendidikan Anak Usia Dini dan Pendidikan Nonformal", "Bidang Ketenagaan"),
     ("Pengawas Sekolah {ahli}", "Analis Kebijakan {ahli}")),
    ("Dinas Kesehatan", "kesehatan",
     ("Sekretariat", "Bidang Kesehatan Masyarakat", "Bidang Pencegahan dan Pengendalian Penyakit",
      "Bidang Pelayanan dan Sumber Daya Kesehatan", "UPTD Laboratorium Kesehatan Daerah"),
     ("Administrator Kesehatan {ahli}", "Epidemiolog Kesehatan {ahli}")),
    ("RSUD {kab}", "rsud",
     ("Bagian Umum dan Kepegawaian", "Bidang Pelayanan Medik", "Bidang Keperawatan",
      "Instalasi Gawat Darurat", "Instalasi Rawat Inap", "Instalasi Farmasi"),
     ("Administrator Kesehatan {ahli}",)),
    ("Satuan Polisi Pamong Praja", "satpol",
     ("Sekretariat", "Bidang Penegakan Peraturan Daerah",
      "Bidang Ketertiban Umum dan Ketenteraman Masyarakat", "Bidang Perlindungan Masyarakat"),
     ("Polisi Pamong Praja {ahli}",)),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "bkpsdm",
     ("Sekretariat", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
      "Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi Aparatur"),
     ("Analis Sumber Daya Manusia Aparatur {ahli}", "Pranata Komputer {ahli}")),
)
_OPTIONAL_OPD = (
    ("Dinas Pekerjaan Umum dan Penataan Ruang",
     ("Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Penataan Ruang"),
     ("Teknik Jalan dan Jembatan {ahli}", "Penata Ruang {ahli}")),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman",
     ("Bidang Perumahan", "Bidang Kawasan Permukiman"),
     ("Penata Kelola Perumahan {ahli}",)),
    ("Dinas Sosial",
     ("Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial"),
     ("Pekerja Sosial {ahli}", "Penyuluh Sosial {ahli}")),
    ("Dinas Kependudukan dan Pencatatan Sipil",
     ("Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Pencatatan Sipil"),
     ("Administrator Database Kependudukan {ahli}",)),
    ("Dinas Pemberdayaan Masyarakat dan Desa",
     ("Bidang Pemerintahan Desa", "Bidang Pemberdayaan Masyarakat"),
     ("Penggerak Swadaya Masyarakat {ahli}",)),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana",
     ("Bidang Keluarga Berencana", "Bidang Pengendalian Penduduk"),
     ("Penyuluh Keluarga Berencana {ahli}",)),
    ("Dinas Perhubungan",
     ("Bidang Lalu Lintas", "Bidang Angkutan"),
     ("Penguji Kendaraan Bermotor {ahli}",)),
    ("Dinas Komunikasi dan Informatika",
     ("Bidang Aplikasi Informatika", "Bidang Informasi dan Komunikasi Publik", "Bidang Statistik dan Persandian"),
     ("Pranata Komputer {ahli}", "Pranata Hubungan Masyarakat {ahli}")),
    ("Dinas Koperasi, Usaha Kecil dan Menengah",
     ("Bidang Koperasi", "Bidang Usaha Mikro"),
     ("Pengawas Koperasi {ahli}",)),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
     ("Bidang Pelayanan Perizinan", "Bidang Promosi Penanaman Modal"),
     ("Analis Kebijakan {ahli}",)),
    ("Dinas Pemuda dan Olahraga",
     ("Bidang Kepemudaan", "Bidang Keolahragaan"),
     ("Analis Kebijakan {ahli}",)),
    ("Dinas Perpustakaan dan Kearsipan",
     ("Bidang Perpustakaan", "Bidang Kearsipan"),
     ("Pustakawan {ahli}", "Arsiparis {ahli}")),
    ("Dinas Pertanian",
     ("Bidang Tanaman Pangan", "Bidang Hortikultura", "Bidang Penyuluhan"),
     ("Penyuluh Pertanian {ahli}", "Pengawas Benih Tanaman {ahli}")),
    ("Dinas Perikanan",
     ("Bidang Perikanan Budidaya", "Bidang Perikanan Tangkap"),
     ("Penyuluh Perikanan {ahli}",)),
    ("Dinas Lingkungan Hidup",
     ("Bidang Pengelolaan Sampah", "Bidang Penataan dan Penaatan Lingkungan"),
     ("Pengendali Dampak Lingkungan {ahli}",)),
    ("Dinas Perdagangan dan Perindustrian",
     ("Bidang Perdagangan", "Bidang Perindustrian", "UPTD Pasar"),
     ("Pengawas Perdagangan {ahli}",)),
    ("Dinas Pariwisata dan Kebudayaan",
     ("Bidang Pariwisata", "Bidang Kebudayaan"),
     ("Pamong Budaya {ahli}",)),
    ("Dinas Tenaga Kerja",
     ("Bidang Penempatan Tenaga Kerja", "Bidang Hubungan Industrial"),
     ("Pengantar Kerja {ahli}", "Mediator Hubungan Industrial {ahli}")),
    ("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
     ("Bidang Perencanaan Ekonomi", "Bidang Perencanaan Sosial Budaya", "Bidang Penelitian dan Pengembangan"),
     ("Perencana {ahli}", "Peneliti {ahli}")),
    ("Badan Pengelolaan Keuangan dan Aset Daerah",
     ("Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"),
     ("Analis Keuangan Pusat dan Daerah {ahli}", "Pengelola Barang Milik Negara {ahli}")),
    ("Badan Pendapatan Daerah",
     ("Bidang Pendataan dan Penetapan", "Bidang Penagihan"),
     ("Analis Keuangan Pusat dan Daerah {ahli}",)),
    ("Badan Penanggulangan Bencana Daerah",
     ("Bidang Kedaruratan dan Logistik", "Bidang Rehabilitasi dan Rekonstruksi"),
     ("Analis Bencana {ahli}",)),
    ("Badan Kesatuan Bangsa dan Politik",
     ("Bidang Politik Dalam Negeri", "Bidang Ketahanan Ekonomi, Sosial dan Budaya"),
     ("Analis Kebijakan {ahli}",)),
)
_KEC_SUBS = ("Sekretariat Kecamatan", "Seksi Pemerintahan", "Seksi Ketenteraman dan Ketertiban Umum",
             "Seksi Pemberdayaan Masyarakat", "Seksi Kesejahteraan Sosial")
_OFFICE_GENERIC = ("Analis Kebijakan {ahli}", "Perencana {ahli}", "Pranata Komputer {ahli}",
                   "Analis Sumber Daya Manusia Aparatur {ahli}", "Arsiparis {ahli}",
                   "Penata Layanan Operasional", "Penelaah Teknis Kebijakan")
_OFFICE_D3 = ("Pengelola Keuangan", "Pranata Komputer {terampil}", "Arsiparis {terampil}",
              "Pengelola Data dan Informasi", "Pengadministrasi Perkantoran")
_OFFICE_SMA = ("Pengadministrasi Umum", "Pengelola Umum Operasional", "Operator Layanan Operasional",
               "Pengadministrasi Perkantoran")
_NON_ASN_OFFICE = ("Tenaga Pendukung Administrasi", "Pramu Kantor", "Pengemudi",
                   "Petugas Kebersihan", "Petugas Keamanan", "Operator Komputer")
_NON_ASN_SCHOOL = ("Guru Honorer", "Operator Sekolah", "Tenaga Administrasi Sekolah",
                   "Penjaga Sekolah", "Guru Honorer")
_NON_ASN_HEALTH = ("Tenaga Kesehatan", "Petugas Kebersihan", "Pengemudi Ambulans",
                   "Tenaga Administrasi", "Tenaga Kesehatan")
# (jabatan template, education, front title, back title choices, share of women, RSUD only)
_HEALTH_JOBS = (
    (22, "Perawat {terampil}", "D3", "", ("A.Md.Kep.",), 0.7),
    (14, "Perawat {ahli}", "S1", "", ("S.Kep., Ns.",), 0.7),
    (16, "Bidan {terampil}", "D3", "", ("A.Md.Keb.",), 1.0),
    (6, "Dokter {ahli}", "PROFESI", "dr.", ("", "", "M.Kes."), 0.55),
    (2, "Dokter Gigi {ahli}", "PROFESI", "drg.", ("",), 0.6),
    (3, "Apoteker {ahli}", "PROFESI", "", ("S.Farm., Apt.",), 0.7),
    (4, "Sanitarian {terampil}", "D3", "", ("A.Md.Kes.",), 0.5),
    (4, "Nutrisionis {terampil}", "D3", "", ("A.Md.Gz.",), 0.8),
    (3, "Pranata Laboratorium Kesehatan {terampil}", "D3", "", ("A.Md.AK.",), 0.6),
    (4, "Penyuluh Kesehatan Masyarakat {ahli}", "S1", "", ("S.KM.",), 0.6),
    (2, "Epidemiolog Kesehatan {ahli}", "S1", "", ("S.KM.", "S.KM., M.Kes."), 0.5),
)
_SPECIALISTS = (("Dokter Spesialis Anak {ahli}", "Sp.A."),
                ("Dokter Spesialis Penyakit Dalam {ahli}", "Sp.PD."),
                ("Dokter Spesialis Obstetri dan Ginekologi {ahli}", "Sp.OG."),
                ("Dokter Spesialis Bedah {ahli}", "Sp.B."))
_HEALTH_CUM = [sum(j[0] for j in _HEALTH_JOBS[: i + 1]) for i in range(len(_HEALTH_JOBS))]
_S1_OFFICE = ("S.Sos.", "S.H.", "S.E.", "S.Kom.", "S.T.", "S.P.", "S.IP.", "S.AP.", "S.Ak.")
_S2_OFFICE = ("M.Si.", "M.M.", "M.H.", "M.AP.", "M.Si.")
_SUBJECTS = ("Matematika", "Bahasa Indonesia", "Bahasa Inggris", "Ilmu Pengetahuan Alam",
             "Ilmu Pengetahuan Sosial", "Pendidikan Agama Islam", "Pendidikan Jasmani",
             "Pendidikan Pancasila", "Seni Budaya", "Bimbingan dan Konseling")


@dataclass
class _Opd:
    name: str
    kind: str
    offices: list[str | None]          # office sub-units, in the capital
    fields: list[tuple[str, str]]      # (sub-unit, kecamatan) spread over the kecamatan
    field_share: tuple[float, float, float]  # PNS, PPPK, NON_ASN
    fungsional: tuple[str, ...]
    weights: tuple[float, float, float]
    kecamatan: str


def _build_units(rnd: random.Random, kab: str, size: int) -> tuple[list[_Opd], list[str]]:
    n_kec = rnd.randint(8, 15)
    kec = [f"{kab} Utara", f"{kab} Selatan"] + rnd.sample(_KEC_POOL, n_kec - 2)
    capital = kec[0]
    n_opt = min(len(_OPTIONAL_OPD), rnd.randint(32, 40) - len(_FIXED_OPD) - n_kec)
    optional = sorted(rnd.sample(range(len(_OPTIONAL_OPD)), n_opt))
    opds: list[_Opd] = []
    # Shares of PNS, PPPK and non-ASN by kind: the Dinas Pendidikan holds ~40% of the PNS.
    kind_weight = {"setda": (3.5, 1.0, 7.0), "dprd": (1.2, 0.3, 4.0), "inspektorat": (1.2, 0.4, 1.0),
                   "pendidikan": (40.0, 70.0, 25.0), "kesehatan": (10.0, 12.0, 8.0),
                   "rsud": (7.0, 8.0, 10.0), "satpol": (1.5, 0.5, 6.0), "bkpsdm": (1.2, 0.3, 1.5)}
    n_schools = max(2 * n_kec, round(size * 0.4 * 0.93 / 14))
    for name, kind, subs, fung in _FIXED_OPD:
        name = name.format(kab=kab)
        fields: list[tuple[str, str]] = []
        share = (0.0, 0.0, 0.0)
        if kind == "pendidikan":
            counters = {}
            for i in range(n_schools):
                k = kec[i % n_kec] if i < 2 * n_kec else kec[int(rnd.random() * n_kec)]
                level = "UPT SD Negeri" if (i // n_kec) % 4 != 1 else "SMP Negeri"
                counters[(level, k)] = counters.get((level, k), 0) + 1
                fields.append((f"{level} {counters[(level, k)]} {k}", k))
            share = (0.93, 0.97, 0.85)
        elif kind == "kesehatan":
            fields = [(f"Puskesmas {k}", k) for k in kec]
            fields += [(f"Puskesmas {k} II", k) for k in kec[: max(1, n_kec // 4)]]
            share = (0.8, 0.9, 0.75)
        opds.append(_Opd(name, kind, list(subs), fields, share, fung, kind_weight[kind], capital))
    for i in optional:
        name, subs, fung = _OPTIONAL_OPD[i]
        w = 0.6 + rnd.random() * 0.8
        fields = []
        share = (0.0, 0.0, 0.0)
        if name == "Dinas Pertanian":
            fields = [(f"UPTD Balai Penyuluhan Pertanian {k}", k) for k in kec]
            share = (0.6, 0.8, 0.3)
        weights = (w, 0.15 * w, (2.5 if name == "Dinas Lingkungan Hidup" else 1.0) * w)
        opds.append(_Opd(name, "dinas", ["Sekretariat", *subs], fields, share, fung, weights, capital))
    kelurahan = rnd.sample(_KEL_POOL, 6)  # the two capital kecamatan have three each
    for j, k in enumerate(kec):
        kel = [(f"Kelurahan {x}", k) for x in kelurahan[3 * j: 3 * j + 3]] if j < 2 else []
        opds.append(_Opd(f"Kecamatan {k}", "kecamatan", [None, *_KEC_SUBS], kel,
                         (0.3, 0.3, 0.3) if kel else (0.0, 0.0, 0.0),
                         ("Analis Pemerintahan {ahli}", "Analis Kebijakan {ahli}"),
                         (0.8, 0.1, 1.1), k))
    return opds, kec


def _ahli(gol: str) -> str:
    if gol not in _GOL_INDEX:  # PPPK
        return "Ahli Pertama"
    i = _GOL_INDEX[gol]
    return "Ahli Pertama" if i <= 9 else "Ahli Muda" if i <= 11 else "Ahli Madya" if i <= 14 else "Ahli Utama"


def _terampil(gol: str) -> str:
    if gol not in _GOL_INDEX:
        return "Terampil"
    i = _GOL_INDEX[gol]
    return "Terampil" if i <= 7 else "Mahir" if i <= 9 else "Penyelia"


def _head_title(opd: _Opd, sub: str | None) -> str:
    if sub is None:
        return {"setda": "Sekretaris Daerah", "dprd": "Sekretaris DPRD", "inspektorat": "Inspektur",
                "rsud": f"Direktur {opd.name}", "satpol": "Kepala Satuan Polisi Pamong Praja",
                "kecamatan": f"Camat {opd.kecamatan}"}.get(opd.kind, f"Kepala {opd.name}")
    if sub == "Sekretariat":
        return "Sekretaris"
    if sub == "Sekretariat Kecamatan":
        return "Sekretaris Kecamatan"
    if sub.startswith("Kelurahan "):
        return "Lurah " + sub[len("Kelurahan "):]
    if sub.startswith(("UPT SD", "SMP")):
        return "Kepala Sekolah"
    if sub.startswith("Inspektur"):
        return sub
    return f"Kepala {sub}"


_ESELON_RULES = (
    ("Sekretaris Daerah", "II.a"), ("Sekretaris DPRD", "II.b"), ("Inspektur Pembantu", "III.a"),
    ("Inspektur", "II.b"), ("Direktur", "II.b"), ("Kepala Dinas", "II.b"), ("Kepala Badan", "II.b"),
    ("Kepala Satuan", "II.b"), ("Camat", "III.a"), ("Sekretaris Kecamatan", "III.b"),
    ("Sekretaris", "III.a"), ("Kepala Bagian", "III.a"), ("Kepala Bidang", "III.b"),
    ("Kepala Instalasi", "IV.a"), ("Kepala UPTD", "IV.a"), ("Kepala Seksi", "IV.a"), ("Lurah", "IV.a"),
)


def eselon_of(person: Person) -> str:
    """The eselon a roster shows for the person's jabatan; "-" for non-structural posts."""
    if person.employment_type != "PNS":
        return "-"
    for prefix, eselon in _ESELON_RULES:
        if person.jabatan.startswith(prefix):
            return eselon
    return "-"


# --------------------------------------------------------------------------- generation

def _cum(weights: Sequence[float]) -> list[float]:
    out, s = [], 0.0
    for w in weights:
        s += w
        out.append(s)
    return out


_D2 = tuple(f"{i:02d}" for i in range(100))
_D3 = tuple(f"{i:03d}" for i in range(1000))
_D4 = tuple(f"{i:04d}" for i in range(10000))
_BASE_GOL = {"SMA": 4, "D3": 6, "S1": 8, "S2": 9, "PROFESI": 9, "SP": 10}  # index in GOLONGAN_PNS
_CAP_GOL = {"SMA": 9, "D3": 11, "S1": 12, "S2": 13, "PROFESI": 13, "SP": 14}  # highest usual golongan
_PPPK_GOL = {"SMA": "V", "D3": "VII", "S1": "IX", "S2": "X", "PROFESI": "XI", "SP": "XI"}
_NAME_POOL = 2048
_PERSON_FIELDS = tuple(Person.__dataclass_fields__)


def _fast_person(*values: object) -> Person:
    """Person(*values) without the frozen dataclass's 15 object.__setattr__ calls.

    Same object as the constructor builds (frozen only guards later assignment); it
    keeps make_kabupaten(size=300_000) within a few seconds.
    """
    p = object.__new__(Person)
    p.__dict__.update(zip(_PERSON_FIELDS, values))
    return p


def make_kabupaten(seed: int = 2024, size: int = 1200, *, pppk_share: float = 0.15,
                   non_asn_share: float = 0.15) -> Kabupaten:
    """An invented kabupaten of ``size`` staff; same seed and size, same people.

    Linear in ``size``: 300,000 people take about 3-4 s on a small 2-core machine. The
    first three non-ASN staff always carry an é or an apostrophe in their names, so the
    Windows-1252 payroll has them.
    """
    if size < 0 or not 0 <= pppk_share <= 1 or not 0 <= non_asn_share <= 1 or pppk_share + non_asn_share > 1:
        raise ValueError("size must be >= 0 and the shares between 0 and 1, summing to at most 1")
    rng = random.Random(seed)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects and no cycles: collections only cost time
    try:
        return _generate(rng, seed, size, pppk_share, non_asn_share)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(rng: random.Random, seed: int, size: int, pppk_share: float, non_asn_share: float) -> Kabupaten:
    rnd = rng.random
    kab = _KAB_NAMES[int(rnd() * len(_KAB_NAMES))]
    opds, kec = _build_units(rng, kab, size)
    n_kec = len(kec)
    prov = ("32", "33", "35", "36", "12", "13", "16", "18", "51", "52", "61", "63", "64", "71", "73")[
        int(rnd() * 15)]
    kab_code = f"{prov}{1 + int(rnd() * 28):02d}"
    cum_by_type = [_cum([o.weights[t] for o in opds]) for t in range(3)]
    n_pppk = round(size * pppk_share)
    n_non = round(size * non_asn_share)
    n_pns = size - n_pppk - n_non
    kind_list = ["PNS"] * n_pns + ["PPPK"] * n_pppk + ["NON_ASN"] * n_non
    regions = {k: f"{kab_code}{i + 1:02d}" for i, k in enumerate(kec)}
    date = datetime.date
    new_person = _fast_person

    nip_serial: dict[str, int] = {}
    nik_serial: dict[str, int] = {}
    nip_lama_seen: set[str] = set()
    heads: set[tuple[str, str | None]] = set()
    people: list[Person] = []
    append = people.append
    forced = 0
    name_pools: dict[tuple[str, bool], list[tuple[str, int]]] = {}
    name_dealt: dict[tuple[str, bool], int] = {}
    today_idx = KEADAAN.year * 12 + KEADAAN.month - 1  # no TMT after the "Keadaan per" date

    for etype in kind_list:
        t = 0 if etype == "PNS" else 1 if etype == "PPPK" else 2
        cum = cum_by_type[t]
        opd = opds[min(bisect(cum, rnd() * cum[-1]), len(opds) - 1)]
        if opd.fields and rnd() < opd.field_share[t]:
            sub, where = opd.fields[int(rnd() * len(opd.fields))]
            in_field = True
        else:
            sub = opd.offices[int(rnd() * len(opd.offices))]
            where, in_field = opd.kecamatan, False
        school = in_field and opd.kind == "pendidikan"
        health = opd.kind == "rsud" or (in_field and opd.kind == "kesehatan") or (
            opd.kind == "kesehatan" and rnd() < 0.3)
        if etype == "NON_ASN":
            role = "non_asn"
        else:
            role = "teacher" if school else "health" if health else "office"

        # -- role, education, titles (before the name: gender depends on the job)
        front = back = ""
        job = ""
        edu = "SMA"
        if role == "teacher":
            female = rnd() < 0.66
            edu = "S2" if rnd() < 0.08 else "S1"
            back = "S.Pd., M.Pd." if edu == "S2" else ("S.Pd.I." if rnd() < 0.1 else "S.Pd.")
            r = rnd()
            job = ("Guru {ahli}" if r < 0.55 else "Guru Kelas" if sub.startswith("UPT SD")
                   else "Guru Mata Pelajaran " + _SUBJECTS[int(rnd() * len(_SUBJECTS))])
        elif role == "health":
            if opd.kind == "rsud" and rnd() < 0.12:
                job, sp = _SPECIALISTS[int(rnd() * len(_SPECIALISTS))]
                edu, front, back, female = "SP", "dr.", sp, rnd() < 0.5
            else:
                h = _HEALTH_JOBS[min(bisect(_HEALTH_CUM, rnd() * _HEALTH_CUM[-1]), len(_HEALTH_JOBS) - 1)]
                _, job, edu, front, backs, fshare = h
                back = backs[int(rnd() * len(backs))]
                female = rnd() < fshare
        elif role == "office":
            female = rnd() < 0.45
            r = rnd()
            if etype == "PPPK":
                edu = "D3" if r < 0.3 else "S1"
            else:
                edu = "SMA" if r < 0.2 else "D3" if r < 0.35 else "S1" if r < 0.85 else "S2"
            if edu == "D3":
                back, job = "A.Md.", _OFFICE_D3[int(rnd() * len(_OFFICE_D3))]
            elif edu == "SMA":
                job = _OFFICE_SMA[int(rnd() * len(_OFFICE_SMA))]
            else:
                back = _S1_OFFICE[int(rnd() * len(_S1_OFFICE))]
                if edu == "S2":
                    back += ", " + _S2_OFFICE[int(rnd() * len(_S2_OFFICE))]
                pool = opd.fungsional if rnd() < 0.6 else _OFFICE_GENERIC
                job = pool[int(rnd() * len(pool))]
                if in_field and opd.name == "Dinas Pertanian":
                    job = "Penyuluh Pertanian {ahli}"
        else:
            female = rnd() < (0.6 if school else 0.45)
            pool = _NON_ASN_SCHOOL if school else _NON_ASN_HEALTH if health else _NON_ASN_OFFICE
            job = pool[int(rnd() * len(pool))]
            if job == "Guru Honorer":
                edu, back = "S1", "S.Pd."
            elif rnd() < 0.2:
                edu, back = "S1", _S1_OFFICE[int(rnd() * len(_S1_OFFICE))]
        gender = "P" if female else "L"

        # -- birth date: 1965-2001; staff with a retirement age of 58 must be under it today
        by = 1965 + int(rnd() * 37)
        if etype == "PPPK" and by > 1999:
            by -= int(rnd() * 10)
        bm = 1 + int(rnd() * 12)
        dim = 29 if bm == 2 and by % 4 == 0 else _MONTH_DAYS[bm - 1]
        bd = 1 + int(rnd() * dim)
        if role not in ("teacher", "health") and (by, bm) < (1966, 6):
            by += 2 + int(rnd() * 8)
            if bm == 2 and bd == 29:
                bd = 28
        birth = date(by, bm, bd)
        birth_digits = f"{by}{_D2[bm]}{_D2[bd]}"

        # -- appointment and golongan
        # The first PNS over 40 in an OPD's office heads the OPD; the next ones head sub-units.
        head_of = None
        if etype == "PNS" and by <= 1984:
            if not in_field and (opd.name, None) not in heads:
                heads.add((opd.name, None))
                sub, role = None, "head"
            elif sub is not None and (opd.name, sub) not in heads:
                heads.add((opd.name, sub))
                head_of = sub
                if not (school or sub.startswith("Puskesmas")):
                    role = "head"
        if etype == "PNS":
            min_idx = (by + 18) * 12 + bm - 1 + (1 if bd > 1 else 0)
            age = 20 + int(rnd() * 12) + (int(rnd() * 6) if rnd() < 0.3 else 0)
            tmt_idx = (by + age) * 12 + (0, 0, 0, 2, 2, 11, 1, 3, 5, 9)[int(rnd() * 10)]
            tmt_idx = max(min_idx, min(tmt_idx, today_idx))
            tmt_y, tmt_m = divmod(tmt_idx, 12)
            tmt_m += 1
            years = (today_idx - tmt_idx) // 12
            base = _BASE_GOL[edu]
            cap = _CAP_GOL[edu] + (role in ("teacher", "health"))
            g = min(base + years // 4, cap)
            if head_of is not None or role == "head":
                g = max(g, 13 if sub is None else 11)
            gol = GOLONGAN_PNS[g]
            prefix = f"{birth_digits}{tmt_y}{_D2[tmt_m]}{'2' if female else '1'}"
        elif etype == "PPPK":
            gol = _PPPK_GOL[edu]
            tmt_y = (2019, 2021, 2021, 2022, 2022, 2023, 2023, 2024)[int(rnd() * 8)]
            contract = "1" if rnd() < 0.8 else "2" if rnd() < 0.7 else "3"
            prefix = f"{birth_digits}{tmt_y}2{contract}{'2' if female else '1'}"
        else:
            gol = None
            prefix = ""

        if role == "head":
            job = _head_title(opd, sub)
            if edu in ("SMA", "D3"):  # structural posts go to graduates
                edu, back = "S1", _S1_OFFICE[int(rnd() * len(_S1_OFFICE))]
            if edu == "S1" and rnd() < 0.7:
                edu = "S2"
                back += ", " + _S2_OFFICE[int(rnd() * len(_S2_OFFICE))]
            if edu == "S2" and rnd() < 0.08:
                front = "Dr."
        elif head_of is not None:
            job = _head_title(opd, head_of) if school else f"Kepala {head_of}"
        if "{" in job:
            job = job.format(ahli=_ahli(gol) if gol else "", terampil=_terampil(gol) if gol else "")

        # -- name and remaining titles
        if etype == "NON_ASN" and forced < len(_FORCED_NON_ASN):
            gender, nm = _FORCED_NON_ASN[forced]
            forced += 1
            ethnic = 7 if "é" in nm else 2
        else:
            # Names are dealt in turn from pools of distinct invented names per gender (and
            # old spellings for some born before 1976): no repeats until a pool runs out,
            # and a third cheaper than drawing each name at 300,000 people.
            key = (gender, by < 1976 and rnd() < 0.12)
            pool = name_pools.get(key)
            if pool is None:
                pool = name_pools[key] = _name_pool(rnd, gender, key[1])
                name_dealt[key] = 0
            nm, ethnic = pool[name_dealt[key] % len(pool)]
            name_dealt[key] += 1
        if edu in ("S1", "S2") and role in ("office", "teacher", "head") and by < 1968 and back \
                and front == "" and rnd() < 0.5:
            # graduates before ~1993 carry Drs./Dra./Ir. instead of S.x
            front = "Ir." if back.startswith(("S.T.", "S.P.")) else ("Dra." if gender == "P" else "Drs.")
            back = back.split(", ", 1)[1] if ", " in back else ""
        if by < 1982 and rnd() < 0.12 and religion_of(nm) == "Islam":
            haji = "Hj." if gender == "P" else "H."
            front = f"{front} {haji}" if front else haji

        # -- identifiers
        if prefix:
            serial = nip_serial.get(prefix, int(rnd() * 3)) + 1
            if serial > 999:
                raise ValueError(f"more than 999 NIPs share the prefix {prefix}: size too large")
            nip_serial[prefix] = serial
            nip = prefix + _D3[serial]
        else:
            nip = None
        nip_lama = None
        if etype == "PNS" and tmt_y < 1999 and rnd() < 0.75:
            while True:
                nip_lama = f"{(13, 14, 15, 50, 51)[int(rnd() * 5)]}{int(rnd() * 10_000_000):07d}"
                if nip_lama not in nip_lama_seen:
                    nip_lama_seen.add(nip_lama)
                    break
        if rnd() < 0.85:
            region = regions[where]
        else:  # registered elsewhere
            region = ("31", "32", "33", "35", "73", "12", "51")[int(rnd() * 7)] + _D2[1 + int(rnd() * 25)] \
                + _D2[1 + int(rnd() * 20)]
        nik_prefix = f"{region}{_D2[bd + 40 if gender == 'P' else bd]}{_D2[bm]}{_D2[by % 100]}"
        ns = nik_serial.get(nik_prefix, int(rnd() * 5)) + 1
        nik_serial[nik_prefix] = ns
        nik = nik_prefix + _D4[ns]

        places = _BIRTH_PLACES[ethnic]
        r = rnd()
        place = (kab if r < 0.25 else kec[int(rnd() * n_kec)] if r < 0.4 else places[int(rnd() * len(places))])
        append(new_person(nip, nip_lama, nik, front, nm, back, etype, gol, job, opd.name, sub, where,
                          gender, place, birth))
    return Kabupaten(kab, seed, [o.name for o in opds], people, kec)


# --------------------------------------------------------------------------- per-person extras

@dataclass(frozen=True)
class _Extras:
    """Roster columns that are not in Person, derived from the person alone (stable across files)."""

    agama: str
    phone: str
    address: str
    pendidikan: str
    jurusan: str
    lulus: int
    tmt_cpns: datetime.date | None
    tmt_pangkat: datetime.date | None
    tmt_jabatan: datetime.date | None
    tmt_pensiun: datetime.date | None
    pns_id: str
    status: str
    married: str
    email: str


_JURUSAN = (("Sp.", "Spesialis", "Kedokteran"), ("M.Pd.", "S-2", "Manajemen Pendidikan"),
            ("M.Kes.", "S-2", "Kesehatan Masyarakat"), ("M.Si.", "S-2", "Ilmu Administrasi"),
            ("M.M.", "S-2", "Manajemen"), ("M.H.", "S-2", "Ilmu Hukum"), ("M.AP.", "S-2", "Administrasi Publik"),
            ("S.Pd.I.", "S-1", "Pendidikan Agama Islam"), ("S.Pd.", "S-1", "Pendidikan Guru Sekolah Dasar"),
            ("S.Kep.", "S-1", "Keperawatan"), ("S.KM.", "S-1", "Kesehatan Masyarakat"),
            ("S.Farm.", "S-1", "Farmasi"), ("S.Sos.", "S-1", "Ilmu Sosial"), ("S.H.", "S-1", "Ilmu Hukum"),
            ("S.E.", "S-1", "Ekonomi Manajemen"), ("S.Kom.", "S-1", "Teknik Informatika"),
            ("S.T.", "S-1", "Teknik Sipil"), ("S.P.", "S-1", "Agroteknologi"), ("S.IP.", "S-1", "Ilmu Pemerintahan"),
            ("S.AP.", "S-1", "Administrasi Publik"), ("S.Ak.", "S-1", "Akuntansi"),
            ("A.Md.Kep.", "D-III", "Keperawatan"), ("A.Md.Keb.", "D-III", "Kebidanan"),
            ("A.Md.Kes.", "D-III", "Kesehatan Lingkungan"), ("A.Md.Gz.", "D-III", "Gizi"),
            ("A.Md.AK.", "D-III", "Analis Kesehatan"), ("A.Md.", "D-III", "Manajemen Informatika"))
_STREETS = ("Jl. Melati", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Siliwangi", "Jl. Sudirman",
            "Jl. Raya Cibening", "Jl. Kenanga", "Gg. Mawar", "Jl. Pesantren", "Perum Griya Asri Blok C")


def _extras(p: Person) -> _Extras:
    r = random.Random(p.nik or p.name)
    if p.front_titles.startswith(("dr.", "drg.")) and not p.back_titles.startswith("Sp."):
        pend, jur = "S-1", "Pendidikan Dokter" if p.front_titles.startswith("dr.") else "Pendidikan Dokter Gigi"
    elif p.front_titles.startswith(("Drs.", "Dra.", "Ir.")) and not p.back_titles:
        pend, jur = "S-1", "Ilmu Pemerintahan" if not p.front_titles.startswith("Ir.") else "Pertanian"
    else:
        pend, jur = "SLTA", "IPS" if r.random() < 0.5 else "IPA"
        for title, lvl, j in _JURUSAN:
            if title in p.back_titles:
                pend, jur = lvl, j
                break
    by = p.birth_date.year
    lulus = by + {"SLTA": 18, "D-III": 21, "S-1": 23, "S-2": 30, "Spesialis": 33}[pend] + int(r.random() * 3)
    tmt_cpns = tmt_pangkat = tmt_jabatan = pensiun = None
    if p.nip:
        ty, tm = int(p.nip[8:12]), int(p.nip[12:14]) if p.employment_type == "PNS" else 1
        tmt_cpns = datetime.date(ty, tm, 1)
        lulus = min(lulus, ty)
        step = max(0, (KEADAAN.year - ty) // 4)  # a rise in rank every four years, in April or October
        month = (4, 10)[int(r.random() * 2)]
        tmt_pangkat = tmt_cpns
        for k in (step, step - 1):
            if k > 0 and datetime.date(ty + 4 * k, month, 1) <= KEADAAN:
                tmt_pangkat = datetime.date(ty + 4 * k, month, 1)
                break
        jy = ty + int(r.random() * max(1, KEADAAN.year - ty))
        tmt_jabatan = datetime.date(jy, 1 + int(r.random() * 12), 1)
        if tmt_jabatan > KEADAAN or tmt_jabatan < tmt_cpns:
            tmt_jabatan = tmt_cpns
        senior = p.jabatan.startswith(("Guru", "Kepala Sekolah", "Dokter")) or eselon_of(p) in ("II.a", "II.b")
        bup = 60 if senior else 58  # retirement age (batas usia pensiun)
        m = p.birth_date.month + 1
        pensiun = datetime.date(by + bup + (m > 12), (m - 1) % 12 + 1, 1)
    status = {"PNS": "PNS", "PPPK": "PPPK", "NON_ASN": ("PPNPN", "Honorer", "Tenaga Kontrak")[int(r.random() * 3)]}[
        p.employment_type]
    if p.employment_type == "PNS" and tmt_cpns and (TODAY - tmt_cpns).days < 365:
        status = "CPNS"
    phone = f"08{(11, 12, 13, 21, 22, 52, 53, 57, 77, 78, 95, 96)[int(r.random() * 12)]}{int(r.random() * 1e8):08d}"
    rt, rw = 1 + int(r.random() * 9), 1 + int(r.random() * 12)
    address = (f"{_STREETS[int(r.random() * len(_STREETS))]} No. {1 + int(r.random() * 120)}, "
               f"RT {rt:03d}/RW {rw:03d}, Kec. {p.kecamatan}")
    pns_id = str(uuid.UUID(bytes=hashlib.md5(f"pns-id:{p.nip or p.nik}".encode()).digest()))
    married = "Kawin" if r.random() < 0.8 else "Belum Kawin"
    email = re.sub(r"[^a-z]", "", p.name.lower())[:14] + f"{int(r.random() * 1000)}@example.id"
    return _Extras(religion_of(p.name), phone, address, pend, jur, lulus, tmt_cpns, tmt_pangkat,
                   tmt_jabatan, pensiun, pns_id, status, married, email)


# --------------------------------------------------------------------------- surface helpers

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _grouped(nip: str, sep: str = " ") -> str:
    return f"{nip[:8]}{sep}{nip[8:14]}{sep}{nip[14]}{sep}{nip[15:]}"


def _excel_number(nip: str) -> float:
    """What Excel keeps of an 18-digit NIP typed as a number: 15 significant digits."""
    return float(nip[:15] + "000")


def _serial(d: datetime.date) -> int:
    return (d - _EXCEL_EPOCH).days


def _dmy(d: datetime.date | None, sep: str = "-") -> str:
    return "" if d is None else f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def _tanggal(d: datetime.date) -> str:
    return f"{d.day} {_BULAN[d.month - 1]} {d.year}"


def _en(d: datetime.date) -> str:
    return f"{d.day:02d} {_MON_EN[d.month - 1]} {d.year}"


def _golongan_text(gol: str | None, style: int) -> str:
    """III/a as rosters write it: III/a, III/A, IIIa, "Penata Muda (III/a)"."""
    if not gol:
        return "-"
    if gol not in _GOL_INDEX:
        return gol
    return (gol, gol.upper(), gol.replace("/", ""), f"{PANGKAT[gol]} ({gol})")[style % 4]


def _case(label: str, style: str) -> str:
    return {"upper": label.upper(), "lower": label.lower(), "title": label.title()}.get(style, label)


def _roster_name(p: Person, upper: bool) -> str:
    """Display name with the name part in capitals, titles as written (SIMPEG habit)."""
    if not upper:
        return p.display_name
    text = f"{p.front_titles} {p.name.upper()}" if p.front_titles else p.name.upper()
    return f"{text}, {p.back_titles}" if p.back_titles else text


_TRAPS = {
    "nip_spaces": ("NIP grouped with spaces", False),
    "nip_dots": ("NIP grouped with dots", False),
    "nip_apostrophe": ("NIP with a leading apostrophe", False),
    "nip_prefix": ("NIP with a 'NIP. ' prefix", False),
    "nip_nbsp": ("NIP grouped with non-breaking spaces", False),
    "nip_fullwidth": ("NIP in full-width digits", False),
    "nip_trailing_space": ("NIP with hidden trailing spaces", False),
    "nip_float": ("NIP stored as a number cell (float-damaged: only the first 15 digits survive)", True),
    "nip_rounded_text": ("NIP as Excel-rounded text (serial destroyed, ends in 000)", True),
    "nip_sci": ("NIP in scientific notation as Excel writes it to CSV", True),
    "nip_truncated": ("truncated 17-digit NIP (a digit dropped)", True),
    "name_lower": ("name in lower case", False),
    "name_title": ("name in title case", False),
    "name_trailing_space": ("hidden trailing spaces after the name", False),
    "date_dmy": ("birth date as text dd-mm-yyyy", False),
    "date_en": ("birth date as text 'DD MON YYYY'", False),
    "date_id": ("birth date as text with an Indonesian month name", False),
    "date_serial": ("birth date as a bare Excel serial number", False),
    "phone_number": ("telephone stored as a number (leading zero lost)", False),
    "nik_apostrophe": ("NIK with a leading apostrophe", False),
    "nameless": ("row without a name: not a person; skip it and report it", True),
    "duplicate": ("same person listed twice in this file", True),
}


def _describe(kind: str, value: object = None) -> str:
    text = _TRAPS[kind][0]
    if kind == "nip_float" and isinstance(value, float):
        # int() of the cell can differ in the 15th digit too: read it with 15 significant digits
        shown = f"{value:.14e}"[:16].replace(".", "") + "000"
        return f"{text}: {value!r} (on screen {shown}; int() gives {int(value)})"
    return f"{text}: {value!r}" if value is not None else text


def _nip_text(nip: str, kind: str | None, rng: random.Random | None = None) -> str | float:
    """The NIP as written on a row carrying trap ``kind`` (or plainly)."""
    if kind == "nip_spaces":
        return _grouped(nip)
    if kind == "nip_dots":
        return _grouped(nip, ".")
    if kind == "nip_apostrophe":
        return "'" + nip
    if kind == "nip_prefix":
        return "NIP. " + nip
    if kind == "nip_nbsp":
        return _grouped(nip, "\u00a0")
    if kind == "nip_fullwidth":
        return nip.translate(_FULLWIDTH)
    if kind == "nip_trailing_space":
        return nip + "  "
    if kind == "nip_float":
        return _excel_number(nip)
    if kind == "nip_rounded_text":
        return nip[:15] + "000"
    if kind == "nip_sci":
        return f"{int(nip):.5E}"
    if kind == "nip_truncated":
        k = 8 + (rng.randrange(10) if rng else 9)
        return nip[:k] + nip[k + 1:]
    return nip


def _name_text(name: str, kind: str | None) -> str:
    if kind == "name_lower":
        return name.lower()
    if kind == "name_title":
        return name.title()
    if kind == "name_trailing_space":
        return name + "   "
    return name


class _Plan:
    """Which person row carries which trap, and where extra (non-person) rows go.

    ``kinds`` are one-per-row traps assigned to distinct people: NIP traps to people with
    a NIP, name traps to names without é or apostrophe (those are traps of their own). A
    nameless row, and a duplicate of a trap-free person, are inserted when asked for.
    """

    def __init__(self, rng: random.Random, people: Sequence[Person], kinds: Sequence[str], *,
                 nameless: bool = True, duplicate: bool = False) -> None:
        n = len(people)

        def eligible(i: int, kind: str) -> bool:
            if kind.startswith("nip"):
                return people[i].nip is not None
            if kind.startswith("name"):
                return "'" not in people[i].name and "é" not in people[i].name
            return True

        self.at: dict[int, str] = {}
        self.duplicate_of = None
        self.duplicate_after = None
        if duplicate and n >= 4:
            self.duplicate_of = rng.randrange(n // 2)
            self.duplicate_after = self.duplicate_of + 1 + rng.randrange(n - self.duplicate_of - 1)
        free = [i for i in range(n) if i != self.duplicate_of]
        rng.shuffle(free)
        for kind in kinds:
            for j, idx in enumerate(free):
                if eligible(idx, kind):
                    self.at[idx] = kind
                    free.pop(j)
                    break
        # never above the first person (a reader may take that row for a second header row)
        self.nameless_before = 1 + rng.randrange(n) if nameless and n >= 1 else None

    def sequence(self, n: int) -> Iterable[tuple[str, int]]:
        """("person", i) / ("nameless", -1) / ("duplicate", i) in file order."""
        for i in range(n):
            if i == self.nameless_before:
                yield "nameless", -1
            yield "person", i
            if i == self.duplicate_after:
                yield "duplicate", self.duplicate_of
        if self.nameless_before == n:
            yield "nameless", -1


class _Truth:
    """Collects an ExportTruth while rows are written."""

    def __init__(self) -> None:
        self.people: list[tuple[int, Person]] = []
        self.traps: list[tuple[int, str]] = []
        self.problems: list[int] = []
        self.skipped: list[int] = []
        self.footer: list[int] = []
        self.first_row: dict[int, int] = {}

    def person(self, row: int, p: Person, kind: str | None = None, value: object = None) -> None:
        self.people.append((row, p))
        first = self.first_row.setdefault(id(p), row)
        if kind == "duplicate":
            self.trap(row, kind, text=f"{_TRAPS[kind][0]} (first at row {first}): {value!r}")
        elif kind:
            self.trap(row, kind, value)

    def trap(self, row: int, kind: str, value: object = None, text: str | None = None) -> None:
        self.traps.append((row, text or _describe(kind, value)))
        if kind in _TRAPS and _TRAPS[kind][1]:
            self.problems.append(row)

    def note(self, row: int, text: str) -> None:
        """A feature of the layout worth knowing (merged title, preamble...): not a problem."""
        self.traps.append((row, text))

    def nameless(self, row: int) -> None:
        self.skipped.append(row)
        self.trap(row, "nameless")

    def build(self, path: Path, layout: str, sheet: str | None, header_row: int, **kw) -> ExportTruth:
        return ExportTruth(Path(path), layout, sheet, self.people, sorted(self.traps),
                           header_row, sorted(set(self.problems)), sorted(self.skipped),
                           footer_rows=self.footer, **kw)


def _shown(kind: str | None, nip: object, name: str, other: object = None) -> object:
    """The written value a trap's description quotes."""
    if kind is None:
        return None
    return nip if kind.startswith("nip") else name if kind.startswith("name") else other


def _layout_rng(layout: str, variant: int) -> random.Random:
    return random.Random(f"asn-attest:{layout}:{variant}")


def _phantom(rng: random.Random) -> tuple[str, str]:
    """A NIP (valid shape) and a NIK belonging to nobody: for nameless rows."""
    y, m, d = 1970 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28)
    nip = f"{y}{m:02d}{d:02d}{y + 25}0{1 + rng.randrange(9)}1{900 + rng.randrange(99):03d}"
    nik = f"3299{rng.randrange(1, 20):02d}{d:02d}{m:02d}{y % 100:02d}{9000 + rng.randrange(999):04d}"
    return nip, nik


def head_of_unit(people: Iterable[Person], unit: str) -> Person | None:
    """The head of an OPD (Kepala Dinas, Camat, Direktur...), who signs its lists."""
    for p in people:
        if p.unit == unit and p.sub_unit is None and eselon_of(p) in ("II.a", "II.b", "III.a"):
            return p
    return None


def _signer(people: Sequence[Person], unit: str, rng: random.Random, signer: Person | None) -> Person:
    """Who signs the footer: as given, else the unit head in the list, else invented."""
    signer = signer or head_of_unit(people, unit)
    if signer is not None:
        return signer
    nip, nik = _phantom(rng)
    born = datetime.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    return Person(nip, None, nik, "Drs.", "Hendra Gunawan", "M.Si.", "PNS", "IV/c",
                  f"Kepala {unit}", unit, None, "", "L", "Bandung", born)


_BKPSDM = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"


# --------------------------------------------------------------------------- xlsx / xls sinks

class _Sheet:
    """One sheet written cell by cell, for openpyxl (.xlsx) or xlwt (.xls); rows are 1-based."""

    def __init__(self, fmt: str, title: str) -> None:
        self.fmt = fmt
        self.merges: list[tuple[int, int, int, int]] = []
        if fmt == "xlsx":
            from openpyxl import Workbook
            from openpyxl.styles import Alignment, Font

            self.wb = Workbook()
            self.ws = self.wb.active
            self.ws.title = title
            self._bold = Font(bold=True)
            self._center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        elif fmt == "xls":
            import xlwt

            self.wb = xlwt.Workbook(encoding="utf-8")
            self.ws = self.wb.add_sheet(title)
            self._styles = {
                "": xlwt.XFStyle(),
                "date": xlwt.easyxf(num_format_str="DD-MM-YYYY"),
                "bold": xlwt.easyxf("font: bold on"),
                "head": xlwt.easyxf("font: bold on; align: horiz center, vert center, wrap on; "
                                    "borders: left thin, right thin, top thin, bottom thin"),
                "title": xlwt.easyxf("font: bold on, height 240; align: horiz center"),
            }
        else:
            raise ValueError(f"fmt must be 'xlsx' or 'xls', not {fmt!r}")

    def put(self, row: int, col: int, value: object, style: str = "") -> None:
        if value is None or value == "":
            return
        if self.fmt == "xlsx":
            cell = self.ws.cell(row=row, column=col, value=value)
            if style == "date":
                cell.number_format = "DD-MM-YYYY"
            elif style in ("bold", "head", "title"):
                cell.font = self._bold
                if style in ("head", "title"):
                    cell.alignment = self._center
        else:
            if style == "date" and isinstance(value, datetime.date):
                self.ws.write(row - 1, col - 1, value, self._styles["date"])
            else:
                self.ws.write(row - 1, col - 1, value, self._styles.get(style, self._styles[""]))

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: object, style: str = "") -> None:
        if self.fmt == "xlsx":
            self.put(r1, c1, value, style)
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        else:
            self.ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value, self._styles.get(style, self._styles[""]))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.fmt == "xls":
            self.wb.save(str(path))
            return
        save_workbook(self.wb, path, creator="SIMPEG")


def save_workbook(wb: Any, path: Path, *, creator: str = "openpyxl") -> None:
    """Save an openpyxl workbook byte for byte the same on every run (fixed time stamps)."""
    wb.properties.creator = creator
    path.write_bytes(xlsx_bytes(wb, _FIXED_STAMP))


def _footer(sheet: _Sheet, truth: _Truth, row: int, col: int, lines: Sequence[str]) -> None:
    """A signature block: one line per row, a blank row for the signature itself."""
    for text in lines:
        if text:
            sheet.put(row, col, text, "bold" if text.startswith("NIP") else "")
            truth.footer.append(row)
        row += 1


# --------------------------------------------------------------------------- SIMPEG Data Pegawai

# (key, canonical label, alternative spellings DOMAIN lists or plain variants of them)
_SIMPEG_COLS = (
    ("no", "No.", ("No", "NO.")),
    ("nip_lama", "NIP", ("NIP Lama",)),
    ("nip", "NIP Baru", ("NIP BARU", "Nip Baru")),
    ("name", "Nama", ("Nama Pegawai", "NAMA")),
    ("birth_place", "Tempat Lahir", ("Tempat  Lahir",)),
    ("birth_date", "Tanggal Lahir", ("Tgl Lahir", "TGL LAHIR")),
    ("gender", "L/P", ("L / P",)),
    ("status", "Status", ()),
    ("golongan", "Gol. Ruang", ("Gol.Ruang", "Golru", "Gol. Ruang")),
    ("tmt_pangkat", "TMT Pangkat", ("TMT Golru",)),
    ("eselon", "Eselon", ()),
    ("jabatan", "Jabatan", ()),
    ("tmt_jabatan", "TMT Jabatan", ()),
    ("agama", "Agama", ()),
    ("phone", "Telepon", ("TELEPON",)),
    ("address", "Alamat", ()),
    ("tmt_pensiun", "TMT Pensiun", ()),
    ("pendidikan", "Pendidikan", ()),
    ("jurusan", "Jurusan", ()),
    ("lulus", "Lulus", ()),
    ("sub_unit", "Unit Kerja", ()),
    ("unit", "Satuan Kerja", ("SATKER",)),
)
# Two-row header: a parent label merged over consecutive leaves (which then read short).
_SIMPEG_GROUPS = {
    "nip_lama": ("NIP", "Lama"), "nip": ("NIP", "Baru"),
    "golongan": ("Pangkat", "Gol. Ruang"), "tmt_pangkat": ("Pangkat", "TMT"),
    "pendidikan": ("Pendidikan", "Tingkat"), "jurusan": ("Pendidikan", "Jurusan"), "lulus": ("Pendidikan", "Lulus"),
}
_SIMPEG_KEY_COLS = 4  # No., NIP, NIP Baru, Nama keep their places


@dataclass
class _SimpegLayout:
    titles: list[str]
    blank_rows: int
    header_case: str
    labels: dict[str, str]
    order: list[str]
    two_row: bool
    numbering: bool
    gol_style: int
    upper_names: bool
    merge_titles: bool


def _simpeg_layout(variant: int, fmt: str, kab: str) -> _SimpegLayout:
    titles = [f"PEMERINTAH KABUPATEN {kab.upper()}", "DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL",
              f"Keadaan per {_tanggal(KEADAAN)}"]
    canonical = {k: lab for k, lab, _ in _SIMPEG_COLS}
    base_order = [k for k, _, _ in _SIMPEG_COLS]
    if variant == 0:
        two_row = fmt == "xlsx"
        return _SimpegLayout(titles, 1, "as_is", canonical, base_order, two_row, not two_row,
                             0, True, True)
    rng = _layout_rng(f"simpeg-{fmt}", variant)
    if rng.random() < 0.5:
        titles.insert(1, f"{_BKPSDM.upper()}")
    if rng.random() < 0.3:
        titles = titles[1:]
    labels = {k: (rng.choice((lab,) + alts) if alts and rng.random() < 0.5 else lab)
              for k, lab, alts in _SIMPEG_COLS}
    rest = base_order[_SIMPEG_KEY_COLS:]
    rng.shuffle(rest)
    two_row = rng.random() < 0.5
    if two_row:  # a group's leaves must stay side by side
        seen: list[str] = []
        for k in rest:
            grp = _SIMPEG_GROUPS.get(k, (None,))[0]
            if grp and grp != "NIP":
                if any(_SIMPEG_GROUPS.get(s, (None,))[0] == grp for s in seen):
                    continue
                seen.extend(x for x in base_order if _SIMPEG_GROUPS.get(x, (None,))[0] == grp)
            else:
                seen.append(k)
        rest = seen
    return _SimpegLayout(titles, rng.choice((1, 1, 2)), rng.choice(("as_is", "upper", "title", "lower")),
                         labels, base_order[:_SIMPEG_KEY_COLS] + rest, two_row, rng.random() < 0.5,
                         rng.randrange(4), rng.random() < 0.7, rng.random() < 0.8)


def write_simpeg_data_pegawai(people: Sequence[Person], path: str | Path, *, fmt: str,
                              kabupaten_name: str, variant: int = 0,
                              signer: Person | None = None) -> ExportTruth:
    """SIMPEG "Data Pegawai" nominative list, as .xlsx or legacy .xls.

    Column "NIP" is the old 9-digit NIP ("-" when there is none) and "NIP Baru" the
    18-digit one, as SIMPEG exports name them; "Satuan Kerja" is the OPD and "Unit Kerja"
    the sub-unit (the OPD again for staff directly under it). ``signer`` signs the footer
    as Kepala BKPSDM (default: the BKPSDM head if listed, else an invented one).
    """
    path = Path(path)
    lay = _simpeg_layout(variant, fmt, kabupaten_name)
    rng = _layout_rng(f"simpeg-traps-{fmt}", variant)
    sheet = _Sheet(fmt, "Data Pegawai")
    truth = _Truth()
    ncol = len(lay.order)
    row = 1
    for text in lay.titles:
        if lay.merge_titles:
            sheet.merge(row, 1, row, ncol, text, "title")
            truth.note(row, f"title cell merged across columns A..{_col_letter(ncol)}")
        else:
            sheet.put(row, 1, text, "title")
        row += 1
    row += lay.blank_rows
    header_row = row
    if lay.two_row:
        c = 1
        while c <= ncol:
            key = lay.order[c - 1]
            grp = _SIMPEG_GROUPS.get(key)
            if grp is None:
                sheet.merge(row, c, row + 1, c, _case(lay.labels[key], lay.header_case), "head")
                c += 1
                continue
            span = 1
            while c + span <= ncol and _SIMPEG_GROUPS.get(lay.order[c + span - 1], (None,))[0] == grp[0]:
                span += 1
            sheet.merge(row, c, row, c + span - 1, _case(grp[0], lay.header_case), "head")
            for j in range(span):
                leaf = _SIMPEG_GROUPS[lay.order[c + j - 1]][1]
                sheet.put(row + 1, c + j, _case(leaf, lay.header_case), "head")
            c += span
        truth.note(row, "two-row header: parent labels merged over their columns")
        row += 2
    else:
        for c, key in enumerate(lay.order, 1):
            sheet.put(row, c, _case(lay.labels[key], lay.header_case), "head")
        row += 1
    numbering_row = None
    if lay.numbering:
        numbering_row = row
        for c in range(1, ncol + 1):
            sheet.put(row, c, c, "head")
        truth.note(row, f"row numbering the columns 1..{ncol}")
        row += 1

    n = len(people)
    if fmt == "xls" and n + row + 12 > 65536:
        raise ValueError(f"{path}: a .xls sheet holds at most 65,536 rows, {n} people do not fit")
    kinds = ["nip_spaces", "nip_dots", "nip_apostrophe", "nip_prefix", "nip_nbsp", "nip_fullwidth",
             "nip_float", "nip_float", "nip_truncated", "name_lower", "name_trailing_space",
             "date_dmy", "date_en", "date_id", "date_serial"]
    plan = _Plan(rng, people, kinds, duplicate=True)
    phone_numbers = set(rng.sample(range(n), min(n, 12, max(1, n // 20))))
    phantom_nip, _ = _phantom(rng)
    number = 0
    for what, i in plan.sequence(n):
        number += 1
        if what == "nameless":
            values = {"no": number, "nip_lama": "-", "nip": phantom_nip, "golongan": "III/a",
                      "jabatan": "Pengadministrasi Umum", "unit": people[0].unit, "status": "PNS"}
            for c, key in enumerate(lay.order, 1):
                sheet.put(row, c, values.get(key))
            truth.nameless(row)
            row += 1
            continue
        p = people[i]
        kind = plan.at.get(i) if what == "person" else None
        ex = _extras(p)
        nip_value = _nip_text(p.nip, kind, rng) if p.nip else "-"
        name_value = _name_text(_roster_name(p, lay.upper_names), kind)
        birth: object = p.birth_date
        birth_style = "date"
        if kind == "date_dmy":
            birth, birth_style = _dmy(p.birth_date), ""
        elif kind == "date_en":
            birth, birth_style = _en(p.birth_date), ""
        elif kind == "date_id":
            birth, birth_style = _tanggal(p.birth_date), ""
        elif kind == "date_serial":
            birth, birth_style = _serial(p.birth_date), ""
        phone: object = ex.phone
        if i in phone_numbers and what == "person":
            phone = int(ex.phone)
        values = {
            "no": number, "nip_lama": p.nip_lama or "-", "nip": nip_value, "name": name_value,
            "birth_place": p.birth_place.upper(), "birth_date": birth, "gender": p.gender,
            "status": ex.status, "golongan": _golongan_text(p.golongan, lay.gol_style),
            "tmt_pangkat": ex.tmt_pangkat, "eselon": eselon_of(p), "jabatan": p.jabatan,
            "tmt_jabatan": ex.tmt_jabatan, "agama": ex.agama, "phone": phone, "address": ex.address,
            "tmt_pensiun": ex.tmt_pensiun, "pendidikan": ex.pendidikan, "jurusan": ex.jurusan,
            "lulus": ex.lulus, "sub_unit": p.sub_unit or p.unit, "unit": p.unit,
        }
        for c, key in enumerate(lay.order, 1):
            v = values[key]
            style = birth_style if key == "birth_date" else "date" if isinstance(v, datetime.date) else ""
            sheet.put(row, c, v, style)
        if what == "duplicate":
            truth.person(row, p, "duplicate", p.nip)
        else:
            truth.person(row, p, kind, _shown(kind, nip_value, name_value, birth))
            if isinstance(phone, int):
                truth.trap(row, "phone_number", phone)
        row += 1
    row += 1
    signer = _signer(people, _BKPSDM, rng, signer)
    col = max(2, ncol - 5)
    _footer(sheet, truth, row, col, [
        f"{kabupaten_name}, {_tanggal(KEADAAN)}", "Mengetahui,",
        f"Kepala BKPSDM Kabupaten {kabupaten_name}", "", "",
        _roster_name(signer, True), f"NIP. {signer.nip}"])
    sheet.save(path)
    return truth.build(path, "simpeg_data_pegawai", "Data Pegawai", header_row,
                       header_height=2 if lay.two_row else 1, numbering_row=numbering_row,
                       columns=list(lay.order))


def _col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


# --------------------------------------------------------------------------- SIASN data utama

_SIASN_COLS = (
    "PNS ID", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA", "TANGGAL LAHIR", "JENIS KELAMIN", "AGAMA ID", "AGAMA NAMA",
    "JENIS KAWIN ID", "JENIS KAWIN NAMA", "NIK", "NOMOR HP", "EMAIL", "EMAIL GOV", "ALAMAT",
    "NPWP NOMOR", "BPJS", "JENIS PEGAWAI ID", "JENIS PEGAWAI NAMA", "KEDUDUKAN HUKUM ID",
    "KEDUDUKAN HUKUM NAMA", "STATUS CPNS PNS", "KARTU ASN VIRTUAL", "NOMOR SK CPNS",
    "TANGGAL SK CPNS", "TMT CPNS", "NOMOR SK PNS", "TANGGAL SK PNS", "TMT PNS", "GOL AWAL ID",
    "GOL AWAL NAMA", "GOL AKHIR ID", "GOL AKHIR NAMA", "TMT GOLONGAN", "MK TAHUN", "MK BULAN",
    "JENIS JABATAN ID", "JENIS JABATAN NAMA", "JABATAN ID", "JABATAN NAMA", "TMT JABATAN",
    "TINGKAT PENDIDIKAN ID", "TINGKAT PENDIDIKAN NAMA", "PENDIDIKAN ID", "PENDIDIKAN NAMA",
    "TAHUN LULUS", "KPKN ID", "KPKN NAMA", "LOKASI KERJA ID", "LOKASI KERJA NAMA", "UNOR ID",
    "UNOR NAMA", "UNOR INDUK ID", "UNOR INDUK NAMA", "INSTANSI INDUK ID", "INSTANSI INDUK NAMA",
    "INSTANSI KERJA ID", "INSTANSI KERJA NAMA", "SATUAN KERJA INDUK ID", "SATUAN KERJA INDUK NAMA",
    "SATUAN KERJA KERJA ID", "SATUAN KERJA KERJA NAMA", "IS VALID NIK", "FLAG IKD",
)
_SIASN_KEYS = {"NIP BARU": "nip", "NAMA": "name", "NIK": "nik", "TANGGAL LAHIR": "birth_date",
               "JENIS KELAMIN": "gender", "UNOR NAMA": "unit",
               "GOL AKHIR NAMA": "golongan", "JABATAN NAMA": "jabatan", "NIP LAMA": "nip_lama",
               "GELAR DEPAN": "front_titles", "GELAR BELAKANG": "back_titles", "PNS ID": "pns_id"}


def _uid(text: str) -> str:
    return str(uuid.UUID(bytes=hashlib.md5(text.encode()).digest()))


def write_siasn_csv(people: Sequence[Person], path: str | Path, *, variant: int = 0,
                    kabupaten_name: str = "Sukamaju") -> ExportTruth:
    """BKN SIASN "data utama" download: ~66 columns, comma, UTF-8 with BOM, quoted addresses.

    UNOR NAMA is the unit (the OPD), as DOMAIN.md has it; its parents (UNOR INDUK,
    INSTANSI, SATUAN KERJA INDUK/KERJA) are the Pemda. There is no sub-unit column.
    """
    path = Path(path)
    rng = _layout_rng("siasn", variant)
    cols = list(_SIASN_COLS)
    if variant:
        head, rest = cols[:6], cols[6:]
        rng.shuffle(rest)
        cols = head + rest
    mf = variant % 2 == 0  # JENIS KELAMIN as M/F, else Pria/Wanita
    instansi = f"Pemerintah Kab. {kabupaten_name}"
    n = len(people)
    plan = _Plan(rng, people, ["nip_rounded_text", "nip_sci", "nip_truncated", "nip_apostrophe",
                               "nip_spaces", "name_trailing_space", "name_title"])
    truth = _Truth()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    line = 2
    phantom_nip, phantom_nik = _phantom(rng)
    for what, i in plan.sequence(n):
        if what == "nameless":
            rec = {"PNS ID": _uid(phantom_nip), "NIP BARU": phantom_nip, "NIK": phantom_nik,
                   "KEDUDUKAN HUKUM NAMA": "AKTIF", "INSTANSI INDUK NAMA": instansi}
            w.writerow([rec.get(c, "") for c in cols])
            truth.nameless(line)
            line += 1
            continue
        p = people[i]
        kind = plan.at.get(i)
        ex = _extras(p)
        pppk = p.employment_type == "PPPK"
        nip = _nip_text(p.nip, kind, rng) if p.nip else ""
        name = _name_text(p.name.upper(), kind)
        gol_id = (str(GOLONGAN_PPPK.index(p.golongan) + 1) if pppk else
                  str(_GOL_INDEX[p.golongan] + 11)) if p.golongan in _GOL_INDEX or pppk else ""
        tmt = ex.tmt_cpns
        mk = (TODAY.year - tmt.year) if tmt else 0
        rec = {
            "PNS ID": ex.pns_id, "NIP BARU": nip, "NIP LAMA": p.nip_lama or "", "NAMA": name,
            "GELAR DEPAN": p.front_titles, "GELAR BELAKANG": p.back_titles,
            "TEMPAT LAHIR ID": _uid("tl:" + p.birth_place)[:8], "TEMPAT LAHIR NAMA": p.birth_place.upper(),
            "TANGGAL LAHIR": _dmy(p.birth_date),
            "JENIS KELAMIN": ("M" if p.gender == "L" else "F") if mf else ("Pria" if p.gender == "L" else "Wanita"),
            "AGAMA ID": str(("Islam", "Kristen", "Katolik", "Hindu").index(ex.agama) + 1),
            "AGAMA NAMA": ex.agama.upper(),
            "JENIS KAWIN ID": "2" if ex.married == "Kawin" else "1", "JENIS KAWIN NAMA": ex.married.upper(),
            "NIK": p.nik or "", "NOMOR HP": ex.phone, "EMAIL": ex.email, "EMAIL GOV": "",
            "ALAMAT": ex.address, "NPWP NOMOR": "", "BPJS": "",
            "JENIS PEGAWAI ID": "71" if pppk else "4", "JENIS PEGAWAI NAMA": "PPPK" if pppk else "PNS DAERAH",
            "KEDUDUKAN HUKUM ID": "01", "KEDUDUKAN HUKUM NAMA": "AKTIF",
            "STATUS CPNS PNS": "" if pppk else ("C" if ex.status == "CPNS" else "P"),
            "KARTU ASN VIRTUAL": "",
            "NOMOR SK CPNS": "" if pppk or not tmt else f"800/{1000 + int(p.nip[-3:])}/BKPSDM/{tmt.year}",
            "TANGGAL SK CPNS": _dmy(tmt) if tmt and not pppk else "", "TMT CPNS": _dmy(tmt) if not pppk else "",
            "NOMOR SK PNS": "", "TANGGAL SK PNS": "", "TMT PNS": "",
            "GOL AWAL ID": gol_id, "GOL AWAL NAMA": p.golongan if pppk else "", "GOL AKHIR ID": gol_id,
            "GOL AKHIR NAMA": p.golongan or "", "TMT GOLONGAN": _dmy(ex.tmt_pangkat),
            "MK TAHUN": str(mk), "MK BULAN": "0",
            "JENIS JABATAN ID": "1" if eselon_of(p) != "-" else "2",
            "JENIS JABATAN NAMA": "Jabatan Struktural" if eselon_of(p) != "-" else "Jabatan Fungsional",
            "JABATAN ID": _uid("jab:" + p.jabatan), "JABATAN NAMA": p.jabatan, "TMT JABATAN": _dmy(ex.tmt_jabatan),
            "TINGKAT PENDIDIKAN ID": str(("SLTA", "D-III", "S-1", "S-2", "Spesialis").index(ex.pendidikan) + 1),
            "TINGKAT PENDIDIKAN NAMA": ex.pendidikan, "PENDIDIKAN ID": _uid("pend:" + ex.jurusan),
            "PENDIDIKAN NAMA": f"{ex.pendidikan} {ex.jurusan}".upper(), "TAHUN LULUS": str(ex.lulus),
            "KPKN ID": "", "KPKN NAMA": "", "LOKASI KERJA ID": _uid("lok:" + kabupaten_name),
            "LOKASI KERJA NAMA": f"KAB. {kabupaten_name.upper()}", "UNOR ID": _uid("unor:" + p.unit),
            "UNOR NAMA": p.unit, "UNOR INDUK ID": _uid("inst:" + kabupaten_name), "UNOR INDUK NAMA": instansi,
            "INSTANSI INDUK ID": _uid("inst:" + kabupaten_name), "INSTANSI INDUK NAMA": instansi,
            "INSTANSI KERJA ID": _uid("inst:" + kabupaten_name), "INSTANSI KERJA NAMA": instansi,
            "SATUAN KERJA INDUK ID": _uid("inst:" + kabupaten_name), "SATUAN KERJA INDUK NAMA": instansi,
            "SATUAN KERJA KERJA ID": _uid("inst:" + kabupaten_name), "SATUAN KERJA KERJA NAMA": instansi,
            "IS VALID NIK": "1", "FLAG IKD": "0",
        }
        w.writerow([rec[c] for c in cols])
        truth.person(line, p, kind, _shown(kind, nip, name))
        line += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return truth.build(path, "siasn_data_utama", None, 1,
                       columns=[_SIASN_KEYS.get(c, c.lower().replace(" ", "_")) for c in cols],
                       encoding="utf-8-sig", delimiter=",")


# --------------------------------------------------------------------------- HTML saved as .xls

_TEXT_TD = '<td style="mso-number-format:\\@">'  # Excel's "treat as text" cell style

def write_html_xls(people: Sequence[Person], path: str | Path, *, variant: int = 0,
                   kabupaten_name: str = "Sukamaju") -> ExportTruth:
    """A PHP system's "Export to Excel": an HTML table with an .xls name (PPPK list).

    Rows are numbered by ``<tr>`` in document order; title lines sit inside the table
    (variant 0) or above it as ``<h3>``/``<b>`` text that is not a row.
    """
    path = Path(path)
    rng = _layout_rng("html", variant)
    titles = ["DAFTAR PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA (PPPK)",
              f"PEMERINTAH KABUPATEN {kabupaten_name.upper()}", f"Keadaan per {_tanggal(KEADAAN)}"]
    cols = ["no", "name_nip", "birth", "gender", "golongan", "jabatan", "unit"]
    labels = {"no": "NO", "name_nip": "NAMA / NIP", "birth": "TEMPAT, TANGGAL LAHIR", "gender": "L/P",
              "golongan": "GOL", "jabatan": "JABATAN", "unit": "UNIT KERJA"}
    titles_in_table = True
    if variant:
        titles_in_table = rng.random() < 0.5
        rest = cols[2:]
        rng.shuffle(rest)
        cols = cols[:2] + rest
        style = rng.choice(("upper", "title"))
        labels = {k: _case(v, style) for k, v in labels.items()}
        if rng.random() < 0.5:
            labels["name_nip"] = rng.choice(("Nama/NIP", "NAMA<br>NIP", "Nama / NIP"))
    n = len(people)
    plan = _Plan(rng, people, ["nip_nbsp", "nip_prefix", "nip_fullwidth", "nip_truncated",
                               "name_lower", "name_trailing_space", "date_id"])
    truth = _Truth()
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=UTF-8">',
           "<title>Daftar PPPK</title></head>", "<body>"]
    tr = 0
    if not titles_in_table:
        out.append("<center>" + "<br>".join(f"<b>{html.escape(t)}</b>" for t in titles) + "</center><br>")
    out.append("<table border=1>")
    if titles_in_table:
        for t in titles:
            tr += 1
            out.append(f'<tr><td colspan="{len(cols)}" align="center"><b>{html.escape(t)}</b></td></tr>')
        tr += 1
        out.append(f'<tr><td colspan="{len(cols)}">&nbsp;</td></tr>')
    tr += 1
    header_row = tr
    heads = [labels[c] if "<br>" in labels[c] else html.escape(labels[c]) for c in cols]  # <br>: markup already
    out.append("<tr>" + "".join(f'<th bgcolor="#CCCCCC">{h}</th>' for h in heads) + "</tr>")
    phantom_nip, _ = _phantom(rng)
    number = 0
    for what, i in plan.sequence(n):
        tr += 1
        number += 1
        if what == "nameless":
            cells = {"no": str(number), "name_nip": f"&nbsp;<br>{phantom_nip}", "birth": "&nbsp;",
                     "gender": "&nbsp;", "golongan": "IX", "jabatan": "Guru Ahli Pertama",
                     "unit": html.escape(people[0].unit)}
            out.append("<tr>" + "".join(f"<td>{cells[c]}</td>" for c in cols) + "</tr>")
            truth.nameless(tr)
            continue
        p = people[i]
        kind = plan.at.get(i)
        nip = _nip_text(p.nip, kind, rng) if p.nip else ""
        nip_html = html.escape(nip).replace("\u00a0", "&nbsp;")
        name = _name_text(_roster_name(p, True), kind)
        born = _tanggal(p.birth_date) if kind == "date_id" else _dmy(p.birth_date)
        cells = {"no": str(number), "name_nip": f"{html.escape(name)}<br>{nip_html}",
                 "birth": html.escape(f"{p.birth_place.upper()}, {born}"), "gender": p.gender,
                 "golongan": html.escape(p.golongan) if p.golongan else "&nbsp;", "jabatan": html.escape(p.jabatan),
                 "unit": html.escape(p.unit)}
        out.append("<tr>" + "".join((_TEXT_TD if c == "name_nip" else "<td>") + cells[c] + "</td>"
                                    for c in cols) + "</tr>")
        truth.person(tr, p, kind, _shown(kind, nip, name, born))
        if "'" in p.name:
            truth.note(tr, f"apostrophe in the name written as an HTML entity: {html.escape(p.name)!r}")
    out += ["</table>", "</body>", "</html>", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("\r\n".join(out).encode("utf-8"))
    return truth.build(path, "html_xls", None, header_row, columns=cols, encoding="utf-8")


# --------------------------------------------------------------------------- semicolon CSV

_SEMI_COLS = (("no", "NO"), ("name", "NAMA"), ("nip_lama", "NIP LAMA"), ("nip", "NIP BARU"),
              ("golongan", "GOLRU"), ("pangkat", "PANGKAT"), ("tmt_pangkat", "TMT GOLRU"),
              ("unit", "SATKER"), ("jabatan", "JABATAN"), ("eselon", "ESELON"),
              ("tmt_jabatan", "TMT JABATAN"), ("birth_place", "TEMPAT LAHIR"),
              ("birth_date", "TGL LAHIR"), ("gender", "JENIS KELAMIN"), ("pendidikan", "PENDIDIKAN"))


def write_semicolon_csv(people: Sequence[Person], path: str | Path, *, variant: int = 0) -> ExportTruth:
    """A nominative list saved by Indonesian-locale Excel: ``;``, Windows-1252 (even variants) or UTF-8."""
    path = Path(path)
    rng = _layout_rng("semicolon", variant)
    encoding = "cp1252" if variant % 2 == 0 else "utf-8-sig"
    cols = list(_SEMI_COLS)
    case = "upper"
    if variant:
        rest = cols[4:]
        rng.shuffle(rest)
        cols = cols[:4] + rest
        case = rng.choice(("upper", "upper", "title", "as_is"))
    n = len(people)
    kinds = ["nip_spaces", "nip_dots", "nip_apostrophe", "nip_prefix", "nip_nbsp",
             "nip_rounded_text", "nip_sci", "nip_truncated", "name_title", "name_trailing_space",
             "date_en", "date_id", "date_serial"]
    if encoding != "cp1252":
        kinds.append("nip_fullwidth")
    plan = _Plan(rng, people, kinds)
    gol_style = 0 if not variant else rng.randrange(4)
    truth = _Truth()
    lines = [";".join(_case(lab, case) for _, lab in cols)]
    phantom_nip, _ = _phantom(rng)
    number = 0
    for what, i in plan.sequence(n):
        number += 1
        if what == "nameless":
            rec = {"no": str(number), "nip": phantom_nip, "golongan": "III/b", "unit": people[0].unit}
            lines.append(";".join(_csv_field(rec.get(k, ""), ";") for k, _ in cols))
            truth.nameless(len(lines))
            continue
        p = people[i]
        kind = plan.at.get(i)
        ex = _extras(p)
        nip = _nip_text(p.nip, kind, rng) if p.nip else ""
        name = _name_text(_roster_name(p, True), kind)
        born = {"date_en": _en, "date_id": _tanggal, "date_serial": lambda d: str(_serial(d))}.get(
            kind or "", _dmy)(p.birth_date)
        rec = {"no": str(number), "name": name, "nip_lama": p.nip_lama or "-", "nip": nip,
               "golongan": _golongan_text(p.golongan, gol_style),
               "pangkat": PANGKAT.get(p.golongan or "", "-"), "tmt_pangkat": _dmy(ex.tmt_pangkat, "/"),
               "unit": p.unit, "jabatan": p.jabatan, "eselon": eselon_of(p),
               "tmt_jabatan": _dmy(ex.tmt_jabatan, "/"), "birth_place": p.birth_place.upper(),
               "birth_date": born, "gender": "LAKI-LAKI" if p.gender == "L" else "PEREMPUAN",
               "pendidikan": ex.pendidikan}
        lines.append(";".join(_csv_field(rec[k], ";") for k, _ in cols))
        truth.person(len(lines), p, kind, _shown(kind, nip, name, born))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return truth.build(path, "semicolon_nominatif", None, 1, columns=[k for k, _ in cols],
                       encoding=encoding, delimiter=";")


def _csv_field(value: str, delim: str) -> str:
    if delim in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


# --------------------------------------------------------------------------- non-ASN payroll

def write_non_asn_csv(people: Sequence[Person], path: str | Path, *, variant: int = 0) -> ExportTruth:
    """Payroll list of non-ASN staff (PPNPN): ``;``, Windows-1252, no NIP at all.

    UNIT_KERJA is the OPD. Names with é and apostrophes are always present when the
    people include them (make_kabupaten puts them on its first non-ASN staff).
    """
    path = Path(path)
    rng = _layout_rng("non-asn", variant)
    cols = [("name", "NMPPPNPN"), ("nik", "NIKPPNPN"), ("status", "STATUS"),
            ("jabatan", "JABATAN"), ("unit", "UNIT_KERJA")]
    if variant:
        rest = cols[2:]
        rng.shuffle(rest)
        cols = cols[:2] + rest
        if rng.random() < 0.5:
            cols.insert(0, ("no", "NO"))
    n = len(people)
    plan = _Plan(rng, people, ["name_lower", "name_title", "name_trailing_space", "nik_apostrophe"],
                 duplicate=True)
    truth = _Truth()
    lines = [";".join(lab for _, lab in cols)]
    _, phantom_nik = _phantom(rng)
    number = 0
    for what, i in plan.sequence(n):
        number += 1
        if what == "nameless":
            rec = {"no": str(number), "nik": phantom_nik, "status": "PPNPN",
                   "jabatan": "Tenaga Pendukung Administrasi", "unit": people[0].unit}
            lines.append(";".join(_csv_field(rec.get(k, ""), ";") for k, _ in cols))
            truth.nameless(len(lines))
            continue
        p = people[i]
        kind = plan.at.get(i) if what == "person" else None
        name = _name_text(p.name.upper(), kind)
        nik = ("'" + p.nik) if kind == "nik_apostrophe" else (p.nik or "")
        rec = {"no": str(number), "name": name, "nik": nik, "status": _extras(p).status,
               "jabatan": p.jabatan, "unit": p.unit}
        lines.append(";".join(_csv_field(rec[k], ";") for k, _ in cols))
        row = len(lines)
        if what == "duplicate":
            truth.person(row, p, "duplicate", name)
        else:
            truth.person(row, p, kind, _shown(kind, nik, name, nik))
        if not p.name.isascii():
            byte = next(b for b in name.encode("cp1252") if b > 127)
            truth.note(row, f"name with a non-ASCII letter, Windows-1252 byte 0x{byte:02X}: {name!r}")
        if "'" in p.name:
            truth.note(row, f"name with an apostrophe: {name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return truth.build(path, "non_asn_payroll", None, 1, columns=[k for k, _ in cols],
                       encoding="cp1252", delimiter=";")


# --------------------------------------------------------------------------- BKPSDM per-OPD report

_REPORT_COLS = (("no", "NO"), ("name", "NAMA PEGAWAI"), ("nip", "NIP"), ("golongan", "GOL"),
                ("jabatan", "JABATAN"), ("eselon", "ESELON"), ("sub_unit", "UNIT KERJA (UNOR)"),
                ("birth_date", "TGL LAHIR"))


def write_bkpsdm_report(people: Sequence[Person], path: str | Path, *, unit: str, variant: int = 0,
                        kabupaten_name: str = "Sukamaju") -> ExportTruth:
    """BKPSDM's per-OPD report (.xlsx): the OPD only in a "Satuan Kerja : ..." preamble line.

    Lists the ASN (PNS and PPPK) of ``unit`` among ``people``; there is no OPD column, and
    "UNIT KERJA (UNOR)" holds the sub-unit (the OPD itself for staff directly under it).
    """
    path = Path(path)
    people = [p for p in people if p.unit == unit and p.nip is not None]
    rng = _layout_rng("bkpsdm", variant)
    cols = list(_REPORT_COLS)
    preamble = f"Satuan Kerja : {unit}"
    extra_title = False
    if variant:
        rest = cols[3:]
        rng.shuffle(rest)
        cols = cols[:3] + rest
        preamble = rng.choice((f"Satuan Kerja : {unit}", f"SATUAN KERJA : {unit.upper()}",
                               f"Satuan Kerja: {unit}", f"Unit Kerja : {unit}"))
        extra_title = rng.random() < 0.5
    sheet = _Sheet("xlsx", "Laporan")
    truth = _Truth()
    ncol = len(cols)
    row = 1
    titles = ["DAFTAR PEGAWAI APARATUR SIPIL NEGARA",
              f"BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA KABUPATEN {kabupaten_name.upper()}"]
    if extra_title:
        titles.insert(0, f"PEMERINTAH KABUPATEN {kabupaten_name.upper()}")
    for t in titles:
        sheet.merge(row, 1, row, ncol, t, "title")
        truth.note(row, f"title cell merged across columns A..{_col_letter(ncol)}")
        row += 1
    row += 1
    sheet.put(row, 1, preamble, "bold")
    truth.note(row, f"the OPD is given only in this preamble line: {preamble!r}")
    row += 1
    sheet.put(row, 1, f"Keadaan per : {_tanggal(KEADAAN)}")
    row += 2
    header_row = row
    for c, (_, lab) in enumerate(cols, 1):
        sheet.put(row, c, lab, "head")
    row += 1
    n = len(people)
    plan = _Plan(rng, people, ["nip_float", "nip_spaces", "nip_trailing_space", "nip_truncated",
                               "name_trailing_space", "date_en", "date_dmy"])
    phantom_nip, _ = _phantom(rng)
    number = 0
    for what, i in plan.sequence(n):
        number += 1
        if what == "nameless":
            rec = {"no": number, "nip": phantom_nip, "golongan": "II/c", "sub_unit": unit}
            for c, (k, _) in enumerate(cols, 1):
                sheet.put(row, c, rec.get(k))
            truth.nameless(row)
            row += 1
            continue
        p = people[i]
        kind = plan.at.get(i)
        nip = _nip_text(p.nip, kind, rng)
        name = _name_text(_roster_name(p, True), kind)
        birth: object = {"date_en": _en, "date_dmy": _dmy}.get(kind or "", lambda d: d)(p.birth_date)
        rec = {"no": number, "name": name, "nip": nip, "golongan": p.golongan, "jabatan": p.jabatan,
               "eselon": eselon_of(p), "sub_unit": p.sub_unit or p.unit, "birth_date": birth}
        for c, (k, _) in enumerate(cols, 1):
            v = rec[k]
            sheet.put(row, c, v, "date" if isinstance(v, datetime.date) else "")
        truth.person(row, p, kind, _shown(kind, nip, name, birth))
        row += 1
    row += 1
    signer = _signer(people, unit, rng, None)
    _footer(sheet, truth, row, max(2, ncol - 2), [
        f"{kabupaten_name}, {_tanggal(KEADAAN)}", signer.jabatan if signer.unit == unit else f"Kepala {unit}",
        "", "", _roster_name(signer, True), f"NIP. {signer.nip}"])
    sheet.save(path)
    return truth.build(path, "bkpsdm_report", "Laporan", header_row, columns=[k for k, _ in cols],
                       preamble_unit=unit)


# --------------------------------------------------------------------------- the whole set

_LAYOUT_NOTES = {
    "simpeg_data_pegawai": (
        "SIMPEG \"Data Pegawai\" nominative list. Title rows (merged across the sheet), a blank row, "
        "the header, data, a blank row and a signature block. Column \"NIP\" is the OLD 9-digit NIP "
        "(\"-\" when there is none) and \"NIP Baru\" the 18-digit one; \"Satuan Kerja\" is the OPD and "
        "\"Unit Kerja\" the sub-unit. Dates are real date cells (DD-MM-YYYY) except where a trap says "
        "otherwise; some telephone numbers are number cells that lost their leading zero."),
    "siasn_data_utama": (
        "BKN SIASN \"data utama\" download: 66 columns, comma-separated, UTF-8 with BOM, addresses "
        "quoted because they contain commas. NAMA has no titles (GELAR DEPAN / GELAR BELAKANG are "
        "separate). UNOR NAMA is the unit (the OPD); UNOR INDUK, INSTANSI INDUK/KERJA and SATUAN "
        "KERJA INDUK/KERJA are its parents (the Pemda); there is no sub-unit column. TANGGAL LAHIR "
        "is dd-mm-yyyy; JENIS KELAMIN is M/F (odd variants: Pria/Wanita)."),
    "html_xls": (
        "HTML table saved with an .xls name (a PHP system's Excel export), UTF-8. One combined "
        "\"NAMA / NIP\" cell (name <br> NIP), \"TEMPAT, TANGGAL LAHIR\" combined, GOL in PPPK roman "
        "numerals, UNIT KERJA is the OPD. Row numbers count <tr> elements in document order; the title "
        "lines are rows of the same table."),
    "semicolon_nominatif": (
        "Nominative list saved by Indonesian-locale Excel as CSV: ';'-separated, Windows-1252. "
        "SATKER is the OPD; NIP LAMA is the old 9-digit NIP or '-'."),
    "non_asn_payroll": (
        "Payroll list of non-ASN staff (PPNPN/honorer): ';'-separated, Windows-1252, no NIP: people are "
        "known by name (NMPPPNPN) and unit (UNIT_KERJA, the OPD), with NIK in NIKPPNPN."),
    "bkpsdm_report": (
        "BKPSDM per-OPD report (.xlsx): the OPD is only in the preamble line \"Satuan Kerja : ...\" and "
        "there is no OPD column. UNIT KERJA (UNOR) is the sub-unit. NIP is the 18-digit one."),
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _roster_order(kab: Kabupaten) -> Callable[[Person], tuple]:
    index = {u: i for i, u in enumerate(kab.units)}

    def key(p: Person) -> tuple:
        rank = _GOL_INDEX.get(p.golongan or "", 0) if p.employment_type == "PNS" else 0
        return (index[p.unit], p.sub_unit is not None, p.sub_unit or "", eselon_of(p) == "-", -rank, p.name)
    return key


def write_kabupaten_exports(kab: Kabupaten, out_dir: str | Path, *, variant: int = 0) -> list[ExportTruth]:
    """Every roster file a BKPSDM would hand over, plus MANIFEST.json and README.md.

    PNS are split over a SIMPEG .xlsx (most OPDs), a SIMPEG .xls (Dinas Pendidikan) and a
    semicolon CSV (Sekretariat DPRD, Satpol PP, Inspektorat); PPPK are in the HTML-as-.xls list; the
    SIASN CSV repeats the ASN of up to three OPDs, and per-opd/ holds BKPSDM reports for
    Dinas Kesehatan and the capital's Kecamatan: those repeats are the expected
    cross-file duplicates listed in the manifest.
    """
    out = Path(out_dir)
    order = _roster_order(kab)
    people = sorted(kab.people, key=order)
    pns = [p for p in people if p.employment_type == "PNS"]
    pppk = [p for p in people if p.employment_type == "PPPK"]
    non_asn = [p for p in people if p.employment_type == "NON_ASN"]
    semi_units = {"Sekretariat DPRD", "Satuan Polisi Pamong Praja", "Inspektorat Daerah"}
    kepala_bkpsdm = head_of_unit(people, _BKPSDM)
    edu = "Dinas Pendidikan"
    siasn_units = [u for u in (f"RSUD {kab.name}", "Inspektorat Daerah", _BKPSDM) if u in kab.units]
    report_units = ["Dinas Kesehatan", f"Kecamatan {kab.kecamatan[0]}"] if kab.kecamatan else ["Dinas Kesehatan"]
    truths = [
        write_simpeg_data_pegawai([p for p in pns if p.unit != edu and p.unit not in semi_units],
                                  out / "simpeg_data_pegawai_pns.xlsx", fmt="xlsx",
                                  kabupaten_name=kab.name, variant=variant, signer=kepala_bkpsdm),
        write_simpeg_data_pegawai([p for p in pns if p.unit == edu],
                                  out / f"simpeg_data_pegawai_pns_{_slug(edu)}.xls", fmt="xls",
                                  kabupaten_name=kab.name, variant=variant, signer=kepala_bkpsdm),
        write_semicolon_csv([p for p in pns if p.unit in semi_units],
                            out / "nominatif_pns_setwan_satpolpp_inspektorat.csv", variant=variant),
        write_html_xls(pppk, out / "daftar_pppk.xls", variant=variant, kabupaten_name=kab.name),
        write_siasn_csv([p for p in people if p.unit in siasn_units and p.nip],
                        out / "siasn_data_utama.csv", variant=variant, kabupaten_name=kab.name),
        write_non_asn_csv(non_asn, out / "ppnpn_gaji.csv", variant=variant),
    ]
    for unit in report_units:
        truths.append(write_bkpsdm_report(people, out / "per-opd" / f"bkpsdm_{_slug(unit)}.xlsx",
                                          unit=unit, variant=variant, kabupaten_name=kab.name))
    manifest = _manifest(kab, truths, out, variant)
    (out / "MANIFEST.json").write_text(_dump_json(manifest) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(kab, truths, manifest, out), encoding="utf-8")
    return truths


def _person_key(p: Person) -> str:
    return p.nip or f"{p.name}|{p.unit}|{p.nik}"


def _manifest(kab: Kabupaten, truths: list[ExportTruth], out: Path, variant: int) -> dict:
    where: dict[str, list[tuple[str, int]]] = {}
    files = []
    for t in truths:
        rel = t.path.relative_to(out).as_posix()
        for row, p in t.people:
            where.setdefault(_person_key(p), []).append((rel, row))
        files.append({
            "path": rel, "layout": t.layout, "sheet": t.sheet, "encoding": t.encoding,
            "delimiter": t.delimiter, "preamble_unit": t.preamble_unit, "header_row": t.header_row,
            "header_height": t.header_height, "numbering_row": t.numbering_row,
            "data_start_row": t.data_start_row, "columns": t.columns,
            "people_count": len(t.people), "distinct_people": len({_person_key(p) for _, p in t.people}),
            "expected_problem_rows": t.expected_problem_rows, "skipped_rows": t.skipped_rows,
            "footer_rows": t.footer_rows,
            "traps": [{"row": r, "trap": d} for r, d in t.traps],
            "people": [{"row": r, "nip": p.nip, "name": p.display_name, "type": p.employment_type,
                        "unit": p.unit, "sub_unit": p.sub_unit, "kecamatan": p.kecamatan}
                       for r, p in t.people],
        })
    by_person = {_person_key(p): p for p in kab.people}
    dups = []
    for key, places in where.items():
        paths = {f for f, _ in places}
        if len(paths) > 1:
            dups.append({"nip": by_person[key].nip, "name": by_person[key].display_name,
                         "occurrences": [{"path": f, "row": r} for f, r in places]})
    counts: dict[str, int] = {}
    for p in kab.people:
        counts[p.employment_type] = counts.get(p.employment_type, 0) + 1
    return {
        "generator": "asn_attest.testing.kabupaten.write_kabupaten_exports",
        "seed": kab.seed, "size": len(kab.people), "variant": variant, "kabupaten": kab.title,
        "today": TODAY.isoformat(), "people_by_type": counts,
        "total_distinct_people": len(where),
        "rows_numbered_as": "Excel row (xlsx/xls), CSV line, or <tr> ordinal in the HTML file",
        "kecamatan": kab.kecamatan, "units": kab.units,
        "files": files,
        "cross_file_duplicates": dups,
    }


def _dump_json(obj: object, indent: int = 0) -> str:
    """JSON with one line per small record, so the manifest stays readable and diffable."""
    pad = "  " * (indent + 1)
    if isinstance(obj, dict):
        if all(not isinstance(v, (dict, list)) for v in obj.values()):
            return json.dumps(obj, ensure_ascii=False)
        items = [f"{pad}{json.dumps(k)}: {_dump_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return json.dumps(obj, ensure_ascii=False)
        items = [f"{pad}{_dump_json(v, indent + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"
    return json.dumps(obj, ensure_ascii=False)


def _readme(kab: Kabupaten, truths: list[ExportTruth], manifest: dict, out: Path) -> str:
    lines = [
        "# Sample roster exports (synthetic)",
        "",
        f"Generated by `python tools/make_sample_exports.py` from "
        f"`asn_attest.testing.kabupaten.make_kabupaten(seed={kab.seed}, size={len(kab.people)})` "
        f"with variant {manifest['variant']}: an invented **{kab.title}** "
        f"({len(kab.units)} OPDs, {len(kab.kecamatan)} kecamatan). Every name, NIP and NIK is "
        "invented; none belongs to a real person. Do not edit these files by hand: change the "
        "generator and rerun the script (a test compares them byte for byte).",
        "",
        f"People: {', '.join(f'{v} {k}' for k, v in manifest['people_by_type'].items())}; "
        f"{manifest['total_distinct_people']} distinct people across the files. "
        "`MANIFEST.json` has, per file, every person row (row, NIP, name, unit), the rows a "
        "correct reader must report, the rows it must skip, and the traps.",
        "",
        "Rows are numbered as the user sees them: the Excel row, the CSV line (header = line 1), "
        "or for the HTML file the ordinal of the `<tr>` in the document.",
        "",
        "A row counts as a person when it has a name, even when its NIP is damaged (those rows are "
        "also problems to report). A row without a name is never a person: it must be skipped and "
        "reported. Title rows, header rows, the column-numbering row and the signature block under "
        "the data are neither.",
        "",
        "## Files",
        "",
        "| file | layout | header row | people rows | distinct | problem rows | skipped rows |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in manifest["files"]:
        lines.append(f"| `{f['path']}` | {f['layout']} | {f['header_row']}"
                     f"{' (+1, two-row)' if f['header_height'] == 2 else ''} | {f['people_count']} | "
                     f"{f['distinct_people']} | {len(f['expected_problem_rows'])} | {len(f['skipped_rows'])} |")
    lines += ["", f"Cross-file duplicates (the same person in two files, expected): "
                  f"{len(manifest['cross_file_duplicates'])} people; the SIASN CSV and the per-OPD "
                  "reports repeat people listed in the other files (see `cross_file_duplicates` "
                  "in the manifest).", ""]
    for t, f in zip(truths, manifest["files"]):
        lines += [f"### `{f['path']}`", "", _LAYOUT_NOTES[t.layout], ""]
        extra = []
        if t.sheet:
            extra.append(f"sheet `{t.sheet}`")
        if t.encoding:
            extra.append(f"encoding `{t.encoding}`")
        if t.delimiter:
            extra.append(f"delimiter `{t.delimiter}`")
        if t.preamble_unit:
            extra.append(f"OPD (preamble only): {t.preamble_unit}")
        extra.append(f"header at row {t.header_row}" + (" (two rows, merged)" if t.header_height == 2 else ""))
        if t.numbering_row:
            extra.append(f"column-numbering row {t.numbering_row}")
        extra.append(f"data from row {t.data_start_row}")
        if t.footer_rows:
            extra.append(f"signature block rows {t.footer_rows[0]}-{t.footer_rows[-1]}")
        lines += ["- " + "; ".join(extra),
                  f"- {f['people_count']} person rows ({f['distinct_people']} distinct); "
                  f"report rows {f['expected_problem_rows']}; skip rows {f['skipped_rows']}", "",
                  "| row | trap |", "|---|---|"]
        for r, d in t.traps:
            lines.append(f"| {r} | {d.replace('|', '&#124;')} |")
        lines.append("")
    return "\n".join(lines)
