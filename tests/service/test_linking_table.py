"""Child linking through `SignupService`, case by case, on a CSV roster.

tests/data/roster.csv contains about fifty fictional students in three
school organizations: 741000 (Chemin-du-Roy), 762000 (Montréal) and 751000
(Hauts-Cantons). Its permanent codes fit the names and birth dates by the
documented rules, including day plus 62, month plus 25, an unknown day,
and a code that skips the particle of "de la Fontaine".

Each case types a form as a parent would, starting from the student's
row of the CSV file, and runs on fresh wiring with a new account, so the
limit on failed link attempts never carries over from one case to the
next.
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from unidecode import unidecode

from portail_core._errors import (
    Language,
    PortailError,
    Problem,
    UnknownOrganizationError,
)
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer, MemorySchoolRecords
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring, in_memory
from portail_core.service import LinkOutcome, LinkResult
from portail_core.signup import (
    Account,
    ChildClaim,
    ChildLinked,
    ChildLinkRejected,
    ChildLinkRejectedError,
    Event,
    FlowState,
    InvalidClaimError,
    LinkFailure,
    LinkLimitError,
    OrganizationNotSubscribedError,
    PermanentCodeMismatchError,
    SignupSettings,
)
from portail_core.values import OrganizationDirectory, PersonName

from .conftest import SIGNING_KEY, START, sign_up

ROSTER_PATH = Path(__file__).resolve().parent.parent / "data" / "roster.csv"
TODAY = START.date()
SETTINGS = SignupSettings()
DIRECTORY = OrganizationDirectory.bundled()
LANGUAGES: tuple[Language, ...] = ("fr", "en")


def _read_rows() -> dict[str, dict[str, str]]:
    with ROSTER_PATH.open(encoding="utf-8", newline="") as file:
        return {row["student_id"]: row for row in csv.DictReader(file)}


ROWS = _read_rows()
"""The roster's rows as text, by student_id: what a report card shows."""

# Students the cases name, by student_id. Organization 741000:
LEA_ROSE = "cd124d13"  # Côté-Tremblay, "Léa-Rose Marie", usual Léa-Rose
MATHIS = "75f0734c"  # Tremblay-Côté: Léa-Rose's brother, parts reversed
SOPHIE = "05559abc"  # Bélanger, "Marie Sophie Isabelle", usual Sophie
JEAN_PHILIPPE = "d5ffead2"  # Théberge; the guardian's domain is école
MARIE_EVE = "8184ca63"  # Gagné, "Marie-Ève Chloé", usual Marie-Ève
ZOE = "b9ed461e"  # D'Amour, with a straight apostrophe
GABRIEL = "ad7fb846"  # L’Heureux, "Félix Gabriel", usual Gabriel
ANAIS = "895a456c"  # de la Fontaine; the code's letters skip "de"
EMMA_NG = "4a852170"  # Ng: the code pads the letters with X
LIAM_HO = "985c2482"  # Ho, born 2018, the code adds 62 to the day
MEI = "518f47a5"  # Li, "Chloé Mei", usual Mei
JADE = "c8663eb4"  # Saint-Pierre
WILLIAM = "2c4316df"  # Van Houtte
ROSALIE = "d6c9f003"  # Mc Duff, born on 29 February
LIAM_ONEIL = "65e471e0"  # O’Neil, with a typographic apostrophe
EMILE = "5569bbf5"  # Lavoie, twin of Éloïse
ELOISE = "4686d703"  # Lavoie, twin of Émile: same letters, month + 50
JACOB = "18cb1251"  # Pelletier-Ouellet, twin of Samuel, day + 62
SAMUEL = "5f6107b0"  # Pelletier-Ouellet, "Samuel Olivier"
NOAH_741 = "5744d89e"  # Fortin, moved from 741000 to 762000
# Organization 762000:
NOAH_762 = "d8e97aa1"  # the same Noah Fortin: new record number
JULIETTE = "407dfe54"  # Bouchard-Nadeau, "Alice Juliette"
NOEMIE = "6fc9de06"  # Bérubé; the guardian's local part has accents
ANNE_SOPHIE = "6194b6ac"  # Poirier-Gauthier, "Florence Anne-Sophie"
OLIVIA = "9c7f9c0b"  # Girard, born in December: month 62 in the code
AMINATA = "c0afaa2a"  # Diallo, born abroad: the code adds 25 to the month
EMILE_DUBE = "794220c2"  # Dubé, born 2020-01-01: day 63 in the code
# Organization 751000:
FELIX = "12ccef7f"  # Beaulieu, "Samuel Félix", usual Félix
YOUSSEF = "01eb57ab"  # Haddad: the code marks the day unknown (99)
FLORENCE = "13592277"  # Fortin, Noah's sister
ZOE_PAQUETTE = "61ed99bd"  # Paquette: day 87 and month 62 in the code

