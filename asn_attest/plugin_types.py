"""The small typed descriptors that hook implementations return.

Each hook returns an iterable of one of these (the pattern conda uses for its
plugin types): a plugin can provide several readers at once, and the core sees a
name, a description and two callables, never a plugin's internals.

A descriptor is validated when the plugin manager collects it, so a plugin that
returns a malformed descriptor is reported as broken with its distribution's name
instead of failing later in the middle of a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .reading import ReadContext
    from .tabular.kinds import FileSample

#: A sniffer looks at a file's kind and first bytes and says how sure it is that the
#: file is its reader's format: 0.0 means "not mine"; 1.0 "certainly mine". The
#: generic bundled readers answer low (0.1-0.3) so that a vendor's reader that
#: recognises its own export answers higher and wins.
Sniffer = Callable[["FileSample"], float]

_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


def _check_common(kind: str, name: object, description: object, callables: dict[str, object]) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise TypeError(
            f"{kind} name {name!r} must be lower-case letters, digits, '_', '-' or '.', "
            "starting with a letter (at most 64 characters)"
        )
    if not isinstance(description, str) or not description.strip():
        raise TypeError(f"{kind} {name!r} needs a one-line description")
    for attr, value in callables.items():
        if not callable(value):
            raise TypeError(f"{kind} {name!r}: {attr} must be callable, got {type(value).__name__}")


@dataclass(frozen=True)
class _Reader:
    name: str
    description: str
    file_kinds: tuple[str, ...]
    sniff: Sniffer
    read: Callable[["FileSample", "ReadContext"], Iterable[Any]]

    _label: ClassVar[str] = "reader"

    def __post_init__(self) -> None:
        _check_common(self._label, self.name, self.description, {"sniff": self.sniff, "read": self.read})
        object.__setattr__(self, "file_kinds", tuple(str(k) for k in self.file_kinds))


@dataclass(frozen=True)
class RosterReader(_Reader):
    """Reads employee lists (rosters) exported by an HR system.

    ``read(sample, context)`` yields :class:`asn_attest.records.Employee` records,
    reports each sheet it read with ``context.sheet_read(...)`` and each bad row with
    ``context.problem(...)``, and raises :class:`asn_attest.errors.DataError` when
    the file as a whole cannot be used.
    """

    _label: ClassVar[str] = "roster reader"


@dataclass(frozen=True)
class AttestationReader(_Reader):
    """Reads signature evidence: sign sheets, form responses, e-signature logs.

    ``read(sample, context)`` yields :class:`asn_attest.records.Attestation` records
    with the same reporting duties as :class:`RosterReader`.
    """

    _label: ClassVar[str] = "attestation reader"


@dataclass(frozen=True)
class ExemptionReader(_Reader):
    """Reads exemptions: who is excused from signing, why, and until when.

    ``read(sample, context)`` yields :class:`asn_attest.records.Exemption` records
    with the same reporting duties as :class:`RosterReader`.
    """

    _label: ClassVar[str] = "exemption reader"


@dataclass(frozen=True)
class StatusExporter:
    """Writes attestation status somewhere: the spreadsheets for OPD heads, files for HR systems.

    ``write(result, out_dir, options)`` writes its files atomically under ``out_dir``
    and returns their paths. ``default`` exporters run unless the user picks others.
    """

    name: str
    description: str
    write: Callable[[Any, Any, Any], Iterable[Any]]
    default: bool = False

    def __post_init__(self) -> None:
        _check_common("status exporter", self.name, self.description, {"write": self.write})


@dataclass(frozen=True)
class HeaderAliases:
    """Extra column headers that mean a known field, e.g. a vendor's ``NAMA_PEG`` for ``name``.

    ``table`` says which vocabulary the aliases extend: ``"roster"`` or ``"signsheet"``.
    """

    field: str
    headers: tuple[str, ...]
    table: str = "roster"

    def __post_init__(self) -> None:
        if self.table not in ("roster", "signsheet"):
            raise TypeError(f"header aliases for {self.field!r}: table must be 'roster' or 'signsheet'")
        if isinstance(self.headers, str) or not self.headers:
            raise TypeError(f"header aliases for {self.field!r}: headers must be a non-empty tuple of strings")
        object.__setattr__(self, "headers", tuple(self.headers))


@dataclass(frozen=True)
class UnitAlias:
    """Other spellings of one unit's name, so that "DINKES" and "Dinas Kesehatan" are one OPD."""

    unit: str
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not isinstance(self.unit, str) or not self.unit.strip():
            raise TypeError("unit alias needs the unit's canonical name")
        object.__setattr__(self, "aliases", tuple(self.aliases))


#: Hook name -> descriptor type it must return, used by the plugin manager to check results.
DESCRIPTOR_TYPES: dict[str, type] = {
    "asn_attest_roster_readers": RosterReader,
    "asn_attest_attestation_readers": AttestationReader,
    "asn_attest_exemption_readers": ExemptionReader,
    "asn_attest_status_exporters": StatusExporter,
    "asn_attest_header_aliases": HeaderAliases,
    "asn_attest_unit_aliases": UnitAlias,
}
