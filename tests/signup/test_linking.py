"""Tests of child claims and the rules that link them to school records.

The roster is fictional: two students of one organization, with
permanent codes that fit their names and birth dates by the plain rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from portail_core._errors import (
    InvalidBirthDateError,
    InvalidNameError,
    InvalidPermanentCodeError,
    InvalidRecordNumberError,
    UnknownOrganizationError,
)
from portail_core.signup import (
    Account,
    ChildClaim,
    ChildLinkRejectedError,
    InvalidClaimError,
    LinkFailure,
    PermanentCodeMismatchError,
    SignupSettings,
    StudentRecord,
    check_claim,
)
from portail_core.signup._linking import describe_failure
from portail_core.values import (
    BirthDate,
    Email,
    OrganizationDirectory,
    PermanentCode,
    PersonName,
    RecordNumber,
)

ORGANIZATION = "741000"
TODAY = date(2026, 9, 1)
GUARDIAN = Email.parse("parent.belanger@courriel.example")

MAELLE = StudentRecord(
    student_id="student-1",
    organization_code=ORGANIZATION,
    record_number=RecordNumber.parse("0512345"),
    permanent_code=PermanentCode.parse("BELM30561507"),
    family_name=PersonName.parse("Bélanger-Fortin"),
    given_names=PersonName.parse("Maëlle-Rose Juliette"),
    usual_given_name=PersonName.parse("Maëlle-Rose"),
    birth_date=date(2015, 6, 30),
    guardian_emails=(GUARDIAN, Email.parse("Éloïse.Fortin@école.example")),
)
FELIX = StudentRecord(
    student_id="student-2",
    organization_code=ORGANIZATION,
    record_number=RecordNumber.parse("0498765"),
    permanent_code=PermanentCode.parse("NADF02111322"),
    family_name=PersonName.parse("Nadeau"),
    given_names=PersonName.parse("Félix Antoine"),
    usual_given_name=PersonName.parse("Félix"),
    birth_date=date(2013, 11, 2),
    guardian_emails=(GUARDIAN,),
)

# What a parent types for Maëlle, field by field, as ChildClaim.parse
# takes it.
MAELLE_FORM = {
    "organization": ORGANIZATION,
    "birth_date": "2015-06-30",
    "family_name": "Bélanger-Fortin",
    "given_names": "Maëlle-Rose",
    "record_number": "512345",
    "permanent_code": None,
}


def claim(**changes: str | None) -> ChildClaim:
    """Parse Maëlle's form with `changes` applied."""
    return ChildClaim.parse(**{**MAELLE_FORM, **changes}, today=TODAY)


def test_claim_matches_record() -> None:
    assert check_claim(claim(), MAELLE, GUARDIAN) is None


@pytest.mark.parametrize(
    ("record_number", "permanent_code"),
    [("512345", None), (None, "BELM30561507"), ("0512345", "belm 3056 1507")],
    ids=["record-number", "permanent-code", "both"],
)
def test_claim_matches_by_identifier(
    record_number: str | None, permanent_code: str | None
) -> None:
    typed = claim(record_number=record_number, permanent_code=permanent_code)
    assert check_claim(typed, MAELLE, GUARDIAN) is None


FAILURES = [
    ({"record_number": "498765"}, LinkFailure.IDENTIFIERS_DISAGREE),
    (
        {"record_number": None, "permanent_code": "NADF02111322"},
        LinkFailure.IDENTIFIERS_DISAGREE,
    ),
    ({"birth_date": "2015-06-29"}, LinkFailure.BIRTH_DATE_DIFFERS),
    ({"birth_date": "2016-06-30"}, LinkFailure.BIRTH_DATE_DIFFERS),
    ({"family_name": "Bélanger"}, LinkFailure.FAMILY_NAME_INCOMPLETE),
    ({"family_name": "Fortin"}, LinkFailure.FAMILY_NAME_INCOMPLETE),
    ({"family_name": "Bélanger-Roy"}, LinkFailure.FAMILY_NAME_DIFFERS),
    ({"family_name": "Fortin-Bélanger"}, LinkFailure.FAMILY_NAME_DIFFERS),
    (
        {"family_name": "Bélanger-Fortin-Roy"},
        LinkFailure.FAMILY_NAME_DIFFERS,
    ),
    ({"family_name": "Nadeau"}, LinkFailure.FAMILY_NAME_DIFFERS),
    ({"given_names": "Juliette"}, LinkFailure.GIVEN_NAME_DIFFERS),
    ({"given_names": "Maëlle"}, LinkFailure.GIVEN_NAME_DIFFERS),
    (
        {"given_names": "Juliette Maëlle-Rose"},
        LinkFailure.GIVEN_NAME_DIFFERS,
    ),
]


