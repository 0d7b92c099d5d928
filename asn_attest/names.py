"""Person names: titles split off, and a matching key that survives how names are typed.

The same civil servant is "Dr. H. AHMAD FAUZI, S.Pd., M.Si." in the roster, "Ahmad
Fauzi" on a Google Form and "ACHMAD FAUZI SPd" on a typed sign sheet. The matcher needs
one key for all three, and reports need the name as the roster wrote it; this module
provides both and nothing else (no fuzzy scoring: that is the matcher's job).

Titles (gelar) are split off as written: front titles (gelar depan: Dr., dr., drg.,
Prof., Ir., Drs., Dra., H., Hj., KH., Ns., apt., ...) from the start, back titles
(gelar belakang: S.Pd., M.Si., A.Md.Kep., Sp.OG., Ph.D., Lc., ...) from the end, after
the comma and also without one when the title is unmistakable ("BUDI SANTOSO SPd").

The key (``name_key``) is the name without titles, NFKC, accents stripped, upper case,
apostrophes dropped ("MA'RUF" = "MARUF"), other punctuation read as a space ("M.ALI" =
"M ALI"), whitespace collapsed, and with spelling variants folded:

* Old spelling (ejaan lama / van Ophuijsen), recognised per word by a marker that
  modern spelling never produces, OE, DJ, TJ, SJ, HJ, or a leading NJ. In such a word
  OE→U, TJ→C, DJ→J, SJ→SY, NJ→NY and every other J→Y (old J is modern Y): "SOEKARNO" =
  "SUKARNO", "DJOKO" = "JOKO", "TJAHJO" = "CAHYO", "WIDJAJA" = "WIJAYA", "SOEDJONO" =
  "SUJONO", "WAHJU" = "WAHYU". A J in a word without a marker is left alone, since it
  may be modern spelling: "JOKO" stays "JOKO", and so does the old "HIDAJAT" (which
  therefore does not meet "HIDAYAT"; the matcher's fuzzy step has to).
* CH and KH both become H. Arabic names are transliterated with kh, ch or h for the
  same letter ("KHAIRUL", "CHAIRUL", "HAIRUL"; "ACHMAD" = "AHMAD"; "MUCHLIS" =
  "MUKHLIS"), and that variation is far more common in Indonesian rosters than two
  different people whose names differ only there. "CHANDRA" becomes "HANDRA": odd to
  read, harmless, since the key is compared with keys, never shown.
* Doubled letters are single: "MUHAMMAD" = "MUHAMAD", "ABDULLAH" = "ABDULAH".

The key is applied until it no longer changes, so ``name_key(name_key(x)) ==
name_key(x)`` for any text, odd or not. A name that is only titles keeps its last title
as the name ("Dr. H." gives the key "H"), never an empty key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .nip import slot_setters

__all__ = ["PersonName", "parse_name", "name_key"]


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as written, its titles, and its matching key.

    ``display`` is the name for reports: as written with whitespace collapsed, or
    assembled "front core, back" when titles came from separate GELAR columns.
    """

    display: str
    front_titles: str
    core: str
    back_titles: str
    key: str


# ``PersonName(...)`` goes through the frozen dataclass ``__init__``, which sets each
# field with ``object.__setattr__`` looked up by name: it costs about as much as
# computing the key of a plain name. ``parse_name`` builds one per row, so it fills the
# slots directly instead. The result is the object the ``__init__`` would make: the
# class has no defaults, no ``__post_init__`` and no validation, only these five slots
# (tests/test_names.py fails if that changes).
_new_person = object.__new__
_set_display, _set_front_titles, _set_core, _set_back_titles, _set_key = slot_setters(PersonName)


def _person(display: str, front_titles: str, core: str, back_titles: str, key: str) -> PersonName:
    """``PersonName(display, front_titles, core, back_titles, key)``, built faster."""
    person = _new_person(PersonName)
    _set_display(person, display)
    _set_front_titles(person, front_titles)
    _set_core(person, core)
    _set_back_titles(person, back_titles)
    _set_key(person, key)
    return person


# ------------------------------------------------------------------------------ titles

_FRONT_TITLE_RE = re.compile(
    r"(?:(?:prof|drg|drh|dra|drs|dr|ir|hajjah|hajah|haji|hj|h|k\.?\s?h|ns|apt|"
    r"ustadzah|ustadz|ust)(?:\.\s*|\s+))+",
    re.IGNORECASE,
)
# The words of that alternation, upper-cased and without dots ("K.H." is "K H" or "KH").
# Used to spot a front title at the start of a name cheaply, and one left at the start
# of a key; a title added to the pattern has to be added here too.
_FRONT_KEY_WORDS = frozenset(
    "PROF DRG DRH DRA DRS DR IR HAJJAH HAJAH HAJI HJ H K KH NS APT USTADZAH USTADZ UST".split()
)

