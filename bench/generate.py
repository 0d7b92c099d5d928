"""Benchmark data: one synthetic kabupaten's roster and form responses at a given size.

Usage: python bench/generate.py [--sizes 10k,100k,300k] [--data-dir DIR] [--force]

For each size it writes, into ``DIR/<size>/`` (default ``bench/data/<size>/``):

- ``roster.xlsx``: one sheet "Data Pegawai" as SIMPEG exports it, header on the first
  row, twelve columns (No, NIP as text, Nama with titles, L/P, Tempat Lahir, Tanggal
  Lahir as a date, Status, Gol. Ruang, Jabatan, Unit Kerja, Satuan Kerja, Kecamatan);
  40 OPDs, the Dinas Pendidikan holding about 45% of the staff; non-ASN staff have "-"
  for a NIP.
- ``respon_formulir_ikrar.xlsx``: the Google Form responses of the 85% who signed, in
  time order: Timestamp, Email Address, NIP, Nama Lengkap, Unit Kerja and the consent
  answer, with the light noise real responses carry (NIPs grouped with spaces or dots,
  with a "NIP." prefix, a digit wrong, stored as a number that lost its last digits;
  names in other case, with or without titles, a letter wrong; the OPD in any case;
  double submissions, a few "Tidak" answers and a few people from other agencies).
- ``dataset.json``: the generator version, seed, file names and the true counts.

The people come from :func:`asn_attest.testing.kabupaten.make_kabupaten` (fast at
300,000). It deals names from pools of about 2,000 per gender, so at 100,000 people and
more, same-name colleagues within the Dinas Pendidikan are far commoner than on a real
roster; each name here gets one or two more words from the kabupaten's own family names.
The files are written with xlsxwriter, which stores text in the shared-string table as
Excel does. Everything is drawn from fixed seeds: the same version and size
give the same data. A size is generated again only when its files are missing or were
made by another :data:`GENERATOR_VERSION`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import xlsxwriter

from asn_attest.testing import evidence
from asn_attest.testing.kabupaten import Kabupaten, Person, make_kabupaten

#: Bump whenever the files this module writes change, so cached data are made again.
GENERATOR_VERSION = 2
#: make_kabupaten seed: this one gives a kabupaten of 40 OPDs (15 of them kecamatan offices).
KABUPATEN_SEED = 2029
#: Seed of the form responses (who signed, how they typed it).
RESPONSES_SEED = 7
#: Seed of the extra name words.
NAMES_SEED = 11
#: Share of the people who signed (and filled in the form).
SIGNED_SHARE = 0.85
#: Share of people whose name gets two extra words rather than one.
_TWO_EXTRA_WORDS = 0.4

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SIZES = "10k,100k,300k"
ROSTER_FILE = "roster.xlsx"
RESPONSES_FILE = "respon_formulir_ikrar.xlsx"
META_FILE = "dataset.json"

ROSTER_HEADER = ("No", "NIP", "Nama", "L/P", "Tempat Lahir", "Tanggal Lahir", "Status", "Gol. Ruang",
                 "Jabatan", "Unit Kerja", "Satuan Kerja", "Kecamatan")
RESPONSES_HEADER = ("Timestamp", "Email Address", "NIP (18 digit)", "Nama Lengkap", "Unit Kerja",
                    "Saya menyatakan bersedia menjaga netralitas ASN dalam Pemilu 2024")
_STATUS = {"PNS": "PNS", "PPPK": "PPPK", "NON_ASN": "Non ASN"}
#: Fixed document time stamp, so the same data give the same files.
_CREATED = datetime.datetime(2024, 5, 31, 8, 0, 0)
#: Responses come in over the signing week, from this moment on.
_FIRST_RESPONSE = datetime.datetime(2024, 2, 12, 7, 30, 0)

# Noise in the responses (shares of responses of people with a NIP, unless said otherwise).
_NIP_SPACED, _NIP_DOTTED, _NIP_PREFIX = 0.10, 0.05, 0.04
_NIP_FLOAT = 0.02
_NIP_TYPO = 0.015
_NAME_TYPO = 0.01
_DOUBLE_SUBMISSION = 0.03
_DECLINED = 0.005  # of the people who did not sign
_STRANGERS = 0.01  # of the responses


@dataclass(frozen=True)
class Dataset:
    """One generated size: where its files are and what is really in them."""

    size: int
    directory: Path
    generator_version: int
    people: int
    opds: int
    responses: int
    signed_people: int
    declined: int
    strangers: int

    @property
    def roster(self) -> Path:
        return self.directory / ROSTER_FILE

    @property
    def responses_file(self) -> Path:
        return self.directory / RESPONSES_FILE

    @property
    def label(self) -> str:
        return size_label(self.size)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["directory"] = str(self.directory)
        data["roster"] = str(self.roster)
        data["responses_file"] = str(self.responses_file)
        return data


#: What dataset.json records of a Dataset (everything but where it is).
_META_FIELDS = tuple(name for name in Dataset.__dataclass_fields__ if name != "directory")


def parse_size(text: str) -> int:
    """``"10k"`` -> 10,000; ``"1.5k"`` -> 1,500; ``"2500"`` -> 2,500."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kK]?)\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not a size (expected e.g. 10k, 100k or 2500)")
    size = round(float(match.group(1)) * (1000 if match.group(2) else 1))
    if size < 100:
        raise ValueError(f"{text!r}: a kabupaten needs at least 100 people")
    return size


