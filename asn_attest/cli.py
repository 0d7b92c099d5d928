"""The ``asn-attest`` command: parses options, calls the core, prints. Nothing else.

The plugin manager is built lazily through the Click context, on the first command
that needs it, so ``--help`` and ``--version`` work whatever plugins are installed.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from . import HOOK_API_VERSION, __version__
from .errors import AsnAttestError
from .plugins import FAILED, AsnAttestPluginManager, make_plugin_manager
from .export import LANGUAGES, ExportOptions, choose_exporters, run_exporters, sha256_of
from .matching import unit_key
from .reading import SIGNERS_LIST, WARNING, ReadJob, expand_inputs, max_rows_from_env, read_jobs
from .reconcile import GROUPINGS, Reconciliation
from .reconcile import reconcile as run_reconcile
from .reconcile import to_json as reconcile_json
from .roster import Roster, assemble_roster, load_roster, roster_job
from .scaffold import KINDS, create_plugin
from .tabular.workbook import max_unzipped_bytes


DEBUG_ENV = "ASN_ATTEST_DEBUG"
PROBLEMS_SHOWN = 10


@dataclass
class AppContext:
    """What every command shares: the plugin manager, made on first use."""

    factory: Callable[[], AsnAttestPluginManager] = make_plugin_manager
    _pm: AsnAttestPluginManager | None = field(default=None, repr=False)
    warn_failed_plugins: bool = True

    @property
    def pm(self) -> AsnAttestPluginManager:
        if self._pm is None:
            self._pm = self.factory()
            if self.warn_failed_plugins:
                for info in self._pm.failed:
                    click.echo(
                        f"warning: plugin {info.name!r} from {info.distribution} {info.version} "
                        f"was not loaded: {info.error}",
                        err=True,
                    )
        return self._pm


class UserError(click.ClickException):
    """An :class:`AsnAttestError` on its way to the terminal, with its exit code."""

    def __init__(self, error: AsnAttestError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class AsnAttestGroup(click.Group):
    """Turns the tool's errors into one line and an exit code, and bugs into a short notice."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AsnAttestError as exc:
            raise UserError(exc) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            traceback_hint = f"set {DEBUG_ENV}=1 to see the traceback"
            click.echo(f"internal error: {type(exc).__name__}: {exc} ({traceback_hint})", err=True)
            ctx.exit(1)


def _read_limits() -> int:
    """The row limit, with the size limit checked too: a bad ``ASN_ATTEST_MAX_ROWS`` or
    ``ASN_ATTEST_MAX_UNZIPPED_MB`` stops a command before any file is read."""
    max_rows = max_rows_from_env()
    max_unzipped_bytes()
    return max_rows


def parse_map(values: tuple[str, ...]) -> dict[str, str]:
    """``--map FIELD=HEADER`` options as a dict; the header may contain '=' but not be empty."""
    mapping: dict[str, str] = {}
    for value in values:
        fieldname, sep, header = value.partition("=")
        fieldname, header = fieldname.strip(), header.strip()
        if not sep or not fieldname or not header:
            raise click.BadParameter(f"{value!r}: expected FIELD=HEADER, e.g. unit='Satuan Kerja'", param_hint="--map")
        if fieldname in mapping:
            raise click.BadParameter(f"field {fieldname!r} is mapped twice", param_hint="--map")
        mapping[fieldname] = header
    return mapping


map_option = click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Read FIELD from the column headed HEADER, when the guess is wrong (repeatable). "
    "Fields: nip, name, unit, sub_unit, kecamatan, jabatan, golongan, employment_type, gender, birth_date, ...",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")


