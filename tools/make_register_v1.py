"""How tests/data/register_v1/register.db was made: a register of the first schema.

The file is kept as it was written so that a test can open it with the current
version and check the upgrade in place. Do not run this again to refresh it: the
point of the file is that it is old. (Run from the repository root.)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from asn_attest.plugins import make_plugin_manager
from asn_attest.records import ExemptionReason
from asn_attest.register import Register, SQLiteStore

HERE = Path("tests/data/register_v1")


def main() -> None:
    target = HERE / "register.db"
    if target.exists():
        raise SystemExit(f"{target} exists; it is a frozen fixture")
    os.chdir(HERE)
    clock = iter(dt.datetime(2024, 10, day, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))) for day in range(1, 30))
    register = Register(
        SQLiteStore("register.db", create=True, schema_version=1), make_plugin_manager,
        actor="admin@bkpsdm", clock=lambda: next(clock),
    )
    campaign = register.create_campaign("Pilkada 2024", pledge_version="SKB 2022", due=dt.date(2024, 11, 20))
    register.import_files(campaign, "roster", ["inputs/roster"])
    register.import_files(campaign, "signatures", ["inputs/signatures"])
    state = register.state(campaign)
    result = register.reconcile(state, as_of=dt.date(2024, 10, 10))
    unsigned = [state.roster.employees[i] for u in result.units for i in u.unsigned_staff if state.roster.employees[i].nip_full]
    register.sign(campaign, unsigned[0].nip_full, date=dt.date(2024, 10, 5), evidence="ikrar kertas, arsip no. 1")
    register.exempt(campaign, unsigned[1].nip_full, reason=ExemptionReason.CUTI, until=dt.date(2024, 12, 31))
    print(register.store.info())


if __name__ == "__main__":
    main()
