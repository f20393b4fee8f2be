"""The pure sign-up state machine.

A `SignupFlow` is an immutable value. Each transition takes the current
time and its inputs, and either returns a `Step` (the next flow and the
events it raised) or raises a typed error and changes nothing::

               start               verify             set_password
    (none) ──────────▶ CODE_SENT ─────────▶ EMAIL_VERIFIED ─────────▶
                        │  ▲ resend
                        │  └──────┘           link_child
                        │              PASSWORD_SET ─────────▶ CHILDREN_LINKED
                        ├─ last wrong try ─▶ LOCKED (until the code's end)
                        └─ lifetime over ──▶ EXPIRED (start again)

Time-based changes (a code's end, a lock's end) are applied by every
transition before its own work, so no store eviction decides them.

A wrong or expired code is not an exception to the flow: the attempt is
recorded (one more wrong try), and the step's `rejection` carries the
error that the caller should raise once the step is saved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from portail_core._copy import copied_by_dict, replace
from portail_core._errors import (
    CodeExpiredError,
    CodeRejectedError,
    FlowError,
    FlowLockedError,
    InvalidTokenError,
    InvalidTransitionError,
    ResendTooSoonError,
    TooManyCodesError,
)
from portail_core.signup._codes import CodeSigner
from portail_core.signup._events import (
    AccountCreated,
    CodeRejected,
    CodeSent,
    EmailVerified,
    Event,
    FlowExpired,
    FlowLocked,
    NoticeSent,
    PasswordSet,
    RecoveryCompleted,
)
from portail_core.signup._model import FlowPurpose, FlowState
from portail_core.signup._settings import SignupSettings
from portail_core.values import Email

_ACCOUNT_STATES = frozenset(
    {FlowState.PASSWORD_SET, FlowState.CHILDREN_LINKED}
)


def require_aware(now: datetime) -> datetime:
    """Return `now` if it carries a time zone, else raise ValueError."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(
            "Times must be timezone-aware, such as datetime.now(UTC)."
        )
    return now


@attrs.frozen(kw_only=True)
class Challenge:
    """The active code of a flow, kept only as its HMAC."""

    digest: str = attrs.field(repr=False)
    issued_at: datetime
    expires_at: datetime
    wrong_tries: int = 0
    decoy: bool = False
    """No code was mailed (a notice went out instead), so every code is
    wrong; the HMAC is still computed and compared."""


@attrs.frozen(kw_only=True)
class Step:
    """The result of one transition: the next flow and its events.

    `rejection` is set when the step recorded a failure, such as a wrong
    code: save `flow`, publish `events`, then raise `rejection`.
    """

    flow: SignupFlow
    events: tuple[Event, ...] = ()
    rejection: FlowError | None = None


