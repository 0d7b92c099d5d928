"""Synthetic signature evidence for a synthetic kabupaten, with the truth known.

:func:`write_evidence` writes what an HR office collects after the neutrality pledge:
pre-printed paper sign sheets typed into Excel (one per OPD, a few OPDs together in
one workbook) and a Google-Form-style CSV of responses, with the traps real files
carry (NIPs typed with spaces, dots or a prefix, a digit wrong, names in any case or
with a typo, double submissions, people from other agencies, "Tidak" answers).
Everything comes from ``random.Random(seed)``; the returned :class:`EvidenceTruth`
says who really signed, and where each signature sits, so a test can check the
matcher against the truth.
"""

from __future__ import annotations

import csv
import datetime
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from .kabupaten import Kabupaten, Person, head_of_unit, save_workbook

__all__ = ["EvidenceTruth", "SignatureAt", "write_evidence", "SIGN_DAY"]

#: The day the pledge was signed (printed on every sheet).
SIGN_DAY = datetime.date(2024, 2, 12)
_HARI_TANGGAL = "Senin, 12 Februari 2024"
_TITLE = "DAFTAR HADIR PENANDATANGANAN IKRAR NETRALITAS ASN"
_HEADER = ["NO", "NAMA", "NIP", "JABATAN", "TANDA TANGAN"]
_FORM_HEADER = [
    "Timestamp", "Email Address", "NIP (18 digit)", "Nama Lengkap", "Unit Kerja",
    "Saya menyatakan bersedia menjaga netralitas ASN dalam Pemilu 2024",
]  # fmt: skip
_FORM_FILE = "respon_formulir_ikrar_netralitas.csv"

#: Where one signature is: (file name, sheet name or None for the CSV, row as the user sees it).
SignatureAt = tuple[str, "str | None", int]

# Words no synthetic roster name uses, so a stranger can never pass for a roster person.
STRANGER_GIVEN = ("Marthen", "Kornelius", "Hendrikus", "Benediktus", "Oktovianus", "Yulianus",
                   "Wilhelmus", "Yosina", "Welmince", "Ferderika", "Naomi", "Ribka")
STRANGER_FAMILY = ("Rumbiak", "Wonda", "Kambu", "Mandacan", "Ayomi", "Waromi", "Sawaki",
                    "Karubaba", "Rumaropen", "Yikwa")
OTHER_AGENCIES = ("Kantor Kementerian Agama", "Kantor Pertanahan", "Pengadilan Agama",
                   "KPU Kabupaten", "Kantor Pelayanan Pajak Pratama")


@dataclass
class EvidenceTruth:
    """What the evidence files really say."""

    #: Indexes into ``kab.people`` of those who really signed.
    signed: set[int]
    #: Number of planted signatures (form responses with a yes) from people not on the roster.
    strangers: int
    files: list[Path]
    #: Every signature (a marked sheet row or a "Ya" response) of each person in ``signed``.
    signatures: dict[int, list[SignatureAt]] = field(default_factory=dict)
    #: Where the strangers' signatures are.
    stranger_rows: list[SignatureAt] = field(default_factory=list)
    #: People who answered "Tidak" on the form (in ``signed`` only if they signed elsewhere).
    declined: set[int] = field(default_factory=set)
    #: Form rows whose NIP has one digit wrong, and whose name has a one-letter typo.
    nip_typo_rows: list[SignatureAt] = field(default_factory=list)
    name_typo_rows: list[SignatureAt] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _printed_name(p: Person) -> str:
    """As a sheet printed from SIMPEG shows it: name in capitals, titles as written."""
    text = f"{p.front_titles} {p.name.upper()}" if p.front_titles else p.name.upper()
    return f"{text}, {p.back_titles}" if p.back_titles else text


def _sheet_title(unit: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", unit)[:28].strip()
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]} {n}", n + 1
    taken.add(title)
    return title


def _typo(name: str, rng: random.Random) -> str:
    """One letter of the longest word replaced by another (never its first letter)."""
    words = name.split()
    w = max(range(len(words)), key=lambda i: (len(words[i]), -i))
    word = words[w]
    i = rng.randrange(1, len(word))
    letters = [c for c in "aeioubdgkmnrst" if c != word[i].lower()]
    new = rng.choice(letters)
    words[w] = word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    return " ".join(words)


def _nip_written(nip: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.15:
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    if r < 0.25:
        return f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}"
    if r < 0.32:
        return f"NIP. {nip}"
    return nip


