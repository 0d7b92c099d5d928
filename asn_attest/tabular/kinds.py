"""Recognise an input file by its content, never by its extension.

Users send what their HR system produced: real .xlsx, legacy .xls, an HTML table that a
PHP system saved as ``.xls``, CSV in any locale, and sometimes something else entirely
(a password-protected workbook, an .ods, a scanned PDF). The extension lies often, so the
first bytes decide. Everything that is not one of the four readable kinds is a
:class:`~asn_attest.errors.DataError` that says what the file is, when that can be told,
and what the user should do with it.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from asn_attest.errors import DataError

#: How much of the start of a file sniffers (ours and plugins') look at.
HEAD_SIZE = 64 * 1024

_CHUNK = 1024 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Binary formats users send instead of a spreadsheet, named so the message helps.
_OTHER_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)

# C0 control bytes that never occur in text (tab, LF, VT, FF, CR, SUB and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1a\x1b")
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)

_NOT_READABLE = "not a spreadsheet or CSV file; expected .xlsx, .xls, an HTML table or CSV"


class FileKind(str, Enum):
    """What a file really is, whatever its name says."""

    XLSX = "xlsx"  #: OOXML zip with a workbook part (also .xlsm content)
    XLS = "xls"  #: legacy BIFF in an OLE2 compound file
    HTML = "html"  #: an HTML table saved with an .xls extension (PHP systems do this)
    CSV = "csv"  #: delimited text: , ; | or tab


@dataclass(frozen=True)
class FileSample:
    """A file's kind and the start of its bytes, handed to reader plugins' sniffers.

    ``encoding`` is a Python codec name that decodes the whole file from its first byte
    (``utf-8-sig`` and ``utf-16`` consume the byte-order mark), for CSV and HTML only.
    """

    path: Path
    kind: FileKind
    head: bytes
    encoding: str | None


def detect_kind(path: Path) -> FileKind:
    """The kind of ``path`` by its content; a DataError naming the file for anything else."""
    return sample_file(path).kind


def sample_file(path: Path, *, kind: FileKind | None = None) -> FileSample:
    """Sniff ``path`` once: its kind, its first 64 KiB and, for text, its encoding.

    ``kind`` skips detection when the caller knows better (a user's explicit choice);
    the encoding of a text kind is still detected.
    """
    path = Path(path)
    head = _read_head(path)
    if kind is not None:
        kind = FileKind(kind)
        encoding = None
        if kind in (FileKind.CSV, FileKind.HTML):
            encoding = _text_encoding(path, head, html=kind is FileKind.HTML)
        return FileSample(path, kind, head, encoding)
    if head.startswith(_ZIP_MAGIC):
        return FileSample(path, _zip_kind(path), head, None)
    if head.startswith(_OLE2_MAGIC):
        return FileSample(path, _ole2_kind(path), head, None)
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise DataError(f"{what}, {_NOT_READABLE}", file=path)
    return _text_sample(path, head)


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_SIZE)
    except FileNotFoundError:
        raise DataError("file not found", file=path) from None
    except IsADirectoryError:
        raise DataError("is a directory; expected a spreadsheet or CSV file", file=path) from None
    except OSError as exc:
        raise DataError(f"cannot read the file: {exc.strerror or exc}", file=path) from None
    if not head:
        raise DataError("empty file (0 bytes); expected a spreadsheet or CSV file", file=path)
    return head


# --- zip (xlsx and look-alikes) -------------------------------------------------------------

_WORKBOOK_CONTENT_TYPES = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroEnabled.main+xml",
    b"ms-excel.template.macroEnabled.main+xml",
)


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return FileKind.XLSX
            if _declares_workbook(archive):
                return FileKind.XLSX
            mimetype = _small_member(archive, "mimetype")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            ValueError, NotImplementedError):
        # zipfile's own words ("File is not a zip file") would mislead: it starts like one.
        raise DataError(
            "truncated or corrupt xlsx (zip) file: its directory is missing or damaged; "
            "expected a complete .xlsx: send the file again, or open it in Excel and save it again",
            file=path,
        ) from None
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        what = "an OpenDocument spreadsheet (.ods): open it and save as .xlsx"
    elif mimetype.startswith(b"application/vnd.oasis.opendocument"):
        what = "an OpenDocument file, not a spreadsheet"
    elif "xl/workbook.bin" in names:
        what = "an Excel binary workbook (.xlsb): open it in Excel and save as .xlsx"
    elif "word/document.xml" in names:
        what = "a Word document (.docx), not a spreadsheet"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation (.pptx), not a spreadsheet"
    else:
        what = "a zip archive without xl/workbook.xml, not an Excel workbook; expected .xlsx"
    raise DataError(what, file=path)


def _declares_workbook(archive: zipfile.ZipFile) -> bool:
    """A workbook part stored under another name, declared in [Content_Types].xml."""
    types = _small_member(archive, "[Content_Types].xml")
    return any(ct in types for ct in _WORKBOOK_CONTENT_TYPES)


def _small_member(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > limit:
        return b""
    with archive.open(info) as member:
        return member.read(limit)


# --- OLE2 compound files (xls, encrypted xlsx, doc) -------------------------------------------

_PASSWORD = "password-protected workbook: remove the password in Excel and save again"
_MAX_REGULAR_SECTOR = 0xFFFFFFFA


class _Ole2Corrupt(Exception):
    """The compound file's structure is damaged; turned into a DataError by the caller."""


def _ole2_kind(path: Path) -> FileKind:
    try:
        with path.open("rb") as fh:
            names = ole2_entry_names(fh)
    except (_Ole2Corrupt, struct.error) as exc:
        raise DataError(
            f"corrupt or truncated .xls (OLE2 compound file): {exc}; "
            "open it in Excel and save it again",
            file=path,
        ) from None
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise DataError(_PASSWORD, file=path)
    if "Workbook" in names or "Book" in names:
        return FileKind.XLS
    if "WordDocument" in names:
        raise DataError("a Word document (.doc), not a spreadsheet", file=path)
    if "PowerPoint Document" in names:
        raise DataError("a PowerPoint presentation (.ppt), not a spreadsheet", file=path)
    raise DataError(
        "an OLE2 compound file without a Workbook stream, not an Excel .xls workbook",
        file=path,
    )


def ole2_entry_names(fh: io.BufferedIOBase) -> set[str]:
    """Names of the streams and storages in an OLE2 compound file.

    Only the header, the FAT sectors that the directory chain needs and the directory
    itself are read, so a large .xls costs a few reads. Every sector number is checked
    against the file size and every chain against loops: the file is untrusted.
    """
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    header = fh.read(512)
    if len(header) < 512 or not header.startswith(_OLE2_MAGIC):
        raise _Ole2Corrupt("the header is incomplete")
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        raise _Ole2Corrupt(f"unexpected sector size 2**{shift}")
    sector_size = 1 << shift
    sector_count = max(0, (size - 512 + sector_size - 1) // sector_size)
    n_fat, first_dir = struct.unpack_from("<II", header, 0x2C)
    first_difat, n_difat = struct.unpack_from("<II", header, 0x44)
    if n_fat > sector_count or n_difat > sector_count:
        raise _Ole2Corrupt("the sector allocation table is larger than the file")

    def read_sector(number: int) -> bytes:
        if number > _MAX_REGULAR_SECTOR or number >= sector_count:
            raise _Ole2Corrupt(f"sector {number} lies beyond the end of the file")
        fh.seek(512 + number * sector_size)
        data = fh.read(sector_size)
        if len(data) < sector_size:
            data += b"\0" * (sector_size - len(data))  # a short last sector is tolerated
        return data

    per_sector = sector_size // 4
    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    difat, seen = first_difat, set()
    while difat <= _MAX_REGULAR_SECTOR and len(fat_sectors) < n_fat:
        if difat in seen:
            raise _Ole2Corrupt("the sector allocation chain loops")
        seen.add(difat)
        entries = struct.unpack(f"<{per_sector}I", read_sector(difat))
        fat_sectors.extend(entries[:-1])
        difat = entries[-1]
    fat_sectors = fat_sectors[:n_fat]
    fat_cache: dict[int, tuple[int, ...]] = {}

    def next_sector(number: int) -> int:
        block, offset = divmod(number, per_sector)
        if block >= len(fat_sectors):
            raise _Ole2Corrupt(f"sector {number} is not in the allocation table")
        if block not in fat_cache:
            fat_cache[block] = struct.unpack(f"<{per_sector}I", read_sector(fat_sectors[block]))
        return fat_cache[block][offset]

    names: set[str] = set()
    sector, visited = first_dir, set()
    while sector <= _MAX_REGULAR_SECTOR:  # ENDOFCHAIN, or a sloppy FREESECT, ends it
        if sector in visited:
            raise _Ole2Corrupt("the directory chain loops")
        visited.add(sector)
        data = read_sector(sector)
        for start in range(0, sector_size, 128):
            name_len = struct.unpack_from("<H", data, start + 64)[0]
            entry_type = data[start + 66]
            if entry_type in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(data[start : start + name_len - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names


# --- text: CSV, HTML and XML look-alikes ------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)", re.IGNORECASE | re.DOTALL)
_FIRST_TAG = re.compile(r"<([a-zA-Z][\w:.-]*)")
_HTML_TAGS = frozenset(
    "html head body meta table title style link script div p br b h1 h2 h3 h4 center font "
    "thead tbody tr td th span".split()
)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows as NUL bytes at every other position."""
    sample = head[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(head: bytes) -> bool:
    """Control bytes beyond a trace. NUL bytes are counted apart, with more room: broken
    exports pad lines with them (the CSV reader drops them), while binary formats hold
    other control bytes too, or NULs by the tenth."""
    nuls = head.count(0)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES)) - nuls
    return controls > max(2, len(head) // 50) or nuls > max(2, len(head) // 10)


def _decodes_as(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes strictly, read in chunks (the head alone can mislead:
    a roster may be plain ASCII for thousands of lines before the first accented name)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                if not chunk.isascii():
                    decoder.decode(chunk)
                elif decoder.getstate()[0]:
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as exc:
        raise DataError(f"cannot read the file: {exc.strerror or exc}", file=path) from None
    return True


def _eight_bit_encoding(path: Path) -> str:
    """UTF-8 when the whole file is valid UTF-8, else Windows-1252, else Latin-1 (which
    decodes anything, so reading never fails on the five bytes cp1252 leaves undefined)."""
    if _decodes_as(path, "utf-8"):
        return "utf-8"
    if _decodes_as(path, "cp1252"):
        return "cp1252"
    return "latin-1"


def _html_declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # As browsers do (WHATWG encoding standard): Latin-1 and ASCII labels mean
    # Windows-1252, and a UTF-16 label on a file without a BOM means UTF-8.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return name


def _text_encoding(path: Path, head: bytes, *, html: bool) -> str:
    """BOM, then UTF-16 by its NUL pattern, then (HTML) the <meta> charset, then the bytes."""
    encoding = _bom_encoding(head) or _utf16_without_bom(head)
    if encoding:
        return encoding
    guessed = _eight_bit_encoding(path)
    declared = _html_declared_encoding(head) if html else None
    if declared == "utf-8" and guessed != "utf-8":
        return guessed  # the page says UTF-8 but its bytes are not: trust the bytes
    return declared or guessed


def _decode_head(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)


def _text_sample(path: Path, head: bytes) -> FileSample:
    encoding = _bom_encoding(head) or _utf16_without_bom(head)
    if encoding is None and _looks_binary(head):
        raise DataError(_NOT_READABLE, file=path)
    text = _decode_head(head, encoding or "latin-1").lstrip("\ufeff")
    kind = _markup_kind(path, text)
    if kind is None:
        kind = FileKind.CSV
    elif kind is FileKind.HTML and not _has_table(path, text, encoding):
        raise DataError("an HTML page without a <table>; expected an HTML table export", file=path)
    if encoding is None:
        encoding = _text_encoding(path, head, html=kind is FileKind.HTML)
    return FileSample(path, kind, head, encoding)


def _markup_kind(path: Path, text: str) -> FileKind | None:
    """HTML for an HTML document, None for plain text; a DataError for other XML."""
    position, xml_declared = 0, False
    while match := _PROLOG.match(text, position):
        if match.group().lstrip().startswith("<?xml"):
            xml_declared = True
        position = match.end()
    start = text[position:].lstrip()
    lowered = text.lower()
    if not start.startswith("<"):
        # PHP systems sometimes print a warning before the page: still an HTML table.
        if "<table" in lowered and ("<td" in lowered or "<tr" in lowered):
            return FileKind.HTML
        return None
    tag = _FIRST_TAG.match(start)
    tag_name = tag.group(1).lower() if tag else ""
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered and (
        tag_name.endswith("workbook") or "<?mso-application" in lowered
    ):
        raise DataError(
            "Excel 2003 XML spreadsheet: open it in Excel and save as .xlsx", file=path
        )
    if tag_name in _HTML_TAGS or "<table" in lowered:
        return FileKind.HTML
    if xml_declared or tag_name:
        raise DataError(
            f"an XML document (<{tag_name or '?'}>), {_NOT_READABLE}", file=path
        )
    return None


_TABLE_BYTES = re.compile(b"<table", re.IGNORECASE)
_TABLE_BYTES_UTF16 = re.compile(b"<\0?t\0?a\0?b\0?l\0?e", re.IGNORECASE)


def _has_table(path: Path, head_text: str, encoding: str | None) -> bool:
    """PHP pages can carry a long <style> block before the table: look past the head."""
    if "<table" in head_text.lower():
        return True
    pattern = _TABLE_BYTES_UTF16 if encoding and encoding.startswith("utf-16") else _TABLE_BYTES
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False
