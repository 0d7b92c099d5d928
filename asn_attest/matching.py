"""The matcher: which roster person, if anyone, each piece of signature evidence belongs to.

Counting the wrong person as signed is the one mistake this module must not make: it
tells an OPD head that someone pledged who never did. So every rule below either finds
a single clear candidate or gives up, and giving up with a candidate in sight sends the
attestation to review (shown to a human, not counted) rather than guessing. Rules are
tried in order, strongest evidence first, and the first rule that decides wins:

1. ``nip``: the exact 18-digit NIP, unless the names disagree completely (then the NIP
   was probably typed for, or by, someone else: review).
2. ``nip15+name``: a NIP damaged by a spreadsheet (only its first 15 digits are
   trusted, see :mod:`asn_attest.nip`) plus the same name key. The same rule covers the
   reverse case, a whole NIP on the evidence and a damaged one on the roster.
3. ``nip-typo+name+unit``: a whole-looking NIP no one has, one substitution or one
   adjacent swap away from a roster NIP, with the same name key and the same unit.
4. ``nik``: the 16-digit national ID (e-signature logs identify signers by NIK).
5. ``name+unit``: the same name key within the same unit (or, without a unit on the
   evidence, in the whole roster).
6. ``fuzzy-name+unit``: a close name within the unit, with a clear winner.

Whatever carries a NIP that contradicts the candidate's own NIP is never matched by
name alone (rules 5 and 6): a valid NIP that is not the candidate's says it is someone
else, typically a namesake from another agency who filled in the wrong form.

Fuzzy scoring is :func:`rapidfuzz.fuzz.ratio` (normalised InDel similarity) on name
keys, not ``token_sort_ratio``: Indonesian names keep their word order, and sorting
words would make "ABDUL RAHMAN" and "RAHMAN ABDUL", two people, identical. ``ratio``
is also the cheaper scorer (PERFORMANCE.md). See :data:`FUZZY_THRESHOLD` for the cut.

Speed: the roster is indexed once (by full NIP, first 15 NIP digits, NIK, name within
each unit, and name); every exact rule is a dictionary look-up, the typo rule compares
the NIP with those of the namesakes (it needs the same name), and only the residue left
after the exact rules is scored fuzzily, against the distinct names of its own unit.
Nothing here reads files or prints.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .names import name_key
from .nip import NipStatus, ParsedNip, slot_setters
from .records import Attestation, Employee

__all__ = [
    "Rule",
    "FUZZY_THRESHOLD",
    "FUZZY_MARGIN",
    "Match",
    "ReviewItem",
    "Unmatched",
    "Duplicate",
    "MatchResult",
    "Verdict",
    "unit_key",
    "match",
]


class Rule(str, Enum):
    """Which rule tied an attestation to a person (in the order they are tried)."""

    NIP = "nip"
    NIP_PREFIX_NAME = "nip15+name"
    NIP_TYPO_NAME = "nip-typo+name+unit"
    NIK = "nik"
    NAME_UNIT = "name+unit"
    FUZZY_NAME_UNIT = "fuzzy-name+unit"
    #: a person's decision, remembered by the campaign register; tried before every other rule
    REVIEWED = "reviewed"


FUZZY_THRESHOLD: float = 92.0
"""Lowest ``fuzz.ratio`` of two name keys (0-100) that counts as the same person.

``ratio`` is 100 * (1 - InDel distance / total length). Doubled letters, old
spellings, CH/KH and titles are already folded by the name key, so what is left for the
fuzzy rule is dropped, added, substituted and swapped letters. At 92:

* one dropped or added letter matches in any name of 7 letters or more
  ("SITI AMNAH" ~ "SITI AMINAH" 95.2, "AGUS SALM" ~ "AGUS SALIM" 94.7);
* one substituted letter or two swapped letters cost as much as two drops, and match
  only in names of 13 characters or more ("DEWI LESTRAI" ~ "DEWI LESTARI" is 91.7,
  "SITI AMIANH" ~ "SITI AMINAH" 90.9: review, not counted);
* different names that differ by one letter in a short name stay apart
  ("SITI AMANAH" / "SITI AMINAH" 90.9, "NUR HIDAYAH" / "NUR HIDAYAT" 90.9,
  "SITI ROHMAH" / "SITI AMINAH" 72.7).

