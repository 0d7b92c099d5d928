"""Checks shared by several test modules."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path


def formula_parts(folder: Path) -> list[tuple[Path, str]]:
    """Every worksheet part, in every xlsx under ``folder``, that holds a formula element."""
    found = []
    for path in sorted(folder.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    body = archive.read(name)
                    if b"<f>" in body or b"<f " in body:
                        found.append((path, name))
    return found


def pip_install_target(site: Path, *sources: Path) -> Path:
    """Build and install the distributions in ``sources`` with pip into ``site`` (a
    ``--target`` folder), as a vendor's user would; ``site``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
         "--no-build-isolation", "--target", str(site), *map(str, sources)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return site


def plugin_env(*paths: Path) -> dict[str, str]:
    """The environment for a subprocess that sees ``paths`` (``--target`` folders, source
    trees) first on its path, with no developer's setting choosing which plugins load."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, paths), os.environ.get("PYTHONPATH", "")]))
    for name in ("ASN_ATTEST_LOAD_PLUGINS", "ASN_ATTEST_STRICT_PLUGINS", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    return env
