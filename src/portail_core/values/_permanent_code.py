"""The permanent code (code permanent) of a Quebec student.

Quebec's ministry of education assigns every student one permanent code,
valid in every school organization. It has 12 characters: 4 letters, then
8 digits in the order DD MM YY NN.

* Letters 1 to 3 are the first three letters of the family name and
  letter 4 the first letter of the first given name, in upper case without
  accents (Bégin gives ``BEG``).
* DD is the day of birth. Some codes of students born in 2000 or later
  add 62 (days 63 to 93); public codes exist both with and without it.
* MM is the month of birth, plus 50 for girls (51 to 62). Some codes of
  students born abroad add 25 (26 to 37, or 76 to 87 for girls).
* Day 99 and month 13 (63 for girls) may mark an unknown date.
* YY is the last two digits of the birth year; NN is assigned by the
  ministry and carries no known check digit.

Parsing is strict on the format and accepts every known encoding of the
date. How the code relates to a typed name and birth date is a separate
check, `PermanentCode.consistency`, that explains each part and never
rejects what an uncertain rule could explain.

>>> code = PermanentCode.parse("trem 1509 5512")
>>> code
PermanentCode('TREM********')
>>> str(code), code.day, code.month, code.sex_marker, code.year_digits
('TREM15095512', 15, 9, 'M', 55)
>>> PermanentCode.parse("TREM15455512")
Traceback (most recent call last):
...
portail_core._errors.InvalidPermanentCodeError: [permanent_code.invalid_month] ...
"""  # noqa: E501 - doctest lines cannot wrap

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date
from typing import Literal, Self, TypeVar

import attrs
from unidecode import unidecode

from portail_core._errors import InvalidPermanentCodeError
from portail_core.values._text import (
    describe_character,
    find_invisible,
    require_str,
    trim,
)

LENGTH = 12

# Maximum length of the trimmed text. Longer text, such as a huge paste,
# is rejected before any copy.
_MAX_TYPED_LENGTH = 4 * LENGTH

_SEPARATORS = str.maketrans(
    "", "", " \t\u00a0\u202f-\u2010\u2011\u2012\u2013\u2014"
)
_FORMAT = re.compile(r"[A-Z]{4}[0-9]{8}")

# Digits that mark an unknown day or month of birth.
UNKNOWN_DAY = 99
UNKNOWN_MONTH = 13  # 63 for girls

# Particles and prefixes whose treatment in the letters is not documented:
# a family name that starts with one of them may be encoded with or
# without it.
_PARTICLES = frozenset(
    {
        "d",
        "da",
        "de",
        "del",
        "della",
        "des",
        "di",
        "du",
        "el",
        "la",
        "le",
        "les",
        "mac",
        "mc",
        "o",
        "saint",
        "sainte",
        "st",
        "ste",
        "van",
        "von",
    }
)

# The particles above in upper case, longest first, to find one glued to
# the rest of a typed name.
_GLUED_PARTICLES = tuple(
    sorted(
        (particle.upper() for particle in _PARTICLES), key=len, reverse=True
    )
)

SexMarker = Literal["M", "F"]

_Code = TypeVar("_Code", bound="PermanentCode")


class DateRule(enum.Enum):
    """Encoding rule of the day or month in a permanent code."""

    PLAIN = "plain"
    """The confirmed rule: the day, or the month (plus 50 for girls)."""
    DAY_PLUS_62 = "day_plus_62"
    """Day plus 62, seen for some students born in 2000 or later."""
    MONTH_PLUS_25 = "month_plus_25"
    """Month plus 25, seen for some students born abroad."""
    UNKNOWN = "unknown"
    """Day 99 or month 13: the date was not known to the issuer."""


class Verdict(enum.Enum):
    """Whether one part of a permanent code agrees with what was typed."""

    MATCHES = "matches"
    DIFFERS = "differs"
    CANNOT_TELL = "cannot_tell"


