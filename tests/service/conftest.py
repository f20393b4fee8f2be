"""Fixtures of the service tests: in-memory wiring on a fictional roster.

Every address uses the reserved ``.example`` domain. The clock stays
at `START` until a test advances it, and the password hasher uses the
smallest scrypt cost so that tests stay fast.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring, in_memory
from portail_core.service import SignupService
from portail_core.signup import Account, ChildClaim, Event, StudentRecord
from portail_core.values import Email, PermanentCode, PersonName, RecordNumber

START = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
TODAY = START.date()
ORGANIZATION = "741000"
SIGNING_KEY = b"k" * 32

PARENT = "parent.belanger@courriel.example"
"""Guardian of Maëlle and Félix, without an account at first."""
OTHER_PARENT = "parent.lavoie@courriel.example"
"""Guardian of Zoé only."""
STRANGER = "inconnu@ailleurs.example"
"""An address on no school record."""
PASSWORD = "Hiver-Soleil42"
NEW_PASSWORD = "Printemps-Pluie73"


def _record(
    student_id: str,
    *,
    record_number: str,
    permanent_code: str,
    family_name: str,
    given_names: str,
    usual_given_name: str,
    birth_date: date,
    guardian: str,
) -> StudentRecord:
    return StudentRecord(
        student_id=student_id,
        organization_code=ORGANIZATION,
        record_number=RecordNumber.parse(record_number),
        permanent_code=PermanentCode.parse(permanent_code),
        family_name=PersonName.parse(family_name),
        given_names=PersonName.parse(given_names),
        usual_given_name=PersonName.parse(usual_given_name),
        birth_date=birth_date,
        guardian_emails=(Email.parse(guardian),),
    )


ROSTER = (
    _record(
        "student-1",
        record_number="0512345",
        permanent_code="BELM30561507",
        family_name="Bélanger-Fortin",
        given_names="Maëlle-Rose Juliette",
        usual_given_name="Maëlle-Rose",
        birth_date=date(2015, 6, 30),
        guardian=PARENT,
    ),
    _record(
        "student-2",
        record_number="0498765",
        permanent_code="NADF02111322",
        family_name="Nadeau",
        given_names="Félix Antoine",
        usual_given_name="Félix",
        birth_date=date(2013, 11, 2),
        guardian=PARENT,
    ),
    _record(
        "student-3",
        record_number="0377001",
        permanent_code="LAVZ09541403",
        family_name="Lavoie",
        given_names="Zoé",
        usual_given_name="Zoé",
        birth_date=date(2014, 4, 9),
        guardian=OTHER_PARENT,
    ),
)

# What a parent types for each child, as ChildClaim.parse takes it.
MAELLE_FORM: dict[str, str | None] = {
    "organization": ORGANIZATION,
    "birth_date": "2015-06-30",
    "family_name": "Bélanger-Fortin",
    "given_names": "Maëlle-Rose",
    "record_number": "512345",
    "permanent_code": None,
}
FELIX_FORM: dict[str, str | None] = {
    "organization": ORGANIZATION,
    "birth_date": "2013-11-02",
    "family_name": "Nadeau",
    "given_names": "Félix",
    "record_number": None,
    "permanent_code": "NADF02111322",
}


def claim(form: dict[str, str | None], **changes: str | None) -> ChildClaim:
    """Parse `form` with `changes` applied, as of `TODAY`."""
    return ChildClaim.parse(**{**form, **changes}, today=TODAY)


_CODE = re.compile(r"\b[0-9]{6}\b")


def codes_in(mailer: MemoryMailer, address: str) -> list[str]:
    """Return the verification code of each message sent to `address`,
    or "" for a message without one."""
    found = []
    for message in mailer.messages_to(address):
        body = message.get_body(preferencelist=("plain",))
        assert body is not None, "the message has no text part"
        match = _CODE.search(body.get_content())
        found.append(match.group() if match else "")
    return found


def last_code(mailer: MemoryMailer, address: str) -> str:
    """Return the code of the last message sent to `address`."""
    code = codes_in(mailer, address)[-1]
    assert code, "the last message carries no code"
    return code


def sign_up(
    service: SignupService, mailer: MemoryMailer, address: str
) -> Account:
    """Create the account of `address` through the whole procedure."""
    service.start(address)
    verification = service.verify(address, last_code(mailer, address))
    return service.set_password(verification.token, PASSWORD)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def mailer() -> MemoryMailer:
    return MemoryMailer()


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def hasher() -> ScryptHasher:
    return ScryptHasher(log2_n=1)


@pytest.fixture
def wiring(
    clock: ManualClock,
    mailer: MemoryMailer,
    events: list[Event],
    hasher: ScryptHasher,
) -> Wiring:
    return in_memory(
        roster=ROSTER,
        clock=clock,
        mailer=mailer,
        hasher=hasher,
        keys=(SIGNING_KEY,),
        events=events.append,
    )


@pytest.fixture
def service(wiring: Wiring) -> SignupService:
    return wiring.service
