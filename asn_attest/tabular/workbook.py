"""Stream the rows of any readable file kind as plain Python values.

Every kind yields the same shapes, so readers of rosters and of signature evidence never
care where a row came from:

- a row is ``(row_number, values)``: ``row_number`` is what the user sees (the Excel row,
  the CSV line where the record starts, the HTML table row); trailing empty cells are
  trimmed and completely empty rows are skipped, their numbers simply missing;
- an empty cell is ``None`` (an empty string is never yielded);
- text is kept as it is, line breaks included ("NAMA\\nNIP" cells need them): cleaning
  is the caller's job;
- a typed number is an ``int`` when it is integral and ``abs(value) < 1e15``, else a
  ``float``, whatever the kind. Excel keeps 15 significant digits, so an 18-digit NIP
  stored as a number always comes out as a float, which the NIP rules treat as damaged;
- booleans are ``bool``; dates are ``datetime.datetime`` (1904-based workbooks included);
  a time-only cell is a ``datetime.time``, a duration-formatted xlsx cell a
  ``datetime.timedelta``; a date serial outside Excel's range reads as ``"#VALUE!"``;
- an error cell yields its error text, a ``str`` such as ``"#N/A"`` or ``"#REF!"``;
- CSV and HTML have no types: every value is a ``str``.

Each kind has one backend in :data:`BACKENDS`; a faster reader for a kind (python-calamine
for xlsx, once the sheet's real extent is bounded) replaces one entry and nothing else.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, Protocol, Union

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from asn_attest.errors import DataError
from asn_attest.tabular.kinds import HEAD_SIZE, FileKind, FileSample, sample_file

CellValue = Union[
    None, str, int, float, bool, datetime.datetime, datetime.date, datetime.time,
    datetime.timedelta,
]
Row = tuple[int, tuple[CellValue, ...]]

#: Longest CSV field accepted, in characters. Python's csv module stops at 128 KiB;
#: a real cell is far shorter, and beyond this bound the field is almost always an
#: unbalanced quote swallowing the lines after it.
CSV_FIELD_LIMIT = 1024 * 1024

#: Delimiters a CSV may use, rarest inside values first: that order breaks ties
#: ("1,5;2,5" is two fields of Indonesian decimals, not three).
CSV_DELIMITERS = ("\t", "|", ";", ",")

_INT_LIMIT = 10**15
_NUMBER_TYPES = frozenset((int, float))
_CHUNK = 1024 * 1024


def xml_is_defused() -> bool:
    """Whether openpyxl parses xlsx XML through defusedxml (entity expansion refused).

    The CLI checks this at start and refuses untrusted workbooks when it is False.
    """
    from openpyxl import xml

    return bool(xml.DEFUSEDXML)


def _no_rows() -> Iterator[Row]:
    return iter(())


@dataclass
class Sheet:
    """One sheet of a workbook (or the one table of a CSV, or one <table> of a page).

    ``index`` is the sheet's 0-based position in :attr:`Workbook.sheets`.
    """

    name: str | None
    hidden: bool
    index: int
    source: Callable[[], Iterator[Row]] = field(
        default=_no_rows, repr=False, compare=False, kw_only=True
    )
    max_rows: int | None = field(default=None, repr=False, compare=False, kw_only=True)
    limit_hint: str | None = field(default=None, repr=False, compare=False, kw_only=True)
    file: Path | None = field(default=None, repr=False, compare=False, kw_only=True)

    def rows(self) -> Iterator[Row]:
        """Yield ``(row_number, values)`` for each non-empty row, streaming.

        With ``max_rows``, the DataError comes when the row past the limit is reached:
        the rows before it have already been yielded.
        """
        rows = self.source()
        if self.max_rows is None:
            return rows
        return self._limited(rows, self.max_rows)

    def _limited(self, rows: Iterator[Row], limit: int) -> Iterator[Row]:
        count = 0
        for row in rows:
            count += 1
            if count > limit:
                hint = f"; {self.limit_hint}" if self.limit_hint else ""
                raise DataError(
                    f"more than {limit:,} rows in this sheet; expected at most {limit:,}{hint}",
                    file=self.file or "?",
                    sheet=self.name,
                    row=row[0],
                )
            yield row


class _Backend(Protocol):
    """What a reader for one file kind provides to :class:`Workbook`."""

    sheets: list[tuple[str | None, bool]]  # (name, hidden) in workbook order
    datemode_1904: bool

    def rows(self, index: int) -> Iterator[Row]: ...

    def close(self) -> None: ...


class Workbook:
    """An open input file: its sheets, streamed on demand. Close it (or use ``with``)."""

    def __init__(self, path: Path, kind: FileKind, backend: _Backend, sheets: list[Sheet]):
        self.path = path
        self.kind = kind
        self.sheets = sheets
        self.datemode_1904 = backend.datemode_1904
        self._backend = backend

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workbook({str(self.path)!r}, kind={self.kind.value!r}, sheets={len(self.sheets)})"


def open_workbook(
    path: Path,
    kind: FileKind | None = None,
    *,
    max_rows: int | None = None,
    limit_hint: str | None = None,
) -> Workbook:
    """Open ``path`` for reading rows; ``kind`` is detected from the content when None.

    ``max_rows`` bounds the rows of each sheet; ``limit_hint`` ends the message of that
    DataError (the CLI passes "raise the limit with ASN_ATTEST_MAX_ROWS").
    """
    path = Path(path)
    sample = sample_file(path, kind=kind)
    backend = BACKENDS[sample.kind](sample, max_rows=max_rows, limit_hint=limit_hint)
    sheets = [
        Sheet(
            name,
            hidden,
            index,
            source=partial(backend.rows, index),
            max_rows=max_rows,
            limit_hint=limit_hint,
            file=path,
        )
        for index, (name, hidden) in enumerate(backend.sheets)
    ]
    return Workbook(path, sample.kind, backend, sheets)


def _why(exc: BaseException) -> str:
    """An exception's own words for a message, never just its type name."""
    text = str(exc).strip().splitlines()
    return f" ({text[0][:200]})" if text else ""


