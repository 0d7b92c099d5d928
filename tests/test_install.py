"""Installed with pip for real: a distribution whose entry point raises on import.

The other tests fake an installed distribution with a dist-info folder; this one
builds and installs one with pip, as a vendor's user would, and runs the real
console entry point in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .helpers import pip_install_target, plugin_env


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("broken-src")
    (src / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n', encoding="utf-8"
    )
    (src / "setup.cfg").write_text(
        textwrap.dedent(
            """
            [metadata]
            name = asn-attest-broken-example
            version = 0.0.1

            [options]
            py_modules = asn_attest_broken_example

            [options.entry_points]
            asn_attest =
                broken = asn_attest_broken_example
            """
        ),
        encoding="utf-8",
    )
    (src / "asn_attest_broken_example.py").write_text("raise ImportError('this plugin is broken on purpose')\n")
    return pip_install_target(tmp_path_factory.mktemp("site"), src)


def _run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asn_attest", *args], env=plugin_env(site), capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_help_works_with_a_pip_installed_plugin_that_raises_on_import(broken_site: Path) -> None:
    result = _run(broken_site, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


@pytest.mark.slow
def test_plugins_lists_the_pip_installed_broken_plugin_as_failed(broken_site: Path) -> None:
    result = _run(broken_site, "plugins", "--json")
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}
    broken = plugins["broken"]
    assert broken["status"] == "failed"
    assert broken["distribution"] == "asn-attest-broken-example"
    assert broken["version"] == "0.0.1"
    assert "this plugin is broken on purpose" in broken["error"]
    assert "simpeg" in plugins["simpeg"]["roster_readers"]


@pytest.mark.slow
def test_strict_mode_exits_4_naming_the_broken_distribution(broken_site: Path, tmp_path: Path) -> None:
    env_site = broken_site
    csv = tmp_path / "r.csv"
    csv.write_text("NIP;NAMA\n198503152010011001;ANI\n", encoding="utf-8")
    env = dict(plugin_env(env_site), ASN_ATTEST_STRICT_PLUGINS="1")
    result = subprocess.run([sys.executable, "-m", "asn_attest", "inspect", str(csv)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 4
    assert "asn-attest-broken-example 0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
