"""OrganizationDirectory: the bundled organizations, lookup and search.

The expected names and codes are read straight from the bundled CSV file
with the csv module, independently of the directory's own loader.
"""

import csv
import io
from collections import Counter
from importlib import resources

import pytest

from portail_core import UnknownOrganizationError, ValidationError
from portail_core.values import (
    OrganizationDirectory,
    OrganizationKind,
    organization_key,
)

DIRECTORY = OrganizationDirectory.bundled()


def _csv_rows() -> list[dict[str, str]]:
    text = (
        resources.files("portail_core")
        .joinpath("data/school-organizations.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(io.StringIO(text)))


ROWS = _csv_rows()


def _every_name() -> list[object]:
    params = []
    for row in ROWS:
        names = [row["name_fr"], row["name_en"], *row["aliases"].split(";")]
        for name in (name.strip() for name in names):
            if name:
                params.append(
                    pytest.param(name, row["code"], id=f"{row['code']}-{name}")
                )
    return params


EVERY_NAME = _every_name()


def test_bundled_has_72_organizations() -> None:
    assert len(DIRECTORY) == 72


def test_csv_has_72_rows() -> None:
    assert len(ROWS) == 72


def test_bundled_codes_match_csv() -> None:
    assert [o.code for o in DIRECTORY] == [row["code"] for row in ROWS]


def test_bundled_kinds_counted() -> None:
    kinds = Counter(organization.kind for organization in DIRECTORY)

    # 60 French-language centres plus the Littoral, 9 English-language
    # boards, and the Cree and Kativik boards.
    assert kinds == {
        OrganizationKind.CENTRE_DE_SERVICES_SCOLAIRE: 61,
        OrganizationKind.ENGLISH_SCHOOL_BOARD: 9,
        OrganizationKind.SPECIAL_STATUS: 2,
    }


def test_bundled_codes_are_six_digits() -> None:
    malformed = [
        o.code
        for o in DIRECTORY
        if not (len(o.code) == 6 and o.code.isdigit())
    ]

    assert malformed == []


def test_every_name_listed() -> None:
    # The table below must cover official names and aliases alike.
    assert len(EVERY_NAME) > 2 * len(ROWS)


@pytest.mark.parametrize(("name", "code"), EVERY_NAME)
def test_lookup_every_name(name: str, code: str) -> None:
    assert DIRECTORY.lookup(name).code == code


@pytest.mark.parametrize(("name", "code"), EVERY_NAME)
def test_search_every_name_first(name: str, code: str) -> None:
    first = DIRECTORY.search(name)[0]

    assert first.organization.code == code


@pytest.mark.parametrize(("name", "code"), EVERY_NAME)
def test_search_every_name_scores_one(name: str, code: str) -> None:
    assert DIRECTORY.search(name)[0].score == 1.0


@pytest.mark.parametrize(
    "code", [pytest.param(row["code"], id=row["code"]) for row in ROWS]
)
def test_lookup_by_code(code: str) -> None:
    assert DIRECTORY.lookup(code).code == code


@pytest.mark.parametrize(
    "code", [pytest.param(row["code"], id=row["code"]) for row in ROWS]
)
def test_by_code_returns_it(code: str) -> None:
    assert DIRECTORY.by_code(code).code == code


def test_lookup_code_trimmed() -> None:
    assert DIRECTORY.lookup(" 741000 ").code == "741000"


def test_by_code_unknown() -> None:
    with pytest.raises(UnknownOrganizationError) as caught:
        DIRECTORY.by_code("999999")

    assert caught.value.code == "organization.unknown"


SPELLINGS = [
    # Case, accents and punctuation.
    pytest.param("css du chemin du roy", "741000", id="lowercase"),
    pytest.param("CHEMIN-DU-ROY", "741000", id="capitals"),
    pytest.param("chemin du roy", "741000", id="spaces-for-hyphens"),
    pytest.param("cssdm", "762000", id="acronym-lowercase"),
    pytest.param("Montreal", "762000", id="missing-accent"),
    pytest.param(
        "Centre de services scolaire de Montreal",
        "762000",
        id="official-missing-accent",
    ),
    pytest.param("pointe de l'ile", "761000", id="apostrophe-no-accent"),
    pytest.param("Pointe-de-l’Île", "761000", id="curly-apostrophe"),
    pytest.param("coeur des vallees", "773000", id="oe-spelled-out"),
    pytest.param("CŒUR-DES-VALLÉES", "773000", id="oe-capitals"),
    pytest.param("Jonquiere", "724000", id="jonquiere"),
    pytest.param("iles", "811000", id="iles"),
    pytest.param("Mille Iles", "851000", id="mille-iles"),
    pytest.param(
        "Kamouraska - Riviere du Loup", "714000", id="spaced-dash-no-accent"
    ),
    pytest.param("Lester B Pearson", "888000", id="no-period"),
    pytest.param("Sir Wilfrid Laurier", "885000", id="spaces-for-hyphens-en"),
    pytest.param("English Montreal School Board", "887000", id="english-name"),
    # Generic words: CSS, centre de services scolaire, de, du, des.
    pytest.param("CSS Chemin-Roy", "741000", id="du-dropped"),
    pytest.param("Chemin-du-Roy", "741000", id="css-dropped"),
    pytest.param("CSS Phares", "712000", id="des-dropped"),
    pytest.param("CSS de Phares", "712000", id="de-for-des"),
    pytest.param("Phares", "712000", id="name-only"),
    pytest.param(
        "Centre de services scolaire Premieres-Seigneuries",
        "734000",
        id="official-without-des",
    ),
    pytest.param("Commission scolaire de Montréal", "762000", id="old-title"),
    pytest.param("CS Riverside", "884000", id="cs-prefix"),
    pytest.param("Riverside", "884000", id="board-name-only"),
]


@pytest.mark.parametrize(("text", "code"), SPELLINGS)
def test_lookup_spelling_variants(text: str, code: str) -> None:
    assert DIRECTORY.lookup(text).code == code


TYPOS = [
    pytest.param("chemin du roi", "741000", id="chemin-du-roi"),
    pytest.param("Chemin du Roi", "741000", id="chemin-du-roi-capitals"),
    pytest.param("marguerite bourgeois", "763000", id="bourgeois"),
    pytest.param("Sherbroke", "752000", id="sherbroke"),
    pytest.param("sherbrooke", "752000", id="one-distinct-word"),
    pytest.param("Capitalle", "732000", id="doubled-letter"),
    pytest.param("des patriote", "865000", id="singular"),
    pytest.param("Draveur", "771000", id="singular-draveur"),
    pytest.param("Beauce Etchemain", "823000", id="etchemain"),
    pytest.param("Saint Hyacinte", "862000", id="hyacinte"),
    pytest.param("lac st jean", "722000", id="st-for-saint"),
    pytest.param("rivieres du nord", "852000", id="plural"),
    pytest.param("Premiere Seigneurie", "734000", id="singulars"),
    pytest.param("Laurentide", "853000", id="laurentide"),
    pytest.param("Lester Pearson", "888000", id="initial-dropped"),
    pytest.param("Eastern township", "883000", id="townships"),
    pytest.param(
        "Centre de service scolaire des Navigateur",
        "824000",
        id="service-singular",
    ),
]


@pytest.mark.parametrize(("text", "code"), TYPOS)
def test_search_ranks_intended_first(text: str, code: str) -> None:
    assert DIRECTORY.search(text)[0].organization.code == code


@pytest.mark.parametrize(("text", "code"), TYPOS)
def test_lookup_typo_suggests_intended(text: str, code: str) -> None:
    with pytest.raises(UnknownOrganizationError) as caught:
        DIRECTORY.lookup(text)

    assert caught.value.suggestions[0].code == code  # type: ignore[attr-defined]


def test_search_chemin_du_roi_first() -> None:
    matches = DIRECTORY.search("chemin du roi")

    assert matches[0].organization.code == "741000"


def test_search_exact_code_scores_one() -> None:
    matches = DIRECTORY.search("741000")

    assert [(m.organization.code, m.score) for m in matches] == [
        ("741000", 1.0)
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("montreal", id="montreal"),
        pytest.param("Laurentides", id="laurentides"),
        pytest.param("cssdm", id="cssdm"),
        pytest.param("Premieres Seigneuries", id="seigneuries"),
    ],
)
def test_search_scores_descending(text: str) -> None:
    scores = [match.score for match in DIRECTORY.search(text)]

    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("montreal", id="montreal"),
        pytest.param("Laurentides", id="laurentides"),
        pytest.param("chemin du roi", id="chemin-du-roi"),
    ],
)
def test_search_scores_in_range(text: str) -> None:
    scores = [match.score for match in DIRECTORY.search(text)]

    assert all(0.6 <= score <= 1.0 for score in scores)


