"""Checks shared by several test modules."""

from __future__ import annotations

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
