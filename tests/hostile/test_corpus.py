"""Every file of the hostile corpus through the real command line, in a child process.

Whatever arrives, the tool answers within 20 seconds and 1 GB of memory: a refusal is
exit 3 and one line on stderr that names the file (and the sheet and row where they are
known), never a traceback, and a failed ``reconcile -o`` leaves no output behind; a file
that can be read is read, with the warnings it deserves, and nothing read from it
becomes a live formula, hyperlink or error in the reports.

Each child runs under a hard wall-clock limit (killed at 20 s) and an address-space cap
(3 GiB, a safety net for this machine); its peak resident memory, from ``wait4``, must
stay under 1 GB (less where a case says so).
"""

from __future__ import annotations

import csv
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from asn_attest.errors import DataError
from asn_attest.tabular import workbook
from asn_attest.tabular.kinds import sample_file
from asn_attest.tabular.workbook import open_workbook
from asn_attest.testing.checks import formulas_and_texts, texts_written
from tests.hostile import corpus
from tests.hostile.corpus import ROSTER, SIGNATURES, Case

TIMEOUT = 20.0
MEMORY_MB = 1024
ADDRESS_SPACE = 3 * 1024**3
EXCEL_CELL_MAX = 32_767


# --- running the command line -------------------------------------------------------------------