@pytest.mark.parametrize(
    ("changes", "reason"),
    FAILURES,
    ids=[
        f"{reason.value}-{index}" for index, (_, reason) in enumerate(FAILURES)
    ],
)
def test_claim_failure_reason(
    changes: dict[str, str | None], reason: LinkFailure
) -> None:
    assert check_claim(claim(**changes), MAELLE, GUARDIAN) is reason


def test_claim_email_not_guardian() -> None:
    stranger = Email.parse("inconnu@courriel.example")
    failure = check_claim(claim(), MAELLE, stranger)
    assert failure is LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD


def test_every_failure_reachable_here() -> None:
    # The record lookup, before check_claim runs, decides RECORD_NOT_FOUND,
    # so the service tests cover it.
    reasons = {reason for _, reason in FAILURES}
    reasons.add(LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD)
    assert reasons == set(LinkFailure) - {LinkFailure.RECORD_NOT_FOUND}


@pytest.mark.parametrize(
    "family_name",
    [
        "Bélanger-Fortin",
        "Bélanger Fortin",
        "Belanger-Fortin",
        "BELANGER FORTIN",
        "bélanger–fortin",
        "Bélanger - Fortin",
        "Bélanger\u2011Fortin",
    ],
)
def test_compound_family_name_forms(family_name: str) -> None:
    typed = claim(family_name=family_name)
    assert check_claim(typed, MAELLE, GUARDIAN) is None


def test_record_spaced_name_matches_hyphen() -> None:
    spaced = attrs.evolve(
        MAELLE, family_name=PersonName.parse("Bélanger Fortin")
    )
    assert check_claim(claim(), spaced, GUARDIAN) is None


@pytest.mark.parametrize(
    "given_names",
    [
        "Maëlle-Rose",
        "Maelle Rose",
        "MAËLLE-ROSE",
        "Maëlle-Rose Juliette",
        "maelle rose juliette",
    ],
)
def test_usual_or_full_given_names(given_names: str) -> None:
    typed = claim(given_names=given_names)
    assert check_claim(typed, MAELLE, GUARDIAN) is None


@pytest.mark.parametrize(
    "address",
    [
        "parent.belanger@courriel.example",
        "PARENT.Belanger@Courriel.EXAMPLE",
        "Éloïse.Fortin@école.example",
        "éloïse.fortin@ÉCOLE.example",
        "eloi\u0308se.fortin@xn--cole-9oa.example".replace(
            "eloi", "e\u0301loi"
        ),
    ],
    ids=["same", "case", "unicode", "unicode-case", "nfd-punycode"],
)
def test_guardian_email_canonical(address: str) -> None:
    assert check_claim(claim(), MAELLE, Email.parse(address)) is None


@pytest.mark.parametrize(
    "address",
    [
        "parent.belanger@autre.example",
        "parent.belanger2@courriel.example",
        "eloise.fortin@ecole.example",
    ],
    ids=["domain", "local-part", "accents-dropped"],
)
def test_guardian_email_differs(address: str) -> None:
    failure = check_claim(claim(), MAELLE, Email.parse(address))
    assert failure is LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD


@pytest.mark.parametrize("record", [MAELLE, FELIX], ids=["maelle", "felix"])
def test_disagreeing_identifiers(record: StudentRecord) -> None:
    # Maëlle's record number with Félix's permanent code fits neither.
    typed = attrs.evolve(
        claim(), permanent_code=PermanentCode.parse("NADF02111322")
    )
    assert check_claim(typed, record, GUARDIAN) is (
        LinkFailure.IDENTIFIERS_DISAGREE
    )


# Parsing a claim.


def test_parse_normalizes_fields() -> None:
    typed = claim(
        organization="CSS du Chemin-du-Roy",
        record_number=" 0 512 345 ",
        permanent_code="belm-3056-1507",
    )
    assert typed.organization.code == ORGANIZATION
    assert typed.record_number == RecordNumber(512345)
    assert typed.permanent_code == MAELLE.permanent_code
    assert typed.birth_date == BirthDate.of(date(2015, 6, 30), today=TODAY)


