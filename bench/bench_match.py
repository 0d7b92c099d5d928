"""300,000 roster people against 250,000 signatures through asn_attest.matching.match.

Usage: python bench/bench_match.py [--profile]

Prints the time of two runs of match() and which rule matched how many. The names
come from a small pool, so many people share a name within a unit: a harder case
for the name rules (and a larger review list) than a real roster.
"""
from __future__ import annotations
import random, time, datetime as dt, sys
from asn_attest.matching import match
from asn_attest.names import parse_name
from asn_attest.nip import parse_nip
from asn_attest.records import Attestation, Channel, Employee, Provenance

rng = random.Random(7)
FIRST = "ANDRI YUSUF ILHAM REZA GILANG SINTA WULAN NOVI ELI LILIS ENENG ASEP DEDI UJANG CECEP NANANG ROSI MAYA AHMAD BUDI SITI DEWI AGUS RINA SRI NUR EKO DWI JOKO ANDI RUDI HENDRA YULI WAHYU IRWAN FITRI RATNA INDAH TRI PUTU MADE KADEK NYOMAN KETUT ARIF DIAN LINA MUHAMAD RAHMAT HADI BAMBANG HERU TAUFIK FAJAR ADE YUDI TEGUH SUSI".split()
MID = "NUR SRI PUTRA PUTRI DWI ADI KURNIA BAYU INTAN RATNA SURYA DEWI INDRA CAHYA EKA MULYA JAYA WIRA BUDI SETIA TRI ARI".split()
LAST = "SUTISNA SOBARI NURJANAH MULYADI SUPRIADI SUHERMAN KOSASIH SUNARYA KURNIAWAN FIRDAUS RAMDANI SOLIHIN HERYANTO WIJAYA TANJUNG NASUTION SIREGAR LUBIS HARAHAP SIMANJUNTAK PANJAITAN HUTAGALUNG SANTOSO AMINAH LESTARI HIDAYAT WAHYUNI PRASETYO SETIAWAN KURNIASIH SUPARMAN RAHAYU SUSANTO WIBOWO SAPUTRA HARTONO GUNAWAN SULISTYO PURNOMO KUSUMA NINGSIH HANDAYANI FAUZI HAKIM SARI WATI YANTI MARLINA SURYANI ROHMAH HASANAH HIDAYATI SUHENDRA FIRMANSYAH RAMADHAN NUGROHO PRATAMA ANGGRAINI MAULANA SYAHPUTRA ISKANDAR HERMAWAN".split()
UNITS = ["Dinas Pendidikan"] + [f"Dinas {i}" for i in range(1, 40)]
WEIGHTS = [42] + [58 / 39] * 39

def nip(i):
    born = dt.date(1960, 1, 1) + dt.timedelta(days=i % 14000)
    tmt = 1985 + i % 37
    return f"{born:%Y%m%d}{tmt}{1 + i % 12:02d}{1 + i % 2}{1 + (i * 7) % 999:03d}"

def name():
    parts = [rng.choice(FIRST)]
    if rng.random() < 0.8:
        parts.append(rng.choice(MID))
    parts.append(rng.choice(LAST))
    return " ".join(parts)

N, M = 300_000, 250_000
t0 = time.perf_counter()
roster = []
seen = set()
for i in range(N):
    n = name(); p = parse_name(n)
    digits = nip(i * 13 + 5)
    while digits in seen:
        digits = digits[:15] + f"{(int(digits[15:]) % 999) + 1:03d}"
    seen.add(digits)
    roster.append(Employee(p.display, p.key, parse_nip(digits if i % 10 else None), Provenance("r.xlsx", None, i + 2),
                           unit=rng.choices(UNITS, WEIGHTS)[0], nik=f"32{i:014d}" if i % 50 == 0 else None))
def typo(s):
    k = rng.randrange(1, len(s) - 1)
    return s[:k] + s[k + 1:]
evidence = []
kinds = {}
for j in range(M):
    e = roster[rng.randrange(N)]
    r = rng.random()
    if r < 0.02:
        kind = "stranger"
        args = dict(nip=parse_nip(nip(10_000_000 + j)), name="YOHANES " + rng.choice(["KRISTIANTO", "MARTHEN", "BERNADUS"]) + f" {j % 97}", unit=rng.choice(UNITS))
    elif r < 0.05 and e.nip_full:
        kind = "damaged"; args = dict(nip=parse_nip(int(e.nip_full)), name=e.name, unit=e.unit)
    elif r < 0.07 and e.nip_full:
        kind = "nip-typo"; d = e.nip_full; k = rng.randrange(15, 17)
        args = dict(nip=parse_nip(d[:k] + d[k + 1] + d[k] + d[k + 2:]), name=e.name, unit=e.unit)
    elif r < 0.12:
        kind = "name-only"; args = dict(nip=parse_nip("-"), name=e.name.lower(), unit=e.unit)
    elif r < 0.14:
        kind = "name-typo"; args = dict(nip=parse_nip("honorer"), name=typo(e.name), unit=e.unit)
    elif r < 0.15 and e.nik:
        kind = "nik"; args = dict(nip=parse_nip(None), name=e.name, unit=None, nik=e.nik)
    else:
        kind = "exact"; args = dict(nip=e.nip if e.nip_full else parse_nip(None), name=e.name, unit=e.unit)
    kinds[kind] = kinds.get(kind, 0) + 1
    nm = args.pop("name")
    evidence.append(Attestation(Channel.FORM, Provenance("f.csv", None, j + 2), name=nm, name_key=parse_name(nm).key,
                                signed_at=dt.datetime(2024, 1, 1) + dt.timedelta(minutes=rng.randrange(20000)), **args))
t1 = time.perf_counter()
print(f"built {N} roster + {M} evidence in {t1 - t0:.1f}s; kinds {kinds}", flush=True)
import cProfile, pstats
if "--profile" in sys.argv:
    profiler = cProfile.Profile()
    profiler.runcall(match, roster, evidence)
    pstats.Stats(profiler).sort_stats("cumtime").print_stats(25)
    raise SystemExit
for run in range(2):
    t1 = time.perf_counter()
    res = match(roster, evidence)
    t2 = time.perf_counter()
    print(f"run {run}: match() {t2 - t1:.2f}s  signed={len(res.signed)} dup={len(res.duplicates)} review={len(res.review)} unmatched={len(res.unmatched)}")
print({r.value: c for r, c in res.rule_counts.items()})