Those one-letter neighbours are real, different Indonesian names, and they are
common, which is why the cut sits above them: a swap missed in a short name costs a
review line, a namesake counted as signed costs a wrong report. Measured on 20,000
distinct synthetic names (2-3 words from common Indonesian name words), one random
typo each: at 92, 99% of dropped, 100% of added, 94% of substituted and 93% of
swapped letters still match, while 24% of names have a different name from the pool
at 92 or above; at 90 that rises to 46%; at 95 only 23-25% of substitutions and swaps
match. 92 is the knee. The different-name risk is then cut by scoring only within a
unit, by the clear-winner margin (:data:`FUZZY_MARGIN`), and by never fuzzy-matching
evidence that carries a usable NIP; candidates above ``threshold - 10`` go to review.
"""

FUZZY_MARGIN: float = 3.0
"""How far the best fuzzy score must lead the next distinct name to count."""

_REVIEW_BELOW_THRESHOLD = 10.0
_COMPLETE_DISAGREEMENT = 60.0
_MAX_LISTED = 10


@dataclass(frozen=True, slots=True)
class Match:
    """Attestation ``attestation`` (index into the evidence) is roster person ``employee``."""

    employee: int
    attestation: int
    rule: Rule
    score: float = 100.0
    note: str | None = None


# A match is made per attestation, and the __init__ that dataclass generates for a
# frozen class pays object.__setattr__ per field: _new_match fills the slots directly
# (as asn_attest.nip does for its verdicts). A new field makes the unpacking below
# fail loudly rather than leave a slot unset.
_MATCH_SLOTS = slot_setters(Match)


def _new_match(employee: int, attestation: int, rule: Rule, score: float, note: str | None) -> Match:
    made = object.__new__(Match)
    set_employee, set_attestation, set_rule, set_score, set_note = _MATCH_SLOTS
    set_employee(made, employee)
    set_attestation(made, attestation)
    set_rule(made, rule)
    set_score(made, score)
    set_note(made, note)
    return made


@dataclass(frozen=True)
class ReviewItem:
    """An attestation with no single clear candidate; a human decides, it is not counted."""

    attestation: int
    candidates: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class Unmatched:
    """An attestation that belongs to no one on the roster, and why."""

    attestation: int
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A further signature of someone already counted by attestation ``kept``."""

    attestation: int
    employee: int
    kept: int


@dataclass(frozen=True)
class Verdict:
    """A reviewer's decision on one attestation: it is roster person ``employee``, or
    (``employee`` None) no one on the roster. ``note`` says who decided and when."""

    employee: int | None
    note: str


@dataclass
class MatchResult:
    """Everything the matcher decided; each attestation is in exactly one place:
    ``signed`` (the one that counts), ``duplicates``, ``review`` or ``unmatched``."""

    signed: dict[int, Match] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rule_counts: dict[Rule, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- units

_UNIT_PUNCT_RE = re.compile(r"[\W_]+")
_UNIT_REGENCY_RE = re.compile(r"(?<=\S) (?:kabupaten|kab)(?: .*)?$")


@lru_cache(maxsize=1 << 14)
def _base_unit_key(unit: str) -> str:
    text = unicodedata.normalize("NFKC", unit).casefold()
    text = " ".join(_UNIT_PUNCT_RE.sub(" ", text).split())
    return _UNIT_REGENCY_RE.sub("", text)


def unit_key(unit: str | None, aliases: Mapping[str, str] | None = None) -> str:
    """The key units are compared on: "DINAS PENDIDIKAN KAB. BOGOR" = "Dinas
    Pendidikan" = "dinas  pendidikan, kabupaten bogor".

    Case, Unicode forms, punctuation and spacing do not count, nor does a trailing
    "Kabupaten X"/"Kab. X" (a roster names its regency, a sign sheet often not). A
    leading "Dinas"/"Badan" is kept: "Dinas Kesehatan" and "Badan Kesehatan" would be
    different units. ``aliases`` maps ``unit_key(alias)`` to the canonical unit name,
    for the short forms people type ("Disdik" for "Dinas Pendidikan"); "" for no unit.
    """
    if not unit:
        return ""
    key = _base_unit_key(unit)
    if aliases:
        canonical = aliases.get(key)
        if canonical is not None:
            return _base_unit_key(canonical)
    return key


# --------------------------------------------------------------------------- index

# The statuses, read per attestation and per roster person: looking a member up on
# its Enum class each time costs several times a global.
_FULL, _PARTIAL, _INVALID = NipStatus.FULL, NipStatus.PARTIAL, NipStatus.INVALID


def _slip(written: str, other: str) -> tuple[tuple[int, int, str], str] | None:
    """How the 18-digit ``other`` is one slip from the 18-digit ``written``: one digit
    substituted or two adjacent digits swapped, else None.

    With the slip comes its place in the order the slips of ``written`` are listed in
    (substitutions before swaps, then by position, then by the digit put in): the
    order in which the typo rule names candidates.
    """
    # A slip touches one digit or two adjacent ones, so it leaves the first 8 digits or
    # the last 8 as they were: a quick test that turns away nearly every other NIP.
    if written[:8] != other[:8] and written[10:] != other[10:]:
        return None
    differ = [i for i, (mine, theirs) in enumerate(zip(written, other)) if mine != theirs]
    if len(differ) == 1:
        at = differ[0]
        return (0, at, other[at]), "one digit off"
    if len(differ) == 2:
        at, then = differ
        if then == at + 1 and written[at] == other[then] and written[then] == other[at]:
            return (1, at, ""), "two digits swapped"
    return None


def _digits(text: str | None) -> str:
    return "".join(ch for ch in text if ch.isdigit()) if text else ""


class _MultiIndex:
    """key -> the roster indices under it, as a tuple; read like a dict.

    Nearly every key (a NIP, a name) belongs to one person: that index is stored as
    it is, and a list made only for a key shared by several. A list per key was most
    of what matching a 300,000-person roster held in memory. The mapping is filled by
    :class:`_Roster` (see :func:`_share`) and only read through this class.
    """

    __slots__ = ("_map",)

    def __init__(self, mapping: dict[Hashable, int | list[int]]) -> None:
        self._map = mapping

    def get(self, key: Hashable, default: Any = None) -> Any:
        found = self._map.get(key)
        if found is None:
            return default
        return (found,) if type(found) is int else tuple(found)

    def __getitem__(self, key: Hashable) -> tuple[int, ...]:
        found = self._map[key]
        return (found,) if type(found) is int else tuple(found)

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._map)