def test_search_limit_respected() -> None:
    assert len(DIRECTORY.search("montreal", limit=1)) == 1


def test_search_one_match_per_organization() -> None:
    codes = [m.organization.code for m in DIRECTORY.search("cssdm")]

    assert len(codes) == len(set(codes))


UNKNOWN = [
    pytest.param("Toronto District School Board", id="other-province"),
    pytest.param("xyz", id="noise"),
    pytest.param("Centre de services scolaire", id="generic-words-only"),
    pytest.param("de", id="particle-only"),
    pytest.param("École Saint-Exemple", id="school-not-organization"),
]


@pytest.mark.parametrize("text", UNKNOWN)
def test_lookup_unknown_raises(text: str) -> None:
    with pytest.raises(UnknownOrganizationError) as caught:
        DIRECTORY.lookup(text)

    assert caught.value.code == "organization.unknown"


@pytest.mark.parametrize("text", UNKNOWN)
def test_lookup_unknown_no_suggestion(text: str) -> None:
    with pytest.raises(UnknownOrganizationError) as caught:
        DIRECTORY.lookup(text)

    assert caught.value.suggestions == ()


@pytest.mark.parametrize("text", UNKNOWN)
def test_search_unknown_empty(text: str) -> None:
    assert DIRECTORY.search(text) == []


