"""Fixtures of the sign-up unit tests: a signer, settings and flow builders.

Every flow starts at `START`, so each test can state its times as offsets
from it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from portail_core.signup import (
    CodeSigner,
    FlowPurpose,
    FlowState,
    SignupFlow,
    SignupSettings,
    Step,
)
from portail_core.values import Email

START = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
CODE = "123456"
TOKEN = "token-of-the-verified-session"
SIGNING_KEY = b"k" * 32


@attrs.frozen(kw_only=True)
class FlowKit:
    """Builds flows in each state with one signer and one set of settings.

    `in_state` returns the flow and the time at which a test applies the
    next transition: after the resend delay, before the code expires, and
    while a lock lasts.
    """

    signer: CodeSigner
    settings: SignupSettings
    email: Email
    start_at: datetime = START
    code: str = CODE
    token: str = TOKEN

    def start(
        self,
        *,
        code: str = CODE,
        decoy: bool = False,
        now: datetime = START,
        purpose: FlowPurpose = FlowPurpose.SIGNUP,
        flow_id: str = "flow-1",
    ) -> Step:
        return SignupFlow.start(
            flow_id=flow_id,
            purpose=purpose,
            email=self.email,
            code=code,
            decoy=decoy,
            now=now,
            signer=self.signer,
            settings=self.settings,
        )

    def verify(self, flow: SignupFlow, code: str, now: datetime) -> Step:
        return flow.verify(
            code,
            token=self.token,
            now=now,
            signer=self.signer,
            settings=self.settings,
        )

    def request_code(
        self, flow: SignupFlow, now: datetime, *, code: str = CODE
    ) -> Step:
        return flow.request_code(
            code=code,
            decoy=False,
            now=now,
            signer=self.signer,
            settings=self.settings,
        )

    def set_password(
        self, flow: SignupFlow, token: str, now: datetime
    ) -> Step:
        return flow.set_password(
            token,
            account_id="account-1",
            now=now,
            signer=self.signer,
            settings=self.settings,
        )

    def lock(self, flow: SignupFlow, now: datetime) -> Step:
        """Send wrong codes until the flow locks, and return the last step."""
        step = Step(flow=flow)
        for _ in range(self.settings.max_wrong_tries):
            step = self.verify(step.flow, "000000", now)
        return step

    def in_state(
        self,
        state: FlowState,
        purpose: FlowPurpose = FlowPurpose.SIGNUP,
    ) -> tuple[SignupFlow, datetime]:
        """Return a flow in `state` and when to apply a transition to it."""
        minute = timedelta(minutes=1)
        flow = self.start(purpose=purpose).flow
        if state is FlowState.CODE_SENT:
            return flow, START + 2 * minute
        if state is FlowState.LOCKED:
            return self.lock(flow, START + minute).flow, START + 2 * minute
        if state is FlowState.EXPIRED:
            expired_at = START + self.settings.code_lifetime
            expired = flow.refreshed(expired_at, self.settings).flow
            return expired, expired_at + 2 * minute
        flow = self.verify(flow, self.code, START + minute).flow
        if state is FlowState.EMAIL_VERIFIED:
            return flow, START + 2 * minute
        flow = self.set_password(flow, self.token, START + 2 * minute).flow
        if state is FlowState.PASSWORD_SET:
            return flow, START + 3 * minute
        flow = flow.record_child(
            "student-1", now=START + 3 * minute, settings=self.settings
        ).flow
        return flow, START + 4 * minute


@pytest.fixture
def settings() -> SignupSettings:
    return SignupSettings()


@pytest.fixture
def signer() -> CodeSigner:
    return CodeSigner((SIGNING_KEY,))


@pytest.fixture
def kit(signer: CodeSigner, settings: SignupSettings) -> FlowKit:
    return FlowKit(
        signer=signer,
        settings=settings,
        email=Email.parse("parent.test@courriel.example"),
    )
