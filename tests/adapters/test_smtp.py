"""SmtpMailer against real servers on 127.0.0.1: aiosmtpd for SMTP, and
a plain socket for a server that never replies.

Each server listens on a port the operating system chooses and stops at
the end of its test. The certificate of the STARTTLS and TLS tests is
self-signed and made once per session.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from portail_core import FlowState, MailDeliveryError
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.adapters.smtp import SmtpMailer, SmtpSecurity, _error_code
from portail_core.compose import Wiring, in_memory

LOOPBACK = "127.0.0.1"
PARENT = "parent@courriel.example"
UNICODE_PARENT = "élise.côté@courriel.example"
START = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
USERNAME = "portail"
PASSWORD = "Mot-de-passe-SMTP-7"
SHORT_TIMEOUT = 0.5
CODE = re.compile(r"\b[0-9]{6}\b")


# Servers.


class Recorder:
    """An aiosmtpd handler that keeps each message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.encrypted: list[bool] = []
        self.authenticated: list[bool] = []

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        assert isinstance(envelope.content, bytes)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        self.encrypted.append(session.ssl is not None)
        self.authenticated.append(bool(session.authenticated))
        return "250 2.0.0 OK"


class RecipientRejecter(Recorder):
    """Rejects every recipient with `reply`."""

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        return self.reply


class DataRejecter(Recorder):
    """Records the message, then rejects it."""

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        await super().handle_DATA(server, session, envelope)
        return "554 5.6.0 Message rejected"


class LoopbackController(Controller):
    """An aiosmtpd server on 127.0.0.1 and a port the OS chooses."""

    def __init__(self, handler: Recorder, **smtp_options: Any) -> None:
        # server_hostname spares aiosmtpd a lookup of the machine's name.
        super().__init__(
            handler,
            hostname=LOOPBACK,
            port=0,
            server_hostname="localhost",
            **smtp_options,
        )
        self.recorder = handler

    def _trigger_server(self) -> None:
        # The listening socket is bound by now, so its port is known.
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts and never sends a byte."""

    def __init__(self) -> None:
        self._listener = socket.create_server((LOOPBACK, 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._connections.append(connection)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        for connection in self._connections:
            connection.close()
        self._listener.close()


StartServer = Callable[..., LoopbackController]


@pytest.fixture
def serve() -> Iterator[StartServer]:
    """Start aiosmtpd servers on loopback; stop them all at teardown."""
    started: list[LoopbackController] = []

    def start(
        handler: Recorder | None = None, **smtp_options: Any
    ) -> LoopbackController:
        controller = LoopbackController(handler or Recorder(), **smtp_options)
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.stop()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port with nothing listening: connecting is refused.

    The socket stays bound, without listening, so that no other program
    can take the port during the test.
    """
    with socket.socket() as bound:
        bound.bind((LOOPBACK, 0))
        yield bound.getsockname()[1]


# Certificates.


