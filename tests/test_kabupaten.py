"""The synthetic kabupaten and its exports: deterministic, valid by the DOMAIN rules,
and telling the truth about what each file holds.

The NIP checker and the file readers here are deliberately independent of the
package's own NIP rules and readers: this file checks the test data, not the product.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import time
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import xlrd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from asn_attest.testing.kabupaten import (
    TODAY,
    ExportTruth,
    Kabupaten,
    Person,
    eselon_of,
    make_kabupaten,
    write_bkpsdm_report,
    write_html_xls,
    write_kabupaten_exports,
    write_non_asn_csv,
    write_semicolon_csv,
    write_siasn_csv,
    write_simpeg_data_pegawai,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports" / "roster"


# --------------------------------------------------------------------------- independent rules

def nip_problem(nip: str) -> str | None:
    """Why an 18-digit NIP breaks the DOMAIN rules (None when it is valid)."""
    if len(nip) != 18 or not nip.isascii() or not nip.isdigit():
        return "not 18 ASCII digits"
    try:
        born = datetime.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "birth date is not a date"
    if not 1965 <= born.year <= 2001:
        return "birth year outside 1965-2001"
    year, code, gender, serial = int(nip[8:12]), nip[12:14], nip[14], nip[15:]
    if gender not in "12":
        return "gender digit not 1 or 2"
    if serial == "000":
        return "serial 000"
    if code[0] == "2" and code[1] != "0":  # PPPK: year, 2, contract count 1-9
        if not 2019 <= year <= TODAY.year:
            return "PPPK appointment year outside 2019..today"
        return None
    month = int(code)
    if not 1 <= month <= 12:
        return "TMT month not 01-12"
    tmt = datetime.date(year, month, 1)
    eighteen = born.replace(year=born.year + 18) if (born.month, born.day) != (2, 29) else datetime.date(
        born.year + 18, 3, 1)
    if tmt < eighteen:
        return "TMT CPNS before the 18th birthday"
    if tmt > TODAY:
        return "TMT CPNS in the future"
    return None


def plain_nip(value: object) -> str:
    """A written NIP back to its digits: spaces, NBSP, dots, apostrophe, "NIP." and full width."""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"^\s*NIP\.?\s*", "", text)
    return re.sub(r"[\s.'\u00a0]", "", text)


# --------------------------------------------------------------------------- independent readers

class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_grid(t: ExportTruth) -> dict[int, list[object]]:
    """Row number as the user sees it -> cell values, read without the package."""
    suffix = t.path.suffix
    if t.layout == "html_xls":
        parser = _Rows()
        parser.feed(t.path.read_text(encoding="utf-8"))
        return {i: row for i, row in enumerate(parser.rows, 1)}
    if suffix == ".xlsx":
        ws = load_workbook(t.path)[t.sheet]
        return {i: list(row) for i, row in enumerate(ws.iter_rows(values_only=True), 1)}
    if suffix == ".xls":
        sheet = xlrd.open_workbook(t.path).sheet_by_name(t.sheet)
        return {i + 1: sheet.row_values(i) for i in range(sheet.nrows)}
    text = t.path.read_bytes().decode(t.encoding)
    lines = text.split("\r\n")
    assert lines[-1] == ""
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=t.delimiter))
    assert len(records) == len(lines) - 1, "a record spans lines: CSV line numbers would be ambiguous"
    return {i: rec for i, rec in enumerate(records, 1)}


def cell(grid: dict[int, list[object]], t: ExportTruth, row: int, key: str) -> object:
    values = grid[row]
    col = t.columns.index(key)
    return values[col] if col < len(values) else None


def name_and_nip(grid, t: ExportTruth, row: int) -> tuple[str, object]:
    if t.layout == "html_xls":
        name, _, nip = str(cell(grid, t, row, "name_nip")).partition("\n")
        return name, nip
    nip = cell(grid, t, row, "nik") if t.layout == "non_asn_payroll" else cell(grid, t, row, "nip")
    return str(cell(grid, t, row, "name") or ""), nip


def assert_truth_matches_file(t: ExportTruth) -> None:
    grid = read_grid(t)
    traps_at: dict[int, list[str]] = {}
    for row, text in t.traps:
        traps_at.setdefault(row, []).append(text)
    rows = [r for r, _ in t.people]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
    assert not set(rows) & set(t.skipped_rows)
    assert set(t.expected_problem_rows) <= set(rows) | set(t.skipped_rows)
    if rows:
        assert rows[0] >= t.data_start_row
        assert all(f > rows[-1] for f in t.footer_rows)
    header = grid[t.header_row + t.header_height - 1]
    assert any(str(v or "").strip() for v in header), "header row is empty"
    for row, person in t.people:
        name, written = name_and_nip(grid, t, row)
        assert person.name.casefold() in " ".join(name.split()).casefold(), (t.path.name, row)
        if "unit" in t.columns:  # the OPD
            assert cell(grid, t, row, "unit") == person.unit, (t.path.name, row)
        if "sub_unit" in t.columns:  # the sub-unit, or the OPD for staff directly under it
            assert cell(grid, t, row, "sub_unit") == (person.sub_unit or person.unit), (t.path.name, row)
        notes = " ".join(traps_at.get(row, []))
        if t.layout == "non_asn_payroll":
            assert plain_nip(written) == person.nik, (t.path.name, row)
            continue
        if "float-damaged" in notes:
            assert isinstance(written, float)
            assert f"{written:.14e}"[:16].replace(".", "") == person.nip[:15]
            assert f"{int(written)}" != person.nip
        elif "Excel-rounded" in notes:
            assert written == person.nip[:15] + "000"
        elif "scientific notation" in notes:
            assert re.fullmatch(r"\d\.\d{5}E\+17", written)
            assert abs(float(written) - int(person.nip)) < 1e13
        elif "truncated" in notes:
            digits = plain_nip(written)
            assert len(digits) == 17
            assert any(person.nip[:k] + person.nip[k + 1:] == digits for k in range(18))
        else:
            assert plain_nip(written) == person.nip, (t.path.name, row, written)
    for row in t.skipped_rows:
        name, _ = name_and_nip(grid, t, row)
        assert not name.strip(), (t.path.name, row)
        assert any(str(v or "").strip() for v in grid[row]), "a skipped row should still hold data"


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def kab() -> Kabupaten:
    return make_kabupaten(seed=2024, size=1200)


@pytest.fixture(scope="module", params=[0, 1, 2, 3, 5])
def exports(request, tmp_path_factory) -> tuple[int, list[ExportTruth], Path]:
    out = tmp_path_factory.mktemp(f"exports-v{request.param}")
    k = make_kabupaten(seed=11 + request.param, size=500)
    return request.param, write_kabupaten_exports(k, out, variant=request.param), out


# --------------------------------------------------------------------------- the kabupaten

def test_same_seed_gives_the_same_people_and_another_seed_does_not() -> None:
    a, b = make_kabupaten(seed=5, size=300), make_kabupaten(seed=5, size=300)
    assert a.people == b.people and a.units == b.units and a.name == b.name
    assert make_kabupaten(seed=6, size=300).people != a.people


def test_generator_does_not_touch_the_global_random_state() -> None:
    import random

    random.seed(1)
    expected = random.random()
    random.seed(1)
    make_kabupaten(seed=3, size=200)
    assert random.random() == expected


def test_person_built_by_the_generator_equals_one_built_by_the_constructor(kab: Kabupaten) -> None:
    p = kab.people[0]
    q = Person(**{f: getattr(p, f) for f in Person.__dataclass_fields__})
    assert p == q and hash(p) == hash(q)
    with pytest.raises(AttributeError):
        p.name = "x"  # type: ignore[misc]


def test_shares_of_pns_pppk_and_non_asn_are_as_asked(kab: Kabupaten) -> None:
    counts = Counter(p.employment_type for p in kab.people)
    assert counts == {"PNS": 840, "PPPK": 180, "NON_ASN": 180}
    other = Counter(p.employment_type for p in make_kabupaten(seed=1, size=1000, pppk_share=0.3,
                                                              non_asn_share=0).people)
    assert other == {"PNS": 700, "PPPK": 300}


def test_units_look_like_a_kabupaten(kab: Kabupaten) -> None:
    assert 30 <= len(kab.units) <= 40
    assert 8 <= len(kab.kecamatan) <= 15
    for fixed in ("Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat Daerah", "Dinas Pendidikan",
                  "Dinas Kesehatan", f"RSUD {kab.name}", "Satuan Polisi Pamong Praja"):
        assert fixed in kab.units
    assert all(f"Kecamatan {k}" in kab.units for k in kab.kecamatan)
    sizes = Counter(p.unit for p in kab.people)
    assert sizes.most_common(1)[0][0] == "Dinas Pendidikan"
    assert sizes["Dinas Pendidikan"] > 0.3 * len(kab.people)
    assert {p.unit for p in kab.people} <= set(kab.units)


def test_teachers_and_puskesmas_are_spread_over_every_kecamatan(kab: Kabupaten) -> None:
    teachers = {p.kecamatan for p in kab.people if p.unit == "Dinas Pendidikan" and p.sub_unit
                and p.sub_unit.startswith(("UPT SD Negeri", "SMP Negeri"))}
    assert teachers == set(kab.kecamatan)
    puskesmas = {p.sub_unit for p in kab.people if p.sub_unit and p.sub_unit.startswith("Puskesmas")}
    assert {f"Puskesmas {k}" for k in kab.kecamatan} <= puskesmas
    for p in kab.people:
        if p.unit.startswith("Kecamatan "):
            assert p.kecamatan == p.unit[len("Kecamatan "):]


def test_opds_have_heads_with_an_eselon(kab: Kabupaten) -> None:
    heads = {p.unit for p in kab.people if p.sub_unit is None and eselon_of(p) in ("II.a", "II.b", "III.a")}
    assert len(heads) >= 0.9 * len(kab.units)
    assert any(p.jabatan == "Sekretaris Daerah" and eselon_of(p) == "II.a" for p in kab.people)
    assert all(eselon_of(p) == "-" for p in kab.people if p.employment_type != "PNS")


@pytest.mark.parametrize("seed", [2024, 1, 99])
def test_every_nip_is_valid_by_the_domain_rules(seed: int) -> None:
    for p in make_kabupaten(seed=seed, size=3000).people:
        if p.employment_type == "NON_ASN":
            assert p.nip is None and p.golongan is None
            continue
        assert nip_problem(p.nip) is None, (p.nip, nip_problem(p.nip))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), size=st.integers(0, 400))
def test_any_seed_and_size_give_valid_unique_identifiers(seed: int, size: int) -> None:
    people = make_kabupaten(seed=seed, size=size).people
    assert len(people) == size
    nips = [p.nip for p in people if p.nip]
    assert len(nips) == len(set(nips))
    assert all(nip_problem(n) is None for n in nips)
    niks = [p.nik for p in people]
    assert len(niks) == len(set(niks))


def test_nip_agrees_with_the_person(kab: Kabupaten) -> None:
    for p in kab.people:
        if p.nip is None:
            continue
        assert p.nip[:8] == p.birth_date.strftime("%Y%m%d")
        assert p.nip[14] == ("1" if p.gender == "L" else "2")
        if p.employment_type == "PPPK":
            assert p.nip[12:14] in ("21", "22", "23") and int(p.nip[8:12]) >= 2019
            assert p.golongan in ("V", "VII", "IX", "X", "XI")
        else:
            assert 1 <= int(p.nip[12:14]) <= 12
            assert re.fullmatch(r"I{1,3}V?/[a-e]|IV/[a-e]", p.golongan)


def test_nik_is_16_digits_with_the_birth_date_plus_40_for_women(kab: Kabupaten) -> None:
    for p in kab.people:
        assert re.fullmatch(r"\d{16}", p.nik)
        day = int(p.nik[6:8]) - (40 if p.gender == "P" else 0)
        assert (day, int(p.nik[8:10]), int(p.nik[10:12])) == (
            p.birth_date.day, p.birth_date.month, p.birth_date.year % 100)
        assert p.nik[12:] != "0000"


def test_old_nip_is_nine_digits_unique_and_only_for_older_pns(kab: Kabupaten) -> None:
    old = [p for p in kab.people if p.nip_lama]
    assert old
    assert all(p.employment_type == "PNS" and re.fullmatch(r"\d{9}", p.nip_lama)
               and int(p.nip[8:12]) < 1999 for p in old)
    assert len({p.nip_lama for p in old}) == len(old)


def test_names_are_invented_with_titles_and_old_spellings(kab: Kabupaten) -> None:
    fronts = {t for p in kab.people for t in p.front_titles.split()}
    backs = {t.strip() for p in kab.people for t in p.back_titles.split(",")}
    assert {"dr.", "H.", "Hj.", "Drs."} <= fronts
    assert {"S.Pd.", "S.Sos.", "A.Md.", "M.Si."} <= backs
    assert any(p.name.startswith(("Soe", "Dj", "Tj")) for p in kab.people)
    assert any("'" in p.name for p in kab.people)
    non_asn = [p.name for p in kab.people if p.employment_type == "NON_ASN"]
    assert any("é" in n for n in non_asn) and any("'" in n for n in non_asn)
    p = next(p for p in kab.people if p.front_titles and p.back_titles)
    assert p.display_name == f"{p.front_titles} {p.name}, {p.back_titles}"
    names = Counter(p.name for p in kab.people)
    assert sum(n > 1 for n in names.values()) < 0.02 * len(kab.people)


def test_birth_dates_and_ages_are_plausible(kab: Kabupaten) -> None:
    for p in kab.people:
        assert 1965 <= p.birth_date.year <= 2001
        age = (TODAY - p.birth_date).days / 365.25
        assert 18 <= age < 60


def test_large_kabupaten_has_the_size_asked_and_unique_nips() -> None:
    kab = make_kabupaten(size=30_000)
    assert len(kab.people) == 30_000
    nips = [p.nip for p in kab.people if p.nip]
    assert len(nips) == len(set(nips))


# --------------------------------------------------------------------------- the exports

def test_same_seed_and_variant_give_byte_identical_files(tmp_path: Path) -> None:
    k = make_kabupaten(seed=7, size=400)
    for variant in (0, 3):
        a, b = tmp_path / f"a{variant}", tmp_path / f"b{variant}"
        write_kabupaten_exports(k, a, variant=variant)
        time.sleep(1.1)  # a timestamp leaking into a file would now differ
        write_kabupaten_exports(k, b, variant=variant)
        files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
        for f in files:
            assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_truth_agrees_with_every_file(exports) -> None:
    _, truths, _ = exports
    for t in truths:
        assert_truth_matches_file(t)


def test_each_file_plants_problems_and_a_nameless_row(exports) -> None:
    _, truths, _ = exports
    for t in truths:
        assert t.people, t.path.name
        assert t.skipped_rows, t.path.name
        assert t.expected_problem_rows, t.path.name
        assert set(t.skipped_rows) <= set(t.expected_problem_rows)


def test_manifest_agrees_with_the_truth(exports) -> None:
    variant, truths, out = exports
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["variant"] == variant
    assert [f["path"] for f in manifest["files"]] == [t.path.relative_to(out).as_posix() for t in truths]
    everyone = set()
    for f, t in zip(manifest["files"], truths):
        assert f["people_count"] == len(t.people)
        assert f["expected_problem_rows"] == t.expected_problem_rows
        assert f["skipped_rows"] == t.skipped_rows
        assert [(x["row"], x["trap"]) for x in f["traps"]] == t.traps
        assert [(x["row"], x["nip"]) for x in f["people"]] == [(r, p.nip) for r, p in t.people]
        everyone |= {p for _, p in t.people}
    assert manifest["total_distinct_people"] == len(everyone) == manifest["size"]
    for dup in manifest["cross_file_duplicates"]:
        assert len({o["path"] for o in dup["occurrences"]}) > 1


def test_variants_change_the_surface_but_not_the_people(tmp_path: Path) -> None:
    people = [p for p in make_kabupaten(seed=9, size=600).people if p.employment_type == "PNS"][:120]
    layouts = set()
    for variant in range(6):
        t = write_simpeg_data_pegawai(people, tmp_path / f"v{variant}.xlsx", fmt="xlsx",
                                      kabupaten_name="Sukamaju", variant=variant)
        assert {p for _, p in t.people} == set(people)
        assert len(t.people) == len(people) + 1  # one person listed twice
        layouts.add((t.header_row, t.header_height, t.numbering_row, tuple(t.columns)))
        assert_truth_matches_file(t)
    assert len(layouts) >= 4


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_float_damaged_nip_is_a_number_cell_with_15_significant_digits(tmp_path: Path, fmt: str) -> None:
    people = [p for p in make_kabupaten(seed=4, size=300).people if p.employment_type == "PNS"]
    t = write_simpeg_data_pegawai(people, tmp_path / f"d.{fmt}", fmt=fmt, kabupaten_name="Sukamaju")
    grid = read_grid(t)
    damaged = [r for r, d in t.traps if "float-damaged" in d]
    assert damaged
    for row in damaged:
        value = cell(grid, t, row, "nip")
        person = dict(t.people)[row]
        assert isinstance(value, float) and value > 1e17
        assert float(f"{value:.15g}") == value  # what Excel keeps: 15 significant digits
        assert f"{int(value)}" != person.nip
        assert row in t.expected_problem_rows


def test_simpeg_old_nip_column_holds_nine_digits_or_a_dash(tmp_path: Path) -> None:
    people = [p for p in make_kabupaten(seed=2024, size=1200).people if p.employment_type == "PNS"][:200]
    t = write_simpeg_data_pegawai(people, tmp_path / "s.xls", fmt="xls", kabupaten_name="Sukamaju")
    grid = read_grid(t)
    assert grid[t.header_row][t.columns.index("nip_lama")] == "NIP"
    assert grid[t.header_row][t.columns.index("nip")] == "NIP Baru"
    for row, p in t.people:
        assert cell(grid, t, row, "nip_lama") == (p.nip_lama or "-")
    assert any(cell(grid, t, r, "nip_lama") != "-" for r, _ in t.people)


def test_two_row_header_merges_parents_over_their_columns(tmp_path: Path) -> None:
    people = [p for p in make_kabupaten(seed=2024, size=400).people if p.employment_type == "PNS"]
    t = write_simpeg_data_pegawai(people, tmp_path / "h.xlsx", fmt="xlsx", kabupaten_name="Sukamaju")
    assert t.header_height == 2
    ws = load_workbook(t.path)[t.sheet]
    merged = {str(r) for r in ws.merged_cells.ranges}
    col = t.columns.index("nip") + 1
    assert ws.cell(t.header_row, col - 1).value == "NIP"
    assert ws.cell(t.header_row + 1, col).value == "Baru"
    assert any(m.startswith("A1:") for m in merged)
    assert ws.cell(t.header_row + 1, 1).value is None  # "No." spans both header rows


def test_per_opd_report_names_the_opd_only_in_its_preamble(tmp_path: Path) -> None:
    kab = make_kabupaten(seed=2024, size=1200)
    t = write_bkpsdm_report(kab.people, tmp_path / "r.xlsx", unit="Dinas Kesehatan", kabupaten_name=kab.name)
    grid = read_grid(t)
    expected = {p for p in kab.people if p.unit == "Dinas Kesehatan" and p.nip}
    assert {p for _, p in t.people} == expected
    assert grid[t.header_row][:8] == ["NO", "NAMA PEGAWAI", "NIP", "GOL", "JABATAN", "ESELON",
                                      "UNIT KERJA (UNOR)", "TGL LAHIR"]
    before = [str(v) for r in range(1, t.header_row) for v in grid[r] if v]
    assert "Satuan Kerja : Dinas Kesehatan" in before


def test_non_asn_payroll_is_windows_1252_with_accents_and_apostrophes(tmp_path: Path) -> None:
    kab = make_kabupaten(seed=2024, size=1200)
    non_asn = [p for p in kab.people if p.employment_type == "NON_ASN"]
    t = write_non_asn_csv(non_asn, tmp_path / "n.csv")
    raw = t.path.read_bytes()
    assert raw.startswith(b"NMPPPNPN;NIKPPNPN;STATUS;JABATAN;UNIT_KERJA\r\n")
    assert b"\xc9" in raw or b"\xe9" in raw  # É/é in Windows-1252, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"MA'RUF" in raw
    assert_truth_matches_file(t)


def test_csv_and_html_writers_cover_every_variant_kind(tmp_path: Path) -> None:
    kab = make_kabupaten(seed=31, size=800)
    asn = [p for p in kab.people if p.nip]
    for variant in range(4):
        for t in (write_siasn_csv(asn[:150], tmp_path / f"s{variant}.csv", variant=variant),
                  write_semicolon_csv(asn[:80], tmp_path / f"c{variant}.csv", variant=variant),
                  write_html_xls(asn[:90], tmp_path / f"h{variant}.xls", variant=variant)):
            assert_truth_matches_file(t)
    siasn = read_grid(write_siasn_csv(asn[:5], tmp_path / "x.csv"))
    assert len(siasn[1]) >= 60
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbfPNS ID,NIP BARU")


def test_writers_accept_an_empty_list(tmp_path: Path) -> None:
    for t in (write_simpeg_data_pegawai([], tmp_path / "e.xlsx", fmt="xlsx", kabupaten_name="X"),
              write_siasn_csv([], tmp_path / "e.csv"), write_html_xls([], tmp_path / "e.xls"),
              write_non_asn_csv([], tmp_path / "n.csv")):
        assert t.people == [] and t.path.exists()


# --------------------------------------------------------------------------- sample_exports

def test_sample_exports_are_what_the_generator_writes_today(tmp_path: Path) -> None:
    """Fails when the generator changed and `python tools/make_sample_exports.py` was not rerun."""
    write_kabupaten_exports(make_kabupaten(seed=2024, size=1200), tmp_path, variant=0)
    fresh = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file())
    assert committed == fresh
    for name in fresh:
        assert (SAMPLES / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_sample_exports_stay_small_and_cover_every_layout() -> None:
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 1_500_000
    manifest = json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))
    layouts = Counter(f["layout"] for f in manifest["files"])
    assert layouts["simpeg_data_pegawai"] == 2 and layouts["bkpsdm_report"] >= 2
    assert {"siasn_data_utama", "html_xls", "semicolon_nominatif", "non_asn_payroll"} <= set(layouts)
    assert all(f["path"].startswith("per-opd/") for f in manifest["files"] if f["layout"] == "bkpsdm_report")
    per_opd = {(o["path"]) for d in manifest["cross_file_duplicates"] for o in d["occurrences"]}
    assert any(p.startswith("per-opd/") for p in per_opd)
    assert manifest["total_distinct_people"] == 1200
