from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from asn_attest.matching import (
    FUZZY_THRESHOLD,
    Duplicate,
    Match,
    MatchResult,
    Rule,
    _FuzzyBlock,
    _Roster,
    _slip,
    _UnitKeys,
    match,
    unit_key,
)
from asn_attest.names import parse_name
from asn_attest.nip import NipStatus, parse_nip
from asn_attest.records import Attestation, Channel, Employee, Provenance

DIKBUD = "Dinas Pendidikan"
DINKES = "Dinas Kesehatan"

NIP_A = "198503152010011001"
NIP_B = "199001012015032002"
NIP_C = "197812252005011003"


def person(
    name: str,
    nip: object = None,
    unit: str | None = DIKBUD,
    *,
    sub_unit: str | None = None,
    nik: str | None = None,
    row: int = 2,
) -> Employee:
    parsed = parse_name(name)
    return Employee(
        name=parsed.display,
        name_key=parsed.key,
        nip=parse_nip(nip),
        source=Provenance("roster.xlsx", "Sheet1", row),
        unit=unit,
        sub_unit=sub_unit,
        nik=nik,
    )


def signature(
    name: str | None = None,
    nip: object = None,
    unit: str | None = None,
    *,
    nik: str | None = None,
    signed_at: dt.date | dt.datetime | None = None,
    file: str = "form.csv",
    row: int = 2,
) -> Attestation:
    return Attestation(
        channel=Channel.FORM,
        source=Provenance(file, None, row),
        nip=parse_nip(nip),
        name=name,
        name_key=parse_name(name).key if name else None,
        unit=unit,
        nik=nik,
        signed_at=signed_at,
    )


def placed(result: MatchResult, count: int) -> None:
    """Every attestation is in exactly one place."""
    seen = (
        [m.attestation for m in result.signed.values()]
        + [d.attestation for d in result.duplicates]
        + [r.attestation for r in result.review]
        + [u.attestation for u in result.unmatched]
    )
    assert sorted(seen) == list(range(count))


def only_match(result: MatchResult) -> Match:
    assert len(result.signed) == 1, (result.review, result.unmatched)
    return next(iter(result.signed.values()))


# ------------------------------------------------------------------------------- NIP


def test_exact_nip_matches_the_person_with_that_nip() -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("SITI AMINAH", NIP_B)]
    result = match(roster, [signature("Siti Aminah", NIP_B, DIKBUD)])
    assert result.signed == {1: Match(1, 0, Rule.NIP, 100.0, None)}
    assert result.rule_counts[Rule.NIP] == 1


def test_a_match_is_a_frozen_value() -> None:
    found = only_match(match([person("BUDI SANTOSO", NIP_A)], [signature("Budi Santoso", NIP_A, DINKES)]))
    same = Match(0, 0, Rule.NIP, 100.0, found.note)
    assert found == same and hash(found) == hash(same) and repr(found) == repr(same)
    assert found.note is not None and "another unit's sheet" in found.note
    with pytest.raises(AttributeError):
        found.note = None  # type: ignore[misc]


def test_exact_nip_without_a_name_still_matches() -> None:
    result = match([person("BUDI SANTOSO", NIP_A)], [signature(None, NIP_A)])
    assert only_match(result).rule is Rule.NIP


def test_exact_nip_signed_under_a_completely_different_name_goes_to_review() -> None:
    roster = [person("BUDI SANTOSO", NIP_A)]
    result = match(roster, [signature("RINA MARLINA", NIP_A, DIKBUD)])
    assert result.signed == {}
    assert len(result.review) == 1
    assert result.review[0].candidates == (0,)
    assert result.review[0].reason == "NIP belongs to BUDI SANTOSO, signed as RINA MARLINA"


def test_exact_nip_with_a_shortened_name_still_counts() -> None:
    roster = [person("MUHAMMAD BUDI SANTOSO", NIP_A)]
    assert only_match(match(roster, [signature("Budi", NIP_A)])).employee == 0


def test_signed_on_another_units_sheet_is_counted_with_a_note() -> None:
    roster = [person("BUDI SANTOSO", NIP_A, DINKES)]
    found = only_match(match(roster, [signature("BUDI SANTOSO", NIP_A, "DINAS PENDIDIKAN KAB. BOGOR")]))
    assert found.rule is Rule.NIP
    assert found.note is not None
    assert "DINAS PENDIDIKAN KAB. BOGOR" in found.note and DINKES in found.note


