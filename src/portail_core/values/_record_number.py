"""The record number (numéro de fiche) of a student in one organization.

A school organization numbers its students with at most 7 digits, printed
on report cards. The number has meaning only inside the organization that
issued it: a student who moves gets a new one, while the permanent code
stays. Spaces are ignored and leading zeros do not matter, so ``12345``,
``0012345`` and ``0 012 345`` are the same number, shown as ``0012345``.

>>> RecordNumber.parse(" 12 345 ")
RecordNumber('0012345')
>>> RecordNumber.parse("12345678")
Traceback (most recent call last):
...
portail_core._errors.InvalidRecordNumberError: [record_number.too_long] ...
"""

from __future__ import annotations

import unicodedata
from typing import Self

import attrs

from portail_core._errors import InvalidRecordNumberError
from portail_core.values._text import (
    describe_character,
    find_invisible,
    require_str,
    trim,
)

MAX_DIGITS = 7


@attrs.frozen(repr=False, order=True)
class RecordNumber:
    """A record number, compared as a number and shown padded to 7."""

    value: int

    @classmethod
    def parse(cls, text: str) -> Self:
        """Return the record number in `text`.

        Raises:
            InvalidRecordNumberError: the text is not 1 to 7 digits.
            TypeError: `text` is not a str.
        """
        text = trim(require_str(text, "A record number"))
        if not text:
            raise InvalidRecordNumberError("record_number.empty")

        # A long paste is rejected before it is copied or normalized.
        if len(text) > 4 * MAX_DIGITS:
            raise InvalidRecordNumberError(
                "record_number.too_long", max_digits=MAX_DIGITS
            )

        invisible = find_invisible(text)
        if invisible is not None:
            raise InvalidRecordNumberError(
                "record_number.invisible_character",
                character=describe_character(invisible),
            )

        # NFKC turns full-width digits, as some phone keyboards type them,
        # into ASCII digits.
        digits = text
        if not (digits.isascii() and digits.isdigit()):
            digits = "".join(unicodedata.normalize("NFKC", text).split())
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidRecordNumberError("record_number.not_digits")
        significant = digits.lstrip("0")
        if not significant:
            raise InvalidRecordNumberError("record_number.zero")
        if len(significant) > MAX_DIGITS:
            raise InvalidRecordNumberError(
                "record_number.too_long", max_digits=MAX_DIGITS
            )
        return cls(int(significant))

    def __str__(self) -> str:
        return f"{self.value:0{MAX_DIGITS}d}"

    def __repr__(self) -> str:
        return f"RecordNumber('{self}')"
