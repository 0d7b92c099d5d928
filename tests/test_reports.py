"""The spreadsheets OPD heads receive and the status file: right people, inert cells, same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from asn_attest.cli import cli
from asn_attest.export import ExportOptions, choose_exporters, run_exporters
from asn_attest.plugins import make_plugin_manager
from asn_attest.reconcile import reconcile
from asn_attest.records import AttestationSchema, EmployeeSchema, Provenance
from asn_attest.tabular.output import csv_field
from asn_attest_reports.status import _write_csv_rows

from .helpers import formula_parts

ROSTER = (
    "NIP;NAMA;JABATAN;GOL;UNIT KERJA;SATUAN KERJA\n"
    "198503152010011001;=HYPERLINK(\"http://evil\",\"klik\");Staf;III/a;Bidang 1;Dinas A/B\n"
    "198503152010011002;BUDI;@SUM(1+1);III/b;Bidang 1;Dinas A/B\n"
    "198503152010011003;CITRA;Staf;III/c;Bidang 2;Dinas A/B\n"
    "198503152010012004;DEWI;Guru;III/a;SD 1;Dinas Pendidikan\n"
    "198503152010012005;EKO;Guru;III/a;SD 1;Dinas Pendidikan\n"
)
FORM = (
    "Timestamp,NIP,Nama,Unit Kerja,Saya bersedia\n"
    "12/02/2024 9:00:00,198503152010011003,Citra,Dinas A/B,Ya\n"
    "12/02/2024 9:05:00,198503152010012004,Dewi,Dinas Pendidikan,Ya\n"
)


ALL_FORMATS = ("--format", "xlsx", "--format", "status-csv", "--format", "status-xlsx")


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    roster, form = tmp_path / "roster.csv", tmp_path / "form.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    form.write_text(FORM, encoding="utf-8")
    return roster, form


def run(roster: Path, form: Path, out: Path, *extra: str):
    result = CliRunner().invoke(
        cli, ["reconcile", "--roster", str(roster), "--signatures", str(form), "-o", str(out), "--as-of", "2024-02-12", *extra]
    )
    assert result.exit_code == 0, result.output
    return result


def test_each_unsigned_file_holds_its_units_unsigned_staff_and_nobody_else(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    files = sorted(p.name for p in (out / "belum-ttd").iterdir())
    assert files == ["Dinas A-B.xlsx", "Dinas Pendidikan.xlsx"]
    ws = load_workbook(out / "belum-ttd" / "Dinas A-B.xlsx").active
    assert ws["B2"].value == "Dinas A/B"
    rows = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None]
    assert sorted((r[1], r[2]) for r in rows) == [
        ("19850315 201001 1 001", '=HYPERLINK("http://evil","klik")'),
        ("19850315 201001 1 002", "BUDI"),
    ]
    ws = load_workbook(out / "belum-ttd" / "Dinas Pendidikan.xlsx").active
    assert [r[2] for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None] == ["EKO"]
    assert "Cakupan: 50.0% (1 dari 2 pegawai)" == ws["A4"].value


def test_no_cell_in_any_output_is_a_formula(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out, *ALL_FORMATS)
    assert (out / "status-ikrar.xlsx").exists()
    assert formula_parts(out) == []
    with open(out / "status-ikrar.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            assert not any(v.startswith(("=", "+", "-", "@")) for v in row), row


def test_unsigned_file_has_a_keterangan_drop_down_frozen_header_and_print_setup(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    ws = load_workbook(out / "belum-ttd" / "Dinas A-B.xlsx").active
    assert ws["G6"].value == "Keterangan"
    (validation,) = ws.data_validations.dataValidation
    assert "tugas belajar" in validation.formula1 and "sudah tanda tangan" in validation.formula1
    assert str(validation.sqref) == "G7:G8"
    assert ws.freeze_panes == "A7"
    assert ws.auto_filter.ref == "A6:G8"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$6:$6"
    assert "&P" in ws.oddFooter.center.text


def test_summary_has_counts_a_data_bar_a_chart_and_the_run_metadata(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    wb = load_workbook(out / "ringkasan.xlsx")
    ws = wb["Ringkasan"]
    rows = [r for r in ws.iter_rows(min_row=6, max_col=7, values_only=True) if r[1]]
    assert rows[0][1:] == ("Dinas A/B", 3, 1, 0, 2, pytest.approx(1 / 3))
    assert rows[-1][1:] == ("JUMLAH", 5, 2, 0, 3, pytest.approx(0.4))
    assert ws.conditional_formatting
    with zipfile.ZipFile(out / "ringkasan.xlsx") as archive:
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())
    info = {r[0]: r[1:] for r in wb["Info"].iter_rows(min_row=2, values_only=True)}
    assert info["Per tanggal"][0] == "2024-02-12"
    inputs_listed = [r for r in wb["Info"].iter_rows(min_row=2, values_only=True) if r[0] == "Berkas masukan"]
    assert len(inputs_listed) == 2 and all(len(r[2]) == 64 for r in inputs_listed)


def test_english_labels_on_request(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out, "--lang", "en")
    assert load_workbook(out / "ringkasan.xlsx")["Summary"]["B5"].value == "Unit"
    assert load_workbook(out / "belum-ttd" / "Dinas Pendidikan.xlsx").active["G6"].value == "Remarks"


def test_status_file_has_one_row_per_person(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    with open(out / "status-ikrar.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [(r["nip"], r["status"]) for r in rows] == [
        ("198503152010011001", "belum"), ("198503152010011002", "belum"), ("198503152010011003", "sudah"),
        ("198503152010012004", "sudah"), ("198503152010012005", "belum"),
    ]
    assert rows[2]["tanggal_ttd"] == "2024-02-12T09:00:00" and rows[2]["kanal"] == "form"
    assert rows[2]["bukti"].endswith("form.csv, row 2")


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    roster = [EmployeeSchema().load({"name": n, "nip": f"19850315201001100{i}", "unit": "Dinas A",
                                     "source": {"file": "r.csv", "row": i + 2}}) for i, n in enumerate(["ANI", "BUDI"], 1)]
    evidence = [AttestationSchema().load({"channel": "form", "nip": "198503152010011001", "name": "ANI",
                                          "source": {"file": "f.csv", "row": 2}})]
    result = reconcile(roster, evidence)
    exporters = choose_exporters(make_plugin_manager().status_exporters(), ["xlsx", "status-csv", "status-xlsx"])
    options = ExportOptions(as_of=dt.date(2024, 2, 12), generated_at=dt.datetime(2024, 2, 12, 10, 0))
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in run_exporters(exporters, result, tmp_path / "a", options)}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in run_exporters(exporters, result, tmp_path / "b", options)}
    assert first == second and len(first) == 5


def test_unknown_format_is_a_usage_error(inputs, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["reconcile", "--roster", str(inputs[0]), "--signatures", str(inputs[1]), "-o", str(tmp_path), "--format", "pdf"]
    )
    assert result.exit_code == 2
    assert "no exporter named 'pdf'" in result.stderr
    assert not any(tmp_path.glob("*.xlsx"))


def test_json_and_reports_agree(inputs, tmp_path: Path) -> None:
    result = run(*inputs, tmp_path / "out", "--json")
    data = json.loads(result.stdout)
    unsigned = {u["unit"]: len(u["unsigned_staff"]) for u in data["units"] if u["unsigned_staff"]}
    assert unsigned == {"Dinas A/B": 2, "Dinas Pendidikan": 1}


def test_problems_workbook_lists_strangers_review_duplicates_and_bad_rows_with_their_source(
    inputs, tmp_path: Path
) -> None:
    roster, form = inputs
    form.write_text(
        FORM
        + "12/02/2024 9:06:00,198503152010012004,Dewi,Dinas Pendidikan,Ya\n"
        + "12/02/2024 9:07:00,-,YOHANES KRISTIANTO,Dinas Pendidikan,Ya\n",
        encoding="utf-8",
    )
    with open(roster, "a", encoding="utf-8") as fh:
        fh.write("1985031520100;FAJAR;Staf;III/a;SD 1;Dinas Pendidikan\n")
    out = tmp_path / "out"
    run(roster, form, out)
    wb = load_workbook(out / "masalah.xlsx")
    assert wb.sheetnames == ["Tidak Dikenal", "Perlu Diperiksa", "Ganda", "Baris Bermasalah"]
    (stranger,) = list(wb["Tidak Dikenal"].iter_rows(min_row=2, values_only=True))
    assert (stranger[0], stranger[2], stranger[4]) == (str(form), 5, "YOHANES KRISTIANTO")
    (duplicate,) = list(wb["Ganda"].iter_rows(min_row=2, values_only=True))
    assert duplicate[2] == 4 and duplicate[5] == f"{form}, row 3"
    bad = [r for r in wb["Baris Bermasalah"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == str(roster) and r[2] == 7 and "13 digits" in r[4] for r in bad)


def _fill_keterangan(path: Path, answers: dict[str, str], *, nip_edit: tuple[str, str] | None = None) -> None:
    wb = load_workbook(path)
    ws = wb.active
    for row in range(7, ws.max_row + 1):
        nip = ws.cell(row=row, column=2).value
        if nip in answers:
            ws.cell(row=row, column=7, value=answers[nip])
        if nip_edit and nip == nip_edit[0]:
            ws.cell(row=row, column=2, value=nip_edit[1])
    wb.save(path)


def test_a_returned_unsigned_file_becomes_exemptions_and_claims(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    returned = tmp_path / "kembali.xlsx"
    returned.write_bytes((out / "belum-ttd" / "Dinas A-B.xlsx").read_bytes())
    _fill_keterangan(returned, {"19850315 201001 1 001": "cuti", "19850315 201001 1 002": "sudah tanda tangan"})
    result = run(*inputs, tmp_path / "out2", "--exemptions", str(returned), "--json")
    data = json.loads(result.stdout)
    unit = next(u for u in data["units"] if u["unit"] == "Dinas A/B")
    assert (unit["staff"], unit["signed"], unit["exempt"], unit["unsigned"]) == (3, 1, 1, 1)
    assert unit["coverage"] == 0.5
    assert [(c["nip"], c["name"]) for c in data["claims"]] == [("198503152010011002", "BUDI")]
    assert [u["name"] for u in unit["unsigned_staff"]] == ["BUDI"]  # a claim is not counted


def test_a_returned_file_with_an_altered_nip_is_refused_naming_the_row(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    returned = tmp_path / "kembali.xlsx"
    returned.write_bytes((out / "belum-ttd" / "Dinas A-B.xlsx").read_bytes())
    _fill_keterangan(
        returned,
        {"19850315 201001 1 001": "cuti", "19850315 201001 1 002": "pensiun"},
        nip_edit=("19850315 201001 1 002", "19850315 201001 1 003"),
    )
    data = json.loads(run(*inputs, tmp_path / "out2", "--exemptions", str(returned), "--json").stdout)
    unit = next(u for u in data["units"] if u["unit"] == "Dinas A/B")
    assert unit["exempt"] == 0
    (refusal,) = [p for p in data["problems"] if "file refused" in p["message"]]
    assert refusal["source"] == str(returned)
    assert re.search(r"row \d+: NIP 198503152010011003 is CITRA on the roster, not BUDI: altered\?", refusal["message"])


def test_a_returned_file_of_another_unit_is_refused(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out)
    returned = tmp_path / "kembali.xlsx"
    returned.write_bytes((out / "belum-ttd" / "Dinas Pendidikan.xlsx").read_bytes())
    wb = load_workbook(returned)
    wb.active["B2"] = "Dinas A/B"
    wb.save(returned)
    _fill_keterangan(returned, {"19850315 201001 2 005": "sakit"})
    data = json.loads(run(*inputs, tmp_path / "out2", "--exemptions", str(returned), "--json").stdout)
    assert all(u["exempt"] == 0 for u in data["units"])
    (refusal,) = [p for p in data["problems"] if "file refused" in p["message"]]
    assert "EKO (NIP 198503152010012005) is in Dinas Pendidikan, not Dinas A/B" in refusal["message"]


def test_status_workbook_keeps_nips_as_text(inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(*inputs, out, "--format", "status-xlsx")
    ws = load_workbook(out / "status-ikrar.xlsx").active
    first = [c for c in next(ws.iter_rows(min_row=2, max_row=2))]
    assert (first[0].value, first[0].data_type) == ("198503152010011001", "s") and first[0].quotePrefix
    assert first[1].value == '=HYPERLINK("http://evil","klik")' and first[1].data_type == "s" and first[1].quotePrefix
    assert [r[3] for r in ws.iter_rows(min_row=2, values_only=True)] == ["belum", "belum", "sudah", "sudah", "belum"]


def test_status_workbook_is_written_only_on_request(inputs, tmp_path: Path) -> None:
    run(*inputs, tmp_path / "default")
    assert (tmp_path / "default" / "status-ikrar.csv").exists()
    assert not (tmp_path / "default" / "status-ikrar.xlsx").exists()
    run(*inputs, tmp_path / "asked", "--format", "status-xlsx")
    assert sorted(p.name for p in (tmp_path / "asked").iterdir()) == ["status-ikrar.xlsx"]


def test_problems_workbook_keeps_values_from_the_inputs_inert(inputs, tmp_path: Path) -> None:
    roster, form = inputs
    form.write_text(FORM + "12/02/2024 9:07:00,-,=1+1 YOHANES,Dinas Pendidikan,Ya\n", encoding="utf-8")
    out = tmp_path / "out"
    run(roster, form, out)
    assert formula_parts(out) == []
    ws = load_workbook(out / "masalah.xlsx")["Tidak Dikenal"]
    cell = ws.cell(row=2, column=5)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1 YOHANES", "s", True)
    assert ws.cell(row=2, column=3).value == 4 and ws.cell(row=1, column=1).value == "Berkas"
    assert ws.freeze_panes == "A2" and ws.column_dimensions["E"].width == 30


def test_characters_excel_cannot_store_are_removed_and_reported(tmp_path: Path) -> None:
    """Readers clean control characters already; a vendor's reader might not."""
    ani = EmployeeSchema().load({"name": "ANI", "nip": "198503152010011001", "unit": "Dinas A",
                                 "source": {"file": "r.csv", "row": 2}})
    ani.jabatan = "Staf\x07Umum"
    warnings: list[str] = []
    options = ExportOptions(as_of=dt.date(2024, 2, 12), warn=warnings.append)
    exporters = choose_exporters(make_plugin_manager().status_exporters(), ["xlsx"])
    run_exporters(exporters, reconcile([ani], []), tmp_path, options)
    assert warnings == [f"{tmp_path / 'belum-ttd' / 'Dinas A.xlsx'}: characters Excel cannot store were removed from 1 cell(s)"]
    ws = load_workbook(tmp_path / "belum-ttd" / "Dinas A.xlsx").active
    assert ws["D7"].value == "StafUmum"