def test_same_unit_written_differently_gets_no_note() -> None:
    roster = [person("BUDI SANTOSO", NIP_A, "Dinas Kesehatan Kabupaten Bogor")]
    found = only_match(match(roster, [signature("BUDI SANTOSO", NIP_A, "DINAS KESEHATAN")]))
    assert found.note is None


def test_damaged_nip_with_the_same_name_matches_on_fifteen_digits() -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("AGUS SALIM", "198503152010011002")]
    damaged = int(NIP_A)  # a numeric cell: Excel kept 15 digits
    assert parse_nip(damaged).status is NipStatus.PARTIAL
    found = only_match(match(roster, [signature("Budi Santoso", damaged, DIKBUD)]))
    assert (found.employee, found.rule) == (0, Rule.NIP_PREFIX_NAME)


def test_damaged_nip_with_a_different_name_goes_to_review_and_is_not_counted() -> None:
    roster = [person("BUDI SANTOSO", NIP_A)]
    result = match(roster, [signature("AGUS SALIM", "198503152010011000", DIKBUD)])
    assert result.signed == {}
    assert [(r.candidates, "name differs" in r.reason) for r in result.review] == [((0,), True)]


def test_damaged_nip_shared_by_two_namesakes_goes_to_review_with_both() -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("BUDI SANTOSO", "198503152010011002", DINKES)]
    result = match(roster, [signature("BUDI SANTOSO", "198503152010011000")])
    assert result.signed == {}
    assert result.review[0].candidates == (0, 1)


def test_whole_nip_matches_a_roster_row_whose_nip_excel_damaged() -> None:
    roster = [person("BUDI SANTOSO", int(NIP_A))]
    found = only_match(match(roster, [signature("BUDI SANTOSO", NIP_A, DIKBUD)]))
    assert found.rule is Rule.NIP_PREFIX_NAME


@pytest.mark.parametrize(
    ("written", "slip"),
    [
        ("198503152010011007", "one digit off"),
        ("198503152010011010", "two digits swapped"),
        ("198503512010011001", "two digits swapped"),
    ],
)
def test_nip_typo_with_the_same_name_and_unit_matches(written: str, slip: str) -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("SITI AMINAH", NIP_B)]
    found = only_match(match(roster, [signature("Budi Santoso", written, DIKBUD)]))
    assert (found.employee, found.rule) == (0, Rule.NIP_TYPO_NAME)
    assert found.note is not None and slip in found.note


def test_nip_typo_under_another_name_is_not_counted() -> None:
    roster = [person("BUDI SANTOSO", NIP_A)]
    result = match(roster, [signature("AGUS SALIM", "198503152010011007", DIKBUD)])
    assert result.signed == {}
    assert "no one on the roster with NIP 198503152010011007" in result.unmatched[0].reason


def test_nip_typo_with_the_same_name_in_another_unit_goes_to_review() -> None:
    roster = [person("BUDI SANTOSO", NIP_A, DINKES)]
    result = match(roster, [signature("BUDI SANTOSO", "198503152010011007", DIKBUD)])
    assert result.signed == {}
    assert result.review[0].candidates == (0,)


def test_valid_nip_of_a_namesake_from_elsewhere_is_not_counted_by_name() -> None:
    # Someone from another agency with the same name filled in this form.
    roster = [person("BUDI SANTOSO", NIP_A)]
    result = match(roster, [signature("BUDI SANTOSO", NIP_C, DIKBUD)])
    assert result.signed == {}
    assert result.review[0].candidates == (0,)


def test_nip_on_the_roster_twice_goes_to_review() -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("BUDI SANTOSO", NIP_A, DINKES)]
    result = match(roster, [signature("BUDI SANTOSO", NIP_A)])
    assert result.signed == {}
    assert result.review[0].candidates == (0, 1)


# ------------------------------------------------------------------------------- NIK


def test_nik_of_an_esignature_log_matches() -> None:
    roster = [person("BUDI SANTOSO", NIP_A, nik="3201011503850001"), person("SITI AMINAH", NIP_B)]
    found = only_match(match(roster, [signature("BUDI SANTOSO", None, nik="3201011503850001")]))
    assert (found.employee, found.rule) == (0, Rule.NIK)


def test_nik_signed_under_a_completely_different_name_goes_to_review() -> None:
    roster = [person("BUDI SANTOSO", NIP_A, nik="3201011503850001")]
    result = match(roster, [signature("RINA MARLINA", None, nik="3201011503850001")])
    assert result.signed == {}
    assert len(result.review) == 1


# ------------------------------------------------------------------------------ names


