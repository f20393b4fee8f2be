"""Hypothesis properties of child linking on generated rosters.

A roster has two to five students from `strategies.student_records`,
spread over three organizations. No two students share a permanent code,
or a family name and birth date, so no student's data can link another
student: a claim that links names the one student it was built from.

The first property types a student's own data as a parent might, and
expects the link. Each of the others changes one field of such a claim to
another student's value, and expects the error that field gives. No field
gives `InvalidClaimError`: every value comes from a valid record, and the
claim is parsed outside `pytest.raises`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring, in_memory
from portail_core.service import LinkOutcome, LinkResult
from portail_core.signup import (
    ChildClaim,
    ChildLinkRejectedError,
    LinkFailure,
    PermanentCodeMismatchError,
    StudentRecord,
)
from portail_core.testing import strategies
from portail_core.values import OrganizationDirectory

from .conftest import SIGNING_KEY, START, sign_up

TODAY = START.date()
ORGANIZATIONS = ("741000", "762000", "751000")
DIRECTORY = OrganizationDirectory.bundled()

# Drawing a roster parses every guardian's address with email-validator,
# which costs more than signing up and linking, so example counts stay
# low. No deadline: the first examples load email-validator's and
# unidecode's tables.
PROPERTY = settings(max_examples=50, deadline=None)
CHANGE = settings(max_examples=30, deadline=None)

DATE_PARTS = {
    "link.permanent_code_day",
    "link.permanent_code_month",
    "link.permanent_code_year",
}

Form = dict[str, str | None]


def rosters() -> st.SearchStrategy[list[StudentRecord]]:
    """Generate two to five students in `ORGANIZATIONS`."""
    student = st.one_of(
        *(
            strategies.student_records(organization_code=code, today=TODAY)
            for code in ORGANIZATIONS
        )
    )
    return st.lists(
        student,
        min_size=2,
        max_size=5,
        unique_by=(
            lambda record: (record.organization_code, record.record_number),
            lambda record: record.permanent_code,
            lambda record: (record.family_name.key, record.birth_date),
        ),
    )


@st.composite
def retyped(draw: st.DrawFn, text: str) -> str:
    """Draw `text` as a parent might type it: with or without accents,
    in random case, with hyphens, spaces and en dashes swapped, and with
    either apostrophe."""
    if draw(st.booleans()):
        text = unidecode(text)
    characters = []
    for character in text:
        if character in "- –":
            characters.append(draw(st.sampled_from("- –")))
        elif character in "'’":
            characters.append(draw(st.sampled_from("'’")))
        elif draw(st.booleans()):
            characters.append(character.swapcase())
        else:
            characters.append(character)
    return "".join(characters)


@st.composite
def retyped_email(draw: st.DrawFn, address: str) -> str:
    """Draw `address` in random case, composed or decomposed."""
    address = "".join(
        character.swapcase() if draw(st.booleans()) else character
        for character in address
    )
    form = draw(st.sampled_from(("NFC", "NFD")))
    return unicodedata.normalize(form, address)


@st.composite
def own_forms(draw: st.DrawFn, student: StudentRecord) -> Form:
    """Draw a form of the student's own data, typed as a parent might."""
    value = student.birth_date
    birth_date = draw(
        st.sampled_from(
            (
                value.isoformat(),
                value.strftime("%Y/%m/%d"),
                value.strftime("%Y%m%d"),
                f"{value.year}-{value.month}-{value.day}",
            )
        )
    )
    given_names = draw(
        st.sampled_from((student.usual_given_name, student.given_names))
    )
    identifiers = draw(st.sampled_from(("record", "code", "both")))
    code = str(student.permanent_code)
    organization = DIRECTORY.by_code(student.organization_code)
    return {
        "organization": draw(
            st.sampled_from((organization.code, *organization.names))
        ),
        "birth_date": birth_date,
        "family_name": draw(retyped(student.family_name.text)),
        "given_names": draw(retyped(given_names.text)),
        "record_number": (
            draw(
                st.sampled_from(
                    (
                        str(student.record_number),
                        str(student.record_number.value),
                    )
                )
            )
            if identifiers != "code"
            else None
        ),
        "permanent_code": (
            draw(
                st.sampled_from(
                    (code, code.lower(), f"{code[:4]} {code[4:8]} {code[8:]}")
                )
            )
            if identifiers != "record"
            else None
        ),
    }


