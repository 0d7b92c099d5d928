"""Reading the tables of a workbook the way every bundled reader does.

Finding each visible sheet's header, reporting hidden sheets and sheets without a
header, taking the unit from a preamble line, splitting combined "Nama / NIP"
cells: roster and sign-sheet readers (and vendors' readers) share these.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from marshmallow import ValidationError, missing

from ..errors import ConfigError, DataError
from ..records import Attestation, AttestationSchema, Provenance
from ..values import clean_text
from .fields import UNIT_ROLES, FieldSpec, column_letter, header_key
from .header import HeaderNotFound, Table, UnknownField, UnknownHeader, find_table
from .kinds import FileSample
from .workbook import Sheet, open_workbook

from ..reading import WARNING

if TYPE_CHECKING:
    from ..reading import ReadContext, SheetReport
_ATTESTATION = AttestationSchema()

#: How coarse a unit-like label is (see asn_attest.tabular.fields.UNIT_ROLES).
_UNIT_RANK = {"opd": 1, "unit_kerja": 2, "unor": 3}

#: A name cell holding the NIP on a later line, or after a slash: "AHMAD FAUZI\nNIP. 1985..."
_NAME_NIP_SPLIT = re.compile(r"\s*(?:\n|/|\bNIP\b\.?:?)\s*", re.IGNORECASE)

#: The texts Excel shows (and writes into CSV) for a formula that failed.
EXCEL_ERRORS = frozenset((
    "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", "#GETTING_DATA",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
))  # fmt: skip


def without_errors(
    rows: Iterator[tuple[int, tuple[Any, ...]]],
    columns: Mapping[str, int],
    headers: Mapping[str, str],
    ctx: ReadContext,
    sheet: str | None,
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows with each Excel error value ("#N/A", "#REF!"...) in a used column read as empty,
    and reported: it is what a failed formula left, never a name, a NIP or a unit."""
    used = sorted({(index, headers.get(field, field)) for field, index in columns.items()})
    clean = EXCEL_ERRORS.isdisjoint
    for number, values in rows:
        if clean(values):  # nearly every row: one pass in C
            yield number, values
            continue
        width = len(values)
        for index, header in used:
            if index < width and type(values[index]) is str and values[index] in EXCEL_ERRORS:
                ctx.problem(
                    f"Excel error value {values[index]!r} (a formula that failed): read as empty",
                    sheet=sheet, row=number, column=header,
                )  # fmt: skip
                values = values[:index] + (None,) + values[index + 1 :]
        yield number, values


def warn_marks(sheet: Sheet, first_row: int, last_row: int | None, columns: Mapping[str, int],
               headers: Mapping[str, str], ctx: ReadContext) -> None:
    """Warn about what Excel does not show of the rows ``first_row``..``last_row`` (all after
    the header when None) that were read: hidden rows (read like any other row: a hidden
    person is still staff), and cells merged down over rows (the value is in the first row
    only; the rows under it read as empty in that column)."""
    marks = sheet.marks()

    def read(number: int) -> bool:
        return number >= first_row and (last_row is None or number <= last_row)

    hidden = sorted(number for number in marks.hidden_rows if read(number))
    if hidden:
        shown = _row_ranges(hidden)
        verb = "is" if len(hidden) == 1 else "are"
        ctx.problem(
            f"{'row' if len(hidden) == 1 else 'rows'} {shown} {verb} hidden in Excel and "
            f"{'was' if len(hidden) == 1 else 'were'} read; unhide {'it' if len(hidden) == 1 else 'them'} "
            "to check, and delete what does not belong",
            sheet=sheet.name, row=hidden[0], severity=WARNING,
        )  # fmt: skip
    by_column = sorted({index: headers.get(field, field) for field, index in columns.items()}.items())
    for top, left, bottom, right in marks.merged:
        # The rows under the top one that were read, and the columns read: however many the
        # range claims (a hostile sheet merges D4:D9999999), one range of rows, few columns.
        low, high = max(top + 1, first_row), bottom if last_row is None else min(bottom, last_row)
        used = [header for index, header in by_column if left - 1 <= index < right]
        if low > high or not used:
            continue
        ref = f"{column_letter(left - 1)}{top}:{column_letter(right - 1)}{bottom}"
        below = f"row {low}" if low == high else f"rows {low}-{high}"
        ctx.problem(
            f"merged cells {ref}: only row {top} holds the value; {below} "
            "read as empty in this column (unmerge the cells in Excel and fill them in)",
            sheet=sheet.name, row=top, column=used[0], severity=WARNING,
        )  # fmt: skip