# Fields in a __dict__, which `replace` copies in one call.
@copied_by_dict
@attrs.frozen(kw_only=True, repr=False, slots=False)
class SignupFlow:
    """One sign-up or recovery for one email address.

    There is at most one active flow per purpose and canonical email, so
    starting again continues the same flow and its counters.
    """

    flow_id: str
    purpose: FlowPurpose
    email: Email
    state: FlowState
    created_at: datetime
    updated_at: datetime
    retain_until: datetime
    """Time after which deleting the flow changes no rule's outcome."""
    challenge: Challenge | None = None
    code_requests: tuple[datetime, ...] = ()
    """Times of the codes and notices sent within the code window."""
    failed_tries: tuple[datetime, ...] = ()
    """Times of the wrong codes entered within the failure window, across
    every code of the flow."""
    locked_until: datetime | None = None
    verified_at: datetime | None = None
    token_digest: str | None = attrs.field(default=None, repr=False)
    """HMAC of the token that proves this flow's email was verified."""
    provider: str | None = None
    """Identity provider that vouched for the email, if any."""
    account_id: str | None = None
    children: tuple[str, ...] = ()
    """Student ids linked during this sign-up, in order."""
    version: int = 0
    """Version the store read; stores set it, transitions keep it."""

    @property
    def context(self) -> str:
        """Binding of this flow's codes and tokens: purpose, id and email."""
        return f"{self.purpose.value}:{self.flow_id}:{self.email.key}"

    # Transitions.

    @classmethod
    def start(
        cls,
        *,
        flow_id: str,
        purpose: FlowPurpose,
        email: Email,
        code: str,
        decoy: bool,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        """Create a flow whose first code (or notice) goes out now."""
        placeholder = cls._blank(flow_id, purpose, email, now)
        return placeholder._issue(
            code=code, decoy=decoy, now=now, signer=signer, settings=settings
        )

    def request_code(
        self,
        *,
        code: str,
        decoy: bool,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        """Replace any active code with a new one (a resend, or a restart).

        Allowed in every state but LOCKED. The old code stops working at
        once; the counters of sent codes carry over.

        Raises:
            FlowLockedError: the flow is locked for now.
            ResendTooSoonError: the last code went out less than
                `settings.resend_delay` ago.
            TooManyCodesError: `settings.max_codes_per_window` codes went
                out within `settings.code_window`.
        """
        flow, earlier = self._refresh(now, settings)
        flow._raise_if_locked(now)

        recent = flow._recent_requests(now, settings)
        if recent and now < recent[-1] + settings.resend_delay:
            raise ResendTooSoonError(recent[-1] + settings.resend_delay - now)
        if len(recent) >= settings.max_codes_per_window:
            raise TooManyCodesError(recent[0] + settings.code_window - now)

        step = flow._issue(
            code=code, decoy=decoy, now=now, signer=signer, settings=settings
        )
        return replace(step, events=earlier + step.events)

    def verify(
        self,
        code: str,
        *,
        token: str,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        """Check a typed code; on success, bind `token` to the flow.

        A wrong code counts one try; the last try locks the flow. The
        step's `rejection` is then `CodeRejectedError` or
        `FlowLockedError`; for an expired code it is `CodeExpiredError`.

        Raises:
            FlowLockedError: the flow was already locked.
            InvalidTransitionError: the email is already verified.
        """
        flow, earlier = self._refresh(now, settings)
        challenge = flow.challenge
        if flow.state is not FlowState.CODE_SENT or challenge is None:
            # Compute the HMAC anyway, so a flow without an active code
            # responds in the same time as one with a code.
            signer.verify(code, None, context=flow.context)
        flow._raise_if_locked(now)
        if flow.state is FlowState.EXPIRED:
            return Step(
                flow=flow, events=earlier, rejection=CodeExpiredError()
            )
        if flow.state is not FlowState.CODE_SENT or challenge is None:
            raise InvalidTransitionError(flow.state.value, "verify")

        matched = signer.verify(code, challenge.digest, context=flow.context)
        if matched and not challenge.decoy:
            verified = flow._next(
                now,
                settings,
                state=FlowState.EMAIL_VERIFIED,
                challenge=None,
                verified_at=now,
                token_digest=signer.sign(token, context=flow.context),
            )
            event = EmailVerified(
                at=now, flow_id=flow.flow_id, purpose=flow.purpose
            )
            return Step(flow=verified, events=(*earlier, event))
        return flow._count_wrong_try(challenge, now, settings, earlier)

    def verify_with_provider(
        self,
        provider: str,
        *,
        token: str,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        """Mark the email verified because an identity provider vouched.

        Any active code dies. Allowed in every state but LOCKED and the
        states where the account exists.

        Raises:
            FlowLockedError: the flow is locked for now.
            InvalidTransitionError: the flow's account already exists.
        """
        flow, earlier = self._refresh(now, settings)
        flow._raise_if_locked(now)
        if flow.state in _ACCOUNT_STATES:
            raise InvalidTransitionError(flow.state.value, "verify")
        return flow._verified_by_provider(
            provider=provider,
            token=token,
            now=now,
            signer=signer,
            settings=settings,
            earlier=earlier,
        )

    @classmethod
    def start_with_provider(
        cls,
        *,
        flow_id: str,
        email: Email,
        provider: str,
        token: str,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        """Create a sign-up flow whose email a provider already verified."""
        placeholder = cls._blank(flow_id, FlowPurpose.SIGNUP, email, now)
        return placeholder._verified_by_provider(
            provider=provider,
            token=token,
            now=now,
            signer=signer,
            settings=settings,
            earlier=(),
        )

    def check_token(
        self,
        token: str,
        *,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> None:
        """Check `token` as `set_password` does, without changing anything.

        A caller checks the token this way before slow work, such as
        hashing the password, then calls `set_password` with the time
        after that work.

        Raises:
            InvalidTokenError: `token` was not issued by this flow's
                verification, was already spent, or its flow expired.
        """
        self._refresh(now, settings)[0]._require_token(token, signer)

    def set_password(
        self,
        token: str,
        *,
        account_id: str,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        """Record that the account's credential is set, spending `token`.

        On a sign-up flow this creates account `account_id`; on a recovery
        flow it resets that account's password.

        Raises:
            InvalidTokenError: `token` was not issued by this flow's
                verification, was already spent, or its flow expired.
        """
        flow, earlier = self._refresh(now, settings)
        flow._require_token(token, signer)
        done = flow._next(
            now,
            settings,
            state=FlowState.PASSWORD_SET,
            token_digest=None,
            account_id=account_id,
        )
        events: tuple[Event, ...]
        if flow.purpose is FlowPurpose.RECOVERY:
            events = (
                RecoveryCompleted(
                    at=now, account_id=account_id, flow_id=flow.flow_id
                ),
            )
        else:
            events = (
                PasswordSet(
                    at=now, flow_id=flow.flow_id, account_id=account_id
                ),
                AccountCreated(
                    at=now,
                    account_id=account_id,
                    flow_id=flow.flow_id,
                    provider=flow.provider,
                ),
            )
        return Step(flow=done, events=(*earlier, *events))

    def record_child(
        self, student_id: str, *, now: datetime, settings: SignupSettings
    ) -> Step:
        """Record a child linked to this sign-up's account.

        Recording the same child twice changes nothing.

        Raises:
            InvalidTransitionError: the flow is not a sign-up whose account
                exists.
        """
        flow, earlier = self._refresh(now, settings)
        if (
            flow.purpose is not FlowPurpose.SIGNUP
            or flow.state not in _ACCOUNT_STATES
        ):
            raise InvalidTransitionError(flow.state.value, "link_child")
        children = flow.children
        if student_id not in children:
            children = (*children, student_id)
        linked = flow._next(
            now, settings, state=FlowState.CHILDREN_LINKED, children=children
        )
        return Step(flow=linked, events=earlier)

    def void_code(self, *, now: datetime, settings: SignupSettings) -> Step:
        """Kill the active code or verification token, if any.

        A flow waiting for a code, locked, or verified but without its
        password becomes EXPIRED. The counters of sent codes stay.
        """
        flow, earlier = self._refresh(now, settings)
        if flow.state not in (
            FlowState.CODE_SENT,
            FlowState.LOCKED,
            FlowState.EMAIL_VERIFIED,
        ):
            return Step(flow=flow, events=earlier)
        voided = flow._next(
            now,
            settings,
            state=FlowState.EXPIRED,
            challenge=None,
            locked_until=None,
            token_digest=None,
        )
        return Step(flow=voided, events=earlier)

    def withdraw_code(
        self, *, issued_at: datetime, now: datetime, settings: SignupSettings
    ) -> Step:
        """Undo the code issued at `issued_at`, whose mail failed.

        The code dies and its request leaves the counters, so the parent
        may ask again at once. A flow whose code was replaced since, or
        that is no longer waiting for that code (a lock stays a lock), is
        returned unchanged.
        """
        now = require_aware(now)
        challenge = self.challenge
        if (
            self.state is not FlowState.CODE_SENT
            or challenge is None
            or challenge.issued_at != issued_at
        ):
            return Step(flow=self)
        requests = tuple(
            time for time in self.code_requests if time != issued_at
        )
        withdrawn = self._next(
            now,
            settings,
            state=FlowState.EXPIRED,
            challenge=None,
            code_requests=requests,
        )
        return Step(flow=withdrawn)

    def refreshed(self, now: datetime, settings: SignupSettings) -> Step:
        """Apply the changes that time alone makes by `now`.

        A code past its lifetime, a lock past its end, and a verified
        session past `settings.verified_lifetime` turn the flow EXPIRED.
        """
        flow, events = self._refresh(now, settings)
        return Step(flow=flow, events=events)

    def state_at(self, now: datetime, settings: SignupSettings) -> FlowState:
        """Return the state the flow has at `now`, once time has acted."""
        return self._refresh(now, settings)[0].state

    # Helpers.

    def _refresh(
        self, now: datetime, settings: SignupSettings
    ) -> tuple[SignupFlow, tuple[Event, ...]]:
        """Return the flow as of `now` and the events of the change, as
        `refreshed` does, without building a `Step` each transition
        would discard."""
        now = require_aware(now)
        end = self._state_end(settings)
        if end is None or now < end:
            return self, ()
        expired = self._next(
            now,
            settings,
            state=FlowState.EXPIRED,
            challenge=None,
            locked_until=None,
            token_digest=None,
        )
        event = FlowExpired(at=now, flow_id=self.flow_id, purpose=self.purpose)
        return expired, (event,)

    @classmethod
    def _blank(
        cls, flow_id: str, purpose: FlowPurpose, email: Email, now: datetime
    ) -> SignupFlow:
        """Return a flow with no history, for a first transition to fill."""
        now = require_aware(now)
        return cls(
            flow_id=flow_id,
            purpose=purpose,
            email=email,
            state=FlowState.EXPIRED,
            created_at=now,
            updated_at=now,
            retain_until=now,
        )

    def _require_token(self, token: str, signer: CodeSigner) -> None:
        """Raise unless `token` is the live token of this refreshed flow."""
        token_matches = signer.verify(
            token, self.token_digest, context=self.context
        )
        if not token_matches or self.state is not FlowState.EMAIL_VERIFIED:
            raise InvalidTokenError()

    def _raise_if_locked(self, now: datetime) -> None:
        if self.state is FlowState.LOCKED and self.locked_until is not None:
            raise FlowLockedError(self.locked_until - now)

    def _state_end(self, settings: SignupSettings) -> datetime | None:
        """Return when time alone ends the current state, if it does."""
        if self.state is FlowState.CODE_SENT and self.challenge is not None:
            return self.challenge.expires_at
        if self.state is FlowState.LOCKED:
            return self.locked_until
        if self.state is FlowState.EMAIL_VERIFIED and self.verified_at:
            return self.verified_at + settings.verified_lifetime
        return None

    def _recent_requests(
        self, now: datetime, settings: SignupSettings
    ) -> tuple[datetime, ...]:
        start = now - settings.code_window
        return tuple(time for time in self.code_requests if time > start)

    def _issue(
        self,
        *,
        code: str,
        decoy: bool,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
    ) -> Step:
        challenge = Challenge(
            digest=signer.sign(code, context=self.context),
            issued_at=now,
            expires_at=now + settings.code_lifetime,
            decoy=decoy,
        )
        issued = self._next(
            now,
            settings,
            state=FlowState.CODE_SENT,
            challenge=challenge,
            code_requests=(*self._recent_requests(now, settings), now),
            locked_until=None,
            verified_at=None,
            token_digest=None,
            provider=None,
            account_id=None,
            children=(),
        )
        event: Event
        if decoy:
            event = NoticeSent(
                at=now, flow_id=self.flow_id, purpose=self.purpose
            )
        else:
            event = CodeSent(
                at=now,
                flow_id=self.flow_id,
                purpose=self.purpose,
                expires_at=challenge.expires_at,
            )
        return Step(flow=issued, events=(event,))

    def _count_wrong_try(
        self,
        challenge: Challenge,
        now: datetime,
        settings: SignupSettings,
        earlier: tuple[Event, ...],
    ) -> Step:
        wrong_tries = challenge.wrong_tries + 1
        window_start = now - settings.failure_window
        failed_tries = (
            *(time for time in self.failed_tries if time > window_start),
            now,
        )
        code_tries_left = settings.max_wrong_tries - wrong_tries
        window_tries_left = settings.max_failures_per_window - len(
            failed_tries
        )
        tries_left = max(0, min(code_tries_left, window_tries_left))
        rejected = CodeRejected(
            at=now,
            flow_id=self.flow_id,
            purpose=self.purpose,
            tries_left=tries_left,
        )
        counted = replace(challenge, wrong_tries=wrong_tries)
        if tries_left > 0:
            flow = self._next(
                now, settings, challenge=counted, failed_tries=failed_tries
            )
            return Step(
                flow=flow,
                events=(*earlier, rejected),
                rejection=CodeRejectedError(tries_left),
            )

        # The last try kills the code. The lock lasts until the code would
        # have expired, or, when the address used up its wrong codes of
        # the window, until the oldest of them leaves it.
        until = challenge.expires_at
        if window_tries_left <= 0:
            until = max(until, failed_tries[0] + settings.failure_window)
        locked = self._next(
            now,
            settings,
            state=FlowState.LOCKED,
            challenge=counted,
            failed_tries=failed_tries,
            locked_until=until,
        )
        lock_event = FlowLocked(
            at=now,
            flow_id=self.flow_id,
            purpose=self.purpose,
            until=until,
        )
        return Step(
            flow=locked,
            events=(*earlier, rejected, lock_event),
            rejection=FlowLockedError(until - now),
        )

    def _verified_by_provider(
        self,
        *,
        provider: str,
        token: str,
        now: datetime,
        signer: CodeSigner,
        settings: SignupSettings,
        earlier: tuple[Event, ...],
    ) -> Step:
        verified = self._next(
            now,
            settings,
            state=FlowState.EMAIL_VERIFIED,
            challenge=None,
            locked_until=None,
            verified_at=now,
            token_digest=signer.sign(token, context=self.context),
            provider=provider,
        )
        event = EmailVerified(
            at=now,
            flow_id=self.flow_id,
            purpose=self.purpose,
            provider=provider,
        )
        return Step(flow=verified, events=(*earlier, event))

    def _next(
        self, now: datetime, settings: SignupSettings, **changes: Any
    ) -> SignupFlow:
        """Return a copy with `changes`, stamped and with `retain_until`."""
        changed = replace(self, updated_at=now, **changes)
        # No other code has a reference to `changed` yet, so its last field
        # is set in place rather than by a second copy of all its fields.
        object.__setattr__(
            changed, "retain_until", changed._retention_end(settings)
        )
        return changed

    def _retention_end(self, settings: SignupSettings) -> datetime:
        """Return when deleting this flow stops mattering to any rule.

        The code-request history must outlive `code_window`, and the wrong
        codes `failure_window`, or deleting the flow would reset their
        limits.
        """
        ends = [self.updated_at]
        if self.code_requests:
            ends.append(self.code_requests[-1] + settings.code_window)
        if self.failed_tries:
            ends.append(self.failed_tries[-1] + settings.failure_window)
        if self.challenge is not None:
            ends.append(self.challenge.expires_at)
        if self.locked_until is not None:
            ends.append(self.locked_until)
        if self.verified_at is not None:
            ends.append(self.verified_at + settings.verified_lifetime)
        if self.state in _ACCOUNT_STATES:
            ends.append(self.updated_at + settings.completed_retention)
        return max(ends)

    def __repr__(self) -> str:
        return (
            f"SignupFlow(flow_id={self.flow_id!r}, "
            f"purpose={self.purpose.value}, state={self.state.value}, "
            f"version={self.version})"
        )
