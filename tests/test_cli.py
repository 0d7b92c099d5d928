"""The command line: help always works, errors are one line with a documented exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from asn_attest import __version__
from asn_attest.cli import AppContext, cli
from asn_attest.plugins import make_plugin_manager


def run(*args: str, obj: AppContext | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), obj=obj)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"asn-attest {__version__}"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((prefix + name, command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, prefix + name + " "))
    return out


@pytest.mark.parametrize("name,command", _commands(cli))
def test_every_command_has_help_text(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"{name} has no help"
    result = run(*name.split(), "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_help_and_plugins_work_with_a_plugin_that_fails_to_import(fake_distribution) -> None:
    fake_distribution("broken-plugin", "broken_mod", "import no_such_module_anywhere", version="0.9")
    assert run("--help").exit_code == 0
    result = run("plugins", "--json")
    assert result.exit_code == 0, result.output
    plugins = {p["name"]: p for p in json.loads(result.output)["plugins"]}
    assert plugins["broken_mod"]["status"] == "failed"
    assert plugins["broken_mod"]["distribution"] == "broken-plugin"
    assert "no_such_module_anywhere" in plugins["broken_mod"]["error"]
    assert plugins["simpeg"]["status"] == "active"
    assert plugins["simpeg"]["roster_readers"] == ["simpeg"]
    assert set(plugins["simpeg"]) >= {"name", "version", "status", "roster_readers", "attestation_readers", "exporters"}


def test_plugins_text_lists_failed_plugin_with_its_error(fake_distribution) -> None:
    fake_distribution("broken-plugin", "broken_mod", "raise ValueError('bad config')", version="0.9")
    result = run("plugins")
    assert result.exit_code == 0
    assert "broken_mod  (broken-plugin 0.9): failed" in result.output
    assert "ValueError: bad config" in result.output


def test_other_commands_warn_about_a_failed_plugin_on_stderr(fake_distribution, tmp_path: Path) -> None:
    fake_distribution("broken-plugin", "broken_mod", "raise ValueError('bad config')")
    csv = tmp_path / "r.csv"
    csv.write_text("NIP;NAMA;UNIT KERJA\n198503152010011001;ANI;Dinas A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["inspect", str(csv)])
    assert result.exit_code == 0, result.output
    assert "warning: plugin 'broken_mod' from broken-plugin 1.0 was not loaded: import failed: ValueError: bad config" in result.stderr


def test_missing_input_is_one_line_with_exit_code_3(tmp_path: Path) -> None:
    result = run("inspect", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 3
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.xlsx'}: no such file or folder"
    assert "Traceback" not in result.output


def test_malformed_map_is_a_usage_error(tmp_path: Path) -> None:
    result = run("inspect", "--map", "unit", str(tmp_path))
    assert result.exit_code == 2
    assert "expected FIELD=HEADER" in result.stderr


def test_plugin_manager_comes_from_the_click_context(tmp_path: Path) -> None:
    """A test (or an embedding program) hands the CLI its own manager."""
    made = []

    def factory():
        made.append(1)
        return make_plugin_manager(load_entrypoints=False)

    csv = tmp_path / "r.csv"
    csv.write_text("NIP;NAMA\n198503152010011001;ANI\n", encoding="utf-8")
    result = run("inspect", str(csv), obj=AppContext(factory=factory))
    assert made == [1]
    assert result.exit_code == 3
    assert "no reader recognises this csv file (readers: none installed)" in result.stderr


def test_help_does_not_build_the_plugin_manager() -> None:
    def factory():
        raise AssertionError("plugins loaded for --help")

    assert run("--help", obj=AppContext(factory=factory)).exit_code == 0
    assert run("inspect", "--help", obj=AppContext(factory=factory)).exit_code == 0


def test_map_to_a_missing_header_exits_2_listing_the_headers(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("NIP;NAMA\n198503152010011001;ANI\n", encoding="utf-8")
    result = run("inspect", "--map", "unit=SATKER", str(csv))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {csv}: ")
    assert "SATKER" in result.stderr and "NAMA" in result.stderr
    assert "Traceback" not in result.output


def test_inspect_text_names_columns_people_and_problem_rows(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text(
        "DAFTAR NOMINATIF\nNO;NIP BARU;NAMA;SATKER\n1;198503152010011001;ANI;Dinas A\n2;1985031520100110;BUDI;Dinas A\n",
        encoding="utf-8",
    )
    result = run("inspect", str(csv))
    assert result.exit_code == 0, result.output
    assert "header at row 2" in result.stdout
    assert re.search(r"^    nip +<- NIP BARU$", result.stdout, flags=re.MULTILINE)
    assert "people: 2" in result.stdout
    assert "problem: row 4, column 'NIP BARU': NIP '1985031520100110': 16 digits (expected 18)" in result.stdout
    assert "2 people on the roster" in result.stdout


def test_inspect_text_shows_the_first_problems_and_verbose_shows_all(tmp_path: Path) -> None:
    rows = "".join(f"{i};198503152010011{i:02d};ORANG {i}\n" for i in range(1, 16))
    csv = tmp_path / "r.csv"
    csv.write_text("NO;NIP;NAMA\n" + rows, encoding="utf-8")
    short = run("inspect", str(csv)).stdout
    assert short.count("problem: row") == 10 and "... and 5 more" in short
    assert run("inspect", "-v", str(csv)).stdout.count("problem: row") == 15


def test_inspect_json_shows_a_hidden_sheet_warning_with_the_file(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Pegawai"
    wb.active.append(["NIP", "NAMA"])
    wb.active.append(["198503152010011001", "ANI"])
    hidden = wb.create_sheet("Lama")
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "r.xlsx")
    result = run("inspect", "--json", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["sheet"] == "Pegawai"
    assert entry["problems"][0]["sheet"] == "Lama"
    assert entry["problems"][0]["severity"] == "warning"
    assert "hidden sheet 'Lama' was not read" in entry["problems"][0]["message"]


def test_reconcile_prints_a_table_worst_first_with_totals(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "NIP;NAMA;UNIT KERJA\n198503152010011001;ANI;Dinas A\n198503152010011002;BUDI;Dinas A\n"
        "198503152010011003;CITRA;Dinas B\n",
        encoding="utf-8",
    )
    form = tmp_path / "form.csv"
    form.write_text(
        "Timestamp,NIP,Nama,Unit Kerja,Saya bersedia\n12/02/2024 9:00:00,198503152010011001,Ani,Dinas A,Ya\n"
        "12/02/2024 9:01:00,198503152010011003,Citra,Dinas B,Ya\n",
        encoding="utf-8",
    )
    result = run("reconcile", "--roster", str(roster), "--signatures", str(form))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["Dinas", "A", "2", "1", "0", "1", "50.0%"]
    assert lines[2].split() == ["Dinas", "B", "1", "1", "0", "0", "100.0%"]
    assert lines[3].split() == ["TOTAL", "3", "2", "0", "1", "66.7%"]