def test_parse_collects_every_field() -> None:
    with pytest.raises(InvalidClaimError) as info:
        ChildClaim.parse(
            organization="Commission scolaire imaginaire",
            birth_date="pas une date",
            family_name="R2-D2",
            given_names="",
            record_number="12ab",
            permanent_code="BELM305615",
            today=TODAY,
        )
    fields = info.value.fields
    assert isinstance(fields["organization"], UnknownOrganizationError)
    assert isinstance(fields["birth_date"], InvalidBirthDateError)
    assert isinstance(fields["family_name"], InvalidNameError)
    assert isinstance(fields["given_names"], InvalidNameError)
    assert isinstance(fields["record_number"], InvalidRecordNumberError)
    assert isinstance(fields["permanent_code"], InvalidPermanentCodeError)
    assert set(fields) == {
        "organization",
        "birth_date",
        "family_name",
        "given_names",
        "record_number",
        "permanent_code",
    }


def test_parse_lists_every_problem() -> None:
    with pytest.raises(InvalidClaimError) as info:
        claim(birth_date="2015-02-30", family_name="", given_names="4")
    error = info.value
    expected = tuple(
        code for field in error.fields.values() for code in field.codes
    )
    assert error.codes == expected
    assert len(error.codes) == 3


def test_parse_unknown_organization_suggests() -> None:
    with pytest.raises(InvalidClaimError) as info:
        claim(organization="chemin du roi")
    error = info.value.fields["organization"]
    assert isinstance(error, UnknownOrganizationError)
    directory = OrganizationDirectory.bundled()
    assert directory.by_code(ORGANIZATION) in error.suggestions


@pytest.mark.parametrize(
    ("record_number", "permanent_code"),
    [(None, None), ("", ""), ("  ", None), (None, " \t")],
    ids=["none", "empty", "blank-record", "blank-code"],
)
def test_parse_missing_identifier(
    record_number: str | None, permanent_code: str | None
) -> None:
    with pytest.raises(InvalidClaimError) as info:
        claim(record_number=record_number, permanent_code=permanent_code)
    assert set(info.value.fields) == {"identifier"}
    assert info.value.codes == ("claim.missing_identifier",)


def test_parse_missing_identifier_with_others() -> None:
    with pytest.raises(InvalidClaimError) as info:
        claim(record_number=None, family_name="")
    assert set(info.value.fields) == {"family_name", "identifier"}


def test_parse_invalid_identifier_not_missing() -> None:
    with pytest.raises(InvalidClaimError) as info:
        claim(record_number="abc")
    assert set(info.value.fields) == {"record_number"}


def test_claim_needs_identifier() -> None:
    typed = claim()
    with pytest.raises(InvalidClaimError) as info:
        attrs.evolve(typed, record_number=None)
    assert info.value.code == "claim.missing_identifier"


# The permanent code's consistency with the typed data.

MISMATCHES = [
    ({"family_name": "Roy"}, ("link.permanent_code_family_name",)),
    ({"birth_date": "2015-06-29"}, ("link.permanent_code_day",)),
    ({"birth_date": "2015-07-30"}, ("link.permanent_code_month",)),
    ({"birth_date": "2014-06-30"}, ("link.permanent_code_year",)),
    (
        {"birth_date": "2014-07-29"},
        (
            "link.permanent_code_day",
            "link.permanent_code_month",
            "link.permanent_code_year",
        ),
    ),
]


@pytest.mark.parametrize(
    ("changes", "codes"),
    MISMATCHES,
    ids=["family", "day", "month", "year", "whole-date"],
)
def test_permanent_code_mismatch(
    changes: dict[str, str], codes: tuple[str, ...]
) -> None:
    typed = claim(permanent_code="BELM30561507", **changes)
    with pytest.raises(PermanentCodeMismatchError) as info:
        typed.check_permanent_code()
    assert info.value.codes == codes


def test_permanent_code_consistent() -> None:
    typed = claim(permanent_code="BELM30561507")
    typed.check_permanent_code()  # raises on any differing part
    assert typed.permanent_code == MAELLE.permanent_code


@pytest.mark.parametrize("given_names", ["Juliette", "Rose", "Zoé"])
def test_permanent_code_given_letter_not_checked(given_names: str) -> None:
    # The code's letter M comes from Maëlle-Rose, the first given name, but
    # a parent may type a usual given name that comes later. The given
    # names are matched against the record instead.
    typed = claim(permanent_code="BELM30561507", given_names=given_names)
    typed.check_permanent_code()  # raises on any differing part
    assert typed.permanent_code == MAELLE.permanent_code


