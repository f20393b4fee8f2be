"""A small web service that puts portail-core behind HTTP, with no framework.

It shows the wiring an integrator writes. One `SignupService` is built at
start-up, with one handler per step of the parents' procedure. Errors
become JSON with their stable code and the parent's message. A session
cookie keeps the verification token and the account id out of URLs and
page bodies.

Run it with ``python docs/examples/wsgi_app.py`` and try it with curl. For
development only, it prints each email on standard output, code included,
instead of sending it. Every endpoint takes a form-encoded POST and
responds with JSON.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from http import HTTPStatus
from http.cookies import SimpleCookie
from importlib import resources
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import make_server

from portail_core import (
    ChildClaim,
    PortailError,
    RetryLaterError,
    SignupService,
)
from portail_core.adapters.memory import MemorySchoolRecords
from portail_core.compose import in_memory

logger = logging.getLogger("portail_example")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
SESSION_COOKIE = "portail_session"

# Steps after which the session grants more than before: its id changes.
PRIVILEGE_ROUTES = frozenset({"/signup/verify", "/signup/password"})


class Sessions:
    """Server-side sessions: a random id in a cookie, data in memory.

    A real service keeps sessions in its database, with an expiry; these
    live as long as the process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, str]] = {}

    def get(self, environ: Environ) -> tuple[str, dict[str, str]]:
        """Return the request's session id and data, making one if new."""
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        morsel = cookie.get(SESSION_COOKIE)
        with self._lock:
            if morsel is not None and morsel.value in self._data:
                return morsel.value, self._data[morsel.value]
            session_id = secrets.token_urlsafe(32)
            self._data[session_id] = {}
            return session_id, self._data[session_id]

    def rotate(self, session_id: str) -> str:
        """Move a session's data to a new id and return it.

        Called when the session gains a privilege (a verified email, an
        account), so that an id planted before then is worth nothing.
        """
        with self._lock:
            data = self._data.pop(session_id, {})
            new_id = secrets.token_urlsafe(32)
            self._data[new_id] = data
            return new_id


class SignupApp:
    """The WSGI application: routes each POST to one service call."""

    def __init__(self, service: SignupService) -> None:
        self.service = service
        self.sessions = Sessions()
        self.routes: dict[
            str, Callable[[dict[str, str], dict[str, str]], object]
        ] = {
            "/signup/start": self.start,
            "/signup/verify": self.verify,
            "/signup/password": self.set_password,
            "/children": self.link_child,
        }

    def __call__(
        self, environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes]:
        route = self.routes.get(environ.get("PATH_INFO", ""))
        if route is None or environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, HTTPStatus.NOT_FOUND, {})
        session_id, session = self.sessions.get(environ)
        try:
            body = route(session, _form(environ))
            status = HTTPStatus.OK
            if environ["PATH_INFO"] in PRIVILEGE_ROUTES:
                session_id = self.sessions.rotate(session_id)
        except RetryLaterError as error:
            status, body = HTTPStatus.TOO_MANY_REQUESTS, _error(error)
        except PortailError as error:
            # Log the code only: the message may be shown, the input never.
            logger.info("request rejected: %s", error.code)
            status, body = HTTPStatus.BAD_REQUEST, _error(error)
        cookie = (
            f"{SESSION_COOKIE}={session_id}; HttpOnly; SameSite=Strict; Path=/"
        )
        if environ.get("wsgi.url_scheme") == "https":
            cookie += "; Secure"
        return _json(start_response, status, body, cookie)

    # One handler per step of the procedure.

    def start(self, session: dict[str, str], form: dict[str, str]) -> object:
        request = self.service.start(form.get("email", ""))
        session["email"] = form.get("email", "")
        return {
            "expires_at": request.expires_at.isoformat(),
            "resend_at": request.resend_at.isoformat(),
        }

    def verify(self, session: dict[str, str], form: dict[str, str]) -> object:
        verification = self.service.verify(
            session.get("email", ""), form.get("code", "")
        )
        session["token"] = verification.token
        return {"verified": True}

    def set_password(
        self, session: dict[str, str], form: dict[str, str]
    ) -> object:
        account = self.service.set_password(
            session.get("token", ""), form.get("password", "")
        )
        session.pop("token")
        session["account_id"] = account.account_id
        return {"account": "created"}

    def link_child(
        self, session: dict[str, str], form: dict[str, str]
    ) -> object:
        claim = ChildClaim.parse(
            organization=form.get("organization", ""),
            birth_date=form.get("birth_date", ""),
            family_name=form.get("family_name", ""),
            given_names=form.get("given_names", ""),
            record_number=form.get("record_number"),
            permanent_code=form.get("permanent_code"),
            today=self.service.clock.now().date(),
        )
        result = self.service.link_child(session.get("account_id", ""), claim)
        return {"outcome": result.outcome}


def _form(environ: Environ) -> dict[str, str]:
    try:
        length = max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:
        # An unreadable length gets an empty form, which the service
        # rejects field by field.
        length = 0
    # Forms of this service are small; a larger body is cut, not trusted.
    raw = environ["wsgi.input"].read(min(length, 16_384))
    fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in fields.items()}


def _error(error: PortailError) -> dict[str, object]:
    # The response carries the French message and the stable code. A
    # rejected child link never exposes its audit reason here.
    return {"code": error.code, "message": error.message("fr")}


def _json(
    start_response: StartResponse,
    status: HTTPStatus,
    body: object,
    cookie: str | None = None,
) -> list[bytes]:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(payload))),
    ]
    if cookie is not None:
        headers.append(("Set-Cookie", cookie))
    start_response(f"{status.value} {status.phrase}", headers)
    return [payload]


class ConsoleMailer:
    """Print each email instead of sending it: for development only,
    since the output contains the verification codes."""

    def send(self, message: EmailMessage) -> None:
        print(message, flush=True)  # noqa: T201


def main() -> None:
    """Serve the demo roster on http://127.0.0.1:8000 until interrupted."""
    logging.basicConfig(level=logging.INFO)
    roster = MemorySchoolRecords.from_csv(
        resources.files("portail_core")
        .joinpath("data/demo-roster.csv")
        .read_text(encoding="utf-8")
    )
    wiring = in_memory(roster=roster, mailer=ConsoleMailer())
    app = SignupApp(wiring.service)
    with make_server("127.0.0.1", 8000, app) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