@pytest.mark.parametrize("written", ["-", "honorer", None])
def test_non_asn_without_nip_is_matched_by_name_and_unit(written: str | None) -> None:
    roster = [person("RINA MARLINA", None, DIKBUD), person("RINA MARLINA", None, DINKES)]
    found = only_match(match(roster, [signature("Rina Marlina", written, "dinas pendidikan")]))
    assert (found.employee, found.rule) == (0, Rule.NAME_UNIT)


def test_name_matches_a_sub_unit_too() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD, sub_unit="UPT SD Negeri 1 Cibinong")]
    found = only_match(match(roster, [signature("RINA MARLINA", None, "UPT SD NEGERI 1 CIBINONG")]))
    assert found.employee == 0


@pytest.mark.parametrize(
    ("roster_name", "written"),
    [
        ("SITI AMINAH", "siti aminah"),
        ("Dr. H. AHMAD FAUZI, S.Pd., M.Si.", "Ahmad Fauzi"),
        ("AHMAD FAUZI", "ACHMAD FAUZI SPd"),
        ("SUKARNO", "Soekarno"),
        ("JOKO WIDODO", "Djoko Widodo"),
        ("MUHAMMAD ALI", "Muhamad Ali"),
    ],
)
def test_names_in_other_case_with_titles_or_old_spellings_match(roster_name: str, written: str) -> None:
    roster = [person(roster_name, None), person("BUDI SANTOSO", None)]
    found = only_match(match(roster, [signature(written, "-", DIKBUD)]))
    assert (found.employee, found.rule, found.score) == (0, Rule.NAME_UNIT, 100.0)


def test_two_people_with_the_same_name_in_one_unit_go_to_review_with_both() -> None:
    roster = [person("SITI AMINAH", NIP_A), person("BUDI", NIP_B), person("Hj. SITI AMINAH", NIP_C)]
    result = match(roster, [signature("SITI AMINAH", None, DIKBUD)])
    assert result.signed == {}
    assert result.review[0].candidates == (0, 2)
    assert "2 people named SITI AMINAH" in result.review[0].reason


def test_name_without_a_unit_matches_when_unique_with_a_note() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD), person("BUDI SANTOSO", None, DINKES)]
    found = only_match(match(roster, [signature("RINA MARLINA")]))
    assert found.note == "no unit given"


def test_notes_of_a_match_are_joined_in_order() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD), person("BUDI SANTOSO", None, DINKES)]
    found = only_match(match(roster, [signature("RINA MARLINA", "19850315")]))
    assert found.note is not None
    assert found.note.startswith("no unit given; NIP written '19850315' not usable: ")
    damaged = only_match(
        match([person("BUDI SANTOSO", NIP_A, DINKES)], [signature("BUDI SANTOSO", int(NIP_A), DIKBUD)])
    )
    assert damaged.note is not None
    first, second = damaged.note.split("; ")
    assert first == f"damaged NIP: matched on the first 15 digits ({NIP_A[:15]}) and the name"
    assert second.startswith("signed on the sheet of Dinas Pendidikan, listed in Dinas Kesehatan")


def test_name_without_a_unit_shared_by_two_people_goes_to_review() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD), person("RINA MARLINA", None, DINKES)]
    result = match(roster, [signature("RINA MARLINA")])
    assert result.signed == {} and result.review[0].candidates == (0, 1)


def test_name_in_a_unit_not_on_the_roster_is_not_counted() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD)]
    result = match(roster, [signature("RINA MARLINA", None, "Kementerian Agama")])
    assert result.signed == {}
    assert result.review[0].candidates == (0,)


def test_unit_aliases_map_short_forms_to_the_roster_unit() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD)]
    evidence = [signature("RINA MARLINA", None, "Disdik")]
    assert match(roster, evidence).signed == {}
    found = only_match(match(roster, evidence, unit_aliases={"DISDIK": DIKBUD}))
    assert found.rule is Rule.NAME_UNIT


def test_stranger_is_unmatched_with_the_reason() -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("SITI AMINAH", NIP_B)]
    result = match(roster, [signature("YOHANES KRISTIANTO", NIP_C, DIKBUD)])
    assert result.signed == {} and result.review == []
    reason = result.unmatched[0].reason
    assert f"no one on the roster with NIP {NIP_C}" in reason
    assert "no one named YOHANES KRISTIANTO in unit Dinas Pendidikan" in reason


