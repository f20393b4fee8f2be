"""Email addresses as parents type them.

An address is checked by email-validator with deliverability checks off,
so parsing never touches the network. Before that, the text is trimmed of
every Unicode space and normalized to NFC, and invisible characters are
rejected by name. The comparison key ignores case on the whole address and
uses the ASCII (punycode) form of the domain, so an internationalized
domain compares equal in both of its forms.

>>> Email.parse("  Parent@École.QC.ca ") == Email.parse("parent@xn--cole-9oa.qc.ca")
True
>>> str(Email.parse("Parent@École.QC.ca"))
'Parent@école.qc.ca'
>>> Email.parse("parent.ecole.qc.ca")
Traceback (most recent call last):
...
portail_core._errors.InvalidEmailError: [email.missing_at] ...
"""  # noqa: E501 - doctest lines cannot wrap

from __future__ import annotations

import functools
import string
import unicodedata
from typing import Self

import attrs
from email_validator import EmailNotValidError, validate_email

from portail_core._errors import InvalidEmailError
from portail_core.values._text import (
    describe_character,
    find_invisible,
    nfc,
    require_str,
    trim,
)

# RFC 5321 limits a path to 256 octets, so a stored address has at most
# 254 characters. Anything far longer is rejected before the validator
# runs, so a huge paste costs one length check.
MAX_LENGTH = 254

# Scripts whose letters mix in ordinary writing, as in Unicode Technical
# Standard #39's "highly restrictive" level: Japanese mixes Han with
# Hiragana and Katakana, Korean mixes Han with Hangul, and Chinese may use
# Bopomofo. Any other mix of scripts in one local part is rejected.
_SCRIPT_SETS = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
    frozenset({"HAN", "BOPOMOFO"}),
)


@attrs.frozen(repr=False)
class Email:
    """An email address, compared case-insensitively on the whole address.

    Build one with `Email.parse`. `str()` gives the address to write to,
    and `key` the form that equality, hashing and stores use.
    """

    address: str = attrs.field(eq=False)
    """NFC address with its domain lowercased and in Unicode form."""
    key: str
    """Comparison key: the lowercased local part, ``@``, and the domain
    in lowercase ASCII (punycode) form.

    Lowercasing, unlike Unicode case folding, keeps ``ß`` apart from
    ``ss``: the two are different mailboxes, and merging them would let
    the owner of one verify the other's address."""

    @classmethod
    def parse(cls, text: str) -> Self:
        """Normalize and validate an address as a parent typed it.

        Raises:
            InvalidEmailError: the address is not acceptable. The error's
                code names the rule that failed.
            TypeError: `text` is not a str.
        """
        text = trim(require_str(text, "An email address"))

        # Reject the cheap cases first, so huge or empty input costs little.
        if not text:
            raise InvalidEmailError("email.empty")
        if len(text) > MAX_LENGTH:
            raise InvalidEmailError("email.too_long", max_length=MAX_LENGTH)
        # str.isprintable() is False for every invisible character and
        # every space but U+0020, so most addresses pass both checks here.
        if " " in text or not text.isprintable():
            _reject_invisible_or_space(text)

        text = nfc(text)
        _check_structure(text)
        try:
            result = validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            result = None
        if result is None:
            # The validator's own message may quote the address, so it is
            # not chained: only our code and message leave this function.
            raise InvalidEmailError("email.invalid")

        local_part = result.local_part
        local_key = local_part.lower()
        if not local_part.isascii():
            _check_scripts(local_part)
            # Lowercasing can leave text that is not NFC. "J" and a
            # combining caron have no composed form, but "j" and the caron
            # compose to "ǰ".
            local_key = nfc(local_key)
        key = local_key + "@" + result.ascii_domain.lower()
        if cls is not Email:
            # A subclass's __init__ may set more fields.
            return cls(result.normalized, key)
        # Creating the object without the attrs __init__ takes about 40 %
        # less time (measured with timeit on CPython 3.11).
        email = _new_object(cls)
        _set_address(email, result.normalized)
        _set_key(email, key)
        return email

    @property
    def local_part(self) -> str:
        """Part before the ``@``, as typed (NFC)."""
        return self.address.rpartition("@")[0]

    @property
    def domain(self) -> str:
        """Part after the ``@``, lowercased, in Unicode form."""
        return self.address.rpartition("@")[2]

    def __str__(self) -> str:
        return self.address

    def __repr__(self) -> str:
        return "Email(<hidden>)"


