"""Ports: the small interfaces through which the service reaches the world.

Each port is a `typing.Protocol`, so an adapter needs no base class: any
object with these methods fits. The protocols are runtime-checkable, so
``isinstance(adapter, FlowStore)`` checks that the methods exist. The
in-memory adapters in `portail_core.adapters.memory` are the reference
implementations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from portail_core.signup import (
    Account,
    Event,
    FlowPurpose,
    SignupFlow,
    StudentRecord,
)
from portail_core.values import PermanentCode, RecordNumber

if TYPE_CHECKING:
    from email.message import EmailMessage

EventSink = Callable[[Event], None]
"""A callable that receives each domain event after its step is saved."""


@runtime_checkable
class Clock(Protocol):
    """The source of the current time."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...


@runtime_checkable
class Mailer(Protocol):
    """Sends email messages."""

    def send(self, message: EmailMessage) -> None:
        """Send `message` or raise `MailDeliveryError`.

        A mailer must not return before the message is accepted by the
        next hop (a mail server, a queue), so that a failure can be
        reported to the parent and the code sent again.
        """
        ...


@runtime_checkable
class FlowStore(Protocol):
    """Stores flows, one per purpose and canonical email.

    Saving is compare-and-set: it succeeds only if the stored version is
    still the version the caller read. A flow reads back equal to the one
    saved, field by field, with its times exact to the microsecond.
    """

    def get(self, purpose: FlowPurpose, email_key: str) -> SignupFlow | None:
        """Return the flow for `purpose` and email key, or None."""
        ...

    def get_by_id(self, flow_id: str) -> SignupFlow | None:
        """Return the flow with `flow_id`, or None."""
        ...

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        """Store `flow` if the stored version is `expected_version`.

        `expected_version` 0 means the flow must not exist yet. Returns
        the flow with its new version, `expected_version + 1`.

        Raises:
            ConflictError: another writer saved first, or a flow for the
                same purpose and email already exists.
        """
        ...

    def purge_expired(self, now: datetime) -> int:
        """Delete flows whose `retain_until` is before `now`; return how
        many were deleted."""
        ...


@runtime_checkable
class AccountStore(Protocol):
    """Stores accounts, unique by canonical email.

    An account reads back equal to the one saved, field by field, with its
    times exact to the microsecond.
    """

    def get(self, account_id: str) -> Account | None:
        """Return the account with `account_id`, or None."""
        ...

    def find_by_email(self, email_key: str) -> Account | None:
        """Return the account whose email has key `email_key`, or None."""
        ...

    def add(self, account: Account) -> Account:
        """Store a new account and return it at version 1.

        Raises:
            AccountExistsError: an account has the same email key or the
                same id.
        """
        ...

    def save(self, account: Account, *, expected_version: int) -> Account:
        """Store `account` if the stored version is `expected_version`.

        Returns the account with its new version.

        Raises:
            ConflictError: another writer saved first, or the account does
                not exist.
        """
        ...


@runtime_checkable
class SchoolRecords(Protocol):
    """Finds students in the records of one school organization."""

    def find_by_record_number(
        self, organization_code: str, record_number: RecordNumber
    ) -> StudentRecord | None:
        """Return the organization's student with this record number."""
        ...

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        """Return the organization's student with this permanent code."""
        ...


@runtime_checkable
class Organizations(Protocol):
    """Tells which school organizations subscribe to the portal."""

    def is_subscribed(self, organization_code: str) -> bool:
        """Return whether the organization offers the portal."""
        ...


@runtime_checkable
class PasswordHasher(Protocol):
    """Hashes passwords for storage and checks them."""

    def hash(self, password: str) -> str:
        """Return an encoded hash of `password` with its own salt."""
        ...

    def verify(self, password: str, encoded: str) -> bool:
        """Return whether `password` matches the encoded hash."""
        ...
