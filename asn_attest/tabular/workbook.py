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

Each kind has one backend in :data:`BACKENDS`; a faster reader for a kind replaces one entry
and nothing else.

Reading stays bounded by what a spreadsheet program can write, whatever the file claims:
every part of an xlsx that openpyxl reads is refused beyond :data:`MAX_UNZIPPED_ENV` MB
unzipped, beyond :data:`TEXT_RUN_LIMIT` of text in one cell or string, or (a sheet) with a
row beyond :data:`ROW_BYTES_LIMIT` or numbered beyond Excel's last row, before the parser
holds it; XML that declares entities is refused by defusedxml. :meth:`Sheet.marks` gives
hidden rows and merged cells, for readers to warn about.

xlsx (and xlsm) is read by python-calamine, several times faster than openpyxl read-only,
which stays as the reference it must agree with and as the fallback:
``ASN_ATTEST_XLSX_READER=openpyxl`` forces openpyxl, and it is used when python-calamine is
not installed. Two rules hold (written against python-calamine 0.9 / calamine 0.37):

- Safety. python-calamine builds a sheet's whole bounding box in memory before yielding a
  row and aborts the process (no exception) when that allocation fails: cells at A1 and
  XFD1048576 are enough. It also finds sheet parts its own way (from the workbook's folder,
  without normalising "..", ignoring case). So before python-calamine may open any sheet,
  every zip member holding a ``sheetData`` element is streamed through a scan (regular
  expressions over 1 MiB pieces) that proves each cell tag is written ``<c r="A1" ...>``,
  plainly, with its reference inside a box of at most :data:`CALAMINE_CELL_BUDGET` cells
  (columns at most ZZ, rows at most Excel's last). Any other form (no reference, a second
  one, a namespace prefix, single quotes, a reference out of the box), a DTD or a part that
  is not UTF-8 leaves the whole workbook to openpyxl, which streams with flat memory and
  words every refusal (encrypted, truncated, bad deflate data, entity declarations) as
  before. The scan reads each member within the bounds openpyxl reads a sheet in, so that
  both readers refuse alike: a sheet beyond one leaves the workbook to openpyxl, which
  refuses it; a member beyond one before any ``sheetData`` (an image of zeros) is passed
  over like any member without it (were it a sheet's part, that sheet is openpyxl's, which
  refuses it). Row limits are ``max_rows`` as for every kind: the box only decides who reads.
- Identity. A sheet python-calamine reads yields exactly what openpyxl yields. The sheet list,
  hidden states, date system and date styles come from openpyxl's own reading of the
  workbook (everything but the shared strings and the sheets), and python-calamine must see
  the same sheets in the same parts. Where it reads values differently the scan leaves the
  sheet (for shared strings, the workbook) to openpyxl: ``_xHHHH_`` escapes (python-calamine
  decodes them, openpyxl keeps them), text with edge white space and no
  ``xml:space="preserve"`` (python-calamine trims it), ISO dates (``t="d"``), and
  date-formatted numbers that are negative, of seven digits or more, with an exponent, or a
  hair below 1 (openpyxl's "#VALUE!", dates before 1900, rounding to a day). Error cells,
  which python-calamine reads as empty, get their text from the scan. Merged cells need
  nothing (both give the value in the top-left cell only), nor hidden rows (both read them).
  A date-time, time or duration whose fraction of a second falls on a half millisecond may
  differ by 1 ms: the two round from different sums (whole seconds always agree).
  python-calamine reads some malformed sheets that openpyxl refuses as corrupt (mismatched
  end tags, a number cell holding text).
  When python-calamine fails on a sheet after the scan, openpyxl reads it on from the row
  after the last one yielded.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import posixpath
import re
import string
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from html.parser import HTMLParser
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Protocol, Union

from openpyxl.packaging.relationship import RelationshipList, get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

from asn_attest.errors import ConfigError, DataError
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

#: Environment variable: the most rows read from one sheet (parsed by
#: :func:`asn_attest.reading.max_rows_from_env`).
MAX_ROWS_ENV = "ASN_ATTEST_MAX_ROWS"
#: What the message of the row limit ends with when the caller gives no other words.
LIMIT_HINT = f"raise the limit with {MAX_ROWS_ENV}=N if this file is genuine"

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


@dataclass(frozen=True)
class SheetMarks:
    """What a sheet shows differently from what it holds, for readers to warn about.

    ``hidden_rows``: the numbers of rows hidden in Excel that hold cells (they are read like
    any other row). ``merged``: each merged range as ``(first_row, first_column, last_row,
    last_column)``, 1-based; its value is in its first cell only, the others read as empty.
    """

    hidden_rows: frozenset[int] = frozenset()
    merged: tuple[tuple[int, int, int, int], ...] = ()


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
    #: what the row limit's message ends with; None: :data:`LIMIT_HINT`
    limit_hint: str | None = field(default=None, repr=False, compare=False, kw_only=True)
    file: Path | None = field(default=None, repr=False, compare=False, kw_only=True)
    #: hidden rows and merged cells; by default none (CSV has neither)
    marks_source: Callable[[], SheetMarks] = field(default=SheetMarks, repr=False, compare=False, kw_only=True)

    def marks(self) -> SheetMarks:
        """Hidden rows and merged cells, found by another pass over the sheet (unless the scan
        before python-calamine found them on its way): ask after reading the rows, and only
        when the answer is wanted (CSV has neither)."""
        return self.marks_source()

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
                raise DataError(
                    f"more than {limit:,} rows in this sheet; expected at most {limit:,}; "
                    f"{self.limit_hint or LIMIT_HINT}",
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

    # Optional: ``marks(index) -> SheetMarks``, the hidden rows and merged cells of a sheet
    # (a backend without it has none, as CSV).


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
    DataError, :data:`LIMIT_HINT` ("raise the limit with ASN_ATTEST_MAX_ROWS=N...") by default.
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
            marks_source=partial(backend.marks, index) if hasattr(backend, "marks") else SheetMarks,
            max_rows=max_rows,
            limit_hint=limit_hint,
            file=path,
        )
        for index, (name, hidden) in enumerate(backend.sheets)
    ]
    return Workbook(path, sample.kind, backend, sheets)