def _one_digit_wrong(nip: str, all_nips: set[str], rng: random.Random) -> str | None:
    """The NIP with one digit of its serial (the last three) wrong, owned by no one."""
    for _ in range(20):
        i = rng.randrange(15, 18)
        d = rng.choice([c for c in "0123456789" if c != nip[i]])
        wrong = nip[:i] + d + nip[i + 1 :]
        if wrong not in all_nips:
            return wrong
    return None


def _stranger_nip(rng: random.Random, all_nips: set[str]) -> str:
    """A valid-looking 18-digit NIP more than two digits from every roster NIP."""
    while True:
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 9000))
        tmt = f"{rng.randrange(born.year + 20, min(born.year + 35, 2022))}{rng.randrange(1, 13):02d}"
        nip = f"{born:%Y%m%d}{tmt}{rng.choice('12')}{rng.randrange(1, 999):03d}"
        if all(sum(a != b for a, b in zip(nip, other)) > 2 for other in all_nips):
            return nip


# --------------------------------------------------------------------------- sheets


def _write_sheet(ws, unit: str, people: list[tuple[int, Person]], marks: set[int], head: Person | None,
                 rng: random.Random, one_cell_preamble: bool, where: dict[int, list[SignatureAt]],
                 file: str) -> None:
    ws.append([_TITLE])
    ws.append(["PEMERINTAH KABUPATEN"])
    if one_cell_preamble:
        ws.append([f"OPD : {unit}"])
        ws.append([f"Hari/Tanggal : {_HARI_TANGGAL}"])
    else:
        ws.append(["OPD", ":", unit])
        ws.append(["Hari/Tanggal", ":", _HARI_TANGGAL])
    ws.append([])
    ws.append(_HEADER)
    dotted = rng.random() < 0.4  # this sheet was printed with a signing line in every row
    for no, (index, p) in enumerate(people, 1):
        if index in marks:
            sign = rng.choice((f"{no}.", f"{no}.", "✓", "ttd"))
        else:
            sign = f"{no}. ........" if dotted else None
        name = _printed_name(p) if rng.random() < 0.8 else p.display_name
        # a few NIPs typed into a number-formatted cell: Excel keeps 15 significant digits
        damaged = bool(p.nip) and rng.random() < 0.03
        ws.append([no, name, float(p.nip) if damaged else p.nip or "-", p.jabatan, sign])
        if p.nip and not damaged:
            ws.cell(row=ws.max_row, column=3).number_format = "@"
        if index in marks:
            where.setdefault(index, []).append((file, ws.title, ws.max_row))
    ws.append([])
    ws.append([None, "Mengetahui,"])
    ws.append([None, head.jabatan if head else f"Kepala {unit}"])
    ws.append([])
    ws.append([None, _printed_name(head) if head else "(..............................)"])
    ws.append([None, f"NIP. {head.nip}" if head and head.nip else "NIP."])


# --------------------------------------------------------------------------- the set


