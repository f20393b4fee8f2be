"""Email: normalization, the comparison key, and the code of each rejection.

Addresses are fictional and use the reserved ``.example`` top-level domain
or ``exemple.ca``.
"""

import string
import unicodedata

import attrs
import pytest

from portail_core import InvalidEmailError, ValidationError
from portail_core.values import Email
from portail_core.values._email import _letter_script

# The ASCII (punycode) form of the label "école", computed by Python's
# IDNA codec rather than written by hand.
ECOLE_ACE = "école".encode("idna").decode("ascii")

# A domain of four labels and 252 characters: with "p@" the address is
# exactly 254 characters, the longest that RFC 5321 allows.
LONGEST_DOMAIN = ("a" * 63 + ".") * 3 + "a" * 57 + ".ca"


VALID = [
    pytest.param(
        "parent@exemple.ca",
        "parent@exemple.ca",
        "parent@exemple.ca",
        id="plain",
    ),
    pytest.param(
        "  Parent@Exemple.CA  ",
        "Parent@exemple.ca",
        "parent@exemple.ca",
        id="trimmed-domain-lowercased",
    ),
    pytest.param(
        "\u00a0parent@exemple.ca\u2003",
        "parent@exemple.ca",
        "parent@exemple.ca",
        id="unicode-spaces-trimmed",
    ),
    pytest.param(
        "Éloïse.Côté-Tremblay@exemple.ca",
        "Éloïse.Côté-Tremblay@exemple.ca",
        "éloïse.côté-tremblay@exemple.ca",
        id="accented-local-part",
    ),
    pytest.param(
        "mère.de.léa@exemple.ca",
        "mère.de.léa@exemple.ca",
        "mère.de.léa@exemple.ca",
        id="accented-lowercase",
    ),
    pytest.param(
        "ÉLOÏSE.BÉRUBÉ@EXEMPLE.CA",
        "ÉLOÏSE.BÉRUBÉ@exemple.ca",
        "éloïse.bérubé@exemple.ca",
        id="accented-capitals",
    ),
    pytest.param(
        unicodedata.normalize("NFD", "Bérubé@exemple.ca"),
        "Bérubé@exemple.ca",
        "bérubé@exemple.ca",
        id="nfd-becomes-nfc",
    ),
    pytest.param(
        "marie-eve.gagne+ecole@exemple.ca",
        "marie-eve.gagne+ecole@exemple.ca",
        "marie-eve.gagne+ecole@exemple.ca",
        id="plus-tag",
    ),
    pytest.param(
        "o'neil@exemple.ca",
        "o'neil@exemple.ca",
        "o'neil@exemple.ca",
        id="apostrophe-local-part",
    ),
    pytest.param(
        "parent@cssdm.exemple.qc.ca",
        "parent@cssdm.exemple.qc.ca",
        "parent@cssdm.exemple.qc.ca",
        id="subdomains",
    ),
    pytest.param(
        "parent@école.example",
        "parent@école.example",
        f"parent@{ECOLE_ACE}.example",
        id="idn-unicode",
    ),
    pytest.param(
        "parent@ÉCOLE.EXAMPLE",
        "parent@école.example",
        f"parent@{ECOLE_ACE}.example",
        id="idn-unicode-capitals",
    ),
    pytest.param(
        f"parent@{ECOLE_ACE}.example",
        "parent@école.example",
        f"parent@{ECOLE_ACE}.example",
        id="idn-punycode",
    ),
    pytest.param(
        f"parent@{ECOLE_ACE.upper()}.EXAMPLE",
        "parent@école.example",
        f"parent@{ECOLE_ACE}.example",
        id="idn-punycode-capitals",
    ),
    pytest.param(
        "иван@exemple.ca",
        "иван@exemple.ca",
        "иван@exemple.ca",
        id="cyrillic-only-local-part",
    ),
    pytest.param(
        "たなか太郎@exemple.ca",
        "たなか太郎@exemple.ca",
        "たなか太郎@exemple.ca",
        id="japanese-han-hiragana",
    ),
    pytest.param(
        "김민준@exemple.ca",
        "김민준@exemple.ca",
        "김민준@exemple.ca",
        id="korean-hangul",
    ),
    pytest.param(
        "p@" + LONGEST_DOMAIN,
        "p@" + LONGEST_DOMAIN,
        "p@" + LONGEST_DOMAIN,
        id="254-characters",
    ),
]


@pytest.mark.parametrize(("text", "canonical", "key"), VALID)
def test_email_canonical_form(text: str, canonical: str, key: str) -> None:
    assert str(Email.parse(text)) == canonical


@pytest.mark.parametrize(("text", "canonical", "key"), VALID)
def test_email_comparison_key(text: str, canonical: str, key: str) -> None:
    assert Email.parse(text).key == key


