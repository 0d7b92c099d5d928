"""The conformance suite: what the core relies on from every reader and exporter.

A plugin's tests subclass one contract class per reader or exporter, name the
plugin and the reader (or exporter), and inherit the tests::

    from asn_attest.testing.conformance import RosterReaderContract
    from asn_attest.testing.samples import SampleFile

    import asn_attest_acme

    class TestAcmeRoster(RosterReaderContract):
        plugin = asn_attest_acme            # what the entry point names
        reader_name = "acme"
        entry_point = "acme"                # also check the installed entry point

        def sample_files(self, folder):
            return [SampleFile(write_acme_export(folder / "pegawai.csv"), records=12)]

The classes need no fixture from elsewhere (pytest collects ``Test*`` subclasses,
never the ``*Contract`` classes themselves), and a failure names the file, row or
record and what was expected. docs/plugin-guide.md lists every check and why the
core needs it.

How a reader's sniffer may *claim* a file follows :func:`asn_attest.reading.choose_reader`:
among the readers of one role (roster, attestation or exemption), the one answering
the highest score reads the file, and two answering the same top score make the
core refuse the file. A reader claims a file when, installed next to the bundled
readers of its role, it would be the one to read it (or would tie for it). The suite
checks the bundled sample files of other formats: a reader must claim none of them,
except that a *generic* reader (``generic = True``: a fallback for any table, as the
bundled ``simpeg``, ``signsheet`` and ``exemptions`` readers are) is only held to files
of its own role, whose meant reader must still win.
"""

from __future__ import annotations

import datetime as dt
import pickle
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import pytest

from .. import HOOK_API_VERSION
from ..errors import AsnAttestError, DataError
from ..export import LANGUAGES, ExportOptions
from ..plugin_types import DESCRIPTOR_TYPES, StatusExporter
from ..plugins import (
    ACTIVE,
    DISABLED,
    HOOK_API_ATTRIBUTE,
    AsnAttestPluginManager,
    PluginInfo,
    check_hook_api,
    declared_hook_api,
    make_plugin_manager,
)
from ..reading import read_files, reader_scores
from ..reconcile import Reconciliation
from ..records import Provenance
from ..tabular.kinds import FileSample, sample_file
from . import checks
from .evidence import SIGN_DAY
from .samples import (
    ATTESTATION,
    BROKEN_FILE_NAMES,
    EXEMPTION,
    HOSTILE_TEXTS,
    ROSTER,
    BrokenFile,
    SampleFile,
    SampleSet,
    sample_reconciliation,
    write_broken_files,
    write_sample_files,
)

__all__ = [
    "PluginContract",
    "ReaderContract",
    "RosterReaderContract",
    "AttestationReaderContract",
    "ExemptionReaderContract",
    "ExporterContract",
    "shared_sample_files",
]

#: Violations shown in one failure; the rest are counted.
_SHOWN = 25

_HOOKS = {
    ROSTER: "asn_attest_roster_readers",
    ATTESTATION: "asn_attest_attestation_readers",
    EXEMPTION: "asn_attest_exemption_readers",
}
_DESCRIPTORS: dict[str, type] = {role: DESCRIPTOR_TYPES[hook] for role, hook in _HOOKS.items()}

_SHARED: dict[Path, SampleSet] = {}
#: Each contract class's plugin manager, made once (the tests reach it through methods, not a fixture).
_MANAGERS: dict[type, AsnAttestPluginManager] = {}


def shared_sample_files(tmp_path_factory: pytest.TempPathFactory) -> SampleSet:
    """The bundled sample files, written once per test session (read them, never change them)."""
    base = Path(tmp_path_factory.getbasetemp())
    if base not in _SHARED:
        _SHARED[base] = write_sample_files(tmp_path_factory.mktemp("asn-attest-samples"))
    return _SHARED[base]


def _report(violations: list[str]) -> str:
    shown = violations[:_SHOWN]
    more = len(violations) - len(shown)
    return "\n".join(shown + ([f"... and {more} more"] if more > 0 else []))


# --------------------------------------------------------------------------- every plugin


