"""Running status exporters: which ones, with what options, and what they wrote."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .errors import AsnAttestError, ConfigError
from .forked import WorkerDied, fork_map, worker_count
from .plugin_types import StatusExporter
from .reconcile import Reconciliation
from .tabular.output import OutputError

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class ExportOptions:
    """What every exporter is told besides the result. New fields may be added; exporters ignore what they do not use."""

    lang: str = "id"
    as_of: dt.date = field(default_factory=dt.date.today)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    inputs: tuple[tuple[str, str], ...] = ()  # (path, SHA-256)
    version: str = __version__
    #: how an exporter tells the user something without failing (a value it had to change)
    warn: Callable[[str], None] = field(default=lambda message: None, compare=False)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def choose_exporters(exporters: Mapping[str, StatusExporter], formats: Sequence[str]) -> list[StatusExporter]:
    """The exporters named in ``formats``, or the default ones when none is named."""
    if not formats:
        return [e for _, e in sorted(exporters.items()) if e.default]
    unknown = [f for f in formats if f not in exporters]
    if unknown:
        raise ConfigError(f"no exporter named {', '.join(map(repr, unknown))} (available: {', '.join(sorted(exporters))})")
    return [exporters[f] for f in dict.fromkeys(formats)]


def run_exporters(
    exporters: Sequence[StatusExporter], result: Reconciliation, out_dir: Path, options: ExportOptions
) -> list[Path]:
    """Run each exporter; a failing plugin is reported naming it, never as a traceback.

    The exporters run side by side in worker processes (see :mod:`asn_attest.forked`):
    the files are the same, their list is in exporter order, and the warnings of each
    exporter reach ``options.warn`` in that order too, once it has finished.
    """
    if options.lang not in LANGUAGES:
        raise ConfigError(f"language {options.lang!r} is not one of {', '.join(LANGUAGES)}")

    def write(exporter: StatusExporter) -> tuple[list[Path], list[str]]:
        warnings: list[str] = []
        paths = _run_one(exporter, result, out_dir, replace(options, warn=warnings.append))
        return paths, warnings

    try:
        done = fork_map(write, list(exporters), workers=worker_count(), describe=lambda e: f"exporter {e.name!r}")
    except WorkerDied as exc:
        raise OutputError(f"{out_dir}: exporter {exc.item.name!r} stopped: {exc}") from None
    written: list[Path] = []
    for paths, warnings in done:
        for message in warnings:
            options.warn(message)
        written.extend(paths)
    return written


def _run_one(exporter: StatusExporter, result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    try:
        return [Path(p) for p in exporter.write(result, out_dir, options)]
    except AsnAttestError:
        raise
    except OSError as exc:
        raise OutputError(f"{out_dir}: exporter {exporter.name!r} could not write: {exc}") from exc
    except Exception as exc:
        raise OutputError(
            f"exporter {exporter.name!r} failed: {type(exc).__name__}: {exc} (a bug in the exporter; please report it)"
        ) from exc
