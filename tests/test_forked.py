"""Work in forked workers: the same results and errors as one process, in the same order."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asn_attest.errors import ConfigError, DataError
from asn_attest.export import ExportOptions, choose_exporters, run_exporters
from asn_attest.forked import RemoteTraceback, WorkerDied, can_fork, fork_map, worker_count
from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import RosterReader, StatusExporter
from asn_attest.tabular.output import OutputError
from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import ReadJob, read_jobs
from asn_attest.reconcile import reconcile
from asn_attest.records import EmployeeSchema
from asn_attest.roster import assemble_roster, roster_job

SAMPLES = Path(__file__).resolve().parent.parent / "sample_exports"

needs_fork = pytest.mark.skipif(not can_fork(), reason="workers are forked only on Linux")


def _no_children_left() -> bool:
    """Every worker was waited for: no child process, running or ended, is left."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _square(n: int) -> int:
    return n * n


@needs_fork
def test_results_come_back_in_order_from_every_worker() -> None:
    started: list[int] = []
    out = fork_map(lambda n: (n, os.getpid()), list(range(9)), workers=3, on_start=started.append)
    assert [n for n, _ in out] == list(range(9))
    assert started == list(range(9))
    pids = {pid for _, pid in out}
    assert os.getpid() not in pids and len(pids) == 9  # one worker per item, none of them this process
    assert _no_children_left()


@needs_fork
def test_the_item_named_here_is_done_by_this_process_and_keeps_its_place() -> None:
    started: list[int] = []
    out = fork_map(lambda n: (n, os.getpid()), list(range(6)), workers=2, on_start=started.append, here=3)
    assert [n for n, _ in out] == list(range(6))
    assert sorted(started) == list(range(6))
    assert [n for n, pid in out if pid == os.getpid()] == [3]  # the others in workers
    assert len({pid for _, pid in out}) == 6
    assert _no_children_left()


def _fail_at(failing: set[int]) -> Callable[[int], int]:
    def fn(n: int) -> int:
        if n in failing:
            raise DataError(f"item {n} is broken", file=f"{n}.xlsx")
        return n
    return fn


@needs_fork
@pytest.mark.parametrize(("failing", "here", "expected"), [
    ({0, 2}, 2, "0.xlsx: item 0 is broken"),  # a worker's earlier item wins over this process's
    ({0, 2}, 0, "0.xlsx: item 0 is broken"),
    ({1, 2}, 1, "1.xlsx: item 1 is broken"),  # this process's item wins over a later one
    ({3}, 0, "3.xlsx: item 3 is broken"),
])  # fmt: skip
def test_the_first_failing_item_in_order_wins_with_one_done_here(failing: set[int], here: int, expected: str) -> None:
    with pytest.raises(DataError, match=None) as caught:
        fork_map(_fail_at(failing), [0, 1, 2, 3], workers=2, here=here)
    assert str(caught.value) == expected
    assert _no_children_left()


def test_here_must_name_an_item() -> None:
    if can_fork():
        with pytest.raises(IndexError):
            fork_map(_square, [1, 2], workers=2, here=2)
    assert fork_map(_square, [1, 2], workers=1, here=1) == [1, 4]


def test_one_worker_runs_here_in_order() -> None:
    out = fork_map(lambda n: (n, os.getpid()), [1, 2, 3], workers=1)
    assert out == [(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]


def _fail_slowly_first(n: int) -> int:
    if n == 0:
        time.sleep(0.3)
        raise DataError("first file is broken", file="a.xlsx", sheet="Data", row=7)
    if n == 1:
        raise DataError("second file is broken", file="b.xlsx")
    return n


@needs_fork
def test_the_error_of_the_first_failing_item_is_raised_whatever_the_timing() -> None:
    with pytest.raises(DataError) as caught:
        fork_map(_fail_slowly_first, [0, 1, 2, 3], workers=2)
    error = caught.value
    assert str(error) == "a.xlsx, sheet 'Data', row 7: first file is broken"
    assert (error.location.file, error.location.sheet, error.location.row) == ("a.xlsx", "Data", 7)
    assert error.exit_code == 3
    assert isinstance(error.__cause__, RemoteTraceback)
    assert "_fail_slowly_first" in str(error.__cause__)  # the worker's traceback, as text
    assert _no_children_left()


def _die(n: int) -> int:
    if n == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


@needs_fork
def test_a_worker_that_dies_is_an_error_naming_its_item() -> None:
    with pytest.raises(WorkerDied, match=r"the worker for item-1 was killed by signal 9"):
        fork_map(_die, [0, 1, 2], workers=2, describe=lambda n: f"item-{n}")
    assert _no_children_left()


@needs_fork
def test_a_result_that_cannot_travel_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="could not send its result back: .*pickle"):
        fork_map(lambda n: (lambda: n), [0, 1], workers=2)


def test_worker_count_from_the_environment() -> None:
    assert worker_count({"ASN_ATTEST_WORKERS": "1"}) == 1
    assert worker_count({"ASN_ATTEST_WORKERS": "3"}) == (3 if can_fork() else 1)
    assert 1 <= worker_count({}) <= 4
    with pytest.raises(ConfigError, match="ASN_ATTEST_WORKERS='many' is not a whole number"):
        worker_count({"ASN_ATTEST_WORKERS": "many"})
    with pytest.raises(ConfigError, match="must be 1 or more"):
        worker_count({"ASN_ATTEST_WORKERS": "0"})


