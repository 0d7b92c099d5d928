"""Paper sign sheets: a row counts only when its sign cell holds a mark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from asn_attest.errors import DataError
from asn_attest.nip import NipStatus
from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import read_files
from asn_attest.records import Channel
from asn_attest_signsheet.reader import SIGNERS_LIST, is_mark

ANI, BUDI, CITRA, DEDI, EKA = (
    "198503152010012001", "197001011995031002", "198807072015032003", "199001012019031004", "199202022020122005",
)  # fmt: skip


@pytest.fixture(scope="module")
def readers():
    return make_plugin_manager(environ={"ASN_ATTEST_LOAD_PLUGINS": ""}).attestation_readers()


def sign_sheet(path: Path, rows: list[list[object]], *, sign_header: str | None = "TANDA TANGAN") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dinkes"
    ws.append(["DAFTAR HADIR PENANDATANGANAN IKRAR NETRALITAS ASN"])
    ws.append(["OPD", ":", "Dinas Kesehatan"])
    ws.append(["Hari/Tanggal", ":", "Senin, 12 Februari 2024"])
    ws.append([])
    header = ["NO", "NAMA", "NIP", "JABATAN"] + ([sign_header] if sign_header else [])
    ws.append(header)
    for row in rows:
        ws.append(row if sign_header else row[:4])
    ws.append([])
    ws.append([None, "Mengetahui,"])
    ws.append([None, "Kepala Dinas Kesehatan"])
    ws.append([None, "dr. H. SURYA, M.Kes."])
    ws.append([None, "NIP. 197001011995031099"])
    wb.save(path)
    return path


ROWS = [
    [1, "dr. ANI, M.Kes.", ANI, "Kepala Bidang", "1."],
    [2, "BUDI", BUDI, "Staf", None],
    [3, "CITRA, S.Kep.", CITRA, "Perawat", "✓"],
    [4, "DEDI", DEDI, "Staf", "4. ............"],
    [5, "EKA", EKA, "Bidan", "ttd"],
]


def test_only_rows_with_a_mark_are_signatures(tmp_path: Path, readers) -> None:
    result = read_files(readers, [sign_sheet(tmp_path / "s.xlsx", ROWS)])
    assert [a.name for a in result.records] == ["dr. ANI, M.Kes.", "CITRA, S.Kep.", "EKA"]
    assert "2 row(s) with a blank signature cell: listed, not signed" in result.sheets[0].notes


def test_unit_and_date_come_from_the_preamble(tmp_path: Path, readers) -> None:
    result = read_files(readers, [sign_sheet(tmp_path / "s.xlsx", ROWS)])
    first = result.records[0]
    assert (first.unit, first.signed_at, first.channel) == ("Dinas Kesehatan", dt.date(2024, 2, 12), Channel.SHEET)
    assert first.nip.status is NipStatus.FULL
    assert result.sheets[0].reader == "signsheet"


def test_every_attestation_keeps_its_source_and_raw_cells(tmp_path: Path, readers) -> None:
    path = sign_sheet(tmp_path / "s.xlsx", ROWS)
    first = read_files(readers, [path]).records[0]
    assert (first.source.file, first.source.sheet, first.source.row) == (str(path), "Dinkes", 6)
    assert first.raw["TANDA TANGAN"] == "1."
    assert first.raw["NIP"] == ANI


def test_the_signature_block_is_not_read_as_a_signer(tmp_path: Path, readers) -> None:
    names = [a.name for a in read_files(readers, [sign_sheet(tmp_path / "s.xlsx", ROWS)]).records]
    assert not any("SURYA" in n for n in names)


def test_a_sheet_without_a_signature_column_is_an_error_unless_the_user_says_it_lists_signers(
    tmp_path: Path, readers
) -> None:
    path = sign_sheet(tmp_path / "s.xlsx", ROWS, sign_header=None)
    with pytest.raises(DataError) as info:
        read_files(readers, [path])
    message = str(info.value)
    assert message.startswith(f"{path}, sheet 'Dinkes', row 5: no signature column")
    assert "--signers-list" in message
    result = read_files(readers, [path], options={SIGNERS_LIST: True})
    assert len(result.records) == 5


@pytest.mark.parametrize("value", ["1.", "2", "✓", "v", "ttd", "TTD", "x", "(paraf)", 1])
def test_marks(value: object) -> None:
    assert is_mark(value)


@pytest.mark.parametrize("value", [None, "", "   ", "........", "1. ..........", "____", "\u200b", "- - - -"])
def test_blanks_and_pre_printed_lines_are_not_marks(value: object) -> None:
    assert not is_mark(value)


def test_csv_sign_sheet_is_claimed_by_the_sign_sheet_reader(tmp_path: Path, readers) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"NO;NAMA;NIP;TTD\n1;ANI;{ANI};ttd\n2;BUDI;{BUDI};\n", encoding="utf-8")
    result = read_files(readers, [path])
    assert [a.name for a in result.records] == ["ANI"]


def test_marks_alternating_in_two_columns_under_one_merged_header_both_count(tmp_path: Path, readers) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["DAFTAR HADIR PENANDATANGANAN IKRAR NETRALITAS"])
    ws.append(["OPD : Dinas Sosial"])
    ws.append(["NO", "NAMA", "NIP", "JABATAN", "TANDA TANGAN", None, "KETERANGAN"])
    ws.merge_cells("E3:F3")
    ws.append([1, "ANI", ANI, "Staf", "1.", None, None])
    ws.append([2, "BUDI", BUDI, "Staf", None, "2.", None])
    ws.append([3, "CITRA", CITRA, "Staf", None, None, "cuti"])
    ws.append([4, "DEDI", DEDI, "Staf", None, "4. .......", None])
    wb.save(tmp_path / "s.xlsx")
    result = read_files(readers, [tmp_path / "s.xlsx"])
    assert [a.name for a in result.records] == ["ANI", "BUDI"]
