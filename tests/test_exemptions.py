"""Exemption lists: valid reasons on the as-of date excuse a person; the rest is reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from asn_attest.plugins import make_plugin_manager
from asn_attest.reading import read_files
from asn_attest.reconcile import reconcile
from asn_attest.records import EmployeeSchema, ExemptionReason

NIPS = [f"198503152010011{n:03d}" for n in range(1, 5)]


def roster():
    return [EmployeeSchema().load({"name": name, "nip": NIPS[i], "unit": "Dinas A", "source": {"file": "r.csv", "row": i + 2}})
            for i, name in enumerate(["ANI", "BUDI", "CITRA", "DEWI"])]


def test_exemption_list_excuses_people_while_valid(tmp_path: Path) -> None:
    path = tmp_path / "pengecualian.csv"
    path.write_text(
        "NIP;NAMA;ALASAN;SAMPAI\n"
        f"{NIPS[0]};ANI;Cuti;31-01-2024\n"
        f"{NIPS[1]};BUDI;Tugas Belajar;\n"
        f"{NIPS[2]};CITRA;liburan;\n"
        "199001012015031009;ORANG LAIN;sakit;\n",
        encoding="utf-8",
    )
    read = read_files(make_plugin_manager().exemption_readers(), [path])
    assert [e.reason for e in read.records] == [ExemptionReason.CUTI, ExemptionReason.TUGAS_BELAJAR, ExemptionReason.SAKIT]
    (bad_reason,) = read.problems
    assert (bad_reason.source.row, bad_reason.column) == (4, "ALASAN") and "not an exemption reason" in bad_reason.message
    rec = reconcile(roster(), [], exemptions=read.records, as_of=dt.date(2024, 2, 12))
    (unit,) = rec.units
    assert (unit.staff, unit.exempt, unit.unsigned) == (4, 1, 3)  # ANI's leave ended on 31 January
    assert [p.message for p in rec.problems] == ["ORANG LAIN: not on the roster"]
    early = reconcile(roster(), [], exemptions=read.records, as_of=dt.date(2024, 1, 15))
    assert early.units[0].exempt == 2