def _row_ranges(numbers: Sequence[int]) -> str:
    """1, 3, 4, 5 -> "1, 3-5" (at most ten ranges, then "...")."""
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:10]]
    return ", ".join(shown) + (", ..." if len(ranges) > 10 else "")


def tables(
    sample: FileSample,
    ctx: ReadContext,
    vocabulary: Mapping[str, FieldSpec],
    *,
    what: str,
    required_any: Sequence[Sequence[str]],
) -> Iterator[tuple[str | None, Table]]:
    """Each visible sheet's table, as ``(sheet name, table)``.

    Hidden sheets are not read and are warned about. A sheet without a ``what``
    header is warned about when another sheet has one; when none has, the file is
    a :class:`DataError` carrying the header detector's explanation. Excel error values
    in the table's columns read as empty and are reported; once a table has been read,
    its hidden rows and cells merged down over its rows are warned about.
    """
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        not_found: list[tuple[str | None, str]] = []
        read_any = False
        for sheet in workbook.sheets:
            if sheet.hidden:
                ctx.problem(
                    f"hidden sheet '{sheet.name}' was not read (unhide it in Excel if it belongs to the {what})",
                    sheet=sheet.name,
                    severity=WARNING,
                )
                continue
            try:
                table = find_table(
                    sheet.rows(), vocabulary, overrides=ctx.overrides, required=(), required_any=required_any
                )
            except HeaderNotFound as exc:
                not_found.append((sheet.name, str(exc)))
                continue
            except (UnknownHeader, UnknownField) as exc:
                where = f", sheet '{sheet.name}'" if sheet.name is not None else ""
                raise ConfigError(f"{sample.path}{where}: {exc}") from None
            read_any = True
            layout = table.layout
            table.rows = without_errors(table.rows, layout.columns, layout.headers, ctx, sheet.name)
            yield sheet.name, table
            last = table.footer_row - 1 if table.footer_row is not None else None
            first = (layout.numbering_row or layout.header_rows[-1]) + 1
            warn_marks(sheet, first, last, layout.columns, layout.headers, ctx)
        if not read_any:
            if not not_found:
                raise DataError("no visible sheet with data", file=sample.path)
            sheet_name, message = not_found[0]
            raise DataError(f"no {what} header found: {message}", file=sample.path, sheet=sheet_name)
        for sheet_name, _ in not_found:
            ctx.problem(f"sheet '{sheet_name}' has no {what} header and was not read", sheet=sheet_name, severity=WARNING)


def apply_preamble(
    preamble: Mapping[str, str],
    columns: dict[str, int],
    headers: dict[str, str],
    overrides: Mapping[str, str],
    notes: list[str],
) -> dict[str, str]:
    """Fields a per-unit export gives once above the header ("Satuan Kerja : Dinas X").

    The coarsest unit-like line is the unit. A unit column finer than it (a "Unit
    Kerja (UNOR)" column under a "Satuan Kerja :" line) is then the sub-unit, unless
    the user mapped the unit column explicitly.
    """
    constants: dict[str, str] = {}
    ranked = sorted(
        (_UNIT_RANK[role], key, text)
        for key, value in preamble.items()
        if (role := UNIT_ROLES.get(key)) in _UNIT_RANK and (text := clean_text(value))
    )
    if ranked:
        rank, _, unit = ranked[0]
        if "unit" not in columns:
            constants["unit"] = unit
        elif "unit" not in overrides:
            column_rank = _UNIT_RANK.get(UNIT_ROLES.get(header_key(headers["unit"]), ""), 0)
            if column_rank > rank:
                header = headers.pop("unit")
                index = columns.pop("unit")
                if "sub_unit" not in columns:
                    columns["sub_unit"], headers["sub_unit"] = index, header
                    notes.append(f"'{header}' read as the sub-unit: the unit is '{unit}' from the line above the header")
                else:
                    notes.append(f"'{header}' not used: the unit is '{unit}' from the line above the header")
                constants["unit"] = unit
        if len(ranked) > 1 and "sub_unit" not in columns:
            constants["sub_unit"] = ranked[1][2]
    kecamatan = clean_text(preamble.get("kecamatan"))
    if kecamatan and "kecamatan" not in columns:
        constants["kecamatan"] = kecamatan
    return constants