def _share(mapping: dict[Hashable, int | list[int]], key: Hashable, held: int | list[int], index: int) -> None:
    """File ``index`` under ``key``, which already holds ``held`` (one index or a list)."""
    if type(held) is int:
        mapping[key] = [held, index]
    else:
        held.append(index)


class _Prefix15:
    """First 15 NIP digits -> the roster indices with a NIP starting so, as a tuple in
    roster order: holders of a whole NIP, and people whose NIP only has its first 15
    digits (see :mod:`asn_attest.nip`), filed in ``damaged``.

    The whole NIPs are not filed under their 15 digits, a new string per person: the
    largest part of the index. A prefix is looked up in the sorted whole NIPs instead,
    sorted on first use (only signatures with a damaged NIP need it).
    """

    __slots__ = ("_whole", "_damaged", "_sorted")

    def __init__(self, whole: _MultiIndex, damaged: _MultiIndex) -> None:
        self._whole = whole
        self._damaged = damaged
        self._sorted: list[str] | None = None

    def get(self, prefix: str, default: Any = None) -> Any:
        if self._sorted is None:
            self._sorted = sorted(self._whole)
        nips = self._sorted
        found: list[int] = []
        if len(prefix) == 15:  # as a key, only 15 digits can be the first 15 of a NIP
            at = bisect_left(nips, prefix)
            while at < len(nips) and nips[at].startswith(prefix):
                found.extend(self._whole.get(nips[at]))
                at += 1
        found.extend(self._damaged.get(prefix, ()))
        return tuple(sorted(found)) if found else default

    def damaged(self, prefix: str) -> tuple[int, ...]:
        """Only the people whose roster NIP has just these 15 digits."""
        return self._damaged.get(prefix, ())


