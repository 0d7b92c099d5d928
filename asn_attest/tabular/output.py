"""Writing files that users open: values that stay inert, names that are valid, writes that are atomic.

Spreadsheets are untrusted in both directions: a cell read from a user's file must
never become a live formula, hyperlink or error in a file we write, and a crash or
Ctrl-C must never leave a half-written report where the previous one was.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.sax.saxutils import escape

from openpyxl import LXML, Workbook
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from ..errors import AsnAttestError

#: What spreadsheet programs treat as the start of a formula (or DDE) in a cell or CSV field.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_SHEET_UNSAFE = re.compile(r"[\\/:*?\[\]\x00-\x1f]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
SHEET_NAME_MAX = 31
FILE_STEM_MAX = 100


class OutputError(AsnAttestError):
    """A report cannot be written: names the file and what to do."""

    exit_code = 5


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


#: what XML 1.0 (so an xlsx file) cannot hold: the control characters openpyxl refuses,
#: lone surrogates (a file decoded with escapes) and the two non-characters U+FFFE/U+FFFF
_UNSTORABLE_RE = re.compile(rf"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")


def storable_text(text: str) -> tuple[str, bool]:
    """Text with the characters Excel cannot store removed, and whether any were."""
    cleaned = _UNSTORABLE_RE.sub("", text)
    return cleaned, cleaned != text


def cell_text(value: str) -> tuple[str, bool]:
    """Text as a cell holds it: line ends as "\n" (XML keeps no bare CR), characters
    Excel cannot store removed; and whether any were removed.

    Almost every value is printable, which ``str.isprintable`` tells at C speed, so
    only a value holding a control character (or a line end, a tab, a non-breaking
    space) pays for the replacements and the regex.
    """
    if value.isprintable():
        return value, False
    return storable_text(value.replace("\r\n", "\n").replace("\r", "\n"))


def csv_field(value: Any) -> str:
    """A value for a CSV field that no spreadsheet program will run as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    apostrophe (the OWASP advice for CSV injection); numbers are written as they are.
    """
    if type(value) is str:  # nearly every field: one test, then startswith in C
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return str(value)
    return "'" + value if looks_like_formula(value) else value


def set_text_cell(cell: Any, value: str) -> bool:
    """Put text into an openpyxl cell so that it stays text.

    openpyxl turns a string starting with "=" into a formula; we set the cell's data
    type to string explicitly and add the quote prefix (as Excel does for text typed
    after an apostrophe), so Excel shows it as typed and never evaluates it, even
    after the user edits the cell. Line ends become "\n" (XML keeps no bare CR).
    Returns whether characters Excel cannot store were removed.
    """
    text, removed = cell_text(value)
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True
    return removed


class CellStyle(NamedTuple):
    """A style resolved in one workbook, as it is (numbers, blanks) and with the quote prefix (text)."""

    plain: StyleArray
    quoted: StyleArray


class InertCells:
    """Cells for the rows of one worksheet, made cheaply, for ``worksheet.append``.

    Setting ``cell.border`` (or font, fill, alignment) makes openpyxl hash the style
    object to find it in the workbook, every time: for a report of a few thousand
    rows that cost more than writing the file. A style is resolved here once, with
    :meth:`style`, and every cell gets a copy of the result. Text cells are inert
    exactly as with :func:`set_text_cell` (text type, quote prefix, cleaned), and
    :attr:`removed` counts the cells from which characters were removed. Numbers
    need no guard, but only numbers go in as they are: a string appended plainly to
    a write-only sheet becomes a formula when it starts with "=".

    Works for normal and write-only worksheets alike. The row and column given to
    each cell are placeholders: ``append`` sets the real ones.
    """

    def __init__(self, worksheet: Any) -> None:
        self.worksheet = worksheet
        self.removed = 0
        self._unstyled = self.style()

    def style(
        self,
        *,
        font: Any = None,
        fill: Any = None,
        border: Any = None,
        alignment: Any = None,
        number_format: str | None = None,
    ) -> CellStyle:
        """The resolved form of a style, for the cells this object makes."""
        probe = Cell(self.worksheet, row=1, column=1)
        for name, value in (
            ("font", font), ("fill", fill), ("border", border), ("alignment", alignment), ("number_format", number_format)
        ):  # fmt: skip
            if value is not None:
                setattr(probe, name, value)
        # openpyxl offers no public way to read a cell's resolved style; its own
        # worksheet copier copies ``_style`` the same way.
        plain = probe._style or StyleArray()
        quoted = StyleArray(plain)
        quoted.quotePrefix = 1
        return CellStyle(plain, quoted)

    def text(self, value: str | None, style: CellStyle | None = None) -> Cell | None:
        """A text cell that stays text; an empty value is a blank cell (None without a style)."""
        if not value:
            return self.blank(style)
        text, removed = cell_text(value)
        self.removed += removed
        return _cell(self.worksheet, text[:CELL_TEXT_MAX], "s", (style or self._unstyled).quoted)

    def label(self, value: str, style: CellStyle | None = None) -> Cell:
        """A text cell for our own words (a heading): text, but without the quote prefix of input values."""
        cell = Cell(self.worksheet, row=1, column=1, value=value, style_array=(style or self._unstyled).plain)
        cell.data_type = "s"
        return cell

    def number(self, value: float | None, style: CellStyle | None = None) -> Cell | float | None:
        """A number, as it is when it needs no style."""
        if isinstance(value, str):
            raise TypeError(f"not a number: {value!r} (text goes through InertCells.text)")
        if style is None:
            return value
        if type(value) in _NUMBERS:
            return _cell(self.worksheet, value, "n", style.plain)
        return Cell(self.worksheet, row=1, column=1, value=value, style_array=style.plain)

    def blank(self, style: CellStyle | None) -> Cell | None:
        """An empty cell that shows its style (a border), or no cell at all."""
        return None if style is None else _cell(self.worksheet, None, "n", style.plain)


#: the most characters a cell holds (Excel's limit; openpyxl cuts longer text there)
CELL_TEXT_MAX = 32767
#: every attribute an openpyxl Cell has (its __slots__ and its StyleableObject's)
_CELL_SLOTS = frozenset(("row", "column", "_value", "data_type", "parent", "_hyperlink", "_comment", "_style"))


def _cell_slots() -> frozenset[str]:
    return frozenset(slot for klass in Cell.__mro__ for slot in getattr(klass, "__slots__", ()))


def _cell_by_slots(worksheet: Any, value: Any, data_type: str, style: StyleArray) -> Cell:
    """The cell ``Cell(worksheet, 1, 1, value, style)`` makes, with ``data_type``, for a value
    openpyxl would not change (text already cleaned and cut, a number, or None), made
    without ``Cell.__init__``: it checks the text again, character by character, and
    costs more than the rest of writing a report's rows."""
    cell = _new_cell(Cell)
    cell.parent = worksheet
    cell._style = StyleArray(style)
    cell.row = 1
    cell.column = 1
    cell._value = value
    cell.data_type = data_type
    cell._hyperlink = None
    cell._comment = None
    return cell


