"""Reading input files through reader plugins: choosing the reader, and what it reports.

The core does the same for every reader, bundled or vendor's: expand folders,
recognise each file's kind by its content, ask every reader's sniffer, run the
most confident one, and collect what it reports (sheets, bad rows) in a
:class:`ReadContext`. Readers stream records; the core counts them and keeps
the report that ``inspect`` shows.
"""

from __future__ import annotations

import math
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, Generic, TypeVar

from .errors import ConfigError, DataError
from .forked import WorkerDied, fork_map, worker_count
from .nip import Nip, ParsedNip
from .records import Attestation, Employee, Exemption, Provenance
from .tabular.kinds import FileSample, sample_file
from .tabular.workbook import MAX_ROWS_ENV, positive_int_from_env, xml_is_defused

DEFAULT_MAX_ROWS = 2_000_000

ERROR, WARNING = "error", "warning"

#: ``ReadContext.options`` key set by ``reconcile --signers-list``: sign sheets without
#: a signature column list only people who signed.
SIGNERS_LIST = "signers_list"

#: Files a folder may hold that are never inputs: Office lock files, hidden files, notes.
_SKIPPED_PREFIXES = ("~$", ".")
_INPUT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv", ".htm", ".html"}


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row or one file that did not stop the run."""

    source: Provenance
    message: str
    column: str | None = None
    severity: str = ERROR

    def __str__(self) -> str:
        where = str(self.source) + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "sheet": self.source.sheet,
            "row": self.source.row,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], file: str) -> Problem:
        """The problem :meth:`to_json` gave, found in ``file``."""
        return cls(Provenance(file, data["sheet"], data["row"]), data["message"], data["column"], data["severity"])


@dataclass
class SheetReport:
    """What a reader found in one sheet (or CSV file): the basis of ``inspect``."""

    path: str
    reader: str
    sheet: str | None
    header_row: int | None
    columns: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "reader": self.reader,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "ignored": list(self.ignored),
            "notes": list(self.notes),
            "records": self.records,
            "problems": [p.to_json() for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SheetReport:
        """The report :meth:`to_json` gave, problems included."""
        return cls(
            data["path"], data["reader"], data["sheet"], data["header_row"], dict(data["columns"]),
            list(data["ignored"]), list(data["notes"]), data["records"],
            [Problem.from_json(p, data["path"]) for p in data["problems"]],
        )


class ReadContext:
    """Handed to a reader's ``read``: the user's choices in, the reader's findings out.

    Readers call :meth:`sheet_read` once per sheet they read (before yielding its
    records) and :meth:`problem` for each bad row; the core does the counting.
    New attributes may appear in later versions; readers ignore what they do not use.
    """

    def __init__(
        self,
        sample: FileSample,
        reader: str,
        *,
        overrides: Mapping[str, str] | None = None,
        header_aliases: Sequence[tuple[str, str]] = (),
        max_rows: int | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.sample = sample
        self.path = sample.path
        self.reader = reader
        self.overrides: Mapping[str, str] = dict(overrides or {})
        self.header_aliases: Sequence[tuple[str, str]] = tuple(header_aliases)
        self.max_rows = max_rows
        self.options: Mapping[str, Any] = dict(options or {})
        self.sheets: list[SheetReport] = []
        self._file_problems: list[Problem] = []

    @property
    def display_path(self) -> str:
        return str(self.path)

    def sheet_read(
        self,
        *,
        sheet: str | None,
        header_row: int | None,
        columns: Mapping[str, str],
        ignored: Sequence[str] = (),
        notes: Sequence[str] = (),
    ) -> SheetReport:
        report = SheetReport(
            self.display_path, self.reader, sheet, header_row, dict(columns), list(ignored), list(notes)
        )
        self.sheets.append(report)
        return report

    def problem(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        severity: str = ERROR,
    ) -> Problem:
        problem = Problem(Provenance(self.display_path, sheet, row), message, column, severity)
        report = next((s for s in reversed(self.sheets) if s.sheet == sheet), None)
        (report.problems if report is not None else self._file_problems).append(problem)
        return problem

    def file_problems(self) -> list[Problem]:
        return list(self._file_problems)


R = TypeVar("R")


@dataclass
class ReadResult(Generic[R]):
    """Everything read from a set of files: records, per-sheet reports, and all problems."""

    records: list[R]
    sheets: list[SheetReport]
    problems: list[Problem]


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and the input files inside given folders (sorted, recursive).

    A folder's lock files (``~$x.xlsx``), hidden files and files of other types are
    left out; a file named explicitly is always read, whatever its name.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(_SKIPPED_PREFIXES) for part in p.relative_to(path).parts)
                and p.suffix.lower() in _INPUT_SUFFIXES
            )
            if not found:
                raise DataError("folder holds no spreadsheet or CSV file", file=path)
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise DataError("no such file or folder", file=path)
    return out


def reader_scores(readers: Mapping[str, Any], sample: FileSample) -> list[tuple[float, str, Any]]:
    """``(score, name, reader)`` for each reader that takes the file's kind, the most
    confident first, ties by name: what :func:`choose_reader` chooses from.

    A sniffer that raises is a DataError naming the file and the reader.
    """
    scored = []
    for reader in readers.values():
        if reader.file_kinds and sample.kind.value not in reader.file_kinds:
            continue
        try:
            score = float(reader.sniff(sample))
        except Exception as exc:  # a vendor's sniffer must not break the run
            raise DataError(f"reader {reader.name!r} failed while sniffing: {exc}", file=sample.path) from exc
        scored.append((score, reader.name, reader))
    # a NaN goes last: it compares with nothing, and would leave the others unsorted
    scored.sort(key=lambda t: (math.inf if math.isnan(t[0]) else -t[0], t[1]))
    return scored


def choose_reader(readers: Mapping[str, Any], sample: FileSample, forced: str | None = None) -> Any:
    """The reader that is most confident about the file; a tie is an error, never a guess."""
    if forced is not None:
        if forced not in readers:
            raise ConfigError(f"no reader named {forced!r} (available: {', '.join(sorted(readers)) or 'none'})")
        return readers[forced]
    scored = [entry for entry in reader_scores(readers, sample) if entry[0] > 0]
    if not scored:
        kinds = ", ".join(sorted(readers)) or "none installed"
        raise DataError(
            f"no reader recognises this {sample.kind.value} file (readers: {kinds}); "
            "pick one with --reader or install the plugin for this export",
            file=sample.path,
        )
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        raise DataError(
            f"readers {scored[0][1]!r} and {scored[1][1]!r} are equally sure they can read this file; "
            "pick one with --reader",
            file=sample.path,
        )
    return scored[0][2]


def max_rows_from_env(environ: Mapping[str, str] | None = None) -> int:
    """The row limit of :data:`MAX_ROWS_ENV`; a ConfigError for a bad setting."""
    return positive_int_from_env(MAX_ROWS_ENV, DEFAULT_MAX_ROWS, environ=environ)


@dataclass(frozen=True)
class ReadJob:
    """Files to read with one set of readers and options: the roster, or the evidence."""

    readers: Mapping[str, Any]
    paths: Sequence[str | os.PathLike[str]]
    forced_reader: str | None = None
    overrides: Mapping[str, str] | None = None
    header_aliases: Sequence[tuple[str, str]] = ()
    max_rows: int | None = None
    options: Mapping[str, Any] | None = None


def read_files(
    readers: Mapping[str, Any],
    paths: Iterable[str | os.PathLike[str]],
    *,
    forced_reader: str | None = None,
    overrides: Mapping[str, str] | None = None,
    header_aliases: Sequence[tuple[str, str]] = (),
    max_rows: int | None = None,
    options: Mapping[str, Any] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ReadResult[Any]:
    """Read every file with its reader and gather records, sheet reports and problems.

    A :class:`DataError` from any file stops the whole read: a run on a set of
    files where one cannot be read would give counts that look right and are not.
    """
    job = ReadJob(readers, tuple(paths), forced_reader, overrides, header_aliases, max_rows, options)
    return read_jobs([job], on_file=on_file)[0]


def read_jobs(
    jobs: Sequence[ReadJob],
    *,
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
) -> list[ReadResult[Any]]:
    """:func:`read_files` for each job, all files read side by side in worker processes.

    The results are those of reading the files one after another, in the order
    given: the same records, reports and problems in the same order, and the error
    of the first file (in that order) that cannot be read. This process reads the
    largest file itself, so the largest set of records is never sent between
    processes. ``workers`` defaults to :func:`asn_attest.forked.worker_count`
    (``ASN_ATTEST_WORKERS``).
    """
    if not xml_is_defused():
        raise ConfigError(
            "openpyxl is not using defusedxml, so a hostile workbook could exhaust memory or read local files; "
            "install defusedxml (pip install defusedxml) and run again"
        )
    tasks = [(job, path) for job in jobs for path in expand_inputs(job.paths)]
    try:
        done = fork_map(
            _read_task,
            tasks,
            workers=worker_count() if workers is None else workers,
            on_start=(lambda task: on_file(task[1])) if on_file is not None else None,
            dispatch_table=_TRANSFER,
            describe=lambda task: str(task[1]),
            here=_largest(task[1] for task in tasks),
        )
    except WorkerDied as exc:
        raise DataError(f"reading stopped: {exc}", file=exc.item[1]) from None
    results: list[ReadResult[Any]] = []
    for job in jobs:
        records: list[Any] = []
        sheets: list[SheetReport] = []
        for (owner, _), (file_records, file_sheets) in zip(tasks, done):
            if owner is job:
                records.extend(file_records)
                sheets.extend(file_sheets)
        results.append(ReadResult(records, sheets, [p for s in sheets for p in s.problems]))
    return results


def _largest(paths: Iterable[Path]) -> int | None:
    """The index of the largest file (read by this process: its records need no transfer)."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:  # reading it says what is wrong
            sizes.append(-1)
    return max(range(len(sizes)), key=sizes.__getitem__) if sizes else None


