"""The campaign register: what a campaign has received so far, and who decided what.

Every command that changes a campaign is one *import* (a roster snapshot, new
signature or exemption files, a hand-entered signature or exemption, a review
decision, a withdrawal), stored with who made it, when, and with which version. The
state of a campaign at any import is rebuilt from those rows:

* the roster is the newest roster snapshot (all roster files of one import, read
  together as ``reconcile`` reads them);
* the evidence is every signature file and hand entry not withdrawn, in the order
  they arrived; exemptions likewise (a hand-entered exemption for a person replaces
  the earlier hand-entered one);
* reviewers' decisions (the latest per attestation) win over the matcher.

So ``status`` on a register gives exactly what ``reconcile`` gives on the same files.

Reading and validating a file happens before the write transaction starts, so
importers of different files work in parallel and only queue for the few
milliseconds their rows take to store. A file whose SHA-256 the campaign already
holds is not stored again.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ConfigError, RegisterError
from ..export import sha256_of
from ..matching import Rule, Verdict, match, unit_key
from ..nip import NipStatus, parse_nip
from ..plugins import AsnAttestPluginManager
from ..reading import SIGNERS_LIST, ReadResult, SheetReport, expand_inputs, read_files
from ..reconcile import Reconciliation, counts, reconcile
from ..records import Attestation, Channel, Employee, Exemption, ExemptionReason, Provenance
from ..roster import Roster, assemble_roster
from . import codec
from .store import (
    CAMPAIGN,
    CONFIRM,
    EXEMPT,
    EXEMPTIONS,
    FILE_KINDS,
    REJECT,
    REVIEW,
    ROSTER,
    SIGN,
    SIGNATURES,
    WITHDRAW,
    Campaign,
    DecisionRow,
    FileRow,
    ImportRow,
    NewRecord,
    RecordRow,
    Store,
    Transaction,
)

ACTOR_ENV = "ASN_ATTEST_USER"
CAMPAIGN_ENV = "ASN_ATTEST_CAMPAIGN"


def default_actor() -> str:
    """Who is running the command: ``ASN_ATTEST_USER``, else the login name at this host."""
    configured = os.environ.get(ACTOR_ENV, "").strip()
    if configured:
        return configured
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


@dataclass
class State:
    """A campaign as of one import (or now): the inputs ``reconcile`` takes, rebuilt."""

    campaign: Campaign
    roster: Roster
    evidence: ReadResult[Attestation]
    #: register record id of each attestation in ``evidence.records``
    evidence_ids: list[int]
    exemptions: ReadResult[Exemption]
    verdicts: dict[int, Verdict]
    decisions: list[DecisionRow]
    #: (path, SHA-256) of every file the state is made of, for the reports' footers
    inputs: list[tuple[str, str]]
    upto: int | None = None


@dataclass
class ImportOutcome:
    """What an import added (``import_id`` None when it added nothing)."""

    import_id: int | None
    summary: str
    skipped: list[tuple[str, FileRow]] = field(default_factory=list)
    carried: int = 0


@dataclass
class _ReadFile:
    path: Path
    sha256: str
    size: int
    result: ReadResult[Any]


class Register:
    """The register's operations, over any :class:`Store`."""

    def __init__(
        self,
        store: Store,
        plugins: Callable[[], AsnAttestPluginManager] | None = None,
        *,
        actor: str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """``plugins`` makes the plugin manager, on the first operation that needs
        readers or unit aliases (listing campaigns does not)."""
        self.store = store
        self._plugins = plugins
        self._pm: AsnAttestPluginManager | None = None
        self.actor = actor or default_actor()
        self._clock = clock or (lambda: dt.datetime.now().astimezone().replace(microsecond=0))

    @property
    def pm(self) -> AsnAttestPluginManager:
        if self._pm is None:
            if self._plugins is None:
                raise ConfigError("this register operation needs the plugins (readers, unit aliases)")
            self._pm = self._plugins()
        return self._pm

    def _now(self) -> str:
        return self._clock().isoformat()

    def unit_aliases(self) -> dict[str, str]:
        return {unit_key(alias): a.unit for a in self.pm.unit_aliases() for alias in a.aliases}

    # ------------------------------------------------------------------ campaigns

    def campaigns(self) -> list[Campaign]:
        with self.store.reading() as tx:
            return tx.campaigns()

    def create_campaign(self, name: str, *, pledge_version: str | None = None, due: dt.date | None = None) -> Campaign:
        name = " ".join(name.split())
        if not name:
            raise ConfigError("a campaign needs a name, e.g. \"Pilkada 2024\"")
        with self.store.writing() as tx:
            if any(c.name.casefold() == name.casefold() for c in tx.campaigns()):
                raise RegisterError(f"{self.store.location}: there is already a campaign named {name!r}")
            campaign = tx.add_campaign(name, pledge_version, due.isoformat() if due else None, self._now(), self.actor)
            tx.add_import(campaign.id, CAMPAIGN, self.actor, campaign.created_at, __version__, f"campaign {name!r} created")
            return campaign

    def campaign(self, name: str | None = None) -> Campaign:
        """The campaign named (case-insensitively), or the only one."""
        campaigns = self.campaigns()
        if not campaigns:
            raise RegisterError(
                f"{self.store.location}: the register has no campaign yet; "
                "create one with `asn-attest campaign create NAME`"
            )
        if name is None:
            if len(campaigns) == 1:
                return campaigns[0]
            names = ", ".join(repr(c.name) for c in campaigns)
            raise RegisterError(
                f"{self.store.location}: the register holds {len(campaigns)} campaigns ({names}); "
                f"name one with --campaign or {CAMPAIGN_ENV}"
            )
        for campaign in campaigns:
            if campaign.name.casefold() == " ".join(name.split()).casefold():
                return campaign
        raise RegisterError(
            f"{self.store.location}: no campaign named {name!r} (there are: {', '.join(c.name for c in campaigns)})"
        )

    # -------------------------------------------------------------------- imports

    def _read(
        self,
        kind: str,
        paths: Sequence[str | os.PathLike[str]],
        *,
        overrides: Mapping[str, str] | None,
        signers_list: bool,
        max_rows: int | None,
        on_file: Callable[[Path], None] | None,
    ) -> list[_ReadFile]:
        """Read and validate every file before anything is written; any fatal error stops here."""
        if kind == ROSTER:
            readers, options, aliases = self.pm.roster_readers(), None, self.pm.header_aliases("roster")
        elif kind == SIGNATURES:
            readers, options, aliases = self.pm.attestation_readers(), {SIGNERS_LIST: signers_list}, ()
        else:
            readers, options, aliases = self.pm.exemption_readers(), None, ()
        out: list[_ReadFile] = []
        seen: set[str] = set()
        for path in expand_inputs(paths):
            sha = sha256_of(path)
            if sha in seen:
                continue  # the same file named twice (or a copy of it) is one file
            seen.add(sha)
            result = read_files(
                readers,
                [path],
                overrides=overrides if kind == ROSTER else None,
                header_aliases=aliases,
                max_rows=max_rows,
                options=options,
                on_file=on_file,
            )
            out.append(_ReadFile(path, sha, path.stat().st_size, result))
        return out

    def import_files(
        self,
        campaign: Campaign,
        kind: str,
        paths: Sequence[str | os.PathLike[str]],
        *,
        overrides: Mapping[str, str] | None = None,
        signers_list: bool = False,
        max_rows: int | None = None,
        on_file: Callable[[Path], None] | None = None,
    ) -> ImportOutcome:
        """Import roster, signature or exemption files: all of them, or (on any error) none.

        A roster import is a snapshot: the files given are the whole roster from now
        on. Signature and exemption files add to what the campaign has.
        """
        if kind not in FILE_KINDS:
            raise ConfigError(f"cannot import {kind!r}; choose one of: {', '.join(FILE_KINDS)}")
        read = self._read(kind, paths, overrides=overrides, signers_list=signers_list, max_rows=max_rows, on_file=on_file)
        with self.store.writing() as tx:
            if kind == ROSTER:
                return self._import_roster(tx, campaign, read)
            return self._import_evidence(tx, campaign, kind, read)

    def _store_file(self, tx: Transaction, campaign: Campaign, import_id: int, kind: str, item: _ReadFile) -> int:
        reader = item.result.sheets[0].reader if item.result.sheets else ""
        sheets = json.dumps([s.to_json() for s in item.result.sheets], ensure_ascii=False)
        file_id = tx.add_file(campaign.id, import_id, kind, item.sha256, str(item.path), item.size, reader, sheets)
        tx.add_records(file_id, import_id, (_new_record(r) for r in item.result.records))
        return file_id

    def _import_evidence(self, tx: Transaction, campaign: Campaign, kind: str, read: list[_ReadFile]) -> ImportOutcome:
        skipped = []
        fresh = []
        for item in read:
            known = tx.file_by_sha(campaign.id, kind, item.sha256)
            if known is not None:
                skipped.append((str(item.path), known))
            else:
                fresh.append(item)
        if not fresh:
            return ImportOutcome(None, f"nothing new: {_count(len(skipped), 'file')} already in the register", skipped)
        records = sum(len(item.result.records) for item in fresh)
        noun = "signature" if kind == SIGNATURES else "exemption"
        summary = f"{_count(len(fresh), kind[:-1] + ' file')}, {_count(records, noun)}"
        if skipped:
            summary += f"; {_count(len(skipped), 'file')} already in the register"
        import_id = tx.add_import(campaign.id, kind, self.actor, self._now(), __version__, summary)
        for item in fresh:
            self._store_file(tx, campaign, import_id, kind, item)
        return ImportOutcome(import_id, summary, skipped)

    def _import_roster(self, tx: Transaction, campaign: Campaign, read: list[_ReadFile]) -> ImportOutcome:
        current = tx.latest_snapshot(campaign.id)
        known = [tx.file_by_sha(campaign.id, ROSTER, item.sha256) for item in read]
        if current is not None and all(known) and [f.id for f in known if f] == current[1]:
            return ImportOutcome(
                None, f"nothing new: the current roster is already these {_count(len(read), 'file')}",
                [(str(item.path), f) for item, f in zip(read, known) if f],
            )
        before = self._state(tx, campaign, None) if current is not None else None
        people = sum(len(item.result.records) for item in read)
        summary = f"roster snapshot: {_count(len(read), 'file')}, {_count(people, 'row')}"
        carried: list[tuple[int, str, str]] = []
        if before is not None and before.evidence.records:
            roster = assemble_roster(_merged(item.result for item in read))
            carried = self._carry_over(before, roster.employees)
            if carried:
                summary += f"; {_count(len(carried), 'signature')} kept for people whose unit changed"
        import_id = tx.add_import(campaign.id, ROSTER, self.actor, self._now(), __version__, summary)
        file_ids = []
        for item, existing in zip(read, known):
            file_ids.append(existing.id if existing else self._store_file(tx, campaign, import_id, ROSTER, item))
        tx.add_snapshot(import_id, file_ids)
        for record_id, person, note in carried:
            tx.add_decision(import_id, record_id, CONFIRM, person, note)
        return ImportOutcome(import_id, summary, carried=len(carried))

    def _carry_over(self, before: State, roster: Sequence[Employee]) -> list[tuple[int, str, str]]:
        """(attestation record id, person key, note) for whoever was signed before the
        new ``roster`` and would not be any more, though they are still on it.

        A person who moved to another unit signed on their old unit's sheet; matching
        by NIP finds them anywhere, but evidence matched by name within the old unit
        would be lost. Each such attestation gets a decision tying it to the person
        in the new roster, found by NIP, NIK or a name that is unique there.
        """
        aliases = self.unit_aliases()
        old = match(before.roster.employees, before.evidence.records, unit_aliases=aliases, verdicts=before.verdicts)
        verdicts = self._verdicts(before.decisions, before.evidence_ids, roster)
        new = match(roster, before.evidence.records, unit_aliases=aliases, verdicts=verdicts)
        still = {m.attestation for m in new.signed.values()} | {d.attestation for d in new.duplicates}
        finder = _PersonFinder(roster)
        carried = []
        for person, found in old.signed.items():
            if found.attestation in still or found.rule is Rule.REVIEWED:
                continue
            employee = before.roster.employees[person]
            index = finder.find(_person_key(employee))
            if index is None:
                continue  # no longer on the roster: leaves the counts, keeps the record
            moved = roster[index]
            note = (
                f"carried over at a roster import: matched to {employee.name} ({employee.unit or 'no unit'}) "
                f"by rule {found.rule.value} before; now in {moved.unit or 'no unit'}"
            )
            carried.append((before.evidence_ids[found.attestation], json.dumps(_person_key(moved)), note))
        return carried

    # --------------------------------------------------------------- hand entries

    def _person_by_nip(self, roster: Sequence[Employee], campaign: Campaign, nip: str) -> Employee:
        parsed = parse_nip(nip)
        if parsed.status is not NipStatus.FULL or parsed.nip is None:
            raise ConfigError(f"{nip!r} is not a valid NIP: {parsed.reason}")
        for employee in roster:
            if employee.nip_full == parsed.nip.digits:
                return employee
        raise RegisterError(
            f"NIP {parsed.nip.digits} is not on the current roster of {campaign.name!r}; "
            "import a roster that lists them first"
        )

    def _hand_entry(
        self, campaign: Campaign, nip: str, kind: str, make: Callable[[Employee, str], tuple[Any, str]]
    ) -> ImportOutcome:
        """Store the record ``make(person, time)`` makes for the person with ``nip``, as one import."""
        with self.store.writing() as tx:
            roster = self._roster(tx, campaign, None, codec.Decoder(), [])
            person = self._person_by_nip(roster.employees, campaign, nip)
            at = self._now()
            record, summary = make(person, at)
            import_id = tx.add_import(campaign.id, kind, self.actor, at, __version__, summary)
            tx.add_records(None, import_id, [_new_record(record)])
            return ImportOutcome(import_id, summary)

    def sign(self, campaign: Campaign, nip: str, *, date: dt.date, evidence: str) -> ImportOutcome:
        """A signature entered by hand (a pledge signed on paper outside any sheet)."""
        evidence = " ".join(evidence.split())
        if not evidence:
            raise ConfigError("say where the signature is (--evidence), e.g. 'ikrar kertas, arsip BKPSDM no. 12'")

        def make(person: Employee, at: str) -> tuple[Attestation, str]:
            source = Provenance(f"entered by {self.actor} on {at[:10]}: {evidence}")
            record = Attestation(
                Channel.MANUAL, source, person.nip, person.name, person.name_key, person.unit, None, date,
                {"evidence": evidence},
            )
            return record, f"signature of {person.name} (NIP {person.nip_full}) entered: {evidence}"

        return self._hand_entry(campaign, nip, SIGN, make)

    def exempt(
        self,
        campaign: Campaign,
        nip: str,
        *,
        reason: ExemptionReason,
        since: dt.date | None = None,
        until: dt.date | None = None,
        note: str | None = None,
    ) -> ImportOutcome:
        """An exemption entered by hand; it replaces an earlier hand-entered one for the person."""
        if since and until and until < since:
            raise ConfigError(f"--until {until} is before --since {since}")

        def make(person: Employee, at: str) -> tuple[Exemption, str]:
            source = Provenance(f"entered by {self.actor} on {at[:10]}")
            record = Exemption(reason, source, person.nip, person.name, person.unit, since, until, note)
            span = f" until {until}" if until else ""
            return record, f"exemption of {person.name} (NIP {person.nip_full}): {reason.value}{span}"

        return self._hand_entry(campaign, nip, EXEMPT, make)

    # ------------------------------------------------------------------- decisions

    def decide(
        self,
        campaign: Campaign,
        record_id: int,
        *,
        confirm: bool,
        nip: str | None = None,
        candidate: int | None = None,
        note: str | None = None,
        by: str = "opd",
    ) -> ImportOutcome:
        """Confirm that attestation ``record_id`` is a person, or reject it (no one on the roster).

        The person is named by NIP, or by their number in the review list's candidates;
        an attestation in review with one candidate needs neither.
        """
        with self.store.writing() as tx:
            state = self._state(tx, campaign, None)
            try:
                index = state.evidence_ids.index(record_id)
            except ValueError:
                raise RegisterError(
                    f"#{record_id} is not a signature of campaign {campaign.name!r} (see `asn-attest review`)"
                ) from None
            attestation = state.evidence.records[index]
            at = self._now()
            if confirm:
                person = self._chosen(state, index, nip, candidate, by)
                key = json.dumps(_person_key(person))
                summary = f"#{record_id} ({attestation.source}) confirmed as {person.name} (NIP {person.nip_full or '-'})"
                verdict = CONFIRM
            else:
                key = None
                summary = f"#{record_id} ({attestation.source}) rejected: not anyone on the roster"
                verdict = REJECT
            if note:
                summary += f"; {note}"
            import_id = tx.add_import(campaign.id, REVIEW, self.actor, at, __version__, summary)
            tx.add_decision(import_id, record_id, verdict, key, note)
            return ImportOutcome(import_id, summary)

    def _chosen(self, state: State, index: int, nip: str | None, candidate: int | None, by: str) -> Employee:
        if nip is not None:
            return self._person_by_nip(state.roster.employees, state.campaign, nip)
        result = self.reconcile(state, by=by)
        item = next((r for r in result.matches.review if r.attestation == index), None)
        if item is None:
            raise ConfigError("this signature is not in review; name the person with --nip")
        if candidate is None:
            if len(item.candidates) != 1:
                raise ConfigError(
                    f"{len(item.candidates)} candidates; choose one with --candidate N (1-{len(item.candidates)}) or --nip"
                )
            candidate = 1
        if not 1 <= candidate <= len(item.candidates):
            raise ConfigError(f"--candidate must be 1 to {len(item.candidates)}")
        return state.roster.employees[item.candidates[candidate - 1]]

    def withdraw(self, campaign: Campaign, target: str, *, reason: str) -> ImportOutcome:
        """Take back a signature or exemption file (by path or SHA-256) or a hand entry (#id)."""
        reason = " ".join(reason.split())
        if not reason:
            raise ConfigError("say why (--reason)")
        with self.store.writing() as tx:
            file_id = record_id = None
            if target.lstrip("#").isdigit():
                record_id = int(target.lstrip("#"))
                row = tx.record(record_id)
                if row is None or row.file_id is not None or row.kind == "employee":
                    raise RegisterError(f"#{record_id} is not a hand-entered signature or exemption of this register")
                what = f"hand entry #{record_id}"
            else:
                found = self._file_named(tx, campaign, target)
                file_id, what = found.id, f"{found.kind} file {found.path} ({found.sha256[:12]})"
            done = {(w.file_id, w.record_id) for w in tx.withdrawals(campaign.id)}
            if (file_id, record_id) in done:
                raise RegisterError(f"{what} was already withdrawn")
            summary = f"withdrawn: {what}: {reason}"
            import_id = tx.add_import(campaign.id, WITHDRAW, self.actor, self._now(), __version__, summary)
            tx.add_withdrawal(import_id, file_id, record_id, reason)
            return ImportOutcome(import_id, summary)

    def _file_named(self, tx: Transaction, campaign: Campaign, target: str) -> FileRow:
        candidates = [f for f in tx.files(campaign.id) if f.kind != ROSTER]
        path = Path(target)
        sha = sha256_of(path) if path.is_file() else None
        found = [f for f in candidates if f.sha256 == sha or f.path == target or (len(target) >= 8 and f.sha256.startswith(target))]
        if not found:
            raise RegisterError(
                f"{target}: no signature or exemption file of campaign {campaign.name!r} has this path or SHA-256 "
                "(a roster is replaced by importing a new one, not withdrawn)"
            )
        if len(found) > 1:
            raise RegisterError(f"{target}: names {len(found)} files; give the SHA-256 (see `asn-attest audit`)")
        return found[0]

    # ---------------------------------------------------------------------- state

    def state(self, campaign: Campaign, upto: int | None = None) -> State:
        with self.store.reading() as tx:
            return self._state(tx, campaign, upto)

    def _roster(
        self, tx: Transaction, campaign: Campaign, upto: int | None, decoder: codec.Decoder,
        inputs: list[tuple[str, str]],
    ) -> Roster:
        """The newest roster snapshot, assembled as ``reconcile`` assembles its roster files."""
        roster_read = ReadResult[Employee]([], [], [])
        snapshot = tx.latest_snapshot(campaign.id, upto)
        if snapshot is not None:
            files = {f.id: f for f in tx.files(campaign.id, ROSTER, upto)}
            for file_id in snapshot[1]:
                row = files[file_id]
                inputs.append((row.path, row.sha256))
                _extend(roster_read, row, (decoder.decode(r.kind, r.data) for r in tx.records(file_id, "employee")))
        return assemble_roster(roster_read)

    def _state(self, tx: Transaction, campaign: Campaign, upto: int | None) -> State:
        withdrawn = tx.withdrawals(campaign.id, upto)
        gone_files = {w.file_id for w in withdrawn if w.file_id is not None}
        gone_records = {w.record_id for w in withdrawn if w.record_id is not None}
        inputs: list[tuple[str, str]] = []
        decoder = codec.Decoder()
        roster = self._roster(tx, campaign, upto, decoder, inputs)

        evidence = ReadResult[Attestation]([], [], [])
        evidence_ids: list[int] = []
        exemptions = ReadResult[Exemption]([], [], [])
        for kind, target, record_kind in ((SIGNATURES, evidence, "attestation"), (EXEMPTIONS, exemptions, "exemption")):
            for row in tx.files(campaign.id, kind, upto):
                if row.id in gone_files:
                    continue
                inputs.append((row.path, row.sha256))
                ids = evidence_ids if kind == SIGNATURES else []
                _extend(target, row, (_decoded(decoder, r, ids) for r in tx.records(row.id, record_kind)))
        for row in tx.manual_records(campaign.id, "attestation", upto):
            if row.id not in gone_records:
                evidence.records.append(decoder.decode(row.kind, row.data))
                evidence_ids.append(row.id)
        latest_by_person: dict[str, Exemption] = {}
        for row in tx.manual_records(campaign.id, "exemption", upto):
            if row.id not in gone_records:
                exemption = decoder.decode(row.kind, row.data)
                latest_by_person[exemption.nip.digits or row.id] = exemption
        exemptions.records.extend(latest_by_person.values())

        decisions = tx.decisions(campaign.id, upto)
        verdicts = self._verdicts(decisions, evidence_ids, roster.employees)
        return State(campaign, roster, evidence, evidence_ids, exemptions, verdicts, decisions, inputs, upto)

    def _verdicts(
        self, decisions: list[DecisionRow], evidence_ids: list[int], roster: Sequence[Employee]
    ) -> dict[int, Verdict]:
        if not decisions:
            return {}
        position = {record_id: index for index, record_id in enumerate(evidence_ids)}
        latest: dict[int, DecisionRow] = {}
        for decision in decisions:
            latest[decision.record_id] = decision
        finder = _PersonFinder(roster)
        verdicts: dict[int, Verdict] = {}
        for record_id, decision in latest.items():
            index = position.get(record_id)
            if index is None:
                continue  # the signature was withdrawn
            if decision.verdict == REJECT:
                note = f"rejected in review (decision #{decision.id})" + (f": {decision.note}" if decision.note else "")
                verdicts[index] = Verdict(None, note)
                continue
            person = finder.find(json.loads(decision.person or "{}"))
            if person is None:
                continue  # the person is no longer on the roster: the matcher decides again
            note = f"confirmed (decision #{decision.id})" + (f": {decision.note}" if decision.note else "")
            verdicts[index] = Verdict(person, note)
        return verdicts

    def reconcile(self, state: State, *, by: str = "opd", as_of: dt.date | None = None) -> Reconciliation:
        """Exactly what ``reconcile`` computes on the files the state is made of."""
        return reconcile(
            state.roster.employees,
            state.evidence.records,
            by=by,
            unit_aliases=self.unit_aliases(),
            exemptions=state.exemptions.records,
            as_of=as_of,
            problems=state.roster.problems + state.evidence.problems + state.exemptions.problems,
            verdicts=state.verdicts,
        )

    # -------------------------------------------------------------------- history

    def imports(self, campaign: Campaign) -> list[ImportRow]:
        with self.store.reading() as tx:
            return tx.imports(campaign.id)

    def history(self, campaign: Campaign, *, by: str = "opd") -> list[tuple[ImportRow, dict[str, Any]]]:
        """Counts per unit right after each import, as of that import's date.

        Counts are remembered in the register once computed (they depend only on
        what the register held then, the version and the unit aliases).
        """
        aliases = self.unit_aliases()
        key = f"{by}|{__version__}|{json.dumps(sorted(aliases.items()), ensure_ascii=False)}"
        rows = []
        missing: list[tuple[ImportRow, dict[str, Any]]] = []
        with self.store.reading() as tx:
            for row in tx.imports(campaign.id):
                if row.kind == CAMPAIGN:
                    continue
                cached = tx.cached_coverage(row.id, key)
                if cached is not None:
                    rows.append((row, json.loads(cached)))
                    continue
                state = self._state(tx, campaign, row.id)
                result = self.reconcile(state, by=by, as_of=dt.date.fromisoformat(row.at[:10]))
                counts = _counts(result)
                rows.append((row, counts))
                missing.append((row, counts))
        if missing:
            with self.store.writing() as tx:
                for row, counts in missing:
                    tx.cache_coverage(row.id, key, json.dumps(counts, ensure_ascii=False))
        return rows

    def audit(self, campaign: Campaign) -> list[dict[str, Any]]:
        """Every change to the campaign, oldest first: who, when, what, and the files and decisions it added."""
        with self.store.reading() as tx:
            files: dict[int, list[FileRow]] = {}
            for f in tx.files(campaign.id):
                files.setdefault(f.import_id, []).append(f)
            decisions: dict[int, list[DecisionRow]] = {}
            for d in tx.decisions(campaign.id):
                decisions.setdefault(d.import_id, []).append(d)
            out = []
            for row in tx.imports(campaign.id):
                entry: dict[str, Any] = {
                    "import": row.id, "at": row.at, "actor": row.actor, "kind": row.kind,
                    "version": row.tool_version, "summary": row.summary,
                    "files": [{"path": f.path, "sha256": f.sha256, "size": f.size, "reader": f.reader}
                              for f in files.get(row.id, [])],
                }
                entry["decisions"] = [
                    {"record": d.record_id, "verdict": d.verdict, "note": d.note,
                     "person": json.loads(d.person) if d.person else None}
                    for d in decisions.get(row.id, [])
                ]
                out.append(entry)
            return out


# ------------------------------------------------------------------------ helpers


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _new_record(record: Any) -> NewRecord:
    kind, data = codec.encode(record)
    nip = record.nip.nip.digits if record.nip.status is NipStatus.FULL and record.nip.nip else None
    return NewRecord(
        kind, record.source.sheet, record.source.row, nip, getattr(record, "nik", None),
        getattr(record, "name", None), getattr(record, "unit", None), data,
    )


def _extend(result: ReadResult[Any], row: FileRow, records: Any) -> None:
    """Add a stored file's records, sheet reports and problems, as ``read_files`` made them."""
    result.records.extend(records)
    for data in json.loads(row.sheets):
        report = SheetReport.from_json(data)
        result.sheets.append(report)
        result.problems.extend(report.problems)


def _decoded(decoder: codec.Decoder, row: RecordRow, ids: list[int]) -> Any:
    ids.append(row.id)
    return decoder.decode(row.kind, row.data)


def _merged(results: Any) -> ReadResult[Any]:
    """Several files' read results as one, in order (what ``read_files`` gives for all of
    them), as copies: assembling a roster changes records and sheet reports in place."""
    merged = ReadResult[Any]([], [], [])
    for result in results:
        merged.records.extend(replace(r) for r in result.records)
        merged.sheets.extend(replace(s, problems=list(s.problems)) for s in result.sheets)
        merged.problems.extend(result.problems)
    return merged


def _person_key(employee: Employee) -> dict[str, str | None]:
    return {
        "nip": employee.nip_full,
        "nik": employee.nik,
        "name_key": employee.name_key,
        "unit": unit_key(employee.unit),
    }


class _PersonFinder:
    """A person of a roster from a stored key: NIP, else NIK, else name in unit, else a unique name."""

    def __init__(self, roster: Sequence[Employee]) -> None:
        self.by_nip: dict[str, int] = {}
        self.by_nik: dict[str, int] = {}
        self.by_unit_name: dict[tuple[str, str], list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for index, e in enumerate(roster):
            if e.nip_full:
                self.by_nip.setdefault(e.nip_full, index)
            if e.nik:
                self.by_nik.setdefault(e.nik, index)
            self.by_unit_name.setdefault((unit_key(e.unit), e.name_key), []).append(index)
            self.by_name.setdefault(e.name_key, []).append(index)

    def find(self, key: Mapping[str, Any]) -> int | None:
        if key.get("nip"):
            return self.by_nip.get(key["nip"])
        if key.get("nik") and key["nik"] in self.by_nik:
            return self.by_nik[key["nik"]]
        name = key.get("name_key") or ""
        if not name:
            return None
        same = self.by_unit_name.get((key.get("unit") or "", name), [])
        if len(same) == 1:
            return same[0]
        anywhere = self.by_name.get(name, [])
        return anywhere[0] if len(anywhere) == 1 else None


def _counts(result: Reconciliation) -> dict[str, Any]:
    return {"totals": counts(result.totals), "units": [{"unit": u.unit, **counts(u)} for u in result.units]}