def _cell_by_init(worksheet: Any, value: Any, data_type: str, style: StyleArray) -> Cell:
    cell = Cell(worksheet, row=1, column=1, value=value, style_array=style)
    cell.data_type = data_type
    return cell


_new_cell = object.__new__
#: an openpyxl whose cells have other attributes than those :func:`_cell_by_slots` fills
#: gets its cells made by ``Cell()``
_cell = _cell_by_slots if _cell_slots() == _CELL_SLOTS else _cell_by_init


_NUMBERS = (int, float)


class RowWriter(WorksheetWriter):
    """openpyxl's worksheet writer, writing the markup of plain cells itself.

    For every cell openpyxl builds a small element tree (``c``, ``is``, ``t``) and
    runs it through a general, namespace-aware serialiser: for a report of many
    rows, most of the time its file takes. A text cell (an inline string, as
    openpyxl writes text) or a number cell, styled or not, is written here as the
    same markup, joined into one string per row: the worksheet XML is byte for
    byte what openpyxl writes (tests/test_output.py compares both writers). Text
    is escaped as openpyxl escapes it (``&``, ``<`` and ``>``) and stays text: a cell whose data type says
    formula is never written here. Any other cell (formula, date, boolean, error,
    rich text, a comment or a hyperlink, a merged cell) and the ``row`` element of
    a row with dimensions are left to openpyxl, as is every row when openpyxl
    writes through lxml.
    """

    def __init__(self, ws: Any, out: Any = None) -> None:
        super().__init__(ws, out)
        self._style_attrs: dict[bytes, str] = {}

    def write_row(self, xf: Any, row: Any, row_idx: int) -> None:
        write = getattr(xf, "_file", None)  # the text writer the serialiser writes to
        if LXML or not callable(write):
            super().write_row(xf, row, row_idx)
        elif row_idx in self.ws.row_dimensions:
            attrs = {"r": f"{row_idx}"}
            attrs.update(self.ws.row_dimensions.get(row_idx, {}))
            with xf.element("row", attrs):
                self._write_cells(xf, write, row)
        else:
            write(f'<row r="{row_idx}">')
            self._write_cells(xf, write, row)
            write("</row>")

    def _write_cells(self, xf: Any, write: Any, row: Any) -> None:
        parts: list[str] = []
        style_attrs = self._style_attrs
        for cell in row:  # one cell at a time: a write-only sheet reuses the cell of unstyled values
            # not a merged cell (nor another kind openpyxl may add), no comment, no hyperlink
            if type(cell) is Cell and cell._comment is None and cell._hyperlink is None:
                value = cell._value
                kind = cell.data_type
                if kind == "s":
                    plain = value is None or type(value) is str
                else:
                    plain = kind == "n" and (value is None or type(value) in _NUMBERS)
            else:
                plain = False
            if not plain:
                if parts:
                    write("".join(parts))
                    parts.clear()
                self._write_other_cell(xf, cell)
                continue
            style = cell._style
            if style is None:
                styled = ""
            else:
                key = style.tobytes()
                styled = style_attrs.get(key)
                if styled is None:
                    styled = style_attrs[key] = f' s="{cell.style_id}"' if any(style) else ""
            if value is None and not styled:
                continue
            kind_attr = ' t="inlineStr"' if kind == "s" else ' t="n"'
            start = f'<c r="{get_column_letter(cell.column)}{cell.row}"{styled}{kind_attr}'
            if value is None or value == "":
                parts.append(start + " />")
            elif kind == "s":
                stripped = value.strip()
                space = ' xml:space="preserve"' if stripped and stripped != value else ""
                parts.append(f"{start}><is><t{space}>{escape(value)}</t></is></c>")
            else:
                number = safe_string(value)
                parts.append(f"{start}><v>{number}</v></c>" if number else f"{start}><v /></c>")
        if parts:
            write("".join(parts))

    def _write_other_cell(self, xf: Any, cell: Any) -> None:
        """A cell as openpyxl's ``write_row`` writes it."""
        if cell._comment is not None:
            self.ws._comments.append(CommentRecord.from_cell(cell))
        if cell._value is None and not cell.has_style and not cell._comment:
            return
        write_cell(xf, self.ws, cell, cell.has_style)


