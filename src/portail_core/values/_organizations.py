"""Quebec's public school organizations and a directory to find them.

The bundled list has the 72 organizations from Quebec's open data on the
territories of school service centres and school boards (version
2022-11): 60 French-language centres de services scolaires, the Centre de
services scolaire du Littoral, 9 English-language school boards, and the
Cree and Kativik special-status boards. Each has the ministry's 6-digit
code, its French name, its English name where it has one, and the short
forms parents type ("CSS du Chemin-du-Roy", "CSSDM").

Spellings vary between sources (Cœur and Coeur, en dash and hyphen), so
names are compared through a key that ignores accents, case, punctuation
and the generic words of organization names ("centre de services
scolaire", "CSS", "de", "du", "des").

>>> directory = OrganizationDirectory.bundled()
>>> directory.lookup("css du chemin du roy").code
'741000'
>>> [match.organization.code for match in directory.search("chemin du roi")][:1]
['741000']
"""  # noqa: E501 - doctest lines cannot wrap

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Self

import attrs
from unidecode import unidecode

from portail_core._errors import Language, UnknownOrganizationError
from portail_core.values._text import find_invisible, require_str, trim

if TYPE_CHECKING:
    from difflib import SequenceMatcher

# Words that every organization name shares, or that parents add or drop
# freely. They carry no identity, so the key leaves them out.
_GENERIC_WORDS = frozenset(
    {
        "au",
        "aux",
        "board",
        "centre",
        "commission",
        "cs",
        "css",
        "d",
        "de",
        "des",
        "du",
        "et",
        "l",
        "la",
        "le",
        "les",
        "of",
        "school",
        "scolaire",
        "services",
        "the",
    }
)

_WORD = re.compile(r"[a-z0-9]+")

# A query longer than any organization name is a paste, not a name.
MAX_QUERY_LENGTH = 200

# Search results below this score are noise, not suggestions.
MIN_SCORE = 0.6

# Two words this similar count as the same word typed with a typo.
_WORD_SIMILARITY = 0.8


def organization_key(text: str) -> str:
    """Fold an organization name into its comparison key.

    >>> organization_key("Centre de services scolaire au Cœur-des-Vallées")
    'coeur vallees'
    """
    words = _WORD.findall(unidecode(text).lower())
    return " ".join(word for word in words if word not in _GENERIC_WORDS)


class OrganizationKind(enum.Enum):
    """Legal kind of a school organization."""

    CENTRE_DE_SERVICES_SCOLAIRE = "centre_de_services_scolaire"
    ENGLISH_SCHOOL_BOARD = "english_school_board"
    SPECIAL_STATUS = "special_status"


@attrs.frozen
class SchoolOrganization:
    """A school organization with its ministry code and names."""

    code: str
    """The ministry's 6-digit code, such as ``"741000"``."""
    kind: OrganizationKind
    name_fr: str
    name_en: str | None
    aliases: tuple[str, ...]
    """Short forms parents type, such as ``"CSS du Chemin-du-Roy"``."""

    def name(self, language: Language = "fr") -> str:
        """Return the official name in `language`, French if it has none."""
        if language == "en" and self.name_en:
            return self.name_en
        return self.name_fr

    @property
    def names(self) -> tuple[str, ...]:
        """Every name and short form, official names first."""
        official = (self.name_fr,) + ((self.name_en,) if self.name_en else ())
        return official + self.aliases


@attrs.frozen
class OrganizationMatch:
    """An organization found by a search, with its score from 0 to 1."""

    organization: SchoolOrganization
    score: float


