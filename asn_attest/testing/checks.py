"""The checks behind the conformance suite, usable on their own in a plugin's tests.

Each check returns a list of violations, one sentence each naming the file, row or
record concerned; an empty list means the contract holds. The contract classes of
:mod:`asn_attest.testing.conformance` assert on them; a plugin's own tests can do the
same on files and results of their choosing.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError
from openpyxl import load_workbook

from ..errors import DataError
from ..matching import unit_key
from ..nip import ParsedNip, normalise_nip_text
from ..reading import ReadContext
from ..reconcile import Reconciliation
from ..records import (
    Attestation,
    AttestationSchema,
    Employee,
    EmployeeSchema,
    Exemption,
    ExemptionSchema,
    Provenance,
)
from ..tabular.kinds import FileKind, sample_file
from ..tabular.output import looks_like_formula
from ..tabular.tables import flatten_messages
from ..tabular.workbook import open_workbook
from .samples import ATTESTATION, EXEMPTION, ROSTER

__all__ = [
    "RECORD_TYPES",
    "ExportInterrupted",
    "WriteRecorder",
    "read_with",
    "file_rows",
    "schema_violations",
    "provenance_violations",
    "formula_violations",
    "texts_written",
    "formulas_and_texts",
    "atomic_violations",
    "unit_scope_violations",
    "interrupting",
    "collect_abandoned_writers",
    "snapshot",
    "data_error_violation",
]

#: Role -> (the record type its readers yield, the schema that makes it).
RECORD_TYPES: dict[str, tuple[type, Schema]] = {
    ROSTER: (Employee, EmployeeSchema()),
    ATTESTATION: (Attestation, AttestationSchema()),
    EXEMPTION: (Exemption, ExemptionSchema()),
}

_SPREADSHEETS = {".xlsx", ".xlsm"}
_DELIMITED = {".csv", ".tsv", ".txt"}


# --------------------------------------------------------------------------- readers


def read_with(reader: Any, path: Path, **context: Any) -> tuple[list[Any], ReadContext]:
    """Read ``path`` with ``reader`` as the core does, but without its safety net.

    The core turns any exception a reader raises into a DataError saying "a bug in
    the reader"; here it comes out as it is, so a test sees what really went wrong.
    ``context`` goes to :class:`~asn_attest.reading.ReadContext` (``max_rows``,
    ``overrides``...).
    """
    sample = sample_file(Path(path))
    ctx = ReadContext(sample, reader.name, **context)
    return list(reader.read(sample, ctx)), ctx


def file_rows(path: Path) -> set[tuple[str | None, int]]:
    """Every ``(sheet, row)`` of ``path`` that holds a value, numbered as users see them
    (the numbering of :func:`asn_attest.tabular.workbook.open_workbook`)."""
    with open_workbook(Path(path)) as workbook:
        return {(sheet.name, row) for sheet in workbook.sheets for row, _ in sheet.rows()}


def _comparable(record: Any) -> dict[str, Any]:
    """A record's fields, the NIP by what it means rather than how it was written."""
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    nip = values.get("nip")
    if isinstance(nip, ParsedNip):
        values["nip"] = (nip.status, nip.digits, nip.prefix15)
    return values


def schema_violations(records: Sequence[Any], role: str, *, where: str = "") -> list[str]:
    """Records that are not what the role's schema makes.

    A record must be of the role's type, and loading its own values back through the
    schema (``schema.load(schema.dump(record))``) must give the same record: values
    cleaned, a NIP that is a parse result, dates that are dates. A reader that builds
    records by hand, or changes them after loading, fails here.
    """
    record_type, schema = RECORD_TYPES[role]
    schema_name = type(schema).__name__
    prefix = f"{where}: " if where else ""
    found = []
    for number, record in enumerate(records, 1):
        label = f"{prefix}record {number}"
        if type(record) is not record_type:
            found.append(f"{label} is a {type(record).__name__}, not an {record_type.__name__}")
            continue
        if not isinstance(getattr(record, "nip", None), ParsedNip):
            found.append(f"{label}: nip is {record.nip!r}, not a parse result: load records through {schema_name}")
            continue
        try:
            again = schema.load(schema.dump(record))
        except ValidationError as exc:
            found.append(f"{label}: {schema_name} refuses its values: {'; '.join(flatten_messages(exc.messages))}")
            continue
        except Exception as exc:  # a field of the wrong type makes dump fail
            found.append(f"{label}: its values cannot go through {schema_name}: {type(exc).__name__}: {exc}")
            continue
        mine, made = _comparable(record), _comparable(again)
        differ = [f"{name}={mine[name]!r} (the schema makes {made[name]!r})" for name in mine
                  if mine[name] != made[name]]  # fmt: skip
        if differ:
            found.append(f"{label}: not what {schema_name} makes of its values: {', '.join(differ)}")
    return found


