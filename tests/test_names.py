from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_attest import names
from asn_attest.names import PersonName, name_key, parse_name


def test_full_title_name_is_split_into_front_core_back() -> None:
    name = parse_name("Dr. H. AHMAD FAUZI, S.Pd., M.Si.")
    assert name == PersonName(
        display="Dr. H. AHMAD FAUZI, S.Pd., M.Si.",
        front_titles="Dr. H.",
        core="AHMAD FAUZI",
        back_titles="S.Pd., M.Si.",
        key="AHMAD FAUZI",
    )


@pytest.mark.parametrize(
    ("written", "front", "core", "back"),
    [
        ("Hj. SITI AMINAH, S.Kep.,Ns", "Hj.", "SITI AMINAH", "S.Kep., Ns"),
        ("dr. BUDI SANTOSO, Sp.OG", "dr.", "BUDI SANTOSO", "Sp.OG"),
        ("drg. RINA MARLINA", "drg.", "RINA MARLINA", ""),
        ("Prof.Dr.Ir.H. MUHAMMAD ALI, M.Sc., Ph.D.", "Prof.Dr.Ir.H.", "MUHAMMAD ALI", "M.Sc., Ph.D."),
        ("Drs. I NYOMAN SUDARMA, M.Pd.", "Drs.", "I NYOMAN SUDARMA", "M.Pd."),
        ("Dra. NI MADE SRI, M.M.", "Dra.", "NI MADE SRI", "M.M."),
        ("KH. MA'RUF AMIN", "KH.", "MA'RUF AMIN", ""),
        ("K.H. Ahmad Dahlan", "K.H.", "Ahmad Dahlan", ""),
        ("Hajjah Fatimah", "Hajjah", "Fatimah", ""),
        ("Ir. H. Joko Susilo, MT", "Ir. H.", "Joko Susilo", "MT"),
        ("dr.H.Andi Rahman", "dr.H.", "Andi Rahman", ""),
        ("Ns. DEWI LESTARI, S.Kep", "Ns.", "DEWI LESTARI", "S.Kep"),
        ("apt. RINA, S.Farm", "apt.", "RINA", "S.Farm"),
        ("SITI NURHALIZA, A.Md.Keb", "", "SITI NURHALIZA", "A.Md.Keb"),
        ("Nur Aini, Amd.Keb.", "", "Nur Aini", "Amd.Keb."),
        ("AHMAD ZAKI, Lc., M.A.", "", "AHMAD ZAKI", "Lc., M.A."),
        ("Rudi Hartono, S.Tr.Kes", "", "Rudi Hartono", "S.Tr.Kes"),
        ("dr. Andi, Sp.THT-KL", "dr.", "Andi", "Sp.THT-KL"),
        ("YULIANA, S.Pd.SD", "", "YULIANA", "S.Pd.SD"),
        ("DJOKO WIDODO, SE, MM", "", "DJOKO WIDODO", "SE, MM"),
        ("Budi Santoso, S. Pd., M. Pd", "", "Budi Santoso", "S. Pd., M. Pd"),
        ("SRI MULYANI,S.H.,M.H.", "", "SRI MULYANI", "S.H., M.H."),
    ],
)
def test_titles_are_split_off_as_written(written: str, front: str, core: str, back: str) -> None:
    name = parse_name(written)
    assert (name.front_titles, name.core, name.back_titles) == (front, core, back)
    assert name.display == written


@pytest.mark.parametrize(
    ("written", "core", "back"),
    [
        ("ACHMAD FAUZI SPd", "ACHMAD FAUZI", "SPd"),
        ("BUDI SANTOSO SE MM", "BUDI SANTOSO", "SE, MM"),
        ("TJAHJO KUMOLO S.H.", "TJAHJO KUMOLO", "S.H."),
        ("Siti Aminah S.Pd.I", "Siti Aminah", "S.Pd.I"),
        ("RINA AMd.Kep", "RINA", "AMd.Kep"),
    ],
)
def test_unmistakable_back_titles_without_a_comma_are_split_off(
    written: str, core: str, back: str
) -> None:
    name = parse_name(written)
    assert (name.core, name.back_titles) == (core, back)


@pytest.mark.parametrize(
    "written",
    ["ANI MA", "DEWI SP", "HADI GR", "RAHMAT NS", "MARIA AK"],
)
def test_short_bare_words_that_could_be_names_are_kept(written: str) -> None:
    assert parse_name(written).core == written


@pytest.mark.parametrize("written", ["DRAJAT SUPRAPTO", "HADI SUSILO", "IRWAN", "Hendra", "APRIANI", "NSA"])
def test_names_that_start_like_a_title_are_not_cut(written: str) -> None:
    name = parse_name(written)
    assert name.core == written and name.front_titles == ""


def test_a_name_after_a_comma_that_is_not_a_title_stays_in_the_core() -> None:
    name = parse_name("FAUZI, AHMAD, S.Pd")
    assert name.core == "FAUZI, AHMAD"
    assert name.back_titles == "S.Pd"
    assert name.key == "FAUZI AHMAD"


def test_whitespace_is_collapsed_in_display() -> None:
    name = parse_name("  Dr.\u00a0 AHMAD\t\tFAUZI ,  S.Pd. \u200b")
    assert name.display == "Dr. AHMAD FAUZI , S.Pd."
    assert name.core == "AHMAD FAUZI"


def test_gelar_columns_are_assembled_into_display() -> None:
    name = parse_name("AHMAD FAUZI", "Dr. H.", "S.Pd., M.Si.")
    assert name.display == "Dr. H. AHMAD FAUZI, S.Pd., M.Si."
    assert name.front_titles == "Dr. H."
    assert name.back_titles == "S.Pd., M.Si."
    assert name.key == "AHMAD FAUZI"


