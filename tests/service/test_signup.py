"""Tests of `SignupService` through the in-memory wiring.

Each test drives the service as a web handler would, with a manual clock,
and checks what the parent gets (results, errors, mail) and what the
integrator gets (stores, events).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from portail_core._errors import (
    AccountExistsError,
    AccountNotFoundError,
    AlreadyVerifiedError,
    CodeExpiredError,
    CodeRejectedError,
    FlowLockedError,
    InvalidPasswordError,
    InvalidTokenError,
    MailDeliveryError,
    MalformedCodeError,
    ResendTooSoonError,
    TooManyCodesError,
)
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring, in_memory
from portail_core.mail import MailKind, MailTemplates
from portail_core.service import (
    CodeRequest,
    LinkOutcome,
    ProviderAssertion,
    SignupService,
    SocialOutcome,
)
from portail_core.signup import (
    Account,
    AccountCreated,
    ChildLinked,
    ChildLinkRejected,
    ChildLinkRejectedError,
    CodeRejected,
    EmailVerified,
    Event,
    FlowPurpose,
    FlowState,
    LinkFailure,
    LinkLimitError,
    OrganizationNotSubscribedError,
    PermanentCodeMismatchError,
    ProviderLinked,
    SignupSettings,
)
from portail_core.values import Email

from .conftest import (
    FELIX_FORM,
    MAELLE_FORM,
    NEW_PASSWORD,
    OTHER_PARENT,
    PARENT,
    PASSWORD,
    ROSTER,
    SIGNING_KEY,
    START,
    STRANGER,
    claim,
    codes_in,
    last_code,
    sign_up,
)

SETTINGS = SignupSettings()
MINUTE = timedelta(minutes=1)


def subject_of(kind: MailKind, address: str) -> str:
    """Return the French subject of `kind`, without its code."""
    message = MailTemplates().render(
        kind,
        to=Email.parse(address),
        language="fr",
        code="000000",
        minutes=10,
    )
    return str(message["Subject"]).replace("000000", "").strip()


def names(events: list[Event]) -> list[str]:
    return [event.name for event in events]


# The whole procedure.


def test_start_mails_code(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    messages = mailer.messages_to(PARENT)
    assert len(messages) == 1
    assert codes_in(mailer, PARENT)[0].isdigit()
    assert str(messages[0]["Subject"]).startswith(
        subject_of(MailKind.SIGNUP_CODE, PARENT)
    )


def test_start_returns_code_times(service: SignupService) -> None:
    request = service.start(PARENT)
    assert request == CodeRequest(
        expires_at=START + SETTINGS.code_lifetime,
        resend_at=START + SETTINGS.resend_delay,
    )


def test_whole_signup_links_children(
    service: SignupService, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service.start(PARENT)
    clock.advance(MINUTE)
    verification = service.verify(PARENT, last_code(mailer, PARENT))

    with pytest.raises(InvalidPasswordError) as rejected:
        service.set_password(verification.token, "court")
    assert rejected.value.codes == (
        "password.too_short",
        "password.missing_digit",
        "password.missing_uppercase",
    )

    account = service.set_password(verification.token, PASSWORD)
    first = service.link_child(account.account_id, claim(MAELLE_FORM))
    second = service.link_child(account.account_id, claim(FELIX_FORM))
    assert first.outcome == LinkOutcome.LINKED
    assert second.outcome == LinkOutcome.LINKED

    flow = service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.CHILDREN_LINKED
    assert flow.children == ("student-1", "student-2")


def test_signup_stores_account(
    wiring: Wiring, mailer: MemoryMailer, hasher: ScryptHasher
) -> None:
    account = sign_up(wiring.service, mailer, PARENT)
    stored = wiring.accounts.find_by_email(Email.parse(PARENT).key)
    assert stored == account
    assert account.password_hash is not None
    assert PASSWORD not in account.password_hash
    assert hasher.verify(PASSWORD, account.password_hash)


def test_rejected_password_keeps_token(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    with pytest.raises(InvalidPasswordError):
        service.set_password(verification.token, "court")
    account = service.set_password(verification.token, PASSWORD)
    assert account.email == Email.parse(PARENT)


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("court", ("too_short", "missing_digit", "missing_uppercase")),
        ("TOUT-EN-MAJUSCULES-1", ("missing_lowercase",)),
        ("Parent.Belanger2026", ("contains_email",)),
        ("", ("empty",)),
    ],
    ids=["short", "no-lowercase", "email", "empty"],
)
def test_password_problems_listed(
    service: SignupService,
    mailer: MemoryMailer,
    password: str,
    codes: tuple[str, ...],
) -> None:
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    with pytest.raises(InvalidPasswordError) as info:
        service.set_password(verification.token, password)
    assert info.value.codes == tuple(f"password.{code}" for code in codes)


def test_set_password_spends_token(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    service.set_password(verification.token, PASSWORD)
    with pytest.raises(InvalidTokenError):
        service.set_password(verification.token, NEW_PASSWORD)


class ActingHasher:
    """A scrypt hasher that calls `during` while it hashes, as another
    request or the passing time would act during a slow hash."""

    def __init__(self, during: Callable[[], object]) -> None:
        self.during = during
        self.hasher = ScryptHasher(log2_n=1)

    def hash(self, password: str) -> str:
        self.during()
        return self.hasher.hash(password)

    def verify(self, password: str, encoded: str) -> bool:
        return self.hasher.verify(password, encoded)


def service_hashing_with(
    hasher: ActingHasher, clock: ManualClock, mailer: MemoryMailer
) -> SignupService:
    return in_memory(
        roster=ROSTER,
        clock=clock,
        mailer=mailer,
        hasher=hasher,
        keys=(SIGNING_KEY,),
    ).service


def test_flow_changed_during_hash_kept(
    clock: ManualClock, mailer: MemoryMailer
) -> None:
    def restart() -> None:
        clock.advance(SETTINGS.resend_delay)
        service.start(PARENT)

    service = service_hashing_with(ActingHasher(restart), clock, mailer)
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    service.set_password(verification.token, PASSWORD)

    # The restart during the hash killed the token, so the transition run
    # after the hash leaves the flow waiting for the restart's new code.
    flow = service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.CODE_SENT
    assert service.verify(PARENT, last_code(mailer, PARENT)).token


@pytest.mark.parametrize(
    "token",
    ["", "no-dot", "unknown-flow.secret", ".secret"],
)
def test_set_password_rejects_bad_token(
    service: SignupService, token: str
) -> None:
    with pytest.raises(InvalidTokenError):
        service.set_password(token, PASSWORD)


def test_token_secret_checked(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    flow_id = verification.token.partition(".")[0]
    with pytest.raises(InvalidTokenError):
        service.set_password(f"{flow_id}.guessed", PASSWORD)


def test_wrong_code_then_right(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    code = last_code(mailer, PARENT)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(CodeRejectedError) as info:
        service.verify(PARENT, wrong)
    assert info.value.tries_left == SETTINGS.max_wrong_tries - 1
    verification = service.verify(PARENT, code)
    assert verification.token


def test_verify_ignores_spaces_and_case(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    code = last_code(mailer, PARENT)
    assert service.verify(PARENT.upper(), f"  {code} ").token


def test_verify_without_flow_expired(service: SignupService) -> None:
    with pytest.raises(CodeExpiredError):
        service.verify(PARENT, "123456")


def test_code_expires_with_clock(
    service: SignupService, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service.start(PARENT)
    clock.advance(SETTINGS.code_lifetime)
    with pytest.raises(CodeExpiredError):
        service.verify(PARENT, last_code(mailer, PARENT))


def test_code_valid_before_expiry(
    service: SignupService, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service.start(PARENT)
    clock.advance(SETTINGS.code_lifetime - timedelta(seconds=1))
    assert service.verify(PARENT, last_code(mailer, PARENT)).token


def test_expired_flow_reported_expired(
    service: SignupService, clock: ManualClock
) -> None:
    service.start(PARENT)
    clock.advance(SETTINGS.code_lifetime)
    flow = service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.EXPIRED


def test_resend_kills_old_code(
    service: SignupService, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service.start(PARENT)
    old = last_code(mailer, PARENT)
    clock.advance(SETTINGS.resend_delay)
    service.resend(PARENT)
    new = last_code(mailer, PARENT)
    if old == new:
        pytest.skip("the two random codes are equal (one chance in 10^6)")
    with pytest.raises(CodeRejectedError):
        service.verify(PARENT, old)
    assert service.verify(PARENT, new).token


def test_resend_too_soon(service: SignupService, clock: ManualClock) -> None:
    service.start(PARENT)
    clock.advance(timedelta(seconds=20))
    with pytest.raises(ResendTooSoonError) as info:
        service.resend(PARENT)
    assert info.value.retry_after == timedelta(seconds=40)


def test_fifth_wrong_code_locks(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    code = last_code(mailer, PARENT)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(SETTINGS.max_wrong_tries - 1):
        with pytest.raises(CodeRejectedError):
            service.verify(PARENT, wrong)
    with pytest.raises(FlowLockedError):
        service.verify(PARENT, wrong)
    with pytest.raises(FlowLockedError):
        service.verify(PARENT, code)


# Results that reveal no account.

ADDRESS_KINDS = (PARENT, OTHER_PARENT, STRANGER)
"""A new address, one with an account, and one on no school record."""


def _start_three(wiring: Wiring, mailer: MemoryMailer) -> list[CodeRequest]:
    """Start a sign-up for a new address, one with an account, and one
    on no school record, all at the same time."""
    clock = wiring.clock
    assert isinstance(clock, ManualClock)
    sign_up(wiring.service, mailer, OTHER_PARENT)
    clock.advance(SETTINGS.code_window)
    return [wiring.service.start(item) for item in ADDRESS_KINDS]


def test_start_results_equal(wiring: Wiring, mailer: MemoryMailer) -> None:
    new, existing, unknown = _start_three(wiring, mailer)
    for field in attrs.fields(CodeRequest):
        assert getattr(existing, field.name) == getattr(new, field.name)
        assert getattr(unknown, field.name) == getattr(new, field.name)


def test_start_mail_differs_for_account(
    wiring: Wiring, mailer: MemoryMailer
) -> None:
    _start_three(wiring, mailer)
    notice = mailer.messages_to(OTHER_PARENT)[-1]
    assert notice["Subject"] == subject_of(MailKind.SIGNUP_EXISTS, PARENT)
    assert codes_in(mailer, OTHER_PARENT)[-1] == ""


@pytest.mark.parametrize("address", [PARENT, STRANGER])
def test_start_mails_code_without_account(
    wiring: Wiring, mailer: MemoryMailer, address: str
) -> None:
    _start_three(wiring, mailer)
    assert codes_in(mailer, address)[-1].isdigit()


def test_start_limits_equal(wiring: Wiring, mailer: MemoryMailer) -> None:
    _start_three(wiring, mailer)
    clock = wiring.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(seconds=15))
    waits = []
    for address in ADDRESS_KINDS:
        with pytest.raises(ResendTooSoonError) as info:
            wiring.service.start(address)
        waits.append(info.value.retry_after)
    assert waits == [timedelta(seconds=45)] * 3


def test_notice_code_never_verifies(
    wiring: Wiring, mailer: MemoryMailer
) -> None:
    # The address with an account got no code: any guess is wrong, and
    # the error is the one a wrong code gets.
    _start_three(wiring, mailer)
    with pytest.raises(CodeRejectedError) as info:
        wiring.service.verify(OTHER_PARENT, "123456")
    assert info.value.tries_left == SETTINGS.max_wrong_tries - 1


# Recovery.


@pytest.fixture
def account(wiring: Wiring, mailer: MemoryMailer) -> Account:
    """The account of `PARENT`, signed up an hour before the test."""
    account = sign_up(wiring.service, mailer, PARENT)
    clock = wiring.clock
    assert isinstance(clock, ManualClock)
    clock.advance(SETTINGS.code_window)
    return account


def test_recovery_results_equal(
    service: SignupService, account: Account
) -> None:
    known = service.start_recovery(PARENT)
    unknown = service.start_recovery(STRANGER)
    for field in attrs.fields(CodeRequest):
        assert getattr(known, field.name) == getattr(unknown, field.name)


def test_recovery_mail_differs(
    service: SignupService, mailer: MemoryMailer, account: Account
) -> None:
    service.start_recovery(PARENT)
    service.start_recovery(STRANGER)
    notice = mailer.messages_to(STRANGER)[-1]
    assert codes_in(mailer, PARENT)[-1].isdigit()
    assert codes_in(mailer, STRANGER)[-1] == ""
    assert notice["Subject"] == subject_of(MailKind.RECOVERY_UNKNOWN, PARENT)


def test_recovery_resend_delay_equal(
    service: SignupService, clock: ManualClock, account: Account
) -> None:
    service.start_recovery(PARENT)
    service.start_recovery(STRANGER)
    clock.advance(timedelta(seconds=25))
    waits = []
    for address in (PARENT, STRANGER):
        with pytest.raises(ResendTooSoonError) as info:
            service.start_recovery(address)
        waits.append(info.value.retry_after)
    assert waits == [timedelta(seconds=35)] * 2


def test_recovery_code_limit_equal(
    service: SignupService, clock: ManualClock, account: Account
) -> None:
    for _ in range(SETTINGS.max_codes_per_window):
        service.start_recovery(PARENT)
        service.start_recovery(STRANGER)
        clock.advance(SETTINGS.resend_delay)
    waits = []
    for address in (PARENT, STRANGER):
        with pytest.raises(TooManyCodesError) as info:
            service.start_recovery(address)
        waits.append(info.value.retry_after)
    assert waits == [SETTINGS.code_window - 10 * SETTINGS.resend_delay] * 2


def test_recovery_wrong_code_equal(
    service: SignupService, account: Account
) -> None:
    service.start_recovery(PARENT)
    service.start_recovery(STRANGER)
    tries_left = []
    for address in (PARENT, STRANGER):
        with pytest.raises(CodeRejectedError) as info:
            service.verify_recovery(address, "000000")
        tries_left.append(info.value.tries_left)
    assert tries_left == [SETTINGS.max_wrong_tries - 1] * 2


def test_reset_password_changes_hash(
    wiring: Wiring,
    mailer: MemoryMailer,
    hasher: ScryptHasher,
    account: Account,
) -> None:
    service = wiring.service
    service.start_recovery(PARENT)
    verification = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    updated = service.reset_password(verification.token, NEW_PASSWORD)
    assert updated.account_id == account.account_id
    assert updated.password_hash is not None
    assert hasher.verify(NEW_PASSWORD, updated.password_hash)
    assert not hasher.verify(PASSWORD, updated.password_hash)


def test_token_expiring_during_hash_rejected(
    clock: ManualClock, mailer: MemoryMailer
) -> None:
    two_seconds = ActingHasher(lambda: clock.advance(timedelta(seconds=2)))
    service = service_hashing_with(two_seconds, clock, mailer)
    account = sign_up(service, mailer, PARENT)
    service.start_recovery(PARENT)
    verification = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    clock.advance(SETTINGS.verified_lifetime - timedelta(seconds=1))

    # Valid when the call starts, expired once the password is hashed.
    with pytest.raises(InvalidTokenError):
        service.reset_password(verification.token, NEW_PASSWORD)
    stored = service.accounts.find_by_email(account.email.key)
    assert stored is not None
    assert stored.password_hash == account.password_hash


def test_reset_password_spends_token(
    service: SignupService, mailer: MemoryMailer, account: Account
) -> None:
    service.start_recovery(PARENT)
    verification = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    service.reset_password(verification.token, NEW_PASSWORD)
    with pytest.raises(InvalidTokenError):
        service.reset_password(verification.token, PASSWORD)


def test_reset_password_rejects_signup_token(
    service: SignupService, mailer: MemoryMailer, wiring: Wiring
) -> None:
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    with pytest.raises(InvalidTokenError):
        service.reset_password(verification.token, NEW_PASSWORD)


def test_reset_password_voids_signup_code(
    wiring: Wiring, mailer: MemoryMailer, hasher: ScryptHasher
) -> None:
    service = wiring.service
    clock = wiring.clock
    assert isinstance(clock, ManualClock)
    service.start(PARENT)
    signup_code = last_code(mailer, PARENT)
    # The account appears by another route (an import, say) while the
    # sign-up code is still valid.
    wiring.accounts.add(
        Account(
            account_id="imported-1",
            email=Email.parse(PARENT),
            created_at=clock.now(),
            password_hash=hasher.hash(PASSWORD),
        )
    )
    clock.advance(MINUTE)
    service.start_recovery(PARENT)
    verification = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    service.reset_password(verification.token, NEW_PASSWORD)
    with pytest.raises(CodeExpiredError):
        service.verify(PARENT, signup_code)


def test_reset_password_keeps_old_rejected(
    service: SignupService, mailer: MemoryMailer, account: Account
) -> None:
    service.start_recovery(PARENT)
    verification = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    with pytest.raises(InvalidPasswordError):
        service.reset_password(verification.token, "court")
    updated = service.reset_password(verification.token, NEW_PASSWORD)
    assert updated.account_id == account.account_id


# A mail server that fails.


def test_failed_mail_raises(
    service: SignupService, mailer: MemoryMailer
) -> None:
    mailer.failures = 1
    with pytest.raises(MailDeliveryError):
        service.start(PARENT)
    assert mailer.messages_to(PARENT) == []


def test_failed_mail_allows_retry_at_once(
    service: SignupService, mailer: MemoryMailer
) -> None:
    mailer.failures = 1
    with pytest.raises(MailDeliveryError):
        service.start(PARENT)
    request = service.start(PARENT)
    assert request.expires_at == START + SETTINGS.code_lifetime
    assert service.verify(PARENT, last_code(mailer, PARENT)).token


def test_failed_mail_not_counted(
    service: SignupService, mailer: MemoryMailer, clock: ManualClock
) -> None:
    mailer.failures = 1
    with pytest.raises(MailDeliveryError):
        service.start(PARENT)
    for _ in range(SETTINGS.max_codes_per_window):
        service.start(PARENT)
        clock.advance(SETTINGS.resend_delay)
    assert len(mailer.messages_to(PARENT)) == SETTINGS.max_codes_per_window
    with pytest.raises(TooManyCodesError):
        service.start(PARENT)


def test_failed_resend_keeps_delay_of_sent(
    service: SignupService, mailer: MemoryMailer, clock: ManualClock
) -> None:
    # The code that did go out still counts: a failed resend does not
    # open the way to a burst of codes.
    service.start(PARENT)
    clock.advance(SETTINGS.resend_delay)
    mailer.failures = 1
    with pytest.raises(MailDeliveryError):
        service.resend(PARENT)
    service.resend(PARENT)
    with pytest.raises(ResendTooSoonError):
        service.resend(PARENT)


# Social sign-in.


def assertion(verified: bool, address: str = PARENT) -> ProviderAssertion:
    return ProviderAssertion(
        provider="google", email=address, email_verified=verified
    )


def test_social_verified_creates_account(
    wiring: Wiring, events: list[Event]
) -> None:
    result = wiring.service.start_with_provider(assertion(verified=True))
    assert result.outcome == SocialOutcome.ACCOUNT_CREATED
    assert result.account is not None
    assert result.account.password_hash is None
    assert result.account.providers == ("google",)
    stored = wiring.accounts.find_by_email(Email.parse(PARENT).key)
    assert stored == result.account


def test_social_account_event_names_provider(
    service: SignupService, events: list[Event]
) -> None:
    service.start_with_provider(assertion(verified=True))
    created = [event for event in events if isinstance(event, AccountCreated)]
    assert len(created) == 1
    assert created[0].provider == "google"


def test_social_verified_sends_no_mail(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start_with_provider(assertion(verified=True))
    assert mailer.outbox == []


def test_social_unverified_sends_code(
    wiring: Wiring, mailer: MemoryMailer
) -> None:
    result = wiring.service.start_with_provider(assertion(verified=False))
    assert result.outcome == SocialOutcome.CODE_SENT
    assert result.account is None
    assert result.code_request == CodeRequest(
        expires_at=START + SETTINGS.code_lifetime,
        resend_at=START + SETTINGS.resend_delay,
    )
    assert codes_in(mailer, PARENT)[-1].isdigit()
    assert wiring.accounts.find_by_email(Email.parse(PARENT).key) is None


def test_social_links_existing_account(
    wiring: Wiring, mailer: MemoryMailer, events: list[Event]
) -> None:
    account = sign_up(wiring.service, mailer, PARENT)
    result = wiring.service.start_with_provider(
        assertion(verified=True, address=PARENT.upper())
    )
    assert result.outcome == SocialOutcome.PROVIDER_LINKED
    assert result.account is not None
    assert result.account.account_id == account.account_id
    assert result.account.providers == ("google",)
    assert result.account.password_hash == account.password_hash
    assert (
        ProviderLinked(
            at=START, account_id=account.account_id, provider="google"
        )
        in events
    )


def test_social_second_time_signs_in(
    wiring: Wiring, mailer: MemoryMailer, events: list[Event]
) -> None:
    sign_up(wiring.service, mailer, PARENT)
    wiring.service.start_with_provider(assertion(verified=True))
    result = wiring.service.start_with_provider(assertion(verified=True))
    assert result.outcome == SocialOutcome.SIGNED_IN
    assert names(events).count("ProviderLinked") == 1


def test_social_kills_pending_code(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    code = last_code(mailer, PARENT)
    service.start_with_provider(assertion(verified=True))
    with pytest.raises(CodeExpiredError):
        service.verify(PARENT, code)


# Linking children.


@pytest.fixture
def parent(wiring: Wiring, mailer: MemoryMailer) -> Account:
    """The signed-up account of `PARENT`, guardian of two children."""
    return sign_up(wiring.service, mailer, PARENT)


def test_link_child_links(
    wiring: Wiring, parent: Account, events: list[Event]
) -> None:
    result = wiring.service.link_child(parent.account_id, claim(MAELLE_FORM))
    assert result.outcome == LinkOutcome.LINKED
    assert result.student_id == "student-1"
    stored = wiring.accounts.get(parent.account_id)
    assert stored is not None
    assert [link.student_id for link in stored.children] == ["student-1"]
    assert (
        ChildLinked(
            at=START,
            account_id=parent.account_id,
            student_id="student-1",
            organization_code="741000",
        )
        in events
    )


def test_link_child_twice_already_linked(
    wiring: Wiring, parent: Account, events: list[Event]
) -> None:
    service = wiring.service
    service.link_child(parent.account_id, claim(MAELLE_FORM))
    again = service.link_child(
        parent.account_id,
        claim(MAELLE_FORM, record_number=None, permanent_code="BELM30561507"),
    )
    assert again.outcome == LinkOutcome.ALREADY_LINKED
    assert again.student_id == "student-1"
    assert names(events).count("ChildLinked") == 1
    stored = wiring.accounts.get(parent.account_id)
    assert stored is not None
    assert len(stored.children) == 1


def test_link_unknown_account(service: SignupService) -> None:
    with pytest.raises(AccountNotFoundError):
        service.link_child("no-such-account", claim(MAELLE_FORM))


REJECTIONS = [
    ({"record_number": "999"}, LinkFailure.RECORD_NOT_FOUND),
    ({"birth_date": "2015-06-29"}, LinkFailure.BIRTH_DATE_DIFFERS),
    ({"family_name": "Fortin"}, LinkFailure.FAMILY_NAME_INCOMPLETE),
    ({"family_name": "Bélanger-Roy"}, LinkFailure.FAMILY_NAME_DIFFERS),
    ({"given_names": "Juliette"}, LinkFailure.GIVEN_NAME_DIFFERS),
]


@pytest.mark.parametrize(
    ("changes", "reason"),
    REJECTIONS,
    ids=[
        f"{reason.value}-{index}"
        for index, (_, reason) in enumerate(REJECTIONS)
    ],
)
def test_link_rejection_reason(
    service: SignupService,
    parent: Account,
    events: list[Event],
    changes: dict[str, str],
    reason: LinkFailure,
) -> None:
    with pytest.raises(ChildLinkRejectedError) as info:
        service.link_child(parent.account_id, claim(MAELLE_FORM, **changes))
    assert info.value.reason is reason
    assert info.value.code == "link.rejected_try_permanent_code"
    assert (
        ChildLinkRejected(
            at=START,
            account_id=parent.account_id,
            organization_code="741000",
            reason=reason.value,
        )
        in events
    )


def test_link_rejects_non_guardian(
    wiring: Wiring, mailer: MemoryMailer
) -> None:
    other = sign_up(wiring.service, mailer, OTHER_PARENT)
    with pytest.raises(ChildLinkRejectedError) as info:
        wiring.service.link_child(other.account_id, claim(MAELLE_FORM))
    assert info.value.reason is LinkFailure.GUARDIAN_EMAIL_NOT_ON_RECORD


def test_link_rejects_disagreeing_identifiers(
    service: SignupService, parent: Account
) -> None:
    # Maëlle's names and permanent code, with Félix's record number.
    typed = claim(
        MAELLE_FORM, record_number="498765", permanent_code="BELM30561507"
    )
    with pytest.raises(ChildLinkRejectedError) as info:
        service.link_child(parent.account_id, typed)
    assert info.value.reason is LinkFailure.IDENTIFIERS_DISAGREE
    assert info.value.code == "link.rejected"


def test_link_unknown_permanent_code(
    service: SignupService, parent: Account
) -> None:
    typed = claim(
        MAELLE_FORM, record_number=None, permanent_code="BELM30561599"
    )
    with pytest.raises(ChildLinkRejectedError) as info:
        service.link_child(parent.account_id, typed)
    assert info.value.reason is LinkFailure.RECORD_NOT_FOUND
    assert info.value.code == "link.rejected"


@pytest.mark.parametrize(
    ("record_number", "permanent_code", "code"),
    [
        ("512345", None, "link.rejected_try_permanent_code"),
        (None, "BELM30561507", "link.rejected"),
        ("512345", "BELM30561507", "link.rejected"),
    ],
    ids=["record-number", "permanent-code", "both"],
)
def test_link_rejection_suggestion(
    wiring: Wiring,
    mailer: MemoryMailer,
    record_number: str | None,
    permanent_code: str | None,
    code: str,
) -> None:
    other = sign_up(wiring.service, mailer, OTHER_PARENT)
    typed = claim(
        MAELLE_FORM,
        record_number=record_number,
        permanent_code=permanent_code,
    )
    with pytest.raises(ChildLinkRejectedError) as info:
        wiring.service.link_child(other.account_id, typed)
    assert info.value.code == code


def _fail_link(service: SignupService, account_id: str) -> None:
    with pytest.raises(ChildLinkRejectedError):
        service.link_child(
            account_id, claim(MAELLE_FORM, given_names="Juliette")
        )


def test_link_limit_after_five_failures(
    service: SignupService, parent: Account, clock: ManualClock
) -> None:
    for _ in range(SETTINGS.max_link_failures):
        _fail_link(service, parent.account_id)
        clock.advance(MINUTE)
    with pytest.raises(LinkLimitError) as info:
        service.link_child(parent.account_id, claim(MAELLE_FORM))
    waited = SETTINGS.max_link_failures * MINUTE
    assert info.value.retry_after == SETTINGS.link_failure_window - waited


def test_link_limit_checks_no_claim(
    wiring: Wiring, parent: Account, events: list[Event]
) -> None:
    for _ in range(SETTINGS.max_link_failures):
        _fail_link(wiring.service, parent.account_id)
    with pytest.raises(LinkLimitError):
        wiring.service.link_child(parent.account_id, claim(MAELLE_FORM))
    stored = wiring.accounts.get(parent.account_id)
    assert stored is not None
    assert stored.children == ()
    assert names(events).count("ChildLinkRejected") == 5


def test_link_success_keeps_failures(
    service: SignupService, parent: Account
) -> None:
    for _ in range(2):
        _fail_link(service, parent.account_id)
    service.link_child(parent.account_id, claim(MAELLE_FORM))
    for _ in range(3):
        _fail_link(service, parent.account_id)
    with pytest.raises(LinkLimitError):
        service.link_child(parent.account_id, claim(FELIX_FORM))


def test_link_limit_ends_with_window(
    service: SignupService, parent: Account, clock: ManualClock
) -> None:
    for _ in range(SETTINGS.max_link_failures):
        _fail_link(service, parent.account_id)
    clock.advance(SETTINGS.link_failure_window)
    result = service.link_child(parent.account_id, claim(MAELLE_FORM))
    assert result.outcome == LinkOutcome.LINKED


def test_link_limit_per_account(
    wiring: Wiring, mailer: MemoryMailer, parent: Account
) -> None:
    other = sign_up(wiring.service, mailer, OTHER_PARENT)
    for _ in range(SETTINGS.max_link_failures):
        _fail_link(wiring.service, other.account_id)
    result = wiring.service.link_child(parent.account_id, claim(MAELLE_FORM))
    assert result.outcome == LinkOutcome.LINKED


def test_permanent_code_mismatch_not_counted(
    service: SignupService, parent: Account, events: list[Event]
) -> None:
    mismatched = claim(
        MAELLE_FORM, record_number=None, permanent_code="BELM29561507"
    )
    for _ in range(SETTINGS.max_link_failures + 1):
        with pytest.raises(PermanentCodeMismatchError):
            service.link_child(parent.account_id, mismatched)
    assert "ChildLinkRejected" not in names(events)
    result = service.link_child(parent.account_id, claim(MAELLE_FORM))
    assert result.outcome == LinkOutcome.LINKED


def test_unsubscribed_organization_rejected(
    clock: ManualClock, mailer: MemoryMailer, hasher: ScryptHasher
) -> None:
    wiring = in_memory(
        roster=ROSTER,
        subscribed={"752000"},
        clock=clock,
        mailer=mailer,
        hasher=hasher,
        keys=(SIGNING_KEY,),
    )
    account = sign_up(wiring.service, mailer, PARENT)
    with pytest.raises(OrganizationNotSubscribedError) as info:
        wiring.service.link_child(account.account_id, claim(MAELLE_FORM))
    assert info.value.code == "link.organization_not_subscribed"


def test_subscribed_organization_links(
    clock: ManualClock, mailer: MemoryMailer, hasher: ScryptHasher
) -> None:
    wiring = in_memory(
        roster=ROSTER,
        subscribed={"741000"},
        clock=clock,
        mailer=mailer,
        hasher=hasher,
        keys=(SIGNING_KEY,),
    )
    account = sign_up(wiring.service, mailer, PARENT)
    result = wiring.service.link_child(account.account_id, claim(MAELLE_FORM))
    assert result.outcome == LinkOutcome.LINKED


# Events.


def test_signup_events_in_order(
    service: SignupService, mailer: MemoryMailer, events: list[Event]
) -> None:
    account = sign_up(service, mailer, PARENT)
    service.link_child(account.account_id, claim(MAELLE_FORM))
    assert names(events) == [
        "CodeSent",
        "EmailVerified",
        "PasswordSet",
        "AccountCreated",
        "ChildLinked",
    ]


def test_events_name_the_flow(
    service: SignupService, mailer: MemoryMailer, events: list[Event]
) -> None:
    service.start(PARENT)
    with pytest.raises(CodeRejectedError):
        service.verify(PARENT, "000000")
    flow = service.flow(PARENT)
    assert flow is not None
    rejected = [event for event in events if isinstance(event, CodeRejected)]
    assert [event.flow_id for event in rejected] == [flow.flow_id]
    assert rejected[0].purpose is FlowPurpose.SIGNUP


def _private_values(mailer: MemoryMailer, secrets: list[str]) -> list[str]:
    """Return every private value the scenario used, case-folded."""
    values = [*secrets, PASSWORD, NEW_PASSWORD]
    for address in (PARENT, OTHER_PARENT, STRANGER):
        email = Email.parse(address)
        values += [str(email), email.key, email.local_part]
        values += [code for code in codes_in(mailer, address) if code]
    for record in ROSTER:
        values += [
            record.family_name.text,
            record.family_name.key,
            record.given_names.text,
            record.usual_given_name.text,
            record.usual_given_name.key,
            record.birth_date.isoformat(),
            record.permanent_code.value,
            str(record.record_number),
        ]
    return [value.casefold() for value in values]


def _contains(text: str, secret: str) -> bool:
    """Return whether `secret` occurs in `text`.

    A secret made of digits (a code, a record number) counts only where
    no letter or digit touches it, so that a run of digits inside a
    random hexadecimal id is not taken for it.
    """
    if not secret.isdigit():
        return secret in text
    pattern = rf"(?<![0-9a-z]){re.escape(secret)}(?![0-9a-z])"
    return re.search(pattern, text) is not None


def test_events_carry_nothing_private(
    wiring: Wiring,
    mailer: MemoryMailer,
    clock: ManualClock,
    events: list[Event],
) -> None:
    service = wiring.service
    secrets = []

    # Sign-up with a wrong code first, a rejected password, two children,
    # one failed link and one permanent-code mismatch.
    service.start(PARENT)
    wrong = "111111" if last_code(mailer, PARENT) == "000000" else "000000"
    with pytest.raises(CodeRejectedError):
        service.verify(PARENT, wrong)
    secrets.append(last_code(mailer, PARENT))
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    secrets.append(verification.token.partition(".")[2])
    with pytest.raises(InvalidPasswordError):
        service.set_password(verification.token, "court")
    account = service.set_password(verification.token, PASSWORD)
    service.link_child(account.account_id, claim(MAELLE_FORM))
    service.link_child(account.account_id, claim(FELIX_FORM))
    _fail_link(service, account.account_id)

    # A notice, a lock, a recovery and a social sign-in.
    service.start(STRANGER)
    for _ in range(SETTINGS.max_wrong_tries - 1):
        with pytest.raises(CodeRejectedError):
            service.verify(STRANGER, "000000")
    with pytest.raises(FlowLockedError):
        service.verify(STRANGER, "000000")
    clock.advance(SETTINGS.code_window)
    service.start(PARENT)
    service.start_recovery(PARENT)
    recovery = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    secrets.append(recovery.token.partition(".")[2])
    service.reset_password(recovery.token, NEW_PASSWORD)
    service.start_with_provider(assertion(verified=True, address=PARENT))
    service.start_with_provider(assertion(verified=True, address=OTHER_PARENT))

    private = _private_values(mailer, secrets)
    assert {event.name for event in events} >= {
        "CodeSent",
        "NoticeSent",
        "CodeRejected",
        "FlowLocked",
        "EmailVerified",
        "PasswordSet",
        "AccountCreated",
        "ChildLinked",
        "ChildLinkRejected",
        "RecoveryCompleted",
        "ProviderLinked",
    }
    for event in events:
        for field in attrs.fields(type(event)):
            value = getattr(event, field.name)
            text = str(value).casefold()
            for secret in private:
                assert not _contains(text, secret), (event.name, field.name)
            if isinstance(value, date) and not isinstance(value, datetime):
                assert value not in {record.birth_date for record in ROSTER}


def test_events_count_verified_once(
    service: SignupService, mailer: MemoryMailer, events: list[Event]
) -> None:
    sign_up(service, mailer, PARENT)
    verified = [event for event in events if isinstance(event, EmailVerified)]
    assert len(verified) == 1


# Ordering of writes and events.


def test_existing_account_keeps_token(
    wiring: Wiring, mailer: MemoryMailer, events: list[Event]
) -> None:
    service = wiring.service
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    # Another server process creates an account for the address meanwhile.
    wiring.accounts.add(
        Account(
            account_id="created-elsewhere",
            email=Email.parse(PARENT),
            created_at=START,
        )
    )
    events.clear()

    with pytest.raises(AccountExistsError):
        service.set_password(verification.token, PASSWORD)

    flow = service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.EMAIL_VERIFIED
    assert not [e for e in events if isinstance(e, AccountCreated)]


def test_verify_finished_flow_like_unknown(
    wiring: Wiring, mailer: MemoryMailer
) -> None:
    sign_up(wiring.service, mailer, PARENT)

    with pytest.raises(CodeExpiredError) as finished:
        wiring.service.verify(PARENT, "123456")
    with pytest.raises(CodeExpiredError) as unknown:
        wiring.service.verify(STRANGER, "123456")

    assert finished.value.codes == unknown.value.codes


def test_reset_password_voids_verified_signup(
    wiring: Wiring, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service = wiring.service
    sign_up(service, mailer, OTHER_PARENT)
    # A verified sign-up of PARENT waits for its password...
    service.start(PARENT)
    signup = service.verify(PARENT, last_code(mailer, PARENT))
    # ...when PARENT's account is created another way and then recovered.
    service.start_with_provider(assertion(verified=True))
    clock.advance(MINUTE)
    service.start_recovery(PARENT)
    recovery = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    service.reset_password(recovery.token, NEW_PASSWORD)

    with pytest.raises(InvalidTokenError):
        service.set_password(signup.token, PASSWORD)


def test_failed_mail_publishes_no_code_sent(
    service: SignupService, mailer: MemoryMailer, events: list[Event]
) -> None:
    mailer.failures = 1

    with pytest.raises(MailDeliveryError):
        service.start(PARENT)

    assert "CodeSent" not in names(events)


# Codes as parents type them.


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34"])
def test_malformed_code_costs_no_try(
    service: SignupService, mailer: MemoryMailer, typed: str
) -> None:
    service.start(PARENT)

    for _ in range(SETTINGS.max_wrong_tries + 1):
        with pytest.raises(MalformedCodeError) as info:
            service.verify(PARENT, typed)
        assert info.value.code == "code.malformed"

    assert service.verify(PARENT, last_code(mailer, PARENT)).token


@pytest.mark.parametrize(
    "retype",
    [
        lambda code: f"{code[:3]} {code[3:]}",
        lambda code: f"{code[:3]}-{code[3:]}",
        lambda code: f"  {code}\n",
        lambda code: code.translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        ),
    ],
    ids=["space", "dash", "padded", "full-width"],
)
def test_code_typed_with_separators(
    service: SignupService, mailer: MemoryMailer, retype: object
) -> None:
    service.start(PARENT)
    code = last_code(mailer, PARENT)

    assert callable(retype)
    assert service.verify(PARENT, retype(code)).token


def test_second_verify_already_verified(
    service: SignupService, mailer: MemoryMailer
) -> None:
    service.start(PARENT)
    code = last_code(mailer, PARENT)
    first = service.verify(PARENT, code)

    with pytest.raises(AlreadyVerifiedError):
        service.verify(PARENT, code)

    assert service.set_password(first.token, PASSWORD).account_id


def test_broken_template_counts_nothing(
    wiring: Wiring, mailer: MemoryMailer, tmp_path: Path
) -> None:
    (tmp_path / "signup_code.fr.txt").write_text(
        "Subject: Code $code\n\nBonjour $prenom, voici $code.\n",
        encoding="utf-8",
    )
    service = wiring.service
    service.templates = MailTemplates(folder=tmp_path)

    with pytest.raises(KeyError):
        service.start(PARENT)

    assert service.flow(PARENT) is None
    assert mailer.outbox == []


def test_recovery_token_cannot_create_account(
    wiring: Wiring, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service = wiring.service
    sign_up(service, mailer, PARENT)
    clock.advance(SETTINGS.code_window)
    service.start_recovery(PARENT)
    recovery = service.verify_recovery(PARENT, last_code(mailer, PARENT))

    with pytest.raises(InvalidTokenError):
        service.set_password(recovery.token, NEW_PASSWORD)


def test_reset_checks_token_before_hashing(
    wiring: Wiring, mailer: MemoryMailer, clock: ManualClock
) -> None:
    service = wiring.service
    sign_up(service, mailer, PARENT)
    clock.advance(SETTINGS.code_window)
    service.start_recovery(PARENT)
    recovery = service.verify_recovery(PARENT, last_code(mailer, PARENT))
    flow_id = recovery.token.partition(".")[0]

    # A forged secret with a weak password: the token fails first.
    with pytest.raises(InvalidTokenError):
        service.reset_password(f"{flow_id}.{'A' * 43}", "court")
