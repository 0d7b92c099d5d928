"""The committed sample evidence is what the generator writes, and reconciles to its truth."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from asn_attest.cli import cli
from asn_attest.testing.evidence import write_evidence
from asn_attest.testing.kabupaten import make_kabupaten

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"


def test_sample_signatures_are_what_the_generator_writes_today(tmp_path: Path) -> None:
    """Fails when the generator changed and `python tools/make_sample_exports.py` was not rerun."""
    write_evidence(make_kabupaten(seed=2024, size=1200), tmp_path, seed=1)
    committed = sorted(p.name for p in (SAMPLES / "signatures").iterdir())
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert committed == fresh
    for name in fresh:
        assert (SAMPLES / "signatures" / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_reconcile_on_the_samples_counts_exactly_the_true_signers(tmp_path: Path) -> None:
    truth = write_evidence(make_kabupaten(seed=2024, size=1200), tmp_path, seed=1)
    result = CliRunner().invoke(
        cli, ["reconcile", "--json", "--roster", str(SAMPLES / "roster"), "--signatures", str(SAMPLES / "signatures")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    totals = report["totals"]
    assert totals["staff"] == 1200
    assert totals["signed"] + totals["unsigned"] + totals["exempt"] == 1200
    assert totals["signed"] <= len(truth.signed)
    assert totals["signed"] >= 0.98 * len(truth.signed)
    assert len(report["unmatched_signatures"]) >= truth.strangers
    assert sum(u["signed"] for u in report["units"]) == totals["signed"]
