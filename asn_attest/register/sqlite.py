"""The embedded register: one SQLite file, safe for several processes at once.

* WAL journal: readers never wait for the writer, and a process killed in the
  middle of a write leaves the file as it was before that write began.
* Every write is ``BEGIN IMMEDIATE``: the writer takes the write lock before it
  reads what it is about to decide on (is this file already here?), so two
  importers of one file cannot both add it. Others wait up to ``busy_timeout``.
* The schema has a version (``meta.schema_version``). Opening a register written by
  an older version upgrades it in place, in one transaction, through the steps in
  :data:`MIGRATIONS`; a register written by a newer version is refused.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..errors import RegisterError
from .store import (
    Campaign,
    DecisionRow,
    FileRow,
    ImportRow,
    NewRecord,
    RecordRow,
    Store,
    Transaction,
    WithdrawalRow,
)

BUSY_TIMEOUT_ENV = "ASN_ATTEST_DB_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 300.0  # seconds: a roster import of a province can hold the lock for a while

#: schema steps; step i (0-based) turns schema version i into i+1. Append only: a
#: register of any earlier version is upgraded by running the steps it has not had.
MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE campaign (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        pledge_version TEXT,
        due_date TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE TABLE import (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        summary TEXT NOT NULL
    );
    CREATE TABLE file (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
        import_id INTEGER NOT NULL REFERENCES import(id),
        kind TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        reader TEXT NOT NULL,
        sheets TEXT NOT NULL,
        UNIQUE (campaign_id, kind, sha256)
    );
    CREATE TABLE record (
        id INTEGER PRIMARY KEY,
        file_id INTEGER REFERENCES file(id),
        import_id INTEGER NOT NULL REFERENCES import(id),
        kind TEXT NOT NULL,
        sheet TEXT,
        row INTEGER,
        nip TEXT,
        nik TEXT,
        name TEXT,
        unit TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX record_by_file ON record(file_id, kind);
    CREATE INDEX record_by_import ON record(import_id);
    CREATE TABLE snapshot (
        import_id INTEGER NOT NULL REFERENCES import(id),
        position INTEGER NOT NULL,
        file_id INTEGER NOT NULL REFERENCES file(id),
        PRIMARY KEY (import_id, position)
    );
    CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES import(id),
        record_id INTEGER NOT NULL REFERENCES record(id),
        verdict TEXT NOT NULL CHECK (verdict IN ('confirm', 'reject')),
        person TEXT,
        note TEXT
    );
    CREATE TABLE withdrawal (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES import(id),
        file_id INTEGER REFERENCES file(id),
        record_id INTEGER REFERENCES record(id),
        reason TEXT NOT NULL,
        CHECK ((file_id IS NULL) <> (record_id IS NULL))
    );
    """,
    # 2: per-unit counts after each import, kept so that `history` does not replay the
    # whole campaign each time; derived data, safe to drop. Look-ups by NIP and NIK.
    """
    CREATE TABLE coverage_cache (
        import_id INTEGER NOT NULL REFERENCES import(id),
        grouping TEXT NOT NULL,
        counts TEXT NOT NULL,
        PRIMARY KEY (import_id, grouping)
    );
    CREATE INDEX record_by_nip ON record(nip) WHERE nip IS NOT NULL;
    CREATE INDEX record_by_nik ON record(nik) WHERE nik IS NOT NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def busy_timeout_from_env(environ: dict[str, str] | None = None) -> float:
    raw = (os.environ if environ is None else environ).get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise RegisterError(f"{BUSY_TIMEOUT_ENV}={raw!r} is not a number of seconds") from None
    if value <= 0:
        raise RegisterError(f"{BUSY_TIMEOUT_ENV} must be positive, got {raw}")
    return value


class SQLiteStore(Store):
    """A register in one SQLite file. ``create`` makes the file when it does not exist."""

    def __init__(
        self, path: str | os.PathLike[str], *, create: bool = False, timeout: float | None = None,
        schema_version: int = SCHEMA_VERSION,
    ) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        if not self.path.exists() and not create:
            raise RegisterError(
                f"{self.path}: no register here; create one with `asn-attest campaign create NAME` "
                "(or point --db / ASN_ATTEST_DB at an existing one)"
            )
        if self.path.is_dir():
            raise RegisterError(f"{self.path}: is a folder, expected a register file")
        self.timeout = busy_timeout_from_env() if timeout is None else timeout
        try:
            self._conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise RegisterError(f"{self.path}: cannot open the register: {exc}") from None
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._upgrade(schema_version)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise self._error(exc) from None
        except BaseException:
            self._conn.close()
            raise

    def _error(self, exc: sqlite3.Error) -> RegisterError:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return RegisterError(f"{self.path}: not an asn-attest register (or a damaged one): {text}")
        if "locked" in text or "busy" in text:
            return RegisterError(
                f"{self.path}: another asn-attest kept the register busy for over {self.timeout:g} s; "
                f"try again, or wait longer with {BUSY_TIMEOUT_ENV}=SECONDS"
            )
        if "readonly" in text or "read-only" in text:
            return RegisterError(f"{self.path}: the register is read-only here: {text}")
        return RegisterError(f"{self.path}: register error: {text}")

    def _version(self) -> int:
        has_meta = self._conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            others = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if others:
                raise RegisterError(f"{self.path}: an SQLite database, but not an asn-attest register")
            return 0
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _upgrade(self, target: int) -> None:
        if self._version() == target:
            return
        # WAL is a property of the file: set once, before the first write transaction.
        if self._conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            version = self._version()  # again, under the lock: another process may have upgraded it
            if version > SCHEMA_VERSION:
                raise RegisterError(
                    f"{self.path}: written by a newer asn-attest (register schema {version}, this version "
                    f"knows up to {SCHEMA_VERSION}); upgrade asn-attest to use it"
                )
            for step in range(version, target):
                for statement in _statements(MIGRATIONS[step]):
                    self._conn.execute(statement)
            if version < target:
                self._conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(target),),
                )
                self._conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)", (f"upgraded_to_{target}_by", __version__)
                )
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return self._version()

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        with self._transaction("BEGIN") as tx:
            yield tx

    @contextmanager
    def writing(self) -> Iterator[Transaction]:
        with self._transaction("BEGIN IMMEDIATE") as tx:
            yield tx

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Transaction]:
        try:
            self._conn.execute(begin)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield _SQLiteTransaction(self._conn)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK")
            raise self._error(exc) from None

    def integrity(self) -> str:
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def info(self) -> dict[str, object]:
        return {"location": self.location, "schema_version": self._version()}


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _upto(column: str, upto: int | None) -> tuple[str, tuple[int, ...]]:
    return ("", ()) if upto is None else (f" AND {column} <= ?", (upto,))


class _SQLiteTransaction(Transaction):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- reads

    def campaigns(self) -> list[Campaign]:
        rows = self.conn.execute(
            "SELECT id, name, pledge_version, due_date, created_at, created_by FROM campaign ORDER BY id"
        )
        return [Campaign(*row) for row in rows]

    def imports(self, campaign_id: int, upto: int | None = None) -> list[ImportRow]:
        extra, args = _upto("id", upto)
        rows = self.conn.execute(
            "SELECT id, campaign_id, kind, actor, at, tool_version, summary FROM import "
            f"WHERE campaign_id = ?{extra} ORDER BY id",
            (campaign_id, *args),
        )
        return [ImportRow(*row) for row in rows]

    _FILE_COLUMNS = "id, campaign_id, import_id, kind, sha256, path, size, reader, sheets"

    def files(self, campaign_id: int, kind: str | None = None, upto: int | None = None) -> list[FileRow]:
        extra, args = _upto("import_id", upto)
        if kind is not None:
            extra += " AND kind = ?"
            args = (*args, kind)  # type: ignore[assignment]
        rows = self.conn.execute(
            f"SELECT {self._FILE_COLUMNS} FROM file WHERE campaign_id = ?{extra} ORDER BY id", (campaign_id, *args)
        )
        return [FileRow(*row) for row in rows]

    def file_by_sha(self, campaign_id: int, kind: str, sha256: str) -> FileRow | None:
        row = self.conn.execute(
            f"SELECT {self._FILE_COLUMNS} FROM file WHERE campaign_id = ? AND kind = ? AND sha256 = ?",
            (campaign_id, kind, sha256),
        ).fetchone()
        return FileRow(*row) if row else None

    def latest_snapshot(self, campaign_id: int, upto: int | None = None) -> tuple[int, list[int]] | None:
        extra, args = _upto("s.import_id", upto)
        row = self.conn.execute(
            "SELECT max(s.import_id) FROM snapshot s JOIN import i ON i.id = s.import_id "
            f"WHERE i.campaign_id = ?{extra}",
            (campaign_id, *args),
        ).fetchone()
        if row is None or row[0] is None:
            return None
        files = self.conn.execute("SELECT file_id FROM snapshot WHERE import_id = ? ORDER BY position", (row[0],))
        return row[0], [f for (f,) in files]

    def records(self, file_id: int, kind: str) -> Iterator[RecordRow]:
        rows = self.conn.execute(
            "SELECT id, file_id, import_id, kind, data FROM record WHERE file_id = ? AND kind = ? ORDER BY id",
            (file_id, kind),
        )
        return (RecordRow(*row) for row in rows)

    def manual_records(self, campaign_id: int, kind: str, upto: int | None = None) -> list[RecordRow]:
        extra, args = _upto("r.import_id", upto)
        rows = self.conn.execute(
            "SELECT r.id, r.file_id, r.import_id, r.kind, r.data FROM record r JOIN import i ON i.id = r.import_id "
            f"WHERE r.file_id IS NULL AND i.campaign_id = ? AND r.kind = ?{extra} ORDER BY r.id",
            (campaign_id, kind, *args),
        )
        return [RecordRow(*row) for row in rows]

    def record(self, record_id: int) -> RecordRow | None:
        row = self.conn.execute(
            "SELECT id, file_id, import_id, kind, data FROM record WHERE id = ?", (record_id,)
        ).fetchone()
        return RecordRow(*row) if row else None

    def decisions(self, campaign_id: int, upto: int | None = None) -> list[DecisionRow]:
        extra, args = _upto("d.import_id", upto)
        rows = self.conn.execute(
            "SELECT d.id, d.import_id, d.record_id, d.verdict, d.person, d.note FROM decision d "
            f"JOIN import i ON i.id = d.import_id WHERE i.campaign_id = ?{extra} ORDER BY d.id",
            (campaign_id, *args),
        )
        return [DecisionRow(*row) for row in rows]

    def withdrawals(self, campaign_id: int, upto: int | None = None) -> list[WithdrawalRow]:
        extra, args = _upto("w.import_id", upto)
        rows = self.conn.execute(
            "SELECT w.id, w.import_id, w.file_id, w.record_id, w.reason FROM withdrawal w "
            f"JOIN import i ON i.id = w.import_id WHERE i.campaign_id = ?{extra} ORDER BY w.id",
            (campaign_id, *args),
        )
        return [WithdrawalRow(*row) for row in rows]

    def cached_coverage(self, import_id: int, grouping: str) -> str | None:
        row = self.conn.execute(
            "SELECT counts FROM coverage_cache WHERE import_id = ? AND grouping = ?", (import_id, grouping)
        ).fetchone()
        return row[0] if row else None

    # -- writes

    def add_campaign(
        self, name: str, pledge_version: str | None, due_date: str | None, at: str, actor: str
    ) -> Campaign:
        cursor = self.conn.execute(
            "INSERT INTO campaign (name, pledge_version, due_date, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
            (name, pledge_version, due_date, at, actor),
        )
        return Campaign(int(cursor.lastrowid or 0), name, pledge_version, due_date, at, actor)

    def add_import(self, campaign_id: int, kind: str, actor: str, at: str, tool_version: str, summary: str) -> int:
        cursor = self.conn.execute(
            "INSERT INTO import (campaign_id, kind, actor, at, tool_version, summary) VALUES (?, ?, ?, ?, ?, ?)",
            (campaign_id, kind, actor, at, tool_version, summary),
        )
        return int(cursor.lastrowid or 0)

    def add_file(
        self, campaign_id: int, import_id: int, kind: str, sha256: str, path: str, size: int, reader: str, sheets: str
    ) -> int:
        cursor = self.conn.execute(
            "INSERT INTO file (campaign_id, import_id, kind, sha256, path, size, reader, sheets) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (campaign_id, import_id, kind, sha256, path, size, reader, sheets),
        )
        return int(cursor.lastrowid or 0)

    def add_records(self, file_id: int | None, import_id: int, records: Iterable[NewRecord]) -> list[int]:
        first = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM record").fetchone()[0]
        rows = [
            (first + i, file_id, import_id, r.kind, r.sheet, r.row, r.nip, r.nik, r.name, r.unit, r.data)
            for i, r in enumerate(records)
        ]
        self.conn.executemany(
            "INSERT INTO record (id, file_id, import_id, kind, sheet, row, nip, nik, name, unit, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return [row[0] for row in rows]

    def add_snapshot(self, import_id: int, file_ids: Sequence[int]) -> None:
        self.conn.executemany(
            "INSERT INTO snapshot (import_id, position, file_id) VALUES (?, ?, ?)",
            [(import_id, position, file_id) for position, file_id in enumerate(file_ids)],
        )

    def add_decision(self, import_id: int, record_id: int, verdict: str, person: str | None, note: str | None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO decision (import_id, record_id, verdict, person, note) VALUES (?, ?, ?, ?, ?)",
            (import_id, record_id, verdict, person, note),
        )
        return int(cursor.lastrowid or 0)

    def add_withdrawal(self, import_id: int, file_id: int | None, record_id: int | None, reason: str) -> int:
        cursor = self.conn.execute(
            "INSERT INTO withdrawal (import_id, file_id, record_id, reason) VALUES (?, ?, ?, ?)",
            (import_id, file_id, record_id, reason),
        )
        return int(cursor.lastrowid or 0)

    def cache_coverage(self, import_id: int, grouping: str, counts: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO coverage_cache (import_id, grouping, counts) VALUES (?, ?, ?)",
            (import_id, grouping, counts),
        )
