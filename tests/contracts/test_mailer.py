"""The in-memory mailer passes the mailer suite, and so does a mailer
whose messages go through the bytes an SMTP client sends."""

from __future__ import annotations

import email.policy
import threading
from collections.abc import Sequence
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path

import pytest

from portail_core import MailDeliveryError
from portail_core.adapters.memory import MemoryMailer
from portail_core.ports import Mailer
from portail_core.testing.contracts import MailerContract


class TestMemoryMailer(MailerContract):
    def make_mailer(self) -> Mailer:
        return MemoryMailer()

    def delivered(self, mailer: Mailer) -> Sequence[EmailMessage]:
        assert isinstance(mailer, MemoryMailer)
        return mailer.outbox

    def make_failing_mailer(self) -> Mailer:
        mailer = MemoryMailer()
        mailer.failures = 1
        return mailer


class SpoolMailer:
    """Writes each message to a folder, as the bytes of an SMTP DATA
    command: CRLF line endings, encoded headers and body."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._sent = 0

    def send(self, message: EmailMessage) -> None:
        with self._lock:
            self._sent += 1
            path = self.folder / f"{self._sent:04d}.eml"
        try:
            path.write_bytes(message.as_bytes(policy=email.policy.SMTP))
        except OSError as error:
            raise MailDeliveryError("mail.delivery_failed") from error


class TestSpoolMailer(MailerContract):
    """Keeps the spool folder on ``self``, as a test of an SMTP mailer
    would keep its test server."""

    spool: Path

    @pytest.fixture
    def mailer(self, tmp_path: Path) -> Mailer:
        self.spool = tmp_path / "spool"
        self.spool.mkdir()
        return SpoolMailer(self.spool)

    @pytest.fixture
    def failing_mailer(self, tmp_path: Path) -> Mailer:
        return SpoolMailer(tmp_path / "missing")

    def delivered(self, mailer: Mailer) -> Sequence[EmailMessage]:
        return [
            message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.spool.iterdir())
        ]