def parse_sizes(text: str) -> list[int]:
    """A comma-separated list of sizes, in the order given, without repeats."""
    sizes: list[int] = []
    for part in text.split(","):
        size = parse_size(part)
        if size not in sizes:
            sizes.append(size)
    return sizes


def size_label(size: int) -> str:
    """10,000 -> ``"10k"``; sizes that are not whole thousands keep their digits."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def ensure_dataset(size: int, data_dir: Path = DEFAULT_DATA_DIR, *, force: bool = False) -> Dataset:
    """The dataset of ``size`` people under ``data_dir``, generated when missing or out of date."""
    directory = data_dir / size_label(size)
    if not force:
        cached = _load_cached(directory, size)
        if cached is not None:
            return cached
    return generate(size, directory)


def _load_cached(directory: Path, size: int) -> Dataset | None:
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("generator_version") != GENERATOR_VERSION or meta.get("size") != size:
        return None
    if any(name not in meta for name in _META_FIELDS):
        return None
    dataset = Dataset(directory=directory, **{name: meta[name] for name in _META_FIELDS})
    if not (dataset.roster.is_file() and dataset.responses_file.is_file()):
        return None
    return dataset


def generate(size: int, directory: Path) -> Dataset:
    """Write the roster and responses of ``size`` people into ``directory``; dataset.json last."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / META_FILE).unlink(missing_ok=True)
    kab = make_kabupaten(seed=KABUPATEN_SEED, size=size)
    kab = replace(kab, people=_longer_names(kab.people, random.Random(f"{NAMES_SEED}:{size}")))
    write_roster(kab.people, directory / ROSTER_FILE)
    counts = write_responses(kab, directory / RESPONSES_FILE, random.Random(f"{RESPONSES_SEED}:{size}"))
    dataset = Dataset(size=size, directory=directory, generator_version=GENERATOR_VERSION, people=len(kab.people),
                      opds=len(kab.units), **counts)
    meta = {name: getattr(dataset, name) for name in _META_FIELDS}
    meta.update(kabupaten_seed=KABUPATEN_SEED, names_seed=NAMES_SEED, responses_seed=RESPONSES_SEED,
                kabupaten=kab.title, roster=ROSTER_FILE, responses_file=RESPONSES_FILE)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return dataset


# --------------------------------------------------------------------------- roster


def _longer_names(people: Sequence[Person], rng: random.Random) -> list[Person]:
    """Each person's name with one or two more words from the last words of names of the same gender."""
    family = {gender: sorted({p.name.split()[-1] for p in people if p.gender == gender}) for gender in ("L", "P")}
    longer = []
    for p in people:
        words = p.name.split()
        extra = [w for w in rng.sample(family[p.gender], 2) if w not in words]
        count = 2 if rng.random() < _TWO_EXTRA_WORDS else 1
        longer.append(replace(p, name=" ".join(words + extra[:count])))
    return longer



