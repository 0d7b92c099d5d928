"""Who has signed, per OPD, the way an HR admin would work it out with pandas.

Usage: python bench/pandas_peer.py --roster ROSTER.xlsx --responses RESPONSES.xlsx --out OUTDIR
       [--engine default|calamine]

The benchmark's peer: the plain script a competent admin writes. It reads the roster
and the Google Form responses with ``pandas.read_excel`` (``--engine default``:
openpyxl, pandas' default reader until pandas 4, named explicitly; ``--engine
calamine``: python-calamine), keeps the digits of each NIP, counts a "Ya" response
with an 18-digit NIP as a signature, joins on NIP, and writes ``OUTDIR/ringkasan.xlsx``
(one row per OPD) and ``OUTDIR/belum-ttd/<OPD>.xlsx`` (each OPD's unsigned staff) with
pandas' usual writer, openpyxl. It prints the OPD table and a TOTAL line.

What it does not do is what asn-attest is for: a NIP Excel stored as a number, a
digit typed wrong or a response without a NIP (non-ASN staff) simply does not match.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

ROSTER_NIP = "NIP"
ROSTER_OPD = "Satuan Kerja"
ROSTER_COLUMNS = ["NIP", "Nama", "Jabatan", "Gol. Ruang", "Unit Kerja"]
RESPONSE_NIP = "NIP (18 digit)"
RESPONSE_CONSENT = "Saya menyatakan bersedia menjaga netralitas ASN dalam Pemilu 2024"
#: Written with openpyxl, the writer that comes with every pandas Excel setup.
WRITER = "openpyxl"


def digits_only(column: pd.Series) -> pd.Series:
    """The NIP with spaces, dots and prefixes removed."""
    return column.astype(str).str.replace(r"\D", "", regex=True)


def safe_file_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|]', " ", text).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster", required=True, type=Path)
    parser.add_argument("--responses", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--engine", choices=("default", "calamine"), default="default",
                        help="read_excel engine: pandas' default, openpyxl, or python-calamine")
    args = parser.parse_args()
    engine = "openpyxl" if args.engine == "default" else "calamine"

    roster = pd.read_excel(args.roster, dtype={ROSTER_NIP: str}, engine=engine)
    responses = pd.read_excel(args.responses, engine=engine)

    roster["nip"] = digits_only(roster[ROSTER_NIP])
    responses["nip"] = digits_only(responses[RESPONSE_NIP])
    agreed = responses[RESPONSE_CONSENT].astype(str).str.strip().str.lower() == "ya"
    signatures = responses[agreed & (responses["nip"].str.len() == 18)]
    signatures = signatures.sort_values("Timestamp").drop_duplicates("nip")

    merged = roster.merge(signatures[["nip", "Timestamp"]], on="nip", how="left")
    merged["sudah"] = merged["Timestamp"].notna()

    summary = merged.groupby(ROSTER_OPD).agg(pegawai=("nip", "size"), sudah=("sudah", "sum"))
    summary["belum"] = summary["pegawai"] - summary["sudah"]
    summary["persen"] = (100 * summary["sudah"] / summary["pegawai"]).round(1)
    summary = summary.sort_values("persen")

    args.out.mkdir(parents=True, exist_ok=True)
    summary.to_excel(args.out / "ringkasan.xlsx", engine=WRITER)
    unsigned_dir = args.out / "belum-ttd"
    unsigned_dir.mkdir(exist_ok=True)
    unsigned = merged[~merged["sudah"]]
    for opd, staff in unsigned.groupby(ROSTER_OPD):
        staff[ROSTER_COLUMNS].to_excel(unsigned_dir / f"{safe_file_name(opd)}.xlsx", index=False, engine=WRITER)

    print(summary.to_string())
    total, signed = len(merged), int(merged["sudah"].sum())
    print(f"TOTAL {total} {signed} {total - signed} {100 * signed / total:.1f}%")


if __name__ == "__main__":
    main()