def test_permanent_code_absent_not_checked() -> None:
    # "Roy" would differ from Maëlle's code, but the claim has no code.
    typed = claim(family_name="Roy", permanent_code=None)
    typed.check_permanent_code()  # raises on any differing part
    assert typed.permanent_code is None


@pytest.mark.parametrize(
    ("record_number", "permanent_code", "suggests"),
    [
        ("512345", None, True),
        (None, "BELM30561507", False),
        ("512345", "BELM30561507", False),
    ],
    ids=["record-number", "permanent-code", "both"],
)
def test_claim_suggests_permanent_code(
    record_number: str | None, permanent_code: str | None, suggests: bool
) -> None:
    typed = claim(record_number=record_number, permanent_code=permanent_code)
    assert typed.suggests_permanent_code is suggests


@pytest.mark.parametrize(
    ("suggest", "code"),
    [(True, "link.rejected_try_permanent_code"), (False, "link.rejected")],
)
def test_rejection_code(suggest: bool, code: str) -> None:
    error = ChildLinkRejectedError(
        LinkFailure.BIRTH_DATE_DIFFERS, suggest_permanent_code=suggest
    )
    assert error.code == code


def test_rejection_message_same_for_every_reason() -> None:
    messages = {
        ChildLinkRejectedError(reason, suggest_permanent_code=False).message()
        for reason in LinkFailure
    }
    assert len(messages) == 1


@pytest.mark.parametrize("reason", list(LinkFailure))
def test_failure_described_in_both_languages(reason: LinkFailure) -> None:
    assert describe_failure(reason, "fr") != describe_failure(reason, "en")


# Nothing personal in a repr.

PRIVATE = (
    "bélanger",
    "belanger",
    "fortin",
    "maëlle",
    "maelle",
    "juliette",
    "2015-06-30",
    "30/06/2015",
    "30561507",
    "0512345",
    "512345",
)


def assert_nothing_private(text: str) -> None:
    folded = text.casefold()
    for value in PRIVATE:
        assert value not in folded, value


def test_claim_repr_hides_child() -> None:
    typed = claim(permanent_code="BELM30561507")
    assert_nothing_private(repr(typed))
    assert ORGANIZATION in repr(typed)


def test_record_repr_hides_child() -> None:
    assert_nothing_private(repr(MAELLE))
    assert MAELLE.student_id in repr(MAELLE)


@pytest.mark.parametrize(
    "field", ["birth_date", "family_name", "given_names", "permanent_code"]
)
def test_claim_field_repr_hides_child(field: str) -> None:
    typed = claim(permanent_code="BELM30561507")
    assert_nothing_private(repr(getattr(typed, field)))


def test_mismatch_error_hides_child() -> None:
    typed = claim(permanent_code="BELM30561507", birth_date="2014-07-29")
    with pytest.raises(PermanentCodeMismatchError) as info:
        typed.check_permanent_code()
    assert_nothing_private(repr(info.value))
    assert_nothing_private(str(info.value))


def test_claim_error_hides_child() -> None:
    with pytest.raises(InvalidClaimError) as info:
        claim(birth_date="2015-06-31", record_number=None)
    assert_nothing_private(repr(info.value))
    assert_nothing_private(str(info.value))


def test_rejection_hides_child() -> None:
    error = ChildLinkRejectedError(
        LinkFailure.GIVEN_NAME_DIFFERS, suggest_permanent_code=True
    )
    assert_nothing_private(repr(error))
    assert_nothing_private(error.message("fr"))


def test_complete_link_attempt_releases_and_links() -> None:
    now = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    settings = SignupSettings()
    account = Account(account_id="account-1", email=GUARDIAN, created_at=now)
    reserved = account.reserve_link_attempt("a-1", now, settings)
    reserved = reserved.reserve_link_attempt("a-2", now, settings)
    done = reserved.complete_link_attempt("a-1", MAELLE, now)
    assert done == reserved.release_link_attempt("a-1").with_child(MAELLE, now)
    assert [attempt.attempt_id for attempt in done.link_attempts] == ["a-2"]
    assert [link.student_id for link in done.children] == ["student-1"]

    # A child linked before is linked once.
    again = done.complete_link_attempt("a-2", MAELLE, now)
    assert again.children == done.children
    assert again.link_attempts == ()
