"""The vendor kit: fixtures, the conformance suite catching what it promises to catch,
the plugin scaffold, the worked example, and the hook API version check.

The conformance suite's own catches are proven with pytester on plugins made from the
scaffold's templates, each broken in one way. The scaffold and the worked example are
proven as a vendor would use them: built and installed with pip, listed by
``asn-attest plugins``, their own tests run by pytest in a subprocess.
"""

from __future__ import annotations

import json
import py_compile
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from asn_attest import HOOK_API_VERSION
from asn_attest.cli import cli
from asn_attest.errors import PluginError
from asn_attest.plugins import ACTIVE, FAILED, check_hook_api, make_plugin_manager
from asn_attest.scaffold import KINDS, ScaffoldError, create_plugin, plugin_names, render_plugin
from asn_attest.testing.samples import ATTESTATION, EXEMPTION, ROLES, ROSTER

from .helpers import pip_install_target, plugin_env

pytest_plugins = ["pytester", "asn_attest.testing.pytest_plugin"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "plugins" / "asn-attest-nusantara"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


# --------------------------------------------------------------------------- hook API version


READER_PLUGIN = """
from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import RosterReader

ASN_ATTEST_HOOK_API = {api!r}

@hookimpl
def asn_attest_roster_readers():
    yield RosterReader(name="future", description="test reader", file_kinds=("csv",),
                       sniff=lambda sample: 0.0, read=lambda sample, ctx: iter(()))
"""


def test_a_plugin_built_for_a_newer_hook_api_loads_but_plugins_warns(fake_distribution) -> None:
    fake_distribution("future-plugin", "future_mod", READER_PLUGIN.format(api="9.0"), version="3.0")
    text = run("plugins")
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    at = lines.index("future_mod  (future-plugin 3.0): active")
    assert lines[at + 1] == (
        f"    warning: built for hook API 9.0, newer than this asn-attest's {HOOK_API_VERSION}: it may need hooks "
        "or arguments this version does not have; upgrade asn-attest"
    )
    listed = {p["name"]: p for p in json.loads(run("plugins", "--json").output)["plugins"]}
    assert listed["future_mod"]["hook_api"] == "9.0"
    assert "newer than this asn-attest's" in listed["future_mod"]["hook_api_warning"]
    assert listed["simpeg"]["hook_api"] is None and listed["simpeg"]["hook_api_warning"] is None


def test_a_plugin_built_for_this_hook_api_gets_no_warning(fake_distribution) -> None:
    fake_distribution("same-plugin", "same_mod", READER_PLUGIN.format(api=HOOK_API_VERSION))
    result = run("plugins")
    assert "same_mod  (same-plugin 1.0): active\n    roster readers: future\n" in result.output
    assert "warning" not in result.output


def test_an_unreadable_hook_api_declaration_is_warned_about(fake_distribution) -> None:
    fake_distribution("odd-plugin", "odd_mod", READER_PLUGIN.format(api="one point oh"))
    assert "    warning: declares hook API 'one point oh', which is not a version like" in run("plugins").output


def test_hook_api_versions_compare_as_numbers() -> None:
    assert check_hook_api("1.10", core="1.9") is not None
    assert check_hook_api("1.9", core="1.10") is None
    assert check_hook_api("2.0", core="1.0") is not None
    assert check_hook_api(None) is None


def test_a_newer_plugin_that_fails_to_register_says_why_it_may_have(fake_distribution) -> None:
    source = READER_PLUGIN.format(api="9.0").replace("readers():", "readers(campaign):")
    fake_distribution("future-plugin", "future_args_mod", source, version="3.0")
    with pytest.raises(PluginError, match=r"campaign.*built for hook API 9\.0"):
        make_plugin_manager(environ={"ASN_ATTEST_STRICT_PLUGINS": "1"})


# --------------------------------------------------------------------------- the pytest plugin's fixtures


def test_fixture_manager_holds_every_installed_plugin_whatever_the_environment(
    fake_distribution, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    fake_distribution("vendor-plugin", "vendor_mod", READER_PLUGIN.format(api="1.0"))
    monkeypatch.setenv("ASN_ATTEST_LOAD_PLUGINS", "")  # a developer's setting must not hide the plugin under test
    pm = request.getfixturevalue("asn_attest_pm")
    assert {"simpeg", "future"} <= set(pm.roster_readers())
    assert next(i for i in pm.infos if i.name == "vendor_mod").status == ACTIVE


def test_fixture_sample_files_are_every_format_in_the_test_folder(asn_attest_sample_files, tmp_path: Path) -> None:
    samples = asn_attest_sample_files
    assert all(f.path.is_file() and f.path.is_relative_to(tmp_path) for f in samples)
    assert {f.role for f in samples} == set(ROLES)
    kinds = {f.path.suffix for f in samples.for_role(ROSTER)}
    assert {".xlsx", ".xls", ".csv"} <= kinds
    assert {f.reader for f in samples.for_role(ATTESTATION)} == {"signsheet", "form", "esign"}
    assert {f.reader for f in samples.for_role(EXEMPTION)} == {"exemptions"}
    assert samples.get("tte_log_ikrar.csv").records == 10


def test_fixture_cli_runs_with_the_test_s_plugins(asn_attest_cli, asn_attest_register_plugin, tmp_path: Path) -> None:
    from asn_attest.hookspecs import hookimpl
    from asn_attest.plugin_types import RosterReader
    from asn_attest.records import EmployeeSchema

    def read(sample, ctx):
        ctx.sheet_read(sheet=None, header_row=1, columns={"name": "NAMA"})
        yield EmployeeSchema().load({"name": "ANI", "source": {"file": ctx.display_path, "row": 2}})

    class Local:
        @hookimpl
        def asn_attest_roster_readers(self):
            return [RosterReader(name="local", description="d", file_kinds=("csv",), sniff=lambda s: 0.9, read=read)]

    asn_attest_register_plugin(Local(), name="local")
    path = tmp_path / "x.csv"
    path.write_text("NAMA\nANI\n", encoding="utf-8")
    result = asn_attest_cli("inspect", "--json", str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["reader"] == "local"


def test_fixture_register_plugin_refuses_a_broken_plugin_saying_why(asn_attest_register_plugin) -> None:
    from asn_attest.hookspecs import hookimpl

    class Broken:
        @hookimpl
        def asn_attest_roster_readers(self):
            raise KeyError("oops")

    with pytest.raises(PluginError, match="'broken' was refused: KeyError"):
        asn_attest_register_plugin(Broken(), name="broken")


def test_fixture_register_plugin_removes_the_plugin_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["asn_attest.testing.pytest_plugin"]')
    pytester.makepyfile(
        """
        import pytest
        from asn_attest.hookspecs import hookimpl
        from asn_attest.plugin_types import UnitAlias
        from asn_attest.plugins import make_plugin_manager

        @pytest.fixture(scope="module")
        def asn_attest_pm():  # one manager for the module, so the second test sees what the first left
            return make_plugin_manager(load_entrypoints=False)

        class Aliases:
            @hookimpl
            def asn_attest_unit_aliases(self):
                return [UnitAlias(unit="Dinas Kesehatan", aliases=("DINKES",))]

        def test_registered(asn_attest_pm, asn_attest_register_plugin):
            asn_attest_register_plugin(Aliases(), name="aliases")
            assert [a.unit for a in asn_attest_pm.unit_aliases()] == ["Dinas Kesehatan"]

        def test_gone(asn_attest_pm):
            assert asn_attest_pm.unit_aliases() == [] and asn_attest_pm.get_plugins() == set()
            assert asn_attest_pm.infos == []
        """
    )
    pytester.inline_run("-p", "no:cacheprovider").assertoutcome(passed=2)


# --------------------------------------------------------------------------- the suite catches what it promises

#: A mutation of a scaffolded plugin: (module of the package, text, replacement).
Mutation = tuple[str, str, str]

#: reader variant -> (mutations of a scaffolded roster plugin, the contract's tests that must fail)
READER_VARIANTS: dict[str, tuple[list[Mutation], set[str]]] = {
    "good": ([], set()),
    "file_name_only": (
        [("reader", '"file": ctx.display_path', '"file": sample.path.name')],
        {"test_records_carry_their_provenance"},
    ),
    "row_off": ([("reader", '"row": row}', '"row": row + 1000}')], {"test_records_carry_their_provenance"}),
    "changed_after_loading": (
        [("reader", "                record = _SCHEMA.load(data)\n",
          '                record = _SCHEMA.load(data)\n                record.unit = f"  {record.unit}  "\n')],
        {"test_records_are_what_the_schema_makes"},
    ),
    "greedy_sniff": (
        [("reader", "return 0.9 if text.lstrip('\"').startswith(ID_HEADER) else 0.0", "return 0.9")],
        {"test_sniff_does_not_claim_files_of_other_formats"},
    ),
    "crashes_on_foreign_files": (
        [("reader", "if titles[:1] != [ID_HEADER]:\n            raise DataError(",
          "if titles[:1] != [ID_HEADER]:\n            raise ValueError(")],
        {"test_broken_or_foreign_file_is_a_data_error_naming_it"},
    ),
    "ignores_max_rows": (
        [("reader", "open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows)",
          "open_workbook(sample.path, sample.kind)")],
        {"test_max_rows_is_honoured"},
    ),
    "newer_api": (
        [("__init__", f'ASN_ATTEST_HOOK_API = "{HOOK_API_VERSION}"', 'ASN_ATTEST_HOOK_API = "99.0"')],
        {"test_plugin_declares_the_hook_api_it_was_built_for"},
    ),
    "undeclared_api": (
        [("__init__", f'ASN_ATTEST_HOOK_API = "{HOOK_API_VERSION}"\n', "")],
        {"test_plugin_declares_the_hook_api_it_was_built_for"},
    ),
}  # fmt: skip

#: exporter variant -> (mutations of a scaffolded exporter plugin, the contract's tests that must fail)
EXPORTER_VARIANTS: dict[str, tuple[list[Mutation], set[str]]] = {
    "good": ([], set()),
    "in_place": (
        [("exporter", '    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:\n',
          '    path.parent.mkdir(parents=True, exist_ok=True)\n'
          '    with open(path, "w", encoding="utf-8-sig", newline="") as fh:\n')],
        {"test_files_are_written_atomically", "test_an_interrupted_write_leaves_no_partial_file"},
    ),
    "unescaped": (
        [("exporter", 'writer.writerow([csv_field(value) for value in (nip, person.name, person.unit or "", status)])',
          'writer.writerow([nip, person.name, person.unit or "", status])')],
        {"test_no_value_becomes_a_formula"},
    ),
    "stray_file": (
        [("exporter", "    return [path]\n",
          '    (Path(out_dir) / "notes.txt").write_text("draft")\n    return [path]\n')],
        {"test_writes_the_files_it_returns_and_nothing_else"},
    ),
}  # fmt: skip


def _mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the template changed: {old!r} is not in it once"
    return text.replace(old, new)


def _write_variant(root: Path, package: str, kind: str, mutations: list[Mutation]) -> None:
    """A scaffolded plugin called ``kit``, as package ``package`` under ``root``, with ``mutations`` made."""
    files = {
        relative.split("/", 1)[1]: text
        for relative, text in render_plugin("kit", kind).items()
        if relative.startswith("asn_attest_kit/")
    }
    for module, old, new in mutations:
        files[f"{module}.py"] = _mutate(files[f"{module}.py"], old, new)
    for name, text in files.items():
        path = root / package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _outcomes(pytester: pytest.Pytester, test_module: str) -> dict[tuple[str, str], str]:
    """(class, test) -> passed, failed or skipped, parametrized tests folded (failed if any failed)."""
    pytester.syspathinsert()
    pytester.makepyfile(test_contracts=test_module)
    recorder = pytester.inline_run("-p", "no:cacheprovider")
    outcomes: dict[tuple[str, str], str] = {}
    for report in recorder.getreports("pytest_runtest_logreport"):
        if report.when == "call" or report.outcome != "passed":
            _, cls, test = report.nodeid.split("::")
            key = (cls, test.split("[")[0])
            if outcomes.get(key) != "failed":
                outcomes[key] = report.outcome
    return outcomes


def _failed(outcomes: dict[tuple[str, str], str], cls: str) -> set[str]:
    return {test for (klass, test), outcome in outcomes.items() if klass == cls and outcome == "failed"}


def _variant_outcomes(
    pytester: pytest.Pytester,
    variants: dict[str, tuple[list[Mutation], set[str]]],
    kind: str,
    prefix: str,
    imports: str,
    test_class: str,
) -> dict[tuple[str, str], str]:
    """Each variant as a scaffolded ``kind`` plugin, package ``{prefix}_{variant}``, tested by
    ``test_class`` (its ``{package}`` and ``{variant}`` filled in), all run with pytester."""
    classes = []
    for variant, (mutations, _) in variants.items():
        package = f"{prefix}_{variant}"
        _write_variant(pytester.path, package, kind, mutations)
        classes.append(textwrap.dedent(test_class).format(package=package, variant=variant))
    return _outcomes(pytester, imports + "\n".join(classes))


def _assert_each_variant_fails_where_broken(
    outcomes: dict[tuple[str, str], str], variants: dict[str, tuple[list[Mutation], set[str]]], good_passes: int
) -> None:
    passed = [test for (cls, test), outcome in outcomes.items() if cls == "Test_good" and outcome == "passed"]
    assert len(passed) >= good_passes, outcomes
    for variant, (_, expected) in variants.items():
        assert _failed(outcomes, f"Test_{variant}") == expected, variant


def test_the_reader_contract_fails_each_broken_reader_where_it_is_broken(pytester: pytest.Pytester) -> None:
    # the scaffold's own test module, less its class, writes the sample files of every variant
    scaffold_test = render_plugin("kit", "roster")["tests/test_conformance.py"]
    samples = scaffold_test.split("class TestKitReader")[0].replace("import asn_attest_kit\n", "")
    pytester.makepyfile(kit_samples=samples.replace("from asn_attest_kit.reader", "from asn_attest_kit_good.reader"))
    imports = (
        "from asn_attest.testing.conformance import RosterReaderContract\n"
        "from asn_attest.testing.samples import SampleFile\n"
        "from kit_samples import ROWS, write_csv, write_xlsx\n"
    )
    outcomes = _variant_outcomes(pytester, READER_VARIANTS, "roster", "asn_attest_kit", imports, """
        import {package}

        class Test_{variant}(RosterReaderContract):
            plugin = {package}
            reader_name = "kit"

            def sample_files(self, folder):
                return [SampleFile(write_csv(folder / "kit.csv"), records=len(ROWS)),
                        SampleFile(write_xlsx(folder / "kit.xlsx"), records=len(ROWS))]
        """)  # fmt: skip
    _assert_each_variant_fails_where_broken(outcomes, READER_VARIANTS, good_passes=10)


def test_the_exporter_contract_fails_each_broken_exporter_where_it_is_broken(pytester: pytest.Pytester) -> None:
    imports = "from asn_attest.testing.conformance import ExporterContract\n"
    outcomes = _variant_outcomes(pytester, EXPORTER_VARIANTS, "exporter", "asn_attest_kit_x", imports, """
        import {package}

        class Test_{variant}(ExporterContract):
            plugin = {package}
            exporter_name = "kit"
        """)  # fmt: skip
    _assert_each_variant_fails_where_broken(outcomes, EXPORTER_VARIANTS, good_passes=7)


def test_the_exporter_contract_catches_formulas_in_workbooks_and_staff_of_other_units(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        bad_books=textwrap.dedent(
            """
            from pathlib import Path
            from openpyxl import Workbook
            from asn_attest.hookspecs import hookimpl
            from asn_attest.plugin_types import StatusExporter
            from asn_attest.tabular.output import atomic_write, xlsx_bytes

            ASN_ATTEST_HOOK_API = "1.0"

            def _save(workbook, path, options):
                data = xlsx_bytes(workbook, options.generated_at)
                with atomic_write(path) as fh:
                    fh.write(data)

            def write_everyone_everywhere(result, out_dir, options):
                written = []
                for unit in result.units[:3]:
                    workbook = Workbook()
                    for person in result.roster:  # every unit's file lists everybody
                        workbook.active.append([person.nip_full or "", person.name, person.unit or ""])
                    path = Path(out_dir) / "unit" / f"{len(written)}.xlsx"
                    _save(workbook, path, options)
                    written.append(path)
                return written

            @hookimpl
            def asn_attest_status_exporters():
                return [StatusExporter(name="everyone", description="d", write=write_everyone_everywhere)]
            """
        )
    )
    outcomes = _outcomes(
        pytester,
        "import bad_books\n"
        "from asn_attest.testing.conformance import ExporterContract\n\n"
        "class TestEveryone(ExporterContract):\n"
        "    plugin = bad_books\n"
        '    exporter_name = "everyone"\n'
        '    per_unit_files = "unit/*.xlsx"\n',
    )
    assert _failed(outcomes, "TestEveryone") == {
        "test_no_value_becomes_a_formula",
        "test_per_unit_files_hold_one_units_staff",
    }


# --------------------------------------------------------------------------- the scaffold


def test_new_plugin_refuses_a_folder_that_exists_and_writes_nothing(tmp_path: Path) -> None:
    taken = tmp_path / "asn-attest-acme"
    taken.mkdir()
    (taken / "mine.txt").write_text("keep me", encoding="utf-8")
    result = run("plugins", "new", "acme", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {taken} already exists; nothing was written (choose another NAME or --dir)\n"
    assert [p.name for p in taken.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize("name", ["Acme", "1acme", "acme hr", "acme--hr", "a" * 41, "acme-"])
def test_new_plugin_refuses_a_name_that_cannot_be_a_package(name: str, tmp_path: Path) -> None:
    result = run("plugins", "new", name, "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "use lower-case letters and digits" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_plugin_names_follow_the_conventions() -> None:
    names = plugin_names("acme-hr")
    assert (names.distribution, names.package, names.name, names.id_header) == (
        "asn-attest-acme-hr", "asn_attest_acme_hr", "acme-hr", "ACME_HR_ID",
    )  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_plugin_is_valid_python_with_an_entry_point_and_a_conformance_test(
    kind: str, tmp_path: Path
) -> None:
    folder = create_plugin("acme", tmp_path, kind=kind)
    for path in folder.rglob("*.py"):
        py_compile.compile(str(path), doraise=True, cfile=str(tmp_path / "compiled.pyc"))
    setup = (folder / "setup.cfg").read_text(encoding="utf-8")
    assert "asn_attest =\n    acme = asn_attest_acme\n" in setup
    init = (folder / "asn_attest_acme" / "__init__.py").read_text(encoding="utf-8")
    assert f'ASN_ATTEST_HOOK_API = "{HOOK_API_VERSION}"' in init and init.count("@hookimpl") == 1
    assert "Contract)" in (folder / "tests" / "test_conformance.py").read_text(encoding="utf-8")
    assert "asn_attest.testing.pytest_plugin" in (folder / "tests" / "conftest.py").read_text(encoding="utf-8")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ScaffoldError, match="choose one of roster, attestation, exemption, exporter"):
        render_plugin("acme", "pdf")


# --------------------------------------------------------------------------- installed with pip, as a vendor would


def _pytest(tests: Path, *paths: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a plugin's own tests as its author would, against the installed plugin
    (from another folder, so the source tree is not what gets imported)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", str(tests)],
        env=plugin_env(*paths), cwd=cwd, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The scaffold's plugins (one of each kind, made in an empty folder) and the worked
    example, built and installed with pip into one --target folder."""
    empty = tmp_path_factory.mktemp("empty")
    made = {}
    for kind in KINDS:
        result = run("plugins", "new", f"acme-{kind}", "--dir", str(empty), "--kind", kind)
        assert result.exit_code == 0, result.output
        made[kind] = empty / f"asn-attest-acme-{kind}"
    example = tmp_path_factory.mktemp("example") / EXAMPLE.name
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    site = pip_install_target(tmp_path_factory.mktemp("site"), *made.values(), example)
    return {"site": site, "example": example, "elsewhere": tmp_path_factory.mktemp("elsewhere"), **made}


@pytest.mark.slow
def test_scaffolded_and_example_plugins_show_in_asn_attest_plugins(installed: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "asn_attest", "plugins", "--json"],
        env=plugin_env(installed["site"]), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}
    roster = plugins["acme-roster"]
    assert (roster["status"], roster["distribution"], roster["version"]) == (ACTIVE, "asn-attest-acme-roster", "0.1.0")
    assert roster["roster_readers"] == ["acme-roster"] and roster["hook_api"] == HOOK_API_VERSION
    assert plugins["acme-attestation"]["attestation_readers"] == ["acme-attestation"]
    assert plugins["acme-exemption"]["exemption_readers"] == ["acme-exemption"]
    assert plugins["acme-exporter"]["exporters"] == ["acme-exporter"]
    example = plugins["nusantara"]
    assert (example["status"], example["roster_readers"], example["exporters"]) == (
        ACTIVE, ["nusantara"], ["nusantara-impor"],
    )  # fmt: skip
    assert all(p["status"] != FAILED for p in plugins.values())


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_a_scaffolded_plugin_passes_its_own_conformance_tests(installed: dict[str, Path], kind: str) -> None:
    result = _pytest(installed[kind] / "tests", installed["site"], cwd=installed["elsewhere"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.slow
def test_a_reader_that_drops_provenance_fails_the_conformance_suite(
    installed: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "asn-attest-acme-roster"
    shutil.copytree(installed["roster"], broken, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    reader = broken / "asn_attest_acme_roster" / "reader.py"
    reader.write_text(
        _mutate(reader.read_text(encoding="utf-8"), "            yield record\n",
                "            record.source = None  # provenance dropped\n            yield record\n"),
        encoding="utf-8",
    )  # fmt: skip
    # the broken source shadows the installed package; the entry point is the installed one
    result = _pytest(broken / "tests", broken, installed["site"], cwd=installed["elsewhere"])
    assert result.returncode == 1, result.stdout + result.stderr
    failed = re.findall(r"^FAILED \S+::TestAcmeRosterReader::(\w+)", result.stdout, flags=re.MULTILINE)
    assert "test_records_carry_their_provenance" in failed, result.stdout
    assert "has no provenance: source is None" in result.stdout


@pytest.mark.slow
def test_the_worked_example_passes_its_own_tests(installed: dict[str, Path]) -> None:
    result = _pytest(installed["example"] / "tests", installed["site"], cwd=installed["elsewhere"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "failed" not in result.stdout and "error" not in result.stdout.lower()


def test_the_worked_example_is_not_part_of_the_main_distribution() -> None:
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "nusantara" not in setup
    assert (EXAMPLE / "setup.cfg").read_text(encoding="utf-8").count("nusantara = asn_attest_nusantara") == 1
