"""Regenerate sample_exports/ from the synthetic kabupaten generator (fixed seed).

    python tools/make_sample_exports.py [--out sample_exports]

It writes the roster exports to OUT/roster/ and the signature evidence (sign sheets,
form responses) of the same kabupaten to OUT/signatures/.

The files are byte-identical from run to run; tests/test_kabupaten.py fails when the
committed sample_exports/ no longer match what the generator writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from asn_attest.testing.evidence import write_evidence  # noqa: E402
from asn_attest.testing.kabupaten import make_kabupaten, write_kabupaten_exports  # noqa: E402

SEED = 2024
SIZE = 1200
VARIANT = 0
EVIDENCE_SEED = 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sample_exports",
                        help="folder to write (default: sample_exports/ of this checkout)")
    args = parser.parse_args(argv)
    kab = make_kabupaten(seed=SEED, size=SIZE)
    roster_dir, evidence_dir = args.out / "roster", args.out / "signatures"
    truths = write_kabupaten_exports(kab, roster_dir, variant=VARIANT)
    for t in truths:
        print(f"{t.path.relative_to(args.out).as_posix():55} {t.layout:20} "
              f"{len(t.people):5} people rows  {len(t.expected_problem_rows):2} to report")
    print(f"wrote {len(truths)} files, MANIFEST.json and README.md to {roster_dir}")
    evidence = write_evidence(kab, evidence_dir, seed=EVIDENCE_SEED)
    print(
        f"wrote {len(evidence.files)} evidence files to {evidence_dir}: {len(evidence.signed)} of {len(kab.people)} "
        f"people signed, {evidence.strangers} signatures from strangers"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