def _roster_name(p: Person) -> str:
    """As SIMPEG prints it: the name in capitals, the titles as written."""
    text = f"{p.front_titles} {p.name.upper()}" if p.front_titles else p.name.upper()
    return f"{text}, {p.back_titles}" if p.back_titles else text


def _new_workbook(path: Path) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": _CREATED, "author": "SIMPEG"})
    return workbook


def write_roster(people: Sequence[Person], path: Path) -> None:
    """The SIMPEG-style roster: one row per person, ordered by OPD and sub-unit."""
    order = sorted(people, key=lambda p: (p.unit, p.sub_unit or "", p.name))
    workbook = _new_workbook(path)
    sheet = workbook.add_worksheet("Data Pegawai")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, ROSTER_HEADER, bold)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for row, p in enumerate(order, 1):
        write_number(row, 0, row)
        write_string(row, 1, p.nip or "-", text)
        write_string(row, 2, _roster_name(p))
        write_string(row, 3, p.gender)
        write_string(row, 4, p.birth_place)
        write_datetime(row, 5, datetime.datetime(p.birth_date.year, p.birth_date.month, p.birth_date.day), date)
        write_string(row, 6, _STATUS[p.employment_type])
        write_string(row, 7, p.golongan or "-")
        write_string(row, 8, p.jabatan)
        write_string(row, 9, p.sub_unit or p.unit)
        write_string(row, 10, p.unit)
        write_string(row, 11, p.kecamatan)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(order), len(ROSTER_HEADER) - 1)
    workbook.close()


# --------------------------------------------------------------------------- responses


def _typo(name: str, rng: random.Random) -> str:
    """One letter of the longest word replaced by another (never its first letter)."""
    words = name.split()
    w = max(range(len(words)), key=lambda i: (len(words[i]), -i))
    word = words[w]
    i = rng.randrange(1, len(word))
    new = rng.choice([c for c in "aeioubdgkmnrst" if c != word[i].lower()])
    words[w] = word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1:]
    return " ".join(words)


def _one_digit_wrong(nip: str, nips: set[str], rng: random.Random) -> str | None:
    """The NIP with one digit of its serial wrong and owned by no one, if one is found."""
    for _ in range(20):
        i = rng.randrange(15, 18)
        wrong = nip[:i] + rng.choice([d for d in "0123456789" if d != nip[i]]) + nip[i + 1:]
        if wrong not in nips:
            return wrong
    return None


def _nip_typed(nip: str, nips: set[str], rng: random.Random) -> tuple[str | float, bool]:
    """The NIP as the person typed it into the form, and whether it is a wrong NIP."""
    r = rng.random()
    if r < _NIP_TYPO:
        wrong = _one_digit_wrong(nip, nips, rng)
        if wrong is not None:
            return wrong, True
    r = rng.random()
    if r < _NIP_FLOAT:
        return float(nip[:15] + "000"), False  # pasted into a number cell: Excel keeps 15 digits
    r -= _NIP_FLOAT
    if r < _NIP_SPACED:
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}", False
    r -= _NIP_SPACED
    if r < _NIP_DOTTED:
        return f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}", False
    r -= _NIP_DOTTED
    if r < _NIP_PREFIX:
        return f"NIP. {nip}", False
    return nip, False


def _name_typed(p: Person, rng: random.Random) -> str:
    """The name as typed: with titles or without, in capitals, lower or mixed case, rarely a typo."""
    r = rng.random()
    if r < 0.35:
        name = p.display_name
    elif r < 0.55:
        name = p.name
    elif r < 0.75:
        name = p.name.upper()
    elif r < 0.9:
        name = p.name.lower()
    else:
        name = _roster_name(p)
    if rng.random() < _NAME_TYPO and len(p.name.replace(" ", "")) >= 8:
        name = _typo(name, rng)
    return name


def _unit_typed(unit: str, rng: random.Random) -> str:
    r = rng.random()
    return unit.upper() if r < 0.2 else unit.lower() if r < 0.3 else unit


