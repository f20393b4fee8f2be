"""A model-based test of `SignupService`.

A Hypothesis state machine sends the same requests to the service and to
`Model`, a plain-Python statement of the rules with times in whole
seconds. After each step it checks that both return the same result or
raise the same error (with the same `tries_left` or `retry_after`), and
that the flows, accounts, linked children and sent mail agree.

The model's limits are written out below rather than read from
`SignupSettings`, so a changed default shows as a difference. The machine
runs once on the in-memory stores and once on a SQLite file.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)

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
    PortailError,
    ResendTooSoonError,
    RetryLaterError,
    TooManyCodesError,
)
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.adapters.sqlite import SQLiteDatabase
from portail_core.compose import Wiring, in_memory
from portail_core.mail import MailKind, MailTemplates
from portail_core.signup import (
    ChildClaim,
    ChildLinkRejectedError,
    FlowPurpose,
    LinkLimitError,
    PermanentCodeMismatchError,
)
from portail_core.values import Email

from .conftest import (
    FELIX_FORM,
    MAELLE_FORM,
    ORGANIZATION,
    OTHER_PARENT,
    PARENT,
    ROSTER,
    SIGNING_KEY,
    START,
    STRANGER,
    claim,
)

# The rules, in seconds.
CODE_LIFETIME = 600
RESEND_DELAY = 60
MAX_WRONG_TRIES = 5
MAX_FAILURES_PER_WINDOW = 20
FAILURE_WINDOW = 86400
MAX_CODES_PER_WINDOW = 10
CODE_WINDOW = 3600
VERIFIED_LIFETIME = 3600
MAX_LINK_FAILURES = 5
LINK_FAILURE_WINDOW = 3600

ADDRESSES = (
    PARENT,
    "Parent.Belanger@Courriel.EXAMPLE",
    OTHER_PARENT,
    STRANGER,
)
"""Addresses as typed: the guardian of Maëlle and Félix twice, in other
letter case (one flow per purpose and one account between them), the
guardian of Zoé, and an address on no school record. Any of them may
get an account."""

CANONICAL = tuple(dict.fromkeys(address.lower() for address in ADDRESSES))
# Parsed once: parsing runs email-validator, the costliest step of a check.
PARSED = {address: Email.parse(address) for address in CANONICAL}

# Steps of the clock that land on the rules' boundaries, alone or summed.
CLOCK_STEPS = (1, 59, 60, 61, 540, 599, 600, 601, 3540, 3599, 3600, 3601)

DEADLINE_KINDS = (
    "code_end",
    "lock_end",
    "verification_end",
    "resend_allowed",
    "code_window_end",
    "failure_window_end",
    "link_window_end",
)

PASSWORDS = {
    "Hiver-Soleil42": True,
    "Printemps-Pluie73": True,
    "Court7a": False,  # 7 characters
    "sans-majuscule-42": False,
}
"""Whether the password policy accepts each password."""
GOOD_PASSWORD = "Hiver-Soleil42"


@dataclass(frozen=True)
class ClaimCase:
    """A child claim and what the model expects of it."""

    claim: ChildClaim
    student_id: str | None
    """Student the claim names correctly, or None for a wrong claim."""
    guardian: str | None
    """Canonical address of the student's guardian."""
    failure: str | None = None
    """Audit reason of a wrong claim, the same for every account."""
    inconsistent: bool = False
    """The permanent code disagrees with the typed birth date: rejected
    before anything is counted."""


ZOE_FORM: dict[str, str | None] = {
    "organization": ORGANIZATION,
    "birth_date": "2014-04-09",
    "family_name": "Lavoie",
    "given_names": "Zoé",
    "record_number": "377001",
    "permanent_code": None,
}

CLAIMS = {
    "maelle": ClaimCase(claim(MAELLE_FORM), "student-1", PARENT),
    "felix": ClaimCase(claim(FELIX_FORM), "student-2", PARENT),
    "zoe": ClaimCase(claim(ZOE_FORM), "student-3", OTHER_PARENT),
    "wrong_given_name": ClaimCase(
        claim(MAELLE_FORM, given_names="Juliette"),
        None,
        None,
        failure="given_name_differs",
    ),
    "wrong_birth_date": ClaimCase(
        claim(MAELLE_FORM, birth_date="2015-06-29"),
        None,
        None,
        failure="birth_date_differs",
    ),
    "unknown_record": ClaimCase(
        claim(MAELLE_FORM, record_number="999999"),
        None,
        None,
        failure="record_not_found",
    ),
    "inconsistent_code": ClaimCase(
        claim(FELIX_FORM, birth_date="2013-11-03"),
        None,
        None,
        inconsistent=True,
    ),
}