class PluginContract:
    """Checks every plugin passes: it registers in strict mode without conflict,
    declares the hook API it was built for, and is what its entry point loads."""

    #: The plugin: the module (or object) the ``asn_attest`` entry point names.
    plugin: ClassVar[Any]
    #: The entry point's name, to check that the installed distribution loads ``plugin``
    #: (the test is skipped when None: set it once the plugin is installed).
    entry_point: ClassVar[str | None] = None
    #: Whether the plugin must declare ``ASN_ATTEST_HOOK_API`` (bundled adapters need not:
    #: they ship with the core).
    declares_hook_api: ClassVar[bool] = True

    def the_plugin(self) -> Any:
        """The plugin under test (``plugin``), with a clear failure when it is not set."""
        try:
            return type(self).plugin
        except AttributeError:
            pytest.fail(f"{type(self).__name__} must set plugin = <the module (or object) the entry point names>")

    def plugin_name(self) -> str:
        plugin = self.the_plugin()
        return self.entry_point or getattr(plugin, "__name__", type(plugin).__name__)

    def contract_manager(self) -> AsnAttestPluginManager:
        """The bundled adapters and the plugin, registered as the core would, in strict
        mode (a failure raises with the reason); other installed plugins are left out.

        Made once per class: the tests only read it.
        """
        cls = type(self)
        if cls not in _MANAGERS:
            pm = AsnAttestPluginManager(strict=True)
            pm.load_entrypoints(allowlist=())
            plugin = self.the_plugin()
            if not pm.is_registered(plugin):
                pm.register_plugin(plugin, name=self.plugin_name(), distribution="<under test>")
            _MANAGERS[cls] = pm
        return _MANAGERS[cls]

    def plugin_info(self, pm: AsnAttestPluginManager | None = None) -> PluginInfo | None:
        """What the manager knows of the plugin under test (its entry point may also be
        listed as disabled, under the same name: that one is left out)."""
        pm = pm or self.contract_manager()
        plugin = self.the_plugin()
        return next((i for i in pm.infos if i.status != DISABLED and pm.get_plugin(i.name) is plugin), None)

    def test_plugin_registers_cleanly_and_conflicts_with_no_bundled_adapter(self) -> None:
        pm = self.contract_manager()
        info = self.plugin_info(pm)
        assert info.status == ACTIVE, info.error
        conflicts = pm.conflicts()
        assert not conflicts, _report(conflicts)

    def test_plugin_declares_the_hook_api_it_was_built_for(self) -> None:
        declared = declared_hook_api(self.the_plugin())
        if declared is None:
            assert not self.declares_hook_api, (
                f"the plugin does not say which hook API it was built for: set {HOOK_API_ATTRIBUTE} = "
                f"{HOOK_API_VERSION!r} in the module the entry point names"
            )
            return
        problem = check_hook_api(declared)
        assert problem is None, problem

    def test_installed_entry_point_loads_this_plugin(self) -> None:
        if self.entry_point is None:
            pytest.skip("entry_point is not set: the installed entry point is not checked")
        pm = make_plugin_manager(environ={})
        info = next((i for i in pm.infos if i.name == self.entry_point), None)
        assert info is not None, (
            f"no installed distribution has an entry point {self.entry_point!r} in the 'asn_attest' group; "
            "install the plugin (pip install -e .) and run again"
        )
        assert info.status == ACTIVE, (
            f"entry point {self.entry_point!r} of {info.distribution}: {info.status}: {info.error}"
        )
        assert pm.get_plugin(self.entry_point) is self.the_plugin(), (
            f"entry point {self.entry_point!r} loads {pm.get_plugin(self.entry_point)!r}, not the plugin under test"
        )


# --------------------------------------------------------------------------- readers


@dataclass
class _Inputs:
    own: list[SampleFile]
    others: list[SampleFile]