class Part(enum.Enum):
    """A part of a permanent code that `consistency` checks."""

    FAMILY_NAME_LETTERS = "family_name_letters"
    GIVEN_NAME_LETTER = "given_name_letter"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    SEX_MARKER = "sex_marker"


@attrs.frozen
class PartCheck:
    """The verdict on one part, with the rule that decided it."""

    part: Part
    verdict: Verdict
    reason: str
    """Short English explanation, free of the typed values."""


@attrs.frozen
class Consistency:
    """The verdict on each part of a permanent code against typed data."""

    checks: tuple[PartCheck, ...]

    @property
    def differing(self) -> tuple[Part, ...]:
        """Parts that disagree with what was typed."""
        return tuple(
            check.part
            for check in self.checks
            if check.verdict is Verdict.DIFFERS
        )

    @property
    def is_consistent(self) -> bool:
        """Whether no part disagrees (cannot tell counts as agreeing)."""
        return not self.differing

    def verdict(self, part: Part) -> Verdict:
        """Return the verdict on `part`."""
        for check in self.checks:
            if check.part is part:
                return check.verdict
        raise KeyError(part)


@attrs.frozen(repr=False)
class PermanentCode:
    """A student's permanent code in canonical form (``TREM15095512``).

    `repr()` shows the letters only, since the digits encode the birth
    date.
    """

    value: str

    @classmethod
    def parse(cls, text: str) -> Self:
        """Return the canonical code from text as a parent might type it.

        Lowercase letters, spaces and dashes are accepted; accents are not,
        because the code has none.

        Raises:
            InvalidPermanentCodeError: the code has the wrong shape or an
                impossible day or month.
            TypeError: `text` is not a str.
        """
        # Fast path for text of ASCII letters, digits and spaces, the way
        # most codes are typed. `_parse_full` computes the same compact
        # form from such text, so both paths accept the same codes and
        # raise the same error for twelve letters and digits out of order.
        # Every other error comes from `_parse_full`, and so does text over
        # the length limit, which applies before spaces are removed. A
        # subclass takes the full path, because its __init__ may set more
        # fields.
        if (
            cls is PermanentCode
            and type(text) is str
            and len(text) <= _MAX_TYPED_LENGTH
        ):
            compact = text.replace(" ", "")
            # The pattern matches ASCII letters only. Upper-casing comes
            # after it because it turns some other letters into ASCII ones
            # ("ı" into "I", "ﬀ" into "FF").
            if _match_valid_code(compact):
                # Creating the object without the attrs __init__ costs
                # about half as much (measured on CPython 3.11).
                code = _new_object(cls)
                _set_value(code, compact.upper())
                return code
            if _match_misplaced_letters(compact):
                raise InvalidPermanentCodeError("permanent_code.wrong_format")
        return _parse_full(cls, text)

    @property
    def letters(self) -> str:
        """The four letters: three of the family name, one given name."""
        return self.value[:4]

    @property
    def _day_digits(self) -> int:
        return int(self.value[4:6])

    @property
    def _month_digits(self) -> int:
        return int(self.value[6:8])

    @property
    def day_rule(self) -> DateRule | None:
        """Encoding rule of the day, or None when no known rule fits."""
        digits = self._day_digits
        if 1 <= digits <= 31:
            return DateRule.PLAIN
        if 63 <= digits <= 93:
            return DateRule.DAY_PLUS_62
        if digits == UNKNOWN_DAY:
            return DateRule.UNKNOWN
        return None

    @property
    def _month_without_sex(self) -> int:
        digits = self._month_digits
        return digits - 50 if digits > 50 else digits

    @property
    def month_rule(self) -> DateRule | None:
        """Encoding rule of the month, or None when no known rule fits."""
        digits = self._month_without_sex
        if 1 <= digits <= 12:
            return DateRule.PLAIN
        if 26 <= digits <= 37:
            return DateRule.MONTH_PLUS_25
        if digits == UNKNOWN_MONTH:
            return DateRule.UNKNOWN
        return None

    @property
    def day(self) -> int | None:
        """Day of birth (1 to 31), or None when the code marks it unknown."""
        rule = self.day_rule
        if rule is DateRule.DAY_PLUS_62:
            return self._day_digits - 62
        if rule is DateRule.PLAIN:
            return self._day_digits
        return None

    @property
    def month(self) -> int | None:
        """Month of birth (1 to 12), or None when the code marks it unknown."""
        rule = self.month_rule
        if rule is DateRule.MONTH_PLUS_25:
            return self._month_without_sex - 25
        if rule is DateRule.PLAIN:
            return self._month_without_sex
        return None

    @property
    def sex_marker(self) -> SexMarker:
        """``"F"`` when 50 was added to the month, else ``"M"``."""
        return "F" if self._month_digits > 50 else "M"

    @property
    def year_digits(self) -> int:
        """Last two digits of the birth year (0 to 99)."""
        return int(self.value[8:10])

    def consistency(
        self,
        *,
        family_name: str,
        given_names: str,
        birth_date: date,
        sex_marker: SexMarker | None = None,
    ) -> Consistency:
        """Check each part of the code against typed names and birth date.

        Uncertain rules never give DIFFERS: a name starting with a particle
        or shorter than three letters, an apostrophe, day plus 62 and month
        plus 25 give CANNOT_TELL unless the plain rule already matches.
        """
        return Consistency(
            checks=(
                _check_family_letters(self.letters[:3], family_name),
                _check_given_letter(self.letters[3], given_names),
                _check_day(self, birth_date),
                _check_month(self, birth_date),
                _check_year(self, birth_date),
                _check_sex(self, sex_marker),
            )
        )

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"PermanentCode('{self.letters}********')"


