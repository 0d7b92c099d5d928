"""Online form responses: a response is a signature only with a yes to the consent question."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from asn_attest.errors import ConfigError, DataError
from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import read_files
from asn_attest.records import Channel
from asn_attest.values import parse_timestamp

HEADER = (
    "Timestamp,Email Address,NIP (18 digit tanpa spasi),Nama Lengkap dan Gelar,Unit Kerja / OPD,"
    "Dengan ini saya menyatakan bersedia menjaga netralitas ASN"
)


@pytest.fixture(scope="module")
def readers():
    return make_plugin_manager(environ={"ASN_ATTEST_LOAD_PLUGINS": ""}).attestation_readers()


def form_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def test_only_a_yes_to_consent_is_a_signature(tmp_path: Path, readers) -> None:
    path = form_csv(
        tmp_path / "f.csv",
        "2024/02/12 9:15:03 AM GMT+7,ani@x.id,'198503152010012001,ani,Dinas Kesehatan,Ya",
        "2024/02/12 9:20:00 AM GMT+7,budi@x.id,197001011995031002,BUDI,Dinkes,Tidak",
        "2024/02/12 9:21:00 AM GMT+7,citra@x.id,198807072015032003,Citra,Dinkes,",
        "2024/02/12 9:22:00 AM GMT+7,dedi@x.id,-,Dedi (honorer),Dinkes,Saya bersedia",
    )
    result = read_files(readers, [path])
    assert [a.name for a in result.records] == ["ani", "Dedi (honorer)"]
    assert result.sheets[0].reader == "form"
    declined = [(p.source.row, p.message) for p in result.problems]
    assert declined == [
        (3, "consent answer 'Tidak' is not a yes: not a signature"),
        (4, "consent answer 'no answer' is not a yes: not a signature"),
    ]


def test_a_response_keeps_time_channel_and_raw_answers(tmp_path: Path, readers) -> None:
    path = form_csv(tmp_path / "f.csv", "12/02/2024 9:15:03,ani@x.id,NIP. 19850315 201001 2 001,Ani,Dinkes,Setuju")
    (ani,) = read_files(readers, [path]).records
    assert ani.channel is Channel.FORM
    assert ani.signed_at == dt.datetime(2024, 2, 12, 9, 15, 3)
    assert ani.nip.nip is not None and ani.nip.nip.digits == "198503152010012001"
    assert ani.raw["Nama Lengkap dan Gelar"] == "Ani"
    assert (ani.source.file, ani.source.row) == (str(path), 2)


def test_a_formula_typed_into_an_answer_stays_text(tmp_path: Path, readers) -> None:
    path = form_csv(tmp_path / "f.csv", '12/02/2024 9:15:03,x@x.id,-,"=HYPERLINK(""http://x"")",Dinkes,Ya')
    (record,) = read_files(readers, [path]).records
    assert record.name == '=HYPERLINK("http://x")'


def test_xlsx_form_export_is_recognised_by_its_timestamp_column(tmp_path: Path, readers) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Stempel waktu", "NIP", "Nama", "OPD", "Pernyataan kesediaan"])
    ws.append([dt.datetime(2024, 2, 12, 8, 0), "198503152010012001", "ANI", "Dinkes", "Bersedia"])
    wb.save(tmp_path / "f.xlsx")
    (ani,) = read_files(readers, [tmp_path / "f.xlsx"]).records
    assert ani.signed_at == dt.datetime(2024, 2, 12, 8, 0)


def test_map_overrides_the_guess(tmp_path: Path, readers) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Timestamp,NIP,Nama,Kantor,Q1\n12/02/2024 9:15:03,-,ANI,Dinkes,Ya\n", encoding="utf-8")
    with pytest.raises(DataError, match="consent question"):
        read_files(readers, [path])
    (ani,) = read_files(readers, [path], overrides={"consent": "Q1", "unit": "Kantor"}).records
    assert ani.unit == "Dinkes"
    with pytest.raises(ConfigError, match="no such column"):
        read_files(readers, [path], overrides={"consent": "Q9"})


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024/02/12 9:15:03 PM GMT+7", dt.datetime(2024, 2, 12, 21, 15, 3)),
        ("12/02/2024 09:15", dt.datetime(2024, 2, 12, 9, 15)),
        ("2024-02-12T09:15:03+07:00", dt.datetime(2024, 2, 12, 9, 15, 3)),
        ("12 Februari 2024", dt.date(2024, 2, 12)),
    ],
)
def test_timestamps_in_the_forms_exports_write_them(value: str, expected: object) -> None:
    assert parse_timestamp(value) == expected


def test_a_time_that_is_not_a_time_of_day_is_refused() -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        parse_timestamp("12/02/2024 25:61:00")


def test_a_row_with_a_bad_date_and_no_one_named_is_a_problem_not_a_crash(tmp_path) -> None:
    from asn_attest.plugins import make_plugin_manager
    from asn_attest.reading import read_files

    form = tmp_path / "form.csv"
    form.write_text(
        "Timestamp,Email Address,NIP (18 digit),Nama Lengkap,Unit Kerja,"
        "Saya menyatakan bersedia menjaga netralitas ASN dalam Pemilu 2024\n"
        "12/02/2024 07:30:00,a@b.id,199001012015012001,Ani Lestari,Dinas B,Ya\n"
        "31/02/2024 08:15:00,c@b.id,-,,Dinas B,Ya\n",
        encoding="utf-8",
    )
    result = read_files(make_plugin_manager().attestation_readers(), [form])
    assert len(result.records) == 1
    (problem,) = [p for p in result.problems if p.source.row == 3]
    assert "not counted" in problem.message and "NIP, a NIK or a name" in problem.message


@pytest.mark.parametrize("chunk", [2, 3, 4096])
def test_rows_loaded_in_chunks_keep_records_and_problems_in_row_order(
    tmp_path: Path, readers, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Responses are loaded a chunk at a time; declined answers, refused rows and
    unreadable dates are reported in row order whatever the chunk boundaries."""
    monkeypatch.setattr("asn_attest.tabular.tables.LOAD_CHUNK", chunk)
    path = form_csv(
        tmp_path / "f.csv",
        "2024/02/12 9:15:03 AM GMT+7,a@x.id,198503152010012001,Ani,Dinkes,Ya",        # row 2
        "2024/02/12 9:16:00 AM GMT+7,b@x.id,197001011995031002,Budi,Dinkes,Tidak",    # row 3: declined
        "kemarin,c@x.id,198807072015032003,Citra,Dinkes,Ya",                          # row 4: date unknown
        "2024/02/12 9:18:00 AM GMT+7,d@x.id,,,Dinkes,Ya",                             # row 5: nobody named
        "2024/02/12 9:19:00 AM GMT+7,e@x.id,-,Dedi,Dinkes,Tidak",                     # row 6: declined
        "2024/02/12 9:20:00 AM GMT+7,f@x.id,199001012021211001,Eka,Dinkes,Ya",        # row 7
    )
    result = read_files(readers, [path])
    assert [(a.name, a.source.row) for a in result.records] == [("Ani", 2), ("Citra", 4), ("Eka", 7)]
    assert result.records[1].signed_at is None
    assert [p.source.row for p in result.problems] == [3, 4, 5, 6]
    assert [p.severity for p in result.problems] == ["warning", "warning", "error", "warning"]
    assert "signing date unknown" in result.problems[1].message
    assert result.problems[2].message.startswith("signed, but ")
