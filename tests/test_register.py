"""The campaign register: imports, hand entries, decisions, status, history, audit, upgrades."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
from pathlib import Path

import click.testing
import openpyxl
import pytest
from click.testing import CliRunner

from asn_attest.cli import AppContext, cli
from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import read_files
from asn_attest.register import codec
from asn_attest.register.sqlite import SCHEMA_VERSION, SQLiteStore
from asn_attest.roster import load_roster

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_exports"
V1 = ROOT / "tests" / "data" / "register_v1"
AS_OF = "2024-11-01"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
FORM_HEADER = "Timestamp,NIP (18 digit),Nama Lengkap,Unit Kerja,Saya menyatakan bersedia menjaga netralitas ASN dalam Pemilu 2024\n"


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager()


def run(*args: str, env: dict[str, str] | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), obj=AppContext(), env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A register with one campaign; ``ASN_ATTEST_DB`` points at it."""
    path = tmp_path / "register.db"
    monkeypatch.setenv("ASN_ATTEST_DB", str(path))
    monkeypatch.setenv("ASN_ATTEST_USER", "admin@bkpsdm")
    monkeypatch.delenv("ASN_ATTEST_CAMPAIGN", raising=False)
    ok("campaign", "create", "Pilkada 2024", "--due", "2024-11-20", "--pledge-version", "SKB 2022")
    return path


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names if n != "coverage_cache"}
    finally:
        conn.close()


def status_json(*extra: str) -> dict:
    return json.loads(ok("status", "--json", "--as-of", AS_OF, *extra))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------- codec


def test_codec_round_trips_every_sample_record(pm) -> None:
    roster = load_roster(pm, [SAMPLES / "roster"])
    evidence = read_files(pm.attestation_readers(), [SAMPLES / "signatures"])
    records = [*roster.employees, *evidence.records]
    assert len(records) > 2000
    kinds = set()
    for record in records:
        kind, text = codec.encode(record)
        kinds.add(kind)
        assert codec.decode(kind, text) == record
    assert kinds == {"employee", "attestation"}


def test_codec_keeps_date_versus_datetime_and_time_zones() -> None:
    import datetime as dt

    for value in (dt.date(2024, 2, 29), dt.datetime(2024, 2, 12, 7, 30, 14),
                  dt.datetime(2024, 2, 12, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), None, "x", 3):
        back = codec.decode_value(json.loads(json.dumps(codec.encode_value(value))))
        assert back == value and type(back) is type(value)


def test_codec_refuses_a_record_with_more_fields_than_this_version_knows() -> None:
    with pytest.raises(ValueError, match="this version knows"):
        codec.decode("exemption", json.dumps([None] * 50))


# ------------------------------------------------------------- status = reconcile