def _parse_full(cls: type[_Code], text: str) -> _Code:
    """Parse any text as `PermanentCode.parse` does, checking each rule in
    turn so that the error names the first one that fails."""
    compact = _compact(trim(require_str(text, "A permanent code")))
    if len(compact) != LENGTH:
        raise InvalidPermanentCodeError(
            "permanent_code.wrong_length", length=LENGTH
        )
    if not _FORMAT.fullmatch(compact):
        raise InvalidPermanentCodeError("permanent_code.wrong_format")
    if compact[4:8] in _ACCEPTED_DATES:
        return cls(compact)

    # The digits encode no date, and the rules tell which part is wrong.
    code = cls(compact)
    if code.day_rule is None:
        raise InvalidPermanentCodeError("permanent_code.invalid_day")
    if code.month_rule is None:
        raise InvalidPermanentCodeError("permanent_code.invalid_month")
    # Both rules fit, so the day is past the end of the month.
    raise InvalidPermanentCodeError("permanent_code.invalid_day")


def _compact(text: str) -> str:
    """Return `text` without separators, upper-cased.

    Raises:
        InvalidPermanentCodeError: the text is empty, far too long, or has
            an invisible or non-ASCII character.
    """
    if not text:
        raise InvalidPermanentCodeError("permanent_code.empty")

    # Compare lengths before any copy, so a huge paste costs little.
    if len(text) > _MAX_TYPED_LENGTH:
        raise InvalidPermanentCodeError(
            "permanent_code.wrong_length", length=LENGTH
        )

    # Codes are mostly typed compact or with spaces: the scans and
    # str.translate, the slowest steps, run only when something else is
    # left.
    compact = text.replace(" ", "")
    if not compact.isalnum():
        invisible = find_invisible(text)
        if invisible is not None:
            raise InvalidPermanentCodeError(
                "permanent_code.invisible_character",
                character=describe_character(invisible),
            )
        compact = compact.translate(_SEPARATORS)

    # Checked before upper-casing, which turns some non-ASCII letters into
    # ASCII ones ("ı" into "I", "ﬀ" into "FF").
    if not compact.isascii():
        raise InvalidPermanentCodeError("permanent_code.wrong_format")
    return compact.upper()