_new_object = object.__new__
# The slots' own descriptors set the fields, which the frozen class's
# __setattr__ forbids.
_set_address = Email.__dict__["address"].__set__
_set_key = Email.__dict__["key"].__set__


def _reject_invisible_or_space(text: str) -> None:
    """Raise for the first invisible character of `text`, else for a
    space: one of the two is there."""
    invisible = find_invisible(text)
    if invisible is not None:
        raise InvalidEmailError(
            "email.invisible_character",
            character=describe_character(invisible),
        )
    if any(character.isspace() for character in text):
        raise InvalidEmailError("email.space")


def _check_structure(text: str) -> None:
    local_part, at, domain = text.rpartition("@")
    if not at:
        raise InvalidEmailError("email.missing_at")
    if "@" in local_part:
        raise InvalidEmailError("email.multiple_at")
    if not local_part:
        raise InvalidEmailError("email.missing_local_part")
    if not domain:
        raise InvalidEmailError("email.missing_domain")
    if "." not in domain:
        raise InvalidEmailError("email.domain_without_dot")
    if ".." in text:
        raise InvalidEmailError("email.consecutive_dots")


def _check_scripts(local_part: str) -> None:
    """Reject a local part that could imitate another address.

    Two rules apply to letters. A letter with a compatibility decomposition
    (full-width, mathematical or circled forms such as ``ｐ`` or ``𝐩``)
    imitates a plain letter and is rejected. Letters of different scripts
    (Latin ``a`` beside Cyrillic ``а``) may not mix, except in the
    combinations of `_SCRIPT_SETS`.

    NOTE: an address written entirely in another script that imitates a
    Latin one (all-Cyrillic ``раrеnt``) passes, because telling it apart
    needs the Unicode confusables table, which is not bundled.
    """
    characters = set(local_part)
    scripts: set[str] = set()
    # ASCII letters are Latin and have no compatibility decomposition, so
    # only the other characters need a lookup.
    if not characters.isdisjoint(_ASCII_LETTERS):
        scripts.add("LATIN")
    # Each distinct character is checked once; on a lookalike, the error
    # names the first one in the text.
    for character in characters.difference(_ASCII_CHARACTERS):
        if not character.isalpha():
            continue
        script = _letter_script(character)
        if script is None:
            first = next(
                letter
                for letter in local_part
                if letter.isalpha() and _letter_script(letter) is None
            )
            raise InvalidEmailError(
                "email.lookalike_character",
                character=describe_character(first),
            )
        scripts.add(script)
    if len(scripts) > 1 and not any(
        scripts <= allowed for allowed in _SCRIPT_SETS
    ):
        raise InvalidEmailError(
            "email.mixed_script", scripts=", ".join(sorted(scripts))
        )


_ASCII_CHARACTERS = frozenset(map(chr, range(128)))
_ASCII_LETTERS = frozenset(string.ascii_letters)


# Addresses use few distinct letters, and normalizing a letter and looking
# up its name cost far more than a cache hit.
@functools.lru_cache(maxsize=4096)
def _letter_script(letter: str) -> str | None:
    """Return the script of `letter`, or None when it has a compatibility
    decomposition (it imitates a plain letter)."""
    if unicodedata.normalize("NFKC", letter) != letter:
        return None
    # The first word of a letter's Unicode name is its script for every
    # script a parent's address is likely to use ("LATIN SMALL LETTER E
    # WITH ACUTE", "CYRILLIC SMALL LETTER A"). Han ideographs are named
    # "CJK UNIFIED IDEOGRAPH-4E00".
    name = unicodedata.name(letter, "UNKNOWN")
    first_word = name.split(" ", 1)[0]
    return "HAN" if first_word == "CJK" else first_word