def row_values(values: tuple[Any, ...], columns: Mapping[str, int], constants: Mapping[str, str]) -> dict[str, Any] | None:
    """The raw values of one row by field; None for a row that is only a number (a blank template line)."""
    width = len(values)
    data: dict[str, Any] = {}
    for fieldname, index in columns.items():
        if index < width:
            value = values[index]
            if value is not None and value != "":
                data[fieldname] = value
    data.pop("row_no", None)
    if not data:
        return None
    for fieldname, value in constants.items():
        data.setdefault(fieldname, value)
    return data


def split_name_nip(value: Any) -> tuple[str | None, str | None]:
    text = clean_text(value, keep_newlines=True)
    if text is None:
        return None, None
    parts = [p for p in _NAME_NIP_SPLIT.split(text, maxsplit=1) if p]
    if len(parts) == 2 and any(ch.isdigit() for ch in parts[1]):
        return parts[0], parts[1]
    if not any(ch.isalpha() for ch in text):  # only the NIP line was filled in
        return None, text
    return text.replace("\n", " "), None


def flatten_messages(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [m for v in errors.values() for m in flatten_messages(v)]
    if isinstance(errors, (list, tuple)):
        return [m for v in errors for m in flatten_messages(v)]
    return [str(errors)]


def sample_text(sample: FileSample, limit: int = 256 * 1024) -> str:
    """Some of the file's text, for sniffers: the head of a CSV or HTML file, the shared
    strings of an xlsx, and the readable bytes of the head of a legacy .xls."""
    kind = sample.kind.value
    if kind in ("csv", "html"):
        return sample.head.decode(sample.encoding or "utf-8", errors="replace")
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(sample.path) as archive:
                names = set(archive.namelist())
                member = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None
                if member is None:
                    member = next((n for n in sorted(names) if n.startswith("xl/worksheets/sheet")), None)
                if member is None:
                    return ""
                with archive.open(member) as fh:
                    return fh.read(limit).decode("utf-8", errors="replace")
        except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
            return ""
    return sample.head.decode("latin-1") + sample.head.decode("utf-16-le", errors="ignore")


def keyword_columns(
    texts: Sequence[str],
    rules: Sequence[tuple[str, re.Pattern[str]]],
    ctx: ReadContext,
    *,
    what: str,
) -> dict[str, int]:
    """Columns of a file whose headers are free text (form questions, log exports).

    ``rules`` are ``(field, pattern)`` tried in order against each header's
    :func:`header_key`; the first unclaimed column that matches wins. The user's
    ``--map`` comes first and must name a real column and a known field.
    """
    fields = [name for name, _ in rules]
    keys = [header_key(t) for t in texts]
    columns: dict[str, int] = {}
    for name, header in ctx.overrides.items():
        if name not in fields:
            raise ConfigError(f"unknown field {name!r} for {what}; valid fields: {', '.join(fields)}")
        if header_key(header) not in keys:
            shown = " | ".join(t for t in texts if t)
            raise ConfigError(f"{ctx.path}: --map {name}={header!r}: no such column; columns: {shown}")
        columns[name] = keys.index(header_key(header))
    taken = set(columns.values())
    for name, pattern in rules:
        if name in columns:
            continue
        index = next((i for i, key in enumerate(keys) if i not in taken and key and pattern.search(key)), None)
        if index is not None:
            columns[name] = index
            taken.add(index)
    return columns


#: rows a reader loads together, column by column (``load_columns``, EvidenceRows):
#: enough that a column's repeats pay, few enough that the cells of a chunk are all
#: that is held besides the records
LOAD_CHUNK = 4096


@dataclass
class KeywordTable:
    """The first visible sheet of a file with free-text headers, its columns found by keywords.

    Its rows are read once, either as dicts (:attr:`rows`) or a chunk at a time as
    columns (:meth:`chunks`); either way a row without a value in any found column is
    no row.
    """

    sheet: str | None
    #: field -> its header, in the order of the columns
    headers: dict[str, str]
    report: SheetReport
    #: field -> its column (0-based), in the same order as ``headers``
    columns: dict[str, int]
    #: ``(row number, cells)`` of each row under the header, Excel error values in found columns read as empty
    values: Iterator[tuple[int, tuple[Any, ...]]]

    @property
    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(row number, {field: value})`` for each row with a value in a found column."""
        columns = self.columns
        return (
            (row, data)
            for row, values in self.values
            if (data := {f: values[i] for f, i in columns.items() if i < len(values) and values[i] not in (None, "")})
        )

    def chunks(self, size: int = LOAD_CHUNK) -> Iterator[tuple[list[int], dict[str, list[Any]]]]:
        """The rows :attr:`rows` gives, ``size`` at a time, as columns (see :func:`column_chunks`)."""
        return column_chunks(self.values, self.columns, size)


@contextmanager
def keyword_table(
    sample: FileSample,
    ctx: ReadContext,
    rules: Sequence[tuple[str, re.Pattern[str]]],
    *,
    what: str,
    needs: str,
    required: Sequence[Sequence[str]],
) -> Iterator[KeywordTable]:
    """Open a form export or log whose header is its first row, and find its columns.

    Each group in ``required`` needs at least one of its fields found, else the file
    is a :class:`DataError` saying it is not ``what`` with ``needs``, and what it found.
    """
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        visible = [s for s in workbook.sheets if not s.hidden]
        if not visible:
            raise DataError(f"no visible sheet: expected {what}", file=sample.path)
        sheet = visible[0]  # exports of forms and logs have one sheet
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            raise DataError(f"the file is empty: expected {what}", file=sample.path, sheet=sheet.name)
        header_row, header = first
        texts = [clean_text(v) or "" for v in header]
        columns = keyword_columns(texts, rules, ctx, what=what)
        if any(not set(group) & set(columns) for group in required):
            found = " | ".join(t for t in texts if t) or "nothing"
            fields = ", ".join(name for name, _ in rules)
            raise DataError(
                f"not {what} with {needs}; found: {found} (name the columns with --map FIELD=HEADER; fields: {fields})",
                file=sample.path, sheet=sheet.name, row=header_row,
            )  # fmt: skip
        headers = {f: texts[i] for f, i in columns.items()}
        report = ctx.sheet_read(
            sheet=sheet.name,
            header_row=header_row,
            columns=headers,
            ignored=[t for i, t in enumerate(texts) if t and i not in columns.values()],
        )
        yield KeywordTable(sheet.name, headers, report, columns, without_errors(rows, columns, headers, ctx, sheet.name))
        warn_marks(sheet, header_row + 1, None, columns, headers, ctx)


def load_attestation(
    record: dict[str, Any],
    ctx: ReadContext,
    *,
    sheet: str | None,
    row: int,
    date_column: str | None,
) -> Attestation | None:
    """Load one piece of evidence through the schema; report instead of failing.

    An unreadable signing date keeps the signature (date unknown, a warning); any
    other refusal is a problem and the row is not counted.
    """
    record["source"] = {"file": ctx.display_path, "sheet": sheet, "row": row}
    try:
        return _ATTESTATION.load(record)
    except ValidationError as exc:
        refusal = exc
    if set(_messages(refusal)) <= {"signed_at"}:
        # the date alone is wrong: keep the signature without it, unless it is refused then
        bad_date = refusal
        record.pop("signed_at")
        try:
            attestation = _ATTESTATION.load(record)
        except ValidationError as exc:
            refusal = exc
        else:
            ctx.problem(f"{_text(bad_date)}: signing date unknown", sheet=sheet, row=row, column=date_column,
                        severity=WARNING)
            return attestation
    ctx.problem(f"signed, but {_text(refusal)}: not counted", sheet=sheet, row=row)
    return None


def column_chunks(
    rows: Iterable[tuple[int, tuple[Any, ...]]], columns: Mapping[str, int], size: int = LOAD_CHUNK
) -> Iterator[tuple[list[int], dict[str, list[Any]]]]:
    """Rows ``size`` at a time, as columns: ``(row numbers, {field: values})``, with
    ``values[i]`` the cell of row ``numbers[i]`` in the field's column, or ``missing``
    where it is empty (None or ""). A row empty in every column of ``columns`` is left
    out; a chunk may so hold fewer than ``size`` rows, but never none."""
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        cells = {
            fieldname: [
                value if (value := values[index] if index < len(values) else None) is not None and value != ""
                else missing
                for _, values in chunk
            ]
            for fieldname, index in columns.items()
        }  # fmt: skip
        kept = [i for i, present in enumerate(zip(*cells.values())) if any(v is not missing for v in present)]
        if len(kept) < len(chunk):
            if not kept:
                continue
            chunk = [chunk[i] for i in kept]
            cells = {fieldname: [values[i] for i in kept] for fieldname, values in cells.items()}
        yield [number for number, _ in chunk], cells


def raw_cells(
    cells: Mapping[str, Sequence[Any]],
    headers: Mapping[str, str],
    shared: Mapping[str, Callable[[str], str]] | None = None,
) -> list[dict[str, str]]:
    """Each row's ``raw`` for its evidence: ``{header: text}`` of its non-empty cells, in
    the order of ``cells`` (a chunk of :func:`column_chunks`). ``shared[field]``, when
    given, answers equal texts of a column with one object (:meth:`SharedText.sharer`)."""
    keys = [headers[fieldname] for fieldname in cells]
    texts = []
    for fieldname, column in cells.items():
        share = shared[fieldname] if shared is not None else None
        if share is None:
            texts.append([v if v is missing or type(v) is str else str(v) for v in column])
        else:
            texts.append([v if v is missing else share(v if type(v) is str else str(v)) for v in column])
    return [
        dict(zip(keys, values)) if missing not in values
        else {key: value for key, value in zip(keys, values) if value is not missing}
        for values in zip(*texts)
    ]  # fmt: skip


class EvidenceRows:
    """Rows of evidence loaded through the schema column by column, with what
    :func:`load_attestation` does for each: the same records, and the same problems
    in the same order.

    A reader either hands a chunk of rows at a time to :meth:`load`, as columns, or
    each row's record to :meth:`add` and each problem it finds on a row to
    :meth:`problem` (not to ``ctx.problem``, or it would come before those of the rows
    still waiting), and yields what they return, then what :meth:`flush` returns at
    the end of the sheet. Rows the schema refuses go through :func:`load_attestation`
    one by one, as a row-by-row reader would.
    """

    def __init__(self, ctx: ReadContext, *, sheet: str | None, date_column: str | None) -> None:
        self.ctx = ctx
        self.sheet = sheet
        self.date_column = date_column
        self._file = ctx.display_path
        #: (row, record) to load, or (row, problem arguments) to report, in row order
        self._pending: list[tuple[int, dict[str, Any] | None, tuple[str, str | None, str] | None]] = []
        self._records = 0

    def problem(self, message: str, *, row: int, column: str | None = None, severity: str = "error") -> None:
        self._pending.append((row, None, (message, column, severity)))

    def add(self, row: int, record: dict[str, Any]) -> Iterator[Attestation]:
        self._pending.append((row, record, None))
        self._records += 1
        if self._records >= LOAD_CHUNK:
            return self.flush()
        return iter(())

    def flush(self) -> Iterator[Attestation]:
        """The attestations of the rows added so far (the rows are taken now)."""
        pending, self._pending, self._records = self._pending, [], 0
        if not pending:
            return iter(())
        keys: dict[str, None] = {}
        for _, record, _ in pending:
            if record is not None:
                keys.update(dict.fromkeys(record))
        keys.pop("source", None)
        rows = [row for row, _, _ in pending]
        problems = {i: problem for i, (_, _, problem) in enumerate(pending) if problem is not None}
        empty: dict[str, Any] = {}
        columns = {key: [(record or empty).get(key, missing) for _, record, _ in pending] for key in keys}
        return self.load(rows, columns, problems)

    def load(
        self,
        rows: Sequence[int],
        columns: Mapping[str, Sequence[Any]],
        problems: Mapping[int, tuple[str, str | None, str]] | None = None,
    ) -> Iterator[Attestation]:
        """The attestations of a chunk of rows, in row order: ``columns[key][i]`` is the
        value of ``key`` in the record of row ``rows[i]``, or ``missing`` where it has
        none. A row ``i`` in ``problems`` is no evidence: its ``(message, column,
        severity)`` is reported in its place and its values are not looked at. Rows
        added and not flushed yet come first."""
        yield from self.flush()
        problems = problems or {}
        kept: Sequence[int] = range(len(rows))
        if problems:
            kept = [i for i in kept if i not in problems]
            columns = {key: [column[i] for i in kept] for key, column in columns.items()}
        loading = {key: column for key, column in columns.items() if key != "source"}
        loading["source"] = [Provenance(self._file, self.sheet, rows[i]) for i in kept]
        loaded, refused = _ATTESTATION.load_columns(loading, len(kept))
        ctx, sheet = self.ctx, self.sheet
        j = 0
        for i, row in enumerate(rows):
            problem = problems.get(i)
            if problem is not None:
                message, column, severity = problem
                ctx.problem(message, sheet=sheet, row=row, column=column, severity=severity)
                continue
            attestation = loaded[j]
            if j in refused:
                record = {key: column[j] for key, column in columns.items() if column[j] is not missing}
                attestation = load_attestation(record, ctx, sheet=sheet, row=row, date_column=self.date_column)
            j += 1
            if attestation is not None:
                yield attestation


def _messages(exc: ValidationError) -> dict[str, Any]:
    return exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}


def _text(exc: ValidationError) -> str:
    return "; ".join(flatten_messages(_messages(exc)))