# Back titles, written without dots and spaces and upper-cased ("S.Pd." -> "SPD").
_BACK_TITLES = frozenset(
    """
    SPD SPDI SPDSD SPDGR SPDK SSOS SSOSI SH SHI SE SEI SEAK SKOM SKEP SKEB SST SSTP
    SSTPAR ST STR STRKES STRKEB STRKEP STRGZ STRAK STRT STRPAR STRIP STRSOS STRPI SAG
    SSI SSIT SIP SIKOM SIKEP SP SPT SS SKM SFARM SPSI SHUT SSN SKED SKG SGZ STP STH STHI
    SAK SAN SAP SHUM SSY SKH SFIL STHEOL SIPOL SPI SDS SPAR SPTK SKPM SSTHAN
    AMD AMDKEP AMDKEB AMDKES AMDFARM AMDAK AMDKOM AMDGZ AMDRO AMDPAR AMDT AMDIP AMDPI
    AMDTEM AMDKL AMDAKP AMK AMA AMAPD AMKG AMKL AMG AMAK AMRO AMF
    MSI MPD MPDI MM MH MHI MKES MKOM MT MAG MA MSC MBA MAP MAB MKN MHUM MSN MEI MSE
    MFARM MKEP MPH MIP MPSI MTR MSOS MKM MPP MTI MPA MAK MACC MIKOM MGIZI MKEB MSTAT MARS
    SPA SPOG SPPD SPB SPM SPTHT SPTHTKL SPRAD SPAN SPJP SPKK SPDV SPDVE SPKJ SPN SPP SPS
    SPU SPOT SPBS SPPK SPF SPRM SPGK SPKFR SPMK SPPA SPBP SPBA SPKG SPBM SPPROS SPORT
    SPPERIO SPKGA SPEM SPKN SPAND SPPARK SPBTKV
    PHD LC BA BSC MENG AK CA CPA APT NS GR KONS
    """.split()
)
# Titles that, written without dots and without a comma before them, could be part of
# a name: only stripped after a comma or when written with dots ("M.A.", "Ak.").
_AMBIGUOUS_BARE = frozenset({"MA", "BA", "CA", "AK", "GR", "NS", "SP", "SS"})
# The titles that count when written bare, as a single word of letters (so without dots).
_BARE_WORD_TITLES = _BACK_TITLES - _AMBIGUOUS_BARE
# After a comma, a dotted abbreviation led by a degree letter is a title even when it
# is not in the list ("S.Tr.Kes", "Sp.THT-KL", "A.Md.Gz").
_DOTTED_TITLE_RE = re.compile(
    r"(?:S|A|M|B|Sp|Ph|Amd|Ama|D[1-4])\.\s?[A-Za-z]{1,6}(?:[.\-]\s?[A-Za-z]{1,6})*\.?",
    re.IGNORECASE,
)
_SQUASH_TABLE = dict.fromkeys(map(ord, " \t\n.-'`"))

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))


def _collapse(text: str) -> str:
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def _squash(text: str) -> str:
    return text.translate(_SQUASH_TABLE).upper()


@lru_cache(maxsize=4096)
def _is_back_title_segment(segment: str) -> bool:
    """A comma-separated segment that holds only back titles (remembered: the same
    few dozen titles follow thousands of names)."""
    if not segment:
        return False
    if _squash(segment) in _BACK_TITLES or _DOTTED_TITLE_RE.fullmatch(segment):
        return True
    tokens = segment.split()
    return len(tokens) > 1 and all(
        _squash(token) in _BACK_TITLES or _DOTTED_TITLE_RE.fullmatch(token) for token in tokens
    )


def _is_bare_back_title(token: str) -> bool:
    """A title written after the name without a comma ("BUDI SANTOSO SPd")."""
    if token.isalpha():
        # The usual case (the last word of a name): one set look-up. A word of letters
        # has no dot, so an ambiguous title never counts here.
        return token.upper() in _BARE_WORD_TITLES
    squashed = _squash(token)
    if squashed not in _BACK_TITLES:
        return False
    return squashed not in _AMBIGUOUS_BARE or "." in token


