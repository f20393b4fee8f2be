"""The emails the service sends, rendered from overridable templates.

Each template is a text file named ``KIND.LANGUAGE.txt`` whose first line
is ``Subject: …``, then a blank line, then the body. Placeholders use
`string.Template` syntax (``$code``, ``$minutes``). The bundled templates
live in the package's ``templates`` folder; `MailTemplates` can read an
integrator's folder first and fall back to them.
"""

from __future__ import annotations

import enum
import functools
import string
from typing import TYPE_CHECKING

import attrs

from portail_core._errors import Language
from portail_core.values import Email

if TYPE_CHECKING:
    from email.headerregistry import Address
    from email.message import EmailMessage
    from pathlib import Path


class MailKind(enum.Enum):
    """Kind of email the service sends."""

    SIGNUP_CODE = "signup_code"
    """The verification code for a new account."""
    SIGNUP_EXISTS = "signup_exists"
    """Notice that the address already has an account."""
    RECOVERY_CODE = "recovery_code"
    """The code to reset a forgotten password."""
    RECOVERY_UNKNOWN = "recovery_unknown"
    """Notice that no account exists for the address."""


@attrs.frozen
class MailTemplates:
    """Renders each `MailKind` into an `EmailMessage`.

    `folder`, when given, is searched first for ``KIND.LANGUAGE.txt``
    files; missing ones come from the bundled templates.
    """

    sender: str = "Portail parents <no-reply@portail-parents.example>"
    folder: Path | None = None

    def render(
        self,
        kind: MailKind,
        *,
        to: Email,
        language: Language,
        code: str | None = None,
        minutes: int | None = None,
    ) -> EmailMessage:
        """Build the message of `kind` for `to`, in `language`.

        Raises:
            KeyError: the template uses a placeholder not given here.
        """
        # The email package loads some thirty modules; it is imported when
        # the first message is built, not when the service is.
        from email.message import EmailMessage  # noqa: PLC0415

        subject, body = _split(self._template_text(kind, language))
        values = {
            key: str(value)
            for key, value in (("code", code), ("minutes", minutes))
            if value is not None
        }
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = _address(to)
        message["Subject"] = string.Template(subject).substitute(values)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(string.Template(body).substitute(values))
        return message

    def _template_text(self, kind: MailKind, language: Language) -> str:
        name = f"{kind.value}.{language}.txt"
        if self.folder is not None:
            custom = self.folder / name
            if custom.is_file():
                return custom.read_text(encoding="utf-8")
        return _bundled_template(name)


@functools.cache
def _bundled_template(name: str) -> str:
    from importlib import resources  # noqa: PLC0415 - see _password.py

    return (
        resources.files("portail_core")
        .joinpath("templates", name)
        .read_text(encoding="utf-8")
    )


def _split(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(
            "A mail template must start with a 'Subject: …' line."
        )
    return first.removeprefix("Subject:").strip(), rest.lstrip("\n")


def _address(email: Email) -> Address:
    from email.headerregistry import Address  # noqa: PLC0415

    local_part, _, domain = str(email).rpartition("@")
    return Address(username=local_part, domain=domain)