def test_gelar_columns_with_dashes_or_blanks_add_nothing() -> None:
    assert parse_name("AHMAD FAUZI", "-", "").display == "AHMAD FAUZI"
    assert parse_name("AHMAD FAUZI", None, "S.Pd").display == "AHMAD FAUZI, S.Pd"
    assert parse_name("AHMAD FAUZI", "dr.", None).display == "dr. AHMAD FAUZI"


def test_gelar_columns_do_not_repeat_titles_already_in_the_name() -> None:
    name = parse_name("dr AHMAD FAUZI, M.Si", "Dr.", "M.Si.")
    assert name.display == "Dr. AHMAD FAUZI, M.Si."
    name = parse_name("Dr. AHMAD FAUZI", "Prof.", "")
    assert name.display == "Prof. Dr. AHMAD FAUZI"


@pytest.mark.parametrize(
    ("written", "core", "key"),
    [("Dr. H.", "H.", "H"), ("S.Pd", "S.Pd", "S PD"), (", S.Pd.", "S.Pd.", "S PD"), ("Drs.", "Drs.", "DRS")],
)
def test_a_name_that_is_only_titles_keeps_something(written: str, core: str, key: str) -> None:
    name = parse_name(written)
    assert name.core == core
    assert name.key == key


def test_empty_or_missing_name_gives_empty_parts() -> None:
    assert parse_name("") == PersonName("", "", "", "", "")
    assert parse_name(None) == PersonName("", "", "", "", "")
    assert parse_name("   ").key == ""
    assert name_key(None) == ""


# -------------------------------------------------------------------------------- key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SOEKARNO", "Sukarno"),
        ("Ir. H. Soekarno", "SUKARNO"),
        ("DJOKO WIDODO, SE", "Joko Widodo"),
        ("TJAHJO KUMOLO", "Cahyo Kumolo"),
        ("SJAHRIR", "Syahrir"),
        ("WIDJAJA", "WIJAYA"),
        ("SOEDJONO", "Sujono"),
        ("SOEJONO", "Suyono"),
        ("WAHJU HIDAYAT", "Wahyu Hidayat"),
        ("JAHJA", "Yahya"),
        ("NJOTO", "Nyoto"),
        ("ACHMAD", "Ahmad"),
        ("KHAIRUL ANWAR", "Chairul Anwar"),
        ("MUCHLIS", "Mukhlis"),
        ("MUHAMMAD", "Muhamad"),
        ("ABDULLAH", "Abdulah"),
        ("MA'RUF AMIN", "Maruf Amin"),
        ("Ma\u2019ruf Amin", "MARUF AMIN"),
        ("José Müller", "JOSE MULLER"),
        ("ＳＩＴＩ ＡＭＩＮＡＨ", "Siti Aminah"),
        ("Siti-Aminah", "SITI AMINAH"),
        ("Dr. H. AHMAD FAUZI, S.Pd., M.Si.", "ahmad   fauzi"),
        ("ACHMAD FAUZI SPd", "Ahmad Fauzi"),
    ],
)
def test_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("JOKO", "YOKO"),  # a J with no old-spelling marker may be modern: kept
        ("AHMAD FAUZI", "AHMAD FAUZAN"),
        ("SITI AMINAH", "SITI AMINAH RAHMAN"),
        ("ANI MA", "ANI"),
    ],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_key_is_upper_case_words_separated_by_single_spaces() -> None:
    assert name_key("  m.  nasir ,  S.Ag ") == "M NASIR"
    assert name_key("R.A. KARTINI") == "R A KARTINI"


def test_parse_name_key_equals_name_key() -> None:
    for written in ("Dr. H. AHMAD FAUZI, S.Pd., M.Si.", "TJAHJO KUMOLO S.H.", "Dr. H."):
        assert parse_name(written).key == name_key(written)


def test_key_of_the_core_ignores_gelar_columns() -> None:
    assert parse_name("AHMAD FAUZI", "Dr.", "S.Pd").key == name_key("AHMAD FAUZI")


NAME_ALPHABET = st.sampled_from(
    list("ABCDEHIJKLMNOSTUYabcdehjkostu .,'-")
    + ["DJ", "TJ", "OE", "SJ", "CH", "KH", "Dr.", "H.", "S.Pd", "SE", "é", "ß", "\u00a0"]
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.lists(NAME_ALPHABET, max_size=12).map("".join)))
def test_key_never_crashes_and_is_idempotent(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    name = parse_name(text)
    assert name.key == key
    assert name.key == " ".join(name.key.split())


@settings(max_examples=200, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_parse_name_never_crashes_with_gelar_columns(text: str, front: str | None, back: str | None) -> None:
    name = parse_name(text, front, back)
    assert name_key(name.key) == name.key


def _clean_key_unguarded(text: str) -> str:
    """``names._clean_key`` with every fold applied unconditionally: the cheap tests
    that let most names skip a fold must never skip one that changes the key."""
    text = unicodedata.normalize(
        "NFKC", "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    )
    text = names._NON_WORD_RE.sub(" ", text.upper().translate(names._APOSTROPHES))
    text = names._OLD_WORD_RE.sub(names._modernise, text)
    text = text.replace("CH", "H").replace("KH", "H")
    text = names._DOUBLE_LETTER_RE.sub(names._single_letter, text)
    return " ".join(text.split())


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(), st.lists(NAME_ALPHABET | st.sampled_from(["NJ", "HJ", "LL"]), max_size=12).map("".join)))
def test_skipping_folds_a_name_does_not_need_changes_no_key(text: str) -> None:
    assert names._clean_key(text) == _clean_key_unguarded(text)

