"""The in-memory roster: lookups, replacement, and shared values."""

from __future__ import annotations

from datetime import date

import attrs

from portail_core import (
    Email,
    PermanentCode,
    PersonName,
    RecordNumber,
    StudentRecord,
)
from portail_core.adapters.memory import MemorySchoolRecords


def student(
    number: int,
    *,
    organization: str = "741000",
    code: str = "COTL14531601",
    family_name: PersonName | None = None,
) -> StudentRecord:
    return StudentRecord(
        student_id=f"student-{number}",
        # A new string each time, as a CSV reader gives.
        organization_code="".join(organization),
        record_number=RecordNumber(number),
        permanent_code=PermanentCode(code),
        family_name=family_name or PersonName.parse("Côté-Tremblay"),
        given_names=PersonName.parse("Léa-Rose Marie"),
        usual_given_name=PersonName.parse("Léa-Rose"),
        birth_date=date(2016, 3, 14),
        guardian_emails=(Email.parse(f"parent{number}@courriel.example"),),
    )


def test_finds_by_either_identifier_in_its_organization() -> None:
    records = MemorySchoolRecords(
        [student(1), student(2, code="BERM02111305")]
    )

    by_number = records.find_by_record_number("741000", RecordNumber(2))
    by_code = records.find_by_permanent_code(
        "741000", PermanentCode("BERM02111305")
    )

    assert by_number == student(2, code="BERM02111305")
    assert by_code == by_number
    assert records.find_by_record_number("742000", RecordNumber(2)) is None
    assert (
        records.find_by_permanent_code("742000", PermanentCode("COTL14531601"))
        is None
    )
    assert records.find_by_record_number("741000", RecordNumber(3)) is None
    assert len(records) == 2


def test_same_record_number_in_two_organizations() -> None:
    records = MemorySchoolRecords(
        [student(1), student(1, organization="742000")]
    )

    found = records.find_by_record_number("742000", RecordNumber(1))

    assert found is not None
    assert found.organization_code == "742000"
    assert len(records) == 2


def test_adding_the_same_record_number_replaces_it() -> None:
    records = MemorySchoolRecords([student(1)])
    replacement = attrs.evolve(student(1), student_id="moved")

    records.add(replacement)

    assert records.find_by_record_number("741000", RecordNumber(1)) == (
        replacement
    )
    assert len(records) == 1


def test_repeated_values_are_stored_once() -> None:
    records = MemorySchoolRecords([student(1), student(2, code="X")])

    first = records.find_by_record_number("741000", RecordNumber(1))
    second = records.find_by_record_number("741000", RecordNumber(2))

    assert first is not None
    assert second is not None
    assert first.family_name is second.family_name
    assert first.given_names is second.given_names
    assert first.birth_date is second.birth_date
    assert first.organization_code is second.organization_code


def test_name_other_key_not_shared() -> None:
    # Names compare by text alone, so sharing must also compare keys.
    odd = PersonName(text="Côté-Tremblay", key="odd")
    records = MemorySchoolRecords(
        [student(1), student(2, code="X", family_name=odd)]
    )

    second = records.find_by_record_number("741000", RecordNumber(2))

    assert second is not None
    assert second.family_name.key == "odd"