def report_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the commands that count and report: ``reconcile`` and ``status``."""
    options = [
        click.option("--by", type=click.Choice(sorted(GROUPINGS)), default="opd", show_default=True,
                     help="Count per OPD, per kecamatan (where staff work) or per sub-unit."),
        click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Write the reports here: ringkasan.xlsx, belum-ttd/<unit>.xlsx, masalah.xlsx, status-ikrar.csv."),
        click.option("--format", "formats", multiple=True, metavar="NAME",
                     help="Run only these exporters (repeatable; see `asn-attest plugins`). Default: the default ones."),
        click.option("--lang", type=click.Choice(LANGUAGES), default="id", show_default=True,
                     help="Language of the spreadsheets' labels."),
        click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
                     help="The date the reports say they are as of (default: today)."),
        json_option,
        click.option("-q", "--quiet", is_flag=True, help="Only the table (or the JSON); no summary line."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(cls=AsnAttestGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="asn-attest", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Who has signed the ikrar netralitas, per OPD and per kecamatan.

    Reads the roster exports of your HR system and the signature evidence you
    collected, and tells each unit who has not signed yet.
    """
    ctx.ensure_object(AppContext)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@map_option
@click.option("--reader", metavar="NAME", help="Use this roster reader instead of letting readers sniff the file.")
@click.option("-v", "--verbose", is_flag=True, help=f"Show every problem (default: the first {PROBLEMS_SHOWN} per sheet).")
@json_option
@click.pass_obj
def inspect(
    app: AppContext, files: tuple[str, ...], mapping: tuple[str, ...], reader: str | None, verbose: bool, as_json: bool
) -> None:
    """Show what would be read from roster FILES (or folders): columns, people, problems."""
    overrides = parse_map(mapping)
    max_rows = _read_limits()
    roster = load_roster(app.pm, files, overrides=overrides, reader=reader, max_rows=max_rows)
    if as_json:
        click.echo(json.dumps(_inspect_json(roster), ensure_ascii=False, indent=2))
    else:
        _print_inspect(roster, None if verbose else PROBLEMS_SHOWN)


def _inspect_json(roster: Roster) -> dict[str, Any]:
    return {
        "files": [s.to_json() for s in roster.sheets],
        "records": len(roster.employees),
        "read": sum(s.records for s in roster.sheets),
        "duplicates": len(roster.duplicates),
        "problems": len(roster.problems),
    }


def _print_inspect(roster: Roster, limit: int | None) -> None:
    for sheet in roster.sheets:
        where = f"sheet '{sheet.sheet}', " if sheet.sheet is not None else ""
        header = f"header at row {sheet.header_row}" if sheet.header_row else "no header"
        click.secho(f"{sheet.path}", bold=True, nl=False)
        click.echo(f"  [{sheet.reader}] {where}{header}")
        if sheet.columns:
            width = max(len(f) for f in sheet.columns)
            for fieldname, text in sheet.columns.items():
                click.echo(f"    {fieldname:<{width}}  <- {text}")
        if sheet.ignored:
            click.echo(f"    ignored: {', '.join(sheet.ignored)}")
        for note in sheet.notes:
            click.echo(f"    note: {note}")
        click.echo(f"    people: {sheet.records}")
        ordered = sorted(sheet.problems, key=lambda p: (p.severity == WARNING, p.source.row or 0))
        for problem in ordered[:limit]:
            row = f"row {problem.source.row}" if problem.source.row is not None else "file"
            column = f", column '{problem.column}'" if problem.column else ""
            label = "warning" if problem.severity == WARNING else "problem"
            click.echo(f"    {label}: {row}{column}: {problem.message}")
        if limit is not None and len(ordered) > limit:
            click.echo(f"    ... and {len(ordered) - limit} more (--verbose or --json shows all)")
    errors = sum(1 for p in roster.problems if p.severity != WARNING)
    warnings = len(roster.problems) - errors
    files = len({s.path for s in roster.sheets})
    click.echo(
        f"\n{len(roster.employees)} people on the roster from {len(roster.sheets)} sheet(s) in {files} file(s); "
        f"{len(roster.duplicates)} duplicate row(s); {errors} problem(s), {warnings} warning(s)"
    )