# Which identifiers a form carries.
RECORD = "record_number"
CODE = "permanent_code"
BOTH = "both"

Form = dict[str, str | None]


def form(
    student: str, *, by: str = RECORD, full: bool = False, **typed: str | None
) -> Form:
    """Return the student's form as ChildClaim.parse takes it.

    Every field is copied from the student's row: the usual given name,
    or all given names when `full`, and the identifiers that `by` names.
    Then `typed` replaces fields with what the parent typed instead.
    """
    row = ROWS[student]
    copied: Form = {
        "organization": row["organization_code"],
        "birth_date": row["birth_date"],
        "family_name": row["family_name"],
        "given_names": row["given_names" if full else "usual_given_name"],
        "record_number": row["record_number"] if by != CODE else None,
        "permanent_code": row["permanent_code"] if by != RECORD else None,
    }
    return {**copied, **typed}


def guardian(student: str, index: int = 0) -> str:
    """Return a guardian email of the student as the roster writes it."""
    return ROWS[student]["guardian_emails"].split(";")[index]


def parse(typed: Form) -> ChildClaim:
    return ChildClaim.parse(**typed, today=TODAY)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def organization_code(typed: Form) -> str:
    """Return the code of the organization the form names."""
    name = typed["organization"]
    assert name is not None
    return DIRECTORY.lookup(name).code


def suggests_permanent_code(typed: Form) -> bool:
    """Whether the form used the record number alone."""
    return bool(typed["record_number"]) and not typed["permanent_code"]


@attrs.frozen
class Portal:
    """Fresh in-memory wiring on the roster, with what it recorded."""

    wiring: Wiring
    mailer: MemoryMailer
    clock: ManualClock
    events: list[Event]

    def sign_up(self, address: str) -> Account:
        return sign_up(self.wiring.service, self.mailer, address)

    def link(self, account: Account, typed: Form) -> LinkResult:
        return self.wiring.service.link_child(account.account_id, parse(typed))

    def stored(self, account: Account) -> Account:
        stored = self.wiring.accounts.get(account.account_id)
        assert stored is not None
        return stored

    def of_type(self, kind: type[Event]) -> list[Event]:
        return [event for event in self.events if isinstance(event, kind)]


@pytest.fixture(scope="module")
def records() -> MemorySchoolRecords:
    # Read-only during the tests, so every case can share it.
    return MemorySchoolRecords.from_path(ROSTER_PATH)


def make_portal(
    records: MemorySchoolRecords, subscribed: set[str] | None = None
) -> Portal:
    mailer = MemoryMailer()
    clock = ManualClock(START)
    events: list[Event] = []
    wiring = in_memory(
        roster=records,
        subscribed=subscribed,
        clock=clock,
        mailer=mailer,
        hasher=ScryptHasher(log2_n=1),
        keys=(SIGNING_KEY,),
        events=events.append,
    )
    return Portal(wiring=wiring, mailer=mailer, clock=clock, events=events)


@pytest.fixture
def portal(records: MemorySchoolRecords) -> Portal:
    return make_portal(records)


def test_roster_loads_every_row(records: MemorySchoolRecords) -> None:
    assert len(records) == len(ROWS)
    assert len(ROWS) >= 40
    assert {row["organization_code"] for row in ROWS.values()} == {
        "741000",
        "762000",
        "751000",
    }


# Successes: (student, form, address the parent signs up with).


def linked(
    case_id: str,
    student: str,
    *,
    email: str | None = None,
    by: str = RECORD,
    full: bool = False,
    **typed: str | None,
) -> Any:
    return pytest.param(
        student,
        form(student, by=by, full=full, **typed),
        email or guardian(student),
        id=case_id,
    )