def _read_task(task: tuple[ReadJob, Path]) -> tuple[list[Any], list[SheetReport]]:
    """One file: sniffed, read by its reader, its sheets counted and checked."""
    job, path = task
    sample = sample_file(path)
    reader = choose_reader(job.readers, sample, job.forced_reader)
    ctx = ReadContext(
        sample, reader.name, overrides=job.overrides, header_aliases=job.header_aliases, max_rows=job.max_rows,
        options=job.options,
    )
    records: list[Any] = []
    by_sheet: dict[str | None, int] = {}
    for record in _guarded(reader, sample, ctx):
        source = getattr(record, "source", None)
        if not isinstance(source, Provenance):
            raise DataError(
                f"reader {reader.name!r} returned a record without its provenance "
                f"({type(record).__name__}; a bug in the reader; please report it)",
                file=path,
            )
        records.append(record)
        sheet = source.sheet
        by_sheet[sheet] = by_sheet.get(sheet, 0) + 1
    if not ctx.sheets:
        ctx.sheet_read(sheet=None, header_row=None, columns={})
    for report in ctx.sheets:
        report.records = by_sheet.pop(report.sheet, 0)
    if by_sheet:
        raise DataError(
            f"reader {reader.name!r} returned records for sheets it did not report: "
            f"{', '.join(repr(s) for s in by_sheet)}",
            file=path,
        )
    # problems about the file as a whole (a hidden sheet left out) are shown with its first sheet
    ctx.sheets[0].problems[:0] = ctx.file_problems()
    return records, ctx.sheets


def _fields_of(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """A pickle reduction of a dataclass with slots: its class and its field values,
    which is several times cheaper to pickle than what ``copyreg`` does by default."""
    get = operator.attrgetter(*(f.name for f in dataclass_fields(cls)))
    return lambda obj: (cls, get(obj))


#: How records and their parts travel from a worker (see :func:`read_jobs`).
_TRANSFER: dict[type, Callable[[Any], Any]] = {
    cls: _fields_of(cls) for cls in (Employee, Attestation, Exemption, Provenance, ParsedNip, Nip)
}


def _guarded(reader: Any, sample: FileSample, ctx: ReadContext) -> Iterator[Any]:
    """Run a reader; anything but our own errors from a plugin becomes a DataError naming it."""
    try:
        yield from reader.read(sample, ctx)
    except (DataError, ConfigError):
        raise
    except MemoryError:
        raise DataError(f"reader {reader.name!r} ran out of memory reading this file", file=sample.path) from None
    except Exception as exc:
        raise DataError(
            f"reader {reader.name!r} failed: {type(exc).__name__}: {exc} (a bug in the reader; please report it)",
            file=sample.path,
        ) from exc