class _Roster:
    """The roster indexed once, for dictionary look-ups per attestation.

    ``by_unit_name`` is nested, unit key -> name key -> people: a (unit, name) tuple
    per person was the largest part of the index. Every unit key of every person is
    in it, with an empty name index when no one there has a name key, so
    ``unit in by_unit_name`` says whether the unit is on the roster at all. Under each
    key, people are in roster order, the order the rules list candidates in.
    """

    def __init__(self, roster: Sequence[Employee], units: _UnitKeys) -> None:
        self.people = roster
        name_keys: list[str] = []
        unit_keys: list[tuple[str, ...]] = []
        by_nip: dict[Hashable, int | list[int]] = {}
        damaged: dict[Hashable, int | list[int]] = {}
        by_nik: dict[Hashable, int | list[int]] = {}
        by_name: dict[Hashable, int | list[int]] = {}
        by_unit_name: dict[str, dict[Hashable, int | list[int]]] = {}
        # A roster names a few hundred (unit, sub-unit) pairs: their keys, and the name
        # index of each of those units, are found once per pair, not once per person.
        places: dict[tuple[str | None, str | None], tuple[tuple[str, ...], tuple[dict, ...]]] = {}
        # Each index below is filled with ``held = mapping.setdefault(key, index)``:
        # setdefault files the index when the key is new and returns what the key
        # holds. Anything but this same index means the key was taken before, and
        # _share adds the index to it. A person is filed at most once under a key
        # (their unit keys are distinct), so ``held == index`` only for a new key.
        for index, person in enumerate(roster):
            key = person.name_key or name_key(person.name)
            name_keys.append(key)
            pair = (person.unit, person.sub_unit)
            place = places.get(pair)
            if place is None:
                keys = tuple(dict.fromkeys(k for k in (units[pair[0]], units[pair[1]]) if k))
                place = places[pair] = (keys, tuple(by_unit_name.setdefault(k, {}) for k in keys))
            unit_keys.append(place[0])
            nip = person.nip
            whole = nip.nip
            if whole is not None and nip.status is _FULL:
                digits = whole.digits
                held = by_nip.setdefault(digits, index)
                if held != index:
                    _share(by_nip, digits, held, index)
            elif nip.prefix15:
                prefix = nip.prefix15
                held = damaged.setdefault(prefix, index)
                if held != index:
                    _share(damaged, prefix, held, index)
            if person.nik:
                nik = _digits(person.nik)
                if len(nik) == 16:
                    held = by_nik.setdefault(nik, index)
                    if held != index:
                        _share(by_nik, nik, held, index)
            if key:
                held = by_name.setdefault(key, index)
                if held != index:
                    _share(by_name, key, held, index)
                for names in place[1]:
                    held = names.setdefault(key, index)
                    if held != index:
                        _share(names, key, held, index)
        self.name_keys = name_keys
        self.unit_keys = unit_keys
        self.by_nip = _MultiIndex(by_nip)
        self.by_prefix15 = _Prefix15(self.by_nip, _MultiIndex(damaged))
        self.by_nik = _MultiIndex(by_nik)
        self.by_name = _MultiIndex(by_name)
        self.by_unit_name: dict[str, _MultiIndex] = {unit: _MultiIndex(names) for unit, names in by_unit_name.items()}
        self._vocabulary: _Vocabulary | None = None

    def unit_label(self, index: int) -> str:
        person = self.people[index]
        return person.unit or person.sub_unit or "no unit"

    def vocabulary(self) -> _Vocabulary:
        """The words of the roster's names, built on first use (only the fuzzy rule needs it)."""
        if self._vocabulary is None:
            self._vocabulary = _Vocabulary(self.by_name)
        return self._vocabulary


def _one_deletion(word: str) -> set[str]:
    """``word`` and every string one letter shorter: two words share one of these
    exactly when they are at most one substitution, swap, drop or addition apart."""
    variants = {word[:i] + word[i + 1 :] for i in range(len(word))}
    variants.add(word)
    return variants


class _Vocabulary:
    """Every word of the roster's names, indexed by one-deletion variants, to find the
    words within one edit of a given word."""

    def __init__(self, names: Iterable[str]) -> None:
        words: set[str] = set()
        for name in names:
            words.update(name.split())
        self.words_near: dict[str, list[str]] = defaultdict(list)
        for word in words:
            for variant in _one_deletion(word):
                self.words_near[variant].append(word)

    def near(self, key: str) -> set[str]:
        """The roster's words within one edit of a word of ``key``."""
        words: set[str] = set()
        for word in set(key.split()):
            for variant in _one_deletion(word):
                words.update(self.words_near.get(variant, ()))
        return words


class _FuzzyBlock:
    """The distinct names of one unit, indexed by word neighbourhood.

    Scoring a name against every name of a 100,000-person unit costs milliseconds;
    the names worth scoring share a word with it, give or take one typo, and the
    vocabulary of a unit is small. So the candidates of a name are the names holding
    a word within one edit of one of its words (found through the one-deletion
    variants of the vocabulary), and only those are scored. A name can only be missed
    when every one of its words is two or more edits away, which costs a ``ratio`` of
    at least 4 InDel edits: below 89 (the threshold less the margin) for any pair of
    names shorter than 18 letters each, and in longer names it drops a match to
    review or unmatched, it never creates one. One-word names are the exception:
    their whole name is the word, so a name two drops away is missed.

    A block serves the names ``keys`` queued for its unit, all known when it is built,
    so it indexes only the unit's names holding a word near one of theirs: no other
    name can be a candidate of any of them. The near words come from the vocabulary
    of the whole roster; a near word no name of the unit holds adds no candidate, so
    the candidates are those a vocabulary of the unit alone would give.
    """

    def __init__(self, carriers: _MultiIndex, keys: Iterable[str], vocabulary: _Vocabulary) -> None:
        #: name key -> the people of the unit with that name, in roster order
        self.carriers = carriers
        self.near: dict[str, set[str]] = {key: vocabulary.near(key) for key in keys}
        wanted: set[str] = set().union(*self.near.values())
        self.names_with_word: dict[str, list[str]] = defaultdict(list)
        for name in carriers:
            for word in wanted.intersection(name.split()):
                self.names_with_word[word].append(name)

    def candidates(self, key: str) -> list[str]:
        """The unit's names to score for ``key``, one of the keys the block was built for."""
        names: set[str] = set()
        for word in self.near[key]:
            names.update(self.names_with_word.get(word, ()))
        return list(names)