def _split_titles(display: str) -> tuple[str, str, str]:
    """``(front, core, back)`` of a whitespace-collapsed name (its only whitespace is
    single spaces).

    Called for every row, and most names have no front title and end in a plain
    word: the cheap tests below let those skip the pattern and the title loops.
    """
    front = ""
    rest = display
    # The front-title pattern needs a title word followed by a dot or by whitespace,
    # so in an ASCII name the first word (up to the first space) either holds a dot
    # ("Dr.", "K.H.", "dr.H.Andi") or is itself a title word ("DR", "Hj", the "K" of
    # "K H"); any other first word rules the pattern out. Outside ASCII the pattern
    # always decides: matching ignores case, and then other letters can stand for
    # ASCII ones (the Kelvin sign for "k").
    first_word = display.partition(" ")[0]
    if not display.isascii() or "." in first_word or first_word.upper() in _FRONT_KEY_WORDS:
        match = _FRONT_TITLE_RE.match(display)
        if match:
            front = match.group().strip()
            rest = display[match.end() :]
    back: list[str] = []
    if "," in rest:
        segments = rest.split(",")
        while len(segments) > 1 and _is_back_title_segment(segments[-1].strip()):
            back.append(segments.pop().strip())
        back.reverse()
        rest = ",".join(segments)
    tokens = rest.split()
    # A name ending in a word of letters that is no title (most of them) has no bare
    # back title: the test ``_is_bare_back_title`` makes of such a word, done here.
    last = tokens[-1] if tokens else ""
    if len(tokens) > 1 and (not last.isalpha() or last.upper() in _BARE_WORD_TITLES):
        bare: list[str] = []
        while len(tokens) > 1 and _is_bare_back_title(tokens[-1].rstrip(",")):
            bare.append(tokens.pop().rstrip(","))
        if bare:
            bare.reverse()
            back = bare + back
            rest = " ".join(tokens)
    core = rest.strip(" ,")
    if not core:
        # Only titles: keep the last front title (or the first back title) as the
        # name rather than an empty one.
        if front:
            titles = front.split()
            core, front = titles[-1], " ".join(titles[:-1])
        elif back:
            core = back.pop(0)
    return front, core, ", ".join(back)


# --------------------------------------------------------------------------------- key

_APOSTROPHES = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bc\u00b4"))
_NON_WORD_RE = re.compile(r"[\W_]+")
_OLD_MARKER_RE = re.compile(r"OE|DJ|TJ|SJ|HJ|NJ")
_OLD_WORD_RE = re.compile(r"\b\w*(?:OE|DJ|TJ|SJ|HJ)\w*|\bNJ\w*")
_DOUBLE_LETTER_RE = re.compile(r"([^\W\d_])\1+")
# Anything a spelling fold would find: most names need none, and one search says so.
_RECHECK_RE = re.compile(r"CH|KH|OE|DJ|TJ|SJ|HJ|NJ|([^\W\d_])\1")


def _modernise(match: re.Match[str]) -> str:
    word = match.group()
    word = word.replace("OE", "U").replace("TJ", "C").replace("SJ", "SY").replace("NJ", "NY")
    return word.replace("DJ", "\0").replace("J", "Y").replace("\0", "J")


def _clean_key(text: str) -> str:
    # Each step is guarded by a cheap test: most names need few of them, and the
    # key is computed for every row of every file.
    if not text.isascii():
        text = "".join(
            char
            for char in unicodedata.normalize("NFKD", text)
            if not unicodedata.combining(char)
        )
        text = unicodedata.normalize("NFKC", text)
    text = text.upper()
    if not text.replace(" ", "").isalpha():
        text = _NON_WORD_RE.sub(" ", text.translate(_APOSTROPHES))
    if _RECHECK_RE.search(text):
        if _OLD_MARKER_RE.search(text):
            text = _OLD_WORD_RE.sub(_modernise, text)
        if "H" in text:
            text = text.replace("CH", "H").replace("KH", "H")
        if _DOUBLE_LETTER_RE.search(text):
            text = _DOUBLE_LETTER_RE.sub(_single_letter, text)
    return " ".join(text.split())


def _single_letter(match: re.Match[str]) -> str:
    return match.group(1)


def _title_at_edge(key: str) -> bool:
    """Does the key of several words start with a front title word or end with an
    unmistakable back title? Then splitting titles off it again could shorten it."""
    first_space = key.find(" ")
    if first_space < 0:
        return False
    return (
        key[:first_space] in _FRONT_KEY_WORDS
        or key[key.rfind(" ") + 1 :] in _BARE_WORD_TITLES
    )


def _may_change_again(key: str) -> bool:
    """Could another round of the key change ``key``? Cheap, and sure to say yes
    when it could (then the round is simply run)."""
    if not key.isascii():
        return True
    return _title_at_edge(key) or _RECHECK_RE.search(key) is not None


# Keys of single words, each with whether a fold could still find something in it
# (``_RECHECK_RE``). A roster of 100,000 names has far fewer different words than
# names ("SITI", "NUR", "AHMAD", ...), so words are remembered where whole names would
# not be. Bounded: emptied when full, which only costs recomputing.
_WORD_KEYS: dict[str, tuple[str, bool]] = {}
_WORD_KEYS_LIMIT = 1 << 16


