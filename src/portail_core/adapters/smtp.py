"""An SMTP mailer built on the standard library's `smtplib`.

`SmtpMailer` opens a new connection for every message: it sends one
verification code or notice at a time, so there is no pool to keep alive,
and one instance is safe to share between threads.

Every failure raises `MailDeliveryError` with one of these codes:

* ``mail.connection_failed``: the name did not resolve, the connection
  was refused or reset, or the server closed it;
* ``mail.timed_out``: the server did not reply within `timeout`;
* ``mail.tls_failed``: the TLS handshake or certificate check failed, or
  the server does not offer STARTTLS;
* ``mail.authentication_failed``: the server rejected the login, or
  offers no login;
* ``mail.recipient_rejected``: the server permanently rejected the
  recipient (a 5xx reply), or the address has non-ASCII characters and
  the server does not support SMTPUTF8;
* ``mail.rejected``: the server rejected the sender or the message, or
  rejected the recipient for now (a 4xx reply);
* ``mail.delivery_failed``: any other SMTP error.

The error's ``__cause__`` is the original exception, for the integrator's
logs. The mailer logs one warning per failure with the host, the port and
the exception's class, never the recipient or the message.
"""

from __future__ import annotations

import enum
import ipaddress
import logging
import smtplib
import ssl
from email.message import EmailMessage

import attrs

from portail_core._errors import MailDeliveryError

logger = logging.getLogger(__name__)


class SmtpSecurity(enum.Enum):
    """Protection of the connection to the mail server."""

    NONE = "none"
    """Plain SMTP: the message travels unencrypted."""
    STARTTLS = "starttls"
    """Plain SMTP upgraded to TLS by STARTTLS before anything is sent;
    fails if the server does not offer it."""
    TLS = "tls"
    """Implicit TLS from the first byte (SMTPS)."""


DEFAULT_PORTS = {
    SmtpSecurity.NONE: 25,
    SmtpSecurity.STARTTLS: 587,
    SmtpSecurity.TLS: 465,
}
"""The port each security mode uses when none is given (RFC 8314)."""


def _check_port(
    instance: SmtpMailer,
    attribute: attrs.Attribute[int | None],
    value: int | None,
) -> None:
    if value is not None and not 1 <= value <= 65535:
        raise ValueError(f"port must be between 1 and 65535, not {value}.")


def _check_timeout(
    instance: SmtpMailer, attribute: attrs.Attribute[float], value: float
) -> None:
    if not value > 0:
        raise ValueError(f"timeout must be a positive number, not {value}.")