class _UnitKeys(dict):
    """Unit as written -> :func:`unit_key`, with the aliases normalised once: read as
    ``units[written]``, a plain dictionary look-up once a spelling has been keyed."""

    def __init__(self, aliases: Mapping[str, str] | None) -> None:
        super().__init__()
        self.aliases = {_base_unit_key(k): v for k, v in (aliases or {}).items() if k}

    def __missing__(self, unit: str | None) -> str:
        key = self[unit] = unit_key(unit, self.aliases)
        return key


# ----------------------------------------------------------------------- decisions


def _notes(*notes: str | None) -> str | None:
    """The notes that say something, joined; None when none does."""
    return "; ".join(filter(None, notes)) or None


@dataclass(slots=True)
class _Evidence:
    """What the rules need of one attestation, computed once."""

    index: int
    att: Attestation
    key: str
    unit: str


class _Matcher:
    def __init__(self, roster: _Roster, threshold: float) -> None:
        self.roster = roster
        self.threshold = threshold
        self.matches: list[Match] = []
        self.review: list[ReviewItem] = []
        self.unmatched: list[Unmatched] = []
        self.fuzzy_queue: dict[str, list[_Evidence]] = defaultdict(list)

    # -- helpers

    def _name(self, index: int) -> str:
        return self.roster.people[index].name

    def _names(self, candidates: Sequence[int]) -> str:
        shown = ", ".join(
            f"{self._name(i)} ({self.roster.unit_label(i)})" for i in candidates[:_MAX_LISTED]
        )
        more = len(candidates) - _MAX_LISTED
        return f"{shown} and {more} more" if more > 0 else shown

    def _signed_as(self, ev: _Evidence) -> str:
        return ev.att.name or "no name"

    def _unit_note(self, ev: _Evidence, index: int) -> str | None:
        if ev.unit and ev.unit not in self.roster.unit_keys[index]:
            return (
                f"signed on the sheet of {ev.att.unit}, listed in {self.roster.unit_label(index)} "
                "(another unit's sheet)"
            )
        return None

    def _names_disagree(self, ev: _Evidence, index: int) -> bool:
        """True when the names share no word and are not even loosely alike."""
        theirs = self.roster.name_keys[index]
        if not ev.key or not theirs or ev.key == theirs:
            return False
        if set(ev.key.split()) & set(theirs.split()):
            return False
        return fuzz.ratio(ev.key, theirs) < _COMPLETE_DISAGREEMENT

    def _nip_conflict(self, ev: _Evidence, index: int) -> str | None:
        """Why the evidence's NIP says it is not roster person ``index``, if it does."""
        written: ParsedNip = ev.att.nip
        own = self.roster.people[index].nip
        if written.status is _FULL and written.nip is not None:
            mine = written.nip.digits
            if own.status is _FULL and own.nip is not None:
                return None if own.nip.digits == mine else f"NIP {mine} is not the NIP of {self._name(index)}"
            prefix = own.trusted_prefix
            if prefix and prefix != mine[:15]:
                return f"NIP {mine} is not the NIP of {self._name(index)}"
            return None
        if written.status is _PARTIAL and written.prefix15:
            prefix = own.trusted_prefix
            if prefix and prefix != written.prefix15:
                return f"damaged NIP {written.written} is not the NIP of {self._name(index)}"
            return None
        if written.status is _INVALID and written.digits and len(written.digits) >= 15:
            full = own.nip.digits if own.nip is not None else None
            if full and Levenshtein.distance(written.digits, full) > 2:
                return f"NIP written {written.written!r} does not resemble the NIP of {self._name(index)}"
        return None

    def _nip_remark(self, ev: _Evidence) -> str | None:
        nip = ev.att.nip
        if nip.status is _INVALID:
            return f"NIP written {nip.written!r} not usable: {nip.reason}"
        return None

    def _accept(self, ev: _Evidence, index: int, rule: Rule, score: float = 100.0, note: str | None = None) -> None:
        self.matches.append(_new_match(index, ev.index, rule, float(score), note or None))

    def _to_review(self, ev: _Evidence, candidates: Iterable[int], reason: str) -> None:
        self.review.append(ReviewItem(ev.index, tuple(dict.fromkeys(candidates)), reason))

    # -- the rules; each returns True when it decided

    def decide(self, ev: _Evidence) -> None:
        nip = ev.att.nip
        status = nip.status
        if status is _FULL and nip.nip is not None:
            if self._exact_nip(ev, nip.nip.digits):
                return
        if status is _PARTIAL and nip.prefix15:
            if self._damaged_nip(ev, nip.prefix15):
                return
        if (status is _FULL or status is _INVALID) and nip.digits and len(nip.digits) == 18:
            if self._nip_typo(ev, nip.digits):
                return
        if ev.att.nik and self._nik(ev):  # no NIK written: _nik finds nothing
            return
        self._by_name(ev)

    def _exact_nip(self, ev: _Evidence, digits: str) -> bool:
        found = self.roster.by_nip.get(digits)
        if not found:
            # A whole NIP on the evidence, a spreadsheet-damaged one on the roster.
            damaged = [
                i for i in self.roster.by_prefix15.damaged(digits[:15])
                if self.roster.people[i].nip.status is _PARTIAL
            ]
            if damaged:
                return self._prefix_candidates(ev, damaged, digits[:15], "roster NIP damaged")
            return False
        if len(found) > 1:
            self._to_review(ev, found, f"NIP {digits} is on the roster {len(found)} times: {self._names(found)}")
            return True
        index = found[0]
        if self._names_disagree(ev, index):
            self._to_review(ev, found, f"NIP belongs to {self._name(index)}, signed as {self._signed_as(ev)}")
            return True
        self._accept(ev, index, Rule.NIP, 100.0, self._unit_note(ev, index))
        return True

    def _damaged_nip(self, ev: _Evidence, prefix: str) -> bool:
        candidates = self.roster.by_prefix15.get(prefix)
        if not candidates:
            return False
        return self._prefix_candidates(ev, candidates, prefix, "damaged NIP")

    def _prefix_candidates(self, ev: _Evidence, candidates: Sequence[int], prefix: str, what: str) -> bool:
        same = [i for i in candidates if ev.key and self.roster.name_keys[i] == ev.key]
        if len(same) == 1:
            note = f"{what}: matched on the first 15 digits ({prefix}) and the name"
            self._accept(ev, same[0], Rule.NIP_PREFIX_NAME, 100.0, _notes(note, self._unit_note(ev, same[0])))
        elif same:
            self._to_review(ev, same, f"{what} {prefix}..., {len(same)} people with that name: {self._names(same)}")
        elif not ev.key:
            self._to_review(ev, candidates, f"{what} {prefix}... and no name to tell: {self._names(candidates)}")
        else:
            self._to_review(
                ev, candidates,
                f"{what}, name differs: {prefix}... is {self._names(candidates)}, signed as {self._signed_as(ev)}",
            )
        return True

    def _nip_typo(self, ev: _Evidence, digits: str) -> bool:
        if digits in self.roster.by_nip or not ev.key:
            return False
        # The rule needs the same name, so rather than look up each of the 179 NIPs one
        # slip from ``digits`` it looks at the NIPs of the namesakes: the same people,
        # found with one look-up. Sorted as the slips are listed, then in roster order
        # (a stable sort of namesakes in roster order), as the candidates are named.
        people = self.roster.people
        near: dict[int, str] = {}
        ranks: dict[int, tuple[int, int, str]] = {}
        for i in self.roster.by_name.get(ev.key, ()):
            own = people[i].nip
            if own.status is _FULL and own.nip is not None:
                found = _slip(digits, own.nip.digits)
                if found is not None:
                    ranks[i], near[i] = found
        named = sorted(near, key=ranks.__getitem__)
        same = [i for i in named if ev.unit and ev.unit in self.roster.unit_keys[i]]
        if len(same) == 1:
            index = same[0]
            roster_nip = self.roster.people[index].nip_full
            note = f"NIP written {digits}, roster NIP {roster_nip} ({near[index]})"
            self._accept(ev, index, Rule.NIP_TYPO_NAME, 100.0, note)
            return True
        if named:
            where = "not in the unit written" if not same else "several people"
            self._to_review(
                ev, named, f"NIP {digits} is on no one; close to the NIP of {self._names(named)} ({where})"
            )
            return True
        return False

    def _nik(self, ev: _Evidence) -> bool:
        nik = _digits(ev.att.nik)
        if len(nik) != 16:
            return False
        found = self.roster.by_nik.get(nik)
        if not found:
            return False
        if len(found) > 1:
            self._to_review(ev, found, f"NIK is on the roster {len(found)} times: {self._names(found)}")
            return True
        index = found[0]
        if self._names_disagree(ev, index):
            self._to_review(ev, found, f"NIK belongs to {self._name(index)}, signed as {self._signed_as(ev)}")
            return True
        conflict = self._nip_conflict(ev, index)
        if conflict:
            self._to_review(ev, found, f"NIK matches, but {conflict}")
            return True
        self._accept(ev, index, Rule.NIK, 100.0, self._unit_note(ev, index))
        return True

    def _by_name(self, ev: _Evidence) -> None:
        if not ev.key:
            self.unmatched.append(Unmatched(ev.index, self._nothing_found(ev, "no name to match on")))
            return
        if not ev.unit:
            self._name_anywhere(ev)
            return
        names = self.roster.by_unit_name.get(ev.unit)
        if names is None:
            self._elsewhere_or_unmatched(
                ev,
                f"unit {ev.att.unit!r} is not on the roster; named {ev.att.name} there",
                f"no one named {ev.att.name}; unit {ev.att.unit!r} is not on the roster",
            )
            return
        found = names.get(ev.key)
        if not found:
            if ev.att.nip.status in (_FULL, _PARTIAL):
                # A usable NIP that none of the NIP rules could place is someone else's:
                # a name merely like a roster name adds nothing to it.
                self._fuzzy_decision(ev, [], {})
            else:
                self.fuzzy_queue[ev.unit].append(ev)
            return
        if len(found) > 1:
            self._to_review(ev, found, f"{len(found)} people named {ev.att.name} in unit {ev.att.unit}")
            return
        self._name_candidate(ev, found[0], Rule.NAME_UNIT, 100.0)

    def _name_anywhere(self, ev: _Evidence) -> None:
        found = self.roster.by_name.get(ev.key)
        if not found:
            self.unmatched.append(Unmatched(ev.index, self._nothing_found(ev, f"no one named {ev.att.name} on the roster")))
        elif len(found) > 1:
            self._to_review(ev, found, f"no unit given; {len(found)} people named {ev.att.name}: {self._names(found)}")
        else:
            self._name_candidate(ev, found[0], Rule.NAME_UNIT, 100.0, "no unit given")

    def _name_candidate(self, ev: _Evidence, index: int, rule: Rule, score: float, *notes: str | None) -> None:
        conflict = self._nip_conflict(ev, index)
        if conflict:
            self._to_review(ev, (index,), f"name matches {self._name(index)}, but {conflict}")
            return
        self._accept(ev, index, rule, score, _notes(*notes, self._nip_remark(ev)))

    def _elsewhere_or_unmatched(self, ev: _Evidence, review_reason: str, unmatched_tail: str) -> None:
        """People of that name outside the unit go to review ("<reason>: <names>"); nobody: unmatched."""
        found = self.roster.by_name.get(ev.key)
        if found:
            self._to_review(ev, found, f"{review_reason}: {self._names(found)}")
        else:
            self.unmatched.append(Unmatched(ev.index, self._nothing_found(ev, unmatched_tail)))

    def _nothing_found(self, ev: _Evidence, tail: str) -> str:
        nip = ev.att.nip
        parts = []
        if nip.status is _FULL and nip.nip is not None:
            parts.append(f"no one on the roster with NIP {nip.nip.digits}")
        elif nip.status is _PARTIAL:
            parts.append(f"no one on the roster with a NIP starting {nip.prefix15}")
        elif nip.status is _INVALID:
            parts.append(f"NIP {nip.written!r} not usable ({nip.reason})")
        if _digits(ev.att.nik):
            parts.append("NIK not on the roster")
        parts.append(tail)
        return "; ".join(parts)

    # -- rule 6, batched per unit

    def run_fuzzy(self) -> None:
        lower = self.threshold - _REVIEW_BELOW_THRESHOLD
        for unit, queue in self.fuzzy_queue.items():
            block = _FuzzyBlock(self.roster.by_unit_name[unit], (ev.key for ev in queue), self.roster.vocabulary())
            for ev in queue:
                scored = process.extract(
                    ev.key, block.candidates(ev.key), scorer=fuzz.ratio, processor=None,
                    score_cutoff=lower, limit=None,
                )
                self._fuzzy_decision(ev, scored, block.carriers)

    def _fuzzy_decision(
        self, ev: _Evidence, scored: list[tuple[str, float, int]], carriers: Mapping[str, Sequence[int]]
    ) -> None:
        if not scored:
            self._elsewhere_or_unmatched(
                ev,
                f"no one named {ev.att.name} in unit {ev.att.unit}; with that name elsewhere",
                f"no one named {ev.att.name} in unit {ev.att.unit}",
            )
            return
        scored.sort(key=lambda hit: (-hit[1], hit[0]))
        best_name, best, _ = scored[0]
        second = scored[1][1] if len(scored) > 1 else 0.0
        people = carriers[best_name]
        if best >= self.threshold and best - second >= FUZZY_MARGIN and len(people) == 1:
            note = f"name {ev.att.name} read as {self._name(people[0])} (score {best:.1f})"
            self._name_candidate(ev, people[0], Rule.FUZZY_NAME_UNIT, best, note)
            return
        candidates = [i for name, _, _ in scored for i in carriers[name]]
        listed = ", ".join(f"{name} {score:.1f}" for name, score, _ in scored[:_MAX_LISTED])
        if best < self.threshold:
            why = f"below {self.threshold:g}"
        elif len(people) > 1:
            why = f"{len(people)} people named {best_name}"
        else:
            why = f"no clear winner (lead under {FUZZY_MARGIN:g} points)"
        self._to_review(ev, candidates, f"no exact name {ev.att.name} in unit {ev.att.unit}; close names: {listed} ({why})")


