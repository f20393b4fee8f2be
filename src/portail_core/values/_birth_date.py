"""Birth dates as parents type them.

ISO 8601 (``2015-09-12``) is read as is. A slash form such as
``12/09/2015`` is ambiguous between day-first (Quebec French usage) and
month-first (United States usage), so it is read only when the caller
says which order its form uses. A date is rejected when it does not exist,
is in the future, or gives an age outside a plausible range for a student:
2 to 25 years on the day of the check by default.

>>> from datetime import date
>>> today = date(2026, 9, 1)
>>> str(BirthDate.parse("2015-09-12", today=today))
'2015-09-12'
>>> str(BirthDate.parse("12/09/2015", order=DateOrder.DAY_FIRST, today=today))
'2015-09-12'
>>> BirthDate.parse("12/09/2015", today=today)
Traceback (most recent call last):
...
portail_core._errors.InvalidBirthDateError: [birth_date.ambiguous] ...
"""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import Self

import attrs

from portail_core._errors import InvalidBirthDateError
from portail_core.values._text import require_str, trim

# Year first is never ambiguous, whatever the separator.
_ISO = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_ISO_BASIC = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_SEPARATED = re.compile(
    r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})"
)

# Longer than any date form, so a paste is rejected before regex work.
MAX_LENGTH = 32


class DateOrder(enum.Enum):
    """Order of day and month in a form such as ``12/09/2015``."""

    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


@attrs.frozen
class AgeRange:
    """Plausible ages of a student, in whole years on the day of a check."""

    min_years: int = 2
    max_years: int = 25

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.min_years <= self.max_years:
            raise ValueError(
                "AgeRange needs 0 <= min_years <= max_years, got "
                f"{self.min_years} and {self.max_years}."
            )


DEFAULT_AGE_RANGE = AgeRange()


@attrs.frozen(repr=False, order=True)
class BirthDate:
    """A plausible birth date. `str()` gives ISO 8601; `repr()` hides it."""

    value: date

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        today: date,
        order: DateOrder | None = None,
        ages: AgeRange = DEFAULT_AGE_RANGE,
    ) -> Self:
        """Read a birth date typed as ISO 8601, or day and month in `order`.

        Raises:
            InvalidBirthDateError: the text is not a date form, the form is
                ambiguous without `order`, or the date is impossible,
                in the future or implausible.
            TypeError: `text` is not a str.
        """
        text = trim(require_str(text, "A birth date"))
        if not text:
            raise InvalidBirthDateError("birth_date.empty")
        if len(text) > MAX_LENGTH:
            raise InvalidBirthDateError("birth_date.unreadable")

        iso = _ISO.fullmatch(text) or _ISO_BASIC.fullmatch(text)
        if iso:
            year, month, day = (int(group) for group in iso.groups())
            return cls.from_parts(year, month, day, today=today, ages=ages)

        separated = _SEPARATED.fullmatch(text)
        if not separated:
            raise InvalidBirthDateError("birth_date.unreadable")
        if order is None:
            raise InvalidBirthDateError("birth_date.ambiguous")
        first, second, year = (int(group) for group in separated.groups())
        if order is DateOrder.DAY_FIRST:
            day, month = first, second
        else:
            month, day = first, second
        return cls.from_parts(year, month, day, today=today, ages=ages)

    @classmethod
    def from_parts(
        cls,
        year: int,
        month: int,
        day: int,
        *,
        today: date,
        ages: AgeRange = DEFAULT_AGE_RANGE,
    ) -> Self:
        """Build a birth date from separate year, month and day fields.

        Raises:
            InvalidBirthDateError: the date does not exist, is in the
                future, or gives an age outside `ages`.
            TypeError: a field is not an int.
        """
        for field in (year, month, day):
            if not isinstance(field, int) or isinstance(field, bool):
                raise TypeError(
                    "Birth date fields must be int, not "
                    f"{type(field).__name__}."
                )
        try:
            value = date(year, month, day)
        except (ValueError, OverflowError):
            raise InvalidBirthDateError("birth_date.impossible") from None
        return cls.of(value, today=today, ages=ages)

    @classmethod
    def of(
        cls, value: date, *, today: date, ages: AgeRange = DEFAULT_AGE_RANGE
    ) -> Self:
        """Check a `datetime.date` for plausibility and wrap it.

        Raises:
            InvalidBirthDateError: the date is in the future or gives an
                age outside `ages`.
        """
        if value > today:
            raise InvalidBirthDateError("birth_date.in_future")
        age = age_on(value, today)
        if age < ages.min_years:
            raise InvalidBirthDateError(
                "birth_date.too_young", min_years=ages.min_years
            )
        if age > ages.max_years:
            raise InvalidBirthDateError(
                "birth_date.too_old", max_years=ages.max_years
            )
        return cls(value)

    def __str__(self) -> str:
        return self.value.isoformat()

    def __repr__(self) -> str:
        return "BirthDate(<hidden>)"


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on `day` of someone born on `birth`."""
    had_birthday = (day.month, day.day) >= (birth.month, birth.day)
    return day.year - birth.year - (0 if had_birthday else 1)