# Days in each month, with 29 for February since the year's century is
# unknown.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _day_fits_month(day: int | None, month: int | None) -> bool:
    if day is None or month is None:
        return True
    return day <= _MONTH_DAYS[month - 1]


def _accepted_dates() -> frozenset[str]:
    """Return the DDMM digits of every date that some rule encodes."""
    days: list[tuple[int, int | None]] = [(day, day) for day in range(1, 32)]
    days += [(day + 62, day) for day in range(1, 32)]
    days.append((UNKNOWN_DAY, None))
    months: list[tuple[int, int | None]] = []
    for offset in (0, 50):
        months += [(month + offset, month) for month in range(1, 13)]
        months += [(month + 25 + offset, month) for month in range(1, 13)]
        months.append((UNKNOWN_MONTH + offset, None))
    return frozenset(
        f"{day_digits:02d}{month_digits:02d}"
        for day_digits, day in days
        for month_digits, month in months
        if _day_fits_month(day, month)
    )


# The DDMM digits that parse accepts.
_ACCEPTED_DATES = _accepted_dates()


def _digit_pairs_pattern(pairs: Iterable[str]) -> str:
    """Return a regular expression that matches exactly `pairs`, strings
    of two digits, such as ``(?:0[12]|3[1])`` for 01, 02 and 31."""
    units_by_tens: dict[str, list[str]] = {}
    for pair in sorted(pairs):
        units_by_tens.setdefault(pair[0], []).append(pair[1])
    branches = (
        f"{tens}[{''.join(units)}]" for tens, units in units_by_tens.items()
    )
    return "(?:" + "|".join(branches) + ")"


def _dates_pattern(dates: Iterable[str]) -> str:
    """Return a regular expression that matches exactly `dates`, strings
    of DDMM digits.

    Days that accept the same months share one branch. That makes three
    branches, one for days 30 and 92, one for 31 and 93, and one for the
    days that fit every month. Matched as part of the whole code, this
    costs less than slicing out the digits and looking them up in a set
    (measured with bench/run.py on CPython 3.11).
    """
    months_by_day: dict[str, set[str]] = {}
    for digits in dates:
        months_by_day.setdefault(digits[:2], set()).add(digits[2:])
    days_by_months: dict[frozenset[str], list[str]] = {}
    for day, months in months_by_day.items():
        days_by_months.setdefault(frozenset(months), []).append(day)
    # The branch with the most days goes first, as most codes match it.
    branches = sorted(
        days_by_months.items(), key=lambda branch: len(branch[1]), reverse=True
    )
    return (
        "(?:"
        + "|".join(
            _digit_pairs_pattern(days) + _digit_pairs_pattern(months)
            for months, days in branches
        )
        + ")"
    )


# A whole valid code in either case: letters, an accepted date, digits.
_match_valid_code = re.compile(
    "[A-Za-z]{4}" + _dates_pattern(_ACCEPTED_DATES) + "[0-9]{4}"
).fullmatch

# Twelve ASCII letters and digits, not four letters then eight digits.
_match_misplaced_letters = re.compile(
    "(?![A-Za-z]{4}[0-9]{8})[A-Za-z0-9]{12}"
).fullmatch

_new_object = object.__new__
# The slot's own descriptor sets the value, which the frozen class's
# __setattr__ forbids.
_set_value = PermanentCode.__dict__["value"].__set__


def _name_words(name: str) -> list[str]:
    """Split a name into upper-case ASCII words, apostrophes as breaks."""
    ascii_name = unidecode(name).upper()
    words = re.split(r"[^A-Z]+", ascii_name)
    return [word for word in words if word]


