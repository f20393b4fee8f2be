"""A parent's account: credentials, linked children and link attempts."""

from __future__ import annotations

from datetime import datetime

import attrs

from portail_core._copy import copied_by_dict, replace
from portail_core.signup._linking import LinkLimitError, StudentRecord
from portail_core.signup._settings import SignupSettings
from portail_core.values import Email


@attrs.frozen(kw_only=True)
class ChildLink:
    """A child linked to an account."""

    student_id: str
    organization_code: str
    linked_at: datetime


@attrs.frozen(kw_only=True)
class LinkAttempt:
    """A child-link attempt counted against the account's limit.

    An attempt is reserved before the claim is checked, so parallel
    attempts can never exceed the limit; a success releases it.
    """

    attempt_id: str
    at: datetime


# Fields in a __dict__, which `replace` copies in one call.
@copied_by_dict
@attrs.frozen(kw_only=True, repr=False, slots=False)
class Account:
    """A parent's account, identified by its canonical email."""

    account_id: str
    email: Email
    created_at: datetime
    password_hash: str | None = None
    """Encoded hash from the `PasswordHasher`; None on the social path."""
    providers: tuple[str, ...] = ()
    """Identity providers that vouched for this account's email."""
    children: tuple[ChildLink, ...] = ()
    link_attempts: tuple[LinkAttempt, ...] = ()
    """Failed or pending link attempts within the failure window."""
    version: int = 0
    """Version the store read; stores set it."""

    def has_child(self, student_id: str) -> bool:
        """Return whether the student is linked to this account."""
        return any(link.student_id == student_id for link in self.children)

    def with_child(self, record: StudentRecord, now: datetime) -> Account:
        """Return the account with `record`'s student linked once."""
        if self.has_child(record.student_id):
            return self
        return replace(self, children=self._children_with(record, now))

    def reserve_link_attempt(
        self, attempt_id: str, now: datetime, settings: SignupSettings
    ) -> Account:
        """Return the account with one more link attempt counted.

        Raises:
            LinkLimitError: the account already has
                `settings.max_link_failures` attempts in the window.
        """
        start = now - settings.link_failure_window
        recent = tuple(
            attempt for attempt in self.link_attempts if attempt.at > start
        )
        if len(recent) >= settings.max_link_failures:
            raise LinkLimitError(
                recent[0].at + settings.link_failure_window - now
            )
        attempt = LinkAttempt(attempt_id=attempt_id, at=now)
        return replace(self, link_attempts=(*recent, attempt))

    def release_link_attempt(self, attempt_id: str) -> Account:
        """Return the account without the attempt, after a success."""
        return replace(self, link_attempts=self._attempts_without(attempt_id))

    def complete_link_attempt(
        self, attempt_id: str, record: StudentRecord, now: datetime
    ) -> Account:
        """Return the account without the attempt and with `record`'s
        student linked once: `release_link_attempt`, then `with_child`,
        in one copy."""
        return replace(
            self,
            link_attempts=self._attempts_without(attempt_id),
            children=self._children_with(record, now),
        )

    def _attempts_without(self, attempt_id: str) -> tuple[LinkAttempt, ...]:
        return tuple(
            attempt
            for attempt in self.link_attempts
            if attempt.attempt_id != attempt_id
        )

    def _children_with(
        self, record: StudentRecord, now: datetime
    ) -> tuple[ChildLink, ...]:
        """Return the children with `record`'s student added, unless it is
        already linked."""
        if self.has_child(record.student_id):
            return self.children
        link = ChildLink(
            student_id=record.student_id,
            organization_code=record.organization_code,
            linked_at=now,
        )
        return (*self.children, link)

    def __repr__(self) -> str:
        return (
            f"Account(account_id={self.account_id!r}, "
            f"children={len(self.children)}, version={self.version})"
        )