Outcome = tuple[object, object]
"""("ok", value) for a result, or (error type, detail) for an error."""
OK = "ok"


def seconds(count: int) -> timedelta:
    return timedelta(seconds=count)


@dataclass
class ModelFlow:
    """A sign-up or recovery flow in the model."""

    state: str
    requests: list[int] = field(default_factory=list)
    """Times of the codes and notices sent, pruned to the window when
    a code is requested."""
    code: str | None = None
    """Active code, or None when there is none or a notice went out."""
    expires_at: int = 0
    wrong_tries: int = 0
    failures: list[int] = field(default_factory=list)
    """Times of the wrong codes, across codes, pruned to the failure
    window."""
    locked_until: int = 0
    verified_at: int = 0
    token: str | None = None
    account_of: str | None = None
    """Canonical address of the account this flow set a password for."""
    children: list[str] = field(default_factory=list)


@dataclass
class ModelAccount:
    account_id: str
    password: str
    children: list[str] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    """Times of the failed link attempts, pruned to the window."""


@dataclass(frozen=True)
class IssuedToken:
    """A token the service returned for a verified flow."""

    purpose: str
    address: str
    """Canonical address of the flow."""
    token: str


class Model:
    """The rules on dicts and lists, with times in seconds since the start.

    Each operation returns its expected `Outcome` and changes the model
    as the service should change its stores.
    """

    def __init__(self) -> None:
        self.now = 0
        self.flows: dict[tuple[str, str], ModelFlow] = {}
        self.accounts: dict[str, ModelAccount] = {}
        self.mail: list[tuple[str, str]] = []
        """(canonical address, mail kind) of every message sent."""

    def expire(self, flow: ModelFlow) -> None:
        """Apply what time alone changes: a code's end, a lock's end, the
        end of the time allowed to set the password."""
        ended = (
            (flow.state == "code_sent" and self.now >= flow.expires_at)
            or (flow.state == "locked" and self.now >= flow.locked_until)
            or (
                flow.state == "email_verified"
                and self.now >= flow.verified_at + VERIFIED_LIFETIME
            )
        )
        if ended:
            flow.state = "expired"
            flow.code = None
            flow.token = None

    def flow(self, purpose: str, address: str) -> ModelFlow | None:
        flow = self.flows.get((purpose, address))
        if flow is not None:
            self.expire(flow)
        return flow

    def deadlines(self) -> dict[str, list[int]]:
        """Return, by kind, the future times at which a rule's outcome
        changes, earliest first."""
        times: dict[str, list[int]] = {kind: [] for kind in DEADLINE_KINDS}
        for flow in self.flows.values():
            self.expire(flow)
            if flow.state == "code_sent":
                times["code_end"].append(flow.expires_at)
            elif flow.state == "locked":
                times["lock_end"].append(flow.locked_until)
            elif flow.state == "email_verified":
                end = flow.verified_at + VERIFIED_LIFETIME
                times["verification_end"].append(end)
            for time in flow.requests:
                times["resend_allowed"].append(time + RESEND_DELAY)
                times["code_window_end"].append(time + CODE_WINDOW)
            for time in flow.failures:
                times["failure_window_end"].append(time + FAILURE_WINDOW)
        for account in self.accounts.values():
            for time in account.failures:
                times["link_window_end"].append(time + LINK_FAILURE_WINDOW)
        return {
            kind: sorted({time for time in found if time > self.now})
            for kind, found in times.items()
        }

    def request_code(
        self, purpose: str, address: str, *, delivered: bool = True
    ) -> Outcome:
        """Send a code, or a notice when the address has an account
        (sign-up) or has none (recovery)."""
        flow = self.flow(purpose, address)
        if flow is None:
            flow = ModelFlow(state="expired")
        else:
            if flow.state == "locked":
                return FlowLockedError, seconds(flow.locked_until - self.now)
            start = self.now - CODE_WINDOW
            flow.requests = [time for time in flow.requests if time > start]
            if flow.requests:
                resend_at = flow.requests[-1] + RESEND_DELAY
                if self.now < resend_at:
                    return ResendTooSoonError, seconds(resend_at - self.now)
            if len(flow.requests) >= MAX_CODES_PER_WINDOW:
                window_end = flow.requests[0] + CODE_WINDOW
                return TooManyCodesError, seconds(window_end - self.now)

        self.flows[(purpose, address)] = flow
        has_account = address in self.accounts
        notice = has_account if purpose == "signup" else not has_account
        flow.state = "code_sent"
        flow.requests.append(self.now)
        flow.code = None  # the caller stores the mailed code
        flow.expires_at = self.now + CODE_LIFETIME
        flow.wrong_tries = 0
        flow.token = None
        flow.account_of = None
        flow.children = []

        if not delivered:
            # The mail failed, so the request is withdrawn.
            flow.state = "expired"
            flow.requests.pop()
            return MailDeliveryError, None

        kinds = {
            ("signup", False): "signup_code",
            ("signup", True): "signup_exists",
            ("recovery", False): "recovery_code",
            ("recovery", True): "recovery_unknown",
        }
        self.mail.append((address, kinds[(purpose, notice)]))
        return OK, (
            START + seconds(self.now + CODE_LIFETIME),
            START + seconds(self.now + RESEND_DELAY),
        )

    def verify(self, purpose: str, address: str, typed: str) -> Outcome:
        compact = code_typed(typed)
        if compact is None:
            return MalformedCodeError, None
        flow = self.flow(purpose, address)
        if flow is None:
            return CodeExpiredError, None
        if flow.state == "locked":
            return FlowLockedError, seconds(flow.locked_until - self.now)
        if flow.state == "email_verified":
            return AlreadyVerifiedError, None
        if flow.state != "code_sent":
            return CodeExpiredError, None
        if flow.code is not None and compact == flow.code:
            flow.state = "email_verified"
            flow.code = None
            flow.verified_at = self.now
            return OK, None  # the caller stores the token
        flow.wrong_tries += 1
        start = self.now - FAILURE_WINDOW
        flow.failures = [time for time in flow.failures if time > start]
        flow.failures.append(self.now)
        window_left = MAX_FAILURES_PER_WINDOW - len(flow.failures)
        tries_left = min(MAX_WRONG_TRIES - flow.wrong_tries, window_left)
        if tries_left > 0:
            return CodeRejectedError, tries_left
        flow.state = "locked"
        flow.code = None
        flow.locked_until = flow.expires_at
        if window_left <= 0:
            flow.locked_until = max(
                flow.expires_at, flow.failures[0] + FAILURE_WINDOW
            )
        return FlowLockedError, seconds(flow.locked_until - self.now)

    def token_valid(self, issued: IssuedToken, variant: str) -> bool:
        flow = self.flow(issued.purpose, issued.address)
        return (
            variant == "as_issued"
            and flow is not None
            and flow.state == "email_verified"
            and flow.token == issued.token
        )

    def set_password(
        self, issued: IssuedToken, variant: str, password: str
    ) -> Outcome:
        """Create the account. The token, which must come from a sign-up,
        is checked before the password."""
        if issued.purpose != "signup" or not self.token_valid(issued, variant):
            return InvalidTokenError, None
        if not PASSWORDS[password]:
            return InvalidPasswordError, None
        if issued.address in self.accounts:
            return AccountExistsError, None
        flow = self.flows[(issued.purpose, issued.address)]
        flow.state = "password_set"
        flow.token = None
        flow.account_of = issued.address
        # The caller stores the account id the service chose.
        self.accounts[issued.address] = ModelAccount("", password)
        return OK, issued.address

    def reset_password(
        self, issued: IssuedToken, variant: str, password: str
    ) -> Outcome:
        """Set a new password. The token's flow must be a recovery of an
        existing account, and the token is checked before the password."""
        account = self.accounts.get(issued.address)
        if (
            issued.purpose != "recovery"
            or account is None
            or not self.token_valid(issued, variant)
        ):
            return InvalidTokenError, None
        if not PASSWORDS[password]:
            return InvalidPasswordError, None

        flow = self.flows[(issued.purpose, issued.address)]
        flow.state = "password_set"
        flow.token = None
        flow.account_of = issued.address
        account.password = password
        # Every code and verification of the address dies.
        for purpose in ("signup", "recovery"):
            other = self.flow(purpose, issued.address)
            if other is not None and other.state in (
                "code_sent",
                "locked",
                "email_verified",
            ):
                other.state = "expired"
                other.code = None
                other.token = None
        return OK, account.account_id

    def link_child(self, address: str, case: ClaimCase) -> Outcome:
        if case.inconsistent:
            return PermanentCodeMismatchError, None
        account = self.accounts.get(address)
        if account is None:
            return AccountNotFoundError, None
        start = self.now - LINK_FAILURE_WINDOW
        account.failures = [time for time in account.failures if time > start]
        if len(account.failures) >= MAX_LINK_FAILURES:
            window_end = account.failures[0] + LINK_FAILURE_WINDOW
            return LinkLimitError, seconds(window_end - self.now)

        failure = case.failure
        if failure is None and (case.guardian or "").lower() != address:
            failure = "guardian_email_not_on_record"
        if failure is not None or case.student_id is None:
            account.failures.append(self.now)
            return ChildLinkRejectedError, failure

        student = case.student_id
        outcome = "already_linked" if student in account.children else "linked"
        if outcome == "linked":
            account.children.append(student)

        flow = self.flow("signup", address)
        if (
            flow is not None
            and flow.account_of == address
            and flow.state in ("password_set", "children_linked")
        ):
            flow.state = "children_linked"
            if student not in flow.children:
                flow.children.append(student)
        return OK, (outcome, student)


