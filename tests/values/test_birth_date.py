"""BirthDate: date forms, impossible and future dates, and the age range.

Every check runs against a fixed `today`, 1 September 2026 (the start of
a school year), so the age boundaries are exact. By default a student is
2 to 25 years old in whole years on the day of the check.
"""

from datetime import date

import pytest

from portail_core import InvalidBirthDateError, ValidationError
from portail_core.values import AgeRange, BirthDate, DateOrder, age_on

TODAY = date(2026, 9, 1)
DAY_FIRST = DateOrder.DAY_FIRST
MONTH_FIRST = DateOrder.MONTH_FIRST

VALID = [
    pytest.param("2015-09-12", None, "2015-09-12", id="iso"),
    pytest.param("20150912", None, "2015-09-12", id="iso-basic"),
    pytest.param(" 2015-09-12 ", None, "2015-09-12", id="iso-padded"),
    pytest.param("2015-9-2", None, "2015-09-02", id="iso-single-digits"),
    pytest.param("2016-02-29", None, "2016-02-29", id="leap-day"),
    pytest.param("2015-09-12", MONTH_FIRST, "2015-09-12", id="iso-any-order"),
    pytest.param("12/09/2015", DAY_FIRST, "2015-09-12", id="slash-day-first"),
    pytest.param(
        "12/09/2015", MONTH_FIRST, "2015-12-09", id="slash-month-first"
    ),
    pytest.param("9/12/2015", MONTH_FIRST, "2015-09-12", id="single-month"),
    pytest.param("12.09.2015", DAY_FIRST, "2015-09-12", id="periods"),
    pytest.param("12-09-2015", DAY_FIRST, "2015-09-12", id="dashes"),
    pytest.param("12 / 09 / 2015", DAY_FIRST, "2015-09-12", id="spaced"),
    pytest.param("31/12/2015", DAY_FIRST, "2015-12-31", id="day-over-12"),
    pytest.param("2024-09-01", None, "2024-09-01", id="exactly-2-today"),
    pytest.param("2000-09-02", None, "2000-09-02", id="26-tomorrow"),
]


@pytest.mark.parametrize(("text", "order", "iso"), VALID)
def test_birth_date_canonical(
    text: str, order: DateOrder | None, iso: str
) -> None:
    birth = BirthDate.parse(text, today=TODAY, order=order)

    assert str(birth) == iso


@pytest.mark.parametrize(("text", "order", "iso"), VALID)
def test_birth_date_value(
    text: str, order: DateOrder | None, iso: str
) -> None:
    birth = BirthDate.parse(text, today=TODAY, order=order)

    assert birth.value == date.fromisoformat(iso)


INVALID = [
    pytest.param("", None, "birth_date.empty", id="empty"),
    pytest.param("   ", None, "birth_date.empty", id="spaces-only"),
    # A slash form needs an order, even where only one reading exists.
    pytest.param("12/09/2015", None, "birth_date.ambiguous", id="slash"),
    pytest.param("12.09.2015", None, "birth_date.ambiguous", id="periods"),
    pytest.param("25/12/2015", None, "birth_date.ambiguous", id="day-25"),
    # Not a date form.
    pytest.param("12/09/15", DAY_FIRST, "birth_date.unreadable", id="yy"),
    pytest.param(
        "12 septembre 2015", None, "birth_date.unreadable", id="month-word"
    ),
    pytest.param(
        "Sept 12, 2015", None, "birth_date.unreadable", id="english-words"
    ),
    pytest.param(
        "2015-09-12T08:00", None, "birth_date.unreadable", id="timestamp"
    ),
    pytest.param("2015-09", None, "birth_date.unreadable", id="no-day"),
    pytest.param("201509", None, "birth_date.unreadable", id="basic-no-day"),
    pytest.param(
        "２０１５-０９-１２", None, "birth_date.unreadable", id="fullwidth"
    ),
    pytest.param("hier", None, "birth_date.unreadable", id="word"),
    pytest.param("2015-09-12" * 4, None, "birth_date.unreadable", id="paste"),
    # Dates that do not exist.
    pytest.param("2015-02-30", None, "birth_date.impossible", id="feb-30"),
    pytest.param("20150230", None, "birth_date.impossible", id="basic-feb-30"),
    pytest.param("2017-02-29", None, "birth_date.impossible", id="not-leap"),
    pytest.param("2015-04-31", None, "birth_date.impossible", id="apr-31"),
    pytest.param("2015-13-01", None, "birth_date.impossible", id="month-13"),
    pytest.param("2015-00-10", None, "birth_date.impossible", id="month-00"),
    pytest.param("2015-09-00", None, "birth_date.impossible", id="day-00"),
    pytest.param("2015-09-99", None, "birth_date.impossible", id="day-99"),
    pytest.param("0000-01-01", None, "birth_date.impossible", id="year-0"),
    pytest.param(
        "31/04/2015", DAY_FIRST, "birth_date.impossible", id="day-first-31"
    ),
    pytest.param(
        "13/09/2015", MONTH_FIRST, "birth_date.impossible", id="month-13-us"
    ),
    # Possible dates that are not a student's.
    pytest.param("2026-09-02", None, "birth_date.in_future", id="tomorrow"),
    pytest.param("2030-01-01", None, "birth_date.in_future", id="future"),
    pytest.param("2026-09-01", None, "birth_date.too_young", id="born-today"),
    pytest.param("2024-09-02", None, "birth_date.too_young", id="2-tomorrow"),
    pytest.param("2000-09-01", None, "birth_date.too_old", id="26-today"),
    pytest.param("1985-06-24", None, "birth_date.too_old", id="parent-date"),
]