@attrs.frozen
class OrganizationDirectory:
    """Organizations looked up by code, exact name, or ranked search."""

    organizations: tuple[SchoolOrganization, ...]
    _by_code: dict[str, SchoolOrganization] = attrs.field(
        init=False, repr=False, eq=False
    )
    _by_key: dict[str, SchoolOrganization] = attrs.field(
        init=False, repr=False, eq=False
    )
    _keys: tuple[tuple[SchoolOrganization, str], ...] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, SchoolOrganization] = {}
        by_key: dict[str, SchoolOrganization] = {}
        keys: list[tuple[SchoolOrganization, str]] = []
        for organization in self.organizations:
            if organization.code in by_code:
                raise ValueError(
                    f"Organization code {organization.code} appears twice."
                )
            by_code[organization.code] = organization
            for name in organization.names:
                key = organization_key(name)
                other = by_key.setdefault(key, organization)
                if other is not organization:
                    raise ValueError(
                        f"The name {name!r} of {organization.code} has the "
                        f"same key as a name of {other.code}."
                    )
                keys.append((organization, key))
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_keys", tuple(keys))

    @staticmethod
    def bundled() -> OrganizationDirectory:
        """Return the directory of the 72 bundled organizations."""
        return bundled_directory()

    @classmethod
    def from_csv(cls, text: str) -> Self:
        """Build a directory from CSV text in the bundled file's columns.

        Columns: ``code``, ``kind``, ``name_fr``, ``name_en`` (may be
        empty) and ``aliases`` (separated by ``;``).
        """
        import csv  # noqa: PLC0415 - needed only to load a directory
        import io  # noqa: PLC0415

        rows = csv.DictReader(io.StringIO(text))
        return cls(tuple(_organization_from_row(row) for row in rows))

    def __iter__(self) -> Iterator[SchoolOrganization]:
        return iter(self.organizations)

    def __len__(self) -> int:
        return len(self.organizations)

    def by_code(self, code: str) -> SchoolOrganization:
        """Return the organization with ministry code `code`.

        Raises:
            UnknownOrganizationError: no organization has that code.
        """
        organization = self._by_code.get(trim(require_str(code, "A code")))
        if organization is None:
            raise UnknownOrganizationError("organization.unknown")
        return organization

    def lookup(self, text: str) -> SchoolOrganization:
        """Return the organization whose code, name or short form is `text`.

        Names match in any spelling: accents, case, punctuation and the
        generic words do not matter.

        Raises:
            UnknownOrganizationError: no name matches exactly; the error's
                `suggestions` contains the best search results.
            TypeError: `text` is not a str.
        """
        text = _checked_query(text)
        organization = self._by_code.get(text) or self._by_key.get(
            organization_key(text)
        )
        if organization is not None:
            return organization
        error = UnknownOrganizationError("organization.unknown")
        error.suggestions = tuple(
            match.organization for match in self.search(text)
        )
        raise error

    def search(self, text: str, *, limit: int = 5) -> list[OrganizationMatch]:
        """Rank organizations by how well a name matches `text`, best first.

        Tolerates missing accents, case, dropped generic words and small
        typos ("chemin du roi" finds Chemin-du-Roy). An exact code or name
        scores 1.

        Raises:
            TypeError: `text` is not a str.
        """
        text = trim(require_str(text, "An organization name"))
        if _is_unusable_query(text):
            return []
        if text in self._by_code:
            return [OrganizationMatch(self._by_code[text], 1.0)]
        query = organization_key(text)
        if not query:
            return []
        best: dict[str, OrganizationMatch] = {}
        for organization, key in self._keys:
            score = _score(query, key)
            current = best.get(organization.code)
            if score >= MIN_SCORE and (
                current is None or score > current.score
            ):
                best[organization.code] = OrganizationMatch(
                    organization, score
                )
        ranked = sorted(
            best.values(),
            key=lambda match: (-match.score, match.organization.code),
        )
        return ranked[:limit]


def _checked_query(text: str) -> str:
    text = trim(require_str(text, "An organization name"))
    if _is_unusable_query(text):
        raise UnknownOrganizationError("organization.unknown")
    return text


def _is_unusable_query(text: str) -> bool:
    return (
        not text
        or len(text) > MAX_QUERY_LENGTH
        or find_invisible(text) is not None
    )


def _score(query: str, key: str) -> float:
    """Score how well a query key matches a name key, from 0 to 1.

    The score is the better of two measures. One compares the whole keys
    as strings, which forgives typos spread over the name. The other
    counts the query's words found in the name, each allowing a typo, and
    weighs them against how much of the name they cover, which rewards a
    query that names one distinctive word ("Sherbrooke").
    """
    if query == key:
        return 1.0
    whole = _sequence_matcher()(None, query, key, autojunk=False).ratio()
    query_words = query.split()
    key_words = key.split()
    found = sum(
        1
        for word in query_words
        if any(_similar(word, other) for other in key_words)
    )
    by_words = (found / len(query_words)) * (
        0.5 + 0.5 * min(1.0, found / len(key_words))
    )
    return max(whole, by_words * 0.95)


def _similar(word: str, other: str) -> bool:
    if word == other:
        return True
    if min(len(word), len(other)) < 4:
        return False
    ratio = _sequence_matcher()(None, word, other, autojunk=False).ratio()
    return ratio >= _WORD_SIMILARITY


@functools.cache
def _sequence_matcher() -> type[SequenceMatcher[str]]:
    # difflib is imported on the first search, not when a program that
    # only looks up exact names imports this module.
    from difflib import SequenceMatcher  # noqa: PLC0415

    return SequenceMatcher


def _organization_from_row(row: dict[str, str]) -> SchoolOrganization:
    aliases = tuple(
        alias.strip() for alias in row["aliases"].split(";") if alias.strip()
    )
    return SchoolOrganization(
        code=row["code"].strip(),
        kind=OrganizationKind(row["kind"].strip()),
        name_fr=row["name_fr"].strip(),
        name_en=row["name_en"].strip() or None,
        aliases=aliases,
    )


@functools.cache
def bundled_directory() -> OrganizationDirectory:
    """Return the directory of the bundled organizations, loaded once."""
    from importlib import resources  # noqa: PLC0415 - see _password.py

    text = (
        resources.files("portail_core")
        .joinpath("data/school-organizations.csv")
        .read_text(encoding="utf-8")
    )
    return OrganizationDirectory.from_csv(text)
