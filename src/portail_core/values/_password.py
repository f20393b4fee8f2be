"""Passwords and the policy that accepts them.

The portal's rule: at least 8 characters, with at least one digit, one
lowercase and one uppercase letter. Characters are counted as Unicode code
points after NFC normalization, and classes follow Unicode categories, so
``Éléphant12`` passes (``É`` is an uppercase letter). Following NIST SP
800-63B, section 3.1.1.2, a password is never trimmed or truncated, may
be up to 64 characters by default, and is screened against a list of
common passwords and against the account's own email address.

>>> policy = PasswordPolicy()
>>> policy.parse("Éléphant12")
Password(<hidden>)
>>> policy.problems("court")  # doctest: +NORMALIZE_WHITESPACE
(Problem(code='password.too_short', params=(('min_length', 8),)),
 Problem(code='password.missing_digit', params=()),
 Problem(code='password.missing_uppercase', params=()))
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

import attrs
from unidecode import unidecode

from portail_core._errors import InvalidPasswordError, Problem
from portail_core.values._text import describe_character, nfc, require_str

if TYPE_CHECKING:
    from portail_core.values._email import Email

# A local part shorter than this is not screened: "jo" would reject every
# password that contains those two letters, far more than it protects.
MIN_SCREENED_LOCAL_PART = 4


@attrs.frozen(repr=False, eq=False)
class Password:
    """A password that a `PasswordPolicy` accepted, in NFC form.

    `repr()` and `str()` never show the value; use `reveal()` to hash it.
    Two passwords never compare equal, so no code path can compare them
    in variable time by accident.
    """

    _value: str = attrs.field(alias="value")

    def reveal(self) -> str:
        """Return the password itself, to hand to a password hasher."""
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return "Password(<hidden>)"

    def __str__(self) -> str:
        return "********"


@attrs.frozen
class PasswordPolicy:
    """The rules a new password must meet; every rule is configurable.

    The defaults are the portal's rule, plus the NIST SP 800-63B screens
    against common passwords and the account's email address.
    """

    min_length: int = 8
    max_length: int = 64
    require_digit: bool = True
    require_lowercase: bool = True
    require_uppercase: bool = True
    reject_common: bool = True
    reject_email: bool = True
    common_passwords: frozenset[str] | None = attrs.field(
        default=None, repr=False
    )
    """Lowercase ASCII passwords to reject; None means the bundled list.
    A password is looked up lowercased and with accents removed."""

    def __attrs_post_init__(self) -> None:
        if self.min_length < 1:
            raise ValueError("min_length must be at least 1.")
        if self.max_length < self.min_length:
            raise ValueError("max_length must be at least min_length.")

    def parse(self, text: str, *, email: Email | None = None) -> Password:
        """Return `text` as a Password if it meets every rule.

        `email` is the account's address, screened out of the password.

        Raises:
            InvalidPasswordError: lists every unmet rule at once.
            TypeError: `text` is not a str.
        """
        normalized, problems = self._check(text, email)
        if problems:
            raise InvalidPasswordError.from_problems(problems)
        return Password(normalized)

    def problems(
        self, text: str, *, email: Email | None = None
    ) -> tuple[Problem, ...]:
        """Return every rule that `text` breaks, in a stable order.

        Raises:
            TypeError: `text` is not a str.
        """
        return self._check(text, email)[1]

    def _check(
        self, text: str, email: Email | None
    ) -> tuple[str, tuple[Problem, ...]]:
        """Return the NFC form of `text` and the rules it breaks."""
        text = require_str(text, "A password")
        if not text:
            return text, (Problem("password.empty"),)

        # A huge paste is reported at once, without scanning it further.
        if len(text) > 4 * self.max_length:
            return text, (
                Problem("password.too_long", {"max_length": self.max_length}),
            )

        found: list[Problem] = []
        # Printable text has no character of the categories below, and
        # str.isprintable() checks it in one C loop.
        printable = text.isprintable()
        for character in () if printable else text:
            if unicodedata.category(character) in ("Cc", "Cf", "Cs"):
                # Controls, invisible format characters (zero-width, bidi)
                # and lone surrogates cannot be retyped from a keyboard,
                # and a surrogate has no UTF-8 form to hash.
                found.append(
                    Problem(
                        "password.invalid_character",
                        {"character": describe_character(character)},
                    )
                )
                break

        text = nfc(text)
        if len(text) < self.min_length:
            found.append(
                Problem("password.too_short", {"min_length": self.min_length})
            )
        if len(text) > self.max_length:
            found.append(
                Problem("password.too_long", {"max_length": self.max_length})
            )

        categories = {unicodedata.category(character) for character in text}
        if self.require_digit and "Nd" not in categories:
            found.append(Problem("password.missing_digit"))
        if self.require_lowercase and "Ll" not in categories:
            found.append(Problem("password.missing_lowercase"))
        if self.require_uppercase and not categories & {"Lu", "Lt"}:
            found.append(Problem("password.missing_uppercase"))

        lowered = text.lower()
        if self.reject_email and email is not None:
            found.extend(_email_problems(lowered, email))
        # The list is ASCII, so "Québec2024" is looked up as "quebec2024".
        # A password with a lone surrogate is already rejected, and
        # unidecode warns on one.
        if (
            self.reject_common
            and (printable or not _has_surrogate(lowered))
            and unidecode(lowered) in self._common()
        ):
            found.append(Problem("password.common"))
        return text, tuple(found)

    def _common(self) -> frozenset[str]:
        if self.common_passwords is not None:
            return self.common_passwords
        return bundled_common_passwords()


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= character <= "\udfff" for character in text)


def _email_problems(lowered: str, email: Email) -> list[Problem]:
    # The key has the domain in punycode, while a parent types the
    # Unicode form, so both forms of the whole address are screened.
    if email.key in lowered or email.address.lower() in lowered:
        return [Problem("password.contains_email")]
    local_part = email.key.rpartition("@")[0]
    if len(local_part) >= MIN_SCREENED_LOCAL_PART and local_part in lowered:
        return [Problem("password.contains_email")]
    return []


@functools.cache
def bundled_common_passwords() -> frozenset[str]:
    """Load the bundled list of common passwords, lowercased, once."""
    # Imported here: importlib.resources loads a dozen modules, which
    # a program that never checks a password should not pay for.
    from importlib import resources  # noqa: PLC0415

    text = (
        resources.files("portail_core")
        .joinpath("data/common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )
