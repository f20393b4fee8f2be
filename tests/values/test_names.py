"""PersonName: normalization, the matching key, and rejected characters.

The matching key ignores accents (transliterated with unidecode), case,
and the separators that vary between sources: spaces, hyphens, dashes,
apostrophes and periods.
"""

import unicodedata

import pytest

from portail_core import InvalidNameError, ValidationError
from portail_core.values import PersonName, matching_key

VALID = [
    pytest.param(
        "Côté-Tremblay",
        "Côté-Tremblay",
        "cotetremblay",
        ("cote", "tremblay"),
        id="compound-accented",
    ),
    pytest.param(
        "  Côté   Tremblay  ",
        "Côté Tremblay",
        "cotetremblay",
        ("cote", "tremblay"),
        id="spaces-collapsed",
    ),
    pytest.param(
        "Lévesque\u00a0Bouchard",
        "Lévesque Bouchard",
        "levesquebouchard",
        ("levesque", "bouchard"),
        id="no-break-space-collapsed",
    ),
    pytest.param("D'Amour", "D'Amour", "damour", ("damour",), id="apostrophe"),
    pytest.param(
        "D’Amour", "D’Amour", "damour", ("damour",), id="curly-apostrophe"
    ),
    pytest.param(
        "D\u02bcAmour",
        "D\u02bcAmour",
        "damour",
        ("damour",),
        id="modifier-apostrophe",
    ),
    pytest.param(
        "de la Fontaine",
        "de la Fontaine",
        "delafontaine",
        ("de", "la", "fontaine"),
        id="particles",
    ),
    pytest.param("Ng", "Ng", "ng", ("ng",), id="two-letters"),
    pytest.param("Ho", "Ho", "ho", ("ho",), id="two-letters-ho"),
    pytest.param("Bérubé", "Bérubé", "berube", ("berube",), id="accents"),
    pytest.param(
        unicodedata.normalize("NFD", "Bérubé"),
        "Bérubé",
        "berube",
        ("berube",),
        id="nfd-becomes-nfc",
    ),
    pytest.param(
        "Marie-Ève",
        "Marie-Ève",
        "marieeve",
        ("marie", "eve"),
        id="compound-given-name",
    ),
    pytest.param(
        "Jean–Philippe",
        "Jean–Philippe",
        "jeanphilippe",
        ("jean", "philippe"),
        id="en-dash",
    ),
    pytest.param(
        "Jean\u2011Philippe",
        "Jean\u2011Philippe",
        "jeanphilippe",
        ("jean", "philippe"),
        id="non-breaking-hyphen",
    ),
    pytest.param(
        "St. Pierre",
        "St. Pierre",
        "saintpierre",
        ("saint", "pierre"),
        id="period",
    ),
    pytest.param(
        "Cœur-de-Lion",
        "Cœur-de-Lion",
        "coeurdelion",
        ("coeur", "de", "lion"),
        id="oe-ligature",
    ),
    pytest.param("Nguyễn", "Nguyễn", "nguyen", ("nguyen",), id="vietnamese"),
    pytest.param(
        "Anne-Sophie Marie-Ève Léa Zoé",
        "Anne-Sophie Marie-Ève Léa Zoé",
        "annesophiemarieeveleazoe",
        ("anne", "sophie", "marie", "eve", "lea", "zoe"),
        id="four-given-names",
    ),
    pytest.param(
        "a" * 100, "a" * 100, "a" * 100, ("a" * 100,), id="100-chars"
    ),
]


@pytest.mark.parametrize(("text", "canonical", "key", "parts"), VALID)
def test_name_canonical_text(
    text: str, canonical: str, key: str, parts: tuple[str, ...]
) -> None:
    assert str(PersonName.parse(text)) == canonical


@pytest.mark.parametrize(("text", "canonical", "key", "parts"), VALID)
def test_name_matching_key(
    text: str, canonical: str, key: str, parts: tuple[str, ...]
) -> None:
    assert PersonName.parse(text).key == key


@pytest.mark.parametrize(("text", "canonical", "key", "parts"), VALID)
def test_name_parts(
    text: str, canonical: str, key: str, parts: tuple[str, ...]
) -> None:
    assert PersonName.parse(text).parts == parts


@pytest.mark.parametrize(("text", "canonical", "key", "parts"), VALID)
def test_name_key_function_agrees(
    text: str, canonical: str, key: str, parts: tuple[str, ...]
) -> None:
    assert matching_key(canonical) == key


SAME_KEY = [
    pytest.param("Côté-Tremblay", "cote tremblay", id="accents-case-hyphen"),
    pytest.param("Côté-Tremblay", "COTE-TREMBLAY", id="capitals"),
    pytest.param("Côté-Tremblay", "Côté Tremblay", id="hyphen-or-space"),
    pytest.param("Côté-Tremblay", "Côté–Tremblay", id="hyphen-or-en-dash"),
    pytest.param("D'Amour", "D’Amour", id="apostrophes"),
    pytest.param("D'Amour", "Damour", id="apostrophe-dropped"),
    pytest.param("D'Amour", "D Amour", id="apostrophe-or-space"),
    pytest.param("de la Fontaine", "Delafontaine", id="particles-joined"),
    pytest.param("Bérubé", "BERUBE", id="accents-dropped"),
    pytest.param("Marie-Ève", "marie eve", id="given-compound"),
    pytest.param("Saint-Pierre", "saint pierre", id="saint"),
    pytest.param("Lévesque", "Le\u0301vesque", id="nfc-and-nfd"),
    pytest.param("Cœur", "Coeur", id="ligature"),
    pytest.param("St. Pierre", "Saint-Pierre", id="saint-abbreviated"),
    pytest.param("Ste-Marie", "Sainte Marie", id="sainte-abbreviated"),
]


