"""The sign-up service: load a flow, apply one transition, save, then mail.

`SignupService` is what a web service calls from its request handlers.
Each call reads the flow or account, applies one pure transition, and
saves the result with a compare-and-set on its version. When another
request saved first, the call reloads and retries, a bounded number of
times. Then it sends mail, and hands the events to the event sink once
the whole call succeeded.

Results never reveal whether an address has an account. Starting a
sign-up returns the same result for a new address, an address with an
account, and an address unknown to every school, and only the email sent
differs. Recovery does the same.
"""

from __future__ import annotations

import enum
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import attrs

from portail_core._copy import replace
from portail_core._errors import (
    AccountNotFoundError,
    AlreadyVerifiedError,
    CodeExpiredError,
    ConflictError,
    FlowError,
    InvalidTokenError,
    Language,
    MailDeliveryError,
    MalformedCodeError,
)
from portail_core.mail import MailKind, MailTemplates
from portail_core.ports import (
    AccountStore,
    Clock,
    EventSink,
    FlowStore,
    Mailer,
    Organizations,
    PasswordHasher,
    SchoolRecords,
)
from portail_core.signup import (
    Account,
    AccountCreated,
    ChildClaim,
    ChildLinked,
    ChildLinkRejected,
    ChildLinkRejectedError,
    CodeSigner,
    Event,
    FlowPurpose,
    FlowState,
    LinkFailure,
    OrganizationNotSubscribedError,
    ProviderLinked,
    SignupFlow,
    SignupSettings,
    Step,
    StudentRecord,
    check_claim,
    generate_code,
)
from portail_core.signup._codes import generate_token, normalize_code
from portail_core.values import Email, PasswordPolicy

logger = logging.getLogger("portail_core")

_T = TypeVar("_T")
_Loaded = TypeVar("_Loaded", SignupFlow, SignupFlow | None)

# States in which a flow's account exists, so it has no code to verify.
_ACCOUNT_STATES = frozenset(
    {FlowState.PASSWORD_SET, FlowState.CHILDREN_LINKED}
)


@attrs.frozen
class CodeRequest:
    """The result of asking for a code, the same whatever the address.

    Whether the address is new, has an account, or is unknown to every
    school, the fields and values are the same for the same time.
    """

    expires_at: datetime
    """When the code sent now stops working."""
    resend_at: datetime
    """When the parent may ask for another code."""


@attrs.frozen(repr=False)
class Verification:
    """Proof that a flow's email was verified, spent by the next step.

    Keep `token` in the parent's session (not in a URL); it is a secret.
    """

    token: str

    def __repr__(self) -> str:
        return "Verification(<hidden>)"


@attrs.frozen(kw_only=True)
class ProviderAssertion:
    """An identity provider's statement about the person signing in."""

    provider: str
    """Provider name, such as ``"google"`` or ``"microsoft"``."""
    email: str
    email_verified: bool
    """Only True skips the code; False or a missing claim does not."""


class SocialOutcome(enum.StrEnum):
    """Outcome of `SignupService.start_with_provider`; each value is also
    its string."""

    ACCOUNT_CREATED = "account_created"
    PROVIDER_LINKED = "provider_linked"
    SIGNED_IN = "signed_in"
    CODE_SENT = "code_sent"


@attrs.frozen(kw_only=True)
class SocialSignIn:
    """The result of a sign-in through an identity provider.

    `account` is set when the provider verified the email; otherwise a
    code went out and `code_request` is set, as for `start`.
    """

    outcome: SocialOutcome
    account: Account | None = None
    code_request: CodeRequest | None = None


class LinkOutcome(enum.StrEnum):
    """Outcome of `SignupService.link_child`; each value is also its
    string."""

    LINKED = "linked"
    ALREADY_LINKED = "already_linked"


@attrs.frozen(kw_only=True)
class LinkResult:
    """A successful link: the child is on the account once."""

    outcome: LinkOutcome
    """`LinkOutcome.LINKED`, or `LinkOutcome.ALREADY_LINKED` when the
    child was linked before and nothing changed."""
    student_id: str
    organization_code: str


