"""PasswordPolicy and Password: every rule, reported at once with its code.

The default rule: 8 to 64 code points after NFC normalization, at least
one digit, one lowercase and one uppercase letter by Unicode category, not
a common password, and not containing the account's email address.
"""

import unicodedata
from importlib import resources

import pytest

from portail_core import InvalidPasswordError, ValidationError
from portail_core.values import Email, Password, PasswordPolicy

POLICY = PasswordPolicy()


def _bundled_list() -> set[str]:
    text = (
        resources.files("portail_core")
        .joinpath("data/common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    return {line.strip() for line in text.splitlines()}


BUNDLED = _bundled_list()


VALID = [
    pytest.param("Éléphant12", id="accented-capital"),
    pytest.param("Ça-va-bien-9", id="c-cedilla-capital"),
    pytest.param("ÉCOLE-zèbre-42", id="accented-lowercase"),
    pytest.param("Le chat de Lévis mange 3 souris", id="passphrase"),
    pytest.param("Œuvre-d'art-2026", id="ligature-capital"),
    pytest.param("Ωmega-maison-7", id="greek-capital"),
    pytest.param("ǅungla-123", id="titlecase-letter"),
    pytest.param("Abcdef1x", id="8-chars"),
    pytest.param("A" + "b" * 62 + "1", id="64-chars"),
    pytest.param(" Abcdef1", id="leading-space-counts"),
    pytest.param("Abcdef1 ", id="trailing-space-counts"),
    pytest.param("  Abcdef1  ", id="spaces-both-ends"),
    pytest.param("Tremblay-Marie-9", id="names-not-email"),
    pytest.param("Cabane à sucre 2026", id="accented-word-spaces"),
]


@pytest.mark.parametrize("text", VALID)
def test_password_valid_no_problems(text: str) -> None:
    assert POLICY.problems(text) == ()


@pytest.mark.parametrize("text", VALID)
def test_password_valid_kept_verbatim(text: str) -> None:
    assert POLICY.parse(text).reveal() == text


@pytest.mark.parametrize("text", VALID)
def test_password_valid_length(text: str) -> None:
    assert len(POLICY.parse(text)) == len(text)


INVALID = [
    pytest.param("", ("password.empty",), id="empty"),
    pytest.param(
        "court",
        (
            "password.too_short",
            "password.missing_digit",
            "password.missing_uppercase",
        ),
        id="short-lowercase",
    ),
    pytest.param("Abcde1", ("password.too_short",), id="6-chars"),
    pytest.param("Abcdef1", ("password.too_short",), id="7-chars"),
    pytest.param(" Abcde1", ("password.too_short",), id="7-with-space"),
    pytest.param("A" + "b" * 63 + "1", ("password.too_long",), id="65-chars"),
    pytest.param(
        "A" + "b" * 998 + "1", ("password.too_long",), id="1000-chars"
    ),
    pytest.param(
        "b" * 1000, ("password.too_long",), id="paste-reported-alone"
    ),
    pytest.param(
        "        ",
        (
            "password.missing_digit",
            "password.missing_lowercase",
            "password.missing_uppercase",
        ),
        id="spaces-only",
    ),
    pytest.param(
        "zèbrezèbre",
        ("password.missing_digit", "password.missing_uppercase"),
        id="lowercase-only",
    ),
    pytest.param(
        "éléphant12", ("password.missing_uppercase",), id="no-capital"
    ),
    pytest.param(
        "ÉLÉPHANT12", ("password.missing_lowercase",), id="no-lowercase"
    ),
    pytest.param("Éléphant-rose", ("password.missing_digit",), id="no-digit"),
    pytest.param(
        "٣٤٥٦٧٨٩٠",
        ("password.missing_lowercase", "password.missing_uppercase"),
        id="arabic-indic-digits-count",
    ),
    pytest.param("Abcdef1\x00", ("password.invalid_character",), id="nul"),
    pytest.param("Abcdef1\t", ("password.invalid_character",), id="tab"),
    pytest.param(
        "Abc\ud800def1", ("password.invalid_character",), id="lone-surrogate"
    ),
    pytest.param(
        "ab\x00",
        (
            "password.invalid_character",
            "password.too_short",
            "password.missing_digit",
            "password.missing_uppercase",
        ),
        id="every-rule-at-once",
    ),
    pytest.param("Hiver2024", ("password.common",), id="hiver2024"),
    pytest.param("Canadiens1", ("password.common",), id="canadiens1"),
    pytest.param("Nordiques1", ("password.common",), id="nordiques1"),
    pytest.param("Montreal2025", ("password.common",), id="montreal2025"),
    pytest.param("Bonjour123", ("password.common",), id="bonjour123"),
    pytest.param("Soleil123", ("password.common",), id="soleil123"),
    pytest.param("Password1", ("password.common",), id="password1"),
    pytest.param(
        "HIVER2024",
        ("password.missing_lowercase", "password.common"),
        id="common-any-case",
    ),
    pytest.param(
        "hiver",
        (
            "password.too_short",
            "password.missing_digit",
            "password.missing_uppercase",
            "password.common",
        ),
        id="common-and-weak",
    ),
    pytest.param(
        "12345678",
        (
            "password.missing_lowercase",
            "password.missing_uppercase",
            "password.common",
        ),
        id="digits-only-common",
    ),
]


@pytest.mark.parametrize(("text", "codes"), INVALID)
def test_password_problem_codes(text: str, codes: tuple[str, ...]) -> None:
    found = tuple(problem.code for problem in POLICY.problems(text))

    assert found == codes


@pytest.mark.parametrize(("text", "codes"), INVALID)
def test_password_error_lists_every_code(
    text: str, codes: tuple[str, ...]
) -> None:
    with pytest.raises(InvalidPasswordError) as caught:
        POLICY.parse(text)

    assert caught.value.codes == codes


COMMON_ENTRIES = [
    pytest.param("Hiver2024", id="hiver2024"),
    pytest.param("Canadiens1", id="canadiens1"),
    pytest.param("Nordiques1", id="nordiques1"),
    pytest.param("Montreal2025", id="montreal2025"),
    pytest.param("Bonjour123", id="bonjour123"),
    pytest.param("Soleil123", id="soleil123"),
    pytest.param("Password1", id="password1"),
]


@pytest.mark.parametrize("text", COMMON_ENTRIES)
def test_common_password_in_bundled_list(text: str) -> None:
    # The table above relies on these entries being in the shipped file.
    assert text.casefold() in BUNDLED


@pytest.mark.parametrize("text", VALID)
def test_valid_password_not_in_list(text: str) -> None:
    assert text.casefold() not in BUNDLED


def test_too_short_min_length_param() -> None:
    (problem,) = POLICY.problems("Abcdef1")

    assert dict(problem.params) == {"min_length": 8}


def test_too_long_max_length_param() -> None:
    (problem,) = POLICY.problems("A" + "b" * 63 + "1")

    assert dict(problem.params) == {"max_length": 64}


def test_invalid_character_names_it() -> None:
    (problem,) = POLICY.problems("Abcdef1\x00")

    assert dict(problem.params) == {"character": "U+0000 NULL"}


def test_password_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        POLICY.parse("court")


def test_password_message_every_rule_french() -> None:
    with pytest.raises(InvalidPasswordError) as caught:
        POLICY.parse("court")

    assert len(caught.value.message("fr").splitlines()) == 3


# Normalization: NFC before counting and before hashing.

NFD_ELEPHANT = unicodedata.normalize("NFD", "Éléphant12")


def test_password_nfd_input_reveals_nfc() -> None:
    assert POLICY.parse(NFD_ELEPHANT).reveal() == "Éléphant12"


def test_password_nfd_length_is_nfc() -> None:
    assert len(POLICY.parse(NFD_ELEPHANT)) == 10


def test_password_nfd_counted_after_nfc() -> None:
    # 9 code points in NFD but 7 in NFC, so too short.
    text = unicodedata.normalize("NFD", "Élé-ph1")

    assert len(text) == 9
    assert [p.code for p in POLICY.problems(text)] == ["password.too_short"]


def test_password_nfd_at_max_after_nfc() -> None:
    # 66 code points in NFD but 64 in NFC, so within the limit.
    text = unicodedata.normalize("NFD", "Éé1" + "b" * 61)

    assert len(text) == 66
    assert POLICY.problems(text) == ()


# Screening against the account's email address.

EMAIL_SCREEN = [
    pytest.param(
        "xMARIE.tremblay9",
        "marie.tremblay@exemple.ca",
        True,
        id="local-part-other-case",
    ),
    pytest.param(
        "Marie.Tremblay@Exemple.ca1",
        "marie.tremblay@exemple.ca",
        True,
        id="whole-email",
    ),
    pytest.param(
        "Marc-2026-ete", "marc@exemple.ca", True, id="local-part-4-chars"
    ),
    pytest.param(
        "ÉLOÏSE-ete-2026",
        "éloïse@exemple.ca",
        True,
        id="accented-local-part",
    ),
    pytest.param(
        "Jo-Bonjour-99",
        "jo@exemple.ca",
        False,
        id="local-part-under-4-not-screened",
    ),
    pytest.param(
        "Jo@exemple.ca99", "jo@exemple.ca", True, id="short-local-whole-email"
    ),
    pytest.param(
        "Jo@école.example1",
        "jo@école.example",
        True,
        id="whole-email-idn-unicode",
    ),
    pytest.param(
        f"Jo@{'école'.encode('idna').decode('ascii')}.example1",
        "jo@école.example",
        True,
        id="whole-email-idn-punycode",
    ),
    pytest.param(
        "Tremblay-Marie-9",
        "marie.tremblay@exemple.ca",
        False,
        id="names-in-other-order",
    ),
]


@pytest.mark.parametrize(("text", "address", "rejected"), EMAIL_SCREEN)
def test_password_contains_email(
    text: str, address: str, rejected: bool
) -> None:
    codes = [p.code for p in POLICY.problems(text, email=Email.parse(address))]

    assert ("password.contains_email" in codes) is rejected


def test_contains_email_only_problem() -> None:
    email = Email.parse("marie.tremblay@exemple.ca")

    with pytest.raises(InvalidPasswordError) as caught:
        POLICY.parse("xMARIE.tremblay9", email=email)

    assert caught.value.codes == ("password.contains_email",)


def test_email_screen_can_be_disabled() -> None:
    policy = PasswordPolicy(reject_email=False)
    email = Email.parse("marie.tremblay@exemple.ca")

    assert policy.problems("xMARIE.tremblay9", email=email) == ()


# Configurable policy.

CONFIGURED = [
    pytest.param(
        {"min_length": 12},
        "Éléphant12",
        ("password.too_short",),
        id="min-12-rejects-10",
    ),
    pytest.param(
        {"min_length": 12}, "Éléphant12ab", (), id="min-12-accepts-12"
    ),
    pytest.param(
        {"max_length": 16},
        "Éléphant12-rose-x",
        ("password.too_long",),
        id="max-16-rejects-17",
    ),
    pytest.param({"require_digit": False}, "Éléphant-rose", (), id="no-digit"),
    pytest.param(
        {"require_uppercase": False}, "éléphant12", (), id="no-upper"
    ),
    pytest.param(
        {"require_lowercase": False}, "ÉLÉPHANT12", (), id="no-lower"
    ),
    pytest.param({"reject_common": False}, "Hiver2024", (), id="no-common"),
    pytest.param(
        {"common_passwords": frozenset({"ecole-2026x"})},
        "Ecole-2026X",
        ("password.common",),
        id="own-list-rejects",
    ),
    pytest.param(
        {"common_passwords": frozenset({"ecole-2026x"})},
        "Hiver2024",
        (),
        id="own-list-replaces-bundled",
    ),
]


@pytest.mark.parametrize(("options", "text", "codes"), CONFIGURED)
def test_configured_policy_codes(
    options: dict[str, object], text: str, codes: tuple[str, ...]
) -> None:
    policy = PasswordPolicy(**options)  # type: ignore[arg-type]

    assert tuple(p.code for p in policy.problems(text)) == codes


def test_configured_min_length_param() -> None:
    (problem,) = PasswordPolicy(min_length=12).problems("Éléphant12")

    assert dict(problem.params) == {"min_length": 12}


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"min_length": 0}, id="min-zero"),
        pytest.param({"min_length": 10, "max_length": 9}, id="max-below-min"),
    ],
)
def test_policy_rejects_bad_limits(options: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="must be at least"):
        PasswordPolicy(**options)


# The Password object.


def test_password_repr_hides_value() -> None:
    assert repr(POLICY.parse("Éléphant12")) == "Password(<hidden>)"


def test_password_str_hides_value() -> None:
    assert str(POLICY.parse("Éléphant12")) == "********"


def test_passwords_never_equal() -> None:
    assert POLICY.parse("Éléphant12") != POLICY.parse("Éléphant12")


def test_password_is_password_type() -> None:
    assert isinstance(POLICY.parse("Éléphant12"), Password)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(b"Elephant12", id="bytes"),
        pytest.param(12345678, id="int"),
    ],
)
def test_password_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        POLICY.parse(value)  # type: ignore[arg-type]
