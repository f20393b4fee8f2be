"""Settings of the sign-up, recovery and child-linking rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs


def _positive(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if isinstance(value, timedelta):
        positive = value > timedelta(0)
    else:
        positive = isinstance(value, int) and value > 0
    if not positive:
        raise ValueError(f"{attribute.name} must be positive, got {value!r}.")


@attrs.frozen(kw_only=True)
class SignupSettings:
    """Limits of codes, flows and child linking; every value is a default.

    The code defaults follow the one-time passcode defaults of Azure AD B2C
    (6 digits, 10 minutes, 5 tries, 10 codes per address in the window)
    and NIST SP 800-63B, which requires at least 6 digits and rate
    limiting.
    """

    code_digits: int = attrs.field(default=6, validator=_positive)
    """Digits in a verification code."""
    code_lifetime: timedelta = attrs.field(
        default=timedelta(minutes=10), validator=_positive
    )
    """How long a code is valid; it expires at exactly this age."""
    max_wrong_tries: int = attrs.field(default=5, validator=_positive)
    """Wrong codes accepted per code; the last one locks the flow until
    the code's lifetime ends."""
    max_failures_per_window: int = attrs.field(default=20, validator=_positive)
    """Wrong codes one address may enter within `failure_window`, across
    all its codes. The last one locks the flow until the oldest of them
    leaves the window. Without this limit, a new code every minute would
    allow some 40 guesses an hour, day after day."""
    failure_window: timedelta = attrs.field(
        default=timedelta(days=1), validator=_positive
    )
    """Sliding window over which `max_failures_per_window` counts."""
    resend_delay: timedelta = attrs.field(
        default=timedelta(seconds=60), validator=_positive
    )
    """Minimum time between two codes for one address."""
    max_codes_per_window: int = attrs.field(default=10, validator=_positive)
    """Codes (or notices) one address may receive within `code_window`."""
    code_window: timedelta = attrs.field(
        default=timedelta(hours=1), validator=_positive
    )
    """Sliding window over which `max_codes_per_window` counts."""
    verified_lifetime: timedelta = attrs.field(
        default=timedelta(hours=1), validator=_positive
    )
    """Time to set the password after the email was verified."""
    completed_retention: timedelta = attrs.field(
        default=timedelta(days=1), validator=_positive
    )
    """How long a finished flow is kept before it may be purged."""
    max_link_failures: int = attrs.field(default=5, validator=_positive)
    """Failed child-link attempts one account may make in the window."""
    link_failure_window: timedelta = attrs.field(
        default=timedelta(hours=1), validator=_positive
    )
    """Sliding window over which `max_link_failures` counts."""
    max_conflict_retries: int = attrs.field(default=8, validator=_positive)
    """Times the service reloads and retries a step after a store
    conflict before it gives up with `ConflictError`."""
