"""Finding the table in a sheet: title rows, preamble, header, numbering row, data, footer.

Exports put the table under title rows ("PEMERINTAH KABUPATEN ...", "Keadaan per ..."),
"Label : value" lines and blank rows, sometimes with a two-row merged header and a
row that numbers the columns, and close it with a signature block. :func:`find_table`
looks at the first ``scan_rows`` rows only, picks the header by how much of it the
vocabulary recognises, and then streams the data rows lazily, stopping at the footer.

Overrides (the user's ``--map FIELD=HEADER``) name a column by its header text as
written (compared with :func:`~asn_attest.tabular.fields.header_key`, so case,
spacing and punctuation do not matter; for a two-row header the joined
"PANGKAT / GOL", the lower "GOL" or the upper "PANGKAT" text), or by position:
``#3`` is the third column, ``#C`` column C. A bare "C" is always a header text,
because "OPD", "NIP" and "JK" are also column letters.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain, islice

from ..errors import AsnAttestError
from .fields import (
    QUALIFIERS,
    SUBHEADERS,
    UNMAPPED,
    ColumnResolution,
    FieldSpec,
    MappingConflict,
    UnknownField,
    UnknownHeader,
    alias_index,
    column_letter,
    header_key,
    resolve_columns,
)

__all__ = [
    "HeaderNotFound",
    "MappingConflict",
    "Table",
    "TableLayout",
    "UnknownField",
    "UnknownHeader",
    "find_table",
]

#: Rows read ahead after a possible signature line ("Kepala Dinas ...") to see
#: whether data follows it (then it was a data row, e.g. a vacant position).
FOOTER_LOOKAHEAD = 5


class HeaderNotFound(AsnAttestError, ValueError):
    """No row in the scanned part of the sheet looks like the header.

    ``row`` is the closest candidate's row number (or None), ``found`` the fields it
    had and ``missing`` the required ones it lacked, so a reader can re-raise this
    as a :class:`~asn_attest.errors.DataError` naming the file and sheet.
    """

    exit_code = 3

    def __init__(self, message: str, *, row: int | None = None, found: Sequence[str] = (), missing: Sequence[str] = ()):
        self.row = row
        self.found = list(found)
        self.missing = list(missing)
        super().__init__(message)


@dataclass
class TableLayout:
    """Where the table is and what its columns mean.

    ``columns`` maps field names to 0-based column indexes; ``headers`` gives each
    mapped field's header as written ("PANGKAT / GOL" for two-row headers);
    ``ignored`` the headers not used, in column order; ``notes`` why a column was
    passed over (duplicates, parents of the unit, overrides) or what was skipped;
    ``texts`` every header by column index, for readers that look for a column by a
    rule the vocabulary cannot express (a consent question, say).
    """

    header_rows: tuple[int, ...]
    columns: dict[str, int]
    headers: dict[str, str]
    ignored: list[str]
    preamble: dict[str, str]
    title_lines: list[str]
    numbering_row: int | None
    notes: list[str] = field(default_factory=list)
    #: every header text by 0-based column index ("" for a column without one)
    texts: list[str] = field(default_factory=list)


@dataclass
class Table:
    """The layout and a lazy iterator over the data rows.

    ``footer_row`` is set when the iteration stops at a footer (signature block,
    totals row), so a reader can say where the data ended.
    """

    layout: TableLayout
    rows: Iterator[tuple[int, tuple]]
    footer_row: int | None = None

    def __iter__(self) -> Iterator[tuple[int, tuple]]:
        return self.rows


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _nonempty(values: Sequence[object]) -> list[tuple[int, object]]:
    return [(i, v) for i, v in enumerate(values) if not _empty(v)]


# ---------------------------------------------------------------- header rows

_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def _bad_header_cell(value: object) -> bool:
    """Cells a header does not have: numbers, dates, sentences, NIPs."""
    if not isinstance(value, str):
        return True
    return len(value) > 60 or len(_DIGIT.findall(value)) >= 9


def _header_like(value: object) -> bool:
    """A cell that could be the lower row of a two-row header: short text with letters."""
    return (
        isinstance(value, str)
        and len(value) <= 60
        and _LETTER.search(value) is not None
        and len(_DIGIT.findall(value)) <= 4
    )


def _continues(upper: Sequence[object], lower: Sequence[object]) -> tuple[bool, bool]:
    """(is ``lower`` a second header row under ``upper``, is there evidence of a merge).

    A data row has values under the upper row's stand-alone columns (NAMA, NIP); a
    second header row is empty there (those cells were merged down) and has text only
    under merged or last upper cells.
    """
    filled = [not _empty(v) for v in upper]
    if sum(filled) < 2:
        return False, False
    seen_lower = merged = False
    for col, value in enumerate(lower):
        if _empty(value):
            continue
        if not _header_like(value):
            return False, False
        seen_lower = True
        if col < len(filled) and filled[col]:
            if col + 1 < len(filled) and filled[col + 1]:
                return False, False
        elif any(filled[:col]):
            merged = True
    return seen_lower, merged


_SUBHEADER_KEYS = frozenset(key for sub in SUBHEADERS.values() for key in sub)


def _knows_a_cell(values: Sequence[object], fields: Mapping[str, FieldSpec]) -> bool:
    """Does the vocabulary know any cell of a possible second header row?

    Without this, a data row of short texts under a header with a blank cell could
    pass for a second header row ("BUDI" | "Staf" under "NAMA" | blank).
    """
    known = alias_index(fields).keys() | UNMAPPED.keys() | QUALIFIERS | _SUBHEADER_KEYS
    return any(isinstance(v, str) and header_key(v) in known for v in values)


@dataclass
class _Candidate:
    start: int  # index into the buffer
    height: int  # 1 or 2 header rows
    resolution: ColumnResolution
    score: float
    ok: bool


def _evaluate(
    start: int,
    upper: Sequence[object],
    lower: Sequence[object] | None,
    fields: Mapping[str, FieldSpec],
    overrides: Mapping[str, str] | None,
    required: Sequence[str],
    required_any: Sequence[Sequence[str]],
) -> _Candidate:
    res = resolve_columns(upper, fields, lower=lower, overrides=overrides)
    found = set(res.columns)
    data_fields = found - {"row_no"}
    ok = (
        bool(data_fields)
        and all(f in found for f in required)
        and all(any(f in found for f in group) for group in required_any)
    )
    cells = [v for v in chain(upper, lower or ()) if not _empty(v)]
    bad = sum(1 for v in cells if _bad_header_cell(v))
    known = sum(1 for col in res.ignored if header_key(res.texts[col]) in UNMAPPED)
    by_text = sum(1 for name in res.pinned if not str((overrides or {})[name]).strip().startswith("#"))
    score = len(data_fields) + 0.5 * ("row_no" in found) + 2 * by_text + 0.25 * known - 0.5 * bad
    return _Candidate(start, 1 if lower is None else 2, res, score, ok)


def _choose_header(
    buffer: list[tuple[int, Sequence[object]]],
    scan_rows: int,
    fields: Mapping[str, FieldSpec],
    overrides: Mapping[str, str] | None,
    required: Sequence[str],
    required_any: Sequence[Sequence[str]],
) -> tuple[_Candidate | None, _Candidate | None]:
    """(best qualifying candidate, best candidate of all for the error message)."""
    best: _Candidate | None = None
    closest: _Candidate | None = None
    for i in range(min(scan_rows, len(buffer))):
        number, values = buffer[i]
        if not any(not _empty(v) for v in values):
            continue
        cand = _evaluate(i, values, None, fields, overrides, required, required_any)
        if i + 1 < len(buffer) and buffer[i + 1][0] == number + 1:
            lower = buffer[i + 1][1]
            continues, merged = _continues(values, lower)
            if continues:
                pair = _evaluate(i, values, lower, fields, overrides, required, required_any)
                if pair.ok and (
                    not cand.ok
                    or pair.score > cand.score
                    or (merged and pair.score >= cand.score and _knows_a_cell(lower, fields))
                ):
                    cand = pair
        if closest is None or cand.score > closest.score:
            closest = cand
        if cand.ok and (best is None or cand.score > best.score):
            best = cand
    return best, closest


# ------------------------------------------------------------- above the header

_PREFIX_LABEL = re.compile(r"^\s*(keadaan\s+(?:per|bulan|tanggal)|per\s+tanggal)\s*:?\s*(.+?)\s*$", re.I)

#: Labels read as "label, value" in two cells even without a colon.
PREAMBLE_LABELS: frozenset[str] = frozenset(
    header_key(label)
    for label in (
        "Satuan Kerja", "Satker", "Unit Kerja", "OPD", "SKPD", "Perangkat Daerah", "Instansi", "Unor",
        "Hari/Tanggal", "Hari", "Tanggal", "Keadaan per", "Keadaan", "Kecamatan", "Bulan", "Tahun", "Periode",
        "Tempat", "Lokasi", "Acara", "Kegiatan", "Pukul", "Waktu",
    )
)


def _parse_preamble(values: Sequence[object]) -> list[tuple[str, str]] | None:
    """The "Label : value" pairs of a row, or None if the row is not made of them."""
    cells = [_text(v) for _, v in _nonempty(values)]
    if len(cells) == 1:
        m = _PREFIX_LABEL.match(cells[0])
        if m:
            return [(header_key(m.group(1)), m.group(2))]
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if cell.startswith(":"):
            return None
        if ":" in cell:
            label, _, rest = cell.partition(":")
            rest = rest.strip()
            if label[-1:].isdigit() and rest[:1].isdigit():
                return None  # a time ("Pukul 08:00"), not a label
            if rest:
                value, i = rest, i + 1
            elif nxt is not None:
                value, i = nxt.lstrip(": ").strip(), i + 2
            else:
                return None
        elif nxt is not None and nxt.startswith(":"):
            label, rest = cell, nxt[1:].strip()
            if rest:
                value, i = rest, i + 2
            elif i + 2 < len(cells):
                value, i = cells[i + 2], i + 3
            else:
                return None
        elif nxt is not None and header_key(cell) in PREAMBLE_LABELS:
            label, value, i = cell, nxt, i + 2
        else:
            return None
        key = header_key(label)
        if not key or not value or len(key) > 40 or len(key.split()) > 5:
            return None
        pairs.append((key, value))
    return pairs or None


# -------------------------------------------------------------- numbering row

_NUMBER_CELL = re.compile(r"^\(?\s*(\d{1,3})\s*[.)]?\s*\)?$")


def _cell_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        m = _NUMBER_CELL.match(value.strip())
        return int(m.group(1)) if m else None
    return None


def _is_numbering(values: Sequence[object], header_width: int) -> bool:
    numbers = []
    for _, value in _nonempty(values):
        n = _cell_int(value)
        if n is None:
            return False
        numbers.append(n)
    if len(numbers) < 2 or len(numbers) < min(3, header_width):
        return False
    return numbers == list(range(1, len(numbers) + 1))


# ---------------------------------------------------------------------- footer

_MONTH = (
    r"(?:jan\w*|feb\w*|mar\w*|apr\w*|mei|may|jun\w*|jul\w*|agu\w*|agt|aug\w*|sep\w*|okt\w*|oct\w*|nop\w*|nov\w*"
    r"|des\w*|dec\w*)"
)
_STRONG_WORDS = ("mengetahui", "menyetujui", "disetujui", "diketahui", "jumlah", "total")
_STRONG_LABELS = ("keterangan", "catatan", "ket")
_STRONG_PHRASES = (r"dibuat\s+oleh", r"yang\s+membuat", r"ditetapkan\s+di", r"dikeluarkan\s+di")
_WEAK_WORDS = (
    "kepala", "plt", "plh", "sekretaris", "bupati", r"wakil\s+bupati", r"wali\s?kota", "walikota", "gubernur", "camat",
    "lurah", "direktur", "inspektur", "sekda", "kabid", r"kasubb?ag", "pejabat", "ttd", "dto",
)
#: Lines that end a table whatever follows them: "Mengetahui", "Jumlah", "a.n.",
#: "Keterangan:", "NIP. 1970...", and "Place, 12 Januari 2024" (checked only when
#: the text has a comma).
_FOOTER_STRONG = re.compile(
    rf"^(?:(?:{'|'.join(_STRONG_WORDS)})\b|(?:{'|'.join(_STRONG_LABELS)})\s*:"
    rf"|a\.\s?n\b|an\.\s|(?:{'|'.join(_STRONG_PHRASES)})\b|nip\b[\s.:]*[\d\s.'-]*$)"
)
_PLACE_DATE = re.compile(rf"^[^\W\d_][^\d,]{{0,60}},[\s\d./_-]*(?:{_MONTH}[\s./_-]*)?(?:19|20)\d\d$")
#: Lines that start a signature block but could also be a data row (a vacant
#: "Kepala Seksi" position): they end the table only if no data follows them, or
#: after a gap of two or more blank rows.
_FOOTER_WEAK = re.compile(rf"^(?:(?:{'|'.join(_WEAK_WORDS)})\b|pj\.\s)")
#: First words of every footer line above: a text whose first word is letters and digits
#: not in this set (and that has no comma) cannot be a footer line.
_FOOTER_WORDS = frozenset({
    *_STRONG_WORDS, *_STRONG_LABELS, "dibuat", "yang", "ditetapkan", "dikeluarkan", "a", "an", "nip",
    *(w for w in _WEAK_WORDS if w.isalpha()), "wakil", "wali", "kasubag", "kasubbag", "pj",
})


def _footer_kind(value: object) -> int:
    """2 for a strong footer line, 1 for a weak one, 0 for anything else."""
    if type(value) is not str:
        return 0
    text = value[:80].strip().casefold()
    if _FOOTER_STRONG.match(text) or ("," in text and _PLACE_DATE.match(text)):
        return 2
    if _FOOTER_WEAK.match(text):
        return 1
    return 0


def _first_cell(values: Sequence[object]) -> tuple[int, object] | None:
    for col, value in enumerate(values):
        if value is not None and (type(value) is not str or value.strip()):
            return col, value
    return None


_ID_DIGITS = re.compile(r"\d(?:[\s.'-]?\d){8}")


def _id_like(value: object) -> bool:
    """A value with at least 9 digits: a NIP (old or new) or NIK."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return abs(value) >= 100_000_000
    return isinstance(value, str) and _ID_DIGITS.search(value) is not None