@pytest.mark.parametrize(("text", "canonical", "key"), VALID)
def test_email_reparse_is_equal(text: str, canonical: str, key: str) -> None:
    email = Email.parse(text)

    assert Email.parse(str(email)) == email


def test_email_local_part_and_domain() -> None:
    email = Email.parse("Éloïse.Côté@ÉCOLE.example")

    assert email.local_part == "Éloïse.Côté"
    assert email.domain == "école.example"


SAME_ADDRESS = [
    pytest.param(
        "parent@exemple.ca", "PARENT@EXEMPLE.CA", id="case-of-whole-address"
    ),
    pytest.param(
        "Éloïse@exemple.ca", "éLOÏSE@Exemple.Ca", id="case-of-accented"
    ),
    pytest.param(
        "bérubé@exemple.ca",
        unicodedata.normalize("NFD", "bérubé@exemple.ca"),
        id="nfc-and-nfd",
    ),
    pytest.param(
        "parent@école.example",
        f"parent@{ECOLE_ACE}.example",
        id="idn-unicode-and-punycode",
    ),
    pytest.param(
        "Parent@École.example",
        f"pArEnT@{ECOLE_ACE.upper()}.EXAMPLE",
        id="idn-forms-and-case",
    ),
    pytest.param(
        "parent@exemple.ca", " parent@exemple.ca ", id="surrounding-spaces"
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME_ADDRESS)
def test_email_equal_forms(first: str, second: str) -> None:
    assert Email.parse(first) == Email.parse(second)


@pytest.mark.parametrize(("first", "second"), SAME_ADDRESS)
def test_email_equal_forms_same_hash(first: str, second: str) -> None:
    assert hash(Email.parse(first)) == hash(Email.parse(second))


DIFFERENT_ADDRESSES = [
    pytest.param(
        "marie.tremblay@exemple.ca",
        "marietremblay@exemple.ca",
        id="dot-matters",
    ),
    pytest.param(
        "parent+ecole@exemple.ca", "parent@exemple.ca", id="plus-tag-matters"
    ),
    pytest.param(
        "bérubé@exemple.ca", "berube@exemple.ca", id="accent-matters"
    ),
    pytest.param(
        "parent@école.example", "parent@ecole.example", id="idn-accent-matters"
    ),
    pytest.param(
        "parent@exemple.ca", "parent@exemple.qc.ca", id="domain-matters"
    ),
]


@pytest.mark.parametrize(("first", "second"), DIFFERENT_ADDRESSES)
def test_email_different_addresses(first: str, second: str) -> None:
    assert Email.parse(first) != Email.parse(second)


INVALID = [
    # Empty once trimmed.
    pytest.param("", "email.empty", id="empty"),
    pytest.param("   ", "email.empty", id="spaces-only"),
    pytest.param("\u00a0\u2003", "email.empty", id="unicode-spaces-only"),
    # Length, checked before anything else costs time.
    pytest.param("pp@" + LONGEST_DOMAIN, "email.too_long", id="255-chars"),
    pytest.param("a" * 300 + "@exemple.ca", "email.too_long", id="paste"),
    # Invisible characters, rejected wherever they sit.
    pytest.param(
        "parent\u200b@exemple.ca", "email.invisible_character", id="zwsp"
    ),
    pytest.param(
        "\ufeffparent@exemple.ca", "email.invisible_character", id="bom"
    ),
    pytest.param(
        "parent@exemple.ca\u202e", "email.invisible_character", id="rlo"
    ),
    pytest.param(
        "par\x00ent@exemple.ca", "email.invisible_character", id="nul"
    ),
    pytest.param(
        "parent\n@exemple.ca", "email.invisible_character", id="line-feed"
    ),
    pytest.param(
        "parent@exem\u00adple.ca",
        "email.invisible_character",
        id="soft-hyphen",
    ),
    # Inner spaces.
    pytest.param("marie tremblay@exemple.ca", "email.space", id="space"),
    pytest.param(
        "marie\u00a0tremblay@exemple.ca", "email.space", id="no-break-space"
    ),
    pytest.param('"marie tremblay"@exemple.ca', "email.space", id="quoted"),
    # Structure.
    pytest.param("parent.exemple.ca", "email.missing_at", id="no-at"),
    pytest.param("parent@@exemple.ca", "email.multiple_at", id="double-at"),
    pytest.param(
        "marie@tremblay@exemple.ca", "email.multiple_at", id="two-ats"
    ),
    pytest.param("@exemple.ca", "email.missing_local_part", id="no-local"),
    pytest.param("parent@", "email.missing_domain", id="no-domain"),
    pytest.param("parent@exemple", "email.domain_without_dot", id="no-dot"),
    pytest.param("parent@localhost", "email.domain_without_dot", id="host"),
    pytest.param(
        "marie..tremblay@exemple.ca", "email.consecutive_dots", id="dots-local"
    ),
    pytest.param(
        "parent@exemple..ca", "email.consecutive_dots", id="dots-domain"
    ),
    # Rejected by email-validator.
    pytest.param(".parent@exemple.ca", "email.invalid", id="leading-dot"),
    pytest.param("parent.@exemple.ca", "email.invalid", id="trailing-dot"),
    pytest.param("parent@-exemple.ca", "email.invalid", id="label-hyphen"),
    pytest.param("parent@exemple_ecole.ca", "email.invalid", id="underscore"),
    pytest.param("parent@exemple.ca.", "email.invalid", id="final-dot"),
    pytest.param("parent@.exemple.ca", "email.invalid", id="empty-label"),
    pytest.param("parent@exemple.123", "email.invalid", id="numeric-tld"),
    pytest.param("parent@[192.0.2.1]", "email.invalid", id="ip-literal"),
    pytest.param("parent@exemple.local", "email.invalid", id="special-use"),
    pytest.param("parent@xn--.example", "email.invalid", id="bad-punycode"),
    # Letters that imitate other letters.
    pytest.param(
        "ｐarent@exemple.ca", "email.lookalike_character", id="fullwidth"
    ),
    pytest.param(
        "𝐩arent@exemple.ca", "email.lookalike_character", id="math-bold"
    ),
    pytest.param(
        "p\u0430rent@exemple.ca", "email.mixed_script", id="cyrillic-a"
    ),
    pytest.param(
        "j\u03bfhn@exemple.ca", "email.mixed_script", id="greek-omicron"
    ),
]


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_email_invalid_code(text: str, code: str) -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse(text)

    assert caught.value.code == code


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_email_invalid_single_problem(text: str, code: str) -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse(text)

    assert caught.value.codes == (code,)


def test_email_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        Email.parse("parent.exemple.ca")


def test_email_error_is_value_error() -> None:
    with pytest.raises(ValueError, match=r"email\.missing_at"):
        Email.parse("parent.exemple.ca")


def test_email_too_long_limit_param() -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse("a" * 300 + "@exemple.ca")

    assert caught.value.param("max_length") == 254


CHARACTER_NAMES = [
    pytest.param(
        "parent\u200b@exemple.ca", "U+200B ZERO WIDTH SPACE", id="zwsp"
    ),
    pytest.param(
        "par\x00ent@exemple.ca", "U+0000 NULL", id="nul-without-unicode-name"
    ),
    pytest.param(
        "parent@exemple.ca\u202e",
        "U+202E RIGHT-TO-LEFT OVERRIDE",
        id="rlo",
    ),
    pytest.param(
        "ｐarent@exemple.ca",
        "U+FF50 FULLWIDTH LATIN SMALL LETTER P",
        id="fullwidth",
    ),
]


@pytest.mark.parametrize(("text", "described"), CHARACTER_NAMES)
def test_email_error_names_character(text: str, described: str) -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse(text)

    assert caught.value.param("character") == described


def test_email_mixed_script_names_scripts() -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse("p\u0430rent@exemple.ca")

    assert caught.value.param("scripts") == "CYRILLIC, LATIN"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(b"parent@exemple.ca", id="bytes"),
        pytest.param(42, id="int"),
    ],
)
def test_email_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        Email.parse(value)  # type: ignore[arg-type]