def positive_int_from_env(
    name: str, default: int, *, unit: str = "", environ: Mapping[str, str] | None = None
) -> int:
    """The positive whole number the environment variable ``name`` is set to ("_" may group
    its digits), ``default`` when it is unset or blank; a ConfigError for any other setting.
    ``unit`` names what is counted in the message ("MB")."""
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        of = f" of {unit}" if unit else ""
        raise ConfigError(f"{name}={raw!r} is not a whole number{of}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")
    return value


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

#: Environment variable: the largest part of an xlsx (a sheet, the shared strings, the
#: styles) that is read, in MB once unzipped.
MAX_UNZIPPED_ENV = "ASN_ATTEST_MAX_UNZIPPED_MB"
DEFAULT_MAX_UNZIPPED_MB = 512
#: Most bytes of a part without a "<": the text of one cell or shared string. Excel holds at
#: most 32,767 characters in a cell (at most about 160 KB of XML, escaped), so more than
#: this is a bomb, never a roster; the XML parser would hold all of it in memory.
TEXT_RUN_LIMIT = 1024 * 1024
#: Most bytes of one <row> of a sheet: Excel's 16,384 columns of ordinary cells fit in far
#: less, and openpyxl holds a whole row, parsed, in memory (about 700 bytes a cell).
ROW_BYTES_LIMIT = 4 * 1024 * 1024
#: Excel's last row: a sheet that goes beyond it was not written by a spreadsheet program,
#: and openpyxl would yield an empty row for every number skipped up to it.
EXCEL_MAX_ROW = 1_048_576


def max_unzipped_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The bound of :data:`MAX_UNZIPPED_ENV` in bytes; a ConfigError for a bad setting."""
    return positive_int_from_env(MAX_UNZIPPED_ENV, DEFAULT_MAX_UNZIPPED_MB, unit="MB", environ=environ) * 1024 * 1024


class _PartRefused(ValueError):
    """A part of the workbook is beyond a bound; its message is the user's (a ValueError, so
    that openpyxl wraps it as it wraps its own refusals, and :func:`_xlsx_refusal` finds it)."""


#: The start of a <row> or </row> tag (namespace prefix allowed), searched for in the text
#: reversed: "wor" first, so that the search skips to each "row" as fast as a find.
_ROW_TAG_BACKWARDS = re.compile(rb"wor(?<=[\s/>]wor)(?::[\w.-]+)?(/?)<")


class _BoundedStream(io.RawIOBase):
    """A zip member as openpyxl reads it, refusing a stretch of text longer than
    :data:`TEXT_RUN_LIMIT` before the parser has to hold it (two ``find`` calls a read) and,
    in a sheet (``rows``), a <row> longer than :data:`ROW_BYTES_LIMIT`."""

    def __init__(self, stream: IO[bytes], name: str, *, rows: bool = False) -> None:
        super().__init__()
        self._stream = stream
        self._name = name
        self._run = 0  # bytes since the last "<"
        self._rows = rows
        self._offset = 0  # of the start of ``_tail`` in the part
        self._tail = b""  # a tag cut at the end of the last read
        self._row_start: int | None = None  # offset of the open <row>, if one is open

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        first = data.find(b"<")
        if first < 0:  # the run goes on through this read
            self._run += size
        elif self._run + first > TEXT_RUN_LIMIT:  # it ends in this read, beyond the bound
            self._run += first
        else:  # it ends within the bound: the run after this read's last "<" goes on
            self._run = size - 1 - data.rfind(b"<")
        if self._run > TEXT_RUN_LIMIT:
            raise _PartRefused(
                f"{self._name} holds a text of more than {TEXT_RUN_LIMIT // 1024 // 1024} MiB in one cell or "
                "string (Excel holds at most 32,767 characters in a cell): not a workbook Excel wrote"
            )
        if self._rows and size:
            self._track_rows(data)
        return size

    def _track_rows(self, data: bytes) -> None:
        text = self._tail + data
        cut = text.rfind(b"<")
        if cut < 0 or text.find(b">", cut) >= 0:  # else a tag cut short: read again with the next bytes
            cut = len(text)
        # Only the last row tag before the cut tells whether a row is open: searched for from
        # the end, a read costs about the length of its last row, and never more than its length.
        last = _ROW_TAG_BACKWARDS.search(text[cut - 1 :: -1]) if cut and b"row" in text else None
        if last is not None:
            start = cut - last.end()
            if last.group(1):  # </row>
                self._row_start = None
            else:
                close = text.find(b">", start, cut)
                self_closed = close > 0 and text[close - 1] == 0x2F  # <row .../>
                self._row_start = None if self_closed else self._offset + start
        self._offset += cut
        self._tail = text[cut:]
        if self._row_start is not None and self._offset + len(self._tail) - self._row_start > ROW_BYTES_LIMIT:
            raise _PartRefused(
                f"a row of more than {ROW_BYTES_LIMIT // 1024 // 1024} MiB of cells (Excel has at most 16,384 "
                "columns): not a sheet a spreadsheet program wrote"
            )

    def close(self) -> None:
        self._stream.close()
        super().close()


class _BoundedZipFile(zipfile.ZipFile):
    """The workbook's zip as openpyxl opens its parts: a part larger than ``limit`` once
    unzipped is refused before a byte of it is read (the size in the zip's directory is a
    true bound: zipfile never yields more), and no part holds a text run beyond
    :data:`TEXT_RUN_LIMIT`. openpyxl opens only the parts it reads; the scan before
    python-calamine streams every member through these bounds, up to the first it passes."""

    def __init__(self, file: IO[bytes], limit: int) -> None:
        super().__init__(file)
        self.limit = limit

    def open(  # type: ignore[override]
        self, name: Any, mode: str = "r", pwd: bytes | None = None, *, rows: bool = False, **kwargs: Any
    ) -> Any:
        """``rows``: the part is a sheet, whose rows are bounded too."""
        if mode != "r":
            return super().open(name, mode, pwd, **kwargs)
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if info.file_size > self.limit:
            mb = 1024 * 1024
            raise _PartRefused(
                f"{info.filename} expands to {-(-info.file_size // mb):,} MB when unzipped, more than the "
                f"limit of {self.limit // mb:,} MB; raise the limit with {MAX_UNZIPPED_ENV}=N (in MB) "
                "if this workbook is genuine"
            )
        stream = _BoundedStream(super().open(info, mode, pwd, **kwargs), info.filename, rows=rows)
        return io.BufferedReader(stream, buffer_size=64 * 1024)


_DEFUSED_WORDS = {
    "EntitiesForbidden": "declares XML entities",
    "ExternalReferenceForbidden": "refers to an external file",
    "NotSupportedError": "uses an XML feature that is not allowed",
}


def _xlsx_refusal(exc: BaseException) -> str | None:
    """The user's words for a refusal somewhere in ``exc``'s chain of causes: a bound of
    :class:`_BoundedZipFile`, or an XML attack that defusedxml stopped."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _PartRefused):
            return str(current)
        words = _DEFUSED_WORDS.get(type(current).__name__)
        if words and type(current).__module__.startswith("defusedxml"):
            return (
                f"the workbook {words}, which Excel never writes: an XML bomb or an attempt "
                "to read files of this computer; refused"
            )
        current = current.__cause__ or current.__context__
    return None


