"""Loading plugins: broken ones are reported, never fatal; conflicts name both sides."""

from __future__ import annotations

import types

import pytest

from asn_attest.errors import PluginConflictError, PluginError
from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import HeaderAliases, RosterReader
from asn_attest.plugins import ACTIVE, DISABLED, FAILED, make_plugin_manager

READER_PLUGIN = """
from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import RosterReader

@hookimpl
def asn_attest_roster_readers():
    yield RosterReader(name="{name}", description="test reader", file_kinds=("csv",),
                       sniff=lambda sample: 0.5, read=lambda sample, ctx: iter(()))
"""


def _module(name: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def _reader(name: str) -> RosterReader:
    return RosterReader(name=name, description="d", file_kinds=("csv",), sniff=lambda s: 0.5, read=lambda s, c: iter(()))


def _reader_plugin(module_name: str, reader_name: str) -> types.ModuleType:
    @hookimpl
    def asn_attest_roster_readers():
        return [_reader(reader_name)]

    return _module(module_name, asn_attest_roster_readers=asn_attest_roster_readers)


def test_factory_gives_a_fresh_manager_each_time() -> None:
    one = make_plugin_manager(load_entrypoints=False, plugins=[(_reader_plugin("p1", "one"), "p1")])
    two = make_plugin_manager(load_entrypoints=False)
    assert set(one.roster_readers()) == {"one"}
    assert two.roster_readers() == {}


def test_bundled_roster_reader_comes_from_the_entry_point_group() -> None:
    pm = make_plugin_manager(environ={})
    simpeg = next(i for i in pm.infos if i.name == "simpeg")
    assert simpeg.distribution == "asn-attest"
    assert simpeg.status == ACTIVE
    assert "simpeg" in pm.roster_readers()


def test_plugin_that_fails_to_import_is_reported_with_distribution_and_version(fake_distribution) -> None:
    fake_distribution("broken-plugin", "broken_mod", "raise RuntimeError('boom at import')", version="2.3")
    pm = make_plugin_manager(environ={})
    info = next(i for i in pm.infos if i.name == "broken_mod")
    assert (info.status, info.distribution, info.version) == (FAILED, "broken-plugin", "2.3")
    assert "RuntimeError: boom at import" in info.error
    assert "simpeg" in pm.roster_readers()  # the others still load


def test_strict_mode_makes_a_broken_plugin_fatal(fake_distribution) -> None:
    fake_distribution("broken-plugin", "broken_mod", "raise RuntimeError('boom')")
    with pytest.raises(PluginError, match="broken-plugin 1.0.*boom"):
        make_plugin_manager(environ={"ASN_ATTEST_STRICT_PLUGINS": "1"})


def test_allowlist_disables_other_distributions_without_importing_them(fake_distribution) -> None:
    fake_distribution("broken-plugin", "broken_mod", "raise RuntimeError('must not be imported')")
    fake_distribution("good-plugin", "good_mod", READER_PLUGIN.format(name="good"))
    pm = make_plugin_manager(environ={"ASN_ATTEST_LOAD_PLUGINS": "Good_Plugin"})
    status = {i.name: i.status for i in pm.infos}
    assert status["broken_mod"] == DISABLED
    assert status["good_mod"] == ACTIVE
    assert status["simpeg"] == ACTIVE  # the core's own adapters always load


def test_empty_allowlist_loads_nothing_beyond_the_core(fake_distribution) -> None:
    fake_distribution("good-plugin", "good_mod", READER_PLUGIN.format(name="good"))
    pm = make_plugin_manager(environ={"ASN_ATTEST_LOAD_PLUGINS": ""})
    assert set(pm.roster_readers()) == {"simpeg"}
    assert {i.name: i.status for i in pm.infos}["good_mod"] == DISABLED


def test_two_distributions_with_the_same_reader_name_conflict_naming_both(fake_distribution) -> None:
    fake_distribution("acme-one", "acme_one", READER_PLUGIN.format(name="acme"), version="1.1")
    fake_distribution("acme-two", "acme_two", READER_PLUGIN.format(name="acme"), version="2.2")
    pm = make_plugin_manager(environ={})
    with pytest.raises(PluginConflictError) as info:
        pm.roster_readers()
    assert "acme-one 1.1" in str(info.value) and "acme-two 2.2" in str(info.value)
    assert len(pm.conflicts()) == 1


def test_misspelled_marked_hook_is_caught() -> None:
    @hookimpl
    def asn_attest_roster_reader():  # missing the final "s"
        return []

    pm = make_plugin_manager(load_entrypoints=False, plugins=[(_module("typo", asn_attest_roster_reader=asn_attest_roster_reader), "typo")])
    info = pm.infos[0]
    assert info.status == FAILED
    assert "asn_attest_roster_reader" in info.error
    assert not pm.get_plugins()


def test_unmarked_hook_function_is_caught() -> None:
    def asn_attest_roster_readers():
        return [_reader("x")]

    pm = make_plugin_manager(load_entrypoints=False, plugins=[(_module("nomark", asn_attest_roster_readers=asn_attest_roster_readers), "nomark")])
    assert pm.infos[0].status == FAILED
    assert "not marked with @hookimpl" in pm.infos[0].error


def test_hook_implementation_with_unknown_argument_is_refused() -> None:
    @hookimpl
    def asn_attest_roster_readers(config):
        return []

    pm = make_plugin_manager(load_entrypoints=False, plugins=[(_module("args", asn_attest_roster_readers=asn_attest_roster_readers), "args")])
    assert pm.infos[0].status == FAILED
    assert "config" in pm.infos[0].error


def test_hook_returning_the_wrong_type_fails_that_plugin_only() -> None:
    @hookimpl
    def asn_attest_roster_readers():
        return [HeaderAliases(field="name", headers=("NAMA_PEG",))]

    pm = make_plugin_manager(
        load_entrypoints=False,
        plugins=[(_module("wrong", asn_attest_roster_readers=asn_attest_roster_readers), "wrong"), (_reader_plugin("ok", "ok"), "ok")],
    )
    status = {i.name: (i.status, i.error) for i in pm.infos}
    assert status["wrong"][0] == FAILED and "expected RosterReader" in status["wrong"][1]
    assert set(pm.roster_readers()) == {"ok"}


def test_hook_that_raises_fails_that_plugin_only() -> None:
    @hookimpl
    def asn_attest_roster_readers():
        raise KeyError("oops")

    pm = make_plugin_manager(load_entrypoints=False, plugins=[(_module("raises", asn_attest_roster_readers=asn_attest_roster_readers), "raises")])
    assert pm.infos[0].status == FAILED and "KeyError" in pm.infos[0].error
    assert pm.roster_readers() == {}


def test_descriptor_with_a_bad_name_is_refused_when_built() -> None:
    with pytest.raises(TypeError, match="lower-case"):
        _reader("Bad Name")


def test_header_aliases_are_collected_per_table() -> None:
    @hookimpl
    def asn_attest_header_aliases():
        yield HeaderAliases(field="name", headers=("NAMA_PEG",))
        yield HeaderAliases(field="signature", headers=("PARAF PEGAWAI",), table="signsheet")

    pm = make_plugin_manager(load_entrypoints=False, plugins=[(_module("al", asn_attest_header_aliases=asn_attest_header_aliases), "al")])
    assert pm.header_aliases("roster") == [("name", "NAMA_PEG")]
    assert pm.header_aliases("signsheet") == [("signature", "PARAF PEGAWAI")]