class SignupService:
    """Sign-up, recovery, social sign-in and child linking.

    Every collaborator is a port; see `portail_core.compose` for ready
    wiring. Safe to share between threads when its adapters are.
    """

    def __init__(
        self,
        *,
        flows: FlowStore,
        accounts: AccountStore,
        records: SchoolRecords,
        organizations: Organizations,
        mailer: Mailer,
        hasher: PasswordHasher,
        clock: Clock,
        signer: CodeSigner,
        settings: SignupSettings | None = None,
        policy: PasswordPolicy | None = None,
        templates: MailTemplates | None = None,
        language: Language = "fr",
        events: EventSink | None = None,
    ) -> None:
        self.flows = flows
        self.accounts = accounts
        self.records = records
        self.organizations = organizations
        self.mailer = mailer
        self.hasher = hasher
        self.clock = clock
        self.signer = signer
        self.settings = settings or SignupSettings()
        self.policy = policy or PasswordPolicy()
        self.templates = templates or MailTemplates()
        self.language: Language = language
        self.event_sink = events

    # Sign-up.

    def start(
        self, email: str | Email, *, language: Language | None = None
    ) -> CodeRequest:
        """Send a verification code to `email`, or a notice if it has an
        account, and return the same result either way.

        Starting again continues the address's flow: the old code dies and
        the limits on codes carry over.

        Raises:
            InvalidEmailError: the address is not valid.
            ResendTooSoonError, TooManyCodesError, FlowLockedError: the
                address must wait; the error's `retry_after` gives how long.
            MailDeliveryError: the mail server did not take the message.
                The request was withdrawn, so the parent can retry at once.
        """
        address = _as_email(email)
        has_account = self.accounts.find_by_email(address.key) is not None
        kind = MailKind.SIGNUP_EXISTS if has_account else MailKind.SIGNUP_CODE
        return self._request_code(
            FlowPurpose.SIGNUP,
            address,
            kind,
            decoy=has_account,
            language=language,
        )

    def resend(
        self, email: str | Email, *, language: Language | None = None
    ) -> CodeRequest:
        """Send a new code to `email`, exactly as `start` does."""
        return self.start(email, language=language)

    def verify(self, email: str | Email, code: str) -> Verification:
        """Check the code typed for `email`'s sign-up.

        Spaces and dashes inside the code are ignored.

        Raises:
            MalformedCodeError: the text is not a code of the right number
                of digits; it costs no try.
            CodeRejectedError: the code is wrong; `tries_left` counts the
                tries that remain.
            FlowLockedError: that was the last try, or the flow was locked.
            CodeExpiredError: the code expired, none is active, or the
                address's sign-up already ended.
            AlreadyVerifiedError: the email is already verified; the
                parent goes on to the password.
        """
        return self._verify(FlowPurpose.SIGNUP, email, code)

    def set_password(self, token: str, password: str) -> Account:
        """Create the account with `password`, spending the token.

        Raises:
            InvalidTokenError: the token is unknown, spent or expired, or
                comes from a recovery.
            InvalidPasswordError: the password breaks the policy. The
                token is not spent, so the parent can try another.
            AccountExistsError: an account appeared for the address; the
                token is not spent.
        """
        flow, secret = self._flow_for_token(token)
        if flow.purpose is not FlowPurpose.SIGNUP:
            raise InvalidTokenError()
        account_id = _new_id()

        def spend(current: SignupFlow) -> Step:
            return current.set_password(
                secret,
                account_id=account_id,
                now=self.clock.now(),
                signer=self.signer,
                settings=self.settings,
            )

        # Check the token first: it is cheap, and hashing is not. The
        # transition runs once the password is hashed, on the flow as it
        # is then and with the time of that moment.
        flow.check_token(
            secret,
            now=self.clock.now(),
            signer=self.signer,
            settings=self.settings,
        )
        password_hash = self.hasher.hash(
            self.policy.parse(password, email=flow.email).reveal()
        )
        account = self.accounts.add(
            Account(
                account_id=account_id,
                email=flow.email,
                created_at=self.clock.now(),
                password_hash=password_hash,
            )
        )
        self._record_account(
            lambda: self._flow_for_token(token)[0], spend, account
        )
        return account

    def flow(
        self,
        email: str | Email,
        purpose: FlowPurpose = FlowPurpose.SIGNUP,
    ) -> SignupFlow | None:
        """Return the flow of `email` for `purpose` as of now, or None."""
        current = self.flows.get(purpose, _as_email(email).key)
        if current is None:
            return None
        return current.refreshed(self.clock.now(), self.settings).flow

    # Social sign-in.

    def start_with_provider(
        self,
        assertion: ProviderAssertion,
        *,
        language: Language | None = None,
    ) -> SocialSignIn:
        """Sign in or sign up with an identity provider's assertion.

        Only ``email_verified=True`` skips the code; anything else sends a
        code as `start` does. A verified email signs in to the account of
        the same canonical address (linking the provider on first use) or
        creates one without a password.

        Raises:
            InvalidEmailError: the provider's address is not valid.
            FlowLockedError: the address's sign-up flow is locked.
        """
        email = _as_email(assertion.email)
        if assertion.email_verified is not True:
            request = self.start(email, language=language)
            return SocialSignIn(
                outcome=SocialOutcome.CODE_SENT, code_request=request
            )

        existing = self.accounts.find_by_email(email.key)
        if existing is not None:
            return self._sign_in_with_provider(existing, assertion.provider)

        token = generate_token()
        account_id = _new_id()

        def load() -> SignupFlow | None:
            return self.flows.get(FlowPurpose.SIGNUP, email.key)

        def verify_and_create(current: SignupFlow | None) -> Step:
            return self._provider_steps(
                current, email, assertion.provider, token, account_id
            )

        # Apply the steps once before creating the account, so that a
        # locked flow raises before anything is written.
        verify_and_create(load())
        account = self.accounts.add(
            Account(
                account_id=account_id,
                email=email,
                created_at=self.clock.now(),
                providers=(assertion.provider,),
            )
        )
        self._record_account(load, verify_and_create, account)
        return SocialSignIn(
            outcome=SocialOutcome.ACCOUNT_CREATED, account=account
        )

    # Recovery.

    def start_recovery(
        self, email: str | Email, *, language: Language | None = None
    ) -> CodeRequest:
        """Send a recovery code to `email`, or a notice if it has no
        account, and return the same result either way.

        Raises: the same errors as `start`.
        """
        address = _as_email(email)
        has_account = self.accounts.find_by_email(address.key) is not None
        kind = (
            MailKind.RECOVERY_CODE
            if has_account
            else MailKind.RECOVERY_UNKNOWN
        )
        return self._request_code(
            FlowPurpose.RECOVERY,
            address,
            kind,
            decoy=not has_account,
            language=language,
        )

    def verify_recovery(self, email: str | Email, code: str) -> Verification:
        """Check the recovery code typed for `email`.

        Raises: the same errors as `verify`.
        """
        return self._verify(FlowPurpose.RECOVERY, email, code)

    def reset_password(self, token: str, password: str) -> Account:
        """Set a new password with a recovery token.

        Every outstanding code of the address dies, sign-up codes
        included.

        Raises:
            InvalidTokenError: the token is unknown, spent or expired.
            InvalidPasswordError: the password breaks the policy. The
                token is not spent.
        """
        flow, secret = self._flow_for_token(token)
        account = self.accounts.find_by_email(flow.email.key)
        if flow.purpose is not FlowPurpose.RECOVERY or account is None:
            raise InvalidTokenError()

        def spend(current: SignupFlow) -> Step:
            return current.set_password(
                secret,
                account_id=account.account_id,
                now=self.clock.now(),
                signer=self.signer,
                settings=self.settings,
            )

        # Check the token first: it is cheap, and hashing is not.
        flow.check_token(
            secret,
            now=self.clock.now(),
            signer=self.signer,
            settings=self.settings,
        )
        password_hash = self.hasher.hash(
            self.policy.parse(password, email=flow.email).reveal()
        )

        def spend_token() -> Step:
            current, _ = self._flow_for_token(token)
            return self._save_flow(current, spend(current))

        # Spend the token first, so that it resets the password once.
        step = self._retrying(spend_token)
        updated = self._update_account(
            account.account_id,
            lambda current: replace(current, password_hash=password_hash),
        )
        for purpose in FlowPurpose:
            self._update_flow(
                purpose,
                flow.email,
                lambda current: current.void_code(
                    now=self.clock.now(), settings=self.settings
                ),
            )
        self._publish(step.events)
        return updated

    # Child linking.

    def link_child(self, account_id: str, claim: ChildClaim) -> LinkResult:
        """Link the child of `claim` to the account, once.

        The permanent code's consistency with the typed data is checked
        first and never counts as an attempt. Every other failure counts
        against the account's limit and raises one uniform error whose
        `reason` is for the audit log.

        Raises:
            PermanentCodeMismatchError: the permanent code disagrees with
                the typed family name or birth date; nothing was counted.
            OrganizationNotSubscribedError: the organization does not
                offer the portal.
            LinkLimitError: too many failed attempts; wait `retry_after`.
            ChildLinkRejectedError: the claim does not match a record.
            AccountNotFoundError: no account has `account_id`.
        """
        claim.check_permanent_code()
        organization_code = claim.organization.code
        if not self.organizations.is_subscribed(organization_code):
            raise OrganizationNotSubscribedError()

        # Count the attempt before checking it, so that parallel attempts
        # can never check more claims than the limit allows.
        attempt_id = _new_id()
        account = self._update_account(
            account_id,
            lambda current: current.reserve_link_attempt(
                attempt_id, self.clock.now(), self.settings
            ),
        )

        record, failure = self._match(claim, account.email)
        if record is None or failure is not None:
            reason = failure or LinkFailure.RECORD_NOT_FOUND
            self._publish(
                (
                    ChildLinkRejected(
                        at=self.clock.now(),
                        account_id=account_id,
                        organization_code=organization_code,
                        reason=reason.value,
                    ),
                )
            )
            raise ChildLinkRejectedError(
                reason, suggest_permanent_code=claim.suggests_permanent_code
            )

        already_linked = account.has_child(record.student_id)
        now = self.clock.now()
        account = self._update_account(
            account_id,
            lambda current: current.complete_link_attempt(
                attempt_id, record, now
            ),
        )
        if not already_linked:
            self._publish(
                (
                    ChildLinked(
                        at=now,
                        account_id=account_id,
                        student_id=record.student_id,
                        organization_code=organization_code,
                    ),
                )
            )
        self._record_child_in_flow(account, record.student_id)
        return LinkResult(
            outcome=(
                LinkOutcome.ALREADY_LINKED
                if already_linked
                else LinkOutcome.LINKED
            ),
            student_id=record.student_id,
            organization_code=organization_code,
        )

    # Steps shared by the flows.

    def _request_code(
        self,
        purpose: FlowPurpose,
        email: Email,
        kind: MailKind,
        *,
        decoy: bool,
        language: Language | None,
    ) -> CodeRequest:
        code = generate_code(self.settings.code_digits)
        now = self.clock.now()
        # Render before anything is saved, so that a broken custom template
        # fails without counting a request that sent no mail.
        message = self.templates.render(
            kind,
            to=email,
            language=language or self.language,
            code=None if decoy else code,
            minutes=_minutes(self.settings.code_lifetime),
        )

        def issue() -> Step:
            current = self.flows.get(purpose, email.key)
            if current is None:
                step = SignupFlow.start(
                    flow_id=_new_id(),
                    purpose=purpose,
                    email=email,
                    code=code,
                    decoy=decoy,
                    now=now,
                    signer=self.signer,
                    settings=self.settings,
                )
            else:
                step = current.request_code(
                    code=code,
                    decoy=decoy,
                    now=now,
                    signer=self.signer,
                    settings=self.settings,
                )
            return self._save_flow(current, step)

        step = self._retrying(issue)
        try:
            self.mailer.send(message)
        except MailDeliveryError:
            logger.warning(
                "mail delivery failed, code request withdrawn: flow %s",
                step.flow.flow_id,
            )
            self._update_flow(
                purpose,
                email,
                lambda current: current.withdraw_code(
                    issued_at=now, now=self.clock.now(), settings=self.settings
                ),
            )
            raise
        self._publish(step.events)
        return CodeRequest(
            expires_at=now + self.settings.code_lifetime,
            resend_at=now + self.settings.resend_delay,
        )

    def _verify(
        self, purpose: FlowPurpose, email: str | Email, code: str
    ) -> Verification:
        address = _as_email(email)
        if not isinstance(code, str):
            raise TypeError(f"A code must be str, not {type(code).__name__}.")
        digits = self.settings.code_digits
        normalized = normalize_code(code, digits)
        if normalized is None:
            # Not a guess, so it costs the parent no try.
            raise MalformedCodeError(digits)
        code = normalized
        token = generate_token()

        def check() -> Step:
            current = self.flows.get(purpose, address.key)
            state = None
            if current is not None:
                now = self.clock.now()
                state = current.state_at(now, self.settings)
            if current is None or state in _ACCOUNT_STATES:
                # No active code: compute the HMAC all the same, so the
                # response takes as long as for a flow that exists. A
                # finished flow responds as a missing one does, so that
                # verify cannot tell which addresses have an account.
                self.signer.verify(code, None, context=purpose.value)
                raise CodeExpiredError()
            if state is FlowState.EMAIL_VERIFIED:
                # A second submit of the right code: the parent should go
                # on to the password, not ask for a new code.
                self.signer.verify(code, None, context=purpose.value)
                raise AlreadyVerifiedError()
            step = current.verify(
                code,
                token=token,
                now=self.clock.now(),
                signer=self.signer,
                settings=self.settings,
            )
            return self._save_flow(current, step)

        step = self._retrying(check)
        self._publish(step.events)
        if step.rejection is not None:
            raise step.rejection
        return Verification(f"{step.flow.flow_id}.{token}")

    def _record_account(
        self,
        load: Callable[[], _Loaded],
        transition: Callable[[_Loaded], Step],
        account: Account,
    ) -> None:
        """Save the flow step that records a new account, then publish.

        The account exists already, so a flow that changed meanwhile (a
        stranger restarting the same address, say) does not undo it: the
        failure is logged and the account's creation is still published.
        """

        def save() -> Step:
            current = load()
            return self._save_flow(current, transition(current))

        try:
            step = self._retrying(save)
        except (FlowError, ConflictError) as error:
            logger.warning(
                "account %s created, but its flow was not updated: %s",
                account.account_id,
                error.code,
            )
            self._publish(
                (
                    AccountCreated(
                        at=self.clock.now(),
                        account_id=account.account_id,
                        provider=account.providers[0]
                        if account.providers
                        else None,
                    ),
                )
            )
            return
        self._publish(step.events)

    def _flow_for_token(self, token: str) -> tuple[SignupFlow, str]:
        """Return the flow a token names and the token's secret part.

        A token is ``FLOW_ID.SECRET``; the flow checks the secret.
        """
        if not isinstance(token, str):
            raise InvalidTokenError()
        flow_id, dot, secret = token.partition(".")
        flow = self.flows.get_by_id(flow_id) if dot else None
        if flow is None:
            raise InvalidTokenError()
        return flow, secret

    def _provider_steps(
        self,
        current: SignupFlow | None,
        email: Email,
        provider: str,
        token: str,
        account_id: str,
    ) -> Step:
        now = self.clock.now()
        if current is None:
            verified = SignupFlow.start_with_provider(
                flow_id=_new_id(),
                email=email,
                provider=provider,
                token=token,
                now=now,
                signer=self.signer,
                settings=self.settings,
            )
        else:
            verified = current.verify_with_provider(
                provider,
                token=token,
                now=now,
                signer=self.signer,
                settings=self.settings,
            )
        created = verified.flow.set_password(
            token,
            account_id=account_id,
            now=now,
            signer=self.signer,
            settings=self.settings,
        )
        return replace(created, events=verified.events + created.events)

    def _sign_in_with_provider(
        self, account: Account, provider: str
    ) -> SocialSignIn:
        if provider in account.providers:
            return SocialSignIn(
                outcome=SocialOutcome.SIGNED_IN, account=account
            )

        def add_provider(current: Account) -> Account:
            if provider in current.providers:
                return current
            return replace(current, providers=(*current.providers, provider))

        linked = self._update_account(account.account_id, add_provider)
        self._publish(
            (
                ProviderLinked(
                    at=self.clock.now(),
                    account_id=account.account_id,
                    provider=provider,
                ),
            )
        )
        return SocialSignIn(
            outcome=SocialOutcome.PROVIDER_LINKED, account=linked
        )

    def _match(
        self, claim: ChildClaim, email: Email
    ) -> tuple[StudentRecord | None, LinkFailure | None]:
        organization_code = claim.organization.code
        record = None
        if claim.record_number is not None:
            record = self.records.find_by_record_number(
                organization_code, claim.record_number
            )
        if record is None and claim.permanent_code is not None:
            record = self.records.find_by_permanent_code(
                organization_code, claim.permanent_code
            )
        if record is None:
            return None, LinkFailure.RECORD_NOT_FOUND
        return record, check_claim(claim, record, email)

    def _record_child_in_flow(self, account: Account, student_id: str) -> None:
        """Advance the account's sign-up flow, if it is still kept."""

        def record(current: SignupFlow) -> Step:
            if (
                current.account_id != account.account_id
                or current.state
                not in (
                    FlowState.PASSWORD_SET,
                    FlowState.CHILDREN_LINKED,
                )
            ):
                return Step(flow=current)
            return current.record_child(
                student_id, now=self.clock.now(), settings=self.settings
            )

        self._update_flow(FlowPurpose.SIGNUP, account.email, record)

    # Persistence with compare-and-set.

    def _retrying(self, operation: Callable[[], _T]) -> _T:
        """Run `operation`, running it again after each store conflict.

        `operation` must reload what it changes, so that each run works on
        the latest version.
        """
        retries = self.settings.max_conflict_retries
        for attempt in range(retries + 1):
            try:
                return operation()
            except ConflictError:
                logger.debug(
                    "store conflict, retry %d of %d", attempt, retries
                )
        logger.warning("store conflict persisted after %d retries", retries)
        raise ConflictError()

    def _save_flow(self, current: SignupFlow | None, step: Step) -> Step:
        """Save `step.flow` over `current`; the caller publishes the events
        once its whole operation succeeded.

        Raises:
            ConflictError: the stored flow is no longer `current`.
        """
        # A transition that changes nothing returns the flow it was given.
        # An equal copy, such as `record_child` makes for a child recorded
        # again in the same microsecond, is saved again. That costs a
        # version number, and less time than comparing every field of
        # every step.
        if step.flow is current:
            return step
        expected = current.version if current is not None else 0
        saved = self.flows.save(step.flow, expected_version=expected)
        return Step(flow=saved, events=step.events, rejection=step.rejection)

    def _update_flow(
        self,
        purpose: FlowPurpose,
        email: Email,
        change: Callable[[SignupFlow], Step],
    ) -> None:
        """Apply `change` to the address's flow, if one exists."""

        def update() -> Step | None:
            current = self.flows.get(purpose, email.key)
            if current is None:
                return None
            return self._save_flow(current, change(current))

        step = self._retrying(update)
        if step is not None:
            self._publish(step.events)

    def _update_account(
        self, account_id: str, change: Callable[[Account], Account]
    ) -> Account:
        """Apply `change` to the account and save it, retrying conflicts.

        Raises:
            AccountNotFoundError: no account has `account_id`.
        """

        def update() -> Account:
            current = self.accounts.get(account_id)
            if current is None:
                raise AccountNotFoundError()
            changed = change(current)
            # As in `_save_flow`, an equal copy is saved again.
            if changed is current:
                return current
            return self.accounts.save(
                changed, expected_version=current.version
            )

        return self._retrying(update)

    def _publish(self, events: tuple[Event, ...]) -> None:
        for event in events:
            logger.info("event %s", event.name)
            if self.event_sink is not None:
                self.event_sink(event)


def _as_email(email: str | Email) -> Email:
    return email if isinstance(email, Email) else Email.parse(email)


def _new_id() -> str:
    return secrets.token_hex(16)


def _minutes(duration: timedelta) -> int:
    return max(1, round(duration.total_seconds() / 60))


__all__ = [
    "CodeRequest",
    "LinkOutcome",
    "LinkResult",
    "ProviderAssertion",
    "SignupService",
    "SocialOutcome",
    "SocialSignIn",
    "Verification",
]
