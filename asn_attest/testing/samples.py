"""Sample inputs for testing readers and exporters: files of every bundled format, broken
files, and a reconciliation whose text tries to become formulas.

Everything is written by code from :mod:`asn_attest.testing.kabupaten` and
:mod:`asn_attest.testing.evidence` (invented people, a fixed seed), so no file has to
ship with the package and the same call gives the same files. Each
:class:`SampleFile` says which bundled reader it is meant for and how many records
that reader finds in it: a plugin's tests use them as files *of other formats* (that
its sniffer must not claim) and as inputs for its exporter.

The legacy ``.xls`` samples are written with xlwt (``pip install xlwt``); without it
they are left out, and :data:`XLS_AVAILABLE` is False.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import random
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook

from ..reading import ERROR, Problem
from ..reconcile import Reconciliation, reconcile
from ..records import AttestationSchema, EmployeeSchema, ExemptionSchema, Provenance
from .evidence import SIGN_DAY, write_evidence
from .kabupaten import (
    Kabupaten,
    Person,
    make_kabupaten,
    save_workbook,
    write_bkpsdm_report,
    write_html_xls,
    write_non_asn_csv,
    write_semicolon_csv,
    write_siasn_csv,
    write_simpeg_data_pegawai,
)

__all__ = [
    "ROSTER",
    "ATTESTATION",
    "EXEMPTION",
    "ROLES",
    "HOSTILE_TEXTS",
    "XLS_AVAILABLE",
    "SampleFile",
    "SampleSet",
    "BrokenFile",
    "BROKEN_FILE_NAMES",
    "write_sample_files",
    "write_broken_files",
    "sample_reconciliation",
]

#: What a file is read as: the three kinds of reader plugins.
ROSTER, ATTESTATION, EXEMPTION = "roster", "attestation", "exemption"
ROLES = (ROSTER, ATTESTATION, EXEMPTION)

#: Cell values that a spreadsheet program would run as formulas if written as they are.
HOSTILE_TEXTS = (
    '=HYPERLINK("http://example.invalid","klik")',
    "@SUM(1+1)",
    "+62 811 0000 0000",
    "-2+3 hari",
    "=1+1",
)

#: Whether xlwt is installed (a test extra): the legacy .xls samples need it.
XLS_AVAILABLE = importlib.util.find_spec("xlwt") is not None

_SEED = 2024
_SIZE = 60


@dataclass(frozen=True)
class SampleFile:
    """One input file and what a correct reader finds in it.

    ``role`` is what the file is read as (:data:`ROSTER`, :data:`ATTESTATION` or
    :data:`EXEMPTION`); ``reader`` names the reader meant to read it (``None``: the
    reader under test, in a contract's own ``sample_files``); ``records`` is how many
    records that reader yields; ``problems``, when not None, how many problems it
    reports.
    """

    path: Path
    records: int
    role: str | None = None
    reader: str | None = None
    problems: int | None = None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class SampleSet:
    """The files written by :func:`write_sample_files`, in ``folder``."""

    folder: Path
    files: list[SampleFile] = field(default_factory=list)

    def __iter__(self) -> Iterator[SampleFile]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def for_role(self, role: str) -> list[SampleFile]:
        """The files read as ``role`` (roster, attestation or exemption)."""
        return [f for f in self.files if f.role == role]

    def for_reader(self, reader: str) -> list[SampleFile]:
        """The files the reader named ``reader`` is meant to read."""
        return [f for f in self.files if f.reader == reader]

    def get(self, name: str) -> SampleFile:
        """The file called ``name`` (its file name, e.g. ``"tte_log.csv"``)."""
        for sample in self.files:
            if sample.name == name:
                return sample
        raise KeyError(f"no sample file named {name!r}; there are: {', '.join(f.name for f in self.files)}")

    def copy_to(self, folder: Path) -> SampleSet:
        """The same files copied into ``folder`` (which must not exist yet)."""
        folder = Path(folder)
        shutil.copytree(self.folder, folder)
        return SampleSet(folder, [replace(f, path=folder / f.path.relative_to(self.folder)) for f in self.files])


# --------------------------------------------------------------------------- sample files


def write_sample_files(folder: str | Path, *, seed: int = _SEED, size: int = _SIZE) -> SampleSet:
    """Roster, evidence and exemption files of every bundled format, under ``folder``.

    ``roster/``: SIMPEG "Data Pegawai" (.xlsx, and .xls with xlwt), a semicolon CSV in
    Windows-1252, a PPPK list as HTML saved as .xls, a SIASN CSV, a non-ASN payroll CSV
    and a BKPSDM per-OPD report. ``signatures/``: sign sheets (one workbook per OPD and
    one holding several OPDs), form responses as CSV and as .xlsx, an e-signature log.
    ``exemptions/``: an exemption list as CSV and as .xlsx. About a second for the
    default size; the same arguments give the same files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kab = make_kabupaten(seed=seed, size=size)
    files = [*_roster_files(kab, folder / "roster"), *_evidence_files(kab, folder / "signatures", seed)]
    files += _exemption_files(kab, folder / "exemptions")
    return SampleSet(folder, files)


def _roster_files(kab: Kabupaten, out: Path) -> list[SampleFile]:
    people = kab.people
    pns = [p for p in people if p.employment_type == "PNS"]
    pppk = [p for p in people if p.employment_type == "PPPK"]
    non_asn = [p for p in people if p.employment_type == "NON_ASN"]
    half = len(pns) // 2
    truths = [
        write_simpeg_data_pegawai(pns[:half], out / "simpeg_data_pegawai.xlsx", fmt="xlsx", kabupaten_name=kab.name),
        write_semicolon_csv(pns[half:], out / "nominatif_pns.csv"),
        write_html_xls(pppk, out / "daftar_pppk.xls", kabupaten_name=kab.name),
        write_siasn_csv([p for p in people if p.nip][:20], out / "siasn_data_utama.csv", kabupaten_name=kab.name),
        write_non_asn_csv(non_asn, out / "ppnpn_gaji.csv"),
        write_bkpsdm_report(people, out / "bkpsdm_per_opd.xlsx", unit=_biggest_unit(kab), kabupaten_name=kab.name),
    ]  # fmt: skip
    if XLS_AVAILABLE:
        truths.append(
            write_simpeg_data_pegawai(
                pns[half:], out / "simpeg_data_pegawai_lama.xls", fmt="xls", kabupaten_name=kab.name
            )
        )
    return [SampleFile(t.path, len(t.people), ROSTER, "simpeg") for t in truths]


def _biggest_unit(kab: Kabupaten) -> str:
    """The OPD with the most ASN (a per-OPD report lists ASN only)."""
    counts: dict[str, int] = {}
    for person in kab.people:
        if person.nip:
            counts[person.unit] = counts.get(person.unit, 0) + 1
    return max(sorted(counts), key=lambda unit: counts[unit])


def _evidence_files(kab: Kabupaten, out: Path, seed: int) -> list[SampleFile]:
    """A few sign sheets and the form responses of :func:`write_evidence`, the responses
    again as .xlsx, and an e-signature log."""
    scratch = out / ".all"
    truth = write_evidence(kab, scratch, seed=seed)
    per_file: dict[str, int] = {}
    for places in truth.signatures.values():
        for file, _, _ in places:
            per_file[file] = per_file.get(file, 0) + 1
    for file, _, _ in truth.stranger_rows:
        per_file[file] = per_file.get(file, 0) + 1
    sheets = [p for p in truth.files if p.suffix == ".xlsx"]
    combined = [p for p in sheets if p.name.startswith("rekap")]
    single = sorted((p for p in sheets if p not in combined), key=lambda p: (-per_file.get(p.name, 0), p.name))[:2]
    form = next(p for p in truth.files if p.suffix == ".csv")
    kept: list[SampleFile] = []
    for path in [*combined, *single]:
        kept.append(SampleFile(out / path.name, per_file.get(path.name, 0), ATTESTATION, "signsheet"))
    kept.append(SampleFile(out / form.name, per_file.get(form.name, 0), ATTESTATION, "form"))
    for sample in kept:
        shutil.move(str(scratch / sample.name), sample.path)
    shutil.rmtree(scratch)
    form_xlsx = out / "respon_formulir_ikrar_netralitas.xlsx"
    _csv_to_xlsx(out / form.name, form_xlsx, sheet="Form Responses 1")
    kept.append(SampleFile(form_xlsx, per_file.get(form.name, 0), ATTESTATION, "form"))
    kept.append(_esign_log(kab, out / "tte_log_ikrar.csv"))
    return kept


def _csv_to_xlsx(source: Path, target: Path, *, sheet: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    with source.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    save_workbook(wb, target, creator="Google Sheets")


def _esign_log(kab: Kabupaten, path: Path) -> SampleFile:
    """An e-signature log: signers by NIK; every fifth signing failed (not a record)."""
    rng = random.Random(f"esign-{kab.seed}")
    stamp = dt.datetime.combine(SIGN_DAY, dt.time(8, 0))
    signed = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["No", "NIK Penandatangan", "Nama Penandatangan", "Nama Dokumen", "Waktu Tanda Tangan", "Status"]
        )
        for no, person in enumerate([p for p in kab.people if p.nik][:12], 1):
            stamp += dt.timedelta(seconds=rng.randrange(30, 600))
            status = "Gagal" if no % 5 == 0 else "Berhasil"
            signed += status == "Berhasil"
            when = f"{stamp:%Y-%m-%d %H:%M:%S}"
            writer.writerow([no, person.nik, person.display_name, "Ikrar Netralitas ASN 2024", when, status])
    return SampleFile(path, signed, ATTESTATION, "esign", problems=12 - signed)


_REASONS = ("Cuti", "Tugas Belajar", "Sakit", "MPP", "Pindah", "CLTN")


def _exemption_files(kab: Kabupaten, out: Path) -> list[SampleFile]:
    """An exemption list as CSV (header on the first line) and as .xlsx (under a title)."""
    out.mkdir(parents=True, exist_ok=True)
    asn = [p for p in kab.people if p.nip]
    header = ["NO", "NIP", "NAMA", "UNIT KERJA", "ALASAN", "SEJAK", "SAMPAI"]

    def rows(people: Sequence[Person]) -> list[list[object]]:
        return [
            [no, p.nip, p.display_name, p.unit, reason, f"{SIGN_DAY - dt.timedelta(days=30):%d-%m-%Y}",
             f"{SIGN_DAY + dt.timedelta(days=60):%d-%m-%Y}"]
            for no, (p, reason) in enumerate(zip(people, _REASONS), 1)
        ]  # fmt: skip

    csv_people, xlsx_people = asn[-6:], asn[-12:-6]
    csv_path = out / "pengecualian_bkpsdm.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows(csv_people))
    xlsx_path = out / "pengecualian_bkpsdm.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Pengecualian"
    ws.append(["DAFTAR PEGAWAI YANG DIKECUALIKAN DARI PENANDATANGANAN IKRAR NETRALITAS"])
    ws.append([f"Keadaan per {SIGN_DAY:%d-%m-%Y}"])
    ws.append([])
    ws.append(header)
    for row in rows(xlsx_people):
        ws.append(row)
        ws.cell(row=ws.max_row, column=2).number_format = "@"
    save_workbook(wb, xlsx_path)
    return [
        SampleFile(csv_path, len(csv_people), EXEMPTION, "exemptions"),
        SampleFile(xlsx_path, len(xlsx_people), EXEMPTION, "exemptions"),
    ]


# --------------------------------------------------------------------------- broken files


@dataclass(frozen=True)
class BrokenFile:
    """A file no reader can use: broken, empty, or a table of something else entirely.

    ``kind`` is the file kind its content has (``"xlsx"``, ``"xls"``, ``"html"``,
    ``"csv"``), or None when the file is not a readable kind at all (the core refuses
    it before any reader sees it).
    """

    path: Path
    kind: str | None
    what: str


_BUDGET = (
    ("LAPORAN REALISASI ANGGARAN PENDAPATAN DAN BELANJA DAERAH",),
    (),
    ("Kode Rekening", "Uraian", "Anggaran", "Realisasi", "Persentase"),
    ("5.1.01", "Belanja Pegawai", 1_250_000_000, 1_100_000_000, 88.0),
    ("5.1.02", "Belanja Barang dan Jasa", 640_000_000, 512_000_000, 80.0),
    ("5.2.02", "Belanja Modal Peralatan dan Mesin", 300_000_000, 75_000_000, 25.0),
)


def _workbook(rows: Iterable[Sequence[object]], *, title: str = "Sheet") -> Workbook:
    """A workbook of one sheet, ``title``, holding ``rows``."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    return wb


def _workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes(rows: Iterable[Sequence[object]], *, title: str = "Sheet") -> bytes:
    return _workbook_bytes(_workbook(rows, title=title))


def _xls_bytes(rows: Iterable[Sequence[object]], *, title: str = "Sheet1") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _truncated_sheet(workbook: bytes) -> bytes:
    """A workbook whose zip directory is whole but whose worksheet XML stops halfway."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = body[: len(body) // 3]
            target.writestr(info.filename, body)
    return out.getvalue()


def _people_like_workbook() -> bytes:
    return _xlsx_bytes(
        [("NIP", "NAMA", "UNIT KERJA")]
        + [(f"19850315201001{n:04d}", f"PEGAWAI NOMOR {n}", "Dinas Contoh") for n in range(1, 400)]
    )


def _budget_html() -> bytes:
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in _BUDGET)
    return f"<html><body><table>{rows}</table></body></html>".encode()


