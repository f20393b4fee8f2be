"""Checks on raw text shared by the value parsers."""

from __future__ import annotations

import unicodedata

# Characters that are invisible or change text direction. Each one lets
# two strings look identical on screen while differing underneath, so no
# parser accepts them. Categories: Cc control, Cf format (zero-width
# characters, bidirectional controls, soft hyphen), Cs lone surrogate,
# Co private use, Cn unassigned, Zl and Zp line and paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# The most likely invisible characters get a readable name even where
# unicodedata has none (surrogates, and controls such as NUL).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0D: "CARRIAGE RETURN",
    0x7F: "DELETE",
}


# Spaces that a paste or a form may leave at either end of a value: every
# Unicode space separator (Zs), and tab, line feed, vertical tab, form feed
# and carriage return. Other controls that str.strip() would also remove,
# such as U+001C to U+001F and U+0085, are left for the invisible-character
# check to reject.
_TRIMMED = (
    "\t\n\x0b\x0c\r"
    + "".join(
        chr(point)
        for point in (
            0x20,
            0xA0,
            0x1680,
            *range(0x2000, 0x200B),
            0x202F,
            0x205F,
        )
    )
    + "\u3000"
)


def trim(text: str) -> str:
    """Remove spaces, tabs and line breaks from both ends of `text`."""
    return text.strip(_TRIMMED)


def require_str(value: object, description: str) -> str:
    """Return `value` if it is a str, else raise TypeError."""
    if not isinstance(value, str):
        raise TypeError(
            f"{description} must be given as str, not {type(value).__name__}."
        )
    return value


def describe_character(character: str) -> str:
    """Describe one character as ``U+200B ZERO WIDTH SPACE``."""
    point = ord(character)
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(point, "")
    if not name and unicodedata.category(character) == "Cs":
        name = "LONE SURROGATE"
    return f"U+{point:04X} {name}".rstrip()


def find_invisible(text: str) -> str | None:
    """Return the first invisible or control character of `text`, or None."""
    # str.isprintable() is False for every category above (and for spaces
    # other than U+0020), so text without any is cleared in one C loop.
    if text.isprintable():
        return None
    if text.isascii():
        # Only C0 controls and DEL can hide in ASCII text.
        for character in text:
            if character < " " or character == "\x7f":
                return character
        return None
    for character in text:
        if unicodedata.category(character) in _INVISIBLE_CATEGORIES:
            return character
    return None


def nfc(text: str) -> str:
    """Return the NFC form of `text`, quickly when it already is NFC."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