def observe(call: Callable[[], Any]) -> tuple[Outcome, Any]:
    """Call `call` and return its outcome and its result, or None on
    error."""
    try:
        result = call()
    except PortailError as error:
        detail: object = None
        if isinstance(error, CodeRejectedError):
            detail = error.tries_left
        elif isinstance(error, RetryLaterError):
            detail = error.retry_after
        elif isinstance(error, ChildLinkRejectedError):
            detail = error.reason.value
        return (type(error), detail), None
    return (OK, None), result


def describe(outcome: Outcome) -> str:
    """Return the label of an outcome in Hypothesis's statistics."""
    kind, _ = outcome
    return kind if isinstance(kind, str) else getattr(kind, "__name__", "?")


_CODE = re.compile(r"\b[0-9]{6}\b")
_TEMPLATES = MailTemplates()


def code_typed(typed: str) -> str | None:
    """Return the code in `typed`, or None when it cannot be one: spaces
    and dashes between digits are dropped, and six digits must remain."""
    compact = "".join(typed.split()).replace("-", "")
    if len(compact) != 6 or not (compact.isascii() and compact.isdigit()):
        return None
    return compact


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def mail_kind(message: EmailMessage) -> tuple[str, str, str | None]:
    """Return the canonical recipient, the kind and the code of a sent
    message, comparing it with each template rendered for it."""
    recipient = str(message["To"])
    match = _CODE.search(str(message["Subject"]))
    code = match.group() if match else None
    for kind in MailKind:
        try:
            expected = _TEMPLATES.render(
                kind,
                to=Email.parse(recipient),
                language="fr",
                code=code,
                minutes=CODE_LIFETIME // 60,
            )
        except KeyError:  # a code template, and the message has no code
            continue
        if expected["Subject"] == message["Subject"] and plain_text(
            expected
        ) == plain_text(message):
            return recipient.lower(), kind.value, code
    return recipient.lower(), "unrecognized", code