class _ClosedCheck:
    closed = False

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("the workbook is closed")


# --- xlsx -----------------------------------------------------------------------------------


class _XlsxBackend(_ClosedCheck):
    """openpyxl read-only, values only, cached formula results.

    Rows are numbered by counting what openpyxl yields from A1; it fills in missing rows,
    but drops a <row> whose number goes backwards (no spreadsheet program writes that).
    """

    def __init__(self, sample: FileSample, **_: object) -> None:
        self.path = sample.path
        # A file object, not the path: openpyxl refuses names not ending in .xlsx, and
        # PHP systems name their files anything.
        self._fh = sample.path.open("rb")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unsupported extensions, missing styles
                self._wb = openpyxl.load_workbook(
                    self._fh, read_only=True, data_only=True, keep_links=False
                )
        except Exception as exc:
            self._fh.close()
            raise DataError(
                f"cannot open the xlsx workbook{_why(exc)}; expected a workbook saved by "
                "Excel or LibreOffice: open it and save it again",
                file=self.path,
            ) from None
        self._worksheets = self._wb.worksheets  # chart sheets have no rows
        self.sheets = [(ws.title, ws.sheet_state != "visible") for ws in self._worksheets]
        self.datemode_1904 = self._wb.epoch == CALENDAR_MAC_1904

    def rows(self, index: int) -> Iterator[Row]:
        self._check_open()
        worksheet = self._worksheets[index]
        # The <dimension> element is written by the producing program and may claim
        # fewer rows than there are; openpyxl then stops early without a word.
        worksheet.reset_dimensions()
        return self._rows(worksheet)

    def _rows(self, worksheet: Any) -> Iterator[Row]:
        row_number = 0
        limit = _INT_LIMIT
        number_types = _NUMBER_TYPES
        try:
            # iter_rows starts at A1 and yields an empty tuple for each missing row, so
            # counting gives the Excel row number.
            for row_number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
                if not values:
                    continue
                # One comprehension per row (measured cheaper than testing the row's types
                # first): "" becomes None, numbers follow the int/float rule, the rest
                # passes through untouched.
                out = [
                    (v or None) if type(v) is str
                    else v if type(v) not in number_types
                    else (int(v) if v.is_integer() and -limit < v < limit else v)
                    if type(v) is float
                    else (v if -limit < v < limit else float(v))
                    for v in values
                ]
                while out and out[-1] is None:
                    out.pop()
                if out:
                    yield row_number, tuple(out)
        except Exception as exc:
            self._check_open()  # closed under a running iteration: not the file's fault
            where = f" after row {row_number}" if row_number else ""
            raise DataError(
                f"corrupt xlsx sheet{where}{_why(exc)}; open the file in Excel and save it again",
                file=self.path,
                sheet=worksheet.title,
            ) from None

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._wb.close()
            self._fh.close()