@pytest.mark.parametrize(("first", "second"), SAME_KEY)
def test_name_keys_equal(first: str, second: str) -> None:
    assert PersonName.parse(first).key == PersonName.parse(second).key


DIFFERENT_KEY = [
    pytest.param("Côté", "Côté-Tremblay", id="one-part-of-two"),
    pytest.param("Ng", "Ho", id="short-names"),
    pytest.param("Gagné", "Gagnon", id="close-names"),
    pytest.param("Tremblay Côté", "Côté-Tremblay", id="order-matters"),
    pytest.param("Stéphane", "Saint-Éphane", id="st-inside-a-word"),
]


@pytest.mark.parametrize(("first", "second"), DIFFERENT_KEY)
def test_name_keys_differ(first: str, second: str) -> None:
    assert PersonName.parse(first).key != PersonName.parse(second).key


def test_name_equality_uses_text() -> None:
    assert PersonName.parse("Côté") != PersonName.parse("Cote")


def test_name_equality_after_normalizing() -> None:
    assert PersonName.parse(" Côté  Tremblay ") == PersonName.parse(
        "Côté Tremblay"
    )


INVALID = [
    pytest.param("", "name.empty", id="empty"),
    pytest.param("   ", "name.empty", id="spaces-only"),
    pytest.param("\u00a0\u2003", "name.empty", id="unicode-spaces-only"),
    pytest.param("a" * 101, "name.too_long", id="101-chars"),
    pytest.param("Tremblay " * 20, "name.too_long", id="paste"),
    pytest.param("Côté\tTremblay", "name.invisible_character", id="tab"),
    pytest.param("Côté\nTremblay", "name.invisible_character", id="newline"),
    pytest.param("Gag\u200bnon", "name.invisible_character", id="zwsp"),
    pytest.param("\ufeffGagnon", "name.invisible_character", id="bom"),
    pytest.param("Gagnon\u202e", "name.invisible_character", id="rlo"),
    pytest.param("Gag\x00non", "name.invisible_character", id="nul"),
    pytest.param("Gag\u00adnon", "name.invisible_character", id="soft-hyphen"),
    pytest.param("Tremblay2", "name.invalid_character", id="digit"),
    pytest.param("Tremblay_Gagnon", "name.invalid_character", id="underscore"),
    pytest.param("Tremblay (mère)", "name.invalid_character", id="brackets"),
    pytest.param("Tremblay, Marie", "name.invalid_character", id="comma"),
    pytest.param("Marie/Léa", "name.invalid_character", id="slash"),
    pytest.param("marie@exemple.ca", "name.invalid_character", id="email"),
    pytest.param("Louis XIV Ⅻ", "name.invalid_character", id="roman-numeral"),
    pytest.param("Léa 😀", "name.invalid_character", id="emoji"),
    pytest.param("-", "name.no_letters", id="hyphen-only"),
    pytest.param("'", "name.no_letters", id="apostrophe-only"),
    pytest.param("'.-", "name.no_letters", id="separators-only"),
    pytest.param("\u0301", "name.no_letters", id="combining-accent-only"),
]


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_name_invalid_code(text: str, code: str) -> None:
    with pytest.raises(InvalidNameError) as caught:
        PersonName.parse(text)

    assert caught.value.codes == (code,)


CHARACTER_NAMES = [
    pytest.param("Tremblay2", "U+0032 DIGIT TWO", id="digit"),
    pytest.param("Gag\u200bnon", "U+200B ZERO WIDTH SPACE", id="zwsp"),
    pytest.param("Côté\tTremblay", "U+0009 CHARACTER TABULATION", id="tab"),
    pytest.param("Tremblay, Marie", "U+002C COMMA", id="comma"),
]


@pytest.mark.parametrize(("text", "described"), CHARACTER_NAMES)
def test_name_error_names_character(text: str, described: str) -> None:
    with pytest.raises(InvalidNameError) as caught:
        PersonName.parse(text)

    assert caught.value.param("character") == described


def test_too_long_states_limit() -> None:
    with pytest.raises(InvalidNameError) as caught:
        PersonName.parse("a" * 101)

    assert caught.value.param("max_length") == 100


def test_name_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        PersonName.parse("Tremblay2")


def test_name_repr_hides_name() -> None:
    assert repr(PersonName.parse("Côté-Tremblay")) == "PersonName(<hidden>)"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(b"Tremblay", id="bytes"),
        pytest.param(["Tremblay"], id="list"),
    ],
)
def test_name_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        PersonName.parse(value)  # type: ignore[arg-type]
