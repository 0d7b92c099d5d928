"""pytest fixtures for asn-attest plugin authors.

Enable them with one line in the ``tests/conftest.py`` of your plugin::

    pytest_plugins = ["asn_attest.testing.pytest_plugin"]

Nothing is registered for projects that do not ask: asn-attest declares no
``pytest11`` entry point. The fixtures:

- ``asn_attest_pm``: a fresh plugin manager holding every installed plugin (yours
  included, once installed), whatever ``ASN_ATTEST_LOAD_PLUGINS`` says;
- ``asn_attest_register_plugin``: ``register(plugin, name=None)`` adds a plugin object
  to ``asn_attest_pm`` for one test and removes it afterwards;
- ``asn_attest_sample_files``: the roster, evidence and exemption samples of every
  bundled format, copied into ``tmp_path / "samples"`` (a
  :class:`~asn_attest.testing.samples.SampleSet`);
- ``asn_attest_broken_files``: broken and foreign files, by name;
- ``asn_attest_reconciliation``: a small result to export, whose input values try to
  become formulas;
- ``asn_attest_cli``: ``run(*args)`` runs the ``asn-attest`` command with
  ``asn_attest_pm`` and returns Click's result.

The conformance suite (:mod:`asn_attest.testing.conformance`) needs none of these:
its classes bring their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ..cli import AppContext, cli
from ..errors import PluginError
from ..plugins import AsnAttestPluginManager, PluginInfo, make_plugin_manager
from ..reconcile import Reconciliation
from .conformance import shared_sample_files
from .samples import BrokenFile, SampleSet, sample_reconciliation, write_broken_files

__all__ = [
    "asn_attest_pm",
    "asn_attest_register_plugin",
    "asn_attest_sample_files",
    "asn_attest_broken_files",
    "asn_attest_reconciliation",
    "asn_attest_cli",
]


@pytest.fixture
def asn_attest_pm() -> AsnAttestPluginManager:
    """A fresh plugin manager with every installed plugin, as the CLI would load them
    with no environment settings (so a developer's ``ASN_ATTEST_LOAD_PLUGINS`` cannot
    change what the tests see)."""
    return make_plugin_manager(environ={})


@pytest.fixture
def asn_attest_register_plugin(asn_attest_pm: AsnAttestPluginManager) -> Iterator[Callable[..., PluginInfo]]:
    """``register(plugin, name=None) -> PluginInfo``: add ``plugin`` to ``asn_attest_pm``
    for this test only.

    A plugin the manager refuses raises :class:`~asn_attest.errors.PluginError` with the
    reason. After the test each registered plugin is unregistered and its listing removed.
    """
    added: list[tuple[object, int]] = []

    def register(plugin: object, name: str | None = None) -> PluginInfo:
        name = name or getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{id(plugin):x}"
        start = len(asn_attest_pm.infos)
        info = asn_attest_pm.register_plugin(plugin, name=name, distribution="<test>")
        added.append((plugin, start))
        if info is None:
            failed = asn_attest_pm.infos[-1]
            raise PluginError(f"plugin {name!r} was refused: {failed.error}")
        return info

    yield register
    for plugin, start in reversed(added):
        if asn_attest_pm.is_registered(plugin):
            asn_attest_pm.unregister(plugin)
        del asn_attest_pm.infos[start:]


@pytest.fixture
def asn_attest_sample_files(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SampleSet:
    """The bundled sample files (written once per session), copied into ``tmp_path / "samples"``."""
    return shared_sample_files(tmp_path_factory).copy_to(tmp_path / "samples")


@pytest.fixture
def asn_attest_broken_files(tmp_path: Path) -> dict[str, BrokenFile]:
    """Files no reader can use, by name (see :data:`asn_attest.testing.samples.BROKEN_FILE_NAMES`)."""
    return write_broken_files(tmp_path / "broken")


@pytest.fixture
def asn_attest_reconciliation() -> Reconciliation:
    """A small reconciliation whose names, units and notes try to become formulas."""
    return sample_reconciliation()


@pytest.fixture
def asn_attest_cli(asn_attest_pm: AsnAttestPluginManager) -> Callable[..., Result]:
    """``run(*args) -> click.testing.Result``: the ``asn-attest`` command with ``asn_attest_pm``
    (plugins registered with ``asn_attest_register_plugin`` included)."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), obj=AppContext(factory=lambda: asn_attest_pm))

    return run