SUCCESSES = [
    # Identifiers.
    linked("record-number", LEA_ROSE),
    linked("record-number-unpadded", LEA_ROSE, record_number="482913"),
    linked("record-number-spaced", LEA_ROSE, record_number=" 0 482 913 "),
    linked("permanent-code", LEA_ROSE, by=CODE),
    linked(
        "permanent-code-lower-spaced",
        LEA_ROSE,
        by=CODE,
        permanent_code="cotl 1453-1601",
    ),
    linked("both-identifiers", LEA_ROSE, by=BOTH),
    # Given names: the usual one, or all of them.
    linked("given-full", LEA_ROSE, full=True),
    linked("given-full-code", SOPHIE, by=CODE, full=True),
    linked("given-usual-not-first", SOPHIE),
    linked("given-usual-not-first-code", SOPHIE, by=CODE),
    linked("given-usual-other-letter-code", GABRIEL, by=CODE),
    linked("given-usual-short-code", MEI, by=CODE),
    linked("given-usual-compound-second", ANNE_SOPHIE, by=BOTH),
    linked("given-compound-space", MARIE_EVE, given_names="Marie Ève"),
    linked("given-full-spaces", LEA_ROSE, given_names="Léa Rose Marie"),
    # Family name particles and abbreviations, glued or abbreviated.
    linked("saint-abbreviated", JADE, family_name="St-Pierre"),
    linked("saint-abbreviated-code", JADE, by=CODE, family_name="St-Pierre"),
    linked("particles-glued-code", ANAIS, by=CODE, family_name="Delafontaine"),
    linked("mc-glued-code", ROSALIE, by=CODE, family_name="McDuff"),
    # Family name separators.
    linked("family-space", LEA_ROSE, family_name="Côté Tremblay"),
    linked("family-en-dash", LEA_ROSE, by=CODE, family_name="Côté–Tremblay"),
    linked("family-spaced-dash", LEA_ROSE, family_name="Côté - Tremblay"),
    linked(
        "family-no-break-hyphen", LEA_ROSE, family_name="Côté\u2011Tremblay"
    ),
    linked("family-joined", LEA_ROSE, by=CODE, family_name="CôtéTremblay"),
    linked(
        "family-particle-hyphen", WILLIAM, by=CODE, family_name="Van-Houtte"
    ),
    linked(
        "family-particle-joined", WILLIAM, by=CODE, family_name="VanHoutte"
    ),
    linked("family-mc-joined", ROSALIE, by=CODE, family_name="McDuff"),
    linked(
        "family-particles-capital",
        ANAIS,
        by=CODE,
        family_name="De La Fontaine",
    ),
    linked("family-particles-joined", ANAIS, family_name="Delafontaine"),
    linked("family-saint-space", JADE, by=CODE, family_name="Saint Pierre"),
    # Apostrophes.
    linked("apostrophe-curly", ZOE, by=CODE, family_name="D’Amour"),
    linked("apostrophe-none", ZOE, by=CODE, family_name="DAmour"),
    linked("apostrophe-space", ZOE, by=CODE, family_name="D Amour"),
    linked("apostrophe-straight", GABRIEL, by=BOTH, family_name="L'Heureux"),
    linked("apostrophe-dropped", GABRIEL, by=CODE, family_name="LHeureux"),
    linked("apostrophe-o-straight", LIAM_ONEIL, by=CODE, family_name="O'Neil"),
    linked("apostrophe-o-dropped", LIAM_ONEIL, family_name="ONeil"),
    # Accents, case and spacing.
    linked(
        "accents-stripped",
        LEA_ROSE,
        family_name="Cote-Tremblay",
        given_names="Lea-Rose",
    ),
    linked(
        "accents-stripped-code", JEAN_PHILIPPE, by=CODE, family_name="Theberge"
    ),
    linked(
        "upper-case",
        LEA_ROSE,
        by=CODE,
        family_name="CÔTÉ-TREMBLAY",
        given_names="LÉA-ROSE",
    ),
    linked(
        "upper-case-no-accents",
        LEA_ROSE,
        by=BOTH,
        family_name="COTE-TREMBLAY",
        given_names="LEA-ROSE MARIE",
    ),
    linked(
        "lower-case",
        MARIE_EVE,
        by=CODE,
        family_name="gagné",
        given_names="marie-ève",
    ),
    linked(
        "decomposed-accents",
        SOPHIE,
        by=CODE,
        family_name=nfd("Bélanger"),
        given_names=nfd("Marie Sophie Isabelle"),
    ),
    linked(
        "extra-spaces",
        LEA_ROSE,
        family_name="  Côté  -  Tremblay ",
        given_names=" Léa-Rose  Marie ",
    ),
    linked(
        "extra-spaces-particles",
        ANAIS,
        by=CODE,
        family_name="de  la   Fontaine",
    ),
    # Short names and every date encoding of the code.
    linked("short-ng-code", EMMA_NG, by=CODE),
    linked("short-ho-code-day-plus-62", LIAM_HO, by=CODE),
    linked("short-li-record", MEI),
    linked("leap-day-code", ROSALIE, by=CODE),
    linked("girl-december-code", OLIVIA, by=CODE),
    linked("day-87-month-62-code", ZOE_PAQUETTE, by=CODE),
    linked("day-63-code", EMILE_DUBE, by=CODE),
    linked("month-plus-25-code", AMINATA, by=CODE),
    linked("unknown-day-code", YOUSSEF, by=CODE),
    linked("birth-date-slashes", LEA_ROSE, birth_date="2016/03/14"),
    linked("birth-date-basic", LEA_ROSE, by=CODE, birth_date="20160314"),
    # Twins share a birth date, and Émile and Éloïse share the letters.
    linked("twin-boy-record", EMILE),
    linked("twin-girl-code", ELOISE, by=CODE),
    linked("twin-day-plus-62-code", JACOB, by=CODE),
    linked("twin-full-names-code", SAMUEL, by=CODE, full=True),
    # A student who moved has one record in each organization.
    linked("moved-new-organization-code", NOAH_762, by=CODE),
    linked("moved-old-organization-record", NOAH_741),
    # The organization typed by name.
    linked(
        "organization-short-name",
        LEA_ROSE,
        organization="CSS du Chemin-du-Roy",
    ),
    linked("organization-lower-case", LEA_ROSE, organization="chemin du roy"),
    linked("organization-acronym", JULIETTE, organization="CSSDM"),
    linked("organization-no-accents", JULIETTE, organization="montreal"),
    linked(
        "organization-full-name",
        FELIX,
        organization="Centre de services scolaire des Hauts-Cantons",
    ),
    # The account's email in another form than the record's.
    linked(
        "email-upper-case", LEA_ROSE, email="ÉMILIE.GAGNON@COURRIEL.EXAMPLE"
    ),
    linked("email-second-guardian", LEA_ROSE, email=guardian(LEA_ROSE, 1)),
    linked("email-decomposed", LEA_ROSE, email=nfd(guardian(LEA_ROSE))),
    linked(
        "email-unicode-domain", SOPHIE, email="Marc.Belanger@École.example"
    ),
    linked(
        "email-punycode-domain",
        JEAN_PHILIPPE,
        email="isabelle.théberge@xn--cole-9oa.example",
    ),
    linked(
        "email-domain-upper", NOAH_741, email="ÉRIC.FORTIN@CHÂTEAU.EXAMPLE"
    ),
    linked(
        "email-accented-upper",
        NOEMIE,
        email="MARIE-CLAUDE.BÉRUBÉ@courriel.example",
    ),
]


