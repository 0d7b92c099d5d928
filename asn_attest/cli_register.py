"""The register's commands: campaigns, imports, hand entries, review, status, history, audit.

Each command opens the register (``--db``, ``ASN_ATTEST_DB`` or ``./asn-attest.db``),
does one thing and prints what it did. See docs/register.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cli import AppContext, _Progress, json_option, map_option, parse_map, report, report_options, settle
from .errors import ConfigError
from .reading import expand_inputs, max_rows_from_env
from .records import ExemptionReason
from .register import CAMPAIGN_ENV, DB_ENV, DEFAULT_DB, ImportOutcome, Register, open_register
from .register.store import EXEMPTIONS, ROSTER, SIGNATURES
from .tabular.output import atomic_write, csv_field

DATE = click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"])


def register_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--campaign``, for every command that uses the register."""
    command = click.option(
        "--campaign", "campaign_name", envvar=CAMPAIGN_ENV, metavar="NAME",
        help=f"The campaign (default: the only one in the register; env {CAMPAIGN_ENV}).",
    )(command)
    return click.option(
        "--db", "db", envvar=DB_ENV, type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
        help=f"The register file (default: ./{DEFAULT_DB}; env {DB_ENV}).",
    )(command)


def _open(app: AppContext, db: Path | None, *, create: bool = False) -> Register:
    return open_register(db, lambda: app.pm, create=create)


SKIPPED_SHOWN = 10


def _said(outcome: ImportOutcome) -> None:
    if outcome.import_id is None:
        imports = sorted({known.import_id for _, known in outcome.skipped})
        where = f" (import {', '.join(f'#{i}' for i in imports)})" if imports else ""
        click.echo(outcome.summary + where)
        return
    click.echo(f"#{outcome.import_id}: {outcome.summary}")
    for path, known in outcome.skipped[:SKIPPED_SHOWN]:
        same = "" if known.path == path else f", as {known.path}"
        click.echo(f"  already in the register: {path} (import #{known.import_id}{same})")
    if len(outcome.skipped) > SKIPPED_SHOWN:
        click.echo(f"  ... and {len(outcome.skipped) - SKIPPED_SHOWN} more (`asn-attest audit` lists every file)")
    if outcome.carried:
        click.echo(
            f"  {outcome.carried} signature(s) kept for people whose unit changed in this roster "
            "(see `asn-attest audit`)"
        )


# ---------------------------------------------------------------------- campaign


@click.group()
def campaign() -> None:
    """Create and list campaigns (one per election: "Pilkada 2024")."""


@campaign.command("create")
@click.argument("name")
@click.option("--pledge-version", metavar="TEXT", help="Which text of the ikrar staff sign, e.g. 'SKB 2022'.")
@click.option("--due", type=DATE, help="The date everyone should have signed by.")
@click.option("--db", "db", envvar=DB_ENV, type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help=f"The register file, made if missing (default: ./{DEFAULT_DB}; env {DB_ENV}).")
@click.pass_obj
def campaign_create(app: AppContext, name: str, pledge_version: str | None, due: dt.datetime | None,
                    db: Path | None) -> None:
    """Start campaign NAME in the register (made if it does not exist)."""
    register = _open(app, db, create=True)
    created = register.create_campaign(name, pledge_version=pledge_version, due=due.date() if due else None)
    click.echo(f"campaign {created.name!r} created in {register.store.location}")


