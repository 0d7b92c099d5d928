"""Benchmark: asn-attest reconcile end to end against the pandas script an HR admin would write.

Usage: python bench/run.py [--sizes 10k,100k] [--repeat 3] [--contenders NAME,...]
                           [--data-dir DIR] [--results-dir DIR] [--timeout SECONDS]

For each size, the data come from bench/generate.py (made once, then cached). Each
contender first runs once, untimed, on 1,000 people. Then each round runs every
contender once, as a separate process, in an order that rotates from round to round,
since machines are noisy; every run writes into a fresh output folder.
Wall time is measured around the child process and its peak RSS is the child's own
``ru_maxrss``, from ``os.wait4``. The table gives the median, min and max wall time,
the highest peak RSS, seconds per 10,000 people and the coverage each contender found,
then the ratios asn-attest / peer with the targets passed or failed. Results go to
``bench/results/results-<UTC time>.json`` and ``bench/results/latest.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from generate import DEFAULT_DATA_DIR, Dataset, ensure_dataset, parse_sizes, size_label

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_RESULTS_DIR = BENCH_DIR / "results"
PEER_SCRIPT = BENCH_DIR / "pandas_peer.py"
DEFAULT_SIZES = "10k,100k"
DEFAULT_REPEAT = 3
DEFAULT_TIMEOUT = 3600.0
#: The contender the ratios and targets are about.
SUBJECT = "asn-attest"
#: Packages whose versions the results record.
PACKAGES = ("asn-attest", "click", "openpyxl", "defusedxml", "rapidfuzz", "pandas", "numpy", "python-calamine",
            "xlsxwriter", "lxml")
#: Size of the dataset each contender runs once, untimed, before the rounds: the first run
#: after an install or an edit compiles bytecode and loads modules from disk.
WARMUP_SIZE = 1000
#: ru_maxrss is in KiB on Linux, in bytes on macOS.
_RSS_BYTES = 1 if sys.platform == "darwin" else 1024
_MIB = 1024 * 1024
#: "TOTAL <staff> <signed> ... <coverage>%": the last line of the table every contender prints.
_TOTAL_LINE = re.compile(r"^TOTAL\s+(\d+)\s+(\d+)\b.*?(\d+(?:\.\d+)?)%\s*$", re.MULTILINE)


# --------------------------------------------------------------------------- contenders

#: Builds a command line from the dataset and the run's fresh output folder.
CommandLine = Callable[[Dataset, Path], list[str]]


@dataclass(frozen=True)
class Contender:
    """One program under test: ``command`` is timed; ``setup``, if any, runs untimed just before it.

    Every contender prints a ``TOTAL <staff> <signed> ... <coverage>%`` line, which the
    results record as a check that it did the job.
    """

    name: str
    description: str
    command: CommandLine
    setup: CommandLine | None = None


def _asn_attest() -> list[str]:
    """The installed console script next to this interpreter."""
    script = Path(sys.executable).with_name("asn-attest")
    if not script.exists():
        raise SystemExit(f"{script} not found: install the package first (pip install -e '.[bench]')")
    return [str(script)]


def _reconcile(data: Dataset, out: Path) -> list[str]:
    return [*_asn_attest(), "reconcile", "--roster", str(data.roster), "--signatures", str(data.responses_file),
            "-o", str(out)]


#: the campaign register of the ``status`` contender, in the run's working folder
REGISTER = "register.db"


def _register_setup(data: Dataset, out: Path) -> list[str]:
    """Untimed: a register holding the roster and the responses, as a campaign would."""
    tool = shlex.join(_asn_attest())
    steps = [
        f"{tool} campaign create Bench --db {REGISTER}",
        f"{tool} import roster {shlex.quote(str(data.roster))} --db {REGISTER}",
        f"{tool} import signatures {shlex.quote(str(data.responses_file))} --db {REGISTER}",
    ]
    return ["sh", "-c", " && ".join(steps)]


def _status(data: Dataset, out: Path) -> list[str]:
    return [*_asn_attest(), "status", "--db", REGISTER, "-o", str(out)]


def _pandas_peer(engine: str) -> CommandLine:
    def command(data: Dataset, out: Path) -> list[str]:
        return [sys.executable, str(PEER_SCRIPT), "--roster", str(data.roster), "--responses",
                str(data.responses_file), "--out", str(out), "--engine", engine]
    return command


CONTENDERS = (
    Contender(SUBJECT, "asn-attest reconcile --roster R --signatures S -o OUT (every default report)", _reconcile),
    Contender("asn-attest-status", "asn-attest status -o OUT on a register holding the same files (every default "
              "report; the imports are untimed setup)", _status, _register_setup),
    Contender("pandas-default", "pandas script (bench/pandas_peer.py), read_excel with openpyxl",
              _pandas_peer("default")),
    Contender("pandas-calamine", "pandas script (bench/pandas_peer.py), read_excel with python-calamine",
              _pandas_peer("calamine")),
)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class TimeTarget:
    """At ``size``, the subject's median wall time is at most ``max_ratio`` times the peer's."""

    size: int
    peer: str
    max_ratio: float

    def check(self, result: SizeResult) -> dict[str, object] | None:
        ratio = result.ratio(self.peer)
        if result.size != self.size or ratio is None:
            return None
        return {"target": f"{size_label(self.size)}: {SUBJECT} <= {self.max_ratio:g}x {self.peer} (median wall)",
                "measured": f"{ratio:.2f}x", "passed": ratio <= self.max_ratio}


@dataclass(frozen=True)
class MemoryTarget:
    """At ``size``, the subject's peak RSS stays under ``max_mib``."""

    size: int
    max_mib: float

    def check(self, result: SizeResult) -> dict[str, object] | None:
        stats = result.stats.get(SUBJECT)
        if result.size != self.size or stats is None:
            return None
        return {"target": f"{size_label(self.size)}: {SUBJECT} peak RSS < {self.max_mib:,.0f} MiB (1 GiB)",
                "measured": f"{stats.peak_rss_mib:,.0f} MiB", "passed": stats.peak_rss_mib < self.max_mib}