def test_unknown_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        DIRECTORY.lookup("Toronto District School Board")


def test_sherbrooke_needs_search() -> None:
    # "Sherbrooke" alone is not a listed name, so lookup fails and suggests.
    with pytest.raises(UnknownOrganizationError) as caught:
        DIRECTORY.lookup("Sherbrooke")

    assert [o.code for o in caught.value.suggestions] == ["752000"]  # type: ignore[attr-defined]


# Names in each language.

NAMES = [
    pytest.param("887000", "fr", "Commission scolaire English-Montréal"),
    pytest.param("887000", "en", "English Montreal School Board"),
    pytest.param(
        "741000", "fr", "Centre de services scolaire du Chemin-du-Roy"
    ),
    pytest.param(
        "741000", "en", "Centre de services scolaire du Chemin-du-Roy"
    ),
]


@pytest.mark.parametrize(("code", "language", "name"), NAMES)
def test_organization_name_language(
    code: str, language: str, name: str
) -> None:
    assert DIRECTORY.by_code(code).name(language) == name  # type: ignore[arg-type]


def test_names_official_first() -> None:
    names = DIRECTORY.by_code("759000").names

    assert names[:2] == ("Commission scolaire crie", "Cree School Board")


# Keys and directories built from CSV text.

KEYS = [
    pytest.param(
        "Centre de services scolaire au Cœur-des-Vallées",
        "coeur vallees",
        id="coeur",
    ),
    pytest.param("CSS du Chemin-du-Roy", "chemin roy", id="chemin-du-roy"),
    pytest.param("Commission scolaire crie", "crie", id="crie"),
    pytest.param(
        "Lester B. Pearson School Board", "lester b pearson", id="lbp"
    ),
]


@pytest.mark.parametrize(("text", "key"), KEYS)
def test_organization_key(text: str, key: str) -> None:
    assert organization_key(text) == key


HEADER = "code,kind,name_fr,name_en,aliases\n"


def test_from_csv_reads_aliases() -> None:
    directory = OrganizationDirectory.from_csv(
        HEADER
        + "999001,centre_de_services_scolaire,Centre de services scolaire "
        "de l'Exemple,,CSS de l'Exemple; Exemple\n"
    )

    assert directory.lookup("exemple").code == "999001"


def test_from_csv_rejects_duplicate_code() -> None:
    row = "999001,centre_de_services_scolaire,CSS Un,,\n"
    other = "999001,centre_de_services_scolaire,CSS Deux,,\n"

    with pytest.raises(ValueError, match="appears twice"):
        OrganizationDirectory.from_csv(HEADER + row + other)


def test_from_csv_rejects_shared_name() -> None:
    row = "999001,centre_de_services_scolaire,CSS des Exemples,,\n"
    other = "999002,centre_de_services_scolaire,CSS Deux,,Exemples\n"

    with pytest.raises(ValueError, match="same key"):
        OrganizationDirectory.from_csv(HEADER + row + other)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(741000, id="int"),
        pytest.param(b"741000", id="bytes"),
    ],
)
def test_lookup_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        DIRECTORY.lookup(value)  # type: ignore[arg-type]
