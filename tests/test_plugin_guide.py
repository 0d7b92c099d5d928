"""The plugin guide documents every hook exactly as the spec declares it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from asn_attest import hookspecs

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "plugin-guide.md"


def _specs() -> dict[str, object]:
    return {
        name: func
        for name, func in vars(hookspecs).items()
        if name.startswith("asn_attest_") and hasattr(func, "asn_attest_spec")
    }


def _sections() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    parts = re.split(r"^### (\S+)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def _signature(name: str, func: object) -> str:
    return f"{name}{inspect.signature(func)}".replace("'", "")


def test_hookspecs_are_found() -> None:
    assert "asn_attest_roster_readers" in _specs()


@pytest.mark.parametrize("name", sorted(_specs()))
def test_every_hook_is_documented_with_its_exact_signature(name: str) -> None:
    sections = _sections()
    assert name in sections, f"{name} has no section in {GUIDE.name}"
    body = sections[name]
    documented = re.search(r"^Signature: `([^`]+)`", body, flags=re.MULTILINE)
    assert documented, f"{name}: no 'Signature:' line"
    assert documented.group(1) == _signature(name, _specs()[name])


@pytest.mark.parametrize("name", sorted(_specs()))
def test_every_hook_documents_each_argument_its_version_and_an_example(name: str) -> None:
    body = _sections()[name]
    spec = _specs()[name]
    args = list(inspect.signature(spec).parameters)
    if args:
        for arg in args:
            assert re.search(rf"^- `{arg}`: \S", body, flags=re.MULTILINE), f"{name}: argument {arg} undocumented"
    else:
        assert "Arguments: none." in body
    added = re.search(r"^Added in: (\S+)", body, flags=re.MULTILINE)
    assert added, f"{name}: no 'Added in:' line"
    assert f".. versionadded:: {added.group(1)}" in (spec.__doc__ or "")
    assert "```python" in body and "@hookimpl" in body, f"{name}: no example"


def test_guide_has_no_section_for_a_hook_that_does_not_exist() -> None:
    assert set(_sections()) <= set(_specs())
