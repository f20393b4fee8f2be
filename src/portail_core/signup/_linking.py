"""Child linking: a parent's claim, a school record, and the rules between.

A parent links a child by naming the school organization and giving the
child's birth date, family name, given names, and the record number or
the permanent code. Either identifier is enough, but when both are given
they must agree. The claim links only when every rule holds:

* the birth date is equal;
* the family name is equal under the matching key, with every part
  present (``Côté-Tremblay`` and ``Cote Tremblay`` match, ``Côté``
  alone does not);
* the given names equal the usual given name or all the given names,
  under the matching key;
* the account's email is one of the record's guardian emails, compared
  by canonical key.

A failure shows the parent one uniform message; the precise
`LinkFailure` goes to the integrator's audit log.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Self

import attrs

from portail_core._errors import (
    Language,
    PortailError,
    Problem,
    RetryLaterError,
    ValidationError,
)
from portail_core.values import (
    BirthDate,
    Consistency,
    DateOrder,
    Email,
    OrganizationDirectory,
    Part,
    PermanentCode,
    PersonName,
    RecordNumber,
    SchoolOrganization,
)
from portail_core.values._text import require_str, trim


class LinkFailure(enum.Enum):
    """Reason a claim did not link, for the integrator's audit log only."""

    RECORD_NOT_FOUND = "record_not_found"
    IDENTIFIERS_DISAGREE = "identifiers_disagree"
    BIRTH_DATE_DIFFERS = "birth_date_differs"
    FAMILY_NAME_INCOMPLETE = "family_name_incomplete"
    FAMILY_NAME_DIFFERS = "family_name_differs"
    GIVEN_NAME_DIFFERS = "given_name_differs"
    GUARDIAN_EMAIL_NOT_ON_RECORD = "guardian_email_not_on_record"


class ChildLinkRejectedError(PortailError):
    """A claim did not link. The message is the same for every reason.

    `reason` is the precise `LinkFailure`, for the audit log. Never show
    it to the parent, because it would let a stranger learn which field of
    a child's record they guessed right.
    """

    def __init__(
        self, reason: LinkFailure, *, suggest_permanent_code: bool
    ) -> None:
        code = (
            "link.rejected_try_permanent_code"
            if suggest_permanent_code
            else "link.rejected"
        )
        super().__init__(code)
        self.reason = reason
        self.suggest_permanent_code = suggest_permanent_code


class LinkLimitError(RetryLaterError):
    """The account made too many failed link attempts in the window."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("link.too_many_failures", retry_after)


class OrganizationNotSubscribedError(PortailError):
    """The organization does not subscribe to the portal.

    Which organizations subscribe is public, so the message names the
    cause, and the parent can ask the school when it will be offered.
    """

    def __init__(self) -> None:
        super().__init__("link.organization_not_subscribed")


class PermanentCodeMismatchError(ValidationError):
    """The permanent code disagrees with the typed data.

    Checked before any lookup, so it never counts as a failed attempt.
    Each differing part gets its own problem, naming what the parent
    should check.
    """


class InvalidClaimError(ValidationError):
    """One or more fields of a claim are invalid.

    `fields` maps each invalid field's name to its error, so a form can
    show every message beside its field.
    """

    fields: Mapping[str, PortailError] = MappingProxyType({})


_PART_CODES = {
    Part.FAMILY_NAME_LETTERS: "link.permanent_code_family_name",
    Part.GIVEN_NAME_LETTER: "link.permanent_code_given_name",
    Part.DAY: "link.permanent_code_day",
    Part.MONTH: "link.permanent_code_month",
    Part.YEAR: "link.permanent_code_year",
    Part.SEX_MARKER: "link.permanent_code_sex",
}


def mismatch_error(
    consistency: Consistency,
) -> PermanentCodeMismatchError | None:
    """Return the error telling a parent which typed parts disagree with
    the permanent code, or None when no part disagrees."""
    if consistency.is_consistent:
        return None
    return PermanentCodeMismatchError.from_problems(
        Problem(_PART_CODES[part]) for part in consistency.differing
    )


@attrs.frozen(kw_only=True, repr=False)
class ChildClaim:
    """A parent's request to link one child, parsed and validated."""

    organization: SchoolOrganization
    birth_date: BirthDate
    family_name: PersonName
    given_names: PersonName
    record_number: RecordNumber | None = None
    permanent_code: PermanentCode | None = None

    def __attrs_post_init__(self) -> None:
        if self.record_number is None and self.permanent_code is None:
            raise InvalidClaimError("claim.missing_identifier")

    @classmethod
    def parse(
        cls,
        *,
        organization: str,
        birth_date: str,
        family_name: str,
        given_names: str,
        record_number: str | None = None,
        permanent_code: str | None = None,
        today: date,
        directory: OrganizationDirectory | None = None,
        date_order: DateOrder | None = None,
    ) -> Self:
        """Parse every field of a claim as typed in a form.

        Empty identifier fields count as not given.

        Raises:
            InvalidClaimError: lists the problems of every invalid field;
                `fields` maps field names to their errors. An unknown
                organization's error carries ranked `suggestions`.
        """
        if directory is None:
            directory = OrganizationDirectory.bundled()
        errors: dict[str, PortailError] = {}
        values: dict[str, object] = {}

        def attempt(
            name: str, parse: Callable[[str], object], text: str | None
        ) -> None:
            if name in OPTIONAL_FIELDS and not _given(text, name):
                return
            try:
                values[name] = parse(require_str(text, name))
            except ValidationError as error:
                errors[name] = error

        def read_date(text: str) -> BirthDate:
            return BirthDate.parse(text, today=today, order=date_order)

        attempt("organization", directory.lookup, organization)
        attempt("birth_date", read_date, birth_date)
        attempt("family_name", PersonName.parse, family_name)
        attempt("given_names", PersonName.parse, given_names)
        attempt("record_number", RecordNumber.parse, record_number)
        attempt("permanent_code", PermanentCode.parse, permanent_code)
        if (
            "record_number" not in values
            and "permanent_code" not in values
            and not {"record_number", "permanent_code"} & errors.keys()
        ):
            errors["identifier"] = InvalidClaimError(
                "claim.missing_identifier"
            )

        if errors:
            error = InvalidClaimError.from_problems(
                problem
                for field in errors.values()
                for problem in field.problems
            )
            error.fields = errors
            raise error
        return cls(**values)  # type: ignore[arg-type]

    def check_permanent_code(self) -> None:
        """Check the permanent code, if given, against the typed data.

        The fourth letter is not checked. It encodes the first given name,
        but a claim may give the usual given name alone, which need not be
        the first (``Sophie`` for Marie Sophie, code ``BELM...``). The
        given names are still matched against the record.

        Raises:
            PermanentCodeMismatchError: a part of the code disagrees with
                the family name or birth date, one problem per part.
        """
        if self.permanent_code is None:
            return
        consistency = self.permanent_code.consistency(
            family_name=self.family_name.text,
            given_names=self.given_names.text,
            birth_date=self.birth_date.value,
        )
        checked = Consistency(
            checks=tuple(
                check
                for check in consistency.checks
                if check.part is not Part.GIVEN_NAME_LETTER
            )
        )
        error = mismatch_error(checked)
        if error is not None:
            raise error

    @property
    def suggests_permanent_code(self) -> bool:
        """Whether a failure should suggest the permanent code: the claim
        used the record number alone."""
        return self.record_number is not None and self.permanent_code is None

    def __repr__(self) -> str:
        return f"ChildClaim(organization={self.organization.code!r})"