def wire(roster: list[StudentRecord]) -> tuple[Wiring, MemoryMailer]:
    mailer = MemoryMailer()
    wiring = in_memory(
        roster=roster,
        clock=ManualClock(START),
        mailer=mailer,
        hasher=ScryptHasher(log2_n=1),
        keys=(SIGNING_KEY,),
    )
    return wiring, mailer


def link(roster: list[StudentRecord], address: str, typed: Form) -> LinkResult:
    """Sign `address` up on fresh wiring and link the form."""
    wiring, mailer = wire(roster)
    account = sign_up(wiring.service, mailer, address)
    claim = ChildClaim.parse(**typed, today=TODAY)
    return wiring.service.link_child(account.account_id, claim)


@PROPERTY
@given(strategies.student_records(today=TODAY))
def test_student_code_fits_record(student: StudentRecord) -> None:
    consistency = student.permanent_code.consistency(
        family_name=student.family_name.text,
        given_names=student.given_names.text,
        birth_date=student.birth_date,
    )
    assert consistency.is_consistent, consistency.differing
    assert set(student.usual_given_name.parts) <= set(
        student.given_names.parts
    )


@settings(max_examples=10, deadline=None)
@given(
    strategies.student_records(
        guardian=strategies.emails(internationalized=False)
    )
)
def test_student_guardians_from_strategy(student: StudentRecord) -> None:
    assert all(email.key.isascii() for email in student.guardian_emails)


@PROPERTY
@given(data=st.data())
def test_own_data_links(data: st.DataObject) -> None:
    roster = data.draw(rosters(), label="roster")
    student = data.draw(st.sampled_from(roster), label="student")
    typed = data.draw(own_forms(student), label="form")
    guardian = data.draw(st.sampled_from(student.guardian_emails))
    address = data.draw(retyped_email(str(guardian)), label="address")

    result = link(roster, address, typed)

    assert result.outcome == LinkOutcome.LINKED
    assert result.student_id == student.student_id
    assert result.organization_code == student.organization_code


# One field changed to another student's value.


@attrs.define
class Change:
    """A student's own form, and another student whose value replaces
    one of its fields."""

    roster: list[StudentRecord]
    student: StudentRecord
    other: StudentRecord
    typed: Form
    address: str
    """The address the parent signs up with: the student's guardian."""

    @property
    def has_record_number(self) -> bool:
        return self.typed["record_number"] is not None

    @property
    def has_permanent_code(self) -> bool:
        return self.typed["permanent_code"] is not None

    def found(self, matches: Callable[[StudentRecord], bool]) -> bool:
        """Return whether a student of the form's organization satisfies
        `matches`."""
        organization = self.typed["organization"]
        return any(
            matches(record)
            for record in self.roster
            if record.organization_code == organization
        )

    def link_error(self) -> Exception:
        """Link the form, and return the error that the link raised."""
        with pytest.raises(
            (ChildLinkRejectedError, PermanentCodeMismatchError)
        ) as info:
            link(self.roster, self.address, self.typed)
        return info.value


def draw_change(data: st.DataObject) -> Change:
    roster = data.draw(rosters(), label="roster")
    student = data.draw(st.sampled_from(roster), label="student")
    others = [record for record in roster if record is not student]
    typed = data.draw(own_forms(student), label="form")
    # The organization is typed as its code, so that a changed one can be
    # compared with the roster's.
    typed["organization"] = student.organization_code
    return Change(
        roster=roster,
        student=student,
        other=data.draw(st.sampled_from(others), label="other"),
        typed=typed,
        address=str(student.guardian_emails[0]),
    )


def reason_of(error: Exception) -> LinkFailure:
    assert isinstance(error, ChildLinkRejectedError), repr(error)
    return error.reason


MATCH_FAILURES = set(LinkFailure) - {
    LinkFailure.RECORD_NOT_FOUND,
    LinkFailure.IDENTIFIERS_DISAGREE,
}
"""Reasons left once a record was found by an identifier that agrees."""