@campaign.command("list")
@click.option("--db", "db", envvar=DB_ENV, type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help=f"The register file (default: ./{DEFAULT_DB}; env {DB_ENV}).")
@json_option
@click.pass_obj
def campaign_list(app: AppContext, db: Path | None, as_json: bool) -> None:
    """List the register's campaigns."""
    register = _open(app, db)
    campaigns = register.campaigns()
    if as_json:
        payload = {
            "register": register.store.info(),
            "campaigns": [
                {"name": c.name, "pledge_version": c.pledge_version, "due": c.due_date,
                 "created_at": c.created_at, "created_by": c.created_by, "imports": len(register.imports(c)) - 1}
                for c in campaigns
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not campaigns:
        click.echo("no campaigns")
    for c in campaigns:
        due = f", due {c.due_date}" if c.due_date else ""
        pledge = f", pledge {c.pledge_version}" if c.pledge_version else ""
        click.echo(f"{c.name}{pledge}{due} (created {c.created_at[:10]} by {c.created_by})")


# ------------------------------------------------------------------------ import


@click.group("import")
def import_() -> None:
    """Add roster snapshots, signature files or exemption files to a campaign."""


def _import_command(kind: str, help_text: str) -> click.Command:
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
    @register_options
    @click.pass_obj
    def command(app: AppContext, files: tuple[str, ...], db: Path | None, campaign_name: str | None,
                **options: Any) -> None:
        register = _open(app, db)
        chosen = register.campaign(campaign_name)
        paths = expand_inputs(files)
        progress = _Progress(len(paths), enabled=True)
        outcome = register.import_files(
            chosen, kind, paths,
            overrides=parse_map(options.get("mapping", ())),
            signers_list=options.get("signers_list", False),
            max_rows=max_rows_from_env(),
            on_file=progress,
        )
        progress.done()
        _said(outcome)

    command.__doc__ = help_text
    if kind == ROSTER:
        command = map_option(command)
    if kind == SIGNATURES:
        command = click.option("--signers-list", is_flag=True,
                               help="Sign sheets without a signature column list only people who signed.")(command)
    return click.command(kind)(command)


import_.add_command(_import_command(
    ROSTER,
    "A roster snapshot: FILES (or folders) are the whole roster from now on.\n\n"
    "People who moved unit stay signed; people no longer listed leave the counts, not the register.",
))
import_.add_command(_import_command(
    SIGNATURES, "Signature evidence: sign sheets, form exports, e-signature logs (files or folders).",
))
import_.add_command(_import_command(
    EXEMPTIONS, "Exemption lists, and belum-ttd workbooks sent back with Keterangan filled in.",
))


# ------------------------------------------------------------------ hand entries


@click.command()
@click.argument("nip")
@click.option("--date", "date", type=DATE, required=True, help="When they signed.")
@click.option("--evidence", required=True, metavar="TEXT", help="Where the signed pledge is, e.g. 'arsip BKPSDM no. 12'.")
@register_options
@click.pass_obj
def sign(app: AppContext, nip: str, date: dt.datetime, evidence: str, db: Path | None, campaign_name: str | None) -> None:
    """Record by hand that NIP signed (a paper pledge outside any sheet)."""
    register = _open(app, db)
    _said(register.sign(register.campaign(campaign_name), nip, date=date.date(), evidence=evidence))


@click.command()
@click.argument("nip")
@click.option("--reason", required=True, type=click.Choice([r.value for r in ExemptionReason if r is not ExemptionReason.CLAIMS_SIGNED]),
              help="Why they need not sign.")
@click.option("--since", type=DATE, help="From when (default: always).")
@click.option("--until", type=DATE, help="Until when (default: for the whole campaign).")
@click.option("--note", metavar="TEXT", help="Anything else (a letter number).")
@register_options
@click.pass_obj
def exempt(app: AppContext, nip: str, reason: str, since: dt.datetime | None, until: dt.datetime | None,
           note: str | None, db: Path | None, campaign_name: str | None) -> None:
    """Excuse NIP from signing; replaces an earlier hand-entered exemption of theirs."""
    register = _open(app, db)
    _said(register.exempt(
        register.campaign(campaign_name), nip, reason=ExemptionReason(reason),
        since=since.date() if since else None, until=until.date() if until else None, note=note,
    ))


@click.command()
@click.argument("target")
@click.option("--reason", required=True, metavar="TEXT", help="Why it is taken back.")
@register_options
@click.pass_obj
def withdraw(app: AppContext, target: str, reason: str, db: Path | None, campaign_name: str | None) -> None:
    """Take back a signature or exemption file (path or SHA-256) or a hand entry (#ID).

    It stays in the register (and in `audit`) and stops counting.
    """
    register = _open(app, db)
    _said(register.withdraw(register.campaign(campaign_name), target, reason=reason))


# ------------------------------------------------------------------------ review


@click.command()
@click.argument("action", type=click.Choice(["list", "confirm", "reject"]), default="list")
@click.argument("ids", nargs=-1, type=click.IntRange(min=1), metavar="[ID]...")
@click.option("--nip", metavar="NIP", help="confirm: the person it is (when not one of the candidates).")
@click.option("--candidate", type=click.IntRange(min=1), metavar="N", help="confirm: candidate N of the list.")
@click.option("--note", metavar="TEXT", help="Why (kept with the decision).")
@json_option
@register_options
@click.pass_obj
def review(app: AppContext, action: str, ids: tuple[int, ...], nip: str | None, candidate: int | None,
           note: str | None, as_json: bool, db: Path | None, campaign_name: str | None) -> None:
    """List the signatures the matcher could not decide, or confirm or reject them by ID.

    \b
    asn-attest review                       the list, with IDs and candidates
    asn-attest review confirm 41            the only candidate is the one
    asn-attest review confirm 42 --candidate 2
    asn-attest review confirm 43 --nip 198503152010011001
    asn-attest review reject 44 --note "not our staff"

    Decisions are remembered: later runs count them. Any signature can be decided,
    not only those listed.
    """
    register = _open(app, db)
    chosen = register.campaign(campaign_name)
    if action == "list":
        if ids or nip or candidate:
            raise click.UsageError("IDs, --nip and --candidate go with confirm or reject")
        state = register.state(chosen)
        result = register.reconcile(state)
        items = []
        for item in result.matches.review:
            att = state.evidence.records[item.attestation]
            items.append({
                "id": state.evidence_ids[item.attestation],
                "source": str(att.source),
                "nip": att.nip.written or None,
                "name": att.name,
                "reason": item.reason,
                "candidates": [
                    {"nip": state.roster.employees[c].nip_full, "name": state.roster.employees[c].name,
                     "unit": state.roster.employees[c].unit}
                    for c in item.candidates
                ],
            })
        if as_json:
            click.echo(json.dumps({"review": items}, ensure_ascii=False, indent=2))
            return
        if not items:
            click.echo("nothing to review")
        for entry in items:
            signed_as = entry["name"] or "-"
            click.secho(f"#{entry['id']}  {entry['source']}", bold=True)
            click.echo(f"    signed as {signed_as}, NIP {entry['nip'] or '-'}: {entry['reason']}")
            for n, person in enumerate(entry["candidates"], 1):
                click.echo(f"    {n}) {person['name']}  NIP {person['nip'] or '-'}  {person['unit'] or ''}")
        return
    if not ids:
        raise click.UsageError(f"{action}: give the ID(s) from `asn-attest review`")
    if action == "reject" and (nip or candidate):
        raise click.UsageError("reject takes no --nip or --candidate")
    if len(ids) > 1 and (nip or candidate):
        raise click.UsageError("--nip and --candidate go with one ID at a time")
    for record_id in ids:
        _said(register.decide(chosen, record_id, confirm=action == "confirm", nip=nip, candidate=candidate, note=note))


# ------------------------------------------------------------------ status & co.


@click.command()
@report_options
@click.option("--upto", type=click.IntRange(min=1), metavar="IMPORT",
              help="The state right after import #IMPORT (see `asn-attest history`).")
@register_options
@click.pass_obj
def status(app: AppContext, by: str, out_dir: Path | None, formats: tuple[str, ...], lang: str,
           as_of: dt.datetime | None, as_json: bool, quiet: bool, upto: int | None, db: Path | None,
           campaign_name: str | None) -> None:
    """Count who has signed per unit from what the register holds: `reconcile`'s output."""
    register = _open(app, db)
    state = register.state(register.campaign(campaign_name), upto)
    settle()
    result = register.reconcile(state, by=by, as_of=as_of.date() if as_of else None)
    report(app, result, state.inputs, out_dir=out_dir, formats=formats, lang=lang, as_of=as_of,
           as_json=as_json, quiet=quiet)


@click.command()
@click.option("--by", type=click.Choice(["opd", "kecamatan", "sub-unit"]), default="opd", show_default=True)
@click.option("--unit", metavar="NAME", help="Show this unit's counts instead of the totals.")
@json_option
@register_options
@click.pass_obj
def history(app: AppContext, by: str, unit: str | None, as_json: bool, db: Path | None,
            campaign_name: str | None) -> None:
    """Coverage over time: one row per import, with the counts right after it."""
    register = _open(app, db)
    rows = register.history(register.campaign(campaign_name), by=by)
    if as_json:
        payload = [
            {"import": row.id, "at": row.at, "kind": row.kind, "actor": row.actor, "summary": row.summary, **counts}
            for row, counts in rows
        ]
        click.echo(json.dumps({"grouped_by": by, "history": payload}, ensure_ascii=False, indent=2))
        return
    wanted = " ".join(unit.split()).casefold() if unit else None
    click.echo(f"{'#':>4}  {'date':<10}  {'kind':<10}  {'staff':>6} {'signed':>6} {'coverage':>8}  what")
    previous: float | None = None
    for row, counts in rows:
        numbers = counts["totals"]
        if wanted is not None:
            numbers = next((u for u in counts["units"] if u["unit"].casefold() == wanted), None)
            if numbers is None:
                click.echo(f"{row.id:>4}  {row.at[:10]:<10}  {row.kind:<10}  {'-':>6} {'-':>6} {'-':>8}  {row.summary}")
                continue
        coverage = numbers["coverage"]
        shown = "-" if coverage is None else f"{coverage:.1%}"
        change = "" if coverage is None or previous is None or coverage == previous else f" ({coverage - previous:+.1%})"
        click.echo(f"{row.id:>4}  {row.at[:10]:<10}  {row.kind:<10}  {numbers['staff']:>6} {numbers['signed']:>6} "
                   f"{shown:>8}  {row.summary}{change}")
        previous = coverage if coverage is not None else previous


@click.command()
@click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the audit trail to this CSV file.")
@json_option
@register_options
@click.pass_obj
def audit(app: AppContext, out_file: Path | None, as_json: bool, db: Path | None, campaign_name: str | None) -> None:
    """Who changed what, when: every import, hand entry, decision and withdrawal."""
    register = _open(app, db)
    entries = register.audit(register.campaign(campaign_name))
    if as_json:
        click.echo(json.dumps({"audit": entries}, ensure_ascii=False, indent=2))
    elif out_file is None:
        for e in entries:
            click.echo(f"#{e['import']:<4} {e['at']}  {e['actor']:<20} {e['kind']:<10} {e['summary']}")
            for f in e["files"]:
                click.echo(f"      {f['path']}  sha256 {f['sha256']}")
    if out_file is not None:
        if out_file.suffix.lower() != ".csv":
            raise ConfigError(f"{out_file}: the audit trail is written as CSV; name the file .csv")
        with atomic_write(out_file, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["import", "at", "actor", "kind", "version", "summary", "file", "sha256", "decisions"])
            for e in entries:
                decisions = json.dumps(e["decisions"], ensure_ascii=False) if e["decisions"] else ""
                for f in e["files"] or [{"path": "", "sha256": ""}]:
                    writer.writerow([csv_field(str(v)) for v in
                                     (e["import"], e["at"], e["actor"], e["kind"], e["version"], e["summary"],
                                      f["path"], f["sha256"], decisions)])
        if not as_json:
            click.echo(f"wrote {len(entries)} change(s) to {out_file}")


REGISTER_COMMANDS = [campaign, import_, sign, exempt, withdraw, review, status, history, audit]