def _jobs(pm, signatures: list[Path]) -> list[ReadJob]:
    return [
        roster_job(pm, [SAMPLES / "roster"]),
        ReadJob(pm.attestation_readers(), signatures),
    ]


@needs_fork
def test_reading_in_workers_gives_what_reading_here_gives() -> None:
    pm = make_plugin_manager()
    jobs = _jobs(pm, [SAMPLES / "signatures"])
    here = read_jobs(jobs, workers=1)
    forked = read_jobs(jobs, workers=2)
    for one, other in zip(here, forked):
        assert one.records == other.records
        assert [s.to_json() for s in one.sheets] == [s.to_json() for s in other.sheets]
        assert one.problems == other.problems
    # records that travelled from one file share its equal strings, as records read here do
    first = forked[0].records[0]
    units = {id(e.unit) for e in forked[0].records if e.source.file == first.source.file and e.unit == first.unit}
    assert len([e for e in forked[0].records if e.source.file == first.source.file and e.unit == first.unit]) > 1
    assert len(units) == 1
    assert _no_children_left()


@needs_fork
def test_a_bad_file_among_good_ones_gives_the_same_error_in_workers(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    pm = make_plugin_manager()
    signatures = sorted((SAMPLES / "signatures").iterdir())[:3] + [bad]
    messages = []
    for workers in (1, 2):
        with pytest.raises(DataError) as caught:
            read_jobs(_jobs(pm, signatures), workers=workers)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith(str(bad))


@needs_fork
def test_reports_written_by_workers_are_the_files_written_here(tmp_path: Path) -> None:
    pm = make_plugin_manager()
    roster_read, evidence = read_jobs(_jobs(pm, [SAMPLES / "signatures"]), workers=1)
    result = reconcile(assemble_roster(roster_read).employees, evidence.records)
    options = ExportOptions(as_of=dt.date(2024, 1, 10), generated_at=dt.datetime(2024, 1, 10, 9, 0))
    exporters = choose_exporters(pm.status_exporters(), ("xlsx",))
    written = {}
    for workers in ("1", "2"):
        out = tmp_path / workers
        os.environ["ASN_ATTEST_WORKERS"] = workers
        try:
            paths = run_exporters(exporters, result, out, options)
        finally:
            del os.environ["ASN_ATTEST_WORKERS"]
        written[workers] = {p.relative_to(out): p.read_bytes() for p in paths}
    assert len(written["1"]) > 3
    assert written["1"] == written["2"]
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def _exporter(name: str, write: Callable[..., list[Path]]) -> StatusExporter:
    return StatusExporter(name=name, description=name, write=write)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_exporters_side_by_side_keep_their_order_their_warnings_and_their_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv("ASN_ATTEST_WORKERS", workers)
    result = reconcile([], [])

    def slow(result: Any, out: Path, options: ExportOptions) -> list[Path]:
        time.sleep(0.2)  # finishes last, is still reported first
        options.warn("slow: one")
        options.warn("slow: two")
        (out / "slow.txt").write_text("s")
        return [out / "slow.txt"]

    def quick(result: Any, out: Path, options: ExportOptions) -> list[Path]:
        options.warn("quick")
        (out / "quick.txt").write_text("q")
        return [out / "quick.txt"]

    def broken(result: Any, out: Path, options: ExportOptions) -> list[Path]:
        raise KeyError("unit")

    warned: list[str] = []
    options = ExportOptions(warn=warned.append)
    tmp_path.mkdir(exist_ok=True)
    paths = run_exporters([_exporter("slow", slow), _exporter("quick", quick)], result, tmp_path, options)
    assert [p.name for p in paths] == ["slow.txt", "quick.txt"]
    assert warned == ["slow: one", "slow: two", "quick"]
    with pytest.raises(OutputError, match=r"^exporter 'broken' failed: KeyError: 'unit' \(a bug in the exporter"):
        run_exporters([_exporter("quick", quick), _exporter("broken", broken)], result, tmp_path, options)
    assert _no_children_left()


class _NoProvenance:
    """A reader plugin whose records lost their provenance (a bug a vendor could make)."""

    @staticmethod
    @hookimpl
    def asn_attest_roster_readers():
        def read(sample, ctx):
            ctx.sheet_read(sheet=None, header_row=1, columns={"name": "Nama"})
            person = EmployeeSchema().load({"name": "Ani", "source": {"file": ctx.display_path, "row": 2}})
            person.source = None
            yield person

        yield RosterReader(name="lost", description="loses provenance", file_kinds=("csv",),
                           sniff=lambda sample: 0.9, read=read)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_record_without_provenance_is_an_error_naming_the_reader(tmp_path: Path, workers: int) -> None:
    files = []
    for name in ("a.csv", "b.csv"):
        files.append(tmp_path / name)
        files[-1].write_text("Nama\nAni\n", encoding="utf-8")
    pm = make_plugin_manager(load_entrypoints=False, plugins=[(_NoProvenance, "lost")])
    with pytest.raises(DataError) as caught:
        read_jobs([roster_job(pm, files)], workers=workers)
    assert str(caught.value) == (
        f"{files[0]}: reader 'lost' returned a record without its provenance "
        "(Employee; a bug in the reader; please report it)"
    )