class ReaderContract(PluginContract):
    """What the core relies on from a reader; subclass one of the three role classes.

    A subclass sets ``plugin`` and ``reader_name`` and implements ``sample_files``.
    """

    #: The reader's name, as in its descriptor.
    reader_name: ClassVar[str]
    #: ``"roster"``, ``"attestation"`` or ``"exemption"``: set by the role classes.
    role: ClassVar[str]
    #: A fallback for any table (see the module docstring): held only to its own role's files.
    generic: ClassVar[bool] = False

    def sample_files(self, folder: Path) -> Iterable[SampleFile]:
        """Write files of the reader's format into ``folder`` (it exists) and say what is in them.

        Return ``SampleFile(path, records=N)`` for each, ``problems=M`` when the number
        of problems the reader reports is known. Cover every file kind the reader
        lists; the suite reads each several times, so keep them small.
        """
        raise NotImplementedError(
            f"{type(self).__name__}.sample_files(folder) must write files of the reader's format into folder "
            "and return them as SampleFile(path, records=N)"
        )

    # -- helpers -----------------------------------------------------------------

    def role_readers(self, pm: AsnAttestPluginManager | None = None) -> Mapping[str, Any]:
        """The bundled readers of the role, and the reader under test."""
        pm = pm or self.contract_manager()
        return {ROSTER: pm.roster_readers, ATTESTATION: pm.attestation_readers, EXEMPTION: pm.exemption_readers}[
            self.role
        ]()

    def reader(self) -> Any:
        readers = self.role_readers()
        if self.reader_name not in readers:
            info = self.plugin_info()
            provided = info.names(_HOOKS[self.role]) if info is not None and info.status == ACTIVE else []
            pytest.fail(
                f"the plugin provides no {self.role} reader named {self.reader_name!r} "
                f"(it provides: {', '.join(provided) or 'none'})"
            )
        return readers[self.reader_name]

    def _accepts(self, reader: Any, sample: FileSample) -> bool:
        """Whether the core gives ``reader`` the file to sniff (it lists the file's kind, or none)."""
        return not reader.file_kinds or sample.kind.value in reader.file_kinds

    @pytest.fixture(scope="class")
    @classmethod
    def contract_inputs(cls, tmp_path_factory: pytest.TempPathFactory) -> _Inputs:
        """The reader's own sample files (written once per class) and the bundled ones of other formats."""
        folder = tmp_path_factory.mktemp(f"{cls.reader_name}-samples")
        own = [
            replace(f, path=Path(f.path), role=f.role or cls.role, reader=f.reader or cls.reader_name)
            for f in cls().sample_files(folder)
        ]
        if not own:
            pytest.fail(f"{cls.__name__}.sample_files() gave no file; the suite needs files of its format")
        others = [f for f in shared_sample_files(tmp_path_factory) if f.reader != cls.reader_name]
        return _Inputs(own, others)

    @pytest.fixture(scope="class")
    @classmethod
    def contract_broken(cls, tmp_path_factory: pytest.TempPathFactory) -> dict[str, BrokenFile]:
        """The broken and foreign files (written once per class)."""
        return write_broken_files(tmp_path_factory.mktemp(f"{cls.reader_name}-broken"))

    # -- the contract ----------------------------------------------------------------

    def test_registers_a_reader_of_that_name_and_role(self) -> None:
        assert isinstance(self.reader(), _DESCRIPTORS[self.role])

    def test_sample_files_are_read_with_the_right_counts(self, contract_inputs: _Inputs) -> None:
        """Through the core, as ``inspect`` and ``reconcile`` read them (several files side
        by side, in worker processes where the core uses them): sniffing must pick this
        reader among the bundled ones, and its records and problems are counted."""
        readers = self.role_readers()
        failures = []
        try:
            together: Any = read_files(readers, [sample.path for sample in contract_inputs.own])
        except Exception as exc:  # read them one by one below to say which and why
            together = exc
        for sample in contract_inputs.own:
            if isinstance(together, Exception):
                try:
                    result = read_files(readers, [sample.path])
                except Exception as exc:
                    failures.append(f"{sample.name}: {self._why(exc, readers, sample)}")
                    continue
                sheets = result.sheets
            else:
                sheets = [s for s in together.sheets if s.path == str(sample.path)]
            used = sorted({s.reader for s in sheets})
            records = sum(s.records for s in sheets)
            problems = [p for s in sheets for p in s.problems]
            if used != [self.reader_name]:
                scores = self._shown_scores(readers, sample)
                failures.append(f"{sample.name}: read by {', '.join(used)}, not {self.reader_name!r} ({scores})")
            elif records != sample.records:
                failures.append(f"{sample.name}: {records} records, expected {sample.records}")
            if sample.problems is not None and len(problems) != sample.problems:
                shown = "; ".join(str(p) for p in problems[:5])
                failures.append(f"{sample.name}: {len(problems)} problems, expected {sample.problems}: {shown}")
        if isinstance(together, Exception) and not failures:
            failures.append(f"each file reads alone, but not together: {type(together).__name__}: {together}")
        assert not failures, _report(failures)

    def _shown_scores(self, readers: Mapping[str, Any], sample: SampleFile) -> str:
        scores = ", ".join(f"{name} {score}" for score, name, _ in reader_scores(readers, sample_file(sample.path)))
        return f"sniff scores: {scores}"

    def _why(self, exc: Exception, readers: Mapping[str, Any], sample: SampleFile) -> str:
        if isinstance(exc, AsnAttestError):
            return f"{exc} ({self._shown_scores(readers, sample)})"
        # the core trusts what readers yield: records with provenance
        return f"the core failed on what the reader gave: {type(exc).__name__}: {exc}"

    def test_records_and_reports_survive_the_trip_between_processes(self, contract_inputs: _Inputs) -> None:
        """The core reads files side by side in forked worker processes and sends back
        what each reader gave (records, sheet reports, problems) with pickle."""
        reader = self.reader()
        failures = []
        for sample in contract_inputs.own:
            records, ctx = checks.read_with(reader, sample.path)
            try:
                back = pickle.loads(pickle.dumps((records, ctx.sheets)))
            except Exception as exc:
                failures.append(f"{sample.name}: what the reader gave cannot be pickled: {type(exc).__name__}: {exc}")
                continue
            if back != (records, ctx.sheets):
                failures.append(f"{sample.name}: records or sheet reports change when pickled and unpickled")
        assert not failures, _report(failures)

    def test_records_are_what_the_schema_makes(self, contract_inputs: _Inputs) -> None:
        reader = self.reader()
        failures = []
        for sample in contract_inputs.own:
            records, _ = checks.read_with(reader, sample.path)
            failures += checks.schema_violations(records, self.role, where=sample.name)
        assert not failures, _report(failures)

    def test_records_carry_their_provenance(self, contract_inputs: _Inputs) -> None:
        """Every record names the file (as the core gave it), the sheet and the row it
        came from, in a sheet the reader reported: problems, duplicates and reports
        point users there."""
        reader = self.reader()
        failures = []
        for sample in contract_inputs.own:
            records, ctx = checks.read_with(reader, sample.path)
            rows = checks.file_rows(sample.path)
            failures += [f"{sample.name}: {v}" for v in checks.provenance_violations(records, ctx, rows)]
        assert not failures, _report(failures)

    def test_sniff_answers_a_score_for_every_file_it_may_be_given(
        self, contract_inputs: _Inputs, contract_broken: dict[str, BrokenFile]
    ) -> None:
        """The core asks every reader about every file of the kinds it lists; a sniffer
        that raises stops the whole run."""
        reader = self.reader()
        paths = [f.path for f in contract_inputs.own + contract_inputs.others]
        paths += [b.path for b in contract_broken.values() if b.kind is not None]
        failures = []
        for path in paths:
            sample = sample_file(path)
            if not self._accepts(reader, sample):
                continue
            try:
                score = reader.sniff(sample)
            except Exception as exc:
                failures.append(f"{path.name}: sniff raised {type(exc).__name__}: {exc}")
                continue
            if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
                failures.append(f"{path.name}: sniff answered {score!r}; expected a number from 0.0 to 1.0")
        assert not failures, _report(failures)

    def test_sniff_does_not_claim_files_of_other_formats(self, contract_inputs: _Inputs) -> None:
        readers = self.role_readers()
        failures = []
        for sample in contract_inputs.others:
            if self.generic and sample.role != self.role:
                continue
            file_sample = sample_file(sample.path)
            if not self._accepts(readers[self.reader_name], file_sample):
                continue
            scores = reader_scores(readers, file_sample)
            mine = next(score for score, name, _ in scores if name == self.reader_name)
            best_other = max((score for score, name, _ in scores if name != self.reader_name), default=0.0)
            if mine > 0 and mine >= best_other:
                outcome = "would read it" if mine > best_other else "would tie for it, and the core would refuse it"
                failures.append(
                    f"{sample.name} (a {sample.role} file for {sample.reader!r}): {self.reader_name!r} answers {mine}, "
                    f"the bundled {self.role} readers at most {best_other}: read as a {self.role}, "
                    f"{self.reader_name!r} {outcome}"
                )
        assert not failures, _report(failures)

    @pytest.mark.parametrize("broken_name", BROKEN_FILE_NAMES)
    def test_broken_or_foreign_file_is_a_data_error_naming_it(
        self, broken_name: str, contract_broken: dict[str, BrokenFile]
    ) -> None:
        """As with ``--reader NAME``: the reader gets the file whatever its kind, and must
        refuse it as the user's data, not crash."""
        broken = contract_broken[broken_name]
        error: BaseException | None = None
        try:
            checks.read_with(self.reader(), broken.path)
        except Exception as exc:
            error = exc
        problem = checks.data_error_violation(error, broken.path)
        assert problem is None, f"{broken.what}: {problem}"

    def test_max_rows_is_honoured(self, contract_inputs: _Inputs) -> None:
        """``context.max_rows`` guards memory: a sheet with more rows is a DataError."""
        reader = self.reader()
        best: tuple[int, SampleFile] | None = None
        for sample in contract_inputs.own:
            records, _ = checks.read_with(reader, sample.path)
            in_sheet: dict[str | None, list[int]] = {}
            for sheet, row in sorted(checks.file_rows(sample.path), key=lambda place: place[1]):
                in_sheet.setdefault(sheet, []).append(row)
            for record in records:
                source = getattr(record, "source", None)
                if not isinstance(source, Provenance) or not isinstance(source.row, int):
                    continue  # test_records_carry_their_provenance says what is wrong
                reached = bisect_right(in_sheet.get(source.sheet, []), source.row)  # rows up to the record's
                if best is None or reached > best[0]:
                    best = (reached, sample)
        assert best is not None and best[0] >= 2, "no record of the sample files is past the first row of its sheet"
        limit, sample = best[0] - 1, best[1]
        error: BaseException | None = None
        try:
            checks.read_with(reader, sample.path, max_rows=limit)
        except Exception as exc:
            error = exc
        assert isinstance(error, DataError), (
            f"{sample.name}: read with context.max_rows={limit} although its records reach row {limit + 1} of a sheet; "
            f"expected a DataError (open_workbook(path, kind, max_rows=context.max_rows) raises it); got {error!r}"
        )
        assert error.location.file == str(sample.path), f"the DataError names {error.location.file!r}, not the file"

    def test_reading_is_repeatable_and_leaves_the_input_alone(self, contract_inputs: _Inputs) -> None:
        """The register keeps a file's SHA-256 and what was read from it: reading must
        not change the file or its folder, and twice must give the same records."""
        reader = self.reader()
        failures = []
        for sample in contract_inputs.own:
            before = checks.snapshot(sample.path.parent)
            first, _ = checks.read_with(reader, sample.path)
            second, _ = checks.read_with(reader, sample.path)
            if checks.snapshot(sample.path.parent) != before:
                failures.append(f"{sample.name}: reading changed or added files in {sample.path.parent}")
            if first != second:
                failures.append(f"{sample.name}: reading twice gave different records")
        assert not failures, _report(failures)