@attrs.frozen(kw_only=True)
class SmtpMailer:
    """Send each message through an SMTP server, on a new connection.

    `timeout` is in seconds and applies to connecting and to each read
    or write on the connection. `ssl_context` defaults to
    `ssl.create_default_context()`, which checks the server's certificate
    and host name. `local_hostname` is the name sent in EHLO (default: the
    machine's fully qualified name).

    Logging in needs both `username` and `password`. Over
    `SmtpSecurity.NONE` it is allowed only to a loopback host, because
    the password would cross the network unencrypted. The password never
    appears in ``repr()``, ``str()`` or logs.

    NOTE: smtplib's exception, kept as the error's ``__cause__``, may
    quote the server's reply, which can include the recipient's address.
    """

    host: str
    port: int | None = attrs.field(default=None, validator=_check_port)
    """The server's port; None picks the security mode's default port."""
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    ssl_context: ssl.SSLContext | None = attrs.field(default=None, repr=False)
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = attrs.field(default=10.0, validator=_check_timeout)
    local_hostname: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.host:
            raise ValueError("host must name the mail server.")
        if (self.username is None) != (self.password is None):
            raise ValueError(
                "Give both username and password to log in, or neither."
            )
        if self.security is SmtpSecurity.NONE:
            if self.ssl_context is not None:
                raise ValueError("ssl_context needs security STARTTLS or TLS.")
            if self.username is not None and not _is_loopback(self.host):
                raise ValueError(
                    "Logging in without TLS would send the password "
                    f"unencrypted to {self.host}. Use security STARTTLS "
                    "or TLS."
                )

    @property
    def effective_port(self) -> int:
        """The port connected to: `port`, or the security mode's default."""
        return DEFAULT_PORTS[self.security] if self.port is None else self.port

    def send(self, message: EmailMessage) -> None:
        """Send `message` to its ``To``, ``Cc`` and ``Bcc`` addresses.

        Returns once the server accepted the message for every recipient.

        Raises:
            MailDeliveryError: the message was not accepted; see the
                module's documentation for the codes.
        """
        stage = "connect"
        client: smtplib.SMTP | None = None
        try:
            client = self._connect()
            if self.security is SmtpSecurity.STARTTLS:
                stage = "starttls"
                client.starttls(context=self._ssl_context())
            if self.username is not None and self.password is not None:
                stage = "login"
                client.login(self.username, self.password)
            stage = "send"
            refused = client.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            if client is not None:
                client.close()
            raise self._failure(error, stage) from error
        if refused:
            # Some recipients were refused and others accepted.
            client.close()
            failure = smtplib.SMTPRecipientsRefused(refused)
            raise self._failure(failure, stage) from failure
        _quit(client)

    def _connect(self) -> smtplib.SMTP:
        if self.security is SmtpSecurity.TLS:
            return smtplib.SMTP_SSL(
                self.host,
                self.effective_port,
                local_hostname=self.local_hostname,
                timeout=self.timeout,
                context=self._ssl_context(),
            )
        return smtplib.SMTP(
            self.host,
            self.effective_port,
            local_hostname=self.local_hostname,
            timeout=self.timeout,
        )

    def _ssl_context(self) -> ssl.SSLContext:
        if self.ssl_context is not None:
            return self.ssl_context
        return ssl.create_default_context()

    def _failure(self, error: Exception, stage: str) -> MailDeliveryError:
        code = _error_code(error, stage)
        reply = getattr(error, "smtp_code", None)
        logger.warning(
            "SMTP delivery through %s:%d failed during %s: %s%s (%s)",
            self.host,
            self.effective_port,
            stage,
            type(error).__name__,
            "" if reply is None else f", reply {reply}",
            code,
        )
        return MailDeliveryError(code)


# Checked in order, after the cases that depend on the stage: the first
# class that matches gives the code. Every smtplib error is an OSError.
_CODES_BY_CLASS: tuple[tuple[type[Exception], str], ...] = (
    (ssl.SSLError, "mail.tls_failed"),
    (smtplib.SMTPAuthenticationError, "mail.authentication_failed"),
    (smtplib.SMTPServerDisconnected, "mail.connection_failed"),
    (smtplib.SMTPConnectError, "mail.connection_failed"),
    (smtplib.SMTPResponseException, "mail.rejected"),
    (smtplib.SMTPException, "mail.delivery_failed"),
    (OSError, "mail.connection_failed"),
)


def _error_code(error: Exception, stage: str) -> str:
    """Return the `MailDeliveryError` code that describes `error`."""
    # smtplib turns an OSError while reading a reply, a timeout included,
    # into SMTPServerDisconnected; the timeout is then its __context__.
    if _caused_by(error, TimeoutError):
        code = "mail.timed_out"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = error.recipients.values()
        permanent = any(reply_code >= 500 for reply_code, _ in replies)
        code = "mail.recipient_rejected" if permanent else "mail.rejected"
    elif stage == "starttls" and isinstance(error, smtplib.SMTPException):
        # Includes a server that does not offer STARTTLS.
        code = "mail.tls_failed"
    elif stage == "login" and isinstance(error, smtplib.SMTPNotSupportedError):
        # The server offers no AUTH, or none of smtplib's mechanisms.
        code = "mail.authentication_failed"
    elif stage == "send" and isinstance(error, smtplib.SMTPNotSupportedError):
        # The address has non-ASCII characters and the server lacks
        # SMTPUTF8, so asking again cannot help but another address can.
        code = "mail.recipient_rejected"
    else:
        code = next(
            code for kind, code in _CODES_BY_CLASS if isinstance(error, kind)
        )
    return code


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _quit(client: smtplib.SMTP) -> None:
    """Say QUIT and close, ignoring errors: the message is already sent."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _is_loopback(host: str) -> bool:
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
