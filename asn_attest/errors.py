"""Errors that reach the user as one clear line, never as a traceback.

Every error below the CLI is one of these. The CLI turns them into a message and
an exit code (see README, "Exit codes"); anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike


class AsnAttestError(Exception):
    """Base of every error the tool reports to the user."""

    exit_code = 1


@dataclass(frozen=True)
class Location:
    """Where in the user's input something is: file, sheet, row, column.

    ``row`` is the row number as the user sees it (Excel row, or CSV line);
    ``column`` is the header text when known, else the column letter.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


class DataError(AsnAttestError):
    """An input file cannot be used as it is: names the place and what was expected."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike[str],
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.location = Location(str(file), sheet, row, column)
        self.message = message
        super().__init__(f"{self.location}: {message}")


class PluginError(AsnAttestError):
    """A plugin could not be loaded or breaks the hook contract."""

    exit_code = 4


class PluginConflictError(PluginError):
    """Two plugins claim the same reader or exporter name."""


class ConfigError(AsnAttestError):
    """An option or environment setting cannot be honoured (a bad --map, an unknown reader)."""

    exit_code = 2


class RegisterError(AsnAttestError):
    """The campaign register cannot do what was asked: no register or campaign, a file
    that is not a register, one written by a newer version, a lock held too long, or a
    request that contradicts what the register holds (a NIP not on the roster)."""

    exit_code = 6