def test_signature_with_neither_nip_nik_nor_name_is_unmatched() -> None:
    result = match([person("BUDI SANTOSO", NIP_A)], [signature(None, "-", DIKBUD)])
    assert result.unmatched[0].reason == "no name to match on"


# ---------------------------------------------------------------- the name index per unit


def test_same_name_in_two_units_matches_the_one_in_the_unit_written() -> None:
    roster = [person("RINA MARLINA", None, DIKBUD), person("RINA MARLINA", None, DINKES)]
    evidence = [signature("RINA MARLINA", None, DINKES), signature("RINA MARLINA", None, DIKBUD)]
    result = match(roster, evidence)
    assert {m.attestation: m.employee for m in result.signed.values()} == {0: 1, 1: 0}
    assert all(m.rule is Rule.NAME_UNIT for m in result.signed.values())


def test_same_name_twice_in_a_unit_lists_only_that_units_namesakes_in_roster_order() -> None:
    roster = [
        person("SITI AMINAH", None, DINKES),
        person("SITI AMINAH", None, DIKBUD),
        person("SITI AMINAH", None, "Sekretariat Daerah"),
        person("SITI AMINAH", None, DIKBUD),
    ]
    result = match(roster, [signature("Siti Aminah", None, DIKBUD)])
    assert result.signed == {}
    assert result.review[0].candidates == (1, 3)
    assert "2 people named" in result.review[0].reason


def test_a_person_whose_sub_unit_is_their_unit_is_one_person_not_two() -> None:
    # Both give the same unit key: the person is filed under it once.
    roster = [person("RINA MARLINA", None, DIKBUD, sub_unit="DINAS PENDIDIKAN KAB. BOGOR")]
    found = only_match(match(roster, [signature("RINA MARLINA", None, DIKBUD)]))
    assert (found.employee, found.rule) == (0, Rule.NAME_UNIT)


def test_a_person_is_found_through_the_unit_and_the_sub_unit_alike() -> None:
    roster = [
        person("RINA MARLINA", None, DIKBUD, sub_unit="SDN 1 Cibinong"),
        person("RINA MARLINA", None, DIKBUD, sub_unit="SDN 2 Cibinong"),
    ]
    assert only_match(match(roster, [signature("RINA MARLINA", None, "SDN 2 CIBINONG")])).employee == 1
    result = match(roster, [signature("RINA MARLINA", None, DIKBUD)])
    assert result.review[0].candidates == (0, 1)


def test_a_unit_whose_people_have_no_name_key_is_still_on_the_roster() -> None:
    nameless = replace(person("BUDI SANTOSO", None, "Kecamatan Cibinong"), name="", name_key="")
    roster = [nameless, person("RINA MARLINA", None, DIKBUD)]
    result = match(roster, [signature("AGUS SALIM", None, "Kecamatan Cibinong")])
    assert result.signed == {} and result.review == []
    assert result.unmatched[0].reason == "no one named AGUS SALIM in unit Kecamatan Cibinong"


def test_the_name_index_keeps_units_apart_and_people_in_roster_order() -> None:
    roster = [
        person("RINA MARLINA", None, DIKBUD),
        person("RINA MARLINA", None, DINKES),
        person("BUDI SANTOSO", None, DIKBUD, sub_unit="SDN 1"),
        person("RINA MARLINA", None, DIKBUD, sub_unit="SDN 1"),
        person("BUDI SANTOSO", None, DIKBUD),
    ]
    index = _Roster(roster, _UnitKeys(None))
    dikbud, dinkes, sdn = unit_key(DIKBUD), unit_key(DINKES), unit_key("SDN 1")
    assert set(index.by_unit_name) == {dikbud, dinkes, sdn}
    assert index.by_unit_name[dikbud].get("RINA MARLINA") == (0, 3)
    assert index.by_unit_name[dikbud].get("BUDI SANTOSO") == (2, 4)
    assert index.by_unit_name[dinkes].get("RINA MARLINA") == (1,)
    assert index.by_unit_name[sdn].get("RINA MARLINA") == (3,)
    assert index.by_unit_name[dinkes].get("BUDI SANTOSO") is None
    assert index.by_name.get("RINA MARLINA") == (0, 1, 3)


def test_shared_nips_and_niks_keep_every_holder_in_roster_order() -> None:
    roster = [
        person("BUDI SANTOSO", NIP_A, nik="3201011503850001"),
        person("SITI AMINAH", NIP_B),
        person("BUDI SANTOSO", NIP_A, DINKES, nik="3201.0115.0385.0001"),
        person("AGUS SALIM", NIP_A),
    ]
    index = _Roster(roster, _UnitKeys(None))
    assert index.by_nip.get(NIP_A) == (0, 2, 3)
    assert index.by_nip.get(NIP_B) == (1,)
    assert index.by_nik.get("3201011503850001") == (0, 2)
    assert index.by_nip.get(NIP_C) is None