# ---------------------------------------------------------------------- duplicates


def _moment(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)


def _signature_order(evidence: Sequence[Attestation], index: int) -> tuple:
    """Earliest first: dated by date, then undated; ties by file, sheet, row, position."""
    att = evidence[index]
    when = _moment(att.signed_at)
    source = att.source
    return (
        when is None,
        when or dt.datetime.min,
        source.file if source else "",
        (source.sheet or "") if source else "",
        (source.row or 0) if source else 0,
        index,
    )


# ------------------------------------------------------------------------------ API


def match(
    roster: Sequence[Employee],
    evidence: Sequence[Attestation],
    *,
    unit_aliases: Mapping[str, str] | None = None,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
    verdicts: Mapping[int, Verdict] | None = None,
) -> MatchResult:
    """Tie each attestation to at most one roster person (see the module docstring).

    Every attestation ends up in exactly one of ``signed`` (the earliest signature of
    a person), ``duplicates`` (their later ones), ``review`` or ``unmatched``. Indexes
    refer to positions in ``roster`` and ``evidence``. ``verdicts`` (attestation index
    -> :class:`Verdict`) are human decisions and win over every rule.
    """
    matches, review, unmatched = _decide_all(roster, evidence, unit_aliases, fuzzy_threshold, verdicts or {})
    result = MatchResult(
        review=sorted(review, key=lambda item: item.attestation),
        unmatched=sorted(unmatched, key=lambda item: item.attestation),
        rule_counts={rule: 0 for rule in Rule},
    )
    # Each person's first match, and all the matches of the few people matched more
    # than once, in the order they were made (no list for everyone else). setdefault
    # hands back the match already held for the person, or this one if it is the first.
    first: dict[int, Match] = {}
    several: dict[int, list[Match]] = {}
    for found in matches:
        held = first.setdefault(found.employee, found)
        if held is not found:
            several.setdefault(found.employee, [held]).append(found)
    for person in sorted(first):
        kept = first[person]
        if person in several:
            signatures = several[person]
            signatures.sort(key=lambda m: _signature_order(evidence, m.attestation))
            kept = signatures[0]
            for later in signatures[1:]:
                result.duplicates.append(Duplicate(later.attestation, person, kept.attestation))
        result.signed[person] = kept
        result.rule_counts[kept.rule] += 1
    result.duplicates.sort(key=lambda d: d.attestation)
    return result


def _decide_all(
    roster: Sequence[Employee],
    evidence: Sequence[Attestation],
    unit_aliases: Mapping[str, str] | None,
    fuzzy_threshold: float,
    verdicts: Mapping[int, Verdict],
) -> tuple[list[Match], list[ReviewItem], list[Unmatched]]:
    """Every attestation's decision, in no particular order.

    The roster index lives only in this function: it is the largest thing matching
    builds, and it is gone before the result is put together.
    """
    units = _UnitKeys(unit_aliases)
    matcher = _Matcher(_Roster(roster, units), fuzzy_threshold)
    decide = matcher.decide
    for index, att in enumerate(evidence):
        if verdicts:
            verdict = verdicts.get(index)
            if verdict is not None:
                if verdict.employee is None:
                    matcher.unmatched.append(Unmatched(index, verdict.note))
                else:
                    matcher.matches.append(Match(verdict.employee, index, Rule.REVIEWED, 100.0, verdict.note))
                continue
        key = att.name_key if att.name_key is not None else name_key(att.name)
        decide(_Evidence(index, att, key, units[att.unit]))
    matcher.run_fuzzy()
    return matcher.matches, matcher.review, matcher.unmatched
