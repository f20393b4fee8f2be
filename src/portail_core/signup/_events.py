"""Domain events: what a transition did, for audit logs and integrations.

Events carry opaque ids (flow, account, student) and counts, never an
email address, name, birth date, permanent code, code or password, so an
event sink may log them as they are.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from portail_core.signup._model import FlowPurpose


@attrs.frozen(kw_only=True)
class Event:
    """Base class of every domain event."""

    at: datetime

    @property
    def name(self) -> str:
        """Event name for logs, such as ``"CodeSent"``."""
        return type(self).__name__


@attrs.frozen(kw_only=True)
class CodeSent(Event):
    """A verification code was generated and handed to the mailer."""

    flow_id: str
    purpose: FlowPurpose
    expires_at: datetime


@attrs.frozen(kw_only=True)
class NoticeSent(Event):
    """A notice went out instead of a code.

    On sign-up, the address already has an account; on recovery, it has
    none. The caller saw the same result as for a code.
    """

    flow_id: str
    purpose: FlowPurpose


@attrs.frozen(kw_only=True)
class CodeRejected(Event):
    """A wrong code was entered."""

    flow_id: str
    purpose: FlowPurpose
    tries_left: int


@attrs.frozen(kw_only=True)
class FlowLocked(Event):
    """The last try of a code failed: the flow is locked until `until`."""

    flow_id: str
    purpose: FlowPurpose
    until: datetime


@attrs.frozen(kw_only=True)
class FlowExpired(Event):
    """The code or the verified session outlived its lifetime."""

    flow_id: str
    purpose: FlowPurpose


@attrs.frozen(kw_only=True)
class EmailVerified(Event):
    """The right code was entered, or a provider vouched for the email."""

    flow_id: str
    purpose: FlowPurpose
    provider: str | None = None


@attrs.frozen(kw_only=True)
class PasswordSet(Event):
    """A sign-up flow set the new account's password."""

    flow_id: str
    account_id: str


@attrs.frozen(kw_only=True)
class AccountCreated(Event):
    """A new account exists."""

    account_id: str
    flow_id: str | None = None
    """The sign-up flow that created it; None when that flow could not be
    updated."""
    provider: str | None = None


@attrs.frozen(kw_only=True)
class ProviderLinked(Event):
    """An identity provider was linked to an existing account."""

    account_id: str
    provider: str


@attrs.frozen(kw_only=True)
class RecoveryCompleted(Event):
    """A recovery flow set a new password; outstanding codes are void."""

    account_id: str
    flow_id: str


@attrs.frozen(kw_only=True)
class ChildLinked(Event):
    """A child's school record was linked to an account."""

    account_id: str
    student_id: str
    organization_code: str


@attrs.frozen(kw_only=True)
class ChildLinkRejected(Event):
    """A claim to link a child failed; `reason` is for the audit log."""

    account_id: str
    organization_code: str
    reason: str
    """A `LinkFailure` value such as ``"birth_date_differs"``."""