def test_first_fifteen_digits_find_whole_and_damaged_nips_in_roster_order() -> None:
    sibling = NIP_A[:15] + "777"  # same first 15 digits, another person
    roster = [
        person("BUDI SANTOSO", sibling),
        person("RINA MARLINA", int(NIP_A)),  # a numeric cell: only 15 digits trusted
        person("SITI AMINAH", NIP_B),
        person("BUDI SANTOSO", NIP_A),
        person("AGUS SALIM", int(NIP_A)),
        person("DEWI LESTARI", NIP_A[:14] + "2999"),  # 14 digits in common only
    ]
    assert roster[1].nip.status is NipStatus.PARTIAL
    index = _Roster(roster, _UnitKeys(None))
    assert index.by_prefix15.get(NIP_A[:15]) == (0, 1, 3, 4)
    assert index.by_prefix15.get(NIP_B[:15]) == (2,)
    assert index.by_prefix15.damaged(NIP_A[:15]) == (1, 4)
    assert index.by_prefix15.damaged(NIP_B[:15]) == ()
    assert index.by_prefix15.get(NIP_A[:14]) is None  # not 15 digits: not a prefix of anyone's
    assert index.by_prefix15.get(NIP_C[:15], ()) == ()


# ------------------------------------------------------------------------ NIP slips


def _neighbours(digits: str) -> dict[str, str]:
    """Every one-slip neighbour of ``digits``, in the order the typo rule lists them."""
    found: dict[str, str] = {}
    for i in range(len(digits)):
        for d in "0123456789":
            if d != digits[i]:
                found[digits[:i] + d + digits[i + 1:]] = "one digit off"
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            found[digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]] = "two digits swapped"
    return found


@pytest.mark.parametrize("written", [NIP_A, NIP_B, NIP_C, "111111111111111111", "121212121212121212"])
def test_slip_finds_every_neighbour_in_the_order_they_are_listed(written: str) -> None:
    neighbours = _neighbours(written)
    slips = {other: _slip(written, other) for other in neighbours}
    assert all(found is not None for found in slips.values())
    assert {other: found[1] for other, found in slips.items()} == neighbours
    assert sorted(neighbours, key=lambda other: slips[other][0]) == list(neighbours)


def test_slip_refuses_everything_further_than_one_slip() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        written = "".join(rng.choice("0123456789") for _ in range(18))
        other = list(written)
        for _ in range(rng.randint(1, 3)):
            kind, at = rng.random(), rng.randrange(17)
            if kind < 0.5:
                other[at] = rng.choice("0123456789")
            else:
                other[at], other[at + 1] = other[at + 1], other[at]
        other = "".join(other)
        for candidate in (other, written[:8] + other[8:], other[:10] + written[10:]):
            found = _slip(written, candidate)
            assert (found[1] if found else None) == _neighbours(written).get(candidate)
    assert _slip(NIP_A, NIP_A) is None
    assert _slip(NIP_A, NIP_A[::-1]) is None


def test_nip_typo_close_to_several_namesakes_lists_them_by_slip() -> None:
    written = NIP_A  # on no one; each namesake's NIP is one slip from it
    roster = [
        person("BUDI SANTOSO", "198503152010101001", row=2),  # months 01 -> 10: a swap
        person("BUDI SANTOSO", "198503152010011002", row=3),  # last digit off
        person("BUDI SANTOSO", None, row=4),
        person("BUDI SANTOSO", "198403152010011001", row=5),  # fourth digit off
        person("BUDI SANTOSO", NIP_C, row=6),  # not close
        person("AGUS SALIM", "198503152010011003", row=7),  # close, another name
    ]
    result = match(roster, [signature("BUDI SANTOSO", written, DIKBUD)])
    assert result.signed == {}
    assert result.review[0].candidates == (3, 1, 0)
    assert "several people" in result.review[0].reason


def test_nip_typo_of_the_one_namesake_in_the_unit_matches_among_others_elsewhere() -> None:
    roster = [
        person("BUDI SANTOSO", "198503152010011002", DINKES),
        person("BUDI SANTOSO", "198503152010011003", DIKBUD),
    ]
    found = only_match(match(roster, [signature("BUDI SANTOSO", NIP_A, DIKBUD)]))
    assert (found.employee, found.rule) == (1, Rule.NIP_TYPO_NAME)
    assert found.note == f"NIP written {NIP_A}, roster NIP 198503152010011003 (one digit off)"


