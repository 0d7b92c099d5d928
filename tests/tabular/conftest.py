"""Builders for small input files, made by code: no binary fixture is committed.

Real exporters produce things openpyxl and xlwt never write (a wrong <dimension>, cached
formula values, an encrypted OLE2 container), so two builders write those formats by hand.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from asn_attest.tabular.fields import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
#: _rels/.rels of a package whose workbook is xl/workbook.xml
ROOT_RELATIONSHIPS = (
    f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
    f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def build_ole2(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding ``streams`` under the root storage.

    Every stream is padded to 4096 bytes at least, so it lives in regular sectors and no
    mini stream is needed. Entries hang off the root as a chain of right siblings, all
    black: a degenerate but valid red-black tree.
    """
    payloads = [(name, data.ljust(4096, b"\0")) for name, data in streams.items()]
    n_entries = 1 + len(payloads)
    dir_sectors = -(-n_entries // 4)
    data_sectors = [-(-len(data) // _SECTOR) for _, data in payloads]
    total = 1 + dir_sectors + sum(data_sectors)  # one FAT sector first
    assert total <= _SECTOR // 4, "the builder writes a single FAT sector"

    fat = [_FREESECT] * (_SECTOR // 4)
    fat[0] = _FATSECT
    first_dir = 1
    for i in range(dir_sectors):
        fat[first_dir + i] = first_dir + i + 1 if i < dir_sectors - 1 else _ENDOFCHAIN
    starts, sector = [], first_dir + dir_sectors
    for count in data_sectors:
        starts.append(sector)
        for i in range(count):
            fat[sector + i] = sector + i + 1 if i < count - 1 else _ENDOFCHAIN
        sector += count

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw = bytearray(128)
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, _NOSTREAM, right, child)
        struct.pack_into("<IQ", raw, 116, start, size)
        return bytes(raw)

    entries = [entry("Root Entry", 5, _NOSTREAM, 1 if payloads else _NOSTREAM, _ENDOFCHAIN, 0)]
    for i, ((name, data), start) in enumerate(zip(payloads, starts), 1):
        right = i + 1 if i < len(payloads) else _NOSTREAM
        entries.append(entry(name, 2, right, _NOSTREAM, start, len(data)))
    directory = b"".join(entries).ljust(dir_sectors * _SECTOR, b"\0")
    # unused directory slots: type 0 with NOSTREAM links
    directory = bytearray(directory)
    for slot in range(n_entries, dir_sectors * 4):
        struct.pack_into("<III", directory, slot * 128 + 68, _NOSTREAM, _NOSTREAM, _NOSTREAM)

    header = bytearray(512)
    header[0:8] = OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, first_dir, 0, 4096)
    struct.pack_into("<IIII", header, 0x3C, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
    difat = [0] + [_FREESECT] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)

    body = struct.pack(f"<{_SECTOR // 4}I", *fat) + bytes(directory)
    for _, data in payloads:
        body += data.ljust(-(-len(data) // _SECTOR) * _SECTOR, b"\0")
    return bytes(header) + body


def override(part: str, content_type: str) -> str:
    """The <Override> of [Content_Types].xml giving ``part`` (a zip member) its type."""
    return f'<Override PartName="/{part}" ContentType="{content_type}"/>'


def content_types(overrides: str = "", *, workbook_type: str = WORKBOOK_TYPE) -> str:
    """[Content_Types].xml: the types of .rels and .xml members and of xl/workbook.xml, then
    ``overrides`` (XML)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{override('xl/workbook.xml', workbook_type)}{overrides}</Types>"
    )


def _cell_xml(ref: str, value: object) -> str:
    """One <c> element; a tuple ("raw", xml) gives the cell's inner XML and attributes."""
    if isinstance(value, tuple):
        attrs, inner = value
        return f'<c r="{ref}"{attrs}>{inner}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def build_xlsx(
    sheets: dict[str, dict[int, list[object]]],
    *,
    dimension: str | None = "A1:A1",
    hidden: frozenset[str] = frozenset(),
    date1904: bool = False,
) -> bytes:
    """A minimal xlsx, cell by cell, with a <dimension> that says what we want it to say.

    ``sheets`` maps a sheet name to ``{excel_row_number: [values from column A]}``.
    """

    files: dict[str, str] = {}
    overrides, sheet_entries, rels = [], [], []
    for n, (name, rows) in enumerate(sheets.items(), 1):
        row_xml = []
        for number in sorted(rows):
            cells = "".join(
                _cell_xml(f"{column_letter(i)}{number}", v) for i, v in enumerate(rows[number]) if v is not None
            )
            row_xml.append(f'<row r="{number}">{cells}</row>')
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        files[f"xl/worksheets/sheet{n}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{"".join(row_xml)}</sheetData></worksheet>'
        )
        overrides.append(override(f"xl/worksheets/sheet{n}.xml", SHEET_TYPE))
        state = ' state="hidden"' if name in hidden else ""
        sheet_entries.append(f'<sheet name="{escape(name)}" sheetId="{n}"{state} r:id="rId{n}"/>')
        rels.append(f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>')
    files["[Content_Types].xml"] = content_types("".join(overrides))
    files["_rels/.rels"] = '<?xml version="1.0" encoding="UTF-8"?>' + ROOT_RELATIONSHIPS
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    files["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">{pr}<sheets>{"".join(sheet_entries)}</sheets></workbook>'
    )
    files["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">{"".join(rels)}</Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def make_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    """Write bytes to a file in tmp_path and return its path."""

    def make(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return make