def _email(name: str, rng: random.Random) -> str:
    local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
    return f"{local}{rng.randrange(1, 99)}@{rng.choice(('gmail.com', 'yahoo.co.id'))}"


def _response(p: Person, nips: set[str], rng: random.Random, *, answer: str) -> list[object]:
    """Email, NIP, name, unit and the consent answer of one person's response."""
    if p.nip:
        nip, wrong = _nip_typed(p.nip, nips, rng)
        name = p.display_name if wrong else _name_typed(p, rng)  # a wrong NIP leans on the name
    else:
        r = rng.random()
        nip = "-" if r < 0.6 else "" if r < 0.85 else "honorer"
        name = _name_typed(p, rng)
    return [_email(p.name, rng), nip, name, _unit_typed(p.unit, rng), answer]


def _stranger(kab: Kabupaten, nips: set[str], rng: random.Random) -> list[object]:
    """A response from someone of another agency, with a NIP that belongs to no one here."""
    name = f"{rng.choice(evidence.STRANGER_GIVEN)} {rng.choice(evidence.STRANGER_FAMILY)}"
    if rng.random() < 0.7:
        while True:
            born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 9000))
            nip = f"{born:%Y%m%d}{born.year + 25}{rng.randrange(1, 13):02d}{rng.choice('12')}9{rng.randrange(100):02d}"
            if nip not in nips:
                break
    else:
        nip = "-"
    unit = rng.choice(evidence.OTHER_AGENCIES) if rng.random() < 0.5 else rng.choice(kab.units)
    return [_email(name, rng), nip, name, unit, "Ya"]


def write_responses(kab: Kabupaten, path: Path, rng: random.Random) -> dict[str, int]:
    """The form responses workbook; returns the true counts (responses, signed_people, declined, strangers)."""
    people = kab.people
    nips = {p.nip for p in people if p.nip}
    rows: list[list[object]] = []
    signed = declined = 0
    for p in people:
        if rng.random() < SIGNED_SHARE:
            signed += 1
            for _ in range(2 if rng.random() < _DOUBLE_SUBMISSION else 1):
                rows.append(_response(p, nips, rng, answer="Ya"))
        elif rng.random() < _DECLINED:
            declined += 1
            rows.append(_response(p, nips, rng, answer="Tidak"))
    strangers = round(_STRANGERS * len(rows))
    rows.extend(_stranger(kab, nips, rng) for _ in range(strangers))
    rng.shuffle(rows)

    workbook = _new_workbook(path)
    sheet = workbook.add_worksheet("Form Responses 1")
    bold = workbook.add_format({"bold": True})
    stamp_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    sheet.write_row(0, 0, RESPONSES_HEADER, bold)
    # the week's responses, in time order, a few seconds apart on average
    step = max(1, int(5 * 24 * 3600 / max(1, len(rows))))
    stamp = _FIRST_RESPONSE
    for row, cells in enumerate(rows, 1):
        stamp += datetime.timedelta(seconds=rng.randrange(1, 2 * step))
        sheet.write_datetime(row, 0, stamp, stamp_format)
        for col, value in enumerate(cells, 1):
            if isinstance(value, float):
                sheet.write_number(row, col, value)
            elif value:
                sheet.write_string(row, col, value)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return {"responses": len(rows), "signed_people": signed, "declined": declined, "strangers": strangers}


# --------------------------------------------------------------------------- command


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate (or reuse) the benchmark's roster and form responses.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated sizes (default {DEFAULT_SIZES})")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="cache folder (default bench/data)")
    parser.add_argument("--force", action="store_true", help="generate again even when the cached files are current")
    args = parser.parse_args(argv)
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError as exc:
        parser.error(str(exc))
    for size in sizes:
        start = time.perf_counter()
        dataset = ensure_dataset(size, args.data_dir, force=args.force)
        print(f"{dataset.label}: {dataset.people} people in {dataset.opds} OPDs, {dataset.responses} responses "
              f"({dataset.signed_people} people signed) in {dataset.directory} [{time.perf_counter() - start:.1f}s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
