"""The vocabulary of column headers: which header text means which field.

Roster exports name the same column a dozen ways ("NIP BARU", "Nip_Baru", "NIP 18",
"NIP / NI PPPK"). Every header is first reduced by :func:`header_key`; a field is
recognised when that key is one of its :class:`FieldSpec` aliases. Matching is
exact on the key, never by substring: "NAMA JABATAN" must not be taken for "NAMA".

What cannot be decided one header at a time (several unit-like columns, "NIP" next
to "NIP BARU", two columns for one field, the user's ``--map``) is decided by
:func:`resolve_columns`, so that the rules live in one testable place.

Decisions on ambiguous headers (see also :data:`UNMAPPED`):

- "KEDUDUKAN HUKUM NAMA" / "KEDUDUKAN" is legal standing (Aktif, CLTN, Tugas Belajar,
  MPP), not the employment type: it is left unmapped. The employment type is
  "STATUS", "STATUS PEGAWAI", "JENIS PEGAWAI (NAMA)" (PNS, CPNS, PPPK, honorer).
- "LOKASI KERJA NAMA" is usually the kabupaten, not the kecamatan: unmapped.
- "INSTANSI INDUK NAMA" / "INSTANSI" is the whole government, not the OPD: unmapped.
- "PANGKAT" alone holds the rank name ("Penata Muda") and sits next to "GOLRU" in the
  semicolon CSV: unmapped; "PANGKAT / GOL" and "PANGKAT" over "GOL" are golongan.
- Unit-like headers have a role (:data:`UNIT_ROLES`) and :func:`resolve_columns` picks
  the unit (OPD) and the sub-unit among them, following DOMAIN.md "Units".
- A plain "NIP" next to "NIP BARU" is the old 9-digit NIP (SIMPEG "Data Pegawai").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ..errors import ConfigError

__all__ = [
    "AliasConflict",
    "ColumnResolution",
    "FieldSpec",
    "MappingConflict",
    "NIP_BARU_KEYS",
    "QUALIFIERS",
    "ROSTER_FIELDS",
    "SIGNSHEET_FIELDS",
    "EXEMPTION_FIELDS",
    "SUBHEADERS",
    "UNIT_ROLES",
    "UNMAPPED",
    "UnknownField",
    "UnknownHeader",
    "alias_index",
    "column_letter",
    "extend",
    "header_key",
    "resolve_columns",
]


class UnknownField(ConfigError, ValueError):
    """A field name (in ``--map`` or a plugin's header aliases) that the vocabulary does not have."""

    def __init__(self, name: str, valid: Iterable[str]) -> None:
        self.name = name
        self.valid = sorted(valid)
        super().__init__(f"unknown field {name!r}; valid fields: {', '.join(self.valid)}")


class UnknownHeader(ConfigError, ValueError):
    """A ``--map FIELD=HEADER`` whose header is not in the detected header row."""

    def __init__(self, field_name: str, header: str, available: Iterable[str], row: int | None = None) -> None:
        self.field = field_name
        self.header = header
        self.available = [h for h in available if h]
        self.row = row
        where = f" (header row {row})" if row is not None else ""
        listed = ", ".join(repr(h) for h in self.available) or "none"
        super().__init__(
            f"--map {field_name}={header!r}: no such header{where}; "
            f"available headers: {listed}; a column can also be given as '#3' or '#C'"
        )


class MappingConflict(ConfigError, ValueError):
    """Two ``--map`` entries point at the same column."""


class AliasConflict(ValueError):
    """One header key claimed by two different fields."""

    def __init__(self, key: str, first: str, second: str) -> None:
        self.key = key
        self.fields = (first, second)
        super().__init__(f"header {key!r} is claimed by two fields: {first!r} and {second!r}")


_SEPARATORS = re.compile(r"[\W_]+")


def header_key(text: object) -> str:
    """Reduce a header cell to the form aliases are written in.

    Rules, in order: ``None`` is ``""``; numbers and dates become their plain text;
    NFKC (full-width letters, non-breaking spaces); case-folded; every run of
    characters that are not letters or digits (spaces, line breaks, ``_ . / , : ( ) -``)
    becomes one space, so "Gol. Ruang", "GOL/RUANG" and "gol_ruang" are all
    ``"gol ruang"``; finally two or more single letters in a row are joined, so
    "N I P" and "N.I.P." are ``"nip"`` and "L/P" is ``"lp"``.
    """
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    if isinstance(text, (datetime, date)):
        text = text.isoformat()
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    out: list[str] = []
    run: list[str] = []
    for token in _SEPARATORS.split(folded):
        if not token:
            continue
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run)) if len(run) > 1 else out.extend(run)
            run = []
        out.append(token)
    if run:
        out.append("".join(run)) if len(run) > 1 else out.extend(run)
    return " ".join(out)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a vocabulary and the headers that mean it.

    ``aliases`` are stored as :func:`header_key` forms; headers given in any other
    spelling are normalised on construction, so ``FieldSpec("nip", {"NIP Baru"}, ...)``
    works.
    """

    name: str
    aliases: frozenset[str]
    description: str

    def __post_init__(self) -> None:
        keys = frozenset(header_key(a) for a in self.aliases)
        if "" in keys:
            raise ValueError(f"field {self.name!r} has an empty alias")
        object.__setattr__(self, "aliases", keys)


def _spec(name: str, description: str, *headers: str) -> FieldSpec:
    return FieldSpec(name, frozenset(headers), description)


_NIP = _spec(
    "nip",
    "18-digit NIP of a PNS or NI PPPK",
    "NIP", "NIP BARU", "NIP_BARU", "NIPBARU", "NIP 18", "NIP 18 DIGIT", "NIP BARU 18 DIGIT",
    "NIP/NRPTT", "NI PPPK", "NIPPPK", "NIP PPPK", "NIP / NI PPPK", "NI PPPK / NIP", "NIP/NIPPPK",
    "NOMOR INDUK PEGAWAI", "NO INDUK PEGAWAI", "NIP PEGAWAI", "NIP PNS", "NIP ASN",
)
_NIP_LAMA = _spec("nip_lama", "old 9-digit NIP", "NIP LAMA", "NIPLAMA", "NIP 9", "NIP 9 DIGIT", "NIP LAMA 9 DIGIT")
_NAME = _spec(
    "name",
    "full name, possibly with titles",
    "NAMA", "NAMA PEGAWAI", "NAMA LENGKAP", "NMPPPNPN", "NAMA PPNPN", "NAMA PPPK", "NAMA PNS", "NAMA ASN",
    "NAMA LENGKAP DAN GELAR", "NAMA LENGKAP (DENGAN GELAR)", "NAMA DAN GELAR", "NAMA GELAR",
    "NAMA LENGKAP TANPA GELAR", "NAMA TANPA GELAR", "NAMA KARYAWAN", "NAMA PESERTA",
    "NAMA NON ASN", "NAMA PEGAWAI NON ASN", "NAMA HONORER", "NAMA TENAGA", "NM PEGAWAI",
)
_NAME_NIP = _spec(
    "name_nip",
    "one cell holding the name and, on its second line, the NIP",
    "NAMA / NIP", "NAMA DAN NIP", "NAMA & NIP", "NAMA LENGKAP / NIP", "NAMA GELAR / NIP",
    "NAMA PEGAWAI / NIP", "NAMA, GELAR / NIP",
)
_GELAR_DEPAN = _spec("gelar_depan", "titles before the name (Dr., H., Ir.)", "GELAR DEPAN", "GLR DEPAN", "GELAR DPN")
_GELAR_BELAKANG = _spec(
    "gelar_belakang",
    "titles after the name (S.Pd., M.Si.)",
    "GELAR BELAKANG", "GLR BELAKANG", "GELAR BLKG", "GELAR BLK",
)
_EMPLOYMENT_TYPE = _spec(
    "employment_type",
    "PNS, CPNS, PPPK or non-ASN (honorer, PPNPN); not the legal standing (KEDUDUKAN HUKUM)",
    "STATUS", "STATUS PEGAWAI", "STATUS PEGAWAI NAMA", "STATUS KEPEGAWAIAN", "STATUS ASN",
    "JENIS PEGAWAI", "JENIS PEGAWAI NAMA", "JENIS KEPEGAWAIAN", "JENIS ASN", "KATEGORI PEGAWAI",
)
_GOLONGAN = _spec(
    "golongan",
    "golongan ruang (III/a) or PPPK golongan (IX)",
    "GOL", "GOLRU", "GOL RU", "GOL. RUANG", "GOL/RUANG", "GOLONGAN", "GOLONGAN RUANG", "GOLONGAN/RUANG",
    "PANGKAT/GOL", "PANGKAT / GOL. RUANG", "PANGKAT GOLONGAN", "PANGKAT / GOLONGAN RUANG",
    "GOL AKHIR", "GOL AKHIR NAMA", "GOL RUANG AKHIR", "GOL TERAKHIR", "GOLONGAN TERAKHIR",
    "PANGKAT / GOL. RUANG TERAKHIR", "GOLONGAN PPPK",
)
_JABATAN = _spec(
    "jabatan",
    "position",
    "JABATAN", "JABATAN NAMA", "NAMA JABATAN", "JABATAN TERAKHIR", "JABATAN SEKARANG", "JABATAN/PEKERJAAN",
)

#: Role of each unit-like header key, from coarsest to finest: ``parent`` (SIASN's
#: "SATUAN KERJA INDUK NAMA", above the unit), ``opd`` (Satuan Kerja, SKPD, Perangkat
#: Daerah), ``unit_kerja`` (the OPD when alone, the sub-unit next to an ``opd``
#: column), ``unor`` (SIASN's unit; a sub-unit next to an ``opd`` or ``unit_kerja``
#: column), ``sub_unit`` (always the sub-unit). A ``unit`` alias not listed here (a
#: plugin's) counts as ``opd``, a ``sub_unit`` alias as ``sub_unit``.
UNIT_ROLES: dict[str, str] = {
    **{header_key(h): "parent" for h in (
        "SATUAN KERJA INDUK", "SATUAN KERJA INDUK NAMA", "SATKER INDUK", "SATUAN KERJA KERJA NAMA",
    )},
    **{header_key(h): "opd" for h in (
        "SATUAN KERJA", "SATKER", "NAMA SATKER", "NAMA SATUAN KERJA", "OPD", "NAMA OPD", "SKPD", "NAMA SKPD",
        "OPD/SKPD", "PERANGKAT DAERAH", "NAMA PERANGKAT DAERAH", "ORGANISASI PERANGKAT DAERAH",
    )},
    **{header_key(h): "unit_kerja" for h in ("UNIT KERJA", "UNIT_KERJA", "NAMA UNIT KERJA", "UNIT KERJA NAMA", "UKER")},
    **{header_key(h): "unor" for h in ("UNOR", "UNOR NAMA", "NAMA UNOR", "UNIT ORGANISASI", "UNIT KERJA (UNOR)")},
    **{header_key(h): "sub_unit" for h in (
        "SUB UNIT", "SUBUNIT", "SUB UNIT KERJA", "SUB UNIT ORGANISASI", "BIDANG", "BAGIAN", "SUB BAGIAN",
        "BIDANG/BAGIAN",
    )},
}
_ROLE_RANK = {"parent": 0, "opd": 1, "unit_kerja": 2, "unor": 3, "sub_unit": 4}

_UNIT = FieldSpec(
    "unit",
    frozenset(k for k, role in UNIT_ROLES.items() if role != "sub_unit"),
    "the OPD (Dinas, Badan, Kecamatan office); see UNIT_ROLES for which column wins",
)
_SUB_UNIT = FieldSpec(
    "sub_unit",
    frozenset(k for k, role in UNIT_ROLES.items() if role == "sub_unit"),
    "Bidang, Bagian, UPT, school or Puskesmas within the OPD",
)
_KECAMATAN = _spec(
    "kecamatan",
    "kecamatan where the person works",
    "KECAMATAN", "KEC", "KEC.", "NAMA KECAMATAN", "KECAMATAN UNIT KERJA", "KECAMATAN TEMPAT TUGAS",
    "KECAMATAN LOKASI KERJA", "LOKASI KECAMATAN", "WILAYAH KECAMATAN", "KECAMATAN TUGAS",
)
_GENDER = _spec(
    "gender",
    "L/P or M/F",
    "L/P", "P/L", "JENIS KELAMIN", "JENIS KELAMIN (L/P)", "JENIS KELAMIN NAMA", "JNS KELAMIN", "KELAMIN",
    "JK", "J/K", "JKEL", "SEX", "GENDER",
)
_BIRTH_DATE = _spec(
    "birth_date",
    "date of birth",
    "TANGGAL LAHIR", "TANGGAL_LAHIR", "TANGGALLAHIR", "TGL LAHIR", "TGL. LAHIR", "TGLLAHIR", "TGL LHR",
    "TANGGAL LHR", "TANGGAL KELAHIRAN", "TGL KELAHIRAN",
)
_BIRTH_PLACE = _spec(
    "birth_place", "place of birth", "TEMPAT LAHIR", "TEMPAT LAHIR NAMA", "TMP LAHIR", "TPT LAHIR", "TMPT LAHIR"
)
_BIRTH_PLACE_DATE = _spec(
    "birth_place_date",
    "one cell 'Place, dd-mm-yyyy'",
    "TEMPAT, TANGGAL LAHIR", "TEMPAT/TGL LAHIR", "TEMPAT TGL. LAHIR", "TEMPAT DAN TANGGAL LAHIR",
    "TEMPAT/TANGGAL LAHIR", "TMP/TGL LAHIR", "TEMPAT TGL LHR", "TTL", "KELAHIRAN", "LAHIR",
)
_NIK = _spec(
    "nik",
    "16-digit national ID (sensitive personal data)",
    "NIK", "NIKPPNPN", "NIK PPNPN", "NO KTP", "NO. KTP", "NOMOR KTP", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN",
    "NO NIK", "NIK PEGAWAI",
)
_ROW_NO = _spec(
    "row_no",
    "the sheet's own row numbering; recognised so it is not reported as ignored, never used as data",
    "NO", "NO.", "NOMOR", "NO URUT", "NOMOR URUT",
)
_SIGNATURE = _spec(
    "signature",
    "the sign column of a paper sheet: '1.', a tick, 'ttd', a scanned mark; blank = not signed",
    "TANDA TANGAN", "TANDATANGAN", "TTD", "PARAF", "TANDA TANGAN / PARAF", "TANDA TANGAN DAN PARAF",
    "TTD / PARAF", "PARAF / TTD",
)
_DATE = _spec(
    "date",
    "date of signing",
    "TANGGAL", "TGL", "HARI/TANGGAL", "HARI/TGL", "TANGGAL TANDA TANGAN", "TANGGAL TTD", "TANGGAL PENANDATANGANAN",
    "WAKTU",
)

ROSTER_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _NIP, _NIP_LAMA, _NAME, _NAME_NIP, _GELAR_DEPAN, _GELAR_BELAKANG, _EMPLOYMENT_TYPE, _GOLONGAN,
        _JABATAN, _UNIT, _SUB_UNIT, _KECAMATAN, _GENDER, _BIRTH_DATE, _BIRTH_PLACE, _BIRTH_PLACE_DATE,
        _NIK, _ROW_NO,
    )
}

#: Paper sign sheets ("NO | NAMA | NIP | JABATAN | TANDA TANGAN"); the specs shared
#: with :data:`ROSTER_FIELDS` are the same objects. ``name_nip`` is included because
#: pre-printed sheets often have a "NAMA / NIP" column.
SIGNSHEET_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec for spec in (_NIP, _NAME, _NAME_NIP, _JABATAN, _UNIT, _SIGNATURE, _ROW_NO, _DATE)
}

_REASON = _spec(
    "reason",
    "why the person is excused: cuti, CLTN, tugas belajar, sakit, MPP, pindah, pensiun, meninggal",
    "KETERANGAN", "ALASAN", "ALASAN PENGECUALIAN", "JENIS PENGECUALIAN", "PENGECUALIAN", "REMARKS", "REASON",
)
_SINCE = _spec("since", "first day of the exemption", "MULAI", "SEJAK", "TMT", "TANGGAL MULAI", "DARI TANGGAL", "SINCE")
_UNTIL = _spec(
    "until", "last day of the exemption", "SAMPAI", "S/D", "SD", "SAMPAI DENGAN", "BERLAKU SAMPAI",
    "TANGGAL SELESAI", "UNTIL",
)
#: English labels of the unsigned-staff workbooks, so a returned file in English reads back.
_NAME_EN = _spec("name", _NAME.description, *_NAME.aliases, "NAME")

#: Exemption lists, and the unsigned-staff workbooks OPD heads send back with Keterangan filled in.
EXEMPTION_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (_NIP, _NAME_EN, _NAME_NIP, _JABATAN, _GOLONGAN, _UNIT, _SUB_UNIT, _ROW_NO, _REASON, _SINCE, _UNTIL)
}

#: Keys of headers that name the new 18-digit NIP; a plain "NIP" beside one of
#: them is the old NIP (SIMPEG "Data Pegawai": "NIP", "NIP Baru").
NIP_BARU_KEYS: frozenset[str] = frozenset(
    header_key(h) for h in ("NIP BARU", "NIPBARU", "NIP 18", "NIP 18 DIGIT", "NIP BARU 18 DIGIT")
)

#: Lower cells of a two-row header that mean a field only under a given upper field,
#: e.g. "TEMPAT / TGL LAHIR" over "TEMPAT | TANGGAL".
SUBHEADERS: dict[str, dict[str, str]] = {
    "birth_place_date": {
        **{header_key(h): "birth_place" for h in ("TEMPAT", "TEMPAT LAHIR", "TMP", "TMPT", "TPT")},
        **{header_key(h): "birth_date" for h in ("TANGGAL", "TGL", "TANGGAL LAHIR", "TGL LAHIR", "TGL.")},
    },
}

#: Lower cells that only qualify the upper one ("JABATAN" over "NAMA" is the
#: position's name, not a person's name).
QUALIFIERS: frozenset[str] = frozenset({"nama", "uraian"})

_NOT_NEEDED = "not needed for pledge coverage"

#: Headers seen in real exports that are deliberately not mapped, with the reason.
#: A two-row header's lower cell under one of these qualifies it and is not read
#: on its own ("TMT" over "GOL" is a date, not the golongan).
UNMAPPED: dict[str, str] = {
    **{header_key(h): _NOT_NEEDED for h in (
        # SIMPEG "Data Pegawai"
        "TMT PANGKAT", "ESELON", "TMT JABATAN", "AGAMA", "TELEPON", "ALAMAT", "TMT PENSIUN", "PENDIDIKAN",
        "JURUSAN", "LULUS",
        # semicolon CSV, BKPSDM reports, sign sheets
        "TMT GOLRU", "TMT", "TMT GOL", "KETERANGAN", "KET", "MASA KERJA", "USIA", "UMUR", "NO HP", "EMAIL",
        # SIASN "data utama"
        "PNS ID", "TEMPAT LAHIR ID", "AGAMA ID", "AGAMA NAMA", "EMAIL GOV", "NOMOR HP", "NOMOR TELPON",
        "JENIS PEGAWAI ID", "KEDUDUKAN HUKUM ID", "STATUS CPNS PNS", "KARIS KARSU", "NOMOR SK CPNS",
        "TANGGAL SK CPNS", "TMT CPNS", "NOMOR SK PNS", "TANGGAL SK PNS", "TMT PNS", "GOL AWAL ID",
        "GOL AWAL NAMA", "GOL AKHIR ID", "TMT GOLONGAN", "MK TAHUN", "MK BULAN", "JENIS JABATAN ID",
        "JENIS JABATAN NAMA", "JABATAN ID", "TINGKAT PENDIDIKAN ID", "TINGKAT PENDIDIKAN NAMA",
        "PENDIDIKAN ID", "PENDIDIKAN NAMA", "TAHUN LULUS", "KPKN ID", "KPKN NAMA", "LOKASI KERJA ID",
        "UNOR ID", "UNOR INDUK ID", "UNOR INDUK NAMA", "INSTANSI INDUK ID", "INSTANSI KERJA ID",
        "SATUAN KERJA INDUK ID", "SATUAN KERJA KERJA ID", "IS VALID NIK", "FLAG IKD",
    )},
    "pangkat": "rank name (Penata Muda); the golongan has its own column",
    "kedudukan hukum nama": "legal standing (Aktif, CLTN, Tugas Belajar, MPP), not the employment type",
    "kedudukan hukum": "legal standing, not the employment type",
    "kedudukan": "legal standing, not the employment type",
    "lokasi kerja nama": "a place, usually the kabupaten, not the kecamatan",
    "lokasi kerja": "a place, usually the kabupaten, not the kecamatan",
    "instansi induk nama": "the whole government (Pemerintah Kab. X), not the OPD",
    "instansi kerja nama": "the whole government, not the OPD",
    "instansi": "the whole government in SIASN, not the OPD",
    "atasan": "the supervisor's data, not the person's",
    "atasan langsung": "the supervisor's data, not the person's",
}


def alias_index(fields: Mapping[str, FieldSpec]) -> dict[str, str]:
    """Header key -> field name; raises :class:`AliasConflict` if two fields claim one key."""
    index: dict[str, str] = {}
    for name, spec in fields.items():
        for key in spec.aliases:
            owner = index.setdefault(key, name)
            if owner != name:
                raise AliasConflict(key, owner, name)
    return index


def extend(fields: Mapping[str, FieldSpec], extra: Iterable[tuple[str, str]]) -> dict[str, FieldSpec]:
    """A copy of ``fields`` with extra ``(field name, header text)`` aliases, e.g. from plugins.

    Re-declaring an alias a field already has is harmless; an alias another field
    already claims raises :class:`AliasConflict` naming both fields, and an unknown
    field name raises :class:`UnknownField`. The input mapping is not changed.
    """
    index = alias_index(fields)
    added: dict[str, set[str]] = {}
    for name, header in extra:
        if name not in fields:
            raise UnknownField(name, fields)
        key = header_key(header)
        if not key:
            raise ValueError(f"empty header alias for field {name!r}")
        owner = index.setdefault(key, name)
        if owner != name:
            raise AliasConflict(key, owner, name)
        added.setdefault(name, set()).add(key)
    return {
        name: replace(spec, aliases=spec.aliases | added[name]) if name in added else spec
        for name, spec in fields.items()
    }


def column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> "A", 27 -> "AB")."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _letters_index(letters: str) -> int:
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - 64)
    return value - 1


@dataclass
class ColumnResolution:
    """Which column is which field, decided for one header (one or two rows).

    ``texts`` is the header text of every column as the user reads it ("PANGKAT / GOL"
    for two-row headers); ``ignored`` the columns with a header but no field;
    ``pinned`` the fields set by overrides; ``unmatched`` the overrides whose header
    is not in this header (field -> header as given).
    """

    columns: dict[str, int]
    texts: list[str]
    ignored: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pinned: dict[str, int] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


_COLUMN_NUMBER = re.compile(r"^#\s*(\d{1,5})$")
_COLUMN_LETTERS = re.compile(r"^#\s*([A-Za-z]{1,3})$")


def _find_ref(ref: str, texts: list[str], uppers: list[str], lowers: list[str]) -> int | None:
    """Column of an override: '#3' (1-based) or '#C' (letters), else a header text."""
    ref = ref.strip()
    m = _COLUMN_NUMBER.match(ref)
    if m:
        return int(m.group(1)) - 1 if int(m.group(1)) >= 1 else None
    m = _COLUMN_LETTERS.match(ref)
    if m:
        return _letters_index(m.group(1))
    key = header_key(ref)
    if not key:
        return None
    for candidates in (texts, lowers, uppers):
        for col, text in enumerate(candidates):
            if text and header_key(text) == key:
                return col
    return None


def _describe(col: int, texts: list[str]) -> str:
    text = texts[col] if col < len(texts) else ""
    return f"{text!r} (column {column_letter(col)})" if text else f"column {column_letter(col)}"


def resolve_columns(
    headers: Sequence[object],
    fields: Mapping[str, FieldSpec],
    *,
    lower: Sequence[object] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> ColumnResolution:
    """Decide which column holds which field.

    ``headers`` is the header row's cells; ``lower`` the second row of a two-row
    header, whose cells qualify the upper cell above them (an upper cell followed by
    empty cells was merged and is carried right). A two-row column is recognised, in
    this order, by a :data:`SUBHEADERS` rule, by "upper lower" joined, by a
    :data:`QUALIFIERS` lower cell, by the lower cell alone (unless the upper one is a
    known :data:`UNMAPPED` header), and finally by the upper cell when no column
    under it was recognised.

    ``overrides`` (field -> header as written, or ``#3`` / ``#C`` for a column) win
    over guesses; a guessed column for an overridden field loses it.

    Then, in this order:

    1. A plain "NIP" beside a :data:`NIP_BARU_KEYS` column is ``nip_lama``.
    2. Unit-like columns (:data:`UNIT_ROLES`): the unit is the coarsest of the ``opd``,
       ``unit_kerja`` and ``unor`` columns (a ``parent`` only when none of those
       exists); the sub-unit is an explicit ``sub_unit`` column, else the coarsest
       column finer than the unit. So "Satuan Kerja" + "Unit Kerja" gives unit +
       sub-unit, "Unit Kerja" alone is the unit, and SIASN's "UNOR NAMA" is the unit
       with "SATUAN KERJA INDUK NAMA" ignored as its parent.
    3. Any other field claimed by several columns keeps the first; the others are
       ignored with a note.
    """
    index = alias_index(fields)
    uppers = [_cell_text(v) for v in headers]
    lowers = [_cell_text(v) for v in lower] if lower is not None else []
    width = max(len(uppers), len(lowers))
    uppers += [""] * (width - len(uppers))
    lowers += [""] * (width - len(lowers))

    carried = list(uppers)
    group = list(range(width))
    if lower is not None:
        top = None
        for col in range(width):
            if uppers[col]:
                top = col
            elif top is not None and lowers[col]:
                carried[col] = uppers[top]
                group[col] = top
            else:
                top = None

    texts: list[str] = []
    guesses: list[tuple[str, str] | None] = []
    for col in range(width):
        up, low = carried[col], lowers[col]
        texts.append(f"{up} / {low}" if up and low else up or low)
        guesses.append(_guess(up, low, index, fields))
    if lower is not None:
        members: dict[int, list[int]] = {}
        for col, top in enumerate(group):
            members.setdefault(top, []).append(col)
        for top, cols in members.items():
            key = header_key(carried[top])
            if key in index and not any(guesses[c] for c in cols):
                guesses[top] = (index[key], key)

    pinned: dict[str, int] = {}
    unmatched: dict[str, str] = {}
    for name, ref in (overrides or {}).items():
        if name not in fields:
            raise UnknownField(name, fields)
        col = _find_ref(str(ref), texts, carried, lowers)
        if col is None:
            unmatched[name] = str(ref)
            continue
        for other, other_col in pinned.items():
            if other_col == col:
                raise MappingConflict(
                    f"--map {other}=... and --map {name}={ref!r} both name {_describe(col, texts)}"
                )
        pinned[name] = col
        while len(texts) <= col:
            texts.append("")

    notes: list[str] = []
    candidates: dict[str, list[tuple[int, str]]] = {}
    for col, guess in enumerate(guesses):
        if guess is not None and col not in pinned.values():
            candidates.setdefault(guess[0], []).append((col, guess[1]))

    def pinned_key(name: str) -> str:
        col = pinned[name]
        guess = guesses[col] if col < len(guesses) else None
        return guess[1] if guess else header_key(texts[col])

    _demote_plain_nip(candidates, pinned, pinned_key, fields, texts, notes)

    for name in list(candidates):
        if name in pinned and name not in ("unit", "sub_unit"):
            for col, _ in candidates.pop(name):
                notes.append(
                    f"{_describe(col, texts)} looks like {name}, but --map sets {name} to "
                    f"{_describe(pinned[name], texts)}"
                )

    columns = dict(pinned)
    _resolve_units(candidates, pinned, pinned_key, fields, columns, texts, notes)

    for name, cols in candidates.items():
        (first, _), *rest = cols
        columns[name] = first
        for col, _ in rest:
            notes.append(
                f"{_describe(col, texts)} also looks like {name}; {_describe(first, texts)} is used "
                f"(--map {name}=HEADER chooses another)"
            )

    used = set(columns.values())
    return ColumnResolution(
        columns=dict(sorted(columns.items(), key=lambda item: item[1])),
        texts=texts,
        ignored=[col for col, text in enumerate(texts) if text and col not in used],
        notes=notes,
        pinned=pinned,
        unmatched=unmatched,
    )


def _guess(upper: str, lower: str, index: Mapping[str, str], fields: Mapping[str, FieldSpec]) -> tuple[str, str] | None:
    """(field, matched key) for one column, or None."""
    if not upper and not lower:
        return None
    up_key = header_key(upper)
    low_key = header_key(lower)
    up_field = index.get(up_key) if up_key else None
    if not low_key:
        return (up_field, up_key) if up_field else None
    if up_field:
        sub = SUBHEADERS.get(up_field, {}).get(low_key)
        if sub is not None and sub in fields:
            return sub, low_key
    if up_key:
        joined = header_key(f"{upper} {lower}")
        if joined in index:
            return index[joined], joined
        if up_field and low_key in QUALIFIERS:
            return up_field, up_key
        if up_field is None and up_key in UNMAPPED:
            return None
    low_field = index.get(low_key)
    return (low_field, low_key) if low_field else None


def _demote_plain_nip(
    candidates: dict[str, list[tuple[int, str]]],
    pinned: Mapping[str, int],
    pinned_key,
    fields: Mapping[str, FieldSpec],
    texts: list[str],
    notes: list[str],
) -> None:
    nips = candidates.get("nip", [])
    plain = [item for item in nips if item[1] == "nip"]
    if not plain or "nip_lama" not in fields:
        return
    baru = [col for col, key in nips if key in NIP_BARU_KEYS]
    if "nip" in pinned and pinned_key("nip") in NIP_BARU_KEYS:
        baru.append(pinned["nip"])
    if not baru:
        return
    first = plain[0]
    nips.remove(first)
    if not nips:
        del candidates["nip"]
    lama = candidates.setdefault("nip_lama", [])
    lama.append(first)
    lama.sort()
    notes.append(
        f"{_describe(first[0], texts)} next to {_describe(baru[0], texts)} is read as the old NIP (nip_lama)"
    )


def _resolve_units(
    candidates: dict[str, list[tuple[int, str]]],
    pinned: Mapping[str, int],
    pinned_key,
    fields: Mapping[str, FieldSpec],
    columns: dict[str, int],
    texts: list[str],
    notes: list[str],
) -> None:
    items = [(col, UNIT_ROLES.get(key, "opd")) for col, key in candidates.pop("unit", [])]
    items += [(col, UNIT_ROLES.get(key, "sub_unit")) for col, key in candidates.pop("sub_unit", [])]
    if not items:
        return
    items.sort()
    rank = _ROLE_RANK
    chosen: set[int] = set()
    unit_rank: int | None = None
    if "unit" in pinned:
        unit_rank = rank[UNIT_ROLES.get(pinned_key("unit"), "opd")]
    elif "unit" in fields:
        pool = [it for it in items if it[1] in ("opd", "unit_kerja", "unor")]
        pool = pool or [it for it in items if it[1] == "parent"]
        if pool:
            col, role = min(pool, key=lambda it: (rank[it[1]], it[0]))
            columns["unit"] = col
            chosen.add(col)
            unit_rank = rank[role]
    if "sub_unit" not in pinned and "sub_unit" in fields:
        pool = [
            it for it in items
            if it[0] not in chosen and it[1] != "parent" and (unit_rank is None or rank[it[1]] > unit_rank)
        ]
        explicit = [it for it in pool if it[1] == "sub_unit"]
        if explicit or pool:
            col, _ = explicit[0] if explicit else min(pool, key=lambda it: (rank[it[1]], it[0]))
            columns["sub_unit"] = col
            chosen.add(col)
    unit_col = columns.get("unit")
    for col, role in items:
        if col in chosen:
            continue
        if unit_col is not None and role == "parent":
            notes.append(f"{_describe(col, texts)} is a parent of the unit {_describe(unit_col, texts)}; not used")
        elif unit_col is not None:
            notes.append(
                f"{_describe(col, texts)} also names a unit; {_describe(unit_col, texts)} is the unit"
                + (f" and {_describe(columns['sub_unit'], texts)} the sub-unit" if "sub_unit" in columns else "")
            )
        else:
            notes.append(f"{_describe(col, texts)} names a unit level this vocabulary has no field for; not used")