PURPOSES = {"signup": FlowPurpose.SIGNUP, "recovery": FlowPurpose.RECOVERY}
# "as_issued" is listed twice, so half of the tokens are used unchanged.
TOKEN_VARIANTS = ("as_issued", "as_issued", "wrong_secret", "unknown_flow")

addresses = st.sampled_from(ADDRESSES)
purposes = st.sampled_from(tuple(PURPOSES))
request_methods = st.sampled_from(("start", "resend", "start_recovery"))
passwords = st.sampled_from(tuple(PASSWORDS))


class SignupMachine(RuleBasedStateMachine):
    """State machine that drives the service and the model side by side,
    on the in-memory stores; subclasses choose others in `open_stores`."""

    tokens = Bundle("tokens")

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.mailer = MemoryMailer()
        self.hasher = ScryptHasher(log2_n=1)
        self.model = Model()
        self.mailed: dict[tuple[str, str], list[str]] = {}
        """Codes read from the mail of each flow, oldest first."""
        self.checked_mail = 0
        self.wiring = self.open_stores()
        self.service = self.wiring.service

    def open_stores(self) -> Wiring:
        return self.wire()

    def wire(self, **stores: Any) -> Wiring:
        return in_memory(
            roster=ROSTER,
            clock=self.clock,
            mailer=self.mailer,
            hasher=self.hasher,
            keys=(SIGNING_KEY,),
            **stores,
        )

    # Steps shared by the rules.

    def compare(self, action: str, expected: Outcome, got: Outcome) -> None:
        event(f"{action}: {describe(expected)}")
        assert got == expected, (
            f"{action} at {self.model.now} s: "
            f"service {got!r}, model {expected!r}"
        )

    def check_new_mail(self) -> None:
        """Compare the messages sent since the last check with the model,
        and keep each code for the verify rules."""
        outbox = self.mailer.outbox
        for index in range(self.checked_mail, len(outbox)):
            recipient, kind, code = mail_kind(outbox[index])
            assert index < len(self.model.mail), (
                f"unexpected {kind} to {recipient}"
            )
            assert (recipient, kind) == self.model.mail[index], (
                f"message {index} at {self.model.now} s"
            )
            if code is not None:
                purpose = "signup" if kind == "signup_code" else "recovery"
                self.mailed.setdefault((purpose, recipient), []).append(code)
                flow = self.model.flows[(purpose, recipient)]
                flow.code = code
        self.checked_mail = len(outbox)
        assert len(outbox) == len(self.model.mail)

    def request_code(
        self, method: str, address: str, *, delivered: bool = True
    ) -> None:
        purpose = "recovery" if method == "start_recovery" else "signup"
        expected = self.model.request_code(
            purpose, address.lower(), delivered=delivered
        )
        self.mailer.failures = 0 if delivered else 1
        try:
            got, result = observe(
                lambda: getattr(self.service, method)(address)
            )
        finally:
            self.mailer.failures = 0
        if result is not None:
            got = (OK, (result.expires_at, result.resend_at))
        self.compare(method, expected, got)
        self.check_new_mail()

    def verify(
        self, purpose: str, address: str, code: str
    ) -> list[IssuedToken]:
        method = "verify" if purpose == "signup" else "verify_recovery"
        key = address.lower()
        expected = self.model.verify(purpose, key, code)
        got, result = observe(
            lambda: getattr(self.service, method)(address, code)
        )
        self.compare(method, expected, got)
        if result is None:
            return []
        self.model.flows[(purpose, key)].token = result.token
        return [IssuedToken(purpose, key, result.token)]

    def set_password(
        self, issued: IssuedToken, variant: str, password: str
    ) -> None:
        expected = self.model.set_password(issued, variant, password)
        token = self.forge(issued.token, variant)
        got, account = observe(
            lambda: self.service.set_password(token, password)
        )
        if account is not None:
            got = (OK, str(account.email).lower())
        self.compare("set_password", expected, got)
        if account is not None:
            known = {
                other.account_id for other in self.model.accounts.values()
            }
            assert account.account_id not in known
            self.model.accounts[issued.address].account_id = account.account_id

    @staticmethod
    def forge(token: str, variant: str) -> str:
        """Return `token` unchanged, with a wrong secret, or naming a flow
        that does not exist, as `variant` selects."""
        flow_id, _, _ = token.partition(".")
        if variant == "wrong_secret":
            return f"{flow_id}.{'A' * 43}"
        if variant == "unknown_flow":
            return f"{'0' * 32}.{'A' * 43}"
        return token

    # Rules.

    @initialize(
        target=tokens,
        signed_up=st.lists(st.sampled_from(CANONICAL), unique=True),
    )
    def sign_up_some(self, signed_up: list[str]) -> Any:
        """Give some addresses an account before the other steps."""
        issued = []
        for address in signed_up:
            self.request_code("start", address)
            issued += self.complete("signup", address, GOOD_PASSWORD)
        return multiple(*issued)

    @rule(
        method=request_methods,
        address=addresses,
        wait=st.sampled_from((None, -1, 0, 1)),
    )
    def start(self, method: str, address: str, wait: int | None) -> None:
        """Request a code. With `wait` set and the hourly limit reached,
        first move the clock to that many seconds from the end of the
        window of the oldest code."""
        purpose = "recovery" if method == "start_recovery" else "signup"
        flow = self.model.flow(purpose, address.lower())
        if flow is not None and wait is not None:
            window_start = self.model.now - CODE_WINDOW
            recent = [time for time in flow.requests if time > window_start]
            if len(recent) >= MAX_CODES_PER_WINDOW:
                target = recent[0] + CODE_WINDOW + wait
                self.advance_clock(max(0, target - self.model.now))
        self.request_code(method, address)

    @rule(
        method=request_methods,
        address=addresses,
        count=st.integers(1, MAX_CODES_PER_WINDOW + 1),
    )
    def resend_each_minute(
        self, method: str, address: str, count: int
    ) -> None:
        """Request codes one resend delay apart, to reach the hourly
        limit."""
        for _ in range(count):
            self.advance_clock(RESEND_DELAY)
            self.request_code(method, address)

    @rule(method=request_methods, address=addresses)
    def start_mail_down(self, method: str, address: str) -> None:
        self.request_code(method, address, delivered=False)

    @rule(
        target=tokens,
        purpose=purposes,
        address=addresses,
        age=st.integers(0, 2),
        padded=st.booleans(),
    )
    def verify_mailed_code(
        self, purpose: str, address: str, age: int, padded: bool
    ) -> Any:
        """Type the latest mailed code, or an older one (`age` > 0)."""
        mailed = self.mailed.get((purpose, address.lower()), [])
        code = mailed[-1 - age] if age < len(mailed) else "000000"
        if padded:
            code = f" {code}\t"
        return multiple(*self.verify(purpose, address, code))

    @rule(
        target=tokens,
        purpose=purposes,
        address=addresses,
        codes=st.lists(
            st.text("0123456789 ", max_size=7), min_size=1, max_size=6
        ),
    )
    def verify_typed_codes(
        self, purpose: str, address: str, codes: list[str]
    ) -> Any:
        """Type codes in a row, mostly wrong ones."""
        issued = []
        for code in codes:
            issued += self.verify(purpose, address, code)
        return multiple(*issued)

    @rule(target=tokens, address=addresses, password=passwords)
    def complete_signup(self, address: str, password: str) -> Any:
        """Request a code, type the mailed code and set a password, each
        step compared, so that runs reach accounts often."""
        self.request_code("start", address)
        return multiple(*self.complete("signup", address, password))

    @rule(target=tokens, address=addresses, password=passwords)
    def complete_recovery(self, address: str, password: str) -> Any:
        """Request a recovery code, type it and reset the password."""
        self.request_code("start_recovery", address)
        return multiple(*self.complete("recovery", address, password))

    def complete(
        self, purpose: str, address: str, password: str
    ) -> list[IssuedToken]:
        mailed = self.mailed.get((purpose, address.lower()), ["000000"])
        issued = self.verify(purpose, address, mailed[-1])
        for token in issued:
            if purpose == "signup":
                self.set_password(token, "as_issued", password)
            else:
                self.reset(token, "as_issued", password)
        return issued

    @rule(step=st.sampled_from(CLOCK_STEPS))
    def advance(self, step: int) -> None:
        self.advance_clock(step)

    @rule(
        kind=st.sampled_from(DEADLINE_KINDS),
        index=st.integers(0, 3),
        offset=st.sampled_from((-1, 0, 1)),
    )
    def advance_near_deadline(
        self, kind: str, index: int, offset: int
    ) -> None:
        """Move the clock to one second before, at, or after a deadline of
        `kind` (or of any kind, if none is pending), where an off-by-one
        rule would show."""
        deadlines = self.model.deadlines()
        candidates = deadlines[kind] or sorted(
            {time for found in deadlines.values() for time in found}
        )
        if not candidates:
            return
        target = candidates[min(index, len(candidates) - 1)] + offset
        self.advance_clock(max(0, target - self.model.now))

    def advance_clock(self, step: int) -> None:
        self.clock.advance(seconds(step))
        self.model.now += step

    @rule(
        issued=tokens,
        variant=st.sampled_from(TOKEN_VARIANTS),
        password=passwords,
    )
    def set_password_rule(
        self, issued: IssuedToken, variant: str, password: str
    ) -> None:
        self.set_password(issued, variant, password)

    @rule(
        issued=tokens,
        variant=st.sampled_from(TOKEN_VARIANTS),
        password=passwords,
    )
    def reset_password(
        self, issued: IssuedToken, variant: str, password: str
    ) -> None:
        self.reset(issued, variant, password)

    def reset(self, issued: IssuedToken, variant: str, password: str) -> None:
        expected = self.model.reset_password(issued, variant, password)
        token = self.forge(issued.token, variant)
        got, account = observe(
            lambda: self.service.reset_password(token, password)
        )
        if account is not None:
            got = (OK, account.account_id)
        self.compare("reset_password", expected, got)

    @rule(
        address=addresses,
        names=st.lists(st.sampled_from(tuple(CLAIMS)), min_size=1, max_size=6),
        wait=st.sampled_from((None, -1, 0, 1)),
    )
    def link_children(
        self, address: str, names: list[str], wait: int | None
    ) -> None:
        """Send claims in a row. With `wait` set, first move the clock to
        that many seconds from the end of the window of the account's
        oldest failed attempt, if that is still ahead."""
        key = address.lower()
        account = self.model.accounts.get(key)
        account_id = account.account_id if account else "compte-inconnu"
        if account is not None and wait is not None:
            window_start = self.model.now - LINK_FAILURE_WINDOW
            recent = [time for time in account.failures if time > window_start]
            if recent:
                target = recent[0] + LINK_FAILURE_WINDOW + wait
                self.advance_clock(max(0, target - self.model.now))
        for name in names:
            case = CLAIMS[name]
            expected = self.model.link_child(key, case)
            got, result = observe(
                lambda case=case: self.service.link_child(
                    account_id, case.claim
                )
            )
            if result is not None:
                got = (OK, (result.outcome, result.student_id))
            self.compare("link_child", expected, got)

    # Invariants.

    @invariant()
    def flows_agree(self) -> None:
        for address in CANONICAL:
            for purpose, flow_purpose in PURPOSES.items():
                flow = self.service.flow(PARSED[address], flow_purpose)
                modeled = self.model.flow(purpose, address)
                got = None
                if flow is not None:
                    got = (flow.state.value, flow.account_id, flow.children)
                expected = None
                if modeled is not None:
                    owner = self.model.accounts.get(modeled.account_of or "")
                    expected = (
                        modeled.state,
                        owner.account_id if owner else None,
                        tuple(modeled.children),
                    )
                assert got == expected, f"{purpose} flow of {address}"
        assert len(self.wiring.flows) == len(self.model.flows)

    @invariant()
    def accounts_agree(self) -> None:
        for address in CANONICAL:
            stored = self.wiring.accounts.find_by_email(PARSED[address].key)
            modeled = self.model.accounts.get(address)
            assert (stored is None) == (modeled is None), address
            if stored is None or modeled is None:
                continue
            assert stored.account_id == modeled.account_id
            children = [link.student_id for link in stored.children]
            assert children == modeled.children, address
            assert stored.password_hash is not None
            assert self.hasher.verify(modeled.password, stored.password_hash)
        assert len(self.wiring.accounts) == len(self.model.accounts)

    @invariant()
    def mail_agrees(self) -> None:
        self.check_new_mail()


class SQLiteSignupMachine(SignupMachine):
    """The same machine on a fresh SQLite file per run."""

    def open_stores(self) -> Wiring:
        self.folder = Path(tempfile.mkdtemp(prefix="portail-model-"))
        self.database = SQLiteDatabase(self.folder / "portail.db")
        return self.wire(
            flows=self.database.flows, accounts=self.database.accounts
        )

    def teardown(self) -> None:
        self.database.close()
        shutil.rmtree(self.folder, ignore_errors=True)


MACHINE_SETTINGS = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TestInMemory = SignupMachine.TestCase
TestInMemory.settings = MACHINE_SETTINGS
TestSQLite = SQLiteSignupMachine.TestCase
TestSQLite.settings = MACHINE_SETTINGS