TARGETS = (
    TimeTarget(100_000, "pandas-default", 0.3),
    TimeTarget(100_000, "pandas-calamine", 1.0),
    MemoryTarget(300_000, 1024.0),
)


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One timed run of one contender."""

    contender: str
    round: int
    wall_s: float
    user_s: float
    system_s: float
    peak_rss_mib: float
    exit_code: int
    files_written: int
    staff: int | None = None
    signed: int | None = None
    coverage_pct: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


@dataclass
class Stats:
    """A contender's successful runs at one size."""

    runs: int
    median_s: float
    min_s: float
    max_s: float
    peak_rss_mib: float
    s_per_10k: float
    coverage_pct: float | None


@dataclass
class SizeResult:
    """Every run at one size, and each contender's figures."""

    size: int
    dataset: dict[str, object]
    runs: list[Run] = field(default_factory=list)
    stats: dict[str, Stats] = field(default_factory=dict)

    def ratio(self, peer: str) -> float | None:
        """The subject's median wall time over the peer's."""
        if SUBJECT not in self.stats or peer not in self.stats:
            return None
        return self.stats[SUBJECT].median_s / self.stats[peer].median_s

    def paired_ratios(self, peer: str) -> list[float]:
        """Subject / peer in each round where both succeeded."""
        by_round: dict[int, dict[str, float]] = {}
        for run in self.runs:
            if run.ok:
                by_round.setdefault(run.round, {})[run.contender] = run.wall_s
        return [times[SUBJECT] / times[peer] for times in by_round.values() if SUBJECT in times and peer in times]


def measure(contender: Contender, data: Dataset, work_dir: Path, round_no: int, timeout: float) -> Run:
    """Run ``contender`` once on ``data`` in the fresh ``work_dir``; its output folder is ``work_dir/out``."""
    out = work_dir / "out"
    work_dir.mkdir(parents=True)
    if contender.setup is not None:
        subprocess.run(contender.setup(data, out), cwd=work_dir, check=True, capture_output=True)
    stdout_path, stderr_path = work_dir / "stdout.txt", work_dir / "stderr.txt"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(contender.command(data, out), cwd=work_dir, stdout=stdout, stderr=stderr)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    run = Run(contender.name, round_no, wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss * _RSS_BYTES / _MIB,
              process.returncode, sum(1 for p in out.rglob("*") if p.is_file()) if out.exists() else 0)
    total = _TOTAL_LINE.search(stdout_path.read_text(encoding="utf-8", errors="replace"))
    if total:
        run.staff, run.signed, run.coverage_pct = int(total.group(1)), int(total.group(2)), float(total.group(3))
    if run.exit_code == -signal.SIGKILL and wall >= timeout:
        run.error = f"killed after the {timeout:.0f} s timeout"
    elif not run.ok:
        tail = stderr_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        run.error = "\n".join(tail) or f"exit code {run.exit_code}"
    return run