# Fields of a claim that a parent may leave empty: one identifier is
# enough.
OPTIONAL_FIELDS = frozenset({"record_number", "permanent_code"})


def _given(value: str | None, name: str) -> bool:
    """Return whether an optional form field was filled in.

    Raises:
        TypeError: `value` is neither None nor a str.
    """
    return value is not None and bool(trim(require_str(value, name)))


@attrs.frozen(kw_only=True, repr=False)
class StudentRecord:
    """A student as the school organization's records hold them."""

    student_id: str
    """The integrator's id of the student. Events and logs carry it, so it
    should be opaque: no name, birth date or permanent code."""
    organization_code: str
    record_number: RecordNumber
    permanent_code: PermanentCode
    family_name: PersonName
    given_names: PersonName
    """All given names, in order."""
    usual_given_name: PersonName
    birth_date: date
    guardian_emails: tuple[Email, ...]

    def __repr__(self) -> str:
        return f"StudentRecord(student_id={self.student_id!r})"


def check_claim(
    claim: ChildClaim, record: StudentRecord, email: Email
) -> LinkFailure | None:
    """Return why `claim` does not match `record` for `email`, or None."""
    if (
        claim.record_number is not None
        and claim.record_number != record.record_number
    ) or (
        claim.permanent_code is not None
        and claim.permanent_code != record.permanent_code
    ):
        return LinkFailure.IDENTIFIERS_DISAGREE
    if claim.birth_date.value != record.birth_date:
        return LinkFailure.BIRTH_DATE_DIFFERS
    family = _compare_family_names(claim.family_name, record.family_name)
    if family is not None:
        return family
    if claim.given_names.key not in (
        record.usual_given_name.key,
        record.given_names.key,
    ):
        return LinkFailure.GIVEN_NAME_DIFFERS
    if email not in record.guardian_emails:
        return LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD
    return None


def _compare_family_names(
    typed: PersonName, recorded: PersonName
) -> LinkFailure | None:
    if typed.key == recorded.key:
        return None
    typed_parts = typed.parts
    recorded_parts = recorded.parts
    if typed_parts and set(typed_parts) < set(recorded_parts):
        return LinkFailure.FAMILY_NAME_INCOMPLETE
    return LinkFailure.FAMILY_NAME_DIFFERS


def describe_failure(reason: LinkFailure, language: Language = "en") -> str:
    """Return a short audit description of `reason`, free of child data."""
    descriptions = {
        LinkFailure.RECORD_NOT_FOUND: (
            "aucun dossier avec cet identifiant",
            "no record with this identifier",
        ),
        LinkFailure.IDENTIFIERS_DISAGREE: (
            "numéro de fiche et code permanent en désaccord",
            "record number and permanent code disagree",
        ),
        LinkFailure.BIRTH_DATE_DIFFERS: (
            "date de naissance différente",
            "birth date differs",
        ),
        LinkFailure.FAMILY_NAME_INCOMPLETE: (
            "nom de famille incomplet",
            "family name incomplete",
        ),
        LinkFailure.FAMILY_NAME_DIFFERS: (
            "nom de famille différent",
            "family name differs",
        ),
        LinkFailure.GIVEN_NAME_DIFFERS: (
            "prénom différent",
            "given name differs",
        ),
        LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD: (
            "courriel absent du dossier",
            "email not on the record",
        ),
    }
    french, english = descriptions[reason]
    return french if language == "fr" else english