@pytest.mark.parametrize(("student", "typed", "address"), SUCCESSES)
def test_link_succeeds(
    portal: Portal, student: str, typed: Form, address: str
) -> None:
    account = portal.sign_up(address)
    result = portal.link(account, typed)

    assert result.outcome == LinkOutcome.LINKED
    assert result.student_id == student
    assert result.organization_code == ROWS[student]["organization_code"]
    assert portal.of_type(ChildLinked) == [
        ChildLinked(
            at=START,
            account_id=account.account_id,
            student_id=student,
            organization_code=ROWS[student]["organization_code"],
        )
    ]
    assert portal.of_type(ChildLinkRejected) == []
    stored = portal.stored(account)
    assert [link.student_id for link in stored.children] == [student]
    assert stored.link_attempts == ()


def test_link_twice_already_linked(portal: Portal) -> None:
    account = portal.sign_up(guardian(LEA_ROSE))
    first = portal.link(account, form(LEA_ROSE))
    again = portal.link(
        account,
        form(
            LEA_ROSE,
            by=CODE,
            full=True,
            family_name="cote tremblay",
            permanent_code="cotl14531601",
        ),
    )

    assert first.outcome == LinkOutcome.LINKED
    assert again.outcome == LinkOutcome.ALREADY_LINKED
    assert again.student_id == first.student_id == LEA_ROSE
    assert len(portal.of_type(ChildLinked)) == 1
    stored = portal.stored(account)
    assert [link.student_id for link in stored.children] == [LEA_ROSE]
    assert stored.link_attempts == ()