def _garbled_xls() -> bytes:
    garbled = bytearray(_xls_bytes(_BUDGET))
    for i in range(600, min(len(garbled), 1400)):
        garbled[i] = (garbled[i] * 7 + 13) % 256
    return bytes(garbled)


#: (file name, kind of its content or None, what it is, how to make its bytes)
_BROKEN: list[tuple[str, str | None, str, Callable[[], bytes]]] = [
    ("anggaran.xlsx", "xlsx", "a budget workbook, not a list of people", lambda: _xlsx_bytes(_BUDGET)),
    ("anggaran.csv", "csv", "a budget table as CSV",
     lambda: "\n".join(";".join(map(str, row)) for row in _BUDGET).encode()),
    ("anggaran_html.xls", "html", "a budget table as HTML saved as .xls", _budget_html),
    ("kosong.xlsx", "xlsx", "a workbook whose only sheet is empty", lambda: _xlsx_bytes([])),
    ("terpotong.xlsx", "xlsx", "a workbook whose worksheet stops a third of the way",
     lambda: _truncated_sheet(_people_like_workbook())),
    ("tabel_kosong.xls", "html", "an HTML page with an empty table",
     lambda: b"<html><body><table></table></body></html>"),
    ("satu_baris.csv", "csv", "one line of text", lambda: b"Laporan bulanan Januari 2024\n"),
    ("nol_byte.csv", None, "an empty file (0 bytes)", lambda: b""),
    ("acak.csv", None, "random bytes named .csv", lambda: random.Random(_SEED).randbytes(4096)),
    ("zip_terpotong.xlsx", None, "an xlsx cut in half (its zip directory is gone)",
     lambda: (lambda whole: whole[: len(whole) // 2])(_people_like_workbook())),
    ("dokumen.xlsx", None, "a PDF document named .xlsx",
     lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
]  # fmt: skip
if XLS_AVAILABLE:
    _BROKEN += [
        ("anggaran_lama.xls", "xls", "a budget workbook in the legacy .xls format", lambda: _xls_bytes(_BUDGET)),
        ("rusak.xls", "xls", "an .xls whose workbook stream is garbled", _garbled_xls),
    ]

#: The names of the files :func:`write_broken_files` writes (the .xls ones only with xlwt).
BROKEN_FILE_NAMES: tuple[str, ...] = tuple(name for name, _, _, _ in _BROKEN)


def write_broken_files(folder: str | Path) -> dict[str, BrokenFile]:
    """Files a reader must refuse with a DataError naming the file, written into ``folder``,
    by name (see :data:`BROKEN_FILE_NAMES`).

    Per kind: a budget table (a real spreadsheet of something else), and the ways
    files arrive damaged: an empty sheet or table, a worksheet cut short, a garbled
    .xls, one line of text. Plus files the core refuses before any reader sees them:
    0 bytes, random bytes, a zip cut in half, a PDF named .xlsx.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    broken = {}
    for name, kind, what, make in _BROKEN:
        path = folder / name
        path.write_bytes(make())
        broken[name] = BrokenFile(path, kind, what)
    return broken


# --------------------------------------------------------------------------- a result to export


def sample_reconciliation(*, seed: int = _SEED, size: int = 40, hostile: bool = True) -> Reconciliation:
    """A small reconciliation for exporter tests: several units, signed, unsigned and
    exempt staff, an unknown signer and a reading problem.

    With ``hostile``, values read from the "inputs" are the :data:`HOSTILE_TEXTS`: a
    name, a jabatan, a sub-unit, a unit name, an exemption note and a problem message
    that a spreadsheet program would run if an exporter wrote them as they are.
    """
    kab = make_kabupaten(seed=seed, size=size)
    employees = EmployeeSchema()
    people = kab.people
    rows = []
    for row, person in enumerate(people, 2):
        rows.append({
            "name": person.display_name, "nip": person.nip, "nik": person.nik, "jabatan": person.jabatan,
            "unit": person.unit, "sub_unit": person.sub_unit, "kecamatan": person.kecamatan,
            "golongan": person.golongan, "employment_type": person.employment_type,
            "source": {"file": "roster.csv", "sheet": None, "row": row},
        })  # fmt: skip
    if hostile:
        rows[1]["name"] = HOSTILE_TEXTS[0]
        rows[2]["jabatan"] = HOSTILE_TEXTS[1]
        rows[3]["sub_unit"] = HOSTILE_TEXTS[2]
        rows[-1]["unit"] = rows[-2]["unit"] = '=HYPERLINK("http://example.invalid","Dinas")'
    roster = [employees.load(r) for r in rows]
    attestations = AttestationSchema()
    evidence = []
    for line, (person, employee) in enumerate(zip(people[::2], roster[::2]), 2):
        evidence.append(attestations.load({
            "channel": "form", "nip": person.nip or "-", "name": employee.name, "unit": employee.unit,
            "signed_at": f"{SIGN_DAY:%d/%m/%Y} 09:{line % 60:02d}:00",
            "source": {"file": "form.csv", "sheet": None, "row": line},
        }))  # fmt: skip
    evidence.append(attestations.load({
        "channel": "form", "nip": "-", "name": f"{HOSTILE_TEXTS[1]} Rumbiak" if hostile else "Marthen Rumbiak",
        "unit": "Kantor Pertanahan", "source": {"file": "form.csv", "sheet": None, "row": len(evidence) + 2},
    }))  # fmt: skip
    unsigned = [(p, e) for p, e in zip(people[1::2], roster[1::2]) if p.nip]
    exemption = ExemptionSchema().load({
        "reason": "cuti", "nip": unsigned[-1][0].nip, "name": unsigned[-1][1].name, "unit": unsigned[-1][1].unit,
        "until": SIGN_DAY + dt.timedelta(days=30), "note": HOSTILE_TEXTS[3] if hostile else None,
        "source": {"file": "pengecualian.csv", "sheet": None, "row": 2},
    })  # fmt: skip
    problem = Problem(
        Provenance("roster.csv", None, len(rows) + 2),
        HOSTILE_TEXTS[4] if hostile else "not a NIP",
        column="NIP",
        severity=ERROR,
    )
    return reconcile(roster, evidence, exemptions=[exemption], as_of=SIGN_DAY, problems=[problem])