# ------------------------------------------------------------------------------ fuzzy


@pytest.mark.parametrize(
    ("roster_name", "typed"),
    [
        ("SITI AMINAH", "SITI AMNAH"),  # one letter dropped
        ("AGUS SALIM", "AGUS SALIMM"),  # doubled letter (folded by the key)
        ("AGUS SALIM", "AGUS SALLIM"),
        ("DEWI LESTARI", "DEWI LESTARII"),  # one letter added
        ("KURNIAWAN HIDAYATULLAH", "KURNIAWAN HIDAYATULAH"),
        ("KURNIAWAN HIDAYATULLAH", "KURNIAWAN HIDAYAULTLAH"),  # swap, long name
    ],
)
def test_fuzzy_typo_of_a_name_matches_above_the_threshold(roster_name: str, typed: str) -> None:
    roster = [person(roster_name, None), person("BUDI SANTOSO", None), person("SITI AMINAH", None, DINKES)]
    found = only_match(match(roster, [signature(typed, None, DIKBUD)]))
    assert found.employee == 0
    assert found.rule in (Rule.FUZZY_NAME_UNIT, Rule.NAME_UNIT)
    if found.rule is Rule.FUZZY_NAME_UNIT:
        assert FUZZY_THRESHOLD <= found.score < 100


@pytest.mark.parametrize(
    ("roster_name", "typed"),
    [
        ("SITI AMINAH", "SITI ROHMAH"),
        ("SITI AMINAH", "SITI AMANAH"),
        ("NUR HIDAYAT", "NUR HIDAYAH"),
        ("SITI AMINAH", "SITI NUR AMINAH"),
        ("EKO PRASETYO", "EKO PRASETIO"),  # a short name's swap too: review, not a guess
    ],
)
def test_similar_but_different_name_is_not_counted(roster_name: str, typed: str) -> None:
    roster = [person(roster_name, None), person("BUDI SANTOSO", None)]
    result = match(roster, [signature(typed, None, DIKBUD)])
    assert result.signed == {}
    assert fuzz.ratio(parse_name(roster_name).key, parse_name(typed).key) < FUZZY_THRESHOLD


def test_close_name_below_the_threshold_goes_to_review_listing_it() -> None:
    result = match([person("SITI AMINAH", None)], [signature("SITI AMANAH", None, DIKBUD)])
    assert result.review[0].candidates == (0,)
    assert "SITI AMINAH 90.9" in result.review[0].reason


def test_fuzzy_without_a_clear_winner_goes_to_review() -> None:
    roster = [person("DEWI KUSUMAWARDANI", None), person("DEWI KUSUMAWARDINI", None)]
    result = match(roster, [signature("DEWI KUSUMAWARDNI", None, DIKBUD)])
    assert result.signed == {}
    assert set(result.review[0].candidates) == {0, 1}
    assert "no clear winner" in result.review[0].reason


def test_fuzzy_threshold_can_be_lowered() -> None:
    roster = [person("EKO PRASETYO", None)]
    found = only_match(match(roster, [signature("EKO PRASETIO", None, DIKBUD)], fuzzy_threshold=90))
    assert found.rule is Rule.FUZZY_NAME_UNIT


def test_fuzzy_never_looks_outside_the_unit() -> None:
    result = match([person("SITI AMINAH", None, DINKES)], [signature("SITI AMNAH", None, DIKBUD)])
    assert result.signed == {}


def test_fuzzy_review_lists_namesakes_of_the_unit_in_roster_order() -> None:
    roster = [
        person("KURNIAWAN SETIADI", None, DIKBUD),
        person("KURNIAWAN SETIADI", None, DINKES),
        person("BUDI SANTOSO", None, DIKBUD),
        person("KURNIAWAN SETIADI", None, DIKBUD),
    ]
    result = match(roster, [signature("KURNIAWAN SETADI", None, DIKBUD)])
    assert result.signed == {}
    assert result.review[0].candidates == (0, 3)
    assert "close names: KURNIAWAN SETIADI" in result.review[0].reason
    assert "(2 people named KURNIAWAN SETIADI)" in result.review[0].reason