def test_link_three_organizations(portal: Portal) -> None:
    # Noah's father links Noah in both organizations Noah attended, and
    # Noah's sister in a third.
    account = portal.sign_up(guardian(NOAH_741))
    typed = [
        form(NOAH_741),
        form(NOAH_762, by=CODE),
        form(FLORENCE, by=BOTH, full=True),
    ]
    results = [portal.link(account, each) for each in typed]

    assert [result.outcome for result in results] == [LinkOutcome.LINKED] * 3
    stored = portal.stored(account)
    assert [link.student_id for link in stored.children] == [
        NOAH_741,
        NOAH_762,
        FLORENCE,
    ]
    assert [link.organization_code for link in stored.children] == [
        "741000",
        "762000",
        "751000",
    ]
    flow = portal.wiring.service.flow(guardian(NOAH_741))
    assert flow is not None
    assert flow.state is FlowState.CHILDREN_LINKED


def test_moved_student_fails_then_links(portal: Portal) -> None:
    account = portal.sign_up(guardian(NOAH_762))
    # The parent types the record number of the former organization.
    old_number = form(NOAH_762, record_number=ROWS[NOAH_741]["record_number"])
    with pytest.raises(ChildLinkRejectedError) as info:
        portal.link(account, old_number)
    assert info.value.reason is LinkFailure.RECORD_NOT_FOUND
    assert info.value.code == "link.rejected_try_permanent_code"

    # The error suggests the permanent code, which is valid everywhere.
    result = portal.link(account, form(NOAH_762, by=CODE))

    assert result.outcome == LinkOutcome.LINKED
    assert result.student_id == NOAH_762
    assert result.organization_code == "762000"
    assert len(portal.stored(account).link_attempts) == 1


# Rejections: (student, form, address the parent signs up with, reason).


def rejected(
    case_id: str,
    student: str,
    reason: LinkFailure,
    *,
    email: str | None = None,
    by: str = RECORD,
    full: bool = False,
    **typed: str | None,
) -> Any:
    return pytest.param(
        student,
        form(student, by=by, full=full, **typed),
        email or guardian(student),
        reason,
        id=f"{reason.value}-{case_id}",
    )


NOT_FOUND = LinkFailure.RECORD_NOT_FOUND
DISAGREE = LinkFailure.IDENTIFIERS_DISAGREE
BIRTH = LinkFailure.BIRTH_DATE_DIFFERS
INCOMPLETE = LinkFailure.FAMILY_NAME_INCOMPLETE
FAMILY = LinkFailure.FAMILY_NAME_DIFFERS
GIVEN = LinkFailure.GIVEN_NAME_DIFFERS
EMAIL = LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD

REJECTIONS = [
    rejected("unknown-record", LEA_ROSE, NOT_FOUND, record_number="9999999"),
    rejected(
        "moved-old-record",
        NOAH_762,
        NOT_FOUND,
        record_number=ROWS[NOAH_741]["record_number"],
    ),
    rejected("other-organization", LEA_ROSE, NOT_FOUND, organization="762000"),
    rejected(
        "unknown-code",
        LEA_ROSE,
        NOT_FOUND,
        by=CODE,
        permanent_code="COTL14531699",
    ),
    rejected(
        "code-other-organization",
        SOPHIE,
        NOT_FOUND,
        by=CODE,
        organization="Hauts-Cantons",
    ),
    rejected(
        "both-unknown",
        LEA_ROSE,
        NOT_FOUND,
        by=BOTH,
        record_number="9999999",
        permanent_code="COTL14531699",
    ),
    rejected(
        "twin-code",
        EMILE,
        DISAGREE,
        by=BOTH,
        permanent_code=ROWS[ELOISE]["permanent_code"],
    ),
    rejected(
        "unknown-record-known-code",
        LEA_ROSE,
        DISAGREE,
        by=BOTH,
        record_number="9999999",
    ),
    rejected(
        "moved-old-record-with-code",
        NOAH_762,
        DISAGREE,
        by=BOTH,
        record_number=ROWS[NOAH_741]["record_number"],
    ),
    rejected("day-off-by-one", LEA_ROSE, BIRTH, birth_date="2016-03-15"),
    rejected("year-off-by-one", LEA_ROSE, BIRTH, birth_date="2015-03-14"),
    rejected("day-month-swapped", SOPHIE, BIRTH, birth_date="2014-03-05"),
    rejected("sister-birth-date", MATHIS, BIRTH, birth_date="2016-03-14"),
    rejected(
        "unknown-day-code",
        YOUSSEF,
        BIRTH,
        by=CODE,
        birth_date="2013-06-19",
    ),
    rejected("first-part", LEA_ROSE, INCOMPLETE, family_name="Côté"),
    rejected("second-part", LEA_ROSE, INCOMPLETE, family_name="Tremblay"),
    rejected(
        "first-part-code", LEA_ROSE, INCOMPLETE, by=CODE, family_name="Cote"
    ),
    rejected("particles-dropped", ANAIS, INCOMPLETE, family_name="Fontaine"),
    rejected("saint-dropped", JADE, INCOMPLETE, family_name="Pierre"),
    rejected("compound-part", ANNE_SOPHIE, INCOMPLETE, family_name="Gauthier"),
    rejected("reversed", LEA_ROSE, FAMILY, family_name="Tremblay-Côté"),
    rejected(
        "reversed-sibling", ANNE_SOPHIE, FAMILY, family_name="Gauthier-Poirier"
    ),
    rejected("extra-part", LEA_ROSE, FAMILY, family_name="Côté-Tremblay-Roy"),
    rejected(
        "same-letters-code",
        LEA_ROSE,
        FAMILY,
        by=CODE,
        family_name="Cotté-Tremblay",
    ),
    rejected("apostrophe-part", ZOE, FAMILY, family_name="Amour"),
    rejected("another-family", SOPHIE, FAMILY, family_name="Gagné"),
    rejected("other-given-name", SOPHIE, GIVEN, given_names="Isabelle"),
    rejected("first-not-usual", SOPHIE, GIVEN, given_names="Marie"),
    rejected("some-given-names", SOPHIE, GIVEN, given_names="Marie Sophie"),
    rejected(
        "given-names-reordered",
        SOPHIE,
        GIVEN,
        given_names="Sophie Marie Isabelle",
    ),
    rejected("compound-usual-part", LEA_ROSE, GIVEN, given_names="Léa"),
    rejected("twin-name-code", EMILE, GIVEN, by=CODE, given_names="Éloïse"),
    rejected(
        "other-letter-code", SOPHIE, GIVEN, by=CODE, given_names="Isabelle"
    ),
    rejected("other-family", LEA_ROSE, EMAIL, email=guardian(SOPHIE)),
    rejected("sibling-school", FLORENCE, EMAIL, email=guardian(LEA_ROSE)),
    rejected(
        "local-accent-dropped",
        LEA_ROSE,
        EMAIL,
        email="emilie.gagnon@courriel.example",
    ),
    rejected(
        "domain-accent-dropped",
        SOPHIE,
        EMAIL,
        by=CODE,
        email="marc.belanger@ecole.example",
    ),
    rejected(
        "idn-domain-differs",
        NOAH_762,
        EMAIL,
        by=BOTH,
        email="eric.fortin@chateau.example",
    ),
]


@pytest.mark.parametrize(("student", "typed", "address", "reason"), REJECTIONS)
def test_link_rejected(
    portal: Portal,
    student: str,
    typed: Form,
    address: str,
    reason: LinkFailure,
) -> None:
    account = portal.sign_up(address)
    with pytest.raises(ChildLinkRejectedError) as info:
        portal.link(account, typed)

    error = info.value
    code = (
        "link.rejected_try_permanent_code"
        if suggests_permanent_code(typed)
        else "link.rejected"
    )
    assert error.reason is reason
    assert error.codes == (code,)
    for language in LANGUAGES:
        assert error.message(language) == Problem(code).message(language)
    assert portal.of_type(ChildLinkRejected) == [
        ChildLinkRejected(
            at=START,
            account_id=account.account_id,
            organization_code=organization_code(typed),
            reason=reason.value,
        )
    ]
    assert portal.of_type(ChildLinked) == []
    stored = portal.stored(account)
    assert stored.children == ()
    assert len(stored.link_attempts) == 1


def test_rejections_cover_every_reason() -> None:
    reasons = {param.values[3] for param in REJECTIONS}
    assert reasons == set(LinkFailure)


@pytest.mark.parametrize("reason", list(LinkFailure))
def test_rejections_cover_both_codes(reason: LinkFailure) -> None:
    # Each reason shows up with and without the suggestion, where the
    # rules allow: IDENTIFIERS_DISAGREE needs both identifiers.
    suggestions = {
        suggests_permanent_code(param.values[1])
        for param in REJECTIONS
        if param.values[3] is reason
    }
    expected = {False} if reason is DISAGREE else {False, True}
    assert suggestions == expected


# Permanent codes that disagree with the typed data: (student, form,
# codes of the parts named).


def mismatch(
    case_id: str,
    student: str,
    *codes: str,
    by: str = CODE,
    **typed: str | None,
) -> Any:
    return pytest.param(
        student, form(student, by=by, **typed), codes, id=case_id
    )


FAMILY_LETTERS = "link.permanent_code_family_name"
DAY = "link.permanent_code_day"
MONTH = "link.permanent_code_month"
YEAR = "link.permanent_code_year"

