"""reconcile end to end on a kabupaten it has never seen: counts, files per unit, inert cells."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from asn_attest.cli import cli
from asn_attest.testing.evidence import write_evidence
from asn_attest.testing.kabupaten import make_kabupaten, write_kabupaten_exports

from .helpers import formula_parts

FORMULA = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("unseen")
    kab = make_kabupaten(seed=31, size=900)
    write_kabupaten_exports(kab, base / "roster", variant=2)
    truth = write_evidence(kab, base / "signatures", seed=5)
    form = next((base / "signatures").glob("*.csv"))
    with open(form, "a", encoding="utf-8", newline="") as fh:  # a stranger types a formula into the form
        csv.writer(fh).writerow(["12/02/2024 10:00:00", "x@example.id", "-", FORMULA, "Dinas Sosial", "Ya"])
    out = base / "out"
    result = CliRunner().invoke(
        cli,
        ["reconcile", "--json", "--roster", str(base / "roster"), "--signatures", str(base / "signatures"),
         "-o", str(out), "--as-of", "2024-02-12"],
    )
    assert result.exit_code == 0, result.output
    return kab, truth, json.loads(result.stdout), out


def test_counts_per_opd_agree_with_the_truth(run) -> None:
    kab, truth, data, _ = run
    staff: dict[str, int] = {}
    signed: dict[str, int] = {}
    for index, person in enumerate(kab.people):
        key = person.unit.casefold()
        staff[key] = staff.get(key, 0) + 1
        signed[key] = signed.get(key, 0) + (index in truth.signed)
    assert {u["unit"].casefold(): u["staff"] for u in data["units"]} == staff
    missed = 0
    for unit in data["units"]:
        true_signed = signed[unit["unit"].casefold()]
        assert unit["signed"] <= true_signed, unit["unit"]  # nobody counted who did not sign
        missed += true_signed - unit["signed"]
    assert missed <= 0.02 * len(truth.signed)
    assert missed <= len(data["review"]) + len(data["unmatched_signatures"])


def test_each_unsigned_file_holds_exactly_its_units_unsigned_people(run) -> None:
    kab, _, data, out = run
    unit_of = {p.nip: p.unit.casefold() for p in kab.people if p.nip}
    files = {p.name: p for p in (out / "belum-ttd").glob("*.xlsx")}
    units_with_unsigned = [u for u in data["units"] if u["unsigned_staff"]]
    assert len(files) == len(units_with_unsigned)
    for unit in units_with_unsigned:
        ws = next(load_workbook(f).active for f in files.values() if load_workbook(f).active["B2"].value == unit["unit"])
        rows = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None]
        assert sorted(r[2] for r in rows) == sorted(p["name"] for p in unit["unsigned_staff"])
        for row in rows:
            digits = (row[1] or "").replace(" ", "")
            if digits in unit_of:
                assert unit_of[digits] == unit["unit"].casefold()


def test_no_output_cell_is_a_formula_and_the_typed_formula_arrives_as_text(run) -> None:
    _, _, data, out = run
    assert formula_parts(out) == []
    assert any(u["name"] == FORMULA for u in data["unmatched_signatures"] + data["review"])
    problems = load_workbook(out / "masalah.xlsx")
    cells = [c for ws in problems.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)