class _DataRows:
    """The data-row iterator: cheap for ordinary rows, careful near the footer."""

    def __init__(self, table: Table, source: Iterator[tuple[int, Sequence[object]]], skip: list[Sequence[object]],
                 last_row: int | None) -> None:
        cols = table.layout.columns
        self.table = table
        self.source = source
        self.pending: deque[tuple[int, Sequence[object]]] = deque()
        self.name_col = cols.get("name", cols.get("name_nip"))
        self.row_no_col = cols.get("row_no")
        self.id_cols = tuple(cols[f] for f in ("nip", "nik", "name_nip") if f in cols)
        self.mapped = tuple(sorted(set(cols.values())))
        self.skip = [tuple(v) for v in skip]
        self.skip_first = {v[0] for v in self.skip if v}
        self.prev_row = last_row
        self.repeat_noted = False

    def _has_id(self, values: Sequence[object]) -> bool:
        n = len(values)
        return any(col < n and _id_like(values[col]) for col in self.id_cols)

    def _looks_like_data(self, values: Sequence[object]) -> bool:
        """Used on rows after a possible signature line."""
        first = _first_cell(values)
        if first is None or _footer_kind(first[1]):
            return False
        if self._has_id(values):
            return True
        n = len(values)
        name = values[self.name_col] if self.name_col is not None and self.name_col < n else None
        number = values[self.row_no_col] if self.row_no_col is not None and self.row_no_col < n else None
        if not _empty(name) and _cell_int(number) is not None:
            return True
        return sum(1 for col in self.mapped if col < n and not _empty(values[col])) >= 3

    def __iter__(self) -> Iterator[tuple[int, tuple]]:
        name_col = self.name_col
        skip_first = self.skip_first
        pending = self.pending
        source = self.source
        footer_words = _FOOTER_WORDS
        while True:
            if pending:
                number, values = pending.popleft()
            else:
                item = next(source, None)
                if item is None:
                    return
                number, values = item
            # Fast path: a row with a name whose first cell is a number, or a text
            # that cannot begin a footer line, is data.
            if name_col is not None and name_col < len(values):
                name = values[name_col]
                first = values[0]
                kind = type(first)
                if (
                    name is not None
                    and name != ""
                    and first not in skip_first
                    and (
                        kind is int
                        or kind is float
                        or (
                            kind is str
                            and (words := first[:40].split(None, 1))
                            and (
                                words[0][0].isdigit()
                                or (
                                    "," not in first
                                    and (word := words[0].casefold().rstrip(".:;")).isalnum()
                                    and word not in footer_words
                                )
                            )
                        )
                    )
                ):
                    self.prev_row = number
                    yield number, values
                    continue
            verdict = self._slow(number, values)
            if verdict == "blank":
                continue
            if verdict == "skip":
                self.prev_row = number
                continue
            if verdict == "footer":
                self.table.footer_row = number
                return
            self.prev_row = number
            yield number, values

    def _slow(self, number: int, values: Sequence[object]) -> str:
        cell = _first_cell(values)
        if cell is None:
            return "blank"
        if values[0] in self.skip_first and tuple(values) in self.skip:
            if not self.repeat_noted:
                self.table.layout.notes.append(f"row {number} repeats the header; repeated header rows are skipped")
                self.repeat_noted = True
            return "skip"
        first_col, first = cell
        kind = _footer_kind(first)
        if not kind or self._has_id(values):
            return "data"
        if kind == 2:
            return "footer"
        name_col = self.name_col
        if name_col is not None and name_col != first_col and name_col < len(values) and not _empty(values[name_col]):
            return "data"
        gap = number - self.prev_row - 1 if self.prev_row is not None else 0
        if gap >= 2:
            return "footer"
        while len(self.pending) < FOOTER_LOOKAHEAD:
            nxt = next(self.source, None)
            if nxt is None:
                break
            self.pending.append(nxt)
        if any(self._looks_like_data(v) for _, v in self.pending):
            return "data"
        return "footer"