class _WriteOnlySheet(WriteOnlyWorksheet):
    """A write-only worksheet whose rows go through :class:`RowWriter`."""

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = RowWriter(self)
            self._writer.write_top()


class ReportWorkbook(Workbook):
    """A workbook whose write-only sheets write their rows through :class:`RowWriter`.

    The sheets of a normal workbook get it from :func:`xlsx_bytes`, which writes
    every workbook; a write-only sheet writes its rows as they are appended, with
    the writer it was made with.
    """

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _WriteOnlySheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


class _ExcelWriter(ExcelWriter):
    """openpyxl's workbook writer, writing the sheets of a normal workbook through :class:`RowWriter`."""

    def write_worksheet(self, ws: Any) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        # as ExcelWriter.write_worksheet, with RowWriter for WorksheetWriter
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = RowWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()


def safe_file_stem(name: str, taken: set[str]) -> str:
    """A file name (without extension) valid on Windows and Linux, unique in ``taken`` (case-blind).

    ``taken`` is updated. Slashes, colons and the like become "-"; trailing dots and
    spaces go; reserved Windows names get a suffix; duplicates after cleaning get
    " (2)", " (3)"...
    """
    stem = _FILE_UNSAFE.sub("-", name).strip(" .-") or "unit"
    stem = stem[:FILE_STEM_MAX].rstrip(" .")
    if stem.casefold() in _WINDOWS_RESERVED:
        stem += "_"
    return _unique(stem, taken, FILE_STEM_MAX)


def safe_sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet title Excel accepts (no \\ / : * ? [ ], at most 31 characters), unique in ``taken``."""
    title = _SHEET_UNSAFE.sub("-", name).strip(" '") or "Sheet"
    return _unique(title[:SHEET_NAME_MAX], taken, SHEET_NAME_MAX)


def _unique(name: str, taken: set[str], limit: int) -> str:
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: limit - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


@contextmanager
def atomic_write(path: Path, mode: str = "wb", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Write ``path`` through a temporary file in the same folder, renamed over it at the end.

    If the block fails (or the process dies), the previous file is untouched and the
    temporary file is removed (or, after a kill, left with a ``.tmp`` name that no
    report uses). A file held open by another program (Excel locks its files on
    Windows) is an :class:`OutputError` naming it.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.replace(tmp, path)
        except PermissionError:
            raise OutputError(
                f"{path}: the file is open in another program (Excel?); close it and run again"
            ) from None
        except OSError as exc:
            raise OutputError(f"{path}: cannot replace the file: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def xlsx_bytes(workbook: Any, stamp: dt.datetime) -> bytes:
    """An openpyxl workbook as bytes that depend only on its content and ``stamp``.

    openpyxl writes the current time into the zip entries and the document
    properties; both are set to ``stamp`` so that the same inputs give the same
    file, byte for byte, apart from the run's time stamp. The worksheets are
    written by :class:`RowWriter`: the XML of openpyxl's own writer, sooner.
    """
    if workbook.read_only:
        raise TypeError("Workbook is read-only")
    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()  # as Workbook.save does
    stamp = stamp.replace(microsecond=0, tzinfo=None)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    # openpyxl's parts, stored uncompressed: they are compressed once, below
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        _ExcelWriter(workbook, archive).save()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, body)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, body)
    return out.getvalue()