@dataclass
class Run:
    """One finished child: exit code, output, wall time, peak resident memory."""

    args: Sequence[str]
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float
    killed: bool


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_cli(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    """``python -m asn_attest ARGS`` with the limits above; waited for with ``wait4`` for
    its resource usage."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASN_ATTEST_")}
    environ.update(env or {})
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    with out_path.open("w+b") as out, err_path.open("w+b") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "asn_attest", *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            cwd=cwd, env=environ, preexec_fn=_limit_memory, start_new_session=True,
        )  # fmt: skip
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(child.pid, signal.SIGKILL)

        timer = threading.Timer(TIMEOUT, kill)
        start = time.monotonic()
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(
            args, child.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
            seconds, usage.ru_maxrss / 1024, killed.is_set(),
        )  # fmt: skip


def assert_bounded(run: Run, case: Case) -> None:
    """What holds for every run, whatever the file: in time, in memory, no traceback, no bug."""
    where = f"{case.name}: {' '.join(run.args)}"
    assert not run.killed and run.seconds < TIMEOUT, f"{where}: still running after {TIMEOUT:.0f} s"
    assert run.rss_mb < (case.max_rss_mb or MEMORY_MB), f"{where}: peak memory {run.rss_mb:.0f} MB"
    assert "Traceback" not in run.stderr + run.stdout, f"{where}:\n{run.stderr}"
    assert run.code in (0, 3), f"{where}: exit {run.code}\n{run.stderr}"
    if run.code:
        assert_one_line_naming(run, case.path)


def assert_one_line_naming(run: Run, path: Path) -> str:
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"error: {path}"), lines[0]
    return lines[0]


def assert_refused(run: Run, case: Case) -> None:
    assert run.code == case.exit_code, f"{case.name}: exit {run.code}\n{run.stderr}{run.stdout[-2000:]}"
    line = assert_one_line_naming(run, case.path)
    assert re.search(case.message, line), f"{case.name}: {line!r} does not match {case.message!r}"


# --- what a success reported --------------------------------------------------------------------


def problem_lines(problems: Sequence[Mapping[str, Any]], path: Path) -> list[str]:
    """Problems as ``sheet 'S', row N, column 'C': severity: message`` (no file), from the
    JSON of ``inspect`` (sheet, row) or of ``reconcile`` (source)."""
    lines = []
    for problem in problems:
        if "source" in problem:
            where = problem["source"].removeprefix(str(path)).removeprefix(", ")
            parts = [where] if where else []
        else:
            parts = [f"sheet '{problem['sheet']}'"] if problem["sheet"] is not None else []
            parts += [f"row {problem['row']}"] if problem["row"] is not None else []
        parts += [f"column '{problem['column']}'"] if problem["column"] else []
        lines.append(f"{', '.join(parts)}: {problem['severity']}: {problem['message']}")
    return lines


def assert_reported(lines: Sequence[str], case: Case) -> None:
    for pattern in case.warnings:
        assert any(re.search(pattern, line) for line in lines), f"{case.name}: no {pattern!r} in {lines}"
    for pattern in case.absent:
        assert not any(re.search(pattern, line) for line in lines), f"{case.name}: {pattern!r} in {lines}"


def live_cells(path: Path) -> list[str]:
    """Formulas, error cells and hyperlinks in the sheets of an xlsx we wrote (a chart's own
    references to its data are not cells)."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            body = archive.read(name)
            markers = (b"<f>", b"<f ", b' t="e"', b"<hyperlink") if name.startswith("xl/worksheets/") else ()
            if name.endswith(".rels"):
                markers = (b"/relationships/hyperlink",)
            found += [f"{path.name}:{name}: {m.decode()}" for m in markers if m in body]
    return found


def output_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


def assert_reports_are_inert(out: Path, case: Case) -> None:
    files = output_files(out)
    assert files, f"{case.name}: nothing written"
    read = {path: formulas_and_texts([path]) for path in files}  # each file read once
    assert [found for violations, _ in read.values() for found in violations] == []
    for path in files:
        if path.suffix == ".xlsx":
            assert live_cells(path) == []
    texts = [text for _, file_texts in read.values() for text in file_texts]
    assert not [t for t in texts if ILLEGAL_CHARACTERS_RE.search(t)], "characters Excel cannot store"
    assert max(len(t) for t in texts) <= EXCEL_CELL_MAX
    xlsx_texts = [text for path, (_, file_texts) in read.items() if path.suffix == ".xlsx" for text in file_texts]
    for expected in case.expect_text:
        assert any(expected in text for text in xlsx_texts), f"{case.name}: {expected!r} not in the workbooks"


# --- the corpus ---------------------------------------------------------------------------------


@dataclass
class Corpus:
    cases: dict[str, Case]
    roster: Path
    sign_sheet: Path
    work: Path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("hostile")
    cases = corpus.write_corpus(folder / "files")
    return Corpus(cases, corpus.valid_roster(folder), corpus.valid_sign_sheet(folder), folder / "runs")


#: Cases refused before any reader sees the file: reconciled in the other role too.
ANY_ROLE = (
    "empty_file", "random_bytes", "truncated_half", "truncated_last_bytes", "missing_workbook_xml",
    "zip_without_workbook", "password_protected", "spreadsheetml_named_xls", "spreadsheetml_named_xlsx",
    "billion_laughs_in_shared_strings", "billion_laughs_in_sheet", "quadratic_blowup_in_shared_strings",
    "quadratic_blowup_in_sheet", "external_entity_in_sheet", "external_entity_in_workbook",
    "external_entity_in_shared_strings", "huge_shared_string", "row_numbered_beyond_excel", "wide_row",
    "cell_beyond_excel_in_a_narrow_sheet", "row_of_six_large_cells", "part_beyond_the_unzipped_limit",
    "row_tags_never_closed",
)  # fmt: skip

INSPECT, OWN_ROLE, OTHER_ROLE = "inspect", "reconcile", "reconcile in the other role"


def _run(hostile: Corpus, kind: str, case_id: str) -> tuple[Run, Path]:
    case = hostile.cases[case_id]
    work = hostile.work / f"{case_id} {kind}"
    work.mkdir(parents=True)
    out = work / "laporan"
    if kind == INSPECT:
        return run_cli("inspect", "--json", str(case.path), cwd=work, env=case.env), out
    role = case.role if kind == OWN_ROLE else (SIGNATURES if case.role == ROSTER else ROSTER)
    roster, signatures = (case.path, hostile.sign_sheet) if role == ROSTER else (hostile.roster, case.path)
    run = run_cli(
        "reconcile", "--roster", str(roster), "--signatures", str(signatures), "-o", str(out), "--json",
        cwd=work, env=case.env,
    )  # fmt: skip
    return run, out


@pytest.fixture(scope="module")
def runs(hostile: Corpus) -> dict[tuple[str, str], tuple[Run, Path]]:
    """Every run of the corpus, two at a time (the machine's cores; each child is ~0.6 s of
    interpreter start): ``inspect`` and ``reconcile`` for every file, the other role too for
    the files refused before any reader."""
    jobs = [(kind, case_id) for case_id in corpus.CASE_IDS for kind in (INSPECT, OWN_ROLE)]
    jobs += [(OTHER_ROLE, case_id) for case_id in ANY_ROLE]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda job: _run(hostile, *job), jobs)
        return dict(zip(jobs, done))