# ------------------------------------------------------------------ find_table

def find_table(
    rows: Iterable[tuple[int, tuple]],
    fields: Mapping[str, FieldSpec],
    *,
    overrides: Mapping[str, str] | None = None,
    required: Sequence[str] = ("name",),
    scan_rows: int = 40,
    required_any: Sequence[Sequence[str]] = (),
) -> Table:
    """Find the header among the first ``scan_rows`` rows and stream the data under it.

    ``rows`` yields ``(row_number, values)``. The header is the best-scoring row (or
    pair of rows, for a two-row merged header) among the first ``scan_rows`` rows
    that has every ``required`` field and one field of each ``required_any`` group;
    the score counts recognised columns and the override headers found, and
    penalises numbers, dates and long sentences. Up to ``scan_rows + 2`` rows are
    read ahead (the last two only to see a header's second row or numbering row); the
    data rows are then yielded lazily.

    Raises :class:`UnknownField` for an override or required field not in
    ``fields``, :class:`UnknownHeader` for an override whose header is not in the
    detected header, :class:`HeaderNotFound` when no row qualifies.
    """
    if scan_rows < 1:
        raise ValueError("scan_rows must be at least 1")
    alias_index(fields)
    for name in chain(required, (f for group in required_any for f in group), overrides or ()):
        if name not in fields:
            raise UnknownField(name, fields)
    _check_override_keys(overrides)

    source = iter(rows)
    buffer = list(islice(source, scan_rows + 2))
    best, closest = _choose_header(buffer, scan_rows, fields, overrides, required, required_any)
    if best is None:
        raise _not_found(buffer, closest, fields, overrides, required, required_any, scan_rows)

    res = best.resolution
    header_numbers = tuple(buffer[best.start + k][0] for k in range(best.height))
    header_row = header_numbers[0]
    if res.unmatched:
        name, ref = next(iter(res.unmatched.items()))
        raise UnknownHeader(name, ref, res.texts, row=header_row)

    preamble: dict[str, str] = {}
    title_lines: list[str] = []
    for _, values in buffer[: best.start]:
        cells = _nonempty(values)
        if not cells:
            continue
        pairs = _parse_preamble(values)
        if pairs is None:
            title_lines.append(" ".join(_text(v) for _, v in cells))
        else:
            for key, value in pairs:
                preamble.setdefault(key, value)

    data_start = best.start + best.height
    skip = [buffer[best.start + k][1] for k in range(best.height)]
    numbering_row = None
    if data_start < len(buffer):
        number, values = buffer[data_start]
        width = sum(1 for text in res.texts if text)
        if _is_numbering(values, width):
            numbering_row = number
            skip.append(values)
            data_start += 1

    headers = {}
    for name, col in res.columns.items():
        text = res.texts[col] if col < len(res.texts) else ""
        headers[name] = text or f"column {column_letter(col)}"
    layout = TableLayout(
        header_rows=header_numbers,
        columns=dict(res.columns),
        headers=headers,
        ignored=[res.texts[col] for col in res.ignored],
        preamble=preamble,
        title_lines=title_lines,
        numbering_row=numbering_row,
        notes=list(res.notes),
        texts=list(res.texts),
    )
    table = Table(layout=layout, rows=iter(()))
    last_row = buffer[data_start - 1][0]
    table.rows = iter(_DataRows(table, chain(buffer[data_start:], source), skip, last_row))
    return table


