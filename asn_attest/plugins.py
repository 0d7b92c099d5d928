"""Loading, checking and listing plugins.

The manager is made by :func:`make_plugin_manager`, never at import time, and the
CLI receives it through the Click context, so a broken plugin cannot stop
``--help`` and a test can build a manager holding just the plugins it wants.

Bundled adapters and vendors' plugins are loaded the same way: from the
``asn_attest`` entry-point group, one entry point at a time. A plugin that fails to
import, to register, or to return valid descriptors is unregistered and recorded
as failed with its distribution, version and the error; strict mode
(``ASN_ATTEST_STRICT_PLUGINS=1``) raises instead, for plugin authors.

A plugin says which hook API it was written for with a module attribute,
``ASN_ATTEST_HOOK_API = "1.0"``; one written for a newer API than this core's
still loads (the API only grows), but ``asn-attest plugins`` warns about it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from . import HOOK_API_VERSION, hookspecs
from .errors import PluginConflictError, PluginError
from .plugin_types import (
    DESCRIPTOR_TYPES,
    AttestationReader,
    ExemptionReader,
    HeaderAliases,
    RosterReader,
    StatusExporter,
    UnitAlias,
)

ENTRY_POINT_GROUP = "asn_attest"
CORE_DISTRIBUTION = "asn-attest"
STRICT_ENV = "ASN_ATTEST_STRICT_PLUGINS"
ALLOWLIST_ENV = "ASN_ATTEST_LOAD_PLUGINS"

ACTIVE, FAILED, DISABLED = "active", "failed", "disabled"

#: The attribute by which a plugin declares the hook API version it was built for.
HOOK_API_ATTRIBUTE = "ASN_ATTEST_HOOK_API"
_API_VERSION = re.compile(r"^(\d+)\.(\d+)$")

#: Hooks whose descriptors carry a unique name that two plugins must not share.
_NAMED_HOOKS = {
    "asn_attest_roster_readers": "roster_readers",
    "asn_attest_attestation_readers": "attestation_readers",
    "asn_attest_exemption_readers": "exemption_readers",
    "asn_attest_status_exporters": "exporters",
}


def canonical_distribution(name: str) -> str:
    """PEP 503 form of a distribution name, so 'ACME_Simpeg' and 'acme-simpeg' are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_hook_api(text: str) -> tuple[int, int] | None:
    """``"1.0"`` -> ``(1, 0)``; None for anything that is not MAJOR.MINOR."""
    match = _API_VERSION.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def declared_hook_api(plugin: object) -> str | None:
    """The hook API version ``plugin`` declares (its ``ASN_ATTEST_HOOK_API``), as text; None if it declares none."""
    try:
        value = getattr(plugin, HOOK_API_ATTRIBUTE, None)
    except Exception:  # a plugin object whose attributes raise declares nothing readable
        return None
    return None if value is None else str(value)


def check_hook_api(declared: str | None, core: str = HOOK_API_VERSION) -> str | None:
    """Why a plugin declaring hook API ``declared`` may not work with this core, or None.

    The API only grows (new hooks, new optional arguments), so a plugin built for the
    same or an older version works; one built for a newer version may use what this
    core does not have yet.
    """
    if declared is None:
        return None
    version = parse_hook_api(declared)
    if version is None:
        return f"declares hook API {declared!r}, which is not a version like {core!r} ({HOOK_API_ATTRIBUTE})"
    core_version = parse_hook_api(core)
    if core_version is not None and version > core_version:
        return (
            f"built for hook API {declared}, newer than this asn-attest's {core}: it may need hooks or arguments "
            "this version does not have; upgrade asn-attest"
        )
    return None