def test_the_cases_refused_before_any_reader_are_listed(hostile: Corpus) -> None:
    assert set(ANY_ROLE) == {case_id for case_id, case in hostile.cases.items() if case.any_role}


@pytest.mark.parametrize("case_id", corpus.CASE_IDS)
def test_inspect(hostile: Corpus, runs: dict[tuple[str, str], tuple[Run, Path]], case_id: str) -> None:
    """A roster export gives exactly its outcome; any other file ends bounded and clean."""
    case = hostile.cases[case_id]
    run, _ = runs[INSPECT, case_id]
    assert_bounded(run, case)
    if case.role != ROSTER and not case.any_role:
        return
    if not case.succeeds:
        assert_refused(run, case)
        return
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["records"] == case.people
    assert_reported(problem_lines([p for f in report["files"] for p in f["problems"]], case.path), case)


@pytest.mark.parametrize("case_id", corpus.CASE_IDS)
def test_reconcile(hostile: Corpus, runs: dict[tuple[str, str], tuple[Run, Path]], case_id: str) -> None:
    """In its own role: exactly its outcome; a refusal writes nothing; reports stay inert."""
    case = hostile.cases[case_id]
    run, out = runs[OWN_ROLE, case_id]
    assert_bounded(run, case)
    if not case.succeeds:
        assert_refused(run, case)
        assert not out.exists(), f"{case.name}: a failed run left {output_files(out)}"
        return
    assert run.code == 0, run.stderr
    result = json.loads(run.stdout)
    if case.role == ROSTER:
        assert result["totals"]["staff"] == case.people
    else:
        assert result["totals"]["signed"] == case.signed
    assert_reported(problem_lines(result["problems"], case.path), case)
    assert_reports_are_inert(out, case)
    if case.signed_on is not None:
        with (out / "status-ikrar.csv").open(encoding="utf-8-sig", newline="") as fh:
            dates = {row["tanggal_ttd"][:10] for row in csv.DictReader(fh, delimiter=";") if row["status"] == "sudah"}
        assert dates == {case.signed_on}


@pytest.mark.parametrize("case_id", ANY_ROLE)
def test_reconcile_in_the_other_role(
    hostile: Corpus, runs: dict[tuple[str, str], tuple[Run, Path]], case_id: str
) -> None:
    """A file refused before any reader sees it is refused with the same words in either role."""
    case = hostile.cases[case_id]
    run, out = runs[OTHER_ROLE, case_id]
    assert_bounded(run, case)
    assert_refused(run, case)
    assert not out.exists(), f"{case.name}: a failed run left {output_files(out)}"


def test_the_corpus_covers_every_class_of_the_promise() -> None:
    """Each class of broken or hostile input has its cases (a guard against losing some)."""
    ids = set(corpus.CASE_IDS)
    assert {"empty_file", "random_bytes", "truncated_half", "truncated_last_bytes", "corrupt_deflate",
            "missing_workbook_xml", "password_protected", "xls_named_xlsx", "html_named_xls",
            "spreadsheetml_named_xls", "csv_named_xlsx", "macros_and_odd_members"} <= ids
    assert {"billion_laughs_in_shared_strings", "billion_laughs_in_sheet", "quadratic_blowup_in_shared_strings",
            "quadratic_blowup_in_sheet", "external_entity_in_sheet"} <= ids
    assert {"huge_shared_string", "million_rows", "million_rows_beyond_the_limit", "stray_cell_at_xfd1048576",
            "dimension_claims_too_little", "dimension_claims_far_too_much"} <= ids
    assert {"formula_with_cached_value", "formula_without_cached_value", "error_values", "date_as_serial_number",
            "date_in_a_1904_workbook", "control_characters_and_nul", "40000_character_cell",
            "numbers_where_text_belongs", "full_width_and_arabic_indic_digits", "zero_width_characters_and_boms",
            "merged_cells", "hidden_rows", "hidden_sheet"} <= ids
    assert {"csv_utf8_with_bom", "csv_windows_1252", "csv_utf16_with_tabs", "csv_semicolons", "csv_cr_line_ends",
            "csv_unbalanced_quote", "csv_field_beyond_the_csv_module_limit", "csv_nul_bytes",
            "csv_formula_payloads"} <= ids
    assert {"unit_names_that_are_not_file_names", "formula_payloads_as_signatures"} <= ids
    assert {"cell_beyond_excel_in_a_narrow_sheet", "row_of_six_large_cells", "part_beyond_the_unzipped_limit",
            "row_tags_never_closed", "huge_vertical_merges"} <= ids


