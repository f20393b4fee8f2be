"""Tests of the pure sign-up state machine, `SignupFlow`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from portail_core._errors import (
    CodeExpiredError,
    CodeRejectedError,
    FlowLockedError,
    InvalidTokenError,
    InvalidTransitionError,
    ResendTooSoonError,
    TooManyCodesError,
)
from portail_core.signup import (
    AccountCreated,
    CodeRejected,
    CodeSent,
    CodeSigner,
    EmailVerified,
    FlowExpired,
    FlowLocked,
    FlowPurpose,
    FlowState,
    NoticeSent,
    PasswordSet,
    RecoveryCompleted,
    SignupFlow,
    SignupSettings,
    Step,
)
from portail_core.values import Email

from .conftest import FlowKit

WRONG_CODE = "000000"
NEW_CODE = "654321"

CODE_SENT = FlowState.CODE_SENT
EMAIL_VERIFIED = FlowState.EMAIL_VERIFIED
PASSWORD_SET = FlowState.PASSWORD_SET
CHILDREN_LINKED = FlowState.CHILDREN_LINKED
LOCKED = FlowState.LOCKED
EXPIRED = FlowState.EXPIRED


def event_types(step: Step) -> list[type]:
    return [type(event) for event in step.events]


# The transition table.

Transition = Callable[[FlowKit, SignupFlow, datetime], Step]


def _request_code(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    return kit.request_code(flow, now, code=NEW_CODE)


def _verify(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    return kit.verify(flow, kit.code, now)


def _verify_with_provider(
    kit: FlowKit, flow: SignupFlow, now: datetime
) -> Step:
    return flow.verify_with_provider(
        "google",
        token=kit.token,
        now=now,
        signer=kit.signer,
        settings=kit.settings,
    )


def _set_password(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    return kit.set_password(flow, kit.token, now)


def _record_child(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    return flow.record_child("student-2", now=now, settings=kit.settings)


def _void_code(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    return flow.void_code(now=now, settings=kit.settings)


def _withdraw_code(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    # Withdraw the active code when there is one, as the service does
    # after a failed mail.
    challenge = flow.challenge
    issued_at = challenge.issued_at if challenge else kit.start_at
    return flow.withdraw_code(
        issued_at=issued_at, now=now, settings=kit.settings
    )


def _refreshed(kit: FlowKit, flow: SignupFlow, now: datetime) -> Step:
    return flow.refreshed(now, kit.settings)


TRANSITIONS: dict[str, Transition] = {
    "request_code": _request_code,
    "verify": _verify,
    "verify_with_provider": _verify_with_provider,
    "set_password": _set_password,
    "record_child": _record_child,
    "void_code": _void_code,
    "withdraw_code": _withdraw_code,
    "refreshed": _refreshed,
}

# The name each transition gives in `InvalidTransitionError.transition`:
# the parent's step, not the method.
TRANSITION_NAMES = {
    "verify": "verify",
    "verify_with_provider": "verify",
    "record_child": "link_child",
}


@attrs.frozen
class Rejected:
    """The step is returned in `state` with a `rejection` of `error`."""

    state: FlowState
    error: type[Exception]


Expected = FlowState | type[Exception] | Rejected

TABLE: list[tuple[FlowState, str, Expected]] = [
    # request_code: allowed in every state but LOCKED.
    (CODE_SENT, "request_code", CODE_SENT),
    (EMAIL_VERIFIED, "request_code", CODE_SENT),
    (PASSWORD_SET, "request_code", CODE_SENT),
    (CHILDREN_LINKED, "request_code", CODE_SENT),
    (LOCKED, "request_code", FlowLockedError),
    (EXPIRED, "request_code", CODE_SENT),
    # verify: only a flow waiting for its code verifies.
    (CODE_SENT, "verify", EMAIL_VERIFIED),
    (EMAIL_VERIFIED, "verify", InvalidTransitionError),
    (PASSWORD_SET, "verify", InvalidTransitionError),
    (CHILDREN_LINKED, "verify", InvalidTransitionError),
    (LOCKED, "verify", FlowLockedError),
    (EXPIRED, "verify", Rejected(EXPIRED, CodeExpiredError)),
    # verify_with_provider: every state before the account exists.
    (CODE_SENT, "verify_with_provider", EMAIL_VERIFIED),
    (EMAIL_VERIFIED, "verify_with_provider", EMAIL_VERIFIED),
    (PASSWORD_SET, "verify_with_provider", InvalidTransitionError),
    (CHILDREN_LINKED, "verify_with_provider", InvalidTransitionError),
    (LOCKED, "verify_with_provider", FlowLockedError),
    (EXPIRED, "verify_with_provider", EMAIL_VERIFIED),
    # set_password: only a verified flow has a token to spend.
    (CODE_SENT, "set_password", InvalidTokenError),
    (EMAIL_VERIFIED, "set_password", PASSWORD_SET),
    (PASSWORD_SET, "set_password", InvalidTokenError),
    (CHILDREN_LINKED, "set_password", InvalidTokenError),
    (LOCKED, "set_password", InvalidTokenError),
    (EXPIRED, "set_password", InvalidTokenError),
    # record_child: only once the account exists.
    (CODE_SENT, "record_child", InvalidTransitionError),
    (EMAIL_VERIFIED, "record_child", InvalidTransitionError),
    (PASSWORD_SET, "record_child", CHILDREN_LINKED),
    (CHILDREN_LINKED, "record_child", CHILDREN_LINKED),
    (LOCKED, "record_child", InvalidTransitionError),
    (EXPIRED, "record_child", InvalidTransitionError),
    # void_code: kills a waiting or locked code, leaves the rest.
    (CODE_SENT, "void_code", EXPIRED),
    (EMAIL_VERIFIED, "void_code", EXPIRED),
    (PASSWORD_SET, "void_code", PASSWORD_SET),
    (CHILDREN_LINKED, "void_code", CHILDREN_LINKED),
    (LOCKED, "void_code", EXPIRED),
    (EXPIRED, "void_code", EXPIRED),
    # withdraw_code: kills the code it names, and changes nothing without one.
    (CODE_SENT, "withdraw_code", EXPIRED),
    (EMAIL_VERIFIED, "withdraw_code", EMAIL_VERIFIED),
    (PASSWORD_SET, "withdraw_code", PASSWORD_SET),
    (CHILDREN_LINKED, "withdraw_code", CHILDREN_LINKED),
    (LOCKED, "withdraw_code", LOCKED),
    (EXPIRED, "withdraw_code", EXPIRED),
    # refreshed: before any time limit, nothing changes.
    (CODE_SENT, "refreshed", CODE_SENT),
    (EMAIL_VERIFIED, "refreshed", EMAIL_VERIFIED),
    (PASSWORD_SET, "refreshed", PASSWORD_SET),
    (CHILDREN_LINKED, "refreshed", CHILDREN_LINKED),
    (LOCKED, "refreshed", LOCKED),
    (EXPIRED, "refreshed", EXPIRED),
]


def test_table_covers_every_pair() -> None:
    pairs = {(state, name) for state, name, _ in TABLE}
    expected = {(state, name) for state in FlowState for name in TRANSITIONS}
    assert pairs == expected


@pytest.mark.parametrize(
    ("state", "name", "expected"),
    TABLE,
    ids=[f"{state.value}-{name}" for state, name, _ in TABLE],
)
def test_transition_table(
    kit: FlowKit, state: FlowState, name: str, expected: Expected
) -> None:
    flow, now = kit.in_state(state)
    assert flow.state is state
    transition = TRANSITIONS[name]

    if isinstance(expected, FlowState):
        step = transition(kit, flow, now)
        assert step.rejection is None
        assert step.flow.state is expected
    elif isinstance(expected, Rejected):
        step = transition(kit, flow, now)
        assert isinstance(step.rejection, expected.error)
        assert step.flow.state is expected.state
    else:
        with pytest.raises(expected) as info:
            transition(kit, flow, now)
        if isinstance(info.value, InvalidTransitionError):
            assert info.value.state == state.value
            assert info.value.transition == TRANSITION_NAMES[name]


def test_start_sends_code(kit: FlowKit) -> None:
    step = kit.start()
    assert step.flow.state is CODE_SENT
    assert step.events == (
        CodeSent(
            at=kit.start_at,
            flow_id="flow-1",
            purpose=FlowPurpose.SIGNUP,
            expires_at=kit.start_at + kit.settings.code_lifetime,
        ),
    )


def test_start_decoy_sends_notice(kit: FlowKit) -> None:
    step = kit.start(decoy=True)
    assert step.flow.state is CODE_SENT
    assert event_types(step) == [NoticeSent]


def test_start_with_provider_verifies(kit: FlowKit) -> None:
    step = SignupFlow.start_with_provider(
        flow_id="flow-1",
        email=kit.email,
        provider="google",
        token=kit.token,
        now=kit.start_at,
        signer=kit.signer,
        settings=kit.settings,
    )
    assert step.flow.state is EMAIL_VERIFIED
    assert step.flow.provider == "google"
    assert step.events[-1].provider == "google"


def test_provider_account_names_provider(kit: FlowKit) -> None:
    flow, now = kit.in_state(CODE_SENT)
    verified = _verify_with_provider(kit, flow, now).flow
    created = kit.set_password(verified, kit.token, now)
    assert (
        AccountCreated(
            at=now, account_id="account-1", flow_id="flow-1", provider="google"
        )
        in created.events
    )


def test_verify_raises_email_verified_event(kit: FlowKit) -> None:
    flow, now = kit.in_state(CODE_SENT)
    step = kit.verify(flow, kit.code, now)
    assert step.events == (
        EmailVerified(at=now, flow_id="flow-1", purpose=FlowPurpose.SIGNUP),
    )
    assert step.flow.verified_at == now


def test_verify_accepts_code_once(kit: FlowKit) -> None:
    flow, now = kit.in_state(CODE_SENT)
    verified = kit.verify(flow, kit.code, now).flow
    with pytest.raises(InvalidTransitionError):
        kit.verify(verified, kit.code, now)


# Code lifetime.


@pytest.mark.parametrize(
    "margin",
    [timedelta(microseconds=1), timedelta(seconds=1)],
    ids=["1us", "1s"],
)
def test_code_valid_before_lifetime(kit: FlowKit, margin: timedelta) -> None:
    flow = kit.start().flow
    now = kit.start_at + kit.settings.code_lifetime - margin
    step = kit.verify(flow, kit.code, now)
    assert step.rejection is None
    assert step.flow.state is EMAIL_VERIFIED


@pytest.mark.parametrize(
    "margin", [timedelta(0), timedelta(seconds=1)], ids=["0s", "1s"]
)
def test_code_expired_from_lifetime(kit: FlowKit, margin: timedelta) -> None:
    flow = kit.start().flow
    now = kit.start_at + kit.settings.code_lifetime + margin
    step = kit.verify(flow, kit.code, now)
    assert isinstance(step.rejection, CodeExpiredError)
    assert step.flow.state is EXPIRED
    assert step.flow.challenge is None
    assert event_types(step) == [FlowExpired]


def test_expired_code_counts_no_try(kit: FlowKit) -> None:
    flow = kit.start().flow
    now = kit.start_at + kit.settings.code_lifetime
    step = kit.verify(flow, WRONG_CODE, now)
    assert CodeRejected not in event_types(step)


def test_flow_uses_given_time(kit: FlowKit) -> None:
    # Decades before the machine's clock: only the given time counts.
    long_ago = datetime(2001, 1, 1, tzinfo=UTC)
    flow = kit.start(now=long_ago).flow
    step = kit.verify(flow, kit.code, long_ago + timedelta(minutes=9))
    assert step.flow.state is EMAIL_VERIFIED


def test_refreshed_expires_at_lifetime(kit: FlowKit) -> None:
    flow = kit.start().flow
    end = kit.start_at + kit.settings.code_lifetime
    before = flow.refreshed(end - timedelta(microseconds=1), kit.settings)
    after = flow.refreshed(end, kit.settings)
    assert before.flow.state is CODE_SENT
    assert after.flow.state is EXPIRED


def test_state_at_agrees_with_refreshed(kit: FlowKit) -> None:
    flow = kit.start().flow
    end = kit.start_at + kit.settings.code_lifetime
    for now in (end - timedelta(microseconds=1), end):
        expected = flow.refreshed(now, kit.settings).flow.state
        assert flow.state_at(now, kit.settings) is expected
    assert flow.state_at(end, kit.settings) is EXPIRED


def test_verified_session_expires(kit: FlowKit) -> None:
    flow, _ = kit.in_state(EMAIL_VERIFIED)
    assert flow.verified_at is not None
    end = flow.verified_at + kit.settings.verified_lifetime
    with pytest.raises(InvalidTokenError):
        kit.set_password(flow, kit.token, end)


@pytest.mark.parametrize(
    "state", [CODE_SENT, EMAIL_VERIFIED, PASSWORD_SET, LOCKED, EXPIRED]
)
@pytest.mark.parametrize("right_token", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("late", [False, True], ids=["in-time", "late"])
def test_check_token_agrees_with_set_password(
    kit: FlowKit, state: FlowState, *, right_token: bool, late: bool
) -> None:
    flow, now = kit.in_state(state)
    if late:
        now += kit.settings.verified_lifetime
    token = kit.token if right_token else "another-token"

    def check() -> None:
        flow.check_token(
            token, now=now, signer=kit.signer, settings=kit.settings
        )

    try:
        kit.set_password(flow, token, now)
    except InvalidTokenError:
        with pytest.raises(InvalidTokenError):
            check()
    else:
        check()


def test_verified_session_valid_before_end(kit: FlowKit) -> None:
    flow, _ = kit.in_state(EMAIL_VERIFIED)
    assert flow.verified_at is not None
    end = flow.verified_at + kit.settings.verified_lifetime
    step = kit.set_password(flow, kit.token, end - timedelta(seconds=1))
    assert step.flow.state is PASSWORD_SET


# Wrong codes and the lock.


def test_wrong_codes_count_down(kit: FlowKit) -> None:
    step = kit.start()
    now = kit.start_at + timedelta(minutes=1)
    tries_left = []
    for _ in range(4):
        step = kit.verify(step.flow, WRONG_CODE, now)
        assert isinstance(step.rejection, CodeRejectedError)
        tries_left.append(step.rejection.tries_left)
    assert tries_left == [4, 3, 2, 1]
    assert step.flow.state is CODE_SENT


def test_wrong_code_raises_event(kit: FlowKit) -> None:
    flow, now = kit.in_state(CODE_SENT)
    step = kit.verify(flow, WRONG_CODE, now)
    assert step.events == (
        CodeRejected(
            at=now, flow_id="flow-1", purpose=FlowPurpose.SIGNUP, tries_left=4
        ),
    )


def test_fifth_wrong_code_locks(kit: FlowKit) -> None:
    flow, now = kit.in_state(CODE_SENT)
    step = kit.lock(flow, now)
    expires_at = kit.start_at + kit.settings.code_lifetime
    assert step.flow.state is LOCKED
    assert step.flow.locked_until == expires_at
    assert isinstance(step.rejection, FlowLockedError)
    assert step.rejection.retry_after == expires_at - now


def test_fifth_wrong_code_events(kit: FlowKit) -> None:
    flow, now = kit.in_state(CODE_SENT)
    step = kit.lock(flow, now)
    purpose = FlowPurpose.SIGNUP
    expires_at = kit.start_at + kit.settings.code_lifetime
    assert step.events == (
        CodeRejected(at=now, flow_id="flow-1", purpose=purpose, tries_left=0),
        FlowLocked(
            at=now, flow_id="flow-1", purpose=purpose, until=expires_at
        ),
    )


def test_locked_flow_rejects_right_code(kit: FlowKit) -> None:
    flow, now = kit.in_state(LOCKED)
    with pytest.raises(FlowLockedError) as info:
        kit.verify(flow, kit.code, now)
    assert info.value.retry_after == flow.locked_until - now


def test_lock_lasts_until_code_end(kit: FlowKit) -> None:
    flow, _ = kit.in_state(LOCKED)
    end = kit.start_at + kit.settings.code_lifetime
    step = flow.refreshed(end - timedelta(microseconds=1), kit.settings)
    assert step.flow.state is LOCKED


def test_lock_ends_with_code(kit: FlowKit) -> None:
    flow, _ = kit.in_state(LOCKED)
    end = kit.start_at + kit.settings.code_lifetime
    step = flow.refreshed(end, kit.settings)
    assert step.flow.state is EXPIRED
    assert step.flow.locked_until is None
    assert event_types(step) == [FlowExpired]


def test_lock_end_allows_new_code(kit: FlowKit) -> None:
    flow, _ = kit.in_state(LOCKED)
    end = kit.start_at + kit.settings.code_lifetime
    step = kit.request_code(flow, end, code=NEW_CODE)
    assert step.flow.state is CODE_SENT
    assert event_types(step) == [FlowExpired, CodeSent]
    verified = kit.verify(step.flow, NEW_CODE, end + timedelta(seconds=5))
    assert verified.flow.state is EMAIL_VERIFIED


# Resending.


def test_resend_kills_old_code(kit: FlowKit) -> None:
    flow = kit.start().flow
    resend_at = kit.start_at + kit.settings.resend_delay
    flow = kit.request_code(flow, resend_at, code=NEW_CODE).flow
    step = kit.verify(flow, kit.code, resend_at + timedelta(seconds=5))
    assert isinstance(step.rejection, CodeRejectedError)
    assert step.rejection.tries_left == kit.settings.max_wrong_tries - 1
    assert event_types(step) == [CodeRejected]


def test_resend_new_code_verifies(kit: FlowKit) -> None:
    flow = kit.start().flow
    resend_at = kit.start_at + kit.settings.resend_delay
    flow = kit.request_code(flow, resend_at, code=NEW_CODE).flow
    step = kit.verify(flow, NEW_CODE, resend_at + timedelta(seconds=5))
    assert step.flow.state is EMAIL_VERIFIED


@pytest.mark.parametrize(
    ("elapsed", "wait"),
    [
        (timedelta(0), timedelta(seconds=60)),
        (timedelta(seconds=1), timedelta(seconds=59)),
        (timedelta(seconds=59, microseconds=500_000), timedelta(seconds=0.5)),
    ],
    ids=["0s", "1s", "59.5s"],
)
def test_resend_too_soon(
    kit: FlowKit, elapsed: timedelta, wait: timedelta
) -> None:
    flow = kit.start().flow
    with pytest.raises(ResendTooSoonError) as info:
        kit.request_code(flow, kit.start_at + elapsed)
    assert info.value.retry_after == wait


def test_resend_allowed_at_delay(kit: FlowKit) -> None:
    flow = kit.start().flow
    now = kit.start_at + kit.settings.resend_delay
    step = kit.request_code(flow, now, code=NEW_CODE)
    assert step.flow.challenge is not None
    assert step.flow.challenge.issued_at == now


def _ten_codes(kit: FlowKit) -> SignupFlow:
    """Return a flow that received ten codes, one per resend delay."""
    flow = kit.start().flow
    for index in range(1, 10):
        now = kit.start_at + index * kit.settings.resend_delay
        flow = kit.request_code(flow, now).flow
    return flow


def test_ten_codes_in_hour_allowed(kit: FlowKit) -> None:
    flow = _ten_codes(kit)
    assert len(flow.code_requests) == kit.settings.max_codes_per_window


def test_eleventh_code_in_hour_rejected(kit: FlowKit) -> None:
    flow = _ten_codes(kit)
    now = kit.start_at + 10 * kit.settings.resend_delay
    with pytest.raises(TooManyCodesError) as info:
        kit.request_code(flow, now)
    first = kit.start_at
    assert info.value.retry_after == first + kit.settings.code_window - now


def test_code_limit_slides_with_window(kit: FlowKit) -> None:
    flow = _ten_codes(kit)
    now = kit.start_at + kit.settings.code_window
    step = kit.request_code(flow, now)
    assert step.flow.challenge is not None
    assert step.flow.challenge.issued_at == now


def test_locked_flow_refuses_new_code(kit: FlowKit) -> None:
    flow, now = kit.in_state(LOCKED)
    with pytest.raises(FlowLockedError) as info:
        kit.request_code(flow, now)
    assert info.value.retry_after == flow.locked_until - now


# Decoys.


def test_decoy_never_verifies(kit: FlowKit) -> None:
    flow = kit.start(decoy=True).flow
    step = kit.verify(flow, kit.code, kit.start_at + timedelta(minutes=1))
    assert isinstance(step.rejection, CodeRejectedError)
    assert step.flow.state is CODE_SENT


def test_decoy_locks_like_code(kit: FlowKit) -> None:
    flow = kit.start(decoy=True).flow
    step = kit.lock(flow, kit.start_at + timedelta(minutes=1))
    assert step.flow.state is LOCKED


def test_decoy_resend_sends_notice(kit: FlowKit) -> None:
    flow = kit.start(decoy=True).flow
    step = flow.request_code(
        code=NEW_CODE,
        decoy=True,
        now=kit.start_at + kit.settings.resend_delay,
        signer=kit.signer,
        settings=kit.settings,
    )
    assert event_types(step) == [NoticeSent]
    verify_at = kit.start_at + timedelta(minutes=2)
    rejected = kit.verify(step.flow, NEW_CODE, verify_at)
    assert isinstance(rejected.rejection, CodeRejectedError)


# Setting the password.


def test_set_password_creates_account(kit: FlowKit) -> None:
    flow, now = kit.in_state(EMAIL_VERIFIED)
    step = kit.set_password(flow, kit.token, now)
    assert step.flow.state is PASSWORD_SET
    assert step.flow.account_id == "account-1"
    assert step.events == (
        PasswordSet(at=now, flow_id="flow-1", account_id="account-1"),
        AccountCreated(at=now, account_id="account-1", flow_id="flow-1"),
    )


def test_set_password_rejects_wrong_token(kit: FlowKit) -> None:
    flow, now = kit.in_state(EMAIL_VERIFIED)
    with pytest.raises(InvalidTokenError):
        kit.set_password(flow, "another-token", now)


def test_set_password_spends_token(kit: FlowKit) -> None:
    flow, now = kit.in_state(EMAIL_VERIFIED)
    done = kit.set_password(flow, kit.token, now).flow
    assert done.token_digest is None
    with pytest.raises(InvalidTokenError):
        kit.set_password(done, kit.token, now)


def test_token_bound_to_flow(kit: FlowKit) -> None:
    # A token digest copied from one flow to another does not verify
    # there, because the digest binds the flow's id.
    verified, now = kit.in_state(EMAIL_VERIFIED)
    other = kit.start(flow_id="flow-2").flow
    other = kit.verify(other, kit.code, now).flow
    other = attrs.evolve(other, token_digest=verified.token_digest)
    with pytest.raises(InvalidTokenError):
        kit.set_password(other, kit.token, now)


def test_recovery_password_set(kit: FlowKit) -> None:
    flow, now = kit.in_state(EMAIL_VERIFIED, FlowPurpose.RECOVERY)
    step = kit.set_password(flow, kit.token, now)
    assert step.flow.state is PASSWORD_SET
    assert step.events == (
        RecoveryCompleted(at=now, account_id="account-1", flow_id="flow-1"),
    )


def test_recovery_links_no_child(kit: FlowKit) -> None:
    flow, now = kit.in_state(PASSWORD_SET, FlowPurpose.RECOVERY)
    with pytest.raises(InvalidTransitionError) as info:
        flow.record_child("student-1", now=now, settings=kit.settings)
    assert info.value.transition == "link_child"


# Recording children.


def test_record_child_is_idempotent(kit: FlowKit) -> None:
    flow, now = kit.in_state(PASSWORD_SET)
    once = flow.record_child("student-1", now=now, settings=kit.settings)
    twice = once.flow.record_child("student-1", now=now, settings=kit.settings)
    assert twice.flow.children == ("student-1",)
    assert twice.flow.state is CHILDREN_LINKED


def test_record_child_keeps_order(kit: FlowKit) -> None:
    flow, now = kit.in_state(PASSWORD_SET)
    for student_id in ("student-1", "student-2", "student-1"):
        flow = flow.record_child(
            student_id, now=now, settings=kit.settings
        ).flow
    assert flow.children == ("student-1", "student-2")


# Retention.


@pytest.mark.parametrize("state", list(FlowState))
def test_retention_covers_code_window(kit: FlowKit, state: FlowState) -> None:
    flow, _ = kit.in_state(state)
    last_request = flow.code_requests[-1]
    assert flow.retain_until >= last_request + kit.settings.code_window


@pytest.mark.parametrize("state", [CODE_SENT, LOCKED])
def test_retention_covers_code_life(kit: FlowKit, state: FlowState) -> None:
    flow, _ = kit.in_state(state)
    assert flow.challenge is not None
    assert flow.retain_until >= flow.challenge.expires_at


def test_retention_covers_late_resends(kit: FlowKit) -> None:
    flow = _ten_codes(kit)
    last_request = flow.code_requests[-1]
    assert flow.retain_until == last_request + kit.settings.code_window


def test_retention_covers_lock(kit: FlowKit) -> None:
    settings = attrs.evolve(
        kit.settings,
        code_lifetime=timedelta(hours=2),
        code_window=timedelta(minutes=30),
    )
    kit = attrs.evolve(kit, settings=settings)
    flow, _ = kit.in_state(LOCKED)
    assert flow.locked_until is not None
    assert flow.retain_until >= flow.locked_until


@pytest.mark.parametrize("state", [PASSWORD_SET, CHILDREN_LINKED])
def test_retention_keeps_finished_flow(kit: FlowKit, state: FlowState) -> None:
    flow, _ = kit.in_state(state)
    retention = kit.settings.completed_retention
    assert flow.retain_until >= flow.updated_at + retention


# Time zones.

NAIVE = datetime(2026, 9, 1, 12, 5)  # no time zone, on purpose


def test_start_rejects_naive_time(kit: FlowKit) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        kit.start(now=NAIVE)


def test_provider_start_rejects_naive_time(kit: FlowKit) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SignupFlow.start_with_provider(
            flow_id="flow-1",
            email=kit.email,
            provider="google",
            token=kit.token,
            now=NAIVE,
            signer=kit.signer,
            settings=kit.settings,
        )


NAIVE_CASES = [
    (CODE_SENT, "request_code"),
    (CODE_SENT, "verify"),
    (CODE_SENT, "verify_with_provider"),
    (EMAIL_VERIFIED, "set_password"),
    (PASSWORD_SET, "record_child"),
    (CODE_SENT, "void_code"),
    (CODE_SENT, "withdraw_code"),
    (EMAIL_VERIFIED, "withdraw_code"),
    (CODE_SENT, "refreshed"),
]


@pytest.mark.parametrize(
    ("state", "name"),
    NAIVE_CASES,
    ids=[f"{state.value}-{name}" for state, name in NAIVE_CASES],
)
def test_transition_rejects_naive_time(
    kit: FlowKit, state: FlowState, name: str
) -> None:
    flow, _ = kit.in_state(state)
    with pytest.raises(ValueError, match="timezone-aware"):
        TRANSITIONS[name](kit, flow, NAIVE)


# Wrong codes across codes.


def test_daily_failures_lock_across_codes() -> None:
    settings = SignupSettings()
    signer = CodeSigner((b"k" * 32,))
    now = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    email = Email.parse("parent@courriel.example")
    flow = SignupFlow.start(
        flow_id="f",
        purpose=FlowPurpose.RECOVERY,
        email=email,
        code="111111",
        decoy=False,
        now=now,
        signer=signer,
        settings=settings,
    ).flow
    first_failure = now
    failures = 0
    rejection = None
    # Four wrong codes per code, then a new code, until the day's budget.
    while failures < settings.max_failures_per_window:
        for _ in range(settings.max_wrong_tries - 1):
            step = flow.verify(
                "000000", token="t", now=now, signer=signer, settings=settings
            )
            flow, rejection = step.flow, step.rejection
            failures += 1
            if failures == settings.max_failures_per_window:
                break
        now += settings.resend_delay
        if flow.state is not FlowState.LOCKED:
            flow = flow.request_code(
                code="111111",
                decoy=False,
                now=now,
                signer=signer,
                settings=settings,
            ).flow

    assert flow.state is FlowState.LOCKED
    assert isinstance(rejection, FlowLockedError)
    assert flow.locked_until == first_failure + settings.failure_window
    with pytest.raises(FlowLockedError):
        flow.request_code(
            code="222222",
            decoy=False,
            now=now + timedelta(hours=12),
            signer=signer,
            settings=settings,
        )


def test_failures_outlive_code_window() -> None:
    settings = SignupSettings()
    signer = CodeSigner((b"k" * 32,))
    now = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    flow = SignupFlow.start(
        flow_id="f",
        purpose=FlowPurpose.SIGNUP,
        email=Email.parse("parent@courriel.example"),
        code="111111",
        decoy=False,
        now=now,
        signer=signer,
        settings=settings,
    ).flow

    wrong = flow.verify(
        "000000", token="t", now=now, signer=signer, settings=settings
    ).flow

    assert wrong.retain_until == now + settings.failure_window