def test_characters_excel_cannot_store_are_removed_from_the_status_workbook_and_reported(tmp_path: Path) -> None:
    ani = EmployeeSchema().load({"name": "ANI", "nip": "198503152010011001", "unit": "Dinas A",
                                 "source": {"file": "r.csv", "row": 2}})
    ani.name = "AN\x00I"
    warnings: list[str] = []
    options = ExportOptions(as_of=dt.date(2024, 2, 12), warn=warnings.append)
    exporters = choose_exporters(make_plugin_manager().status_exporters(), ["status-xlsx"])
    run_exporters(exporters, reconcile([ani], []), tmp_path, options)
    assert warnings == [f"{tmp_path / 'status-ikrar.xlsx'}: characters Excel cannot store were removed from 1 cell(s)"]
    assert load_workbook(tmp_path / "status-ikrar.xlsx").active["B2"].value == "ANI"


def test_non_ascii_unit_names_and_paths_with_spaces_work(tmp_path: Path) -> None:
    unit = "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Jalan/Jembatan"
    roster, form = tmp_path / "daftar pegawai.csv", tmp_path / "form jawaban.csv"
    roster.write_text(f"NIP;NAMA;UNIT KERJA\n198503152010011001;ANI;{unit}\n", encoding="utf-8")
    form.write_text(FORM, encoding="utf-8")
    out = tmp_path / "laporan ikrar 2024"
    result = run(roster, form, out)
    assert "wrote" in result.stdout
    (path,) = (out / "belum-ttd").iterdir()
    assert path.name == "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Jalan-Jembatan.xlsx"
    assert load_workbook(path).active["B2"].value == unit


