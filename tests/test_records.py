"""The schemas: every record is validated, carries its provenance, and round-trips."""

from __future__ import annotations

import datetime as dt

import pytest
from marshmallow import ValidationError

from asn_attest.nip import NipStatus
from asn_attest.records import (
    AttestationSchema,
    Channel,
    EmployeeSchema,
    ExemptionReason,
    ExemptionSchema,
    Provenance,
)

SOURCE = {"file": "r.xlsx", "sheet": "Data", "row": 7}


def test_employee_keeps_titles_for_display_and_drops_them_for_matching() -> None:
    e = EmployeeSchema().load({"name": "Dr. H. AHMAD FAUZI, S.Pd., M.Si.", "nip": "19850315 201001 1 001", "source": SOURCE})
    assert e.name == "Dr. H. AHMAD FAUZI, S.Pd., M.Si."
    assert e.name_key == "AHMAD FAUZI"
    assert e.nip_full == "198503152010011001"
    assert e.source == Provenance("r.xlsx", "Data", 7)


def test_employee_type_comes_from_the_nip_when_there_is_no_column() -> None:
    schema = EmployeeSchema()
    assert schema.load({"name": "A", "nip": "198503152010011001", "source": SOURCE}).employment_type == "PNS"
    assert schema.load({"name": "A", "nip": "199001012021211001", "source": SOURCE}).employment_type == "PPPK"
    assert schema.load({"name": "A", "nip": "-", "source": SOURCE}).employment_type == "NON_ASN"
    assert schema.load({"name": "A", "nip": "123", "source": SOURCE}).employment_type is None
    assert schema.load({"name": "A", "nip": "-", "employment_type": "PNS", "source": SOURCE}).employment_type == "PNS"


def test_employee_needs_a_name_with_letters() -> None:
    with pytest.raises(ValidationError) as info:
        EmployeeSchema().load({"name": "  ", "source": SOURCE})
    assert "name" in info.value.messages
    with pytest.raises(ValidationError, match="not a name"):
        EmployeeSchema().load({"name": "198503152010011001", "source": SOURCE})


def test_employee_needs_provenance() -> None:
    with pytest.raises(ValidationError) as info:
        EmployeeSchema().load({"name": "A"})
    assert "source" in info.value.messages


def test_bad_field_values_name_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        EmployeeSchema().load({"name": "A", "gender": "X", "birth_date": "31-02-1990", "source": SOURCE})
    assert set(info.value.messages) == {"gender", "birth_date"}


def test_employee_round_trips_through_dump_and_load() -> None:
    schema = EmployeeSchema()
    e = schema.load(
        {"name": "ANI, S.E.", "nip": "198503152010012001", "golongan": "III/a", "birth_date": "15-03-1985",
         "gender": "P", "unit": "Dinas A", "source": SOURCE}
    )
    again = schema.load(schema.dump(e))
    assert again == e


def test_attestation_needs_someone() -> None:
    with pytest.raises(ValidationError, match="NIP, a NIK or a name"):
        AttestationSchema().load({"channel": "form", "source": SOURCE})
    a = AttestationSchema().load(
        {"channel": "form", "name": "ani", "nip": "NIP. 198503152010012001", "signed_at": "2024-06-01", "source": SOURCE}
    )
    assert (a.channel, a.nip.status, a.signed_at) == (Channel.FORM, NipStatus.FULL, dt.date(2024, 6, 1))


def test_exemption_reason_is_one_of_the_known_reasons() -> None:
    ex = ExemptionSchema().load({"reason": "Tugas Belajar", "nip": "198503152010012001", "source": SOURCE})
    assert ex.reason is ExemptionReason.TUGAS_BELAJAR
    with pytest.raises(ValidationError, match="not an exemption reason"):
        ExemptionSchema().load({"reason": "liburan", "nip": "198503152010012001", "source": SOURCE})


def test_exemption_until_before_since_is_refused() -> None:
    with pytest.raises(ValidationError, match="before since"):
        ExemptionSchema().load(
            {"reason": "cuti", "name": "ANI", "since": "10-06-2024", "until": "01-06-2024", "source": SOURCE}
        )


@pytest.mark.parametrize(
    "source,message",
    [
        ({"sheet": "x", "row": 1}, "needs the file"),
        ({"file": "a.csv", "row": 0}, "row number"),
        ({"file": "a.csv", "row": "3"}, "row number"),
        ({"file": "a.csv", "sheet": 5}, "sheet must be text"),
        ({"file": "a.csv", "col": "B"}, "unknown provenance keys: col"),
        ("a.csv", "must be a mapping"),
    ],
)
def test_malformed_provenance_is_refused(source: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        EmployeeSchema().load({"name": "A", "source": source})


def test_a_bad_value_seen_again_is_refused_again() -> None:
    """Cleaned values are remembered per value; a refusal must be remembered too."""
    schema = EmployeeSchema()
    for _ in range(2):
        with pytest.raises(ValidationError) as info:
            schema.load({"name": "A", "gender": "X", "source": SOURCE})
        assert set(info.value.messages) == {"gender"}
    assert schema.load({"name": "A", "gender": 1, "source": SOURCE}).gender == "L"


def test_shared_text_makes_equal_texts_one_object_and_stops_adding_at_its_limit() -> None:
    from asn_attest.records import SharedText

    shared = SharedText(limit=2)
    a1, a2 = "".join(["Din", "kes"]), "".join(["Dink", "es"])
    assert a1 == a2 and a1 is not a2
    share = shared.sharer()
    assert share(a1) is a1 and share(a2) is a1
    assert shared(a2) is a1
    b, c = "".join(["B", "x"]), "".join(["C", "x"])
    share(b)
    share(c)  # a sharer may go past the limit until it is asked for again
    late = shared.sharer()
    d1, d2 = "".join(["D", "x"]), "".join(["D", "x"])
    assert late(d1) is d1 and late(d2) is d2  # full: new texts are not kept
    assert late("".join(["B", "x"])) is b  # texts kept before are still shared
    assert shared("".join(["D", "x"])) is not d1
