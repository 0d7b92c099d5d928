"""E-signature logs: signers known by NIK; failed signings are not signatures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from asn_attest.errors import DataError
from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import read_files
from asn_attest.records import Channel

LOG = (
    "No,NIK Penandatangan,Nama Penandatangan,Nama Dokumen,Waktu Tanda Tangan,Status\n"
    "1,3201011503850001,ANI,Ikrar Netralitas ASN 2024,2024-02-12 10:01:02,Berhasil\n"
    "2,3201010101700002,BUDI,Ikrar Netralitas ASN 2024,2024-02-12 10:05:00,Gagal\n"
    "3,3201010707880003,CITRA,Ikrar Netralitas ASN 2024,12/02/2024 11:00,\n"
)


@pytest.fixture(scope="module")
def readers():
    return make_plugin_manager(environ={"ASN_ATTEST_LOAD_PLUGINS": ""}).attestation_readers()


def test_log_rows_become_esign_attestations_by_nik(tmp_path: Path, readers) -> None:
    path = tmp_path / "tte.csv"
    path.write_text(LOG, encoding="utf-8")
    result = read_files(readers, [path])
    assert result.sheets[0].reader == "esign"
    assert [(a.nik, a.name, a.channel) for a in result.records] == [
        ("3201011503850001", "ANI", Channel.ESIGN),
        ("3201010707880003", "CITRA", Channel.ESIGN),
    ]
    assert result.records[0].signed_at == dt.datetime(2024, 2, 12, 10, 1, 2)
    assert result.records[0].raw["Nama Dokumen"] == "Ikrar Netralitas ASN 2024"


def test_a_failed_signing_is_reported_not_counted(tmp_path: Path, readers) -> None:
    path = tmp_path / "tte.csv"
    path.write_text(LOG, encoding="utf-8")
    (problem,) = read_files(readers, [path]).problems
    assert (problem.source.row, problem.column, problem.message) == (3, "Status", "status 'Gagal': not a signature")


def test_a_log_without_a_signing_time_names_what_it_found(tmp_path: Path, readers) -> None:
    path = tmp_path / "tte.csv"
    path.write_text("NIK,Nama,Dokumen\n3201011503850001,ANI,Ikrar\n", encoding="utf-8")
    with pytest.raises(DataError, match="signing time; found: NIK | Nama | Dokumen"):
        read_files(readers, [path], forced_reader="esign")