def self_signed(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """Return a certificate for 127.0.0.1 and localhost, valid for a day
    either side of now, signed with `key` itself."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    public_key = key.public_key()
    now = datetime.now(UTC)
    names = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address(LOOPBACK)),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )

    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
    )
    # A self-signed certificate is its own authority, so it is a CA that
    # may sign certificates; strict checking requires the key identifiers.
    builder = (
        builder.add_extension(names, critical=False)
        .add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
            critical=False,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(public_key),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key),
            critical=False,
        )
    )
    return builder.sign(key, hashes.SHA256())


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return the paths of a self-signed certificate and of its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    folder = tmp_path_factory.mktemp("tls")
    certificate_path = folder / "certificate.pem"
    key_path = folder / "key.pem"

    certificate_path.write_bytes(
        self_signed(key).public_bytes(serialization.Encoding.PEM)
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


@pytest.fixture
def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts only the test certificate.

    It checks strictly, as `ssl.create_default_context()` does from
    Python 3.13 on, so that the certificate works with every supported
    Python.
    """
    context = ssl.create_default_context(cafile=certificate[0])
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    return context


# Helpers.


def portal(mailer: SmtpMailer) -> Wiring:
    return in_memory(
        mailer=mailer,
        hasher=ScryptHasher(log2_n=1),
        clock=ManualClock(START),
    )


def loopback_mailer(**options: Any) -> SmtpMailer:
    """Return a mailer to 127.0.0.1 that names itself ``localhost``.

    Without a local host name, smtplib looks up the machine's own name,
    which may query DNS.
    """
    return SmtpMailer(
        host=LOOPBACK, **{"local_hostname": "localhost", **options}
    )


def plain_mailer(port: int, **options: Any) -> SmtpMailer:
    return loopback_mailer(port=port, security=SmtpSecurity.NONE, **options)


def code_in(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    codes = CODE.findall(body.get_content())
    assert len(codes) == 1, codes
    return str(codes[0])


def sign_up(wiring: Wiring, recorder: Recorder) -> None:
    """Start a sign-up, read the code from the server, and verify it."""
    sent_before = len(recorder.messages)

    wiring.service.start(PARENT)

    assert len(recorder.messages) == sent_before + 1
    assert recorder.recipients[-1] == [PARENT]
    verification = wiring.service.verify(
        PARENT, code_in(recorder.messages[-1])
    )
    assert verification.token


def fail_then_resend(
    wiring: Wiring, serve: StartServer, code: str
) -> MailDeliveryError:
    """Check that a start fails with `code` and that a working mail
    server then takes a new code at once."""
    with pytest.raises(MailDeliveryError) as failure:
        wiring.service.start(PARENT)
    assert failure.value.code == code
    flow = wiring.service.flow(PARENT)
    assert flow is not None
    assert flow.code_requests == ()

    working = serve()
    wiring.service.mailer = plain_mailer(working.port)
    sign_up(wiring, working.recorder)
    flow = wiring.service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.EMAIL_VERIFIED
    assert len(flow.code_requests) == 1
    return failure.value


def authenticator(
    mechanisms: list[str],
) -> Callable[[SMTP, Session, Envelope, str, Any], AuthResult]:
    """Return an aiosmtpd authenticator that accepts only `USERNAME` and
    `PASSWORD`, and records each mechanism used."""

    def check(
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        mechanisms.append(mechanism)
        valid = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USERNAME.encode()
            and auth_data.password == PASSWORD.encode()
        )
        # handled=False makes aiosmtpd send the 535 reply on failure.
        return AuthResult(success=valid, handled=False, auth_data=auth_data)

    return check


# Delivery.


def test_plain_delivers_code(serve: StartServer) -> None:
    server = serve()
    wiring = portal(plain_mailer(server.port))

    sign_up(wiring, server.recorder)

    assert server.recorder.encrypted == [False]


def test_plain_keeps_message(serve: StartServer) -> None:
    server = serve()
    wiring = portal(plain_mailer(server.port))

    wiring.service.start(PARENT)

    received = server.recorder.messages[0]
    assert received["To"] == PARENT
    assert received["Auto-Submitted"] == "auto-generated"
    assert code_in(received) in str(received["Subject"])
    html = received.get_body(preferencelist=("html",))
    assert html is not None
    assert code_in(received) in html.get_content()


def test_non_ascii_address_delivered(serve: StartServer) -> None:
    server = serve(enable_SMTPUTF8=True)
    wiring = portal(plain_mailer(server.port))

    wiring.service.start(UNICODE_PARENT)

    assert server.recorder.recipients == [[UNICODE_PARENT]]
    received = server.recorder.messages[0]
    assert wiring.service.verify(UNICODE_PARENT, code_in(received)).token


def test_starttls_delivers_code(
    serve: StartServer,
    server_context: ssl.SSLContext,
    client_context: ssl.SSLContext,
) -> None:
    server = serve(tls_context=server_context, require_starttls=True)
    mailer = loopback_mailer(
        port=server.port,
        security=SmtpSecurity.STARTTLS,
        ssl_context=client_context,
    )

    sign_up(portal(mailer), server.recorder)

    assert server.recorder.encrypted == [True]


def test_implicit_tls_delivers_code(
    serve: StartServer,
    server_context: ssl.SSLContext,
    client_context: ssl.SSLContext,
) -> None:
    server = serve(ssl_context=server_context)
    mailer = loopback_mailer(
        port=server.port,
        security=SmtpSecurity.TLS,
        ssl_context=client_context,
    )

    sign_up(portal(mailer), server.recorder)

    assert len(server.recorder.messages) == 1


def test_local_hostname_sent_in_ehlo(serve: StartServer) -> None:
    names: list[str] = []

    class EhloRecorder(Recorder):
        async def handle_EHLO(  # noqa: N802 (aiosmtpd's hook name)
            self,
            server: SMTP,
            session: Session,
            envelope: Envelope,
            hostname: str,
            responses: list[str],
        ) -> list[str]:
            names.append(hostname)
            session.host_name = hostname
            return responses

    server = serve(EhloRecorder())
    mailer = plain_mailer(server.port, local_hostname="portail.example")

    portal(mailer).service.start(PARENT)

    assert names == ["portail.example"]


def test_quit_error_ignored(serve: StartServer) -> None:
    # The message is accepted before QUIT, so a failed QUIT must not
    # withdraw the code that the parent is about to receive.
    class QuitRejecter(Recorder):
        async def handle_QUIT(  # noqa: N802 (aiosmtpd's hook name)
            self, server: SMTP, session: Session, envelope: Envelope
        ) -> str:
            return "421 4.3.0 Shutting down"

    server = serve(QuitRejecter())

    sign_up(portal(plain_mailer(server.port)), server.recorder)


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_login_delivers_code(serve: StartServer, mechanism: str) -> None:
    other = "PLAIN" if mechanism == "LOGIN" else "LOGIN"
    mechanisms: list[str] = []
    server = serve(
        authenticator=authenticator(mechanisms),
        auth_require_tls=False,
        auth_exclude_mechanism=[other],
    )
    mailer = plain_mailer(server.port, username=USERNAME, password=PASSWORD)

    sign_up(portal(mailer), server.recorder)

    assert mechanisms == [mechanism]
    assert server.recorder.authenticated == [True]


def test_login_over_starttls(
    serve: StartServer,
    server_context: ssl.SSLContext,
    client_context: ssl.SSLContext,
) -> None:
    mechanisms: list[str] = []
    server = serve(
        tls_context=server_context,
        require_starttls=True,
        authenticator=authenticator(mechanisms),
        auth_required=True,
    )
    mailer = loopback_mailer(
        port=server.port,
        ssl_context=client_context,
        username=USERNAME,
        password=PASSWORD,
    )

    sign_up(portal(mailer), server.recorder)

    assert server.recorder.authenticated == [True]
    assert server.recorder.encrypted == [True]


# Failures: each raises its code, and a new code can go out at once.


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_wrong_password_fails(
    serve: StartServer,
    mechanism: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    other = "PLAIN" if mechanism == "LOGIN" else "LOGIN"
    mechanisms: list[str] = []
    server = serve(
        authenticator=authenticator(mechanisms),
        auth_require_tls=False,
        auth_exclude_mechanism=[other],
    )
    wrong = "Mauvais-mot-de-passe-3"
    mailer = plain_mailer(server.port, username=USERNAME, password=wrong)
    wiring = portal(mailer)

    error = fail_then_resend(wiring, serve, "mail.authentication_failed")

    assert mechanisms == [mechanism]
    assert server.recorder.messages == []
    assert wrong not in str(error)
    assert wrong not in repr(error.__cause__)
    assert wrong not in caplog.text


def test_refused_connection_fails(
    serve: StartServer, closed_port: int
) -> None:
    wiring = portal(plain_mailer(closed_port))

    error = fail_then_resend(wiring, serve, "mail.connection_failed")

    assert isinstance(error.__cause__, ConnectionRefusedError)


@pytest.mark.parametrize("security", list(SmtpSecurity))
def test_silent_server_times_out(
    serve: StartServer, silent_server: SilentServer, security: SmtpSecurity
) -> None:
    mailer = loopback_mailer(
        port=silent_server.port,
        security=security,
        timeout=SHORT_TIMEOUT,
    )
    wiring = portal(mailer)

    error = fail_then_resend(wiring, serve, "mail.timed_out")

    assert error.__cause__ is not None


def test_rejected_recipient_fails(serve: StartServer) -> None:
    handler = RecipientRejecter("550 5.1.1 Mailbox unavailable")
    server = serve(handler)
    wiring = portal(plain_mailer(server.port))

    error = fail_then_resend(wiring, serve, "mail.recipient_rejected")

    assert handler.messages == []
    assert error.message("en").startswith("The mail server rejected")


def test_partial_refusal_fails(serve: StartServer) -> None:
    # The service sends to one address, but an integrator's message may
    # have several; send() succeeds only if every one is accepted.
    class OneRecipientRejecter(Recorder):
        async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
            self,
            server: SMTP,
            session: Session,
            envelope: Envelope,
            address: str,
            rcpt_options: list[str],
        ) -> str:
            if address.startswith("refused"):
                return "550 5.1.1 Mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"

    server = serve(OneRecipientRejecter())
    message = EmailMessage()
    message["From"] = "no-reply@portail-parents.example"
    message["To"] = "accepted@courriel.example, refused@courriel.example"
    message["Subject"] = "Test"
    message.set_content("Test")

    with pytest.raises(MailDeliveryError) as failure:
        plain_mailer(server.port).send(message)

    assert failure.value.code == "mail.recipient_rejected"
    assert server.recorder.recipients == [["accepted@courriel.example"]]


def test_smtputf8_missing_fails(serve: StartServer) -> None:
    server = serve(enable_SMTPUTF8=False)
    wiring = portal(plain_mailer(server.port))

    with pytest.raises(MailDeliveryError) as failure:
        wiring.service.start(UNICODE_PARENT)

    assert failure.value.code == "mail.recipient_rejected"
    assert server.recorder.messages == []
    flow = wiring.service.flow(UNICODE_PARENT)
    assert flow is not None
    assert flow.code_requests == ()


def test_deferred_recipient_fails(serve: StartServer) -> None:
    server = serve(RecipientRejecter("450 4.2.1 Mailbox busy, try later"))
    wiring = portal(plain_mailer(server.port))

    fail_then_resend(wiring, serve, "mail.rejected")


def test_rejected_sender_fails(serve: StartServer) -> None:
    class SenderRejecter(Recorder):
        async def handle_MAIL(  # noqa: N802 (aiosmtpd's hook name)
            self,
            server: SMTP,
            session: Session,
            envelope: Envelope,
            address: str,
            mail_options: list[str],
        ) -> str:
            return "553 5.7.1 Sender address rejected"

    server = serve(SenderRejecter())
    wiring = portal(plain_mailer(server.port))

    error = fail_then_resend(wiring, serve, "mail.rejected")

    assert isinstance(error.__cause__, smtplib.SMTPSenderRefused)


def test_login_not_offered_fails(serve: StartServer) -> None:
    # aiosmtpd offers AUTH only over TLS unless configured otherwise.
    server = serve()
    mailer = plain_mailer(server.port, username=USERNAME, password=PASSWORD)
    wiring = portal(mailer)

    fail_then_resend(wiring, serve, "mail.authentication_failed")

    assert server.recorder.messages == []


def test_rejected_message_fails(serve: StartServer) -> None:
    server = serve(DataRejecter())
    wiring = portal(plain_mailer(server.port))

    fail_then_resend(wiring, serve, "mail.rejected")


def test_untrusted_certificate_fails(
    serve: StartServer, server_context: ssl.SSLContext
) -> None:
    # The default context trusts the system's authorities, which never
    # signed the test certificate.
    server = serve(ssl_context=server_context)
    mailer = loopback_mailer(port=server.port, security=SmtpSecurity.TLS)
    wiring = portal(mailer)

    error = fail_then_resend(wiring, serve, "mail.tls_failed")

    assert isinstance(error.__cause__, ssl.SSLCertVerificationError)


def test_starttls_not_offered_fails(
    serve: StartServer, client_context: ssl.SSLContext
) -> None:
    server = serve()
    mailer = loopback_mailer(
        port=server.port,
        security=SmtpSecurity.STARTTLS,
        ssl_context=client_context,
    )
    wiring = portal(mailer)

    fail_then_resend(wiring, serve, "mail.tls_failed")

    assert server.recorder.messages == []


def test_tls_to_plain_server_fails(
    serve: StartServer, client_context: ssl.SSLContext
) -> None:
    server = serve()
    mailer = loopback_mailer(
        port=server.port,
        security=SmtpSecurity.TLS,
        ssl_context=client_context,
        timeout=SHORT_TIMEOUT,
    )
    wiring = portal(mailer)

    fail_then_resend(wiring, serve, "mail.tls_failed")


@pytest.mark.parametrize(
    ("error", "stage", "code"),
    [
        (
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "connect",
            "mail.connection_failed",
        ),
        (
            smtplib.SMTPConnectError(554, b"No SMTP service here"),
            "connect",
            "mail.connection_failed",
        ),
        (
            smtplib.SMTPException("Unexpected"),
            "send",
            "mail.delivery_failed",
        ),
    ],
    ids=["dns", "greeting", "other"],
)
def test_error_code_table(error: Exception, stage: str, code: str) -> None:
    # Failures that the loopback servers here cannot cause: a name that
    # does not resolve needs DNS, and aiosmtpd always greets with 220.
    assert _error_code(error, stage) == code


def test_failure_logs_no_personal_data(
    serve: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    handler = DataRejecter()
    server = serve(handler)
    wiring = portal(plain_mailer(server.port))
    caplog.set_level(logging.INFO, logger="portail_core")

    with pytest.raises(MailDeliveryError):
        wiring.service.start(PARENT)

    records = [
        record
        for record in caplog.records
        if record.name.startswith("portail_core")
    ]
    ours = [
        record.getMessage()
        for record in records
        if record.name == "portail_core.adapters.smtp"
    ]
    assert len(ours) == 1
    assert f"{LOOPBACK}:{server.port}" in ours[0]
    assert "SMTPDataError" in ours[0]
    logged = "\n".join(record.getMessage() for record in records)
    assert PARENT not in logged
    assert code_in(handler.messages[0]) not in logged


# Configuration.


def test_repr_hides_password() -> None:
    mailer = SmtpMailer(
        host="smtp.example", username=USERNAME, password=PASSWORD
    )

    assert PASSWORD not in repr(mailer)
    assert PASSWORD not in str(mailer)
    assert USERNAME in repr(mailer)


@pytest.mark.parametrize(
    ("security", "port"),
    [
        (SmtpSecurity.NONE, 25),
        (SmtpSecurity.STARTTLS, 587),
        (SmtpSecurity.TLS, 465),
    ],
)
def test_default_port(security: SmtpSecurity, port: int) -> None:
    mailer = SmtpMailer(host="smtp.example", security=security)

    assert mailer.effective_port == port


def test_given_port_kept() -> None:
    mailer = SmtpMailer(host="smtp.example", port=2525)

    assert mailer.effective_port == 2525


def test_default_security_starttls() -> None:
    assert SmtpMailer(host="smtp.example").security is SmtpSecurity.STARTTLS


@pytest.mark.parametrize("host", ["smtp.example", "10.0.0.5", "::2"])
def test_plain_login_remote_rejected(host: str) -> None:
    with pytest.raises(ValueError, match="unencrypted"):
        SmtpMailer(
            host=host,
            security=SmtpSecurity.NONE,
            username=USERNAME,
            password=PASSWORD,
        )


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1", "127.8.0.1", "::1"]
)
def test_plain_login_loopback_allowed(host: str) -> None:
    mailer = SmtpMailer(
        host=host,
        security=SmtpSecurity.NONE,
        username=USERNAME,
        password=PASSWORD,
    )

    assert mailer.username == USERNAME


@pytest.mark.parametrize(
    "options",
    [
        {"username": USERNAME},
        {"password": PASSWORD},
        {"port": 0},
        {"port": 65536},
        {"timeout": 0},
        {"timeout": -1.0},
        {"timeout": float("nan")},
        {"host": ""},
        {
            "security": SmtpSecurity.NONE,
            "ssl_context": ssl.create_default_context(),
        },
    ],
    ids=[
        "username-alone",
        "password-alone",
        "port-zero",
        "port-too-high",
        "timeout-zero",
        "timeout-negative",
        "timeout-nan",
        "host-empty",
        "context-without-tls",
    ],
)
def test_invalid_settings_rejected(options: dict[str, Any]) -> None:
    settings: dict[str, Any] = {"host": "smtp.example", **options}

    with pytest.raises(ValueError):  # noqa: PT011 (each case has its message)
        SmtpMailer(**settings)
