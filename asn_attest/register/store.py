"""The storage interface of the campaign register, and the rows it stores.

The register's logic (:mod:`asn_attest.register.service`) talks to storage only
through :class:`Store` and the :class:`Transaction` it hands out, so a server
database can take SQLite's place for provinces that share one register (see
docs/register.md). The contract every store keeps:

* Nothing is updated or deleted. Every change is a new row tied to an ``import`` row
  (who, when, what); a correction supersedes, the register keeps both.
* ``writing()`` is one transaction that excludes other writers from its start
  (SQLite ``BEGIN IMMEDIATE``; a server store would take a lock per campaign). It
  commits when the block ends and rolls back, leaving nothing, when it raises or the
  process dies.
* ``reading()`` sees one consistent state, whatever writers do meanwhile.
* Ids grow with time: a row's id orders it after every row written before it, and
  an ``upto`` import id selects the state as it was right after that import.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

#: what an import can be; ``history`` has one row for each import
ROSTER, SIGNATURES, EXEMPTIONS = "roster", "signatures", "exemptions"
SIGN, EXEMPT, REVIEW, WITHDRAW, CAMPAIGN = "sign", "exempt", "review", "withdraw", "campaign"
FILE_KINDS = (ROSTER, SIGNATURES, EXEMPTIONS)
CONFIRM, REJECT = "confirm", "reject"


@dataclass(frozen=True)
class Campaign:
    id: int
    name: str
    pledge_version: str | None
    due_date: str | None
    created_at: str
    created_by: str


@dataclass(frozen=True)
class ImportRow:
    """One change to a campaign: who made it, when, with which version, and what it added."""

    id: int
    campaign_id: int
    kind: str
    actor: str
    at: str
    tool_version: str
    summary: str


@dataclass(frozen=True)
class FileRow:
    """An input file as imported: its SHA-256 is its identity within a campaign and kind."""

    id: int
    campaign_id: int
    import_id: int
    kind: str
    sha256: str
    path: str
    size: int
    reader: str
    #: the SheetReports of the read, as JSON (``SheetReport.to_json``), problems included
    sheets: str


@dataclass(frozen=True)
class RecordRow:
    """One record (codec JSON in ``data``); ``file_id`` None for one entered by hand."""

    id: int
    file_id: int | None
    import_id: int
    kind: str
    data: str


@dataclass(frozen=True)
class NewRecord:
    """A record to store: the columns kept for look-ups, and the codec JSON."""

    kind: str
    sheet: str | None
    row: int | None
    nip: str | None
    nik: str | None
    name: str | None
    unit: str | None
    data: str


@dataclass(frozen=True)
class DecisionRow:
    """A reviewer's verdict on attestation ``record_id``; the latest per record counts."""

    id: int
    import_id: int
    record_id: int
    verdict: str
    #: JSON ``{"nip", "nik", "name_key", "unit"}`` of the person, for ``confirm``
    person: str | None
    note: str | None


@dataclass(frozen=True)
class WithdrawalRow:
    """A file or a record taken back: it stays in the register and stops counting."""

    id: int
    import_id: int
    file_id: int | None
    record_id: int | None
    reason: str


class Transaction(ABC):
    """Reads (and, from ``Store.writing``, writes) inside one transaction."""

    # -- reads

    @abstractmethod
    def campaigns(self) -> list[Campaign]: ...

    @abstractmethod
    def imports(self, campaign_id: int, upto: int | None = None) -> list[ImportRow]: ...

    @abstractmethod
    def files(self, campaign_id: int, kind: str | None = None, upto: int | None = None) -> list[FileRow]:
        """Files of a campaign in import order (ids ascending)."""

    @abstractmethod
    def file_by_sha(self, campaign_id: int, kind: str, sha256: str) -> FileRow | None: ...

    @abstractmethod
    def latest_snapshot(self, campaign_id: int, upto: int | None = None) -> tuple[int, list[int]] | None:
        """(import id, roster file ids in reading order) of the newest roster snapshot."""

    @abstractmethod
    def records(self, file_id: int, kind: str) -> Iterator[RecordRow]:
        """A file's records of a kind, in the order they were read."""

    @abstractmethod
    def manual_records(self, campaign_id: int, kind: str, upto: int | None = None) -> list[RecordRow]: ...

    @abstractmethod
    def record(self, record_id: int) -> RecordRow | None: ...

    @abstractmethod
    def decisions(self, campaign_id: int, upto: int | None = None) -> list[DecisionRow]:
        """Every decision on the campaign's attestations, oldest first."""

    @abstractmethod
    def withdrawals(self, campaign_id: int, upto: int | None = None) -> list[WithdrawalRow]: ...

    @abstractmethod
    def cached_coverage(self, import_id: int, grouping: str) -> str | None:
        """The per-unit counts after an import, as stored by :meth:`cache_coverage`."""

    # -- writes (only in a transaction from ``Store.writing``)

    @abstractmethod
    def add_campaign(
        self, name: str, pledge_version: str | None, due_date: str | None, at: str, actor: str
    ) -> Campaign: ...

    @abstractmethod
    def add_import(self, campaign_id: int, kind: str, actor: str, at: str, tool_version: str, summary: str) -> int: ...

    @abstractmethod
    def add_file(
        self, campaign_id: int, import_id: int, kind: str, sha256: str, path: str, size: int, reader: str, sheets: str
    ) -> int: ...

    @abstractmethod
    def add_records(self, file_id: int | None, import_id: int, records: Iterable[NewRecord]) -> list[int]:
        """Store records in order; their ids, ascending."""

    @abstractmethod
    def add_snapshot(self, import_id: int, file_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def add_decision(self, import_id: int, record_id: int, verdict: str, person: str | None, note: str | None) -> int: ...

    @abstractmethod
    def add_withdrawal(self, import_id: int, file_id: int | None, record_id: int | None, reason: str) -> int: ...

    @abstractmethod
    def cache_coverage(self, import_id: int, grouping: str, counts: str) -> None:
        """Remember derived counts (may be dropped at any time; written outside any import)."""


class Store(ABC):
    """A register's storage: consistent reads, exclusive atomic writes."""

    location: str

    @abstractmethod
    def reading(self) -> AbstractContextManager[Transaction]: ...

    @abstractmethod
    def writing(self) -> AbstractContextManager[Transaction]: ...

    @abstractmethod
    def close(self) -> None: ...

    def info(self) -> dict[str, Any]:
        """What ``asn-attest campaign list --json`` shows about the store."""
        return {"location": self.location}