def _word_key(word: str) -> tuple[str, bool]:
    """``(_clean_key(word), whether _RECHECK_RE finds something in it)`` for an ASCII
    word, remembered."""
    key = word.upper()
    if key.isalpha() and not _RECHECK_RE.search(key):
        # The usual word: letters only and nothing to fold, so ``_clean_key`` would
        # only upper-case it, and its key has nothing to find either.
        entry = (key, False)
    else:
        key = _clean_key(word)
        entry = (key, _RECHECK_RE.search(key) is not None)
    if len(_WORD_KEYS) >= _WORD_KEYS_LIMIT:
        _WORD_KEYS.clear()
    _WORD_KEYS[word] = entry
    return entry


def _key_of_core(core: str) -> str:
    """The key of a name with its titles split off: ``_clean_key`` applied until the
    key no longer changes (see ``_may_change_again``)."""
    if core.isascii():
        # On ASCII text ``_clean_key`` works word by word, so the key is the keys of
        # the words joined by single spaces, empty ones left out ("-" has none):
        # upper-casing is letter by letter; the punctuation step leaves a word of
        # letters alone and turns punctuation into spaces, so it only splits words;
        # the old-spelling fold rewrites whole words; CH, KH and doubled letters
        # never span a space. (Outside ASCII, normalisation and case mapping are not
        # letter by letter, so such names take ``_clean_key`` whole.)
        parts = []
        unsettled = False
        for word in core.split():
            key, again = _WORD_KEYS.get(word) or _word_key(word)
            if key:
                parts.append(key)
            unsettled = unsettled or again
        key = " ".join(parts)
        # Is the key final, ``_may_change_again(key)`` false? Its search is answered
        # by the words (no pattern of ``_RECHECK_RE`` spans a space); what is left is
        # ``_title_at_edge(key)``, read off the first and last parts when they are
        # single words, as nearly all are ("H.ALI" gives the two words "H ALI").
        if not unsettled:
            if not parts:
                return key
            first, last = parts[0], parts[-1]
            if " " in first or " " in last:
                if not _title_at_edge(key):
                    return key
            elif len(parts) == 1 or (
                first not in _FRONT_KEY_WORDS and last not in _BARE_WORD_TITLES
            ):
                return key
    else:
        key = _clean_key(core)
    for _ in range(16):
        if not _may_change_again(key):
            break
        again = _clean_key(_split_titles(key)[1])
        if again == key:
            break
        key = again
    return key


def name_key(text: str | None) -> str:
    """The matching key of a name: titles, case, accents, punctuation and spelling
    variants gone (see the module docstring for the exact folds)."""
    if not text:
        return ""
    return _key_of_core(_split_titles(_collapse(text))[1])


def _clean_gelar(value: str | None) -> str:
    if not value:
        return ""
    cleaned = _collapse(value).strip(" ,")
    return "" if cleaned in {"-", "–", "—"} else cleaned


def _merge_titles(parsed: str, column: str, separator: str, column_first: bool) -> str:
    """Titles from the name text and from its GELAR column, once each; when both say
    the same, the column's spelling wins (it is the curated one)."""
    if not parsed or _squash(parsed) == _squash(column):
        return column
    if not column:
        return parsed
    return f"{column}{separator}{parsed}" if column_first else f"{parsed}{separator}{column}"


def parse_name(
    text: str | None, gelar_depan: str | None = None, gelar_belakang: str | None = None
) -> PersonName:
    """Split a written name into display form, titles, core and key.

    ``gelar_depan``/``gelar_belakang`` are the separate GELAR DEPAN / GELAR BELAKANG
    columns of SIASN-style exports; when given, ``display`` is assembled from them
    the usual way ("Dr. H. AHMAD FAUZI, S.Pd., M.Si.").
    """
    display, front, core, back = _parts(text, gelar_depan, gelar_belakang)
    return _person(display, front, core, back, _key_of_core(core))


def display_and_key(
    text: str | None, gelar_depan: str | None = None, gelar_belakang: str | None = None
) -> tuple[str, str]:
    """``(display, key)`` of :func:`parse_name`, without the rest: what a reader keeps of
    every row's name."""
    display, _, core, _ = _parts(text, gelar_depan, gelar_belakang)
    return display, _key_of_core(core)


def _parts(text: str | None, gelar_depan: str | None, gelar_belakang: str | None) -> tuple[str, str, str, str]:
    """``(display, front titles, core, back titles)`` of :func:`parse_name`."""
    display = _collapse(text) if text else ""
    front, core, back = _split_titles(display)
    if gelar_depan or gelar_belakang:
        column_front = _clean_gelar(gelar_depan)
        column_back = _clean_gelar(gelar_belakang)
        if column_front or column_back:
            front = _merge_titles(front, column_front, " ", column_first=True)
            back = _merge_titles(back, column_back, ", ", column_first=False)
            display = f"{front} {core}".strip() if front else core
            if back:
                display = f"{display}, {back}" if display else back
    return display, front, core, back