def summarise(runs: Sequence[Run], size: int) -> Stats | None:
    ok = [r for r in runs if r.ok]
    if not ok:
        return None
    walls = [r.wall_s for r in ok]
    median = statistics.median(walls)
    return Stats(len(ok), median, min(walls), max(walls), max(r.peak_rss_mib for r in ok), median / (size / 10_000),
                 ok[-1].coverage_pct)


def _warm_page_cache(data: Dataset) -> None:
    """Read the inputs once, so that the first run does not pay for the disk alone."""
    for path in (data.roster, data.responses_file):
        with path.open("rb") as fh:
            while fh.read(1 << 20):
                pass


def warm_up(contenders: Sequence[Contender], data_dir: Path, scratch: Path, timeout: float) -> None:
    """Run each contender once on a small dataset, untimed; a failure here is reported, not fatal."""
    data = ensure_dataset(WARMUP_SIZE, data_dir)
    for contender in contenders:
        run = measure(contender, data, scratch / f"warm-up-{contender.name}", 0, timeout)
        shutil.rmtree(scratch / f"warm-up-{contender.name}")
        print(f"  warm-up {contender.name:<16} {run.wall_s:8.2f} s  {'ok' if run.ok else 'FAILED'}", flush=True)
        if run.error:
            print("    " + run.error.replace("\n", "\n    "), flush=True)


def bench_size(data: Dataset, contenders: Sequence[Contender], repeat: int, scratch: Path,
               timeout: float) -> SizeResult:
    result = SizeResult(data.size, data.to_json())
    _warm_page_cache(data)
    for round_no in range(1, repeat + 1):
        shift = (round_no - 1) % len(contenders)
        for contender in [*contenders[shift:], *contenders[:shift]]:
            work_dir = scratch / f"{data.label}-{contender.name}-{round_no}"
            run = measure(contender, data, work_dir, round_no, timeout)
            shutil.rmtree(work_dir)
            result.runs.append(run)
            status = "ok" if run.ok else f"FAILED (exit {run.exit_code})"
            coverage = f", {run.coverage_pct:.1f}% signed" if run.coverage_pct is not None else ""
            print(f"  {data.label} round {round_no}/{repeat} {contender.name:<16} {run.wall_s:8.2f} s "
                  f"{run.peak_rss_mib:7.0f} MiB  {status}{coverage}", flush=True)
            if run.error:
                print("    " + run.error.replace("\n", "\n    "), flush=True)
    for contender in contenders:
        stats = summarise([r for r in result.runs if r.contender == contender.name], data.size)
        if stats is not None:
            result.stats[contender.name] = stats
    return result


# --------------------------------------------------------------------------- reporting


