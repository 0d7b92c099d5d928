"""Roster exports the reader has never seen: other seeds and layout variants of every layout.

The generator knows the truth (who is on which row, which rows are traps); the
reader must find exactly the people, report the planted problems, and make one
roster of the right size out of all files.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from asn_attest.cli import cli
from asn_attest.nip import NipStatus
from asn_attest.plugins import make_plugin_manager
from asn_attest.roster import load_roster
from asn_attest.testing.kabupaten import ExportTruth, make_kabupaten, write_kabupaten_exports

CASES = [(11, 1), (12, 2), (13, 3), (14, 4), (15, 5)]


@pytest.fixture(scope="module", params=CASES, ids=[f"seed{s}-variant{v}" for s, v in CASES])
def kabupaten(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    seed, variant = request.param
    kab = make_kabupaten(seed=seed, size=700)
    out = tmp_path_factory.mktemp(f"kab{seed}")
    truths = write_kabupaten_exports(kab, out, variant=variant)
    return kab, out, truths


def _by_path(truths: list[ExportTruth]) -> dict[str, ExportTruth]:
    return {str(t.path): t for t in truths}


def test_inspect_json_counts_the_people_of_every_file(kabupaten) -> None:
    kab, out, truths = kabupaten
    result = CliRunner().invoke(cli, ["inspect", "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    truth = _by_path(truths)
    seen = set()
    for entry in report["files"]:
        expected = truth[entry["path"]]
        seen.add(entry["path"])
        assert entry["records"] == len(expected.people), entry["path"]
        assert entry["header_row"] == expected.header_row, entry["path"]
        reported = {p["row"] for p in entry["problems"]}
        assert set(expected.expected_problem_rows) <= reported, entry["path"]
    assert seen == set(truth)
    assert report["records"] == len(kab.people)


def test_every_person_is_read_with_the_right_fields(kabupaten) -> None:
    _, out, truths = kabupaten
    roster = load_roster(make_plugin_manager(), [out])
    read = {(e.source.file, e.source.row): e for e in roster.employees}
    for problem in roster.duplicates:
        read.pop((problem.source.file, problem.source.row), None)
    trap_rows = {(str(t.path), row) for t in truths for row, _ in t.traps}
    checked = 0
    for truth in truths:
        for row, person in truth.people:
            employee = read.get((str(truth.path), row))
            if employee is None:
                continue  # a duplicate of someone read earlier
            assert employee.name_key, (truth.path, row)
            assert person.name.upper().split()[0] in employee.name.upper(), (truth.path, row, employee.name)
            assert (employee.unit or "").casefold() == person.unit.casefold(), (truth.path, row)
            if (str(truth.path), row) in trap_rows:
                continue
            if person.nip is not None:
                assert employee.nip.status is NipStatus.FULL, (truth.path, row, employee.nip)
                assert employee.nip_full == person.nip
            assert employee.employment_type == person.employment_type, (truth.path, row)
            checked += 1
    assert checked > 500


def test_nameless_rows_are_skipped_and_reported(kabupaten) -> None:
    _, out, truths = kabupaten
    roster = load_roster(make_plugin_manager(), [out])
    problems = {(p.source.file, p.source.row): p.message for p in roster.problems}
    read = {(e.source.file, e.source.row) for e in roster.employees}
    for truth in truths:
        for row in truth.skipped_rows:
            assert (str(truth.path), row) not in read
            assert "row skipped" in problems[(str(truth.path), row)]