class _ReadOnlyReader(ExcelReader):
    """``load_workbook(read_only=True, data_only=True)``, with two changes: the parts are
    read through :class:`_BoundedZipFile`, and a sheet is not parsed when the workbook is
    opened (openpyxl parses a whole sheet that has no <dimension> to size it, and the
    backends reset the dimensions anyway)."""

    def __init__(self, fh: IO[bytes], limit: int) -> None:
        super().__init__(fh, read_only=True, keep_vba=False, data_only=True, keep_links=False)
        self.archive.close()  # the file object stays open: ZipFile did not open it
        self.archive = _BoundedZipFile(fh, limit)

    def read_worksheets(self) -> None:
        # ExcelReader.read_worksheets in read-only mode, with _SheetNotOpened.
        for sheet, relationship in self.parser.find_sheets():
            if relationship.target not in self.valid_files:
                continue
            if "chartsheet" in relationship.Type:
                self.read_chartsheet(sheet, relationship)
                continue
            rels = get_rels_path(relationship.target)
            if rels in self.valid_files:
                get_dependents(self.archive, rels)  # openpyxl parses them, and may refuse them
            worksheet = _SheetNotOpened(self.wb, sheet.name, relationship.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _cannot_open(path: Path, exc: BaseException) -> DataError:
    refusal = _xlsx_refusal(exc)
    if refusal is not None:
        return DataError(refusal, file=path)
    return DataError(
        f"cannot open the xlsx workbook{_why(exc)}; expected a workbook saved by "
        "Excel or LibreOffice: open it and save it again",
        file=path,
    )


_HIDDEN_ROW = re.compile(rb'<(?:[\w.-]+:)?row\s[^>]*?\bhidden="(?:1|true)"[^>]*?(/?)>')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,7})"')
_MERGE_CELL = re.compile(rb'<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
#: Most merged ranges kept per sheet: enough to warn about, bounded for a hostile sheet.
_MAX_MERGES = 1000


class _MarksFinder:
    """Hidden rows with cells and merged ranges of a sheet part, fed in pieces that hold whole
    tags: a <row hidden="1"> holding cells, and <mergeCell ref> (they come after the cells, so
    they cannot be known while the rows stream)."""

    def __init__(self) -> None:
        self.hidden: set[int] = set()
        self.merged: list[tuple[int, int, int, int]] = []

    def feed(self, text: bytes) -> None:
        if b'hidden="' in text:
            for match in _HIDDEN_ROW.finditer(text):
                number = _ROW_NUMBER.search(match.group())
                if number and not match.group(1):  # a self-closed row holds no cell
                    self.hidden.add(int(number.group(1)))
        if b"mergeCell" in text:
            for match in _MERGE_CELL.finditer(text):
                if len(self.merged) < _MAX_MERGES:
                    first_col, first_row, last_col, last_row = match.groups()
                    self.merged.append((
                        int(first_row), _column_number(first_col), int(last_row), _column_number(last_col)
                    ))  # fmt: skip

    def marks(self) -> SheetMarks:
        return SheetMarks(frozenset(self.hidden), tuple(self.merged))


def _xlsx_marks(path: Path, part: str) -> SheetMarks:
    """The marks of one sheet part, streamed once more. A part that cannot be read has none."""
    finder = _MarksFinder()
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(_CHUNK):
                text = tail + chunk
                cut = text.rfind(b"<")
                if cut < 0 or text.find(b">", cut) >= 0 or len(text) - cut > TEXT_RUN_LIMIT:
                    cut = len(text)
                finder.feed(text[:cut])
                tail = text[cut:]
    except (OSError, EOFError, KeyError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return SheetMarks()
    return finder.marks()


class _XlsxMarks:
    """:meth:`marks` for an xlsx backend: each sheet's part streamed once more, the first time
    they are asked for, unless the scan before python-calamine found them already."""

    path: Path
    _parts: list[str]  # each sheet's zip member
    _marks: dict[int, SheetMarks]

    def marks(self, index: int) -> SheetMarks:
        if index not in self._marks:
            self._marks[index] = _xlsx_marks(self.path, self._parts[index])
        return self._marks[index]


class _XlsxBackend(_XlsxMarks, _ClosedCheck):
    """openpyxl read-only, values only, cached formula results.

    Rows are numbered by counting what openpyxl yields from A1; it fills in missing rows,
    but drops a <row> whose number goes backwards (no spreadsheet program writes that).
    """

    def __init__(self, sample: FileSample, *, unzipped_limit: int | None = None, **_: object) -> None:
        """``unzipped_limit``: :func:`max_unzipped_bytes`, when the caller has it already."""
        self.path = sample.path
        limit = max_unzipped_bytes() if unzipped_limit is None else unzipped_limit
        # A file object, not the path: openpyxl refuses names not ending in .xlsx, and
        # PHP systems name their files anything.
        self._fh = sample.path.open("rb")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unsupported extensions, missing styles
                reader = _ReadOnlyReader(self._fh, limit)
                try:
                    reader.read()
                except BaseException:
                    reader.archive.close()
                    raise
                self._wb = reader.wb
        except Exception as exc:
            self._fh.close()
            raise _cannot_open(self.path, exc) from None
        self._worksheets = self._wb.worksheets  # chart sheets have no rows
        self._parts = [ws._worksheet_path for ws in self._worksheets]
        self._marks = {}
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
                if row_number > EXCEL_MAX_ROW:
                    raise _PartRefused(
                        f"a row numbered beyond Excel's last row ({EXCEL_MAX_ROW:,}): not a sheet a "
                        "spreadsheet program wrote; open the file in Excel and save it again"
                    )
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
            refusal = _xlsx_refusal(exc)
            if refusal is not None:
                raise DataError(refusal, file=self.path, sheet=worksheet.title) from None
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


# --- xlsx through python-calamine -----------------------------------------------------------

#: Environment variable naming the xlsx reader, one of :data:`XLSX_READERS`.
XLSX_READER_ENV = "ASN_ATTEST_XLSX_READER"
#: ``calamine`` (the default) reads with python-calamine where that is safe and exact, else
#: with openpyxl; ``openpyxl`` always reads with openpyxl.
XLSX_READERS = ("calamine", "openpyxl")

#: Most cells of one sheet's bounding box that python-calamine may hold: about 90 bytes a
#: cell for a roster (32 for an empty one), so at most about 450 MB. A larger sheet sends its
#: workbook to openpyxl, which streams it.
CALAMINE_CELL_BUDGET = 5_000_000

_CALAMINE_MAX_COLUMNS = 702  # ZZ: wider sheets are not rosters, and the scan stays simple
#: Columns allowed beyond the widest row of the first megabyte (a note right of the table),
#: and never fewer than this many in all.
_COLUMN_SLACK = 8
_MIN_COLUMNS = 16
#: Built-in number formats python-calamine takes for dates and openpyxl does not (East Asian).
_CALAMINE_ONLY_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
#: python-calamine finds a sheet's cells only after this element (it also reads UTF-16).
_SHEET_DATA = (b"sheetData", "sheetData".encode("utf-16-le")[:-1])
_XML_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_PREFIXED_CELL = re.compile(rb":c[\t\n\r />]")
_ESCAPED_CHARACTER = re.compile(rb"_x[0-9A-Fa-f]{4}_")
# A <t> that python-calamine trims (edge white space, also as a character reference, without
# xml:space="preserve"), or a <t> with attributes other than exactly that one. The lookahead
# and back-reference take the text in one step, as a possessive [^<]*+ would (Python 3.11+).
_TRIMMED_TEXT = re.compile(
    rb'<t(?:>(?:[ \t\r\n]|&#|(?=([^<]*))\1(?<=[ \t\r\n;])</t>)| (?!xml:space="preserve">))'
)
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([1-9][0-9]*)"[^>]*? t="e"[^>]*>'
    rb"(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<&]*)</v></c>"
)
_HEAD_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_CALAMINE_1904 = re.compile(rb"""<workbookPr\b[^>]*?\sdate1904\s*=\s*["'](?:1|true)["']""")


class _UseOpenpyxl(Exception):
    """This workbook is read by openpyxl: the message says why."""


@dataclass
class _PartScan:
    """What the scan of one zip member that python-calamine could read as a sheet found.

    ``safe``: python-calamine may parse it (bounded, plain cell references, no DTD).
    ``exact``: python-calamine's values are openpyxl's, given ``errors``, the error cells'
    text by row number and 0-based column.
    """

    safe: bool = True
    exact: bool = True
    errors: dict[int, dict[int, str | None]] = field(default_factory=dict)
    #: the part's hidden rows and merged cells, found on the way (None: not scanned whole)
    marks: SheetMarks | None = None


@dataclass
class _XlsxLayout:
    """A workbook's sheets as openpyxl lists them, with the scan of each one's part."""

    sheets: list[tuple[str, bool]]
    states: list[str]
    scans: list[_PartScan]
    datemode_1904: bool
    parts: list[str] = field(default_factory=list)


@cache
def _calamine() -> ModuleType | None:
    try:
        import python_calamine
    except ImportError:
        return None
    return python_calamine


def _xlsx_backend(sample: FileSample, **options: Any) -> _Backend:
    """The xlsx reader :data:`XLSX_READER_ENV` asks for, python-calamine by default."""
    choice = os.environ.get(XLSX_READER_ENV, "").strip().lower() or XLSX_READERS[0]
    if choice not in XLSX_READERS:
        raise ConfigError(
            f"{XLSX_READER_ENV}={choice!r} is not an xlsx reader; expected one of: {', '.join(XLSX_READERS)}"
        )
    options["unzipped_limit"] = max_unzipped_bytes()  # once, for whichever reader reads
    if choice == "calamine" and _calamine() is not None:
        try:
            return _CalamineXlsxBackend(sample, **options)
        except _UseOpenpyxl:
            pass
    return _XlsxBackend(sample, **options)


class _CalamineXlsxBackend(_XlsxMarks, _ClosedCheck):
    """python-calamine for the cells of the sheets it reads as openpyxl would; openpyxl
    (:class:`_XlsxBackend`, opened when first needed) for the others.

    Raises :class:`_UseOpenpyxl` when the whole workbook is for openpyxl (see the module
    docstring).
    """

    def __init__(self, sample: FileSample, *, unzipped_limit: int | None = None, **options: Any) -> None:
        self.path = sample.path
        self._sample = sample
        limit = max_unzipped_bytes() if unzipped_limit is None else unzipped_limit
        self._options = {**options, "unzipped_limit": limit}
        self._openpyxl: _XlsxBackend | None = None
        layout = _read_layout(sample.path, limit)
        self.sheets = layout.sheets
        self.datemode_1904 = layout.datemode_1904
        self._scans = layout.scans
        self._parts = layout.parts
        self._marks = {index: scan.marks for index, scan in enumerate(layout.scans) if scan.marks is not None}
        self._book = _open_calamine(sample.path)
        try:
            _check_calamine_view(self._book, layout)
        except _UseOpenpyxl:
            self._book.close()
            raise

    def rows(self, index: int) -> Iterator[Row]:
        self._check_open()
        if not self._scans[index].exact:
            return self._openpyxl_backend().rows(index)
        return self._rows(index)

    def _rows(self, index: int) -> Iterator[Row]:
        last = 0
        rows = self._calamine_rows(index)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except BaseException as exc:
                if not _calamine_failed(exc):
                    raise
                break
            self._check_open()
            last = row[0]
            yield row
        # The rows so far are openpyxl's too: it goes on from the next one.
        self._check_open()
        for row in self._openpyxl_backend().rows(index):
            if row[0] > last:
                yield row

    def _calamine_rows(self, index: int) -> Iterator[Row]:
        sheet = self._book.get_sheet_by_name(self.sheets[index][0])
        start = sheet.start
        if start is None:  # no cell with a value
            return
        first_row, first_column = start
        rows = sheet.iter_rows()
        if _iter_rows_start_at_row_one():
            rows = islice(rows, first_row, None)  # the empty rows above the first used one
        pad = [None] * first_column
        errors = self._scans[index].errors
        limit = _INT_LIMIT
        special = _CALAMINE_SPECIAL_TYPES
        for row_number, values in enumerate(rows, first_row + 1):
            # As in _XlsxBackend._rows: "" becomes None, numbers follow the int/float rule;
            # a date comes as datetime, as openpyxl gives it.
            out = [
                (v or None) if type(v) is str
                else (int(v) if v.is_integer() and -limit < v < limit else v) if type(v) is float
                else v if type(v) not in special
                else _calamine_special(v)
                for v in values
            ]
            if pad:
                out[:0] = pad
            if errors and row_number in errors:
                for column, text in errors[row_number].items():
                    if column >= len(out):
                        out.extend([None] * (column + 1 - len(out)))
                    out[column] = text
            while out and out[-1] is None:
                out.pop()
            if out:
                yield row_number, tuple(out)

    def _openpyxl_backend(self) -> _XlsxBackend:
        if self._openpyxl is None:
            self._openpyxl = _XlsxBackend(self._sample, **self._options)
        return self._openpyxl

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._book.close()
            if self._openpyxl is not None:
                self._openpyxl.close()


_CALAMINE_SPECIAL_TYPES = frozenset((int, datetime.date))


def _calamine_special(value: int | datetime.date) -> CellValue:
    if type(value) is int:  # never from xlsx today; the same rule as openpyxl's integers
        return value if -_INT_LIMIT < value < _INT_LIMIT else float(value)
    assert isinstance(value, datetime.date)
    return datetime.datetime(value.year, value.month, value.day)


def _calamine_failed(exc: BaseException) -> bool:
    """An error python-calamine raised: any exception, or a Rust panic surfaced by pyo3
    (``PanicException`` derives from BaseException and cannot be imported)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


@cache
def _iter_rows_start_at_row_one() -> bool:
    """Whether ``CalamineSheet.iter_rows()`` starts at row 1 (0.9 pads the rows above the
    first used one, though not the columns left of it; upstream may change that), measured
    once on a workbook whose only cell is A2."""
    calamine = _calamine()
    assert calamine is not None
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, relationship, target in (
            ("_rels/.rels", "officeDocument", "xl/workbook.xml"),
            ("xl/_rels/workbook.xml.rels", "worksheet", "worksheets/s.xml"),
        ):
            archive.writestr(
                name,
                f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
                f'Type="{relationships}/{relationship}" Target="{target}"/></Relationships>',
            )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/worksheets/s.xml",
            f'<worksheet xmlns="{main}"><sheetData><row r="2"><c r="A2"><v>1</v></c></row>'
            "</sheetData></worksheet>",
        )
    buffer.seek(0)
    book = calamine.CalamineWorkbook.from_filelike(buffer)
    try:
        return sum(1 for _ in book.get_sheet_by_index(0).iter_rows()) == 2
    finally:
        book.close()


def _open_calamine(path: Path) -> Any:
    calamine = _calamine()
    assert calamine is not None
    try:
        # python-calamine picks its reader by the extension, and reads other names from memory.
        if path.suffix in (".xlsx", ".xlsm"):
            return calamine.CalamineWorkbook.from_path(str(path))
        with path.open("rb") as fh:
            return calamine.CalamineWorkbook.from_filelike(fh)
    except BaseException as exc:
        if not _calamine_failed(exc):
            raise
        raise _UseOpenpyxl(f"python-calamine cannot open the workbook{_why(exc)}") from None


def _check_calamine_view(book: Any, layout: _XlsxLayout) -> None:
    """python-calamine must see each sheet openpyxl reads, once, as a visible or hidden worksheet alike."""
    calamine = _calamine()
    assert calamine is not None
    metadata = book.sheets_metadata
    names = [sheet.name for sheet in metadata]
    visibility = {
        "visible": calamine.SheetVisibleEnum.Visible,
        "hidden": calamine.SheetVisibleEnum.Hidden,
        "veryHidden": calamine.SheetVisibleEnum.VeryHidden,
    }
    for (name, _), state in zip(layout.sheets, layout.states):
        if names.count(name) != 1:
            raise _UseOpenpyxl(f"python-calamine sees sheet {name!r} {names.count(name)} times")
        seen = metadata[names.index(name)]
        if seen.typ != calamine.SheetTypeEnum.WorkSheet or seen.visible != visibility.get(state):
            raise _UseOpenpyxl(f"python-calamine sees sheet {name!r} as {seen.typ}, {seen.visible}")


class _SheetNotOpened(ReadOnlyWorksheet):
    """A read-only worksheet as openpyxl lists it, without looking for its <dimension>: when it
    has none (openpyxl's write-only mode writes none), that parses the whole sheet."""

    def _get_size(self) -> None:
        pass

    def _get_source(self) -> IO[bytes]:
        # The workbook's archive is the reader's, a _BoundedZipFile (see _ReadOnlyReader).
        return self.parent._archive.open(self._worksheet_path, rows=True)  # type: ignore[no-any-return]


class _WorkbookWithoutStrings(_ReadOnlyReader):
    """What the openpyxl backend reads, but for the shared strings (python-calamine reads
    those): the same code decides the sheet list, their states, the date system and which
    styles are dates, and refuses the same workbooks."""

    def read_strings(self) -> None:
        self.shared_strings = []


def _read_layout(path: Path, limit: int) -> _XlsxLayout:
    """openpyxl's reading of the workbook (parts bounded by ``limit`` bytes unzipped), checked
    against python-calamine's; the scans."""
    with path.open("rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unsupported extensions, missing styles
        try:
            reader = _WorkbookWithoutStrings(fh, limit)
            try:
                reader.read()
                return _layout(reader.archive, reader.wb, reader.package.find(SHARED_STRINGS))
            finally:
                reader.archive.close()
        except _UseOpenpyxl:
            raise
        except Exception as exc:  # the openpyxl backend words the refusal
            raise _UseOpenpyxl(f"openpyxl refuses the workbook{_why(exc)}") from None


def _layout(archive: _BoundedZipFile, wb: Any, strings: Any) -> _XlsxLayout:
    names = archive.namelist()
    strings_part = strings.PartName[1:] if strings is not None else None
    _check_same_parts(archive, strings_part)
    workbook_xml = archive.read("xl/workbook.xml")
    datemode_1904 = wb.epoch == CALENDAR_MAC_1904
    if bool(_CALAMINE_1904.search(workbook_xml)) != datemode_1904:
        raise _UseOpenpyxl("python-calamine reads the date system differently")
    date_styles = frozenset(wb._date_formats) | frozenset(wb._timedelta_formats)
    if 0 in date_styles:  # openpyxl applies style 0 to cells without one, python-calamine not
        raise _UseOpenpyxl("the default style is a date format")
    if any(style.numFmtId in _CALAMINE_ONLY_DATE_FORMATS for style in wb._cell_styles):
        raise _UseOpenpyxl("a built-in East Asian date format")
    small_parts = [workbook_xml, archive.read("xl/_rels/workbook.xml.rels")]
    if ARC_STYLE in names:
        small_parts.append(archive.read(ARC_STYLE))
    if any(_DTD.search(part[:_CHUNK]) for part in small_parts):
        raise _UseOpenpyxl("a document type declaration")
    if strings_part is not None and not _strings_exact(archive, strings_part):
        raise _UseOpenpyxl("shared strings python-calamine reads differently")

    # python-calamine resolves sheet paths its own way (from the workbook's folder, without
    # normalising "..", ignoring case): every member it could take for a sheet is scanned.
    odd_date = _odd_date_pattern(date_styles)
    scans: dict[str, _PartScan] = {}
    for info in archive.infolist():
        scan = None if info.is_dir() else _scan_member(archive, info, odd_date)
        if scan is not None:
            if not scan.safe:
                raise _UseOpenpyxl(f"{info.filename}: a sheet python-calamine cannot be trusted with")
            scans[info.filename] = scan

    worksheets = wb.worksheets  # as in _XlsxBackend
    return _XlsxLayout(
        sheets=[(ws.title, ws.sheet_state != "visible") for ws in worksheets],
        states=[ws.sheet_state for ws in worksheets],
        # A part without sheetData fails in python-calamine: openpyxl words that.
        scans=[scans.get(ws._worksheet_path, _PartScan(exact=False)) for ws in worksheets],
        datemode_1904=datemode_1904,
        parts=[ws._worksheet_path for ws in worksheets],
    )


def _check_same_parts(archive: zipfile.ZipFile, strings_part: str | None) -> None:
    """python-calamine must read each part openpyxl reads: the usual layout, where the
    workbook is xl/workbook.xml and every relationship's target names the same zip member
    for both (openpyxl normalises "..", python-calamine matches names ignoring case)."""
    names = archive.namelist()
    office = [
        relationship.Target
        for relationship in RelationshipList.from_tree(fromstring(archive.read("_rels/.rels")))
        if relationship.Type.endswith("/officeDocument")
    ]
    if office not in (["xl/workbook.xml"], ["/xl/workbook.xml"]):
        raise _UseOpenpyxl(f"python-calamine reads the workbook from {office}")
    expected: dict[str, str | None] = {}
    relationships = RelationshipList.from_tree(fromstring(archive.read("xl/_rels/workbook.xml.rels")))
    for relationship in relationships:
        if relationship.TargetMode != "External":
            target = relationship.Target
            ours = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            expected[_calamine_path(target)] = ours if ours in names else None
    # Parts python-calamine finds by name, where openpyxl may look elsewhere.
    expected.update({
        "_rels/.rels": "_rels/.rels",
        "xl/workbook.xml": "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels": "xl/_rels/workbook.xml.rels",
        "xl/styles.xml": ARC_STYLE if ARC_STYLE in names else None,
        "xl/sharedStrings.xml": strings_part,
    })
    for theirs, ours in expected.items():
        if _calamine_member(names, theirs) != ours:
            raise _UseOpenpyxl(f"python-calamine reads {theirs} from another part than openpyxl ({ours})")


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _calamine_member(names: list[str], path: str) -> str | None:
    """The zip member python-calamine opens for ``path``: the first whose name, with ``\\``
    read as ``/``, equals it but for ASCII case."""
    wanted = _ascii_lower(path)
    return next((n for n in names if _ascii_lower(n.replace("\\", "/")) == wanted), None)


def _calamine_path(target: str) -> str:
    """python-calamine's path for the target of one of the workbook's relationships (the
    workbook being xl/workbook.xml): from the package root when absolute, else from xl/,
    not normalised."""
    return target[1:] if target.startswith("/") else f"xl/{target}"


def _pieces(head: bytes, stream: IO[bytes], start: bytes, end: bytes) -> Iterator[tuple[bytes, bool]]:
    """A part's bytes in pieces that each end right before a ``start`` tag (of a cell or a
    shared string, closed by ``end``), so that no element the checks look at is cut in two.

    The flag is False for a piece that had to cut one (an element longer than a chunk): only
    its tags are whole. ``stream`` is a member of a :class:`_BoundedZipFile`, which refuses a
    stretch without a "<" longer than :data:`TEXT_RUN_LIMIT`: the bytes held stay bounded.
    """
    buffer = head
    while chunk := stream.read(_CHUNK):
        buffer += chunk
        cut, whole = buffer.rfind(start), True
        if cut <= 0:
            cut = buffer.rfind(b"<")
            if cut <= 0:
                continue
            if buffer.startswith(start):  # is the element it starts with closed before the cut?
                first_tag_end = buffer.find(b">")
                whole = buffer.find(end, 0, cut) != -1 or buffer[first_tag_end - 1 : first_tag_end] == b"/"
        yield buffer[:cut], whole
        buffer = buffer[cut:]
    yield buffer, True


def _xml_head_is_plain(head: bytes) -> bool:
    """UTF-8 (the scan reads bytes) and no DTD (openpyxl refuses entity declarations)."""
    if b"\0" in head or _DTD.search(head):
        return False
    declared = _XML_ENCODING.match(head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _strings_exact(archive: _BoundedZipFile, name: str) -> bool:
    """Whether python-calamine reads the shared strings as openpyxl does (which only drops
    ``x005F_``, where python-calamine decodes every ``_xHHHH_`` and trims unpreserved text)."""
    with archive.open(name) as stream:
        head = stream.read(_CHUNK)
        if not _xml_head_is_plain(head):
            return False
        for piece, whole in _pieces(head, stream, b"<si", b"</si>"):
            if not whole or _ESCAPED_CHARACTER.search(piece) or b"x005F_" in piece or _TRIMMED_TEXT.search(piece):
                return False
    return True


def _odd_date_pattern(date_styles: frozenset[int]) -> re.Pattern[bytes] | None:
    """A date- or duration-formatted number the two readers convert differently: negative,
    seven digits or more (openpyxl's "#VALUE!" past 9999-12-31), with an exponent, or so close
    below 1 that it rounds to a whole day."""
    if not date_styles:
        return None
    styles = b"|".join(b"%d" % style for style in sorted(date_styles))
    return re.compile(
        rb' s="(?:%s)"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>(?:-|[0-9]{7}|[0-9.]*[Ee]|0\.9999999)'
        % styles
    )


def _scan_member(
    archive: _BoundedZipFile, info: zipfile.ZipInfo, odd_date: re.Pattern[bytes] | None
) -> _PartScan | None:
    """Stream one zip member; None when it has no sheetData (python-calamine finds no cell in
    it, whatever the rest), else what :class:`_PartScan` says.

    The box is first as wide as the first rows plus some slack; a sheet with a cell outside
    it is scanned once more with a box exactly as wide as its first rows, and so as deep as
    the budget allows for them (a narrow table of a million rows stays with python-calamine).
    """
    scan = _scan_once(archive, info, odd_date, tight=False)
    if scan is not None and not scan.safe:
        scan = _scan_once(archive, info, odd_date, tight=True)
    return scan


def _scan_once(
    archive: _BoundedZipFile, info: zipfile.ZipInfo, odd_date: re.Pattern[bytes] | None, *, tight: bool
) -> _PartScan | None:
    scan, sheet_like, odd, marks = _PartScan(), False, False, _MarksFinder()
    try:
        # Bounded as openpyxl reads a sheet (rows included), so that both refuse alike.
        with archive.open(info, rows=True) as stream:
            head = stream.read(_CHUNK)
            odd_cell = _odd_cell_pattern(head, tight=tight)
            for piece, whole in _pieces(head, stream, b"<c ", b"</c>"):
                marks.feed(piece)  # the pass Sheet.marks would otherwise make once more
                # Pieces end before a "<", which neither sheetData nor its UTF-16 form contains.
                # python-calamine reads no cell before it: until then, nothing to check.
                sheet_like = sheet_like or any(name in piece for name in _SHEET_DATA)
                if not sheet_like:
                    continue
                if odd_cell.search(piece) or _PREFIXED_CELL.search(piece):
                    odd = True
                    break
                if scan.exact:
                    _check_values(piece, whole, odd_date, scan)
    except _PartRefused:
        if sheet_like:
            raise  # the workbook is openpyxl's, which refuses that sheet in the same words
        # Beyond a bound before any sheetData (an image of zeros, a part too big to open): as
        # for any member without one, no scan. Were it a sheet's part after all, that sheet
        # has no scan and so is openpyxl's, which refuses it.
        return None
    if not sheet_like:
        return None
    if odd or not _xml_head_is_plain(head):
        return _PartScan(safe=False)
    scan.marks = marks.marks()
    return scan


def _odd_cell_pattern(head: bytes, *, tight: bool = False) -> re.Pattern[bytes]:
    """A cell whose start tag is not ``<c r="A1" a="v" ...>`` with its reference inside the box
    python-calamine may build (as wide as the widest row in ``head`` plus some slack, or
    without it when ``tight``, as deep as the budget allows and at most to Excel's last row),
    single spaces, double quotes, no ``>`` in a value, and no second ``r`` (python-calamine
    takes the last one). Any other form is left to openpyxl."""
    widest = max((_column_number(letters) for letters in _HEAD_COLUMN.findall(head)), default=1)
    columns = widest if tight else max(widest + _COLUMN_SLACK, _MIN_COLUMNS)
    columns = min(columns, _CALAMINE_MAX_COLUMNS)
    rows = min(CALAMINE_CELL_BUDGET // columns, EXCEL_MAX_ROW)  # beyond: openpyxl refuses the sheet
    return re.compile(
        rb'<c(?=[\t\n\r />])(?! r="(?:%s)(?:%s)"(?: (?!r=)[\w:.-]+="[^">]*")* ?/?>)'
        % (_letters_up_to(columns), _numbers_up_to(rows))
    )


def _check_values(piece: bytes, whole: bool, odd_date: re.Pattern[bytes] | None, scan: _PartScan) -> None:
    if (
        not whole
        or b't="d"' in piece
        or _ESCAPED_CHARACTER.search(piece)
        or _TRIMMED_TEXT.search(piece)
        or (odd_date is not None and odd_date.search(piece))
    ):
        scan.exact = False
    elif b't="e"' in piece:
        found = 0
        for found, match in enumerate(_ERROR_CELL.finditer(piece), 1):
            letters, row, text = match.groups()
            cells = scan.errors.setdefault(int(row), {})
            cells[_column_number(letters) - 1] = text.decode("utf-8", "replace") or None
        if found != piece.count(b't="e"'):  # an error cell in a shape the pattern misses
            scan.exact = False


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _letters_up_to(columns: int) -> bytes:
    """A pattern for the column letters of columns 1 to ``columns`` (at most ZZ, 702)."""
    if columns <= 26:
        return b"[A-%c]" % (64 + columns)
    first, second = divmod(columns - 1, 26)  # the last column's letters, 1-based first
    alternatives = [b"[A-Z]", b"%c[A-%c]" % (64 + first, 65 + second)]
    if first > 1:
        alternatives.append(b"[A-%c][A-Z]" % (63 + first))
    return b"|".join(alternatives)


def _numbers_up_to(limit: int) -> bytes:
    """A pattern for the numbers 1 to ``limit`` written without leading zeros."""
    digits = str(limit)
    alternatives = [b"[1-9][0-9]{0,%d}" % (len(digits) - 2)] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - position - 1
            alternatives.append(
                digits[:position].encode() + b"[%d-%d]" % (lowest, int(digit) - 1)
                + (b"[0-9]{%d}" % rest if rest else b"")
            )
    alternatives.append(digits.encode())
    return b"|".join(alternatives)


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

    def marks(self, index: int) -> SheetMarks:
        """xlrd reads row heights and merged ranges only with ``formatting_info``, which costs
        on every read: the sheet is opened once more for them, when they are asked for."""
        import xlrd

        try:
            book = xlrd.open_workbook(str(self.path), on_demand=True, formatting_info=True, logfile=_DiscardLog())
            try:
                sheet = book.sheet_by_index(index)
                hidden = frozenset(
                    rowx + 1 for rowx, info in sheet.rowinfo_map.items()
                    if info.hidden and rowx < sheet.nrows and set(sheet.row_types(rowx)) - {_XL_EMPTY, _XL_BLANK}
                )  # fmt: skip
                merged = tuple((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells[:_MAX_MERGES])
            finally:
                book.release_resources()
        except Exception:  # formatting records xlrd cannot read: the values were read, say nothing
            return SheetMarks()
        return SheetMarks(hidden, merged)

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
    __slots__ = (
        "rows", "row_number", "cells", "lines", "pieces", "spans", "count", "cell_spans", "hidden", "merged", "column",
    )  # fmt: skip

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.row_number = 0
        self.cells: list[tuple[str | None, int, int]] | None = None
        self.lines: list[str] | None = None  # finished lines of the open cell
        self.pieces: list[str] = []  # text of the open cell's current line
        self.spans: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        self.count = 0
        self.cell_spans = (1, 1)  # colspan, rowspan of the open cell
        self.hidden: set[int] = set()  # rows with display:none or the hidden attribute
        self.merged: list[tuple[int, int, int, int]] = []  # cells spanning rows, as merged ranges


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
            if rowspan > 1 and len(table.merged) < _MAX_MERGES:
                table.merged.append((table.row_number, column + 1, table.row_number + rowspan - 1, column + colspan))
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
            raise DataError(
                f"more than {self.max_rows:,} rows in this table; expected at most "
                f"{self.max_rows:,}; {self.limit_hint or LIMIT_HINT}",
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
            if _hidden_element(attrs):
                table.hidden.add(table.row_number)
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


_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _hidden_element(attrs: list[tuple[str, str | None]]) -> bool:
    return any(key == "hidden" or (key == "style" and value and _DISPLAY_NONE.search(value)) for key, value in attrs)


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
        self._marks = [
            SheetMarks(frozenset(table.hidden & {number for number, _ in table.rows}), tuple(table.merged))
            for table in collector.tables
        ]
        self.sheets = [(f"table {i}", False) for i in range(1, len(self._tables) + 1)]

    def marks(self, index: int) -> SheetMarks:
        return self._marks[index]

    def rows(self, index: int) -> Iterator[Row]:
        self._check_open()
        return iter(self._tables[index])

    def close(self) -> None:
        self.closed = True
        self._tables = []
        self._marks = []


#: The reader for each kind: ``factory(sample, max_rows=..., limit_hint=...)``.
BACKENDS: dict[FileKind, Callable[..., _Backend]] = {
    FileKind.XLSX: _xlsx_backend,
    FileKind.XLS: _XlsBackend,
    FileKind.CSV: _CsvBackend,
    FileKind.HTML: _HtmlBackend,
}