def provenance_violations(
    records: Sequence[Any], ctx: ReadContext, rows: set[tuple[str | None, int]] | None = None
) -> list[str]:
    """Records whose ``source`` does not say where in ``ctx``'s file they came from.

    ``source`` must be a :class:`~asn_attest.records.Provenance` naming the file as
    ``ctx.display_path`` says, with a row number (1 or more) that holds a value in
    that sheet of the file (``rows``, from :func:`file_rows`), in a sheet the reader
    reported with ``ctx.sheet_read``.
    """
    reported = {report.sheet for report in ctx.sheets}
    found = []
    for number, record in enumerate(records, 1):
        source = getattr(record, "source", None)
        label = f"record {number} ({getattr(record, 'name', None) or '?'})"
        if not isinstance(source, Provenance):
            found.append(f"{label} has no provenance: source is {source!r}, expected a Provenance(file, sheet, row)")
            continue
        if source.file != ctx.display_path:
            found.append(f"{label}: source.file is {source.file!r}, expected the file read, {ctx.display_path!r}")
        row = source.row
        if not isinstance(row, int) or isinstance(row, bool) or row < 1:
            found.append(f"{label}: source.row is {row!r}, expected the row number users see (1 or more)")
        elif rows is not None and (source.sheet, row) not in rows:
            sheets = sorted({repr(sheet) for sheet, _ in rows})
            found.append(
                f"{label}: {source} holds no value in the file (sheets: {', '.join(sheets)}); "
                "number rows and name sheets as asn_attest.tabular.workbook.open_workbook does"
            )
        if source.sheet not in reported:
            found.append(f"{label}: sheet {source.sheet!r} was never reported with context.sheet_read(...)")
    return found


# --------------------------------------------------------------------------- exporters' files