#: xlsx files refused for a bound: python-calamine or openpyxl, the same words.
XLSX_BOUNDS = (
    "huge_shared_string", "row_numbered_beyond_excel", "wide_row", "cell_beyond_excel_in_a_narrow_sheet",
    "row_of_six_large_cells", "part_beyond_the_unzipped_limit", "row_tags_never_closed",
)  # fmt: skip


@pytest.mark.parametrize("case_id", XLSX_BOUNDS)
def test_xlsx_bounds_are_refused_alike_by_either_xlsx_reader(
    hostile: Corpus, runs: dict[tuple[str, str], tuple[Run, Path]], case_id: str
) -> None:
    case = hostile.cases[case_id]
    by_default, _ = runs[INSPECT, case_id]
    work = hostile.work / f"{case_id} openpyxl"
    work.mkdir(parents=True)
    env = {**case.env, "ASN_ATTEST_XLSX_READER": "openpyxl"}
    by_openpyxl = run_cli("inspect", "--json", str(case.path), cwd=work, env=env)
    assert_bounded(by_openpyxl, case)
    assert_refused(by_openpyxl, case)
    assert by_openpyxl.stderr == by_default.stderr


def test_odd_zip_members_leave_the_sheets_to_python_calamine(hostile: Corpus) -> None:
    """The image of zeros passes the bound on a text before any sheetData: it is passed over,
    and the workbook is not left to openpyxl for it (the reader is not in any report)."""
    backend = workbook._CalamineXlsxBackend(sample_file(hostile.cases["macros_and_odd_members"].path))
    try:
        assert [scan.exact for scan in backend._scans] == [True]
    finally:
        backend.close()


def test_a_bad_unzipped_limit_stops_the_run_before_any_file_is_read(tmp_path: Path) -> None:
    roster = corpus.write(tmp_path, "pegawai.csv", corpus.csv_text(corpus.roster_rows()))
    for args in (("inspect", str(roster)), ("reconcile", "--roster", str(roster), "--signatures", str(roster))):
        run = run_cli(*args, cwd=tmp_path, env={"ASN_ATTEST_MAX_UNZIPPED_MB": "1.5"})
        assert run.code == 2
        assert run.stderr.strip() == "error: ASN_ATTEST_MAX_UNZIPPED_MB='1.5' is not a whole number of MB"


# --- XML attacks, in this process ---------------------------------------------------------------

XML_ATTACKS = [
    "billion_laughs_in_shared_strings", "billion_laughs_in_sheet", "quadratic_blowup_in_shared_strings",
    "quadratic_blowup_in_sheet", "external_entity_in_sheet", "external_entity_in_workbook",
    "external_entity_in_shared_strings",
]  # fmt: skip


@pytest.mark.parametrize("case_id", XML_ATTACKS)
def test_xml_attacks_are_refused_within_a_second_with_flat_memory(hostile: Corpus, case_id: str) -> None:
    """Measured in CPU time of this process (robust on a loaded machine): the refusal comes
    at the entity declaration, before anything expands (about 20 ms; the bound is 1 s)."""
    case = hostile.cases[case_id]
    assert case.xml_attack
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(DataError) as caught, open_workbook(case.path) as book:
            for sheet in book.sheets:
                list(sheet.rows())
    finally:
        seconds = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert seconds < 1.0
    assert peak < 32 * 1024 * 1024
    assert corpus.SECRET not in str(caught.value)
    assert re.search(case.message, f"{case.path}" + str(caught.value).removeprefix(str(case.path)))