@cli.group(invoke_without_command=True)
@json_option
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List installed plugins: distribution, version, status and what each provides.

    `asn-attest plugins new NAME` makes a new plugin package.
    """
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.ensure_object(AppContext)
    app.warn_failed_plugins = False
    pm = app.pm
    conflicts = pm.conflicts()
    if as_json:
        payload = {
            "hook_api_version": HOOK_API_VERSION,
            "plugins": [i.to_json() for i in pm.infos],
            "conflicts": conflicts,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not pm.infos:
        click.echo("no plugins installed")
    for info in pm.infos:
        head = f"{info.name}  ({info.distribution} {info.version})".rstrip()
        click.echo(f"{head}: {info.status}")
        if info.status == FAILED:
            click.echo(f"    error: {info.error}")
        elif info.hook_api_warning:  # a failed plugin's error already ends with it
            click.echo(f"    warning: {info.hook_api_warning}")
        data = info.to_json()
        for key in ("roster_readers", "attestation_readers", "exemption_readers", "exporters", "header_aliases",
                    "unit_aliases"):
            if data[key]:
                click.echo(f"    {key.replace('_', ' ')}: {', '.join(data[key])}")
    for message in conflicts:
        click.echo(f"conflict: {message}", err=True)


@plugins.command("new", short_help="Make a new plugin package, ready to install and test.")
@click.argument("name")
@click.option("--dir", "parent", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
              show_default=True, help="Make the package's folder (asn-attest-NAME) in this folder.")
@click.option("--kind", type=click.Choice(KINDS), default="roster", show_default=True,
              help="What the plugin provides: a reader of rosters, attestations or exemptions, or a status exporter.")
def plugins_new(name: str, parent: Path, kind: str) -> None:
    """Make a plugin package NAME ready to install: an entry point, one hook and a passing conformance test.

    The folder asn-attest-NAME must not exist yet. Then: cd into it, `pip install -e '.[test]'`, `pytest`.
    """
    folder = create_plugin(name, parent, kind=kind)
    click.echo(f"created {folder}")
    click.echo(f"next: cd {folder} && pip install -e '.[test]' && pytest")


@cli.command()
@click.option("--roster", "rosters", multiple=True, required=True, metavar="PATH",
              help="Roster export, or a folder of them (repeatable).")
@click.option("--signatures", multiple=True, required=True, metavar="PATH",
              help="Signature evidence: sign sheets, form exports, e-signature logs, or folders (repeatable).")
@click.option("--exemptions", multiple=True, metavar="PATH",
              help="Exemption lists, or belum-ttd workbooks sent back with Keterangan filled in (repeatable).")
@map_option
@click.option("--signers-list", is_flag=True,
              help="Sign sheets without a signature column list only people who signed.")
@report_options
@click.pass_obj
def reconcile(
    app: AppContext,
    rosters: tuple[str, ...],
    signatures: tuple[str, ...],
    exemptions: tuple[str, ...],
    by: str,
    mapping: tuple[str, ...],
    signers_list: bool,
    out_dir: Path | None,
    formats: tuple[str, ...],
    lang: str,
    as_of: dt.datetime | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Count who has signed per unit, from roster exports and signature evidence."""
    overrides = parse_map(mapping)
    max_rows = _read_limits()
    roster_files, signature_files, exemption_files = (expand_inputs(p) for p in (rosters, signatures, exemptions))
    inputs = [*roster_files, *signature_files, *exemption_files]
    progress = _Progress(len(inputs), enabled=not quiet)
    jobs = [
        roster_job(app.pm, roster_files, overrides=overrides, max_rows=max_rows),
        ReadJob(app.pm.attestation_readers(), signature_files, max_rows=max_rows, options={SIGNERS_LIST: signers_list}),
        ReadJob(app.pm.exemption_readers(), exemption_files, max_rows=max_rows),
    ]
    roster_read, evidence, excused = read_jobs(jobs, on_file=progress)
    progress.done()
    roster = assemble_roster(roster_read)
    settle()
    aliases = {unit_key(alias): a.unit for a in app.pm.unit_aliases() for alias in a.aliases}
    problems = roster.problems + evidence.problems + excused.problems
    result = run_reconcile(
        roster.employees,
        evidence.records,
        by=by,
        unit_aliases=aliases,
        exemptions=excused.records,
        as_of=as_of.date() if as_of else None,
        problems=problems,
    )
    report(
        app, result, [(str(p), sha256_of(p)) for p in inputs] if out_dir is not None else [],
        out_dir=out_dir, formats=formats, lang=lang, as_of=as_of, as_json=as_json, quiet=quiet,
    )


