"""The error hierarchy: one base class, a stable code per failure.

Every error carries one or more `Problem` objects. A problem has a stable
code such as ``"password.too_short"`` and the values its message needs,
never the private value that failed. `PortailError.message` renders the
problems in French (the default) or English from the message catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Literal, Self

import attrs

from portail_core._catalogue import MESSAGES

Language = Literal["fr", "en"]
"""A language of the message catalogue: ``"fr"`` (Quebec usage) or
``"en"``."""

ParamValue = str | int

LANGUAGES: tuple[Language, ...] = ("fr", "en")


def _freeze_params(
    params: Mapping[str, ParamValue] | Iterable[tuple[str, ParamValue]],
) -> tuple[tuple[str, ParamValue], ...]:
    # Most problems have no values, and copying and sorting an empty dict
    # costs more than the rest of building the problem.
    if not params:
        return ()
    return tuple(sorted(dict(params).items()))


@attrs.frozen
class Problem:
    """One failed rule: a stable code and the values its message needs."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = attrs.field(
        default=(), converter=_freeze_params
    )

    def __attrs_post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise LookupError(
                f"Internal error: message code {self.code!r} is missing "
                "from the catalogue in portail_core._catalogue."
            )

    def message(self, language: Language = "fr") -> str:
        """Render this problem's message in `language`."""
        french, english = MESSAGES[self.code]
        template = french if language == "fr" else english
        return template.format_map(dict(self.params))


# Errors raised without values share one Problem per catalogue code. A
# Problem is immutable, and building one was the slowest step of raising
# an error.
_PROBLEMS_WITHOUT_PARAMS = {code: Problem(code) for code in MESSAGES}


class PortailError(Exception):
    """Base class of every error that portail-core raises on purpose.

    `code` is the first problem's code. `str()` gives the English
    messages, for logs; show parents `message()` in their language.
    """

    problems: tuple[Problem, ...]

    def __init__(self, code: str, /, **params: ParamValue) -> None:
        problem = None if params else _PROBLEMS_WITHOUT_PARAMS.get(code)
        if problem is None:
            # Problem raises LookupError for a code not in the catalogue.
            problem = Problem(code, params)
        self.problems = (problem,)
        super().__init__(code)

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> Self:
        """Build one error that reports several problems at once."""
        collected = tuple(problems)
        if not collected:
            raise ValueError("An error needs at least one problem.")
        error = cls.__new__(cls)
        Exception.__init__(error, collected[0].code)
        error.problems = collected
        return error

    @property
    def code(self) -> str:
        """Stable code of the first problem, for programs and audit logs."""
        return self.problems[0].code

    @property
    def codes(self) -> tuple[str, ...]:
        """Stable codes of every problem, in the order they were found."""
        return tuple(problem.code for problem in self.problems)

    def param(self, name: str) -> ParamValue | None:
        """Return a message value of the first problem, or None."""
        return dict(self.problems[0].params).get(name)

    def message(self, language: Language = "fr") -> str:
        """Render every problem's message in `language`, one per line."""
        return "\n".join(
            problem.message(language) for problem in self.problems
        )

    def __str__(self) -> str:
        return " ".join(
            f"[{problem.code}] {problem.message('en')}"
            for problem in self.problems
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self.codes))})"


class ValidationError(PortailError, ValueError):
    """A value typed by a parent or an integrator breaks a rule."""


class InvalidEmailError(ValidationError):
    """An email address is not one the portal can accept."""


class InvalidPasswordError(ValidationError):
    """A password breaks the password policy; `problems` lists every rule."""


class InvalidPermanentCodeError(ValidationError):
    """A permanent code is not 4 letters and 8 digits with a valid date."""


class InvalidRecordNumberError(ValidationError):
    """A record number is not 1 to 7 digits."""


class InvalidNameError(ValidationError):
    """A family name or given name is empty, too long or has bad characters."""


class InvalidBirthDateError(ValidationError):
    """A birth date cannot be read, is impossible or is implausible."""


class UnknownOrganizationError(ValidationError):
    """No school organization matches a code or name.

    `suggestions` contains the closest organizations, best first.
    """

    suggestions: tuple[object, ...] = ()


class FlowError(PortailError):
    """A sign-up or recovery step cannot be applied to the flow."""


class InvalidTransitionError(FlowError):
    """A step was requested in a state that does not allow it."""

    def __init__(self, state: str, transition: str) -> None:
        super().__init__(
            "flow.invalid_transition", state=state, transition=transition
        )
        self.state = state
        self.transition = transition


class RetryLaterError(FlowError):
    """A step is rejected for now; `retry_after` gives the wait."""

    def __init__(self, code: str, retry_after: timedelta) -> None:
        seconds = max(1, _ceil_seconds(retry_after))
        super().__init__(
            code,
            retry_after_seconds=seconds,
            retry_after_minutes=-(-seconds // 60),
        )
        self.retry_after = retry_after


class ResendTooSoonError(RetryLaterError):
    """A new code was requested before the resend delay passed."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("code.resend_too_soon", retry_after)


class TooManyCodesError(RetryLaterError):
    """Too many codes were requested for one email within the window."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("code.too_many_requests", retry_after)


class FlowLockedError(RetryLaterError):
    """Too many wrong codes: the flow is locked until its window passes."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("flow.locked", retry_after)


class CodeRejectedError(FlowError):
    """The code typed is wrong; `tries_left` counts the tries that remain."""

    def __init__(self, tries_left: int) -> None:
        super().__init__("code.rejected", tries_left=tries_left)
        self.tries_left = tries_left


class CodeExpiredError(FlowError):
    """The code's lifetime has passed; the parent must ask for a new one."""

    def __init__(self) -> None:
        super().__init__("code.expired")


class AlreadyVerifiedError(FlowError):
    """A code was entered for an email that is already verified."""

    def __init__(self) -> None:
        super().__init__("code.already_verified")


class MalformedCodeError(ValidationError):
    """The text entered is not a code: not the right number of digits.

    It does not count as a try, since it cannot be a guess.
    """

    def __init__(self, digits: int) -> None:
        super().__init__("code.malformed", digits=digits)


class InvalidTokenError(FlowError):
    """A verification token is unknown, already used or expired."""

    def __init__(self) -> None:
        super().__init__("flow.invalid_token")


class StoreError(PortailError):
    """A store could not read or write a record."""


class ConflictError(StoreError):
    """Another writer saved the record first; reload it and try again."""

    def __init__(self) -> None:
        super().__init__("store.conflict")


class AccountExistsError(StoreError):
    """An account with the same canonical email already exists."""

    def __init__(self) -> None:
        super().__init__("account.exists")


class AccountNotFoundError(PortailError):
    """No account has the given id."""

    def __init__(self) -> None:
        super().__init__("account.not_found")


class MailDeliveryError(PortailError):
    """The mailer could not hand the message to the mail server."""


def _ceil_seconds(duration: timedelta) -> int:
    whole = int(duration.total_seconds())
    return whole + (1 if duration.total_seconds() > whole else 0)
