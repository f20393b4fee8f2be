"""The emails the service sends, rendered from overridable templates.

Each kind of email has two templates per language, both UTF-8:

* ``KIND.LANGUAGE.txt``, the plain-text part: a first line
  ``Subject: …``, a blank line, then the body;
* ``KIND.LANGUAGE.html``, the HTML part: a whole HTML document, without a
  subject line. It must need no external resource (no remote image, font
  or style sheet, and only ``style`` attributes), because mail clients
  block or strip them.

The message is ``multipart/alternative`` with the text part first. Both
files use `string.Template` placeholders, and ``$$`` writes a literal
``$``:

* ``$code``: the verification code, in the ``signup_code`` and
  ``recovery_code`` kinds only;
* ``$minutes``: how many minutes the code stays valid;
* ``$sender_address``: the sender's address, for the hint to add it to
  the contacts so that the next email does not land in spam.

Values substituted into the HTML part are escaped with `html.escape`, so
a template must not escape them again. The bundled templates live in the
package's ``templates`` folder; `MailTemplates` can read an integrator's
folder first and fall back to them file by file.
"""

from __future__ import annotations

import enum
import functools
import html
import string
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from importlib import resources
from pathlib import Path

import attrs

from portail_core._errors import Language
from portail_core.values import Email


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
    """Renders each `MailKind` into a text and HTML `EmailMessage`.

    `folder`, when given, is searched first for each ``KIND.LANGUAGE.txt``
    and ``KIND.LANGUAGE.html`` file; each missing file comes from the
    bundled templates. Override both files of a kind and language to keep
    the two parts saying the same thing.
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
            KeyError: a template uses a placeholder not given here.
            ValueError: a text template does not start with its subject.
        """
        subject, body = _split(self._template(kind, language, "txt"))
        page = self._template(kind, language, "html")
        values = {
            key: str(value)
            for key, value in (
                ("code", code),
                ("minutes", minutes),
                ("sender_address", parseaddr(self.sender)[1]),
            )
            if value is not None
        }
        escaped = {key: html.escape(value) for key, value in values.items()}

        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = _address(to)
        message["Subject"] = string.Template(subject).substitute(values)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(string.Template(body).substitute(values))
        message.add_alternative(
            string.Template(page).substitute(escaped), subtype="html"
        )
        return message

    def _template(
        self, kind: MailKind, language: Language, extension: str
    ) -> str:
        name = f"{kind.value}.{language}.{extension}"
        if self.folder is not None:
            custom = self.folder / name
            if custom.is_file():
                return custom.read_text(encoding="utf-8")
        return _bundled_template(name)


@functools.cache
def _bundled_template(name: str) -> str:
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
    local_part, _, domain = str(email).rpartition("@")
    return Address(username=local_part, domain=domain)
