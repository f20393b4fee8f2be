"""MailTemplates: every kind and language renders a text and an HTML part,
and an integrator's folder overrides the bundled templates file by file."""

from __future__ import annotations

import re
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portail_core import Language
from portail_core.mail import MailKind, MailTemplates
from portail_core.values import Email

PARENT = Email.parse("parent.test@courriel.example")
CODE = "418027"
MINUTES = 17
SENDER_ADDRESS = "no-reply@portail-parents.example"
CODE_KINDS = (MailKind.SIGNUP_CODE, MailKind.RECOVERY_CODE)
NOTICE_KINDS = (MailKind.SIGNUP_EXISTS, MailKind.RECOVERY_UNKNOWN)
LANGUAGES: tuple[Language, ...] = ("fr", "en")
SPAM_HINTS = {
    "fr": "n'arrivent pas dans vos courriels indésirables",
    "en": "out of your spam folder",
}
CONTACTS = {"fr": "à vos contacts", "en": "to your contacts"}


class Page(HTMLParser):
    """An HTML document's visible text, and each element's own text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], str]] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.unclosed = 0
        self.feed(markup)
        self.close()

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in {"meta", "br", "img", "link"}:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            self.unclosed += 1
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        inside = [tag for tag, _ in self.open]
        if "title" in inside:
            return
        self.texts.append(data)
        if self.open:
            tag, attributes = self.open[-1]
            self.elements.append((tag, attributes, data))

    @property
    def text(self) -> str:
        """The visible text, with every run of spaces made one space."""
        return re.sub(r"\s+", " ", "".join(self.texts)).strip()


def render(
    kind: MailKind,
    language: Language,
    templates: MailTemplates | None = None,
    code: str | None = CODE,
) -> EmailMessage:
    return (templates or MailTemplates()).render(
        kind,
        to=PARENT,
        language=language,
        code=code if kind in CODE_KINDS else None,
        minutes=MINUTES,
    )


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def every_kind() -> list[tuple[MailKind, Language]]:
    return [(kind, language) for kind in MailKind for language in LANGUAGES]


def ids(cases: list[tuple[MailKind, Language]]) -> list[str]:
    return [f"{kind.value}.{language}" for kind, language in cases]


ALL = every_kind()
WITH_CODE = [(kind, language) for kind, language in ALL if kind in CODE_KINDS]
WITHOUT_CODE = [
    (kind, language) for kind, language in ALL if kind in NOTICE_KINDS
]


# Both parts, for every kind and language.


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_message_is_alternative(kind: MailKind, language: Language) -> None:
    message = render(kind, language)

    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_parts_not_empty(kind: MailKind, language: Language) -> None:
    message = render(kind, language)

    assert text_of(message).strip()
    assert Page(html_of(message)).text


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_headers_set(kind: MailKind, language: Language) -> None:
    message = render(kind, language)

    assert message["To"] == str(PARENT)
    assert SENDER_ADDRESS in str(message["From"])
    assert message["Auto-Submitted"] == "auto-generated"
    assert str(message["Subject"]).strip()


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_spam_hint_in_text(kind: MailKind, language: Language) -> None:
    text = " ".join(text_of(render(kind, language)).split())

    assert SPAM_HINTS[language] in text
    assert f"{SENDER_ADDRESS} {CONTACTS[language]}" in text


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_spam_hint_in_html(kind: MailKind, language: Language) -> None:
    text = Page(html_of(render(kind, language))).text

    assert SPAM_HINTS[language] in text
    assert f"{SENDER_ADDRESS} {CONTACTS[language]}" in text


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_no_recipient_in_body(kind: MailKind, language: Language) -> None:
    message = render(kind, language)

    assert str(PARENT) not in text_of(message)
    assert str(PARENT) not in html_of(message)


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_html_language_declared(kind: MailKind, language: Language) -> None:
    markup = html_of(render(kind, language))

    assert markup.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in markup


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_html_well_nested(kind: MailKind, language: Language) -> None:
    page = Page(html_of(render(kind, language)))

    assert page.unclosed == 0
    assert page.open == []


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_html_self_contained(kind: MailKind, language: Language) -> None:
    markup = html_of(render(kind, language))
    page = Page(markup)

    for tag in ("img", "link", "script", "style", "iframe", "object"):
        assert tag not in page.tags
    names = {name for name, _ in page.attributes}
    assert names <= {"lang", "charset", "name", "content", "style"}
    for reference in ("http:", "https:", "//", "url(", "@import"):
        assert reference not in markup


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_no_placeholder_left(kind: MailKind, language: Language) -> None:
    message = render(kind, language)

    assert "$" not in text_of(message)
    assert "$" not in html_of(message)
    assert "$" not in str(message["Subject"])


@pytest.mark.parametrize(
    ("kind", "language"),
    [case for case in ALL if case[1] == "fr"],
    ids=ids([case for case in ALL if case[1] == "fr"]),
)
def test_french_says_courriel(kind: MailKind, language: Language) -> None:
    message = render(kind, language)
    words = (text_of(message) + Page(html_of(message)).text).lower()

    assert "courriel" in words
    assert re.search(r"\be-?mail\b", words) is None


# The code and its lifetime.


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_code_once_in_text(kind: MailKind, language: Language) -> None:
    text = text_of(render(kind, language))

    assert text.count(CODE) == 1
    assert f"    {CODE}\n" in text


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_code_in_subject(kind: MailKind, language: Language) -> None:
    message = render(kind, language)

    assert str(message["Subject"]).endswith(CODE)


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_code_once_in_html(kind: MailKind, language: Language) -> None:
    page = Page(html_of(render(kind, language)))

    assert page.text.count(CODE) == 1


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_code_block_readable(kind: MailKind, language: Language) -> None:
    # The code must be one text node, so that nothing sits between its
    # digits when it is copied, in a large monospace font.
    page = Page(html_of(render(kind, language)))

    blocks = [element for element in page.elements if element[2] == CODE]
    assert len(blocks) == 1
    _, attributes, _ = blocks[0]
    style = attributes.get("style") or ""
    assert "monospace" in style
    assert "letter-spacing" in style
    size = re.search(r"font-size:\s*(\d+)px", style)
    assert size is not None
    assert int(size.group(1)) >= 24


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_minutes_in_text(kind: MailKind, language: Language) -> None:
    text = " ".join(text_of(render(kind, language)).split())

    assert f"{MINUTES} minutes" in text


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_minutes_in_html(kind: MailKind, language: Language) -> None:
    text = Page(html_of(render(kind, language))).text.replace("\xa0", " ")

    assert f"{MINUTES} minutes" in text


@pytest.mark.parametrize(
    ("kind", "language"), WITHOUT_CODE, ids=ids(WITHOUT_CODE)
)
def test_notice_has_no_code(kind: MailKind, language: Language) -> None:
    message = render(kind, language)
    six_digits = re.compile(r"\b\d{6}\b")

    assert six_digits.search(text_of(message)) is None
    assert six_digits.search(Page(html_of(message)).text) is None
    assert six_digits.search(str(message["Subject"])) is None


# Escaping.


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_html_escapes_code(kind: MailKind, language: Language) -> None:
    hostile = "<b>\"1&2'</b>"

    markup = html_of(render(kind, language, code=hostile))

    assert hostile not in markup
    assert "<b>" not in markup
    assert "&lt;b&gt;&quot;1&amp;2&#x27;&lt;/b&gt;" in markup
    assert Page(markup).text.count(hostile) == 1


@pytest.mark.parametrize(("kind", "language"), WITH_CODE, ids=ids(WITH_CODE))
def test_text_keeps_code_raw(kind: MailKind, language: Language) -> None:
    hostile = "<b>&1</b>"

    text = text_of(render(kind, language, code=hostile))

    assert hostile in text
    assert "&lt;" not in text


@pytest.mark.parametrize(("kind", "language"), ALL, ids=ids(ALL))
def test_html_escapes_sender(kind: MailKind, language: Language) -> None:
    templates = MailTemplates(sender='Portail <"<i>&x"@portail.example>')

    markup = html_of(render(kind, language, templates))

    assert "<i>" not in markup
    assert "&lt;i&gt;&amp;x" in markup


# An integrator's folder.


def test_folder_html_overrides(tmp_path: Path) -> None:
    (tmp_path / "signup_code.fr.html").write_text(
        "<p>Code du CSS : <kbd>$code</kbd>, $minutes min</p>",
        encoding="utf-8",
    )
    templates = MailTemplates(folder=tmp_path)

    message = render(MailKind.SIGNUP_CODE, "fr", templates)

    assert html_of(message) == (
        f"<p>Code du CSS : <kbd>{CODE}</kbd>, {MINUTES} min</p>\n"
    )
    bundled = render(MailKind.SIGNUP_CODE, "fr")
    assert text_of(message) == text_of(bundled)
    assert message["Subject"] == bundled["Subject"]


def test_folder_text_overrides(tmp_path: Path) -> None:
    (tmp_path / "signup_code.en.txt").write_text(
        "Subject: Code $code\n\nYour code: $code ($minutes minutes).\n",
        encoding="utf-8",
    )
    templates = MailTemplates(folder=tmp_path)

    message = render(MailKind.SIGNUP_CODE, "en", templates)

    assert message["Subject"] == f"Code {CODE}"
    assert text_of(message) == f"Your code: {CODE} ({MINUTES} minutes).\n"
    assert html_of(message) == html_of(render(MailKind.SIGNUP_CODE, "en"))


def test_folder_other_files_bundled(tmp_path: Path) -> None:
    (tmp_path / "signup_code.fr.html").write_text(
        "<p>$code</p>", encoding="utf-8"
    )
    templates = MailTemplates(folder=tmp_path)

    for kind, language in ALL:
        if (kind, language) == (MailKind.SIGNUP_CODE, "fr"):
            continue
        message = render(kind, language, templates)
        bundled = render(kind, language)
        assert html_of(message) == html_of(bundled), (kind, language)
        assert text_of(message) == text_of(bundled), (kind, language)


def test_folder_html_escapes_values(tmp_path: Path) -> None:
    (tmp_path / "signup_code.en.html").write_text(
        "<p>$code</p>", encoding="utf-8"
    )
    templates = MailTemplates(folder=tmp_path)

    message = render(MailKind.SIGNUP_CODE, "en", templates, code="1<2")

    assert html_of(message) == "<p>1&lt;2</p>\n"


def test_folder_dollar_escape(tmp_path: Path) -> None:
    (tmp_path / "signup_code.en.html").write_text(
        "<p>$$5 and $code</p>", encoding="utf-8"
    )
    templates = MailTemplates(folder=tmp_path)

    message = render(MailKind.SIGNUP_CODE, "en", templates)

    assert html_of(message) == f"<p>$5 and {CODE}</p>\n"


def test_unknown_placeholder_raises(tmp_path: Path) -> None:
    (tmp_path / "signup_code.en.html").write_text(
        "<p>$code for $parent_name</p>", encoding="utf-8"
    )
    templates = MailTemplates(folder=tmp_path)

    with pytest.raises(KeyError, match="parent_name"):
        render(MailKind.SIGNUP_CODE, "en", templates)


def test_text_without_subject_raises(tmp_path: Path) -> None:
    (tmp_path / "signup_code.en.txt").write_text(
        "Your code: $code\n", encoding="utf-8"
    )
    templates = MailTemplates(folder=tmp_path)

    with pytest.raises(ValueError, match="Subject"):
        render(MailKind.SIGNUP_CODE, "en", templates)