def _delimited_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of each record of a delimited file, read as the core reads a CSV
    (its encoding and delimiter found the same way); empty fields are left out."""
    if not path.stat().st_size:  # open_workbook refuses an empty file; it holds no field
        return
    with open_workbook(path, FileKind.CSV) as workbook:
        for line, values in workbook.sheets[0].rows():
            yield line, [value for value in values if value is not None]


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _written_values(path: Path) -> Iterator[tuple[Any, str | None]]:
    """Each cell of a workbook, or field of a CSV (or .tsv, .txt) file: its value, and
    why a spreadsheet program would run it as a formula (None when it would not)."""
    suffix = path.suffix.lower()
    if suffix in _SPREADSHEETS:
        workbook = load_workbook(path, read_only=True)
        try:
            for ws in workbook.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        formula = None
                        if getattr(cell, "data_type", None) == "f":
                            formula = f"{path}, sheet '{ws.title}', cell {cell.coordinate}: formula {cell.value!r}"
                        yield cell.value, formula
        finally:
            workbook.close()
    elif suffix in _DELIMITED:
        for line, row in _delimited_rows(path):
            for value in row:
                formula = None
                if looks_like_formula(value) and not _is_number(value):
                    formula = f"{path}, line {line}: field {value!r} would run as a formula (use csv_field)"
                yield value, formula


def formula_violations(paths: Iterable[Path]) -> list[str]:
    """Cells and fields that a spreadsheet program would run as a formula.

    In a workbook no cell may hold a formula. In a CSV (or .tsv, .txt) no field may
    start with ``=``, ``+``, ``-``, ``@``, tab or CR unless it is a number: text that
    does must be escaped, as :func:`asn_attest.tabular.output.csv_field` does.
    """
    return [formula for path in paths for _, formula in _written_values(Path(path)) if formula is not None]


def texts_written(paths: Iterable[Path]) -> Iterator[str]:
    """Every text cell of the workbooks and every field of the CSV files among ``paths``."""
    for path in paths:
        yield from (value for value, _ in _written_values(Path(path)) if isinstance(value, str))


def formulas_and_texts(paths: Iterable[Path]) -> tuple[list[str], list[str]]:
    """:func:`formula_violations` and the texts of :func:`texts_written`, each file read once."""
    found: list[str] = []
    texts: list[str] = []
    for path in paths:
        for value, formula in _written_values(Path(path)):
            if formula is not None:
                found.append(formula)
            if isinstance(value, str):
                texts.append(value)
    return found, texts


def unit_scope_violations(paths: Iterable[Path], result: Reconciliation) -> list[str]:
    """Files for one unit's head that show staff of another unit.

    Each file must name people of the roster, all of one unit: a list sent to an OPD
    head holds that OPD's staff and nobody else. People are recognised by their NIP
    (in any written form) or by their name as the roster has it (names the roster
    holds once).
    """
    unit_of: dict[str, str] = {}
    named: dict[str, list[str]] = {}
    for employee in result.roster:
        unit = unit_key(employee.unit or "")
        if employee.nip_full:
            unit_of[employee.nip_full] = unit
        named.setdefault(employee.name, []).append(unit)
    for name, units in named.items():
        if len(units) == 1:
            unit_of.setdefault(name, units[0])
    found = []
    for path in paths:
        units: dict[str, list[str]] = {}
        for text in texts_written([path]):
            digits = normalise_nip_text(text)
            key = digits if len(digits) == 18 and digits.isdigit() else text
            if key in unit_of:
                units.setdefault(unit_of[key], []).append(key)
        if not units:
            found.append(f"{path}: names nobody of the roster, so whose file it is cannot be checked")
        elif len(units) > 1:
            shown = "; ".join(f"{unit!r}: {', '.join(people[:3])}" for unit, people in sorted(units.items()))
            found.append(f"{path}: holds staff of {len(units)} units ({shown})")
    return found


# --------------------------------------------------------------------------- atomic writes


class WriteRecorder:
    """While active, records which files under ``folder`` are opened for writing and
    which are renamed into place (through a Python audit hook, so it sees every
    ``open``, ``os.open``, ``os.replace`` and ``os.rename``, whatever library calls them).

    Use as a context manager around an exporter's ``write``.
    """

    _active: list[WriteRecorder] = []
    _hooked = False

    def __init__(self, folder: Path) -> None:
        self.folder = os.path.realpath(folder)
        self.opened_for_writing: list[str] = []
        self.renamed_into_place: list[str] = []

    def __enter__(self) -> WriteRecorder:
        if not WriteRecorder._hooked:
            sys.addaudithook(_audit)  # hooks cannot be removed: one, idle unless a recorder is active
            WriteRecorder._hooked = True
        WriteRecorder._active.append(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        WriteRecorder._active.remove(self)

    def _inside(self, path: object) -> str | None:
        if isinstance(path, int):
            return None
        real = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
        return real if real == self.folder or real.startswith(self.folder + os.sep) else None


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not WriteRecorder._active:
        return
    try:
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(flags, int) and bool(flags & _WRITE_FLAGS)) or (
                isinstance(mode, str) and any(c in mode for c in "wax+")
            )
            if writing:
                for recorder in WriteRecorder._active:
                    if (inside := recorder._inside(path)) is not None:
                        recorder.opened_for_writing.append(inside)
        elif event == "os.rename":
            for recorder in WriteRecorder._active:
                if (inside := recorder._inside(args[1])) is not None:
                    recorder.renamed_into_place.append(inside)
    except Exception:  # an audit hook must never break the operation it watches
        pass


def atomic_violations(recorder: WriteRecorder, written: Iterable[Path]) -> list[str]:
    """Files among ``written`` that were opened for writing under their own name.

    Such a file is half-written for a while, and stays so when the process dies: it
    must be written to a temporary file in the same folder and renamed over the old
    one, as :func:`asn_attest.tabular.output.atomic_write` does.
    """
    opened = set(recorder.opened_for_writing)
    return [
        f"{path}: opened for writing under its own name; write it through asn_attest.tabular.output.atomic_write "
        "(a temporary file renamed into place)"
        for path in written
        if os.path.realpath(path) in opened
    ]


class ExportInterrupted(Exception):
    """Raised into an exporter, as if the process failed halfway through writing."""


class _Tripwire:
    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.limit is not None and self.steps > self.limit:
            raise ExportInterrupted(f"interrupted after {self.limit} reads of the result")


class _Watched(list):  # type: ignore[type-arg]
    """A list whose every item read is a step of a tripwire."""

    def __init__(self, items: Iterable[Any], tripwire: _Tripwire) -> None:
        super().__init__(items)
        self._tripwire = tripwire

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            self._tripwire.step()
            yield item

    def __getitem__(self, index: Any) -> Any:
        self._tripwire.step()
        return super().__getitem__(index)


@contextmanager
def interrupting(result: Reconciliation, after: int | None) -> Iterator[tuple[Reconciliation, _Tripwire]]:
    """``result`` with its roster, evidence and units watched: after ``after`` reads of
    their items (None: never) the next read raises :class:`ExportInterrupted`.

    The tripwire's ``steps`` says how many reads an exporter made.
    """
    tripwire = _Tripwire(after)
    watched = dataclasses.replace(
        result,
        roster=_Watched(result.roster, tripwire),
        evidence=_Watched(result.evidence, tripwire),
        units=_Watched(result.units, tripwire),
    )
    yield watched, tripwire


def collect_abandoned_writers() -> None:
    """Collect what an interrupted exporter left behind, quietly.

    A writer stopped halfway (openpyxl's write-only sheets are generators over a file
    already closed) complains when the garbage collector finalises it; that is the
    interruption the test made, not a fault of the exporter.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def snapshot(folder: Path) -> Mapping[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def data_error_violation(error: BaseException | None, path: Path) -> str | None:
    """What is wrong with how reading ``path`` failed: it must fail with a
    :class:`~asn_attest.errors.DataError` that names the file."""
    if error is None:
        return f"{path.name}: read without an error; expected a DataError naming the file"
    if not isinstance(error, DataError):
        return (
            f"{path.name}: raised {type(error).__name__}: {error}; expected a DataError naming the file "
            "(the core would report this as a bug in the reader)"
        )
    if error.location.file != str(path):
        return f"{path.name}: the DataError names {error.location.file!r}, not the file read ({str(path)!r})"
    return None
