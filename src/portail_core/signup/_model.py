"""Flow states and purposes, shared by the flow and its events."""

from __future__ import annotations

import enum


class FlowPurpose(enum.Enum):
    """Purpose of a flow: creating an account or recovering one."""

    SIGNUP = "signup"
    RECOVERY = "recovery"


class FlowState(enum.Enum):
    """A state of the sign-up state machine.

    A recovery flow uses the first three states and ends in PASSWORD_SET.
    """

    CODE_SENT = "code_sent"
    """A code went out and waits to be entered."""
    EMAIL_VERIFIED = "email_verified"
    """The code was right, or a provider vouched for the email."""
    PASSWORD_SET = "password_set"  # noqa: S105 - a state name, not a secret
    """The account exists with its credential: a password, or on the
    social sign-in path the provider's identity."""
    CHILDREN_LINKED = "children_linked"
    """At least one child was linked during the sign-up."""
    LOCKED = "locked"
    """The last wrong try killed the code; a new one may be requested
    when the dead code's lifetime ends."""
    EXPIRED = "expired"
    """The code or the verified session outlived its lifetime; starting
    again sends a new code and keeps the counters."""
