"""Contract suite of the `Mailer` port."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage

import pytest

from portail_core._errors import Language, MailDeliveryError
from portail_core.ports import Mailer
from portail_core.testing.contracts import _samples as samples
from portail_core.testing.contracts._support import run_together
from portail_core.values import Email


def _recipient_keys(message: EmailMessage) -> list[str]:
    """Return the email keys of the message's To addresses, so that an
    internationalized domain matches in its Unicode or punycode form."""
    header = message["To"]
    assert header is not None, "a delivered message has no To header"
    return [_key(address.addr_spec) for address in header.addresses]


def _key(addr_spec: str) -> str:
    # A message parsed from the bytes of an SMTPUTF8 delivery gives the
    # address's UTF-8 bytes as surrogate escapes; decode them first.
    if any("\udc80" <= character <= "\udcff" for character in addr_spec):
        addr_spec = addr_spec.encode("ascii", "surrogateescape").decode(
            "utf-8", "replace"
        )
    return Email.parse(addr_spec).key


def _body_lines(message: EmailMessage) -> list[str]:
    """Return the lines of the plain-text body, without line endings,
    which mail transport may change."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "a delivered message has no text/plain body"
    content = body.get_content()
    assert isinstance(content, str)
    return content.rstrip("\r\n").splitlines()


def _assert_same_message(
    actual: EmailMessage, expected: EmailMessage, name: str
) -> None:
    assert _recipient_keys(actual) == _recipient_keys(expected), (
        f"{name} went to {actual['To']!s}, not {expected['To']!s}"
    )
    assert str(actual["From"]) == str(expected["From"]), (
        f"{name} is from {actual['From']!s}, not {expected['From']!s}"
    )
    assert str(actual["Subject"]) == str(expected["Subject"]), (
        f"{name} has the subject {actual['Subject']!s}, not "
        f"{expected['Subject']!s}"
    )
    # RFC 3834: the header keeps vacation responders from replying.
    assert str(actual["Auto-Submitted"]) == str(expected["Auto-Submitted"]), (
        f"{name} lost its Auto-Submitted header"
    )
    assert _body_lines(actual) == _body_lines(expected), (
        f"{name} has another body than the one sent"
    )


class MailerContract:
    """Contract tests of a `Mailer` adapter.

    Subclass it in a test module, under a name that starts with ``Test``,
    and give it:

    * the mailer: override `make_mailer`, or the `mailer` fixture when
      the mailer needs other fixtures or a teardown;
    * `delivered`, which returns what the next hop (a test mail server, a
      queue) received, in order, as `email.message.EmailMessage` objects;
    * optionally a mailer whose sends fail: override `make_failing_mailer`
      or the `failing_mailer` fixture. Without one, the failure test is
      skipped.

    Fixture methods run on the same instance as the test, so a fixture
    can keep a test server on ``self`` for `delivered` to read. With a
    local SMTP server that records what it receives::

        import email.policy
        from email import message_from_bytes

        class TestSmtpMailer(MailerContract):
            @pytest.fixture
            def mailer(self, smtp_server):
                self.server = smtp_server
                return SmtpMailer(
                    host="127.0.0.1",
                    port=smtp_server.port,
                    security=SmtpSecurity.NONE,
                )

            def delivered(self, mailer):
                return [
                    message_from_bytes(data, policy=email.policy.default)
                    for data in self.server.received
                ]

            def make_failing_mailer(self):
                # A port where no server listens.
                return SmtpMailer(
                    host="127.0.0.1", port=9, security=SmtpSecurity.NONE
                )

    The tests check that `send` delivers each message once, with its
    recipients, sender, subject, Auto-Submitted header and French or
    English body unchanged, also when several threads send at once, and
    that a failed send raises `MailDeliveryError`.
    """

    racers = 8
    """Threads in the concurrent-send test."""

    def make_mailer(self) -> Mailer:
        """Return a new mailer to test, with nothing delivered yet."""
        raise NotImplementedError(
            f"{type(self).__name__} has no mailer to test: override "
            "make_mailer() or the mailer fixture."
        )

    def delivered(self, mailer: Mailer) -> Sequence[EmailMessage]:
        """Return the messages that `mailer` delivered, oldest first.

        Parse raw messages with ``email.policy.default``, so that headers
        are decoded.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must override delivered(mailer) to "
            "return the messages the mailer delivered."
        )

    def make_failing_mailer(self) -> Mailer:
        """Return a mailer whose next send fails; skip when not given."""
        pytest.skip(
            f"{type(self).__name__} gives no failing mailer; override "
            "make_failing_mailer() or the failing_mailer fixture."
        )

    @pytest.fixture
    def mailer(self) -> Mailer:
        """Return the mailer under test, from `make_mailer`."""
        return self.make_mailer()

    @pytest.fixture
    def failing_mailer(self) -> Mailer:
        """Return a mailer whose next send fails, from
        `make_failing_mailer`."""
        return self.make_failing_mailer()

    def _delivered(self, mailer: Mailer) -> list[EmailMessage]:
        messages = list(self.delivered(mailer))
        for message in messages:
            assert isinstance(message, EmailMessage), (
                "delivered() must return email.message.EmailMessage "
                f"objects, not {type(message).__name__}; parse raw "
                "messages with policy=email.policy.default"
            )
        return messages

    @pytest.mark.parametrize("language", ["fr", "en"])
    def test_send_delivers_message(
        self, mailer: Mailer, language: Language
    ) -> None:
        """A sent message is delivered once, unchanged."""
        message = samples.code_message(language=language)

        mailer.send(message)

        delivered = self._delivered(mailer)
        assert len(delivered) == 1
        _assert_same_message(delivered[0], message, "the delivered message")

    def test_send_to_internationalized_address(self, mailer: Mailer) -> None:
        """A message reaches an address with an accented local part and
        an internationalized domain, both of which `Email` accepts."""
        message = samples.code_message(samples.IDN_PARENT)

        mailer.send(message)

        delivered = self._delivered(mailer)
        assert len(delivered) == 1
        _assert_same_message(delivered[0], message, "the delivered message")

    def test_sends_arrive_in_order(self, mailer: Mailer) -> None:
        """Messages sent one after another are delivered in that order."""
        messages = [
            samples.code_message(samples.PARENT, "482913", "fr"),
            samples.notice_message(samples.OTHER_PARENT),
            samples.code_message(samples.PARENT, "705118", "en"),
        ]

        for message in messages:
            mailer.send(message)

        delivered = self._delivered(mailer)
        assert len(delivered) == len(messages)
        for index, (actual, expected) in enumerate(
            zip(delivered, messages, strict=True)
        ):
            _assert_same_message(actual, expected, f"message {index}")

    def test_sends_from_threads(self, mailer: Mailer) -> None:
        """Messages sent from several threads at once are each delivered
        once."""
        codes = [
            f"{314159 + 1111 * index:06d}" for index in range(self.racers)
        ]

        def send(index: int) -> None:
            mailer.send(samples.code_message(code=codes[index]))

        results = run_together(self.racers, send)

        errors = [result for result in results if result is not None]
        assert not errors, f"concurrent sends raised {errors!r}"
        subjects = sorted(
            str(message["Subject"]) for message in self._delivered(mailer)
        )
        expected = sorted(
            str(samples.code_message(code=code)["Subject"]) for code in codes
        )
        assert subjects == expected

    def test_failure_raises_mail_delivery_error(
        self, failing_mailer: Mailer
    ) -> None:
        """A send that fails raises MailDeliveryError, which the service
        reports to the parent, and no other exception."""
        with pytest.raises(MailDeliveryError):
            failing_mailer.send(samples.code_message())