def write_evidence(kab: Kabupaten, out_dir: Path, *, seed: int = 1, signed_share: float = 0.85) -> EvidenceTruth:
    """Sign sheets (xlsx) and form responses (CSV) for ``kab`` in ``out_dir``; see the module docstring."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    people = kab.people
    all_nips = {p.nip for p in people if p.nip}

    signed = {i for i in range(len(people)) if rng.random() < signed_share}
    on_sheet: set[int] = set()
    on_form: set[int] = set()
    for i in sorted(signed):
        if rng.random() < 0.65:
            on_sheet.add(i)
            if rng.random() < 0.05:
                on_form.add(i)  # signed on paper and filled in the form as well
        else:
            on_form.add(i)

    where: dict[int, list[SignatureAt]] = {}
    files: list[Path] = []

    # -- sign sheets: one per OPD, a handful of OPDs together in one workbook
    by_unit: dict[str, list[tuple[int, Person]]] = {u: [] for u in kab.units}
    for i, p in enumerate(people):
        by_unit.setdefault(p.unit, []).append((i, p))
    units = [u for u in by_unit if by_unit[u]]
    together = set(rng.sample(units, min(4, len(units) // 3)))
    combined_name = "rekap_ttd_ikrar_gabungan.xlsx"
    combined = Workbook()
    combined.remove(combined.active)
    titles: set[str] = set()
    for unit in units:
        staff = by_unit[unit]
        head = head_of_unit(people, unit)
        if unit in together:
            ws = combined.create_sheet(_sheet_title(unit, titles))
            _write_sheet(ws, unit, staff, on_sheet, head, rng, True, where, combined_name)
        else:
            name = f"ttd_ikrar_{_slug(unit)}.xlsx"
            wb = Workbook()
            ws = wb.active
            ws.title = _sheet_title(unit, set())
            _write_sheet(ws, unit, staff, on_sheet, head, rng, rng.random() < 0.3, where, name)
            save_workbook(wb, out / name)
            files.append(out / name)
    if together:
        save_workbook(combined, out / combined_name)
        files.append(out / combined_name)

    # -- form responses
    responses: list[dict] = []  # {"person": i | None, "cells": [...], "yes": bool, "trap": str}
    for i in sorted(on_form):
        p = people[i]
        times = 2 if rng.random() < 0.04 else 1
        for _ in range(times):
            responses.append(_response(i, p, all_nips, rng, yes=True))
    declined = set(rng.sample(sorted(set(range(len(people))) - signed), min(6, len(people) - len(signed))))
    declined |= set(rng.sample(sorted(on_sheet - on_form), min(2, len(on_sheet - on_form))))
    for i in sorted(declined):
        responses.append(_response(i, people[i], all_nips, rng, yes=False))
    strangers = max(3, round(0.02 * len(responses)))
    for _ in range(strangers):
        responses.append(_stranger(kab, all_nips, rng))
    rng.shuffle(responses)

    stamp = datetime.datetime(2024, 2, 12, 7, 30, 0)
    stranger_rows: list[SignatureAt] = []
    nip_typo_rows: list[SignatureAt] = []
    name_typo_rows: list[SignatureAt] = []
    path = out / _FORM_FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_FORM_HEADER)
        for line, resp in enumerate(responses, 2):
            stamp += datetime.timedelta(seconds=rng.randrange(5, 240))
            when = f"{stamp:%d/%m/%Y} {stamp.hour}:{stamp:%M:%S}"
            writer.writerow([when, *resp["cells"], "Ya" if resp["yes"] else "Tidak"])
            at: SignatureAt = (_FORM_FILE, None, line)
            if not resp["yes"]:
                continue
            if resp["person"] is None:
                stranger_rows.append(at)
                continue
            where.setdefault(resp["person"], []).append(at)
            if resp["trap"] == "nip_typo":
                nip_typo_rows.append(at)
            if resp["trap"] == "name_typo":
                name_typo_rows.append(at)
    files.append(path)

    return EvidenceTruth(
        signed=signed, strangers=strangers, files=files, signatures=where, stranger_rows=stranger_rows,
        declined=declined, nip_typo_rows=nip_typo_rows, name_typo_rows=name_typo_rows,
    )  # fmt: skip


def _email(name: str, rng: random.Random) -> str:
    local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
    return f"{local}{rng.randrange(1, 99)}@{rng.choice(('gmail.com', 'yahoo.co.id'))}"


def _unit_written(unit: str, rng: random.Random) -> str:
    r = rng.random()
    return unit.upper() if r < 0.2 else unit.lower() if r < 0.3 else unit


def _response(i: int, p: Person, all_nips: set[str], rng: random.Random, *, yes: bool) -> dict:
    trap = ""
    unit = _unit_written(p.unit, rng)
    if not p.nip:
        nip = "-"
        r = rng.random()
        if r < 0.15 and yes and len(p.name.replace(" ", "")) >= 10:
            trap, name = "name_typo", _typo(p.name, rng)  # no NIP to lean on: only the fuzzy rule finds them
        else:
            name = p.name.lower() if r < 0.45 else p.name
    else:
        wrong = _one_digit_wrong(p.nip, all_nips, rng) if yes and rng.random() < 0.04 else None
        if wrong is not None:
            trap, nip, name, unit = "nip_typo", wrong, p.display_name, p.unit
        else:
            nip = _nip_written(p.nip, rng)
            r = rng.random()
            if r < 0.2:
                name = p.name.lower()
            elif r < 0.4:
                name = p.name
            elif r < 0.45 and yes and len(p.name.replace(" ", "")) >= 6:
                trap, name = "name_typo", _typo(p.display_name, rng)
            else:
                name = p.display_name
    return {"person": i, "yes": yes, "trap": trap, "cells": [_email(p.name, rng), nip, name, unit]}


def _stranger(kab: Kabupaten, all_nips: set[str], rng: random.Random) -> dict:
    name = f"{rng.choice(STRANGER_GIVEN)} {rng.choice(STRANGER_FAMILY)}"
    r = rng.random()
    nip = _stranger_nip(rng, all_nips) if r < 0.6 else "-" if r < 0.85 else "NIP 1985"
    unit = rng.choice(OTHER_AGENCIES) if rng.random() < 0.5 else rng.choice(kab.units)
    return {"person": None, "yes": True, "trap": "stranger", "cells": [_email(name, rng), nip, name, unit]}