@dataclass
class PluginInfo:
    """What ``asn-attest plugins`` shows about one plugin."""

    name: str
    distribution: str
    version: str
    status: str
    error: str | None = None
    provides: dict[str, list[Any]] = field(default_factory=dict)
    #: the hook API version the plugin declares it was built for (``ASN_ATTEST_HOOK_API``)
    hook_api: str | None = None

    @property
    def hook_api_warning(self) -> str | None:
        """Why the plugin may not work with this core's hook API, or None."""
        return check_hook_api(self.hook_api)

    def names(self, hook: str) -> list[str]:
        return [d.name for d in self.provides.get(hook, [])]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "status": self.status,
            "error": self.error,
            "roster_readers": self.names("asn_attest_roster_readers"),
            "attestation_readers": self.names("asn_attest_attestation_readers"),
            "exemption_readers": self.names("asn_attest_exemption_readers"),
            "exporters": self.names("asn_attest_status_exporters"),
            "header_aliases": [f"{a.table}:{a.field}" for a in self.provides.get("asn_attest_header_aliases", [])],
            "unit_aliases": [a.unit for a in self.provides.get("asn_attest_unit_aliases", [])],
            "hook_api": self.hook_api,
            "hook_api_warning": self.hook_api_warning,
        }


class AsnAttestPluginManager(pluggy.PluginManager):
    """A pluggy manager that knows where each plugin came from and what it provides."""

    def __init__(self, *, strict: bool = False) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self.strict = strict
        self.infos: list[PluginInfo] = []

    # -- loading ---------------------------------------------------------------

    def load_entrypoints(self, allowlist: Iterable[str] | None = None) -> None:
        """Load every plugin of the entry-point group, one at a time.

        ``allowlist`` names the distributions to load besides the core; ``None``
        loads all. Entry points of other distributions are listed as disabled,
        without being imported.
        """
        allowed = None if allowlist is None else {canonical_distribution(n) for n in allowlist}
        seen: set[tuple[str, str]] = set()
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=_entry_point_order):
            dist_name, version = _distribution_of(ep)
            key = (canonical_distribution(dist_name), ep.name)
            if key in seen:  # the same distribution visible twice on sys.path
                continue
            seen.add(key)
            if allowed is not None and key[0] != CORE_DISTRIBUTION and key[0] not in allowed:
                self.infos.append(PluginInfo(ep.name, dist_name, version, DISABLED))
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must never stop the tool
                self._failed(ep.name, dist_name, version, f"import failed: {_describe(exc)}", exc)
                continue
            self.register_plugin(plugin, name=ep.name, distribution=dist_name, version=version)

    def register_plugin(self, plugin: object, *, name: str, distribution: str, version: str = "") -> PluginInfo | None:
        """Register one plugin, check it, and collect its descriptors; on failure unregister it."""
        hook_api = declared_hook_api(plugin)
        try:
            self.register(plugin, name=name)
        except Exception as exc:
            self._failed(name, distribution, version, f"registration failed: {_describe(exc)}", exc, hook_api)
            return None
        try:
            _check_unmarked_hooks(self, plugin)
            self.check_pending()
            provides = self._collect(plugin)
        except Exception as exc:
            self.unregister(plugin)
            self._failed(name, distribution, version, _describe(exc), exc, hook_api)
            return None
        info = PluginInfo(name, distribution, version, ACTIVE, provides=provides, hook_api=hook_api)
        self.infos.append(info)
        return info

    def _failed(
        self, name: str, distribution: str, version: str, error: str, exc: BaseException, hook_api: str | None = None
    ) -> None:
        warning = check_hook_api(hook_api)
        if warning:  # the likely reason a plugin for a newer API fails here
            error = f"{error}; {warning}"
        if self.strict:
            raise PluginError(f"plugin {name!r} from {distribution} {version}: {error}") from exc
        self.infos.append(PluginInfo(name, distribution, version, FAILED, error=error, hook_api=hook_api))

    def _collect(self, plugin: object) -> dict[str, list[Any]]:
        """Call this plugin's own implementations once and check what they return."""
        provides: dict[str, list[Any]] = {}
        for caller in self.get_hookcallers(plugin) or []:
            expected = DESCRIPTOR_TYPES.get(caller.name)
            if expected is None:
                continue
            for impl in caller.get_hookimpls():
                if impl.plugin is not plugin:
                    continue
                result = impl.function(**{arg: None for arg in impl.argnames})
                items = list(result or [])
                for item in items:
                    if not isinstance(item, expected):
                        raise PluginError(
                            f"{caller.name} returned {type(item).__name__}, expected {expected.__name__}"
                        )
                provides.setdefault(caller.name, []).extend(items)
        return provides

    # -- what the core uses ----------------------------------------------------

    @property
    def active(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.status == ACTIVE]

    @property
    def failed(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.status == FAILED]

    def _named(self, hook: str) -> dict[str, Any]:
        found: dict[str, tuple[Any, PluginInfo]] = {}
        for info in self.active:
            for desc in info.provides.get(hook, []):
                if desc.name in found:
                    other = found[desc.name][1]
                    kind = _NAMED_HOOKS[hook].replace("_", " ").rstrip("s")
                    raise PluginConflictError(
                        f"{kind} {desc.name!r} is provided by two plugins: "
                        f"{other.distribution} {other.version} (plugin {other.name!r}) and "
                        f"{info.distribution} {info.version} (plugin {info.name!r}); "
                        f"uninstall one, or leave one out of {ALLOWLIST_ENV}"
                    )
                found[desc.name] = (desc, info)
        return {name: desc for name, (desc, _) in found.items()}

    def conflicts(self) -> list[str]:
        """Every name conflict, as the message the user would get, for ``plugins`` to show."""
        messages = []
        for hook in _NAMED_HOOKS:
            try:
                self._named(hook)
            except PluginConflictError as exc:
                messages.append(str(exc))
        return messages

    def roster_readers(self) -> dict[str, RosterReader]:
        return self._named("asn_attest_roster_readers")

    def attestation_readers(self) -> dict[str, AttestationReader]:
        return self._named("asn_attest_attestation_readers")

    def exemption_readers(self) -> dict[str, ExemptionReader]:
        return self._named("asn_attest_exemption_readers")

    def status_exporters(self) -> dict[str, StatusExporter]:
        return self._named("asn_attest_status_exporters")

    def header_aliases(self, table: str) -> list[tuple[str, str]]:
        """(field, header) pairs that plugins add to the ``table`` vocabulary."""
        pairs = []
        for info in self.active:
            for alias in info.provides.get("asn_attest_header_aliases", []):
                assert isinstance(alias, HeaderAliases)
                if alias.table == table:
                    pairs.extend((alias.field, header) for header in alias.headers)
        return pairs

    def unit_aliases(self) -> list[UnitAlias]:
        return [a for info in self.active for a in info.provides.get("asn_attest_unit_aliases", [])]