def _check_override_keys(overrides: Mapping[str, str] | None) -> None:
    seen: dict[str, str] = {}
    for name, ref in (overrides or {}).items():
        ref = str(ref).strip()
        key = ref.upper().replace(" ", "") if ref.startswith("#") else header_key(ref)
        if not key:
            raise UnknownHeader(name, str(ref), [])
        if key in seen:
            raise MappingConflict(f"--map {seen[key]}={ref!r} and --map {name}={ref!r} name the same column")
        seen[key] = name


def _not_found(
    buffer: list[tuple[int, Sequence[object]]],
    closest: _Candidate | None,
    fields: Mapping[str, FieldSpec],
    overrides: Mapping[str, str] | None,
    required: Sequence[str],
    required_any: Sequence[Sequence[str]],
    scan_rows: int,
) -> HeaderNotFound:
    def example(name: str) -> str:
        aliases = sorted(fields[name].aliases, key=lambda a: (len(a), a))[:3]
        return f"{name} ({', '.join(a.upper() for a in aliases)})"

    wanted = [example(f) for f in required] + [" or ".join(example(f) for f in group) for group in required_any]
    expected = "; ".join(wanted) or "at least one known column"
    if not any(_nonempty(values) for _, values in buffer):
        return HeaderNotFound(f"no header: the sheet has no data in its first {scan_rows} rows; expected {expected}")
    message = f"no header row found in the first {scan_rows} rows; expected columns for {expected}"
    row = None
    found: list[str] = []
    missing: list[str] = []
    if closest is not None and closest.resolution.columns:
        res = closest.resolution
        row = buffer[closest.start][0]
        found = list(res.columns)
        missing = [f for f in required if f not in res.columns]
        missing += ["/".join(g) for g in required_any if not any(f in res.columns for f in g)]
        shown = " | ".join(t for t in res.texts if t)
        if len(shown) > 200:
            shown = shown[:197] + "..."
        message += (
            f". Closest: row {row} ({shown}) has {', '.join(found)}"
            + (f" but no {', '.join(missing)}" if missing else "")
        )
    if overrides:
        unmatched = closest.resolution.unmatched if closest is not None else dict(overrides)
        if unmatched:
            message += ". Not found: " + ", ".join(f"--map {f}={h!r}" for f, h in unmatched.items())
    message += ". Name the columns with --map FIELD=HEADER, or check that this is the right sheet"
    return HeaderNotFound(message, row=row, found=found, missing=missing)