def test_the_tool_refuses_to_start_when_openpyxl_would_not_use_defusedxml(hostile: Corpus, tmp_path: Path) -> None:
    code = (
        "import sys, openpyxl.xml; openpyxl.xml.DEFUSEDXML = False\n"
        "from asn_attest.cli import main; sys.argv = ['asn-attest', 'inspect', sys.argv[1]]; main()"
    )
    run = subprocess.run([sys.executable, "-c", code, str(hostile.roster)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.startswith("error: openpyxl is not using defusedxml") and len(run.stderr.splitlines()) == 1


def test_defusedxml_is_a_hard_dependency() -> None:
    setup = Path(__file__).resolve().parents[2] / "setup.cfg"
    requires = setup.read_text(encoding="utf-8").split("install_requires =", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"^\s+defusedxml>=", requires, re.MULTILINE)


# --- output side --------------------------------------------------------------------------------

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def test_unit_names_become_valid_distinct_file_names(
    hostile: Corpus, runs: dict[tuple[str, str], tuple[Run, Path]]
) -> None:
    """Every unit gets its own file, named validly on Windows and Linux, holding its own name."""
    run, out = runs[OWN_ROLE, "unit_names_that_are_not_file_names"]
    assert run.code == 0, run.stderr
    files = sorted((out / "belum-ttd").iterdir())
    assert len(files) == len(corpus.HOSTILE_UNITS)
    stems = [f.name.removesuffix(".xlsx") for f in files]
    assert len({stem.casefold() for stem in stems}) == len(stems)
    for stem in stems:
        assert not _NOT_IN_FILE_NAMES.search(stem) and stem == stem.strip(" .") and len(stem) <= 100, stem
        assert stem.casefold() not in ("con", "prn", "aux", "nul"), stem
    units = set()
    for path in files:
        texts = set(texts_written([path]))
        units |= {unit for unit in corpus.HOSTILE_UNITS if any(unit in text for text in texts)}
    assert units == set(corpus.HOSTILE_UNITS)


def _big_roster(folder: Path) -> tuple[Path, Path]:
    """2,400 people in 40 units, a fifth of them signed: a run that writes 41 workbooks."""
    people = [
        (f"1985{(n % 12) + 1:02d}{(n % 28) + 1:02d}2010{(n % 12) + 1:02d}1{n % 999 + 1:03d}", f"PEGAWAI {n:04d}",
         f"Dinas Nomor {n % 40:02d}")
        for n in range(2400)
    ]  # fmt: skip
    roster = corpus.write(folder, "roster_besar.xlsx", corpus.openpyxl_bytes(corpus.roster_rows(people)))
    rows = [list(corpus.SIGN_HEADER)] + [[n, nip, name, unit, None, "1."] for n, (nip, name, unit) in enumerate(people[::5])]
    return roster, corpus.write(folder, "ttd_besar.xlsx", corpus.openpyxl_bytes(rows, title="TTD"))


def _complete(path: Path) -> bool:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                return False
        openpyxl.load_workbook(path, read_only=True).close()
    else:
        path.read_text(encoding="utf-8-sig")
    return True


def test_a_run_killed_while_writing_leaves_no_half_written_report(tmp_path: Path) -> None:
    """Killed at the moment its first temporary file appears, a run leaves every report either
    as the previous run wrote it or complete; what it was writing stays a hidden .tmp file."""
    roster, signatures = _big_roster(tmp_path)
    out = tmp_path / "laporan"
    args = ["reconcile", "--roster", str(roster), "--signatures", str(signatures), "-o", str(out), "-q"]
    first = run_cli(*args, cwd=tmp_path)
    assert first.code == 0, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in output_files(out)}
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASN_ATTEST_")}
    child = subprocess.Popen([sys.executable, "-m", "asn_attest", *args], cwd=tmp_path, env=environ,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + TIMEOUT
    caught = False
    while child.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith(".tmp") for p in out.rglob(".*")):
            child.kill()
            caught = True
            break
        time.sleep(0.001)
    child.wait(timeout=TIMEOUT)
    assert caught, "the run ended before a temporary file was seen"
    after = output_files(out)
    assert {p.relative_to(out) for p in after} == set(before)
    for path in after:
        assert path.read_bytes() == before[path.relative_to(out)] or _complete(path), path
    leftovers = [p for p in out.rglob("*") if p.is_file() and p not in after]
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in leftovers), leftovers