def test_email_repr_hides_address() -> None:
    assert repr(Email.parse("marie.tremblay@exemple.ca")) == "Email(<hidden>)"


def test_email_validator_message_not_leaked() -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse("secret.parent.@exemple.ca")

    assert "secret" not in str(caught.value)


def test_email_traceback_hides_validator_error() -> None:
    # The validator's own exception quotes the address, so neither a
    # traceback nor a logger walking the chain may find it.
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse("secret.parent.@exemple.ca")

    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None


# Objects built by parse, which skips the attrs __init__.


def test_email_parse_matches_constructor() -> None:
    parsed = Email.parse("  Parent@Exemple.CA ")
    built = Email("Parent@exemple.ca", "parent@exemple.ca")

    assert attrs.asdict(parsed) == attrs.asdict(built)
    assert parsed == built
    assert hash(parsed) == hash(built)


def test_email_parse_result_frozen() -> None:
    email = Email.parse("parent@exemple.ca")

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        email.key = "other@exemple.ca"  # type: ignore[misc]


@attrs.frozen
class _LabelledEmail(Email):
    label: str = "no label"


def test_email_subclass_parse_runs_init() -> None:
    email = _LabelledEmail.parse("parent@exemple.ca")

    assert type(email) is _LabelledEmail
    assert email.label == "no label"


@pytest.mark.parametrize("letter", string.ascii_letters)
def test_ascii_letter_script_latin(letter: str) -> None:
    # The script check counts ASCII letters as Latin without a lookup.
    assert _letter_script(letter) == "LATIN"