def _status_csv_by_definition(result) -> bytes:
    """status-ikrar.csv as its definition reads: csv.writer over csv_field of every value, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["nip", "nama", "unit", "status", "tanggal_ttd", "kanal", "bukti"])
    for index, person in enumerate(result.roster):
        match = result.matches.signed.get(index)
        when = channel = evidence = ""
        if match is not None:
            attestation = result.evidence[match.attestation]
            when = attestation.signed_at.isoformat() if attestation.signed_at else ""
            channel, evidence, status = attestation.channel.value, str(attestation.source), "sudah"
        else:
            status = "dikecualikan" if index in result.exempt else "belum"
        nip = person.nip_full or person.nip.written or ""
        values = (nip, person.name, person.unit or "", status, when, channel, evidence)
        writer.writerow([csv_field(value) for value in values])
    return out.getvalue().encode("utf-8-sig")


def test_status_file_is_byte_for_byte_its_definition_for_hostile_values(tmp_path: Path) -> None:
    people = [
        ("198501152010011001", '=HYPERLINK("http://x","y")', "Dinas A;B"),
        ("198502152010011001", 'SITI "ANI"', "+Dinas B"),
        ("198503152010011001", "BUDI", "@Dinas C"),
        ("198504152010011001", "CITRA; S.Pd.", None),
        ("1985051520100", "-DEWI", "Dinas A;B"),
        ("198506152010011001", "EKO", "Dinas\tD"),
        ("198507152010011001", "FAJAR", "Dinas E"),
        ("198508152010011001", "GITA", "Dinas E"),
        ("198509152010011001", "HADI", "Dinas E"),
        ("198510152010011001", "IRA", "Dinas E"),
    ]
    roster = [EmployeeSchema().load({"name": name, "nip": nip, "unit": unit, "source": {"file": "r.csv", "row": row}})
              for row, (nip, name, unit) in enumerate(people, 2)]
    roster[5].name = "EKO\nSAPUTRA"  # a reader of a vendor's may keep a line end
    sources = [
        {"file": "=cmd|' /C calc'!A0.csv", "row": 2},
        {"file": "jawaban.xlsx", "sheet": "Form Responses 1", "row": 7},
        {"file": "jawaban.xlsx", "sheet": "Form Responses 1", "row": 8},
        {"file": "+x.xlsx", "sheet": "=Sheet", "row": 3},
        {"file": "berkas; \"kutip\".csv", "row": 4},
        {"file": "manual.csv"},
        {"file": "jawaban.xlsx", "sheet": "-Lembar"},
        {"file": "later.csv", "row": 9},
    ]
    nips = ["198501152010011001", "198502152010011001", "198503152010011001", "198504152010011001",
            "198506152010011001", "198507152010011001", "198508152010011001", "198510152010011001"]
    evidence = [AttestationSchema().load({"channel": "form", "nip": nip, "signed_at": "2024-02-12 09:00:00",
                                          "source": source}) for nip, source in zip(nips, sources)]
    evidence[-1].source = Provenance("", None, 9)  # no file name: the text starts with the row
    evidence[1].signed_at = dt.date(2024, 2, 13)
    result = reconcile(roster, evidence, exempt=frozenset({8}))
    assert len(result.matches.signed) == 8
    exporters = choose_exporters(make_plugin_manager().status_exporters(), ["status-csv"])
    run_exporters(exporters, result, tmp_path, ExportOptions())
    written = (tmp_path / "status-ikrar.csv").read_bytes()
    assert written == _status_csv_by_definition(result)
    with open(tmp_path / "status-ikrar.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[1][6] == "'=cmd|' /C calc'!A0.csv, row 2" and rows[4][6] == "'+x.xlsx, sheet '=Sheet', row 3"
    assert rows[2][6] == "jawaban.xlsx, sheet 'Form Responses 1', row 7" and rows[2][4] == "2024-02-13"
    assert rows[6][1] == "EKO\nSAPUTRA" and rows[9][3] == "dikecualikan" and rows[10][6] == ", row 9"


@pytest.mark.parametrize("rows", [
    [("a", "b", "c"), ("", "", ""), ("Dinas A", "'=1", "x y")],
    [("a;b", "c"), ("plain", "row"), ('say "hi"', "x"), ("line\nend", "cr\r"), ("after", "all")],
    [("",), ("single",), (), ("a", "b")],
    [(f"row {i}", "Ω – é") for i in range(10_000)] + [("a;b", "c")] + [(f"row {i}", "x") for i in range(5)],
], ids=["plain", "quoted", "short", "many"])
def test_csv_rows_are_written_as_csv_writer_writes_them(rows: list[tuple[str, ...]]) -> None:
    expected, written = io.StringIO(), io.StringIO()
    csv.writer(expected, delimiter=";").writerows(rows)
    _write_csv_rows(written, rows)
    assert written.getvalue() == expected.getvalue()


def test_a_field_holding_nul_is_left_to_csv_writer() -> None:
    rows = [("a", "b"), ("nul\x00", "x"), ("c", "d")]
    expected, written = io.StringIO(), io.StringIO()
    try:
        csv.writer(expected, delimiter=";").writerows(rows)
    except csv.Error:  # Python 3.10 refuses a NUL it has no escape character for
        with pytest.raises(csv.Error):
            _write_csv_rows(written, rows)
    else:
        _write_csv_rows(written, rows)
        assert written.getvalue() == expected.getvalue()
