"""Family names and given names as parents type them and schools store them.

Under the Civil Code of Québec (art. 50 and 51) a child has one to four
given names and a family name of at most two parts, usually joined by a
hyphen. How school systems store case and accents is not documented, so
names are compared through a matching key that ignores accents, case,
and the separators that vary between sources: hyphens, dashes,
apostrophes (``'`` and ``’``), periods and spaces.

>>> PersonName.parse("Côté-Tremblay").key == PersonName.parse("cote tremblay").key
True
>>> PersonName.parse("D’Amour").key
'damour'
>>> PersonName.parse("Côté").key == PersonName.parse("Côté-Tremblay").key
False
"""  # noqa: E501 - doctest lines cannot wrap

from __future__ import annotations

import re
import unicodedata
from typing import Self

import attrs
from unidecode import unidecode

from portail_core._errors import InvalidNameError
from portail_core.values._text import (
    describe_character,
    find_invisible,
    nfc,
    require_str,
    trim,
)

# Long enough for four given names of two parts each; a longer entry is a
# paste or an attack, not a name.
MAX_LENGTH = 100

# Separators that sources write differently for the same name: space,
# hyphen, non-breaking hyphen, en and em dashes, apostrophes and period.
SEPARATORS = " -\u2010\u2011\u2013\u2014'\u2019\u02bc."
_WITHOUT_SEPARATORS = str.maketrans("", "", SEPARATORS)
_PART_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2013\u2014]+")

# Quebec names abbreviate Saint and Sainte (St-Pierre, Ste-Marie).
_SAINT = re.compile(r"\bste?\b")

# unidecode returns ASCII, so after lowercasing only these remain to drop.
_DROP_FOR_KEY = str.maketrans(
    "", "", "".join(chr(i) for i in range(128) if not chr(i).isalnum())
)


def matching_key(text: str) -> str:
    """Fold `text` into the key names are compared by.

    Accents are transliterated with unidecode, case is ignored, and every
    character but ASCII letters and digits is dropped, so separators and
    spacing never matter. The words "St" and "Ste" become "saint" and
    "sainte", so St-Pierre matches Saint-Pierre.
    """
    if not text.isascii():
        text = unidecode(text)
    text = text.lower()
    if "st" in text:
        text = _SAINT.sub(_expand_saint, text)
    return text.translate(_DROP_FOR_KEY)


def _expand_saint(match: re.Match[str]) -> str:
    return "saint" if match.group() == "st" else "sainte"


def _allowed(character: str) -> bool:
    # Combining accents are allowed too: a name typed in NFD keeps some
    # that have no precomposed form.
    return (
        character.isalpha()
        or character in SEPARATORS
        or unicodedata.category(character).startswith("M")
    )


@attrs.frozen(repr=False)
class PersonName:
    """A name as typed (NFC, trimmed, inner spaces collapsed).

    Equality and hashing use the text as typed; compare names for matching
    with `key`. `repr()` hides the name, which is personal information.
    """

    text: str
    key: str = attrs.field(eq=False)
    """Matching key: see `matching_key`."""

    @classmethod
    def parse(cls, text: str) -> Self:
        """Return the name in `text`, checked and normalized.

        Raises:
            InvalidNameError: the name is empty, too long, or has a
                character that no name contains (digits, symbols, controls).
            TypeError: `text` is not a str.
        """
        text = trim(require_str(text, "A name"))
        if not text:
            raise InvalidNameError("name.empty")
        # A huge paste is rejected before NFC copies it; the exact limit
        # applies to the NFC form, where an accent is one character.
        if len(text) > 4 * MAX_LENGTH:
            raise InvalidNameError("name.too_long", max_length=MAX_LENGTH)

        invisible = find_invisible(text)
        if invisible is not None:
            raise InvalidNameError(
                "name.invisible_character",
                character=describe_character(invisible),
            )
        text = " ".join(nfc(text).split())
        if len(text) > MAX_LENGTH:
            raise InvalidNameError("name.too_long", max_length=MAX_LENGTH)
        # Most names are letters and separators alone, which one C loop
        # confirms; others are checked one character at a time.
        if not text.translate(_WITHOUT_SEPARATORS).isalpha():
            for character in text:
                if not _allowed(character):
                    raise InvalidNameError(
                        "name.invalid_character",
                        character=describe_character(character),
                    )

        key = matching_key(text)
        if not key:
            raise InvalidNameError("name.no_letters")
        return cls(text=text, key=key)

    @property
    def parts(self) -> tuple[str, ...]:
        """Matching keys of the parts separated by spaces, hyphens or
        dashes (``Côté-Tremblay`` gives ``("cote", "tremblay")``)."""
        pieces = (
            matching_key(piece) for piece in _PART_SPLIT.split(self.text)
        )
        return tuple(piece for piece in pieces if piece)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return "PersonName(<hidden>)"
