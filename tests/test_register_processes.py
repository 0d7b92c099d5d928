"""The register under several processes at once, and under a process killed mid-import."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_exports"
IMPORTERS = 8


def command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "asn_attest", *args, "--db", str(db)]


def env() -> dict[str, str]:
    return {**os.environ, "ASN_ATTEST_USER": "test@bkpsdm", "ASN_ATTEST_DB_TIMEOUT": "120"}


def check(db: Path, *args: str) -> str:
    done = subprocess.run(command(db, *args), capture_output=True, text=True, env=env(), timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("import", "file", "record", "snapshot", "decision", "withdrawal")}
    finally:
        conn.close()


def start_all(db: Path, groups: list[list[Path]]) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(command(db, "import", "signatures", *map(str, group)), env=env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for group in groups
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


@pytest.fixture
def register(tmp_path: Path) -> Path:
    db = tmp_path / "register.db"
    check(db, "campaign", "create", "Pilkada 2024")
    check(db, "import", "roster", str(SAMPLES / "roster"))
    return db


def test_eight_importers_at_once_lose_nothing(register: Path) -> None:
    sheets = sorted((SAMPLES / "signatures").iterdir())
    groups = [sheets[i::IMPORTERS] for i in range(IMPORTERS)]
    before = counts(register)
    results = start_all(register, groups)
    assert [r.returncode for r in results] == [0] * IMPORTERS, [r.stderr for r in results]
    assert all(r.stderr == "" for r in results)
    after = counts(register)
    assert after["file"] - before["file"] == len(sheets)
    assert after["import"] - before["import"] == IMPORTERS
    signatures = sum(int(r.stdout.split(", ")[1].split()[0].replace(",", "")) for r in results)
    assert after["record"] - before["record"] == signatures > 1000
    status = json.loads(check(register, "status", "--json", "--as-of", "2024-11-01"))
    reconciled = json.loads(subprocess.run(
        [sys.executable, "-m", "asn_attest", "reconcile", "--roster", str(SAMPLES / "roster"),
         "--signatures", str(SAMPLES / "signatures"), "--json", "--as-of", "2024-11-01"],
        capture_output=True, text=True, check=True, env=env(),
    ).stdout)
    assert status["totals"] == reconciled["totals"]
    assert sorted(map(json.dumps, status["units"])) == sorted(map(json.dumps, reconciled["units"]))
    integrity = sqlite3.connect(register).execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"


def test_eight_importers_of_the_same_files_store_them_once(register: Path) -> None:
    sheets = sorted((SAMPLES / "signatures").glob("ttd_*.xlsx"))[:6]
    before = counts(register)
    results = start_all(register, [sheets] * IMPORTERS)
    assert [r.returncode for r in results] == [0] * IMPORTERS, [r.stderr for r in results]
    after = counts(register)
    assert after["file"] - before["file"] == len(sheets)
    said_nothing_new = [r for r in results if r.stdout.startswith("nothing new")]
    added = [r for r in results if r.stdout.startswith("#")]
    assert len(said_nothing_new) + len(added) == IMPORTERS and added
    assert after["import"] - before["import"] == len(added)


def _big_form(path: Path, rows: int) -> Path:
    rng = random.Random(7)
    words = ["Agus", "Budi", "Siti", "Dewi", "Joko", "Rina", "Santoso", "Lestari", "Hidayat", "Wulandari"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Timestamp,NIP (18 digit),Nama Lengkap,Unit Kerja,"
                 "Saya menyatakan bersedia menjaga netralitas ASN dalam Pemilu 2024\n")
        for i in range(rows):
            nip = f"19{rng.randint(60, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 2)}20{rng.randint(10, 20)}01" \
                  f"{rng.randint(1, 2)}{rng.randint(1, 999):03d}"
            fh.write(f"12/02/2024 7:{i % 60:02d}:14,{nip},{rng.choice(words)} {rng.choice(words)} {i},"
                     "DINAS PENDIDIKAN,Ya\n")
    return path


def test_a_process_killed_mid_import_leaves_the_register_as_it_was(register: Path, tmp_path: Path) -> None:
    big = _big_form(tmp_path / "big.csv", 20_000)
    before = counts(register)
    wal = Path(f"{register}-wal")
    proc = subprocess.Popen(command(register, "import", "signatures", str(big)), env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = wal.stat().st_size if wal.exists() else 0
    killed_while_writing = False
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size > start:
            proc.send_signal(signal.SIGKILL)
            killed_while_writing = True
            break
        time.sleep(0.002)
    proc.wait(timeout=60)
    assert killed_while_writing, "the import ended before its rows were being written"
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(register)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert counts(register) == before
    # and the register takes the same import afterwards
    assert check(register, "import", "signatures", str(big)).startswith("#")
    assert counts(register)["record"] == before["record"] + 20_000