def load_average() -> float | None:
    """The 1-minute load average: above 1 means other processes competed with the runs."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


#: a pure-Python loop of a few seconds: long enough that a host which lends a second core
#: only in short bursts shows it
_SPIN = "import time; t = time.perf_counter(); x = 0\nfor i in range(40_000_000): x += i\nprint(time.perf_counter() - t)"


def parallel_capacity() -> float | None:
    """How many cores' worth of sustained work the machine gives two CPU-bound processes:
    2.0 when each runs as fast as alone, 1.0 when they share one core's worth (a busy or
    throttled host). asn-attest reads and writes in worker processes; pandas uses one."""
    try:
        alone = float(subprocess.run([sys.executable, "-c", _SPIN], capture_output=True, text=True, check=True).stdout)
        pair = [subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True) for _ in range(2)]
        both = max(float(proc.communicate()[0]) for proc in pair)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None
    return round(2 * alone / both, 2)


def machine_info() -> dict[str, object]:
    cpu_model = None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(errors="replace"), re.MULTILINE)
        cpu_model = found.group(1).strip() if found else None
    try:
        memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        memory_gib = None
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"cpu_count": os.cpu_count(), "cpu_model": cpu_model or platform.processor() or None,
            "memory_gib": memory_gib, "platform": platform.platform(),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "python_executable": sys.executable, "packages": versions}


def _table_rows(results: Sequence[SizeResult]) -> list[list[str]]:
    rows = []
    for result in results:
        for name, stats in result.stats.items():
            ratio = None if name == SUBJECT else result.ratio(name)
            rows.append([size_label(result.size), name, str(stats.runs), f"{stats.median_s:.2f}",
                         f"{stats.min_s:.2f}", f"{stats.max_s:.2f}", f"{stats.peak_rss_mib:,.0f}",
                         f"{stats.s_per_10k:.2f}",
                         "-" if stats.coverage_pct is None else f"{stats.coverage_pct:.1f}%",
                         "" if ratio is None else f"{ratio:.2f}x"])
        for run in result.runs:
            if not run.ok:
                rows.append([size_label(result.size), run.contender, f"round {run.round}", "failed", "", "", "", "",
                             "", f"exit {run.exit_code}"])
    return rows


TABLE_HEADER = ["size", "contender", "runs", "median s", "min s", "max s", "peak RSS MiB", "s per 10k",
                "signed found", f"{SUBJECT} / this"]


def scaling(results: Sequence[SizeResult]) -> list[str]:
    """Seconds per 10,000 more people between consecutive sizes, per contender."""
    lines = []
    ordered = sorted(results, key=lambda r: r.size)
    for small, large in zip(ordered, ordered[1:]):
        for name in large.stats:
            if name in small.stats:
                added = (large.size - small.size) / 10_000
                slope = (large.stats[name].median_s - small.stats[name].median_s) / added
                lines.append(f"{name}: {slope:.2f} s per 10k more people from {size_label(small.size)} "
                             f"to {size_label(large.size)}")
    return lines


def ratio_lines(results: Sequence[SizeResult], peers: Sequence[str]) -> list[str]:
    lines = []
    for result in results:
        for peer in peers:
            paired = result.paired_ratios(peer)
            ratio = result.ratio(peer)
            if ratio is not None and paired:
                lines.append(f"{size_label(result.size)}: {SUBJECT} / {peer} = {ratio:.2f}x (medians); "
                             f"per round {min(paired):.2f}x-{max(paired):.2f}x")
    return lines


def target_results(results: Sequence[SizeResult]) -> list[dict[str, object]]:
    checks = []
    for target in TARGETS:
        for result in results:
            check = target.check(result)
            if check is not None:
                checks.append(check)
    return checks


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    lines = ["  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))]
    for row in rows:
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)


def markdown(command: str, finished: str, machine: dict[str, object], contenders: Sequence[Contender],
             results: Sequence[SizeResult], checks: Sequence[dict[str, object]], peers: Sequence[str]) -> str:
    """latest.md: how it was run, on what, and what came out."""
    packages = machine["packages"]
    assert isinstance(packages, dict)
    lines = [
        "# asn-attest benchmark: latest results",
        "",
        f"Run finished {finished} (UTC), from the repository root:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Machine: {machine['cpu_count']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, "
        f"{machine['platform']}; {machine['python']}. Load average (1 min) at the start "
        f"{machine['load_average_start']}, at the end {machine['load_average_end']}: other processes slow "
        "every contender alike, as the order rotates, but widen the spread. Parallel capacity (two CPU-bound "
        "processes of a few seconds, in cores' worth: 2.0 = each as fast as alone) at the start "
        f"{machine.get('parallel_capacity_start')}, at the end {machine.get('parallel_capacity_end')}.",
        "",
        "Packages: " + ", ".join(f"{name} {version}" for name, version in packages.items() if version) + ".",
        "",
        "Contenders, each run as its own process, in an order rotating from round to round:",
        "",
    ]
    lines += [f"- `{c.name}`: {c.description}" for c in contenders]
    lines += ["", "Data (bench/generate.py):", ""]
    for result in results:
        d = result.dataset
        lines.append(f"- {size_label(result.size)} (generator version {d['generator_version']}): "
                     f"{d['people']:,} people in {d['opds']} OPDs; "
                     f"{d['responses']:,} form responses; {d['signed_people']:,} people really signed "
                     f"({100 * d['signed_people'] / d['people']:.1f}%)")
    lines += ["", "| " + " | ".join(TABLE_HEADER) + " |", "|" + "---|" * len(TABLE_HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in _table_rows(results)]
    lines += ["", "Wall times are medians over the rounds; peak RSS is the highest over the rounds, the child "
              "process's own `ru_maxrss`. \"signed found\" is the coverage each contender reported.", ""]
    lines += ["## Ratios", ""] + [f"- {line}" for line in ratio_lines(results, peers)]
    lines += ["", "## Targets", ""]
    lines += [f"- {'PASS' if c['passed'] else 'FAIL'}: {c['target']}; measured {c['measured']}" for c in checks]
    if not checks:
        lines.append("- none applies to the sizes run")
    lines += ["", "## Scaling", ""] + [f"- {line}" for line in scaling(results) or ["needs two sizes or more"]]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command


def _pick_contenders(text: str | None) -> list[Contender]:
    if not text:
        return list(CONTENDERS)
    by_name = {c.name: c for c in CONTENDERS}
    unknown = [n for n in text.split(",") if n.strip() not in by_name]
    if unknown:
        raise ValueError(f"unknown contender(s) {', '.join(unknown)}; choose from {', '.join(by_name)}")
    return [by_name[n.strip()] for n in text.split(",")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time asn-attest reconcile against a plain pandas script.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated sizes (default {DEFAULT_SIZES}; "
                        "300k is the memory target's size and takes several minutes a round)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help=f"rounds (default {DEFAULT_REPEAT})")
    parser.add_argument("--contenders", help=f"comma-separated subset of {', '.join(c.name for c in CONTENDERS)}")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="data cache (default bench/data)")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS_DIR,
                        help="where results-<time>.json and latest.md go (default bench/results)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"kill a run after this many seconds (default {DEFAULT_TIMEOUT:.0f})")
    args = parser.parse_args(argv)
    try:
        sizes = parse_sizes(args.sizes)
        contenders = _pick_contenders(args.contenders)
    except ValueError as exc:
        parser.error(str(exc))
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    command = shlex.join(["python", os.path.relpath(__file__), *(sys.argv[1:] if argv is None else argv)])
    started = datetime.datetime.now(datetime.timezone.utc)
    load_at_start = load_average()
    capacity_at_start = parallel_capacity()
    print(f"parallel capacity: {capacity_at_start} cores' worth", flush=True)
    results: list[SizeResult] = []
    with tempfile.TemporaryDirectory(prefix="asn-attest-bench-") as scratch:
        warm_up(contenders, args.data_dir, Path(scratch), args.timeout)
        for size in sizes:
            data = ensure_dataset(size, args.data_dir)
            print(f"{data.label}: {data.people:,} people, {data.responses:,} responses ({data.directory})", flush=True)
            results.append(bench_size(data, contenders, args.repeat, Path(scratch), args.timeout))
    finished = datetime.datetime.now(datetime.timezone.utc)
    peers = [c.name for c in contenders if c.name != SUBJECT]
    machine = {**machine_info(), "load_average_start": load_at_start, "load_average_end": load_average(),
               "parallel_capacity_start": capacity_at_start, "parallel_capacity_end": parallel_capacity()}
    checks = target_results(results)
    report = {
        "command": command,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "machine": machine,
        "contenders": [{"name": c.name, "description": c.description} for c in contenders],
        "repeat": args.repeat,
        "sizes": [{"size": r.size, "dataset": r.dataset, "runs": [asdict(run) for run in r.runs],
                   "stats": {name: asdict(s) for name, s in r.stats.items()},
                   "ratios": {peer: r.ratio(peer) for peer in peers},
                   "paired_ratios": {peer: r.paired_ratios(peer) for peer in peers}} for r in results],
        "targets": checks,
        "scaling": scaling(results),
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    json_path = args.results_dir / f"results-{finished:%Y%m%dT%H%M%SZ}.json"
    json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    latest = markdown(command, finished.isoformat(timespec="seconds"), machine, contenders, results, checks, peers)
    (args.results_dir / "latest.md").write_text(latest, encoding="utf-8")

    print()
    print(text_table(TABLE_HEADER, _table_rows(results)))
    for line in ratio_lines(results, peers) + scaling(results):
        print(line)
    for check in checks:
        print(f"{'PASS' if check['passed'] else 'FAIL'}: {check['target']}; measured {check['measured']}")
    print(f"\nwrote {json_path} and {args.results_dir / 'latest.md'}")
    failed = any(not run.ok for r in results for run in r.runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