def _variants(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _near(first: str, second: str) -> bool:
    """At most one substitution, swap, drop or addition apart (share a one-deletion variant)."""
    return bool(_variants(first) & _variants(second))


def test_fuzzy_candidates_are_the_units_names_with_a_word_near_a_word_of_the_name() -> None:
    # The block indexes only what the names queued for it need, with near words taken
    # from the whole roster: the candidates must be exactly those the definition gives.
    rng = random.Random(11)
    words = _ROSTER_WORDS + ["AMINA", "BUDIY", "SITTI", "AGUSS", "DEWA", "RIAN", "SANTOS"]

    def typo(word: str) -> str:
        at = rng.randrange(len(word))
        return rng.choice([word[:at] + word[at + 1:], word[:at] + "X" + word[at:], word[:at] + "E" + word[at + 1:]])

    units = [DIKBUD, DINKES, "Sekretariat Daerah"]
    roster = [
        person(" ".join(rng.sample(words, rng.randint(1, 3))), None, rng.choice(units), row=row)
        for row in range(2, 300)
    ]
    index = _Roster(roster, _UnitKeys(None))
    for unit in units:
        names = index.by_unit_name[unit_key(unit)]
        keys = list({" ".join(typo(w) if rng.random() < 0.5 else w for w in rng.sample(words, rng.randint(1, 3)))
                     for _ in range(40)})
        block = _FuzzyBlock(names, keys, index.vocabulary())
        for key in keys:
            expected = {name for name in names
                        if any(_near(mine, theirs) for mine in key.split() for theirs in name.split())}
            assert sorted(block.candidates(key)) == sorted(expected), key


# ------------------------------------------------------------------------- duplicates


def test_several_signatures_count_once_the_earliest_and_others_are_duplicates() -> None:
    roster = [person("BUDI SANTOSO", NIP_A)]
    evidence = [
        signature("BUDI SANTOSO", NIP_A, signed_at=dt.datetime(2024, 1, 5, 9, 0)),
        signature("BUDI SANTOSO", NIP_A, signed_at=None),
        signature("BUDI SANTOSO", NIP_A, signed_at=dt.date(2024, 1, 3)),
        signature("Budi Santoso", None, DIKBUD, signed_at=dt.datetime(2024, 1, 4, 8, 0)),
    ]
    result = match(roster, evidence)
    assert result.signed[0].attestation == 2
    assert result.duplicates == [Duplicate(0, 0, 2), Duplicate(1, 0, 2), Duplicate(3, 0, 2)]
    assert sum(result.rule_counts.values()) == 1
    placed(result, len(evidence))


def test_interleaved_signatures_of_several_people_are_grouped_per_person() -> None:
    roster = [person("BUDI SANTOSO", NIP_A), person("SITI AMINAH", NIP_B), person("AGUS SALIM", NIP_C)]
    evidence = [
        signature("SITI AMINAH", NIP_B, signed_at=dt.date(2024, 1, 9)),
        signature("BUDI SANTOSO", NIP_A, signed_at=dt.date(2024, 1, 8)),
        signature("SITI AMINAH", NIP_B, signed_at=dt.date(2024, 1, 2)),
        signature("BUDI SANTOSO", NIP_A, signed_at=dt.date(2024, 1, 8), row=1),
        signature("SITI AMINAH", NIP_B, signed_at=None),
        signature("YOHANES KRISTIANTO", None, DIKBUD),
    ]
    result = match(roster, evidence)
    assert list(result.signed) == [0, 1]
    assert (result.signed[0].attestation, result.signed[1].attestation) == (3, 2)
    assert result.duplicates == [Duplicate(0, 1, 2), Duplicate(1, 0, 3), Duplicate(4, 1, 2)]
    assert result.rule_counts[Rule.NIP] == 2
    placed(result, len(evidence))


def test_undated_duplicates_are_ordered_by_file_then_row() -> None:
    roster = [person("BUDI SANTOSO", NIP_A)]
    evidence = [signature("BUDI SANTOSO", NIP_A, file="b.csv", row=2), signature("BUDI SANTOSO", NIP_A, file="a.csv", row=9)]
    assert match(roster, evidence).signed[0].attestation == 1


# ------------------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("DINAS PENDIDIKAN KAB. BOGOR", "dinas pendidikan"),
        ("Dinas  Pendidikan,  Kabupaten Bogor", "dinas pendidikan"),
        ("Badan Kepegawaian dan Pengembangan SDM", "badan kepegawaian dan pengembangan sdm"),
        ("ＤＩＮＡＳ  KESEHATAN", "dinas kesehatan"),
        ("Sekretariat Daerah Kab Tanah Datar", "sekretariat daerah"),
        (None, ""),
    ],
)
def test_unit_key_ignores_case_punctuation_and_the_regency(written: str | None, key: str) -> None:
    assert unit_key(written) == key