# --- xls ------------------------------------------------------------------------------------


class _DiscardLog:
    """xlrd writes its warnings to a log file, stdout by default; nothing below the CLI prints."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


class _XlsBackend(_ClosedCheck):
    """xlrd, sheets loaded one at a time (``on_demand``) and released after use."""

    def __init__(self, sample: FileSample, **_: object) -> None:
        import xlrd  # only .xls needs it: importing this module must not

        self.path = sample.path
        try:
            self._book = xlrd.open_workbook(
                str(sample.path), on_demand=True, ragged_rows=True, logfile=_DiscardLog()
            )
        except Exception as exc:
            if "encrypted" in str(exc).lower():
                message = "password-protected workbook: remove the password in Excel and save again"
            else:
                message = (
                    f"cannot read the .xls workbook{_why(exc)}; expected an Excel 97-2003 "
                    "workbook: open it in Excel and save as .xlsx"
                )
            raise DataError(message, file=self.path) from None
        names = self._book.sheet_names()
        # BOUNDSHEET visibility is known without loading the sheet; xlrd 2.0 is frozen,
        # so its private list is stable. Fall back to loading when it is missing.
        visibility = getattr(self._book, "_sheet_visibility", None)
        if visibility is None or len(visibility) != len(names):
            visibility = [self._visibility(i) for i in range(len(names))]
        self.sheets = [(name, bool(v)) for name, v in zip(names, visibility)]
        self.datemode_1904 = self._book.datemode == 1

    def _visibility(self, index: int) -> int:
        sheet = self._book.sheet_by_index(index)
        self._book.unload_sheet(index)
        return sheet.visibility

    def rows(self, index: int) -> Iterator[Row]:
        self._check_open()
        return self._rows(index)

    def _rows(self, index: int) -> Iterator[Row]:
        book = self._book
        name = self.sheets[index][0]
        rowx = -1
        try:
            sheet = book.sheet_by_index(index)
            for rowx in range(sheet.nrows):
                types = sheet.row_types(rowx)
                values = sheet.row_values(rowx)
                if not any(types):  # every cell XL_CELL_EMPTY (0)
                    continue
                if _PLAIN_XLS_TYPES.issuperset(types):
                    out = [v if v != "" else None for v in values]
                else:
                    out = [_xls_value(t, v, book.datemode) for t, v in zip(types, values)]
                while out and out[-1] is None:
                    out.pop()
                if out:
                    yield rowx + 1, tuple(out)
        except Exception as exc:
            self._check_open()
            raise DataError(
                f"corrupt .xls sheet{_why(exc)}; open the file in Excel and save it again",
                file=self.path,
                sheet=name,
                row=rowx + 1 if rowx >= 0 else None,
            ) from None
        finally:
            if not self.closed:
                book.unload_sheet(index)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._book.release_resources()


# xlrd's cell types (xlrd.XL_CELL_*), fixed by the BIFF format.
_XL_EMPTY, _XL_TEXT, _XL_NUMBER, _XL_DATE, _XL_BOOLEAN, _XL_ERROR, _XL_BLANK = range(7)
_PLAIN_XLS_TYPES = frozenset((_XL_EMPTY, _XL_TEXT, _XL_BLANK))


def _xls_value(cell_type: int, value: object, datemode: int) -> CellValue:
    # xlrd gives str for text and float for numbers, dates, booleans and error codes.
    if cell_type == _XL_TEXT:
        return value or None  # type: ignore[return-value]
    if cell_type == _XL_NUMBER:
        value = float(value)  # type: ignore[arg-type]
        if value.is_integer() and -_INT_LIMIT < value < _INT_LIMIT:
            return int(value)
        return value
    if cell_type == _XL_DATE:
        import xlrd

        value = float(value)  # type: ignore[arg-type]
        try:
            moment = xlrd.xldate_as_datetime(value, datemode)
            return moment.time() if 0 <= value < 1 else moment  # a time of day, as openpyxl
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return "#VALUE!"
    if cell_type == _XL_BOOLEAN:
        return bool(value)
    if cell_type == _XL_ERROR:
        import xlrd

        return xlrd.error_text_from_code.get(value, "#N/A")  # type: ignore[call-overload]
    return None  # XL_CELL_EMPTY, XL_CELL_BLANK


# --- CSV ------------------------------------------------------------------------------------


def guess_delimiter(lines: Iterable[str]) -> str:
    """The delimiter that splits most records into the same number (> 1) of fields.

    Fields are counted by the csv module, so delimiters inside quotes do not count.
    Ties go to the delimiter rarest inside values (see :data:`CSV_DELIMITERS`); with no
    candidate giving more than one field, the file is one column and "," is returned.
    """
    sample = [line.replace("\0", "") for line in lines]  # csv refuses NUL before 3.11
    best, best_score = ",", (0, 0, 0)
    for rank, delimiter in enumerate(reversed(CSV_DELIMITERS)):
        try:
            widths = Counter(
                len(record) for record in csv.reader(sample, delimiter=delimiter) if len(record) > 1
            )
        except csv.Error:  # e.g. a lone CR inside a line given by a caller
            continue
        if not widths:
            continue
        width, frequency = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (frequency, width, rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_SAMPLE_LINES = 50


def _sample_lines(sample: FileSample) -> list[str]:
    decoder = codecs.getincrementaldecoder(sample.encoding or "utf-8")("replace")
    text = decoder.decode(sample.head).lstrip("\ufeff")
    lines = io.StringIO(text, newline="").readlines()
    if len(lines) > _SAMPLE_LINES:
        return lines[:_SAMPLE_LINES]
    if len(lines) > 1 and len(sample.head) >= HEAD_SIZE:
        lines.pop()  # the head cut the last line short
    return lines


class _CsvBackend(_ClosedCheck):
    """One table, streamed through a text wrapper: memory stays flat on big files."""

    datemode_1904 = False

    def __init__(self, sample: FileSample, **_: object) -> None:
        self.path = sample.path
        self.encoding = sample.encoding or "utf-8"
        self.delimiter = guess_delimiter(_sample_lines(sample))
        self.sheets = [(None, False)]
        self._open: set[IO[str]] = set()

    def rows(self, index: int) -> Iterator[Row]:
        self._check_open()
        return self._rows()

    def _rows(self) -> Iterator[Row]:
        csv.field_size_limit(CSV_FIELD_LIMIT)  # process-wide, as the csv module has it
        text = io.TextIOWrapper(self.path.open("rb"), encoding=self.encoding, newline="")
        self._open.add(text)
        try:
            # NUL bytes (padding from broken exports) are dropped, and never reach csv.
            lines = (line.replace("\0", "") for line in text)
            reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
            previous = 0
            try:
                for record in reader:
                    start = previous + 1
                    previous = reader.line_num
                    if not record:
                        continue
                    if previous != start:
                        # A quoted field spans lines: one line break, "\n", as in Excel.
                        record = [v.replace("\r\n", "\n").replace("\r", "\n") for v in record]
                    if "" in record:
                        values = [v or None for v in record]
                        while values and values[-1] is None:
                            values.pop()
                        if values:
                            yield start, tuple(values)
                    else:
                        yield start, tuple(record)
            except csv.Error as exc:
                raise self._csv_error(exc, previous + 1) from None
            except UnicodeDecodeError:
                raise DataError(
                    f"bytes that are not valid {self.encoding} near line {reader.line_num + 1}; "
                    f"expected the whole file in one encoding",
                    file=self.path,
                    row=reader.line_num + 1,
                ) from None
        finally:
            self._open.discard(text)
            text.close()

    def _csv_error(self, exc: csv.Error, record_line: int) -> DataError:
        text = str(exc)
        if "unexpected end of data" in text or "field larger than field limit" in text:
            line, too_long = _open_field_line(
                self.path, self.encoding, self.delimiter, record_line
            )
            if not too_long:
                return DataError(
                    f'unbalanced quote: the field opened with " at line {line} is never closed; '
                    'expected a closing " (write a quote inside a field as "")',
                    file=self.path,
                    row=line,
                )
            return DataError(
                f"a field longer than {CSV_FIELD_LIMIT // 1024 // 1024} MiB starts at line {line}, "
                'most likely an unbalanced " there; expected fields shorter than that',
                file=self.path,
                row=line,
            )
        if "expected after" in text:
            return DataError(
                f"text after a closing quote in the record at line {record_line}; expected "
                f"{self.delimiter!r} right after a closing \" (write a quote inside a field as \"\")",
                file=self.path,
                row=record_line,
            )
        return DataError(
            f"malformed CSV record at line {record_line}{_why(exc)}",
            file=self.path,
            row=record_line,
        )

    def close(self) -> None:
        self.closed = True
        for text in list(self._open):
            text.close()


def _open_field_line(
    path: Path, encoding: str, delimiter: str, record_line: int
) -> tuple[int, bool]:
    """Where the field that broke the csv module starts, found off the hot path.

    Rescans from the record's first line with the same quoting rules and returns the
    line of the quoted field left open at the end of the file, or of the first field
    longer than :data:`CSV_FIELD_LIMIT` (then ``too_long`` is True).
    """
    in_quotes = quote_pending = False
    at_field_start = True
    field_line = field_length = 0
    with io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="replace", newline="") as text:
        for line_number, line in enumerate(text, 1):
            if line_number < record_line:
                continue
            for char in line:
                if quote_pending:  # the previous char was a quote inside a quoted field
                    quote_pending = False
                    if char == '"':
                        field_length += 1
                        continue
                    in_quotes = False
                if in_quotes:
                    if char == '"':
                        quote_pending = True
                    else:
                        field_length += 1
                elif char == delimiter or char in "\r\n":
                    at_field_start, field_length = True, 0
                    continue
                elif char == '"' and at_field_start:
                    in_quotes, field_line = True, line_number
                else:
                    if at_field_start:
                        field_line = line_number
                    field_length += 1
                at_field_start = False
                if field_length > CSV_FIELD_LIMIT:
                    return field_line, True
    if in_quotes and not quote_pending:
        return field_line, False
    return max(record_line, field_line), False


# --- HTML -----------------------------------------------------------------------------------

# The HTML standard's own bounds on spans; a hostile colspan must not allocate gigabytes.
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534

_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 pre blockquote address center hr "
    "section article header footer table caption".split()
)
# Only elements the parser itself closes: an unclosed <head> or <title> in a sloppy
# page must not hide the tables after it.
_IGNORED_TAGS = frozenset(("script", "style"))
_ROW_GROUP_TAGS = frozenset(("thead", "tbody", "tfoot"))


class _Table:
    __slots__ = ("rows", "row_number", "cells", "lines", "pieces", "spans", "count", "cell_spans")

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.row_number = 0
        self.cells: list[tuple[str | None, int, int]] | None = None
        self.lines: list[str] | None = None  # finished lines of the open cell
        self.pieces: list[str] = []  # text of the open cell's current line
        self.spans: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        self.count = 0
        self.cell_spans = (1, 1)  # colspan, rowspan of the open cell


class _TableCollector(HTMLParser):
    """Collects every <table>; a table inside a cell is a table of its own.

    The enclosing cell keeps only its own text (nested tables are layout wrappers around
    the data table in PHP exports; flattening them into one cell would help nobody).
    """

    def __init__(self, path: Path, max_rows: int | None, limit_hint: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.max_rows = max_rows
        self.limit_hint = limit_hint
        self.tables: list[_Table] = []
        self._stack: list[_Table] = []
        self._ignored = 0

    # cells

    def _break_line(self, table: _Table) -> None:
        if table.lines is not None:
            table.lines.append(" ".join("".join(table.pieces).split()))
            table.pieces = []

    def _close_cell(self, table: _Table) -> None:
        if table.lines is None:
            return
        self._break_line(table)
        text = "\n".join(line for line in table.lines if line) or None
        table.lines = None
        colspan, rowspan = table.cell_spans
        assert table.cells is not None
        table.cells.append((text, colspan, rowspan))

    def _open_row(self, table: _Table) -> None:
        self._close_row(table)
        table.row_number += 1
        table.cells = []

    def _close_row(self, table: _Table) -> None:
        if table.cells is None:
            return
        self._close_cell(table)
        cells, table.cells = table.cells, None
        covered = table.spans
        values: list[str | None] = []
        new_spans: dict[int, int] = {}
        column = 0
        for text, colspan, rowspan in cells:
            while covered.get(column):
                values.append(None)
                column += 1
            values.append(text)
            values.extend([None] * (colspan - 1))
            if rowspan > 1:
                for spanned in range(column, column + colspan):
                    new_spans[spanned] = rowspan - 1
            column += colspan
        table.spans = {c: n - 1 for c, n in covered.items() if n > 1}
        table.spans.update(new_spans)
        while values and values[-1] is None:
            values.pop()
        if not values:
            return
        table.count += 1
        if self.max_rows is not None and table.count > self.max_rows:
            hint = f"; {self.limit_hint}" if self.limit_hint else ""
            raise DataError(
                f"more than {self.max_rows:,} rows in this table; expected at most "
                f"{self.max_rows:,}{hint}",
                file=self.path,
                sheet=f"table {self.tables.index(table) + 1}",
                row=table.row_number,
            )
        table.rows.append((table.row_number, tuple(values)))

    # parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored += 1
            return
        table = self._stack[-1] if self._stack else None
        if tag == "table":
            if table is not None:
                self._break_line(table)
            new = _Table()
            self.tables.append(new)
            self._stack.append(new)
        elif table is None:
            return
        elif tag in ("td", "th"):
            if table.cells is None:
                self._open_row(table)  # a cell outside any <tr>: browsers open a row
            self._close_cell(table)
            table.cell_spans = (
                _span(attrs, "colspan", _MAX_COLSPAN),
                _span(attrs, "rowspan", _MAX_ROWSPAN),
            )
            table.lines, table.pieces = [], []
        elif tag == "tr":
            self._open_row(table)
        elif tag in _ROW_GROUP_TAGS:
            self._close_row(table)
            table.spans = {}  # rowspans end with their row group, as in browsers
        elif tag == "br" or tag in _BLOCK_TAGS:
            self._break_line(table)

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored = max(0, self._ignored - 1)
            return
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "table":
            self._close_row(table)
            self._stack.pop()
            if self._stack:
                self._break_line(self._stack[-1])
        elif tag in ("td", "th"):
            self._close_cell(table)
        elif tag == "tr":
            self._close_row(table)
        elif tag in _ROW_GROUP_TAGS:
            self._close_row(table)
            table.spans = {}
        elif tag == "br" or tag in _BLOCK_TAGS:
            self._break_line(table)

    def handle_data(self, data: str) -> None:
        if self._stack and not self._ignored:
            table = self._stack[-1]
            if table.lines is not None:
                table.pieces.append(data)

    def finish(self) -> None:
        self.close()
        while self._stack:
            self._close_row(self._stack.pop())


def _span(attrs: list[tuple[str, str | None]], name: str, bound: int) -> int:
    for key, value in attrs:
        if key == name and value:
            digits = value.strip().split(".")[0]
            if digits.isdigit():
                number = int(digits[:6])
                if number == 0 and name == "rowspan":
                    return bound  # rowspan="0": to the end of the row group
                return min(max(number, 1), bound)
    return 1


class _HtmlBackend(_ClosedCheck):
    """The stdlib parser over the whole page: the number of tables is known only at the end,
    so a page is parsed once at open (bounded by ``max_rows`` per table)."""

    datemode_1904 = False

    def __init__(
        self, sample: FileSample, *, max_rows: int | None = None,
        limit_hint: str | None = None, **_: object,
    ) -> None:
        self.path = sample.path
        collector = _TableCollector(sample.path, max_rows, limit_hint)
        encoding = sample.encoding or "utf-8"
        with io.TextIOWrapper(
            sample.path.open("rb"), encoding=encoding, errors="replace", newline=""
        ) as text:
            while chunk := text.read(_CHUNK):
                collector.feed(chunk.replace("\0", ""))
        collector.finish()
        self._tables = [table.rows for table in collector.tables]
        self.sheets = [(f"table {i}", False) for i in range(1, len(self._tables) + 1)]

    def rows(self, index: int) -> Iterator[Row]:
        self._check_open()
        return iter(self._tables[index])

    def close(self) -> None:
        self.closed = True
        self._tables = []


#: The reader for each kind: ``factory(sample, max_rows=..., limit_hint=...)``.
BACKENDS: dict[FileKind, Callable[..., _Backend]] = {
    FileKind.XLSX: _XlsxBackend,
    FileKind.XLS: _XlsBackend,
    FileKind.CSV: _CsvBackend,
    FileKind.HTML: _HtmlBackend,
}