@pytest.mark.parametrize(("text", "order", "code"), INVALID)
def test_birth_date_invalid_code(
    text: str, order: DateOrder | None, code: str
) -> None:
    with pytest.raises(InvalidBirthDateError) as caught:
        BirthDate.parse(text, today=TODAY, order=order)

    assert caught.value.codes == (code,)


def test_too_young_states_limit() -> None:
    with pytest.raises(InvalidBirthDateError) as caught:
        BirthDate.parse("2025-01-01", today=TODAY)

    assert caught.value.param("min_years") == 2


def test_too_old_states_limit() -> None:
    with pytest.raises(InvalidBirthDateError) as caught:
        BirthDate.parse("1990-01-01", today=TODAY)

    assert caught.value.param("max_years") == 25


def test_birth_date_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        BirthDate.parse("2015-02-30", today=TODAY)


# Ages compare (month, day), so a child born on 29 February turns a year
# older on 1 March of a common year, not on 28 February.
LEAP_DAY_BOUNDARY = [
    pytest.param(date(2018, 2, 28), "birth_date.too_young", id="feb-28"),
    pytest.param(date(2018, 3, 1), None, id="mar-1"),
]


@pytest.mark.parametrize(("today", "code"), LEAP_DAY_BOUNDARY)
def test_leap_day_birthday_boundary(today: date, code: str | None) -> None:
    try:
        BirthDate.parse("2016-02-29", today=today)
    except InvalidBirthDateError as error:
        found: str | None = error.code
    else:
        found = None

    assert found == code


AGES = [
    pytest.param(date(2015, 9, 12), date(2026, 9, 11), 10, id="day-before"),
    pytest.param(date(2015, 9, 12), date(2026, 9, 12), 11, id="birthday"),
    pytest.param(date(2015, 9, 12), date(2026, 9, 13), 11, id="day-after"),
    pytest.param(date(2015, 12, 31), date(2026, 1, 1), 10, id="new-year"),
    pytest.param(date(2016, 2, 29), date(2020, 2, 29), 4, id="leap-birthday"),
    pytest.param(date(2016, 2, 29), date(2019, 2, 28), 2, id="leap-feb-28"),
    pytest.param(date(2016, 2, 29), date(2019, 3, 1), 3, id="leap-mar-1"),
    pytest.param(date(2026, 9, 1), date(2026, 9, 1), 0, id="newborn"),
]


@pytest.mark.parametrize(("birth", "day", "age"), AGES)
def test_age_on_whole_years(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


CUSTOM_RANGE = [
    pytest.param("2022-09-02", "birth_date.too_young", id="under-4"),
    pytest.param("2022-09-01", None, id="exactly-4"),
    pytest.param("2007-09-02", None, id="19-tomorrow"),
    pytest.param("2007-09-01", "birth_date.too_old", id="19-today"),
]


@pytest.mark.parametrize(("text", "code"), CUSTOM_RANGE)
def test_custom_age_range(text: str, code: str | None) -> None:
    ages = AgeRange(min_years=4, max_years=18)
    try:
        BirthDate.parse(text, today=TODAY, ages=ages)
    except InvalidBirthDateError as error:
        found: str | None = error.code
    else:
        found = None

    assert found == code


@pytest.mark.parametrize(
    ("min_years", "max_years"),
    [
        pytest.param(-1, 25, id="negative-min"),
        pytest.param(12, 5, id="min-above-max"),
    ],
)
def test_age_range_rejects_bad_bounds(min_years: int, max_years: int) -> None:
    with pytest.raises(ValueError, match="min_years"):
        AgeRange(min_years=min_years, max_years=max_years)


FROM_PARTS_INVALID = [
    pytest.param((2015, 2, 30), "birth_date.impossible", id="feb-30"),
    pytest.param((2015, 13, 1), "birth_date.impossible", id="month-13"),
    pytest.param((10**9, 1, 1), "birth_date.impossible", id="huge-year"),
    pytest.param((2030, 1, 1), "birth_date.in_future", id="future"),
]


@pytest.mark.parametrize(("parts", "code"), FROM_PARTS_INVALID)
def test_from_parts_invalid_code(
    parts: tuple[int, int, int], code: str
) -> None:
    year, month, day = parts

    with pytest.raises(InvalidBirthDateError) as caught:
        BirthDate.from_parts(year, month, day, today=TODAY)

    assert caught.value.codes == (code,)


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param((2015, 9, "12"), id="str-day"),
        pytest.param((2015.0, 9, 12), id="float-year"),
        pytest.param((2015, True, 12), id="bool-month"),
    ],
)
def test_from_parts_rejects_non_int(parts: tuple[object, ...]) -> None:
    with pytest.raises(TypeError):
        BirthDate.from_parts(*parts, today=TODAY)  # type: ignore[arg-type]


def test_of_wraps_plausible_date() -> None:
    assert BirthDate.of(date(2015, 9, 12), today=TODAY).value == date(
        2015, 9, 12
    )


def test_birth_dates_order_by_date() -> None:
    older = BirthDate.parse("2012-01-05", today=TODAY)
    younger = BirthDate.parse("2015-09-12", today=TODAY)

    assert older < younger


def test_birth_date_repr_hides_date() -> None:
    birth = BirthDate.parse("2015-09-12", today=TODAY)

    assert repr(birth) == "BirthDate(<hidden>)"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(date(2015, 9, 12), id="date-object"),
        pytest.param(20150912, id="int"),
    ],
)
def test_birth_date_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        BirthDate.parse(value, today=TODAY)  # type: ignore[arg-type]