def test_unit_key_maps_aliases_to_the_canonical_unit() -> None:
    assert unit_key("Disdik", {"disdik": "Dinas Pendidikan Kab. Bogor"}) == "dinas pendidikan"


# --------------------------------------------------------------------------- property

_ROSTER_WORDS = ["BUDI", "SITI", "AGUS", "DEWI", "RINA", "AHMAD", "SANTOSO", "AMINAH", "LESTARI",
                 "HIDAYAT", "WAHYUNI", "PRASETYO", "SETIAWAN", "KURNIASIH", "SUPARMAN", "RAHAYU"]
_STRANGER_WORDS = ["YOHANES", "FRANSISKUS", "MARTHEN", "GREGORIUS", "BERNADETH", "XAVERIUS",
                   "KORNELIS", "THEODORA", "YOSEFINA", "LAURENSIUS", "OKTOVIANUS", "PETRONELA"]
_UNITS = [DIKBUD, DINKES, "Sekretariat Daerah", "Kecamatan Cibinong"]


@st.composite
def _nips(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1960, 1, 1), dt.date(2000, 12, 31)))
    tmt = draw(st.dates(dt.date(1985, 1, 1), dt.date(2022, 12, 31)))
    serial = draw(st.integers(1, 999))
    digits = f"{born:%Y%m%d}{tmt:%Y%m}{draw(st.sampled_from('12'))}{serial:03d}"
    assume(parse_nip(digits, today=dt.date(2024, 1, 1)).status is NipStatus.FULL)
    return digits


def _names(words: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words), min_size=2, max_size=3, unique=True).map(" ".join)


@st.composite
def _rosters(draw: st.DrawFn) -> list[Employee]:
    rows = draw(st.lists(
        st.tuples(_names(_ROSTER_WORDS), st.one_of(st.none(), _nips()), st.sampled_from(_UNITS),
                  st.one_of(st.none(), st.from_regex(r"32[0-9]{14}", fullmatch=True))),
        min_size=1, max_size=25,
    ))
    seen_nips: set[str] = set()
    seen_niks: set[str] = set()
    roster = []
    for row, (name, nip, unit, nik) in enumerate(rows, start=2):
        if nip in seen_nips:
            nip = None
        if nik in seen_niks:
            nik = None
        seen_nips.add(nip or "")
        seen_niks.add(nik or "")
        roster.append(person(name, nip, unit, nik=nik, row=row))
    return roster


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(roster=_rosters(), data=st.data())
def test_strangers_are_never_counted_as_signed(roster: list[Employee], data: st.DataObject) -> None:
    known = {p.nip_full for p in roster} | {p.nip.trusted_prefix for p in roster}
    strangers = data.draw(st.lists(
        st.tuples(_names(_STRANGER_WORDS), st.one_of(st.none(), _nips()), st.sampled_from(_UNITS + [None]),
                  st.one_of(st.none(), st.from_regex(r"33[0-9]{14}", fullmatch=True))),
        min_size=1, max_size=15,
    ))
    evidence = []
    for name, nip, unit, nik in strangers:
        assume(nip is None or (nip not in known and nip[:15] not in known))
        evidence.append(signature(name, nip, unit, nik=nik))
    result = match(roster, evidence)
    assert result.signed == {}
    assert result.duplicates == []
    placed(result, len(evidence))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(roster=_rosters(), data=st.data())
def test_evidence_copied_from_roster_rows_matches_each_to_the_right_person(
    roster: list[Employee], data: st.DataObject
) -> None:
    # A person is identifiable from their own row when they have a NIP, a NIK, or a
    # name no one else in their unit shares.
    def identifiable(p: Employee) -> bool:
        namesakes = sum(1 for q in roster if q.name_key == p.name_key and q.unit == p.unit)
        return bool(p.nip_full or p.nik or namesakes == 1)

    chosen = data.draw(st.lists(st.sampled_from(range(len(roster))), unique=True, max_size=len(roster)))
    chosen = [i for i in chosen if identifiable(roster[i])]
    evidence = [
        signature(roster[i].name, roster[i].nip_full, roster[i].unit, nik=roster[i].nik) for i in chosen
    ]
    result = match(roster, evidence)
    assert {m.attestation: m.employee for m in result.signed.values()} == dict(enumerate(chosen))
    assert result.review == [] and result.unmatched == [] and result.duplicates == []
