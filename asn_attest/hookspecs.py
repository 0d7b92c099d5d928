"""The hook contract between asn-attest and its plugins.

Every hook returns an iterable of small descriptors from
:mod:`asn_attest.plugin_types`. Hooks are called with keyword arguments and take
none today; the API grows only by new hooks and new optional arguments, so an
implementation written for an older version keeps working (see
docs/plugin-guide.md, "Compatibility").
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from .plugin_types import AttestationReader, ExemptionReader, HeaderAliases, RosterReader, StatusExporter, UnitAlias

PROJECT_NAME = "asn_attest"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def asn_attest_roster_readers() -> Iterable[RosterReader]:
    """Register readers of roster exports (the employee lists of HR systems).

    .. versionadded:: 0.1.0

    Example::

        @hookimpl
        def asn_attest_roster_readers():
            yield RosterReader(
                name="simpeg-acme",
                description="ACME SIMPEG 'Data Pegawai' export",
                file_kinds=("xlsx",),
                sniff=lambda sample: 0.9 if b"ACME" in sample.head else 0.0,
                read=read_acme_roster,
            )
    """


@hookspec
def asn_attest_attestation_readers() -> Iterable[AttestationReader]:
    """Register readers of signature evidence (sign sheets, form exports, e-signature logs).

    .. versionadded:: 0.1.0

    Example::

        @hookimpl
        def asn_attest_attestation_readers():
            yield AttestationReader(
                name="tte-acme",
                description="ACME e-signature log (CSV)",
                file_kinds=("csv",),
                sniff=sniff_acme_log,
                read=read_acme_log,
            )
    """


@hookspec
def asn_attest_exemption_readers() -> Iterable[ExemptionReader]:
    """Register readers of exemptions: lists from HR, and the unsigned-staff workbooks
    that OPD heads send back with the Keterangan column filled in.

    .. versionadded:: 0.1.0

    Example::

        @hookimpl
        def asn_attest_exemption_readers():
            yield ExemptionReader(
                name="cuti-acme",
                description="ACME leave register export",
                file_kinds=("xlsx",),
                sniff=sniff_acme_leave,
                read=read_acme_leave,
            )
    """


@hookspec
def asn_attest_status_exporters() -> Iterable[StatusExporter]:
    """Register writers of attestation status (reports, files for an HR system to import).

    .. versionadded:: 0.1.0

    Example::

        @hookimpl
        def asn_attest_status_exporters():
            yield StatusExporter(
                name="acme-import",
                description="Status file for ACME SIMPEG's import screen",
                write=write_acme_status,
            )
    """


@hookspec
def asn_attest_header_aliases() -> Iterable[HeaderAliases]:
    """Teach the bundled readers extra column headers for known fields.

    A vendor whose export differs from the usual layouts only by its column names
    needs this hook, not a reader of its own.

    .. versionadded:: 0.1.0

    Example::

        @hookimpl
        def asn_attest_header_aliases():
            yield HeaderAliases(field="name", headers=("NAMA_PEG", "NM PEGAWAI"))
            yield HeaderAliases(field="unit", headers=("KODE OPD NAMA",))
    """


@hookspec
def asn_attest_unit_aliases() -> Iterable[UnitAlias]:
    """Declare other spellings of unit names, so that one OPD is counted once.

    .. versionadded:: 0.1.0

    Example::

        @hookimpl
        def asn_attest_unit_aliases():
            yield UnitAlias(unit="Dinas Kesehatan", aliases=("DINKES", "Dinkes Kab. Sukamaju"))
    """
