"""The campaign register: an embedded record of every roster snapshot, signature,
exemption and decision of a campaign (see docs/register.md).

:func:`open_register` gives a :class:`Register` over the SQLite store; the storage
interface is :class:`~asn_attest.register.store.Store`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..plugins import AsnAttestPluginManager
from .service import ACTOR_ENV, CAMPAIGN_ENV, ImportOutcome, Register, State
from .sqlite import SCHEMA_VERSION, SQLiteStore

DB_ENV = "ASN_ATTEST_DB"
DEFAULT_DB = "asn-attest.db"

__all__ = [
    "ACTOR_ENV",
    "CAMPAIGN_ENV",
    "DB_ENV",
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "ImportOutcome",
    "Register",
    "SQLiteStore",
    "State",
    "open_register",
]


def open_register(
    path: str | os.PathLike[str] | None = None,
    plugins: Callable[[], AsnAttestPluginManager] | None = None,
    *,
    create: bool = False,
    actor: str | None = None,
) -> Register:
    """The register at ``path`` (default: ``$ASN_ATTEST_DB``, else ``./asn-attest.db``);
    ``plugins`` makes the plugin manager when an operation first needs it."""
    where = Path(path) if path is not None else Path(os.environ.get(DB_ENV) or DEFAULT_DB)
    return Register(SQLiteStore(where, create=create), plugins, actor=actor)
