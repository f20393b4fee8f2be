"""The tutorial's web service completes a sign-up over HTTP on loopback."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer, MemorySchoolRecords
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import in_memory

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "wsgi_app.py"

pytestmark = pytest.mark.skipif(
    not EXAMPLE.exists(), reason="needs the source checkout"
)

ROSTER = (
    "organization_code,record_number,permanent_code,family_name,"
    "given_names,usual_given_name,birth_date,guardian_emails\n"
    "741000,482913,COTL14531601,Côté-Tremblay,Léa-Rose Marie,Léa-Rose,"
    "2016-03-14,parent@courriel.example\n"
)


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wsgi_app", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["wsgi_app"] = module
    spec.loader.exec_module(module)
    return module


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, MemoryMailer]]:
    example = load_example()
    mailer = MemoryMailer()
    wiring = in_memory(
        roster=MemorySchoolRecords.from_csv(ROSTER),
        mailer=mailer,
        hasher=ScryptHasher(log2_n=1),
        clock=ManualClock(),
    )
    app = example.SignupApp(wiring.service)
    httpd = make_server("127.0.0.1", 0, app, handler_class=QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", mailer
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


class Browser:
    """A client that keeps cookies, as a parent's browser does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def post(self, path: str, **fields: str) -> tuple[int, dict[str, str]]:
        # The URL is the loopback server this test started.
        request = urllib.request.Request(  # noqa: S310
            self.base + path,
            data=urlencode(fields).encode(),
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())


def test_signup_over_http(server: tuple[str, MemoryMailer]) -> None:
    base, mailer = server
    browser = Browser(base)

    status, _ = browser.post("/signup/start", email="Parent@Courriel.example")
    assert status == 200
    body = mailer.outbox[-1].get_body(("plain",))
    assert body is not None
    code = re.search(r"\b[0-9]{6}\b", body.get_content())
    assert code is not None

    status, _ = browser.post("/signup/verify", code=code.group())
    assert status == 200
    status, weak = browser.post("/signup/password", password="court")
    assert status == 400
    assert weak["code"] == "password.too_short"
    status, _ = browser.post("/signup/password", password="Éléphant-Bleu-24")
    assert status == 200

    status, linked = browser.post(
        "/children",
        organization="CSS du Chemin-du-Roy",
        birth_date="2016-03-14",
        family_name="Cote-Tremblay",
        given_names="Lea-Rose",
        record_number="482913",
    )
    assert status == 200
    assert linked == {"outcome": "linked"}


def test_rejected_link_hides_reason(server: tuple[str, MemoryMailer]) -> None:
    base, mailer = server
    browser = Browser(base)
    browser.post("/signup/start", email="parent@courriel.example")
    body = mailer.outbox[-1].get_body(("plain",))
    assert body is not None
    code = re.search(r"\b[0-9]{6}\b", body.get_content())
    assert code is not None
    browser.post("/signup/verify", code=code.group())
    browser.post("/signup/password", password="Éléphant-Bleu-24")

    status, rejected = browser.post(
        "/children",
        organization="CSS du Chemin-du-Roy",
        birth_date="2016-03-15",
        family_name="Cote-Tremblay",
        given_names="Lea-Rose",
        record_number="482913",
    )

    assert status == 400
    assert rejected["code"] == "link.rejected_try_permanent_code"
    assert "birth" not in json.dumps(rejected)


def test_wrong_code_counts_down(server: tuple[str, MemoryMailer]) -> None:
    base, _ = server
    browser = Browser(base)
    browser.post("/signup/start", email="parent@courriel.example")

    status, body = browser.post("/signup/verify", code="000000")

    assert status == 400
    assert body["code"] == "code.rejected"
    assert "4" in body["message"]


def test_resend_too_soon_is_429(server: tuple[str, MemoryMailer]) -> None:
    base, _ = server
    browser = Browser(base)
    browser.post("/signup/start", email="parent@courriel.example")

    status, body = browser.post(
        "/signup/start", email="parent@courriel.example"
    )

    assert status == 429
    assert body["code"] == "code.resend_too_soon"


def test_unknown_route_is_404(server: tuple[str, MemoryMailer]) -> None:
    base, _ = server

    status, _ = Browser(base).post("/admin")

    assert status == 404


def test_session_id_changes_after_verify(
    server: tuple[str, MemoryMailer],
) -> None:
    base, mailer = server
    jar = CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar)
    )

    def post(path: str, **fields: str) -> None:
        # The URL is the loopback server this test started.
        request = urllib.request.Request(  # noqa: S310
            base + path, data=urlencode(fields).encode(), method="POST"
        )
        with opener.open(request, timeout=10):
            pass

    post("/signup/start", email="parent@courriel.example")
    before = {cookie.value for cookie in jar}
    body = mailer.outbox[-1].get_body(("plain",))
    assert body is not None
    code = re.search(r"\b[0-9]{6}\b", body.get_content())
    assert code is not None
    post("/signup/verify", code=code.group())
    after = {cookie.value for cookie in jar}

    assert before
    assert after
    assert before.isdisjoint(after)


def test_bad_content_length_is_400(server: tuple[str, MemoryMailer]) -> None:
    base, _ = server
    # The URL is the loopback server this test started.
    request = urllib.request.Request(  # noqa: S310
        base + "/children",
        data=b"",
        method="POST",
        headers={"Content-Length": "abc"},
    )

    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    raised.value.close()

    assert raised.value.code == 400