MISMATCHES = [
    mismatch(
        "family-letters",
        LEA_ROSE,
        FAMILY_LETTERS,
        family_name="Tremblay-Côté",
    ),
    mismatch("day", LEA_ROSE, DAY, birth_date="2016-03-15"),
    mismatch("month", LEA_ROSE, MONTH, birth_date="2016-04-14"),
    mismatch("year", LEA_ROSE, YEAR, birth_date="2015-03-14"),
    mismatch(
        "whole-date", LEA_ROSE, DAY, MONTH, YEAR, birth_date="2015-04-15"
    ),
    mismatch(
        "family-and-day",
        SOPHIE,
        FAMILY_LETTERS,
        DAY,
        family_name="Gagné",
        birth_date="2014-05-04",
    ),
    mismatch("day-plus-62", LIAM_HO, DAY, birth_date="2018-02-26"),
    mismatch("girl-month", ELOISE, MONTH, birth_date="2016-11-04"),
    mismatch("month-plus-25", AMINATA, MONTH, birth_date="2012-04-15"),
    mismatch(
        "with-record-number", LEA_ROSE, DAY, by=BOTH, birth_date="2016-03-15"
    ),
]


@pytest.mark.parametrize(("student", "typed", "codes"), MISMATCHES)
def test_permanent_code_mismatch(
    portal: Portal, student: str, typed: Form, codes: tuple[str, ...]
) -> None:
    account = portal.sign_up(guardian(student))
    with pytest.raises(PermanentCodeMismatchError) as info:
        portal.link(account, typed)

    assert info.value.codes == codes
    assert portal.of_type(ChildLinkRejected) == []
    assert portal.stored(account).link_attempts == ()


def test_mismatch_reported_at_limit(portal: Portal) -> None:
    account = portal.sign_up(guardian(LEA_ROSE))
    for _ in range(SETTINGS.max_link_failures):
        with pytest.raises(ChildLinkRejectedError):
            portal.link(account, form(LEA_ROSE, given_names="Léa"))

    # The mismatch is found before the limit is checked, so the parent
    # still learns which part to fix.
    with pytest.raises(PermanentCodeMismatchError) as info:
        portal.link(account, form(LEA_ROSE, by=CODE, birth_date="2016-03-15"))
    assert info.value.codes == (DAY,)
    # A claim that passes that check waits for the window to end.
    with pytest.raises(LinkLimitError):
        portal.link(account, form(LEA_ROSE))
    assert len(portal.of_type(ChildLinkRejected)) == SETTINGS.max_link_failures


# The organization.


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chemin du roi", "741000"),
        ("CSS du Chemin-du-Rois", "741000"),
        ("CSS de Montral", "762000"),
        ("Haut-Canton", "751000"),
    ],
)
def test_unknown_organization_suggests(typed: str, expected: str) -> None:
    with pytest.raises(InvalidClaimError) as info:
        parse(form(LEA_ROSE, organization=typed))

    assert set(info.value.fields) == {"organization"}
    error = info.value.fields["organization"]
    assert isinstance(error, UnknownOrganizationError)
    suggestions = [DIRECTORY.by_code(expected)]
    assert list(error.suggestions[:1]) == suggestions
    ranked = [match.organization for match in DIRECTORY.search(typed)]
    assert list(error.suggestions) == ranked


def test_ambiguous_organization_ranks_all() -> None:
    # "Hautes" begins the names of Hautes-Laurentides and Hautes-Rivières.
    with pytest.raises(InvalidClaimError) as info:
        parse(form(FELIX, organization="Hautes"))

    error = info.value.fields["organization"]
    assert isinstance(error, UnknownOrganizationError)
    ranked = DIRECTORY.search("Hautes")
    assert list(error.suggestions) == [match.organization for match in ranked]
    codes = {match.organization.code for match in ranked}
    assert {"854000", "863000"} <= codes
    scores = [match.score for match in ranked]
    assert scores == sorted(scores, reverse=True)


def test_unsubscribed_organization(records: MemorySchoolRecords) -> None:
    portal = make_portal(records, subscribed={"741000", "762000"})
    account = portal.sign_up(guardian(NOAH_741))

    with pytest.raises(OrganizationNotSubscribedError) as info:
        portal.link(account, form(FLORENCE))

    assert info.value.code == "link.organization_not_subscribed"
    assert portal.of_type(ChildLinkRejected) == []
    assert portal.stored(account).link_attempts == ()
    # The same parent links a child of a subscribing organization.
    result = portal.link(account, form(NOAH_741))
    assert result.outcome == LinkOutcome.LINKED


# Privacy: results, errors, events and logs carry no child's data.

# Particles and one-letter parts are words of ordinary text, not
# identifying on their own.
_COMMON_PARTS = frozenset({"d", "de", "la", "l", "o", "mc", "van", "saint"})


def _name_forms(text: str) -> list[str]:
    name = PersonName.parse(text)
    parts = [part for part in name.parts if part not in _COMMON_PARTS]
    return [name.text, name.key, *parts]


def _date_forms(iso: str) -> list[str]:
    year, month, day = iso.split("-")
    return [
        f"{year}-{month}-{day}",
        f"{year}/{month}/{day}",
        f"{year}{month}{day}",
        f"{day}/{month}/{year}",
        f"{month}/{day}/{year}",
        f"{day}-{month}-{year}",
    ]


def private_values(student: str, typed: Form) -> list[str]:
    """Return the student's names, birth date and permanent code, and the
    ones typed, in the forms a leak could take, folded to lowercase
    ASCII."""
    row = ROWS[student]
    values: list[str] = []
    for field in ("family_name", "given_names", "usual_given_name"):
        values += _name_forms(row[field])
    for field in ("family_name", "given_names"):
        values += _name_forms(typed[field] or "")
    claim = parse(typed)
    values += _date_forms(row["birth_date"])
    values += _date_forms(str(claim.birth_date))
    codes = {row["permanent_code"]}
    if claim.permanent_code is not None:
        codes.add(str(claim.permanent_code))
    for code in codes:
        values += [code, f"{code[:4]} {code[4:8]} {code[8:]}", code[4:]]
    return [unidecode(value).casefold() for value in values]


def leaks(text: str, secret: str) -> bool:
    """Return whether `secret` occurs in `text` as a whole word.

    A name part or a run of digits counts only where no letter or digit
    touches it, so that "ho" in "school" or digits inside a random hex id
    are not taken for a leak.
    """
    folded = unidecode(text).casefold()
    pattern = rf"(?<![0-9a-z]){re.escape(secret)}(?![0-9a-z])"
    return re.search(pattern, folded) is not None


def error_texts(error: PortailError) -> list[str]:
    texts = [str(error), repr(error), repr(error.args)]
    texts += [error.message(language) for language in LANGUAGES]
    texts += [repr(problem.params) for problem in error.problems]
    return texts


def assert_nothing_private(secrets: list[str], texts: list[str]) -> None:
    for text in texts:
        for secret in secrets:
            assert not leaks(text, secret), (secret, text)


def link_texts(
    portal: Portal,
    account: Account,
    typed: Form,
    caplog: pytest.LogCaptureFixture,
) -> list[str]:
    """Link the form and return every text the attempt produced: the
    result or error, the events, the stored account and the log."""
    caplog.clear()
    texts: list[str] = []
    try:
        result = portal.link(account, typed)
    except PortailError as error:
        texts += error_texts(error)
    else:
        texts += [repr(result), str(result)]
        texts += [str(value) for value in attrs.astuple(result)]
    texts += [repr(event) for event in portal.events]
    texts.append(repr(portal.stored(account)))
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args)]
    return texts


def _without_reason(param: Any) -> Any:
    student, typed, address = param.values[:3]
    return pytest.param(student, typed, address, id=param.id)


@pytest.mark.parametrize(
    ("student", "typed", "address"),
    [*SUCCESSES, *map(_without_reason, REJECTIONS)],
)
def test_link_hides_child(
    portal: Portal,
    caplog: pytest.LogCaptureFixture,
    student: str,
    typed: Form,
    address: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    account = portal.sign_up(address)
    texts = link_texts(portal, account, typed, caplog)

    # The log and the events record the attempt, without the child's data.
    assert any("ChildLink" in text for text in texts)
    assert any(record.name == "portail_core" for record in caplog.records)
    assert_nothing_private(private_values(student, typed), texts)


@pytest.mark.parametrize(("student", "typed", "codes"), MISMATCHES)
def test_mismatch_hides_child(
    portal: Portal,
    caplog: pytest.LogCaptureFixture,
    student: str,
    typed: Form,
    codes: tuple[str, ...],
) -> None:
    caplog.set_level(logging.DEBUG)
    account = portal.sign_up(guardian(student))
    texts = link_texts(portal, account, typed, caplog)

    assert any(codes[0] in text for text in texts)
    assert_nothing_private(private_values(student, typed), texts)
