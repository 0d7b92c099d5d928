from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt
from xlrd import compdoc

from asn_attest.errors import DataError
from asn_attest.tabular.kinds import (
    HEAD_SIZE,
    FileKind,
    FileSample,
    detect_kind,
    ole2_entry_names,
    sample_file,
)
from tests.tabular.conftest import build_ole2, build_xlsx

SPREADSHEETML = b"""<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">NIP</Data></Cell></Row></Table></Worksheet>
</Workbook>
"""


def openpyxl_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["NIP", "NAMA"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlwt_bytes() -> bytes:
    wb = xlwt.Workbook()
    wb.add_sheet("Pegawai").write(0, 0, "NIP")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def error_for(path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        detect_kind(path)
    assert caught.value.location.file == str(path)
    return caught.value


# --- the content decides, never the extension -----------------------------------------------


def test_xlsx_named_xls_is_xlsx(make_file):
    assert detect_kind(make_file("roster.xls", openpyxl_bytes())) is FileKind.XLSX


def test_xls_named_xlsx_is_xls(make_file):
    assert detect_kind(make_file("roster.xlsx", xlwt_bytes())) is FileKind.XLS


def test_html_named_xls_is_html(make_file):
    page = b"<html><body><table><tr><td>NIP</td></tr></table></body></html>"
    assert detect_kind(make_file("export.xls", page)) is FileKind.HTML


def test_csv_named_xlsx_is_csv(make_file):
    assert detect_kind(make_file("export.xlsx", b"NIP;NAMA\n1;A\n")) is FileKind.CSV


def test_workbook_part_declared_only_in_content_types_is_xlsx(make_file):
    types = (
        b'<Types><Override PartName="/xl/book.xml" ContentType="application/'
        b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    path = make_file("macro.xlsm", zip_bytes({"[Content_Types].xml": types, "xl/book.xml": b"<x/>"}))
    assert detect_kind(path) is FileKind.XLSX


def test_hand_built_xlsx_is_xlsx(make_file):
    assert detect_kind(make_file("a.bin", build_xlsx({"S": {1: ["x"]}}))) is FileKind.XLSX


# --- files that are not readable say what they are ------------------------------------------


def test_missing_file_is_reported(tmp_path):
    assert "file not found" in error_for(tmp_path / "nope.xlsx").message


def test_directory_is_reported(tmp_path):
    assert "is a directory" in error_for(tmp_path).message


def test_empty_file_says_zero_bytes(make_file):
    assert "empty file (0 bytes)" in error_for(make_file("empty.csv", b"")).message


def test_encrypted_xlsx_says_password_protected_not_zip(make_file):
    data = build_ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40", "EncryptedPackage": b"\x99" * 5000})
    message = error_for(make_file("locked.xlsx", data)).message
    assert message.startswith("password-protected workbook: remove the password in Excel")
    assert "zip" not in message


def test_encrypted_package_alone_is_password_protected(make_file):
    data = build_ole2({"EncryptedPackage": b"\x01" * 4096})
    assert "password-protected" in error_for(make_file("locked.xlsx", data)).message


def test_hand_built_ole2_fixture_is_a_valid_compound_file():
    data = build_ole2({"EncryptionInfo": b"info", "EncryptedPackage": b"p" * 6000})
    document = compdoc.CompDoc(data, logfile=io.StringIO())
    assert [entry.name for entry in document.dirlist][:3] == [
        "Root Entry", "EncryptionInfo", "EncryptedPackage"
    ]
    assert document.get_named_stream("EncryptedPackage")[:6000] == b"p" * 6000


def test_ole2_names_are_read_from_a_real_xls():
    names = ole2_entry_names(io.BytesIO(xlwt_bytes()))
    assert "Workbook" in names


def test_ole2_names_of_a_directory_spanning_sectors():
    streams = {f"Stream{i}": b"x" for i in range(9)}
    names = ole2_entry_names(io.BytesIO(build_ole2(streams)))
    assert set(streams) <= names


def test_word_document_in_ole2_is_named(make_file):
    data = build_ole2({"WordDocument": b"w"})
    assert "Word document (.doc)" in error_for(make_file("x.xls", data)).message


def test_ole2_without_workbook_stream_is_not_xls(make_file):
    data = build_ole2({"Something": b"s"})
    assert "without a Workbook stream" in error_for(make_file("x.xls", data)).message


def test_truncated_ole2_is_corrupt(make_file):
    data = xlwt_bytes()
    message = error_for(make_file("cut.xls", data[:600])).message
    assert "corrupt or truncated .xls" in message


def test_looping_ole2_directory_chain_is_corrupt_not_a_hang(make_file):
    data = bytearray(build_ole2({"Workbook": b"w"}))
    # FAT entry of the directory sector (sector 1) points back at itself.
    struct.pack_into("<I", data, 512 + 4, 1)
    assert "loops" in error_for(make_file("loop.xls", bytes(data))).message


def test_plain_zip_is_not_a_workbook(make_file):
    message = error_for(make_file("data.xlsx", zip_bytes({"readme.txt": b"hi"}))).message
    assert "zip archive without xl/workbook.xml" in message


def test_ods_is_named(make_file):
    data = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    assert "OpenDocument spreadsheet (.ods)" in error_for(make_file("x.xlsx", data)).message


def test_docx_is_named(make_file):
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert "Word document (.docx)" in error_for(make_file("x.xlsx", data)).message


def test_truncated_xlsx_is_reported_as_truncated_or_corrupt(make_file):
    data = openpyxl_bytes()
    message = error_for(make_file("cut.xlsx", data[: len(data) // 2])).message
    assert message.startswith("truncated or corrupt xlsx (zip) file")
    assert "not a zip file" not in message


def test_spreadsheetml_2003_says_save_as_xlsx(make_file):
    message = error_for(make_file("export.xls", SPREADSHEETML)).message
    assert message == "Excel 2003 XML spreadsheet: open it in Excel and save as .xlsx"


def test_spreadsheetml_in_utf16_is_recognised(make_file):
    data = b"\xff\xfe" + SPREADSHEETML.decode().encode("utf-16-le")
    assert "Excel 2003 XML" in error_for(make_file("export.xml", data)).message


def test_other_xml_is_not_readable(make_file):
    data = b'<?xml version="1.0"?><data><row nip="1"/></data>'
    assert "XML document (<data>)" in error_for(make_file("x.xml", data)).message


def test_random_bytes_are_not_a_spreadsheet(make_file):
    data = random.Random(7).randbytes(5000)
    assert "not a spreadsheet or CSV file" in error_for(make_file("x.xlsx", data)).message


def test_pdf_is_named(make_file):
    message = error_for(make_file("scan.xlsx", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj")).message
    assert message.startswith("a PDF document")


def test_unreadable_file_is_a_data_error(make_file, monkeypatch):
    path = make_file("secret.csv", b"a,b\n")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert error_for(path).message == "cannot read the file: Permission denied"


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        b"<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table>",
        b"  <!-- generated by SIMPEG -->\n<table border=1><tr><td>1</td></tr></table>",
        b'<meta http-equiv="Content-Type" content="text/html"><table><tr><td>1</td></tr></table>',
        b"<?xml version='1.0'?><!DOCTYPE html><html xmlns='http://www.w3.org/1999/xhtml'><table><tr><td>1</td></tr></table></html>",
        b"\xef\xbb\xbf<html><table><tr><td>1</td></tr></table></html>",
        b"<br />\n<b>Notice</b>: Undefined index: x<br />\n<html><table><tr><td>1</td></tr></table>",
        b"Warning: session_start() failed\n<table><tr><td>1</td></tr></table>",
    ],
    ids=["doctype", "comment", "meta", "xhtml", "bom", "php-notice", "php-text-warning"],
)
def test_html_table_exports_are_html(make_file, page):
    assert detect_kind(make_file("export.xls", page)) is FileKind.HTML


def test_html_table_after_a_long_style_block_is_found(make_file):
    style = b"<style>" + b".c { color: red; }\n" * 5000 + b"</style>"
    page = b"<html><head>" + style + b"</head><body><table><tr><td>1</td></tr></table>"
    assert len(page) > HEAD_SIZE
    assert detect_kind(make_file("export.xls", page)) is FileKind.HTML


def test_html_page_without_a_table_is_reported(make_file):
    message = error_for(make_file("x.xls", b"<html><body>Session expired</body></html>")).message
    assert "HTML page without a <table>" in message


def test_html_meta_charset_gives_the_encoding(make_file):
    page = '<html><meta charset="windows-1252"><table><tr><td>Désa</td></tr></table>'
    sample = sample_file(make_file("x.xls", page.encode("cp1252")))
    assert (sample.kind, sample.encoding) == (FileKind.HTML, "cp1252")


def test_html_http_equiv_latin1_means_windows_1252(make_file):
    page = b'<html><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><table></table>'
    assert sample_file(make_file("x.xls", page)).encoding == "cp1252"


def test_html_claiming_utf8_with_cp1252_bytes_trusts_the_bytes(make_file):
    page = '<html><meta charset="utf-8"><table><tr><td>Désa “x”</td></tr></table>'
    assert sample_file(make_file("x.xls", page.encode("cp1252"))).encoding == "cp1252"


def test_html_without_declaration_is_utf8_when_valid(make_file):
    page = "<table><tr><td>Désa</td></tr></table>".encode()
    assert sample_file(make_file("x.xls", page)).encoding == "utf-8"


# --- text encodings ---------------------------------------------------------------------------

TEXT = "NO;NAMA;UNIT KERJA\n1;SITI ‘ANA’ RAHAYU, S.Pd.;Dinas Pendidikan\n2;ANDRÉ;Kecamatan\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_csv_encoding_is_detected(make_file, data, encoding):
    sample = sample_file(make_file("roster.csv", data))
    assert (sample.kind, sample.encoding) == (FileKind.CSV, encoding)
    assert data.decode(encoding).lstrip("\ufeff") == TEXT


def test_non_ascii_after_the_head_still_decides_the_encoding(make_file):
    data = b"NO;NAMA\n" + b"1;BUDI\n" * 20000 + "2;ANDRÉ\n".encode("cp1252")
    assert len(data) > HEAD_SIZE
    assert sample_file(make_file("roster.csv", data)).encoding == "cp1252"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(make_file):
    data = b"NO;NAMA\n1;B\x81UDI\n"
    assert sample_file(make_file("roster.csv", data)).encoding == "latin-1"


def test_a_few_nul_bytes_do_not_make_a_csv_binary(make_file):
    data = b"NO;NAMA\n" + b"1;BUDI\n" * 200 + b"\0\0"
    assert detect_kind(make_file("roster.csv", data)) is FileKind.CSV


# --- sample_file ------------------------------------------------------------------------------


def test_sample_head_is_the_first_64_kib(make_file):
    data = b"a,b\n" * 40000
    sample = sample_file(make_file("big.csv", data))
    assert sample.head == data[:HEAD_SIZE]
    assert isinstance(sample, FileSample)


def test_binary_kinds_have_no_encoding(make_file):
    sample = sample_file(make_file("x.xlsx", openpyxl_bytes()))
    assert (sample.kind, sample.encoding) == (FileKind.XLSX, None)


def test_forced_kind_skips_detection_but_detects_the_encoding(make_file):
    data = "<table><tr><td>é</td></tr></table>".encode("cp1252")
    sample = sample_file(make_file("x.txt", data), kind=FileKind.CSV)
    assert (sample.kind, sample.encoding) == (FileKind.CSV, "cp1252")


def test_file_kind_values_are_stable_strings():
    assert [k.value for k in FileKind] == ["xlsx", "xls", "html", "csv"]
    assert FileKind("csv") is FileKind.CSV