def _check_family_letters(code_letters: str, family_name: str) -> PartCheck:
    part = Part.FAMILY_NAME_LETTERS
    words = _name_words(family_name)
    joined = "".join(words)
    if joined[:3] == code_letters:
        return PartCheck(part, Verdict.MATCHES, "first three letters")

    uncertain = (
        len(joined) < 3
        or "'" in family_name
        or "\u2019" in family_name
        or "\u02bc" in family_name
        or (len(words) > 1 and words[0].lower() in _PARTICLES)
        or _skips_glued_particle(joined, code_letters)
    )
    if uncertain:
        return PartCheck(
            part,
            Verdict.CANNOT_TELL,
            "short name, particle or apostrophe: the rule is not documented",
        )
    return PartCheck(part, Verdict.DIFFERS, "first three letters differ")


def _skips_glued_particle(
    name: str, code_letters: str, particles: int = 2
) -> bool:
    """Return whether the code's letters follow up to `particles`
    particles glued to the name, as "LAF" after "DE" and "LA" in
    "DELAFONTAINE", typed for "de La Fontaine"."""
    if particles == 0:
        return False
    for particle in _GLUED_PARTICLES:
        rest = name.removeprefix(particle)
        if rest == name or not rest:
            continue
        if rest[:3] == code_letters or _skips_glued_particle(
            rest, code_letters, particles - 1
        ):
            return True
    return False


def _check_given_letter(code_letter: str, given_names: str) -> PartCheck:
    part = Part.GIVEN_NAME_LETTER
    words = _name_words(given_names)
    if not words:
        return PartCheck(part, Verdict.CANNOT_TELL, "no letter typed")
    if words[0][0] == code_letter:
        return PartCheck(part, Verdict.MATCHES, "first letter")
    if any(word[0] == code_letter for word in words[1:]):
        # The typed names may not start with the first name on record.
        return PartCheck(
            part, Verdict.CANNOT_TELL, "matches another typed given name"
        )
    return PartCheck(part, Verdict.DIFFERS, "first letter differs")


def _check_day(code: PermanentCode, birth_date: date) -> PartCheck:
    part = Part.DAY
    rule = code.day_rule
    if rule is DateRule.UNKNOWN:
        return PartCheck(part, Verdict.CANNOT_TELL, "day marked unknown")
    if code.day == birth_date.day:
        if rule is DateRule.PLAIN:
            return PartCheck(part, Verdict.MATCHES, "day")
        return PartCheck(part, Verdict.CANNOT_TELL, "day plus 62 rule")
    return PartCheck(part, Verdict.DIFFERS, "day differs")


def _check_month(code: PermanentCode, birth_date: date) -> PartCheck:
    part = Part.MONTH
    rule = code.month_rule
    if rule is DateRule.UNKNOWN:
        return PartCheck(part, Verdict.CANNOT_TELL, "month marked unknown")
    if code.month == birth_date.month:
        if rule is DateRule.PLAIN:
            return PartCheck(part, Verdict.MATCHES, "month")
        return PartCheck(part, Verdict.CANNOT_TELL, "month plus 25 rule")
    return PartCheck(part, Verdict.DIFFERS, "month differs")


def _check_year(code: PermanentCode, birth_date: date) -> PartCheck:
    if code.year_digits == birth_date.year % 100:
        return PartCheck(Part.YEAR, Verdict.MATCHES, "last two digits")
    return PartCheck(Part.YEAR, Verdict.DIFFERS, "year differs")


def _check_sex(code: PermanentCode, sex_marker: SexMarker | None) -> PartCheck:
    part = Part.SEX_MARKER
    if sex_marker is None:
        return PartCheck(part, Verdict.CANNOT_TELL, "no sex marker typed")
    if sex_marker == code.sex_marker:
        return PartCheck(part, Verdict.MATCHES, "sex marker")
    return PartCheck(part, Verdict.DIFFERS, "sex marker differs")