class RosterReaderContract(ReaderContract):
    """The contract of a roster reader (``asn_attest_roster_readers``): records are Employees."""

    role = ROSTER


class AttestationReaderContract(ReaderContract):
    """The contract of an evidence reader (``asn_attest_attestation_readers``): records are Attestations."""

    role = ATTESTATION


class ExemptionReaderContract(ReaderContract):
    """The contract of an exemption reader (``asn_attest_exemption_readers``): records are Exemptions."""

    role = EXEMPTION


# --------------------------------------------------------------------------- exporters


class ExporterContract(PluginContract):
    """What the core relies on from a status exporter.

    A subclass sets ``plugin`` and ``exporter_name``. ``reconciliation()`` gives the
    result the tests export (by default :func:`~asn_attest.testing.samples.sample_reconciliation`,
    whose input values try to become formulas).
    """

    #: The exporter's name, as in its descriptor.
    exporter_name: ClassVar[str]
    #: Whether values read from the inputs (names, units...) appear in the files: then
    #: the test of formulas also checks that the hostile values did reach them.
    echoes_input_text: ClassVar[bool] = True
    #: A glob, relative to the output folder, of the files meant for one unit's head
    #: (e.g. ``"belum-ttd/*.xlsx"``): each must show that unit's staff and nobody else.
    per_unit_files: ClassVar[str | None] = None

    def reconciliation(self) -> Reconciliation:
        return sample_reconciliation()

    def export_options(self, **changes: Any) -> ExportOptions:
        base = ExportOptions(
            as_of=SIGN_DAY,
            generated_at=dt.datetime.combine(SIGN_DAY, dt.time(16, 0)),
            inputs=(("roster.csv", "0" * 64), ("form.csv", "1" * 64)),
        )
        return replace(base, **changes)

    def exporter(self) -> StatusExporter:
        exporters = self.contract_manager().status_exporters()
        if self.exporter_name not in exporters:
            pytest.fail(f"no status exporter named {self.exporter_name!r} (there are: {', '.join(sorted(exporters))})")
        return exporters[self.exporter_name]

    def write(self, result: Reconciliation, out_dir: Path, **options: Any) -> list[Path]:
        """Run the exporter as the core does; the paths it returns."""
        return [Path(p) for p in self.exporter().write(result, Path(out_dir), self.export_options(**options))]

    def test_registers_an_exporter_of_that_name(self) -> None:
        assert isinstance(self.exporter(), StatusExporter)

    def test_writes_the_files_it_returns_and_nothing_else(self, tmp_path: Path) -> None:
        """Into a folder that does not exist yet (the core does not make it), leaving no temporary file."""
        out = tmp_path / "laporan" / "hari-ini"
        written = self.write(self.reconciliation(), out)
        assert written, "the exporter returned no path"
        failures = []
        for path in written:
            if not path.is_file():
                failures.append(f"{path}: returned but not written")
            elif not path.resolve().is_relative_to(out.resolve()):
                failures.append(f"{path}: outside the output folder {out}")
        present = {p.resolve() for p in out.rglob("*") if p.is_file()} if out.exists() else set()
        extra = sorted(present - {p.resolve() for p in written})
        failures += [f"{p}: written but not returned (a temporary file left behind?)" for p in extra]
        assert not failures, _report(failures)

    def test_no_value_becomes_a_formula(self, tmp_path: Path) -> None:
        written = self.write(self.reconciliation(), tmp_path / "out")
        failures, texts = checks.formulas_and_texts(written)
        assert not failures, _report(failures)
        if self.echoes_input_text:
            assert any(h in t for t in texts for h in HOSTILE_TEXTS), (
                "none of the hostile input values reached the xlsx or CSV files, so this test checked nothing; "
                "set echoes_input_text = False if the exporter writes no value read from the inputs"
            )

    def test_files_are_written_atomically(self, tmp_path: Path) -> None:
        """Each file goes to a temporary file renamed over the old one, on the first run
        and when it replaces the previous day's report."""
        out = tmp_path / "out"
        result = self.reconciliation()
        failures = []
        for _ in range(2):
            with checks.WriteRecorder(out) as recorder:
                written = self.write(result, out)
            failures += checks.atomic_violations(recorder, written)
        assert not failures, _report(sorted(set(failures)))

    def test_an_interrupted_write_leaves_no_partial_file(self, tmp_path: Path) -> None:
        """Reading the result fails halfway (as a crash would): the previous files stay
        as they were, new ones are whole, and no temporary file is left."""
        result = self.reconciliation()
        out = tmp_path / "out"
        with checks.interrupting(result, None) as (watched, tripwire):
            self.write(watched, out)
        reads = tripwire.steps
        assert reads >= 2, "the exporter read nothing of the result's roster, evidence or units"
        failures = []
        for folder in (out, tmp_path / "fresh"):
            before = checks.snapshot(folder)
            with checks.WriteRecorder(folder) as recorder, checks.interrupting(result, reads // 2) as (watched, _):
                try:
                    self.write(watched, folder)
                except Exception:
                    checks.collect_abandoned_writers()
                else:
                    failures.append(f"{folder.name}: the export went on although reading the result failed halfway")
            after = checks.snapshot(folder)
            replaced = {str(Path(p).relative_to(folder.resolve())) for p in recorder.renamed_into_place}
            for name, data in before.items():
                if name not in after:
                    failures.append(f"{folder.name}: {name} was removed")
                elif after[name] != data and name not in replaced:
                    failures.append(f"{folder.name}: {name} was changed in place and may be half-written")
            for name in sorted(set(after) - set(before) - replaced):
                failures.append(f"{folder.name}: {name} was left behind, partial or temporary")
        assert not failures, _report(failures)

    def test_writes_in_every_language(self, tmp_path: Path) -> None:
        result = self.reconciliation()
        for lang in LANGUAGES:
            written = self.write(result, tmp_path / lang, lang=lang)
            assert written and all(p.is_file() for p in written), f"--lang {lang}: nothing written"

    def test_per_unit_files_hold_one_units_staff(self, tmp_path: Path) -> None:
        if self.per_unit_files is None:
            pytest.skip("per_unit_files is not set: the exporter writes no file for one unit's head")
        out = tmp_path / "out"
        result = self.reconciliation()
        written = self.write(result, out)
        mine = [p for p in written if p.relative_to(out).match(self.per_unit_files)]
        assert mine, f"no file written matches per_unit_files={self.per_unit_files!r}"
        failures = checks.unit_scope_violations(mine, result)
        assert not failures, _report(failures)
