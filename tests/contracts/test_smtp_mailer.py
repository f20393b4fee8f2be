"""SmtpMailer passes the mailer suite against a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from email.message import EmailMessage

import pytest

from portail_core.adapters.smtp import SmtpMailer, SmtpSecurity
from portail_core.ports import Mailer
from portail_core.testing.contracts import MailerContract

from ..adapters.test_smtp import LOOPBACK, LoopbackController, Recorder


class TestSmtpMailer(MailerContract):
    """Sends through aiosmtpd on loopback, as an integrator's test of an
    SMTP mailer would. The server offers SMTPUTF8, so accented addresses
    are delivered."""

    server: LoopbackController

    @pytest.fixture
    def mailer(self) -> Iterator[Mailer]:
        self.server = LoopbackController(Recorder(), enable_SMTPUTF8=True)
        self.server.start()
        try:
            yield SmtpMailer(
                host=LOOPBACK,
                port=self.server.port,
                security=SmtpSecurity.NONE,
                local_hostname="localhost",
                timeout=10,
            )
        finally:
            self.server.stop()

    def delivered(self, mailer: Mailer) -> Sequence[EmailMessage]:
        return self.server.recorder.messages

    @pytest.fixture
    def failing_mailer(self) -> Iterator[Mailer]:
        # A loopback port that is bound but not listening refuses the
        # connection, and no other program can take it meanwhile.
        with socket.socket() as bound:
            bound.bind((LOOPBACK, 0))
            yield SmtpMailer(
                host=LOOPBACK,
                port=bound.getsockname()[1],
                security=SmtpSecurity.NONE,
                local_hostname="localhost",
                timeout=5,
            )