@CHANGE
@given(data=st.data())
def test_other_birth_date(data: st.DataObject) -> None:
    change = draw_change(data)
    assume(change.other.birth_date != change.student.birth_date)
    change.typed["birth_date"] = change.other.birth_date.isoformat()

    error = change.link_error()

    # Every part of the date is in the code, so the code disagrees first.
    if change.has_permanent_code:
        assert isinstance(error, PermanentCodeMismatchError)
        assert error.codes
        assert set(error.codes) <= DATE_PARTS
    else:
        assert reason_of(error) is LinkFailure.BIRTH_DATE_DIFFERS


@CHANGE
@given(data=st.data())
def test_other_family_name(data: st.DataObject) -> None:
    change = draw_change(data)
    family_name = change.other.family_name
    assume(family_name.key != change.student.family_name.key)
    change.typed["family_name"] = data.draw(retyped(family_name.text))

    error = change.link_error()

    # The code contains the first three letters only, and a particle, an
    # apostrophe or a short name leaves even those uncertain.
    if isinstance(error, PermanentCodeMismatchError):
        assert change.has_permanent_code
        assert error.codes == ("link.permanent_code_family_name",)
    elif set(family_name.parts) < set(change.student.family_name.parts):
        assert reason_of(error) is LinkFailure.FAMILY_NAME_INCOMPLETE
    else:
        assert reason_of(error) is LinkFailure.FAMILY_NAME_DIFFERS


@CHANGE
@given(data=st.data())
def test_other_given_names(data: st.DataObject) -> None:
    change = draw_change(data)
    other, student = change.other, change.student
    name = data.draw(
        st.sampled_from((other.usual_given_name, other.given_names))
    )
    assume(
        name.key not in {student.usual_given_name.key, student.given_names.key}
    )
    change.typed["given_names"] = data.draw(retyped(name.text))

    error = change.link_error()

    # The code's given-name letter is not checked, since a usual given
    # name need not be the first.
    assert reason_of(error) is LinkFailure.GIVEN_NAME_DIFFERS


@CHANGE
@given(data=st.data())
def test_other_record_number(data: st.DataObject) -> None:
    change = draw_change(data)
    number = change.other.record_number
    assume(number != change.student.record_number)
    change.typed["record_number"] = str(number)

    error = change.link_error()

    if change.has_permanent_code:
        assert reason_of(error) is LinkFailure.IDENTIFIERS_DISAGREE
    elif change.found(lambda record: record.record_number == number):
        assert reason_of(error) in MATCH_FAILURES
    else:
        assert reason_of(error) is LinkFailure.RECORD_NOT_FOUND


@CHANGE
@given(data=st.data())
def test_other_permanent_code(data: st.DataObject) -> None:
    change = draw_change(data)
    code = change.other.permanent_code
    change.typed["permanent_code"] = str(code)

    error = change.link_error()

    # The other student's code may disagree with the typed data, which
    # is checked first.
    if isinstance(error, PermanentCodeMismatchError):
        assert error.codes
    elif change.has_record_number:
        assert reason_of(error) is LinkFailure.IDENTIFIERS_DISAGREE
    elif change.found(lambda record: record.permanent_code == code):
        assert reason_of(error) in MATCH_FAILURES
    else:
        assert reason_of(error) is LinkFailure.RECORD_NOT_FOUND


@CHANGE
@given(data=st.data())
def test_other_organization(data: st.DataObject) -> None:
    change = draw_change(data)
    student = change.student
    assume(change.other.organization_code != student.organization_code)
    change.typed["organization"] = change.other.organization_code

    error = change.link_error()

    by_number = change.has_record_number and change.found(
        lambda record: record.record_number == student.record_number
    )
    if by_number:
        # Another student of that organization has the same number.
        assert reason_of(error) is not LinkFailure.RECORD_NOT_FOUND
    else:
        assert reason_of(error) is LinkFailure.RECORD_NOT_FOUND


@CHANGE
@given(data=st.data())
def test_other_guardian_email(data: st.DataObject) -> None:
    change = draw_change(data)
    address = change.other.guardian_emails[0]
    keys = {email.key for email in change.student.guardian_emails}
    assume(address.key not in keys)
    change.address = str(address)

    error = change.link_error()

    assert reason_of(error) is LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD
