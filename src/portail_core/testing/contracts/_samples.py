"""Fictional Quebec data that the contract suites store and look up.

Every address uses the reserved ``.example`` domain, and every person and
record is invented. Times carry the offsets of Eastern daylight time,
Newfoundland daylight time and UTC, so that a store that drops or
misreads an offset fails.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta, timezone
from email.message import EmailMessage

from portail_core._errors import Language
from portail_core.mail import MailKind, MailTemplates
from portail_core.signup import (
    Account,
    Challenge,
    ChildLink,
    CodeSigner,
    FlowPurpose,
    FlowState,
    LinkAttempt,
    SignupFlow,
    SignupSettings,
    StudentRecord,
)
from portail_core.values import (
    Email,
    PermanentCode,
    PersonName,
    RecordNumber,
)

EASTERN_DAYLIGHT = timezone(timedelta(hours=-4), "HAE")
NEWFOUNDLAND_DAYLIGHT = timezone(timedelta(hours=-2, minutes=-30), "HAT")

START = datetime(2026, 9, 1, 8, 30, 15, 123456, tzinfo=EASTERN_DAYLIGHT)
"""A school-year start in Quebec, with microseconds to round-trip."""

SETTINGS = SignupSettings()
SIGNER = CodeSigner((b"portail-core contract suite key!",))

PARENT = "emilie.gagnon@courriel.example"
PARENT_TYPED = "Emilie.Gagnon@Courriel.example"
"""`PARENT` as a parent might type it: another address, the same key."""
OTHER_PARENT = "jf.cote@courriel.example"
IDN_PARENT = "Émilie.Gagnon@école.example"
"""An accented local part and an internationalized domain."""

# A made-up value in the scrypt format; no known password matches it.
PASSWORD_HASH = (
    "$scrypt$ln=17,r=8,p=1$q1vXbE3HkR0yq8o2c5pN3w=="  # noqa: S105
    "$8ySvo9b4pL4u2aT+0bqEw6d9KxgZkF3nJ0m5lYc2h1U="
)

ORGANIZATION = "741000"
"""Centre de services scolaire du Chemin-du-Roy."""
OTHER_ORGANIZATION = "762000"
"""Centre de services scolaire de Montréal."""
MOVED_TO_ORGANIZATION = "763000"
"""Centre de services scolaire Marguerite-Bourgeoys."""
ENGLISH_ORGANIZATION = "887000"
"""Commission scolaire English-Montréal."""
UNRELATED_ORGANIZATION = "733000"
"""Centre de services scolaire des Découvreurs, with no student here."""


def make_id(label: str) -> str:
    """Return a 32-hex-digit id, the form the service gives flows and
    accounts, derived from `label` so failures show the same ids."""
    return hashlib.sha256(label.encode()).hexdigest()[:32]


def code_sent_flow(
    address: str = PARENT,
    *,
    purpose: FlowPurpose = FlowPurpose.SIGNUP,
    label: str = "code-sent",
) -> SignupFlow:
    """Return a flow as the service creates it: a code was just sent."""
    return SignupFlow.start(
        flow_id=make_id(f"{label}:{purpose.value}:{address}"),
        purpose=purpose,
        email=Email.parse(address),
        code="482913",
        decoy=False,
        now=START,
        signer=SIGNER,
        settings=SETTINGS,
    ).flow


def full_flow(
    address: str = IDN_PARENT,
    *,
    purpose: FlowPurpose = FlowPurpose.SIGNUP,
    label: str = "full",
) -> SignupFlow:
    """Return a flow with every field set to a value other than its
    default, so that a store that drops any field fails.

    The service never reaches this combination of fields; a store must
    keep it all the same.
    """
    flow_id = make_id(f"{label}:{purpose.value}:{address}")
    email = Email.parse(address)
    context = f"{purpose.value}:{flow_id}:{email.key}"
    issued = START + timedelta(minutes=2, microseconds=654321)
    return SignupFlow(
        flow_id=flow_id,
        purpose=purpose,
        email=email,
        state=FlowState.CHILDREN_LINKED,
        created_at=START,
        updated_at=(START + timedelta(minutes=17, microseconds=1)).astimezone(
            UTC
        ),
        retain_until=(START + timedelta(days=1, minutes=17)).astimezone(
            NEWFOUNDLAND_DAYLIGHT
        ),
        challenge=Challenge(
            digest=SIGNER.sign("705118", context=context),
            issued_at=issued.astimezone(UTC),
            expires_at=issued + SETTINGS.code_lifetime,
            wrong_tries=3,
            decoy=True,
        ),
        code_requests=(
            START,
            issued.astimezone(NEWFOUNDLAND_DAYLIGHT),
        ),
        locked_until=(START + timedelta(minutes=12)).astimezone(UTC),
        verified_at=START + timedelta(minutes=14, seconds=9, microseconds=7),
        token_digest=SIGNER.sign("jeton-de-vérification", context=context),
        provider="microsoft",
        account_id=make_id(f"account:{address}"),
        children=("demo-001", "demo-002"),
    )


def password_account(
    address: str = IDN_PARENT, *, label: str = "password"
) -> Account:
    """Return an account with a password, two children and a pending
    link attempt, its times in three offsets."""
    return Account(
        account_id=make_id(f"{label}:{address}"),
        email=Email.parse(address),
        created_at=START,
        password_hash=PASSWORD_HASH,
        children=(
            ChildLink(
                student_id="demo-001",
                organization_code=ORGANIZATION,
                linked_at=(START + timedelta(minutes=20)).astimezone(UTC),
            ),
            ChildLink(
                student_id="demo-002",
                organization_code=ORGANIZATION,
                linked_at=START + timedelta(minutes=23, microseconds=5),
            ),
        ),
        link_attempts=(
            LinkAttempt(
                attempt_id=make_id(f"attempt:{address}"),
                at=(START + timedelta(minutes=25)).astimezone(
                    NEWFOUNDLAND_DAYLIGHT
                ),
            ),
        ),
    )


def social_account(
    address: str = OTHER_PARENT, *, label: str = "social"
) -> Account:
    """Return an account created through identity providers, without a
    password."""
    return Account(
        account_id=make_id(f"{label}:{address}"),
        email=Email.parse(address),
        created_at=START.astimezone(UTC),
        password_hash=None,
        providers=("google", "microsoft"),
    )


def _student(
    student_id: str,
    organization_code: str,
    *,
    record_number: str,
    permanent_code: str,
    family_name: str,
    given_names: str,
    usual_given_name: str,
    birth_date: date,
    guardians: tuple[str, ...],
) -> StudentRecord:
    return StudentRecord(
        student_id=student_id,
        organization_code=organization_code,
        record_number=RecordNumber.parse(record_number),
        permanent_code=PermanentCode.parse(permanent_code),
        family_name=PersonName.parse(family_name),
        given_names=PersonName.parse(given_names),
        usual_given_name=PersonName.parse(usual_given_name),
        birth_date=birth_date,
        guardian_emails=tuple(Email.parse(item) for item in guardians),
    )


LEA_ROSE = _student(
    "chemin-du-roy-482913",
    ORGANIZATION,
    record_number="0482913",
    permanent_code="COTL14531601",
    family_name="Côté-Tremblay",
    given_names="Léa-Rose Marie",
    usual_given_name="Léa-Rose",
    birth_date=date(2016, 3, 14),
    guardians=(PARENT, OTHER_PARENT),
)
MATHIS = _student(
    "chemin-du-roy-561207",
    ORGANIZATION,
    record_number="0561207",
    permanent_code="BERM02111305",
    family_name="Bérubé-Gagnon",
    given_names="Mathis Antoine",
    usual_given_name="Mathis",
    birth_date=date(2013, 11, 2),
    guardians=(PARENT,),
)
THOMAS = _student(
    "montreal-482913",
    OTHER_ORGANIZATION,
    record_number="0482913",
    permanent_code="NGUT09041402",
    family_name="Nguyen",
    given_names="Thomas Minh",
    usual_given_name="Thomas",
    birth_date=date(2014, 4, 9),
    guardians=("linh.nguyen@courriel.example",),
)
"""Same record number as `LEA_ROSE`, in another organization."""
ZOE = _student(
    "montreal-390455",
    OTHER_ORGANIZATION,
    record_number="0390455",
    permanent_code="DAMZ30561508",
    family_name="D'Amour",
    given_names="Zoé Élisabeth",
    usual_given_name="Zoé",
    birth_date=date(2015, 6, 30),
    guardians=("nathalie.damour@courriel.example",),
)
ZOE_AFTER_MOVE = _student(
    "marguerite-bourgeoys-1203344",
    MOVED_TO_ORGANIZATION,
    record_number="1203344",
    permanent_code="DAMZ30561508",
    family_name="D'Amour",
    given_names="Zoé Élisabeth",
    usual_given_name="Zoé",
    birth_date=date(2015, 6, 30),
    guardians=("nathalie.damour@courriel.example", IDN_PARENT),
)
"""`ZOE` in the records of the organization she moved to: the same
permanent code, another record number."""
LIAM = _student(
    "english-montreal-1",
    ENGLISH_ORGANIZATION,
    record_number="1",
    permanent_code="ONEL17051201",
    family_name="O'Neil",
    given_names="Liam Patrick",
    usual_given_name="Liam",
    birth_date=date(2012, 5, 17),
    guardians=("siobhan.oneil@courriel.example",),
)

ROSTER = (LEA_ROSE, MATHIS, THOMAS, ZOE, ZOE_AFTER_MOVE, LIAM)
"""Student records of four organizations."""

TEMPLATES = MailTemplates()


def code_message(
    address: str = PARENT, code: str = "482913", language: Language = "fr"
) -> EmailMessage:
    """Return the verification-code email that the service sends."""
    return TEMPLATES.render(
        MailKind.SIGNUP_CODE,
        to=Email.parse(address),
        language=language,
        code=code,
        minutes=10,
    )


def notice_message(address: str = PARENT) -> EmailMessage:
    """Return the notice sent when the address already has an account."""
    return TEMPLATES.render(
        MailKind.SIGNUP_EXISTS, to=Email.parse(address), language="fr"
    )