def test_status_json_equals_reconcile_json_on_the_same_files(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    ok("import", "signatures", str(SAMPLES / "signatures"))
    for by in ("opd", "sub-unit"):
        reconciled = ok("reconcile", "--roster", str(SAMPLES / "roster"), "--signatures", str(SAMPLES / "signatures"),
                        "--json", "--as-of", AS_OF, "--by", by)
        assert ok("status", "--json", "--as-of", AS_OF, "--by", by) == reconciled
    assert json.loads(reconciled)["totals"]["signed"] > 900


def test_status_writes_the_same_reports_as_reconcile(db: Path, tmp_path: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    ok("import", "signatures", str(SAMPLES / "signatures"))
    ok("status", "-o", str(tmp_path / "s"), "--as-of", AS_OF, "-q")
    ok("reconcile", "--roster", str(SAMPLES / "roster"), "--signatures", str(SAMPLES / "signatures"),
       "-o", str(tmp_path / "r"), "--as-of", AS_OF, "-q")
    written = sorted(p.relative_to(tmp_path / "s") for p in (tmp_path / "s").rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(tmp_path / "r") for p in (tmp_path / "r").rglob("*") if p.is_file())
    assert len(written) > 20
    for relative in written:
        mine, theirs = tmp_path / "s" / relative, tmp_path / "r" / relative
        if relative.suffix == ".csv":
            assert mine.read_bytes() == theirs.read_bytes()
            continue
        a, b = openpyxl.load_workbook(mine), openpyxl.load_workbook(theirs)
        assert a.sheetnames == b.sheetnames
        for sheet in a.sheetnames:
            rows_a = [r for r in a[sheet].iter_rows(values_only=True)]
            rows_b = [r for r in b[sheet].iter_rows(values_only=True)]
            # the generation time is the only cell allowed to differ
            differ = [(x, y) for ra, rb in zip(rows_a, rows_b) for x, y in zip(ra, rb) if x != y]
            assert len(rows_a) == len(rows_b)
            assert len(differ) <= 1, (relative, sheet, differ)
            assert all(TIMESTAMP.fullmatch(str(x)) and TIMESTAMP.fullmatch(str(y)) for x, y in differ), differ


# -------------------------------------------------------------- idempotent, atomic


def test_the_same_files_twice_add_nothing_and_say_so(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    ok("import", "signatures", str(SAMPLES / "signatures"))
    before, counts = table_counts(db), status_json()["totals"]
    again = ok("import", "signatures", str(SAMPLES / "signatures"))
    assert again.startswith("nothing new: 33 files already in the register")
    assert ok("import", "roster", str(SAMPLES / "roster")).startswith("nothing new: the current roster")
    assert table_counts(db) == before
    assert status_json()["totals"] == counts


def test_a_renamed_copy_is_the_same_file(db: Path, tmp_path: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    sheet = SAMPLES / "signatures" / "ttd_ikrar_dinas_kesehatan.xlsx"
    ok("import", "signatures", str(sheet))
    copy = shutil.copy(sheet, tmp_path / "salinan.xlsx")
    assert "nothing new: 1 file already in the register (import #3)" in ok("import", "signatures", str(copy))


def test_some_new_files_are_added_and_the_known_ones_named(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    first = SAMPLES / "signatures" / "ttd_ikrar_dinas_kesehatan.xlsx"
    second = SAMPLES / "signatures" / "ttd_ikrar_dinas_pertanian.xlsx"
    ok("import", "signatures", str(first))
    out = ok("import", "signatures", str(first), str(second))
    assert out.startswith("#4: 1 signature file, ")
    assert f"already in the register: {first} (import #3)" in out
    assert table_counts(db)["file"] == 8 + 2  # the roster's eight and the two sheets


def test_a_bad_file_among_good_ones_imports_nothing(db: Path, tmp_path: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    before = table_counts(db)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "signatures" / "ttd_ikrar_dinas_kesehatan.xlsx", folder / "a.xlsx")
    (folder / "b.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    result = run("import", "signatures", str(folder))
    assert result.exit_code == 3
    assert "b.xlsx" in result.output and "Traceback" not in result.output
    assert table_counts(db) == before


# ------------------------------------------------------------------- people move


def test_people_who_move_stay_signed_and_leavers_leave_the_counts(db: Path, tmp_path: Path) -> None:
    header = "NAMA;NIP BARU;NIK;SATKER;JABATAN\n"
    first = write(tmp_path / "roster1.csv", header + (
        "ANI LESTARI;199001012015012001;;Dinas Kesehatan;Perawat\n"
        "BUDI HARTONO;;3201010101900001;Dinas Kesehatan;Pramu Kantor\n"
        "CITRA DEWI;198502022010012002;;Dinas Pendidikan;Guru\n"
        "DEDI KURNIAWAN;;3201010101900002;Dinas Pendidikan;Sopir\n"
    ))
    # Ani and Budi move to Dinas Pendidikan; Citra retires
    second = write(tmp_path / "roster2.csv", header + (
        "ANI LESTARI;199001012015012001;;Dinas Pendidikan;Perawat\n"
        "BUDI HARTONO;;3201010101900001;Dinas Pendidikan;Pramu Kantor\n"
        "DEDI KURNIAWAN;;3201010101900002;Dinas Pendidikan;Sopir\n"
    ))
    signed = write(tmp_path / "form.csv", FORM_HEADER + (
        "12/02/2024 7:30:14,,Budi Hartono,DINAS KESEHATAN,Ya\n"
        "12/02/2024 7:31:14,199001012015012001,Ani Lestari,DINAS KESEHATAN,Ya\n"
        "12/02/2024 7:32:14,198502022010012002,Citra Dewi,DINAS PENDIDIKAN,Ya\n"
    ))
    ok("import", "roster", str(first))
    ok("import", "signatures", str(signed))
    assert status_json()["totals"]["signed"] == 3
    out = ok("import", "roster", str(second))
    assert "1 signature(s) kept for people whose unit changed" in out  # Budi: by name in his old unit
    now = status_json()
    units = {u["unit"]: u for u in now["units"]}
    assert set(units) == {"Dinas Pendidikan"}
    assert (units["Dinas Pendidikan"]["staff"], units["Dinas Pendidikan"]["signed"]) == (3, 2)
    assert [p["name"] for p in units["Dinas Pendidikan"]["unsigned_staff"]] == ["DEDI KURNIAWAN"]
    # Citra left the roster: her signature is kept in the register, now from no one on the roster
    assert [u["name"] for u in now["unmatched_signatures"]] == ["Citra Dewi"]
    assert table_counts(db)["record"] == 4 + 3 + 3
    # the move is in the audit trail, and a later roster keeps it
    assert "carried over" in json.dumps(json.loads(ok("audit", "--json")))
    ok("import", "roster", str(first))
    assert status_json()["totals"]["signed"] == 3


# --------------------------------------------------------------------- decisions


def _review_ids() -> list[dict]:
    return json.loads(ok("review", "--json"))["review"]


def test_review_decisions_are_remembered_and_superseded(db: Path, tmp_path: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    ok("import", "signatures", str(SAMPLES / "signatures"))
    before = status_json()
    items = _review_ids()
    single = next(i for i in items if len(i["candidates"]) == 1)
    out = ok("review", "confirm", str(single["id"]), "--note", "checked the paper sheet")
    assert f"#{single['id']}" in out and single["candidates"][0]["name"] in out
    after = status_json()
    assert after["totals"]["signed"] == before["totals"]["signed"] + 1
    assert len(after["review"]) == len(before["review"]) - 1
    assert single["id"] not in [i["id"] for i in _review_ids()]
    # a later decision supersedes the earlier one; both stay in the audit trail
    ok("review", "reject", str(single["id"]), "--note", "signed by a namesake")
    rejected = status_json()
    assert rejected["totals"]["signed"] == before["totals"]["signed"]
    assert any("rejected in review" in u["reason"] for u in rejected["unmatched_signatures"])
    kinds = [e["kind"] for e in json.loads(ok("audit", "--json"))["audit"]]
    assert kinds.count("review") == 2
    # decisions survive new imports
    stranger = write(tmp_path / "late.csv", FORM_HEADER + "12/02/2024 9:00:00,,Orang Asing,DINAS SOSIAL,Ya\n")
    ok("import", "signatures", str(stranger))
    assert status_json()["totals"] == rejected["totals"]


def test_confirm_needs_a_choice_among_several_candidates(db: Path, tmp_path: Path) -> None:
    roster = write(tmp_path / "roster.csv", "NAMA;NIP BARU;SATKER\n"
                   "SITI AMINAH;199001012015012001;Dinas Sosial\n"
                   "SITI AMINAH;198502022010012002;Dinas Sosial\n")
    form = write(tmp_path / "form.csv", FORM_HEADER + "12/02/2024 7:30:14,,Siti Aminah,DINAS SOSIAL,Ya\n")
    ok("import", "roster", str(roster))
    ok("import", "signatures", str(form))
    (item,) = _review_ids()
    assert [c["nip"] for c in item["candidates"]] == ["199001012015012001", "198502022010012002"]
    result = run("review", "confirm", str(item["id"]))
    assert result.exit_code == 2 and "--candidate" in result.output
    assert run("review", "confirm", str(item["id"]), "--candidate", "3").exit_code == 2
    ok("review", "confirm", str(item["id"]), "--candidate", "2")
    (unit,) = status_json()["units"]
    assert unit["signed"] == 1
    assert [p["nip"] for p in unit["unsigned_staff"]] == ["199001012015012001"]
    assert _review_ids() == []


def test_an_unknown_id_is_refused(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    result = run("review", "reject", "999999")
    assert result.exit_code == 6 and "#999999 is not a signature" in result.output


# ------------------------------------------------------------------- hand entries


def _first_unsigned() -> dict:
    return next(p for u in status_json()["units"] for p in u["unsigned_staff"] if p["nip"])


def test_hand_entered_signature_and_exemption(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    ok("import", "signatures", str(SAMPLES / "signatures"))
    before = status_json()["totals"]
    person = _first_unsigned()
    ok("sign", person["nip"], "--date", "2024-10-05", "--evidence", "ikrar kertas, arsip no. 12")
    after = status_json()["totals"]
    assert after["signed"] == before["signed"] + 1
    other = _first_unsigned()
    ok("exempt", other["nip"], "--reason", "cuti", "--until", "2024-12-31")
    assert status_json()["totals"]["exempt"] == before["exempt"] + 1
    # a later hand entry replaces the earlier one: the leave ended before the as-of date
    ok("exempt", other["nip"], "--reason", "cuti", "--until", "2024-10-15")
    assert status_json()["totals"]["exempt"] == before["exempt"]


def test_hand_entries_need_someone_on_the_roster(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    result = run("sign", "199001012015011999", "--date", "2024-10-05", "--evidence", "x")
    assert result.exit_code == 6 and "not on the current roster" in result.output
    result = run("sign", "12345", "--date", "2024-10-05", "--evidence", "x")
    assert result.exit_code == 2 and "not a valid NIP" in result.output


def test_withdrawn_file_stops_counting_and_stays_in_the_audit(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    sheet = SAMPLES / "signatures" / "ttd_ikrar_dinas_kesehatan.xlsx"
    ok("import", "signatures", str(sheet))
    signed = status_json()["totals"]["signed"]
    assert signed > 0
    ok("withdraw", str(sheet), "--reason", "sheet of another campaign")
    assert status_json()["totals"]["signed"] == 0
    assert run("withdraw", str(sheet), "--reason", "again").exit_code == 6
    audit = json.loads(ok("audit", "--json"))["audit"]
    assert audit[-1]["kind"] == "withdraw" and "another campaign" in audit[-1]["summary"]
    # as it was before the withdrawal
    assert status_json("--upto", str(audit[-2]["import"]))["totals"]["signed"] == signed


# -------------------------------------------------------------- history & audit


def test_history_has_one_row_per_import_and_is_remembered(db: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    signatures = sorted((SAMPLES / "signatures").glob("ttd_*.xlsx"))[:3]
    for sheet in signatures:
        ok("import", "signatures", str(sheet))
    rows = json.loads(ok("history", "--json"))["history"]
    assert [r["kind"] for r in rows] == ["roster"] + ["signatures"] * 3
    signed = [r["totals"]["signed"] for r in rows]
    assert signed[0] == 0 and signed == sorted(signed) and signed[-1] > signed[1] > 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM coverage_cache").fetchone()[0] == 4
    conn.close()
    assert json.loads(ok("history", "--json"))["history"] == rows
    text = ok("history", "--unit", "dinas kesehatan")
    assert len(text.splitlines()) == 5


def test_audit_csv_does_not_pass_formulas_on(db: Path, tmp_path: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"), env={"ASN_ATTEST_USER": "=HYPERLINK(\"http://x\")"})
    out = tmp_path / "audit.csv"
    ok("audit", "-o", str(out))
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    actors = {r[2] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in actors
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


# ---------------------------------------------------------------- register files


def test_no_register_is_a_clear_error(tmp_path: Path) -> None:
    result = run("status", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 6
    assert "no register here; create one with `asn-attest campaign create NAME`" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_a_register_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 5000)
    result = run("status", "--db", str(junk))
    assert result.exit_code == 6 and "not an asn-attest register" in result.output
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    result = run("campaign", "list", "--db", str(other))
    assert result.exit_code == 6 and "not an asn-attest register" in result.output


def test_a_register_from_a_newer_version_is_refused(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    result = run("campaign", "list")
    assert result.exit_code == 6 and "written by a newer asn-attest" in result.output


def test_campaigns_by_name(db: Path) -> None:
    assert run("campaign", "create", "pilkada  2024").exit_code == 6
    ok("campaign", "create", "Pemilu 2029")
    result = run("status")
    assert result.exit_code == 6 and "name one with --campaign" in result.output
    assert "Pemilu 2029" in ok("campaign", "list")
    ok("import", "roster", str(SAMPLES / "roster"), "--campaign", "pemilu 2029")
    assert status_json("--campaign", "Pemilu 2029")["totals"]["staff"] == 1200
    assert status_json("--campaign", "Pilkada 2024")["totals"]["staff"] == 0


def test_first_schema_register_is_upgraded_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "v1"
    shutil.copytree(V1, work)
    monkeypatch.chdir(work)
    monkeypatch.setenv("ASN_ATTEST_DB", str(work / "register.db"))
    before = table_counts(work / "register.db")
    assert SQLiteStore(work / "register.db").schema_version == SCHEMA_VERSION
    assert SCHEMA_VERSION > 1
    store = SQLiteStore(work / "register.db")
    assert store.integrity() == "ok"
    store.close()
    after = table_counts(work / "register.db")
    assert after.pop("meta") == before.pop("meta") + 1  # which version upgraded it
    assert after == before
    # the state after the signature import is what reconcile says of the same files
    reconciled = json.loads(ok("reconcile", "--roster", "inputs/roster", "--signatures", "inputs/signatures",
                               "--json", "--as-of", AS_OF))
    assert json.loads(ok("status", "--json", "--as-of", AS_OF, "--upto", "3")) == reconciled
    # and the hand entries made with the first schema still count
    now = status_json()["totals"]
    assert now["signed"] == reconciled["totals"]["signed"] + 1
    assert now["exempt"] == reconciled["totals"]["exempt"] + 1
    # the upgraded register takes new imports and keeps history
    ok("import", "signatures", str(SAMPLES / "signatures" / "respon_formulir_ikrar_netralitas.csv"))
    assert len(json.loads(ok("history", "--json"))["history"]) == 5


def test_returned_unsigned_workbooks_become_exemptions(db: Path, tmp_path: Path) -> None:
    ok("import", "roster", str(SAMPLES / "roster"))
    ok("import", "signatures", str(SAMPLES / "signatures"))
    ok("status", "-o", str(tmp_path / "out"), "--as-of", AS_OF, "-q")
    returned = shutil.copy(tmp_path / "out" / "belum-ttd" / "Dinas Pendidikan.xlsx", tmp_path / "kembali.xlsx")
    wb = openpyxl.load_workbook(returned)
    ws = wb.active
    filled = {}
    for row in range(7, ws.max_row + 1):
        if ws.cell(row=row, column=2).value and len(filled) < 3:
            filled[ws.cell(row=row, column=2).value] = ["cuti", "tugas belajar", "sudah tanda tangan"][len(filled)]
            ws.cell(row=row, column=7, value=filled[ws.cell(row=row, column=2).value])
    wb.save(returned)
    assert len(filled) == 3
    before = status_json()
    ok("import", "exemptions", str(returned))
    after = status_json()
    reconciled = json.loads(ok("reconcile", "--roster", str(SAMPLES / "roster"), "--signatures",
                               str(SAMPLES / "signatures"), "--exemptions", str(returned), "--json", "--as-of", AS_OF))
    assert after == reconciled
    assert after["totals"]["exempt"] == before["totals"]["exempt"] + 2
    assert len(after["claims"]) == len(before["claims"]) + 1