def report(
    app: AppContext,
    result: Reconciliation,
    inputs: list[tuple[str, str]],
    *,
    out_dir: Path | None,
    formats: tuple[str, ...],
    lang: str,
    as_of: dt.datetime | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Write the reports (with ``-o``) and print the table or the JSON: what
    ``reconcile`` and ``status`` show. ``inputs`` are (path, SHA-256) for the footers."""
    written: list[Path] = []
    if out_dir is not None:
        exporters = choose_exporters(app.pm.status_exporters(), formats)
        options = ExportOptions(
            lang=lang,
            inputs=tuple(inputs),
            warn=lambda message: click.echo(f"warning: {message}", err=True),
            **({"as_of": as_of.date()} if as_of else {}),
        )
        written = run_exporters(exporters, result, out_dir, options)
    if as_json:
        click.echo(json.dumps(reconcile_json(result), ensure_ascii=False, indent=2))
        return
    _print_reconciliation(result, len(result.problems), quiet)
    if written and not quiet:
        click.echo(f"wrote {len(written)} file(s) to {out_dir}")


class _Progress:
    """"reading 3/41: file.xlsx" on stderr, rewritten in place; only on a terminal."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.count = 0
        self.enabled = enabled and sys.stderr.isatty()
        self.width = 0

    def __call__(self, path: Path) -> None:
        self.count += 1
        if self.enabled:
            line = f"reading {self.count}/{self.total}: {path.name}"[:100]
            click.echo("\r" + line.ljust(self.width), nl=False, err=True)
            self.width = len(line)

    def done(self) -> None:
        if self.enabled and self.width:
            click.echo("\r" + " " * self.width + "\r", nl=False, err=True)


def _print_reconciliation(result: Reconciliation, problems: int, quiet: bool) -> None:
    rows = [*result.units, result.totals]
    width = max(len(u.unit) for u in rows)
    click.echo(f"{result.grouped_by.upper():<{width}}  {'staff':>6} {'signed':>6} {'exempt':>6} {'unsigned':>8} {'coverage':>8}")
    for status in rows:
        coverage = "-" if status.coverage is None else f"{status.coverage:.1%}"
        line = f"{status.unit:<{width}}  {status.staff:>6} {status.signed:>6} {status.exempt:>6} {status.unsigned:>8} {coverage:>8}"
        click.secho(line, bold=status is rows[-1])
    if not quiet:
        m = result.matches
        click.echo(
            f"\n{len(m.unmatched)} signature(s) from no one on the roster, {len(m.review)} to review (not counted), "
            f"{len(m.duplicates)} duplicate signature(s), {len(result.claims)} claim(s) of having signed to confirm, "
            f"{problems} problem(s) in the inputs; --json lists them all"
        )


#: allocations between young-generation collections: the default (700) makes a run
#: that builds half a million records spend a third of its time in the collector
GC_THRESHOLD = (20_000, 10, 10)


def settle() -> None:
    """Tell the collector that what exists now (the records just read) lives to the end.

    Frozen objects are not scanned again, so matching and writing do not pay, at every
    collection, for walking the hundreds of thousands of records they work on.
    """
    gc.freeze()


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*GC_THRESHOLD)
    cli.main(prog_name="asn-attest")


from .cli_register import REGISTER_COMMANDS  # noqa: E402  (it uses the helpers above)

for _command in REGISTER_COMMANDS:
    cli.add_command(_command)