def make_plugin_manager(
    *,
    load_entrypoints: bool = True,
    environ: Mapping[str, str] | None = None,
    plugins: Iterable[tuple[object, str]] = (),
) -> AsnAttestPluginManager:
    """Build a plugin manager: entry points (filtered by the allowlist) and any given plugins.

    ``environ`` defaults to ``os.environ``; ``plugins`` are ``(plugin, name)`` pairs
    registered as if they came from a distribution called ``<local>``, for tests.
    """
    env = os.environ if environ is None else environ
    strict = env.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")
    pm = AsnAttestPluginManager(strict=strict)
    if load_entrypoints:
        raw = env.get(ALLOWLIST_ENV)
        allowlist = None if raw is None else [n.strip() for n in raw.split(",") if n.strip()]
        pm.load_entrypoints(allowlist)
    for plugin, name in plugins:
        pm.register_plugin(plugin, name=name, distribution="<local>")
    return pm


def _entry_point_order(ep: metadata.EntryPoint) -> tuple[int, str, str]:
    dist, _ = _distribution_of(ep)
    return (0 if canonical_distribution(dist) == CORE_DISTRIBUTION else 1, dist.lower(), ep.name)


def _distribution_of(ep: metadata.EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return ("<unknown>", "")
    return (dist.metadata["Name"] or "<unknown>", dist.version or "")


def _describe(exc: BaseException) -> str:
    """One line: the exception type and its message, lines joined (pluggy explains on line 3)."""
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    if len(text) > 400:
        text = text[:397] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_unmarked_hooks(pm: pluggy.PluginManager, plugin: object) -> None:
    """A function named like a hook but not marked @hookimpl would silently never run."""
    for attr in dir(plugin):
        if not attr.startswith(hookspecs.PROJECT_NAME + "_"):
            continue
        value = getattr(plugin, attr, None)
        if callable(value) and pm.parse_hookimpl_opts(plugin, attr) is None:
            known = hasattr(pm.hook, attr)
            hint = "is not marked with @hookimpl" if known else "is not a known hook (misspelled?)"
            raise PluginError(f"{attr} {hint}")
