"""PermanentCode: parsing every date encoding, and consistency() per Part.

A permanent code is 4 letters then DD MM YY NN. DD is the day, or the day
plus 62. MM is the month, plus 50 for girls, and some codes add 25. Day 99
and month 13 (63 for girls) mark an unknown date.
"""

import string
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portail_core import InvalidPermanentCodeError, ValidationError
from portail_core.values import (
    Consistency,
    DateRule,
    Part,
    PermanentCode,
    SexMarker,
    Verdict,
)
from portail_core.values._permanent_code import _parse_full

PLAIN = DateRule.PLAIN
PLUS_62 = DateRule.DAY_PLUS_62
PLUS_25 = DateRule.MONTH_PLUS_25
UNKNOWN = DateRule.UNKNOWN


class Decoded(NamedTuple):
    """What a valid code must decode to."""

    canonical: str
    day: int | None
    month: int | None
    sex: SexMarker
    year_digits: int
    day_rule: DateRule
    month_rule: DateRule


VALID = [
    pytest.param(
        "TREM15091512",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="plain-boy",
    ),
    pytest.param(
        "trem15091512",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="lowercase",
    ),
    pytest.param(
        "trem 1509 1512",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="spaces",
    ),
    pytest.param(
        "TREM-1509-1512",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="dashes",
    ),
    pytest.param(
        "TREM\u20131509\u20141512",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="en-and-em-dash",
    ),
    pytest.param(
        "TREM\u00a01509\u202f1512",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="no-break-spaces",
    ),
    pytest.param(
        "  Trem 15 09 15 12  ",
        Decoded("TREM15091512", 15, 9, "M", 15, PLAIN, PLAIN),
        id="pairs-and-padding",
    ),
    pytest.param(
        "COTL01561512",
        Decoded("COTL01561512", 1, 6, "F", 15, PLAIN, PLAIN),
        id="girl-month-plus-50",
    ),
    pytest.param(
        "GAGE31121000",
        Decoded("GAGE31121000", 31, 12, "M", 10, PLAIN, PLAIN),
        id="day-31-month-12",
    ),
    pytest.param(
        "GAGE01510900",
        Decoded("GAGE01510900", 1, 1, "F", 9, PLAIN, PLAIN),
        id="girl-january",
    ),
    pytest.param(
        "GAGE01620900",
        Decoded("GAGE01620900", 1, 12, "F", 9, PLAIN, PLAIN),
        id="girl-december",
    ),
    pytest.param(
        "ROYL75031012",
        Decoded("ROYL75031012", 13, 3, "M", 10, PLUS_62, PLAIN),
        id="day-plus-62",
    ),
    pytest.param(
        "ROYL63031012",
        Decoded("ROYL63031012", 1, 3, "M", 10, PLUS_62, PLAIN),
        id="day-plus-62-first",
    ),
    pytest.param(
        "ROYL93031012",
        Decoded("ROYL93031012", 31, 3, "M", 10, PLUS_62, PLAIN),
        id="day-plus-62-last",
    ),
    pytest.param(
        "NGUL12341512",
        Decoded("NGUL12341512", 12, 9, "M", 15, PLAIN, PLUS_25),
        id="month-plus-25-boy",
    ),
    pytest.param(
        "NGUL12261512",
        Decoded("NGUL12261512", 12, 1, "M", 15, PLAIN, PLUS_25),
        id="month-plus-25-january",
    ),
    pytest.param(
        "NGUL12371512",
        Decoded("NGUL12371512", 12, 12, "M", 15, PLAIN, PLUS_25),
        id="month-plus-25-december",
    ),
    pytest.param(
        "BERB12841512",
        Decoded("BERB12841512", 12, 9, "F", 15, PLAIN, PLUS_25),
        id="month-plus-25-girl",
    ),
    pytest.param(
        "BERB12761512",
        Decoded("BERB12761512", 12, 1, "F", 15, PLAIN, PLUS_25),
        id="month-plus-25-girl-january",
    ),
    pytest.param(
        "BERB12871512",
        Decoded("BERB12871512", 12, 12, "F", 15, PLAIN, PLUS_25),
        id="month-plus-25-girl-december",
    ),
    pytest.param(
        "BERB74841512",
        Decoded("BERB74841512", 12, 9, "F", 15, PLUS_62, PLUS_25),
        id="both-offsets",
    ),
    pytest.param(
        "LEVA99091512",
        Decoded("LEVA99091512", None, 9, "M", 15, UNKNOWN, PLAIN),
        id="unknown-day",
    ),
    pytest.param(
        "LEVA15131512",
        Decoded("LEVA15131512", 15, None, "M", 15, PLAIN, UNKNOWN),
        id="unknown-month-boy",
    ),
    pytest.param(
        "LEVA15631512",
        Decoded("LEVA15631512", 15, None, "F", 15, PLAIN, UNKNOWN),
        id="unknown-month-girl",
    ),
    pytest.param(
        "LEVA99131512",
        Decoded("LEVA99131512", None, None, "M", 15, UNKNOWN, UNKNOWN),
        id="unknown-date",
    ),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_canonical(text: str, expected: Decoded) -> None:
    assert str(PermanentCode.parse(text)) == expected.canonical


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_day(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).day == expected.day


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_month(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).month == expected.month


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_sex_marker(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).sex_marker == expected.sex


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_year_digits(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).year_digits == expected.year_digits


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_day_rule(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).day_rule is expected.day_rule


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_month_rule(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).month_rule is expected.month_rule


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_letters(text: str, expected: Decoded) -> None:
    assert PermanentCode.parse(text).letters == expected.canonical[:4]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_permanent_code_repr_masks_digits(
    text: str, expected: Decoded
) -> None:
    masked = f"PermanentCode('{expected.canonical[:4]}********')"

    assert repr(PermanentCode.parse(text)) == masked


def test_permanent_code_typed_forms_equal() -> None:
    assert PermanentCode.parse("trem 1509 1512") == PermanentCode.parse(
        "TREM15091512"
    )


INVALID = [
    pytest.param("", "permanent_code.empty", id="empty"),
    pytest.param("   ", "permanent_code.empty", id="spaces-only"),
    pytest.param("TREM1509151", "permanent_code.wrong_length", id="11-chars"),
    pytest.param(
        "TREM150915123", "permanent_code.wrong_length", id="13-chars"
    ),
    pytest.param(
        "TREM 1509 151", "permanent_code.wrong_length", id="11-with-spaces"
    ),
    pytest.param(
        "TREM_15091512", "permanent_code.wrong_length", id="underscore-kept"
    ),
    pytest.param(
        "TREM.1509.1512", "permanent_code.wrong_length", id="periods-kept"
    ),
    pytest.param(
        "TREM15091512" * 5, "permanent_code.wrong_length", id="paste"
    ),
    pytest.param("TRÉM15091512", "permanent_code.wrong_format", id="accent"),
    pytest.param(
        "\u0422REM15091512", "permanent_code.wrong_format", id="cyrillic-te"
    ),
    pytest.param(
        "1REM15091512", "permanent_code.wrong_format", id="digit-in-letters"
    ),
    pytest.param(
        "TRE115091512", "permanent_code.wrong_format", id="3-letters"
    ),
    pytest.param(
        "TREMA5091512", "permanent_code.wrong_format", id="5-letters"
    ),
    pytest.param(
        "TREM1509151O", "permanent_code.wrong_format", id="letter-o-for-zero"
    ),
    pytest.param(
        "15091512TREM", "permanent_code.wrong_format", id="digits-first"
    ),
    pytest.param("TREM00091512", "permanent_code.invalid_day", id="day-00"),
    pytest.param("TREM32091512", "permanent_code.invalid_day", id="day-32"),
    pytest.param("TREM62091512", "permanent_code.invalid_day", id="day-62"),
    pytest.param("TREM94091512", "permanent_code.invalid_day", id="day-94"),
    pytest.param("TREM98091512", "permanent_code.invalid_day", id="day-98"),
    pytest.param(
        "TREM00001512", "permanent_code.invalid_day", id="day-before-month"
    ),
    pytest.param(
        "TREM15001512", "permanent_code.invalid_month", id="month-00"
    ),
    pytest.param(
        "TREM15141512", "permanent_code.invalid_month", id="month-14"
    ),
    pytest.param(
        "TREM15251512", "permanent_code.invalid_month", id="month-25"
    ),
    pytest.param(
        "TREM15381512", "permanent_code.invalid_month", id="month-38"
    ),
    pytest.param(
        "TREM15501512", "permanent_code.invalid_month", id="month-50"
    ),
    pytest.param(
        "TREM15641512", "permanent_code.invalid_month", id="month-64"
    ),
    pytest.param(
        "TREM15751512", "permanent_code.invalid_month", id="month-75"
    ),
    pytest.param(
        "TREM15881512", "permanent_code.invalid_month", id="month-88"
    ),
    pytest.param(
        "TREM15991512", "permanent_code.invalid_month", id="month-99"
    ),
]


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_permanent_code_invalid_code(text: str, code: str) -> None:
    with pytest.raises(InvalidPermanentCodeError) as caught:
        PermanentCode.parse(text)

    assert caught.value.codes == (code,)


def test_wrong_length_states_twelve() -> None:
    with pytest.raises(InvalidPermanentCodeError) as caught:
        PermanentCode.parse("TREM1509151")

    assert caught.value.param("length") == 12


def test_permanent_code_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        PermanentCode.parse("TREM32091512")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(b"TREM15091512", id="bytes"),
        pytest.param(150915, id="int"),
    ],
)
def test_permanent_code_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        PermanentCode.parse(value)  # type: ignore[arg-type]


# consistency(): one row per case, expanded to one test per Part.

VERDICT_LETTERS = {
    "M": Verdict.MATCHES,
    "D": Verdict.DIFFERS,
    "C": Verdict.CANNOT_TELL,
}

PARTS = (
    Part.FAMILY_NAME_LETTERS,
    Part.GIVEN_NAME_LETTER,
    Part.DAY,
    Part.MONTH,
    Part.YEAR,
    Part.SEX_MARKER,
)


class Case(NamedTuple):
    """Typed data checked against a code, and the expected verdicts.

    `verdicts` has one letter per Part, in the order of PARTS: M for
    MATCHES, D for DIFFERS, C for CANNOT_TELL.
    """

    code: str
    family_name: str
    given_names: str
    birth_date: date
    sex_marker: SexMarker | None
    verdicts: str

    def check(self) -> Consistency:
        return PermanentCode.parse(self.code).consistency(
            family_name=self.family_name,
            given_names=self.given_names,
            birth_date=self.birth_date,
            sex_marker=self.sex_marker,
        )


CONSISTENCY = {
    "all-match": Case(
        "TREM15091512", "Tremblay", "Marie", date(2015, 9, 15), None, "MMMMMC"
    ),
    "sex-typed-matches": Case(
        "TREM15091512", "Tremblay", "Marc", date(2015, 9, 15), "M", "MMMMMM"
    ),
    "sex-typed-differs": Case(
        "TREM15091512", "Tremblay", "Marie", date(2015, 9, 15), "F", "MMMMMD"
    ),
    "girl-code-matches": Case(
        "TREM15591512", "Tremblay", "Marie", date(2015, 9, 15), "F", "MMMMMM"
    ),
    "lowercase-names": Case(
        "TREM15091512", "tremblay", "marie", date(2015, 9, 15), None, "MMMMMC"
    ),
    "accents-compound": Case(
        "COTL01031515",
        "Côté-Tremblay",
        "Léa",
        date(2015, 3, 1),
        None,
        "MMMMMC",
    ),
    "accents-both": Case(
        "BERB01031515", "Bérubé", "Béatrice", date(2015, 3, 1), None, "MMMMMC"
    ),
    "accents-typed-nfd": Case(
        "BERB01031515",
        unicodedata.normalize("NFD", "Bérubé"),
        unicodedata.normalize("NFD", "Béatrice"),
        date(2015, 3, 1),
        None,
        "MMMMMC",
    ),
    "family-differs": Case(
        "GAGL01031515", "Tremblay", "Léa", date(2015, 3, 1), None, "DMMMMC"
    ),
    "glued-le-cannot-tell": Case(
        "BLAL01031515", "Leblanc", "Léa", date(2015, 3, 1), None, "CMMMMC"
    ),
    "glued-de-la-cannot-tell": Case(
        "LAFA01031515",
        "Delafontaine",
        "Anaïs",
        date(2015, 3, 1),
        None,
        "CMMMMC",
    ),
    "glued-particle-not-it-differs": Case(
        "GAGL01031515", "Leblanc", "Léa", date(2015, 3, 1), None, "DMMMMC"
    ),
    "given-differs": Case(
        "TREM01031515", "Tremblay", "Léa", date(2015, 3, 1), None, "MDMMMC"
    ),
    "given-compound-first": Case(
        "TREM01031515",
        "Tremblay",
        "Marie-Ève",
        date(2015, 3, 1),
        None,
        "MMMMMC",
    ),
    "given-second-name": Case(
        "TREL01031515",
        "Tremblay",
        "Marie Léa",
        date(2015, 3, 1),
        None,
        "MCMMMC",
    ),
    "given-second-compound-part": Case(
        "TREE01031515",
        "Tremblay",
        "Marie-Ève",
        date(2015, 3, 1),
        None,
        "MCMMMC",
    ),
    "given-no-letters": Case(
        "TREM01031515", "Tremblay", "-", date(2015, 3, 1), None, "MCMMMC"
    ),
    "apostrophe-joined": Case(
        "DAMO01031515", "D'Amour", "Olivia", date(2015, 3, 1), None, "MMMMMC"
    ),
    "apostrophe-dropped": Case(
        "AMOO01031515", "D'Amour", "Olivia", date(2015, 3, 1), None, "CMMMMC"
    ),
    "curly-apostrophe-joined": Case(
        "DAMO01031515", "D’Amour", "Olivia", date(2015, 3, 1), None, "MMMMMC"
    ),
    "curly-apostrophe-dropped": Case(
        "AMOO01031515", "D’Amour", "Olivia", date(2015, 3, 1), None, "CMMMMC"
    ),
    "apostrophe-l-dropped": Case(
        "HEUO01031515", "L'Heureux", "Olivia", date(2015, 3, 1), None, "CMMMMC"
    ),
    "modifier-apostrophe-dropped": Case(
        "HEUO01031515", "LʼHeureux", "Olivia", date(2015, 3, 1), None, "CMMMMC"
    ),
    "apostrophe-o-kept": Case(
        "ONEL01031515", "O'Neil", "Liam", date(2015, 3, 1), None, "MMMMMC"
    ),
    "apostrophe-o-dropped": Case(
        "NEIL01031515", "O'Neil", "Liam", date(2015, 3, 1), None, "CMMMMC"
    ),
    "particle-kept": Case(
        "DELT01031515",
        "de la Fontaine",
        "Thomas",
        date(2015, 3, 1),
        None,
        "MMMMMC",
    ),
    "particle-dropped": Case(
        "FONT01031515",
        "de la Fontaine",
        "Thomas",
        date(2015, 3, 1),
        None,
        "CMMMMC",
    ),
    "saint-abbreviated": Case(
        "STPJ01031515",
        "Saint-Pierre",
        "Jade",
        date(2015, 3, 1),
        None,
        "CMMMMC",
    ),
    "saint-spelled": Case(
        "SAIJ01031515",
        "Saint-Pierre",
        "Jade",
        date(2015, 3, 1),
        None,
        "MMMMMC",
    ),
    "mc-separate-dropped": Case(
        "DUFJ01031515", "Mc Duff", "Jade", date(2015, 3, 1), None, "CMMMMC"
    ),
    "mc-joined-cannot-tell": Case(
        "DUFJ01031515", "McDuff", "Jade", date(2015, 3, 1), None, "CMMMMC"
    ),
    "short-name-ng-padded": Case(
        "NGXL01031515", "Ng", "Liam", date(2015, 3, 1), None, "CMMMMC"
    ),
    "short-name-ho-padded": Case(
        "HOXE01031515", "Ho", "Emma", date(2015, 3, 1), None, "CMMMMC"
    ),
    "short-name-given-letter": Case(
        "NGLI01031515", "Ng", "Liam", date(2015, 3, 1), None, "CDMMMC"
    ),
    "day-plus-62-matches": Case(
        "ROYL75031010", "Roy", "Léa", date(2010, 3, 13), None, "MMCMMC"
    ),
    "day-plus-62-differs": Case(
        "ROYL75031010", "Roy", "Léa", date(2010, 3, 12), None, "MMDMMC"
    ),
    "day-plain-differs": Case(
        "ROYL13031010", "Roy", "Léa", date(2010, 3, 12), None, "MMDMMC"
    ),
    "month-plus-25-matches": Case(
        "NGUL12341515", "Nguyen", "Liam", date(2015, 9, 12), None, "MMMCMC"
    ),
    "month-plus-25-differs": Case(
        "NGUL12341515", "Nguyen", "Liam", date(2015, 10, 12), None, "MMMDMC"
    ),
    "month-plus-25-girl": Case(
        "NGUL12841515", "Nguyen", "Léa", date(2015, 9, 12), "F", "MMMCMM"
    ),
    "month-plain-differs": Case(
        "NGUL12091515", "Nguyen", "Liam", date(2015, 10, 12), None, "MMMDMC"
    ),
    "girl-month-differs": Case(
        "NGUL12591515", "Nguyen", "Léa", date(2015, 10, 12), None, "MMMDMC"
    ),
    "unknown-day": Case(
        "LEVA99091515", "Lévesque", "Alice", date(2015, 9, 12), None, "MMCMMC"
    ),
    "unknown-month-girl": Case(
        "LEVA12631515", "Lévesque", "Alice", date(2015, 9, 12), "F", "MMMCMM"
    ),
    "year-differs": Case(
        "TREM15091512", "Tremblay", "Marie", date(2012, 9, 15), None, "MMMMDC"
    ),
    "year-2000": Case(
        "TREM15090000", "Tremblay", "Marie", date(2000, 9, 15), None, "MMMMMC"
    ),
    "everything-differs": Case(
        "GAGL16101412", "Tremblay", "Marie", date(2012, 9, 15), "F", "DDDDDD"
    ),
}


def _expand_consistency() -> list[object]:
    params = []
    for case_id, case in CONSISTENCY.items():
        for part, letter in zip(PARTS, case.verdicts, strict=True):
            params.append(
                pytest.param(
                    case,
                    part,
                    VERDICT_LETTERS[letter],
                    id=f"{case_id}-{part.value}",
                )
            )
    return params


@pytest.mark.parametrize(("case", "part", "verdict"), _expand_consistency())
def test_consistency_verdict(case: Case, part: Part, verdict: Verdict) -> None:
    assert case.check().verdict(part) is verdict


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=case_id) for case_id, case in CONSISTENCY.items()],
)
def test_consistency_differing_parts(case: Case) -> None:
    expected = tuple(
        part
        for part, letter in zip(PARTS, case.verdicts, strict=True)
        if letter == "D"
    )

    assert case.check().differing == expected


def test_consistency_cannot_tell_is_consistent() -> None:
    consistency = PermanentCode.parse("FONT01031515").consistency(
        family_name="de la Fontaine",
        given_names="Thomas",
        birth_date=date(2015, 3, 1),
    )

    assert consistency.is_consistent


def test_consistency_differs_not_consistent() -> None:
    consistency = PermanentCode.parse("GAGL01031515").consistency(
        family_name="Tremblay",
        given_names="Léa",
        birth_date=date(2015, 3, 1),
    )

    assert not consistency.is_consistent


def test_consistency_checks_every_part() -> None:
    consistency = PermanentCode.parse("TREM15091512").consistency(
        family_name="Tremblay",
        given_names="Marie",
        birth_date=date(2015, 9, 15),
    )

    assert tuple(check.part for check in consistency.checks) == PARTS


def test_consistency_reason_hides_name() -> None:
    consistency = PermanentCode.parse("GAGL01031515").consistency(
        family_name="Tremblay",
        given_names="Léa",
        birth_date=date(2015, 3, 1),
    )
    reasons = " ".join(check.reason for check in consistency.checks)

    assert "Tremblay" not in reasons


def _expected_date_problem(code: PermanentCode) -> str | None:
    # The rules as the properties state them, for every day and month.
    if code.day_rule is None:
        return "permanent_code.invalid_day"
    if code.month_rule is None:
        return "permanent_code.invalid_month"
    if code.day is not None and code.month is not None:
        days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        if code.day > days[code.month - 1]:
            return "permanent_code.invalid_day"
    return None


def test_parse_agrees_with_date_rules() -> None:
    # parse checks the plain rule on the digits alone, apart from the
    # properties; both must accept and reject the same digits.
    for number in range(10_000):
        text = f"ABCD{number:04d}0000"
        expected = _expected_date_problem(PermanentCode(text))
        try:
            PermanentCode.parse(text)
            found = None
        except InvalidPermanentCodeError as error:
            found = error.code
        assert found == expected, text


# The fast path of parse, for text of ASCII letters, digits and spaces,
# against the full path that checks each rule in turn.

# Characters outside ASCII whose upper case is ASCII, such as "ı" ("I")
# and "ﬀ" ("FF"). The fast path must not upper-case them into a code.
UPPER_CASE_ASCII = [
    chr(point)
    for point in range(0x80, 0x10000)
    if chr(point).upper().isascii()
]
# Other characters the full path handles: separators it removes, and
# letters and digits outside ASCII that it rejects.
OTHER_CHARACTERS = ["-", "\u2013", "\t", "\u00a0", "_", ".", "é", "\uff11"]


def _full_parse(text: str) -> PermanentCode:
    return _parse_full(PermanentCode, text)


def _outcome(
    parse: Callable[[str], PermanentCode], text: str
) -> tuple[object, ...]:
    """Return what `parse` does with `text`, in a form to compare."""
    try:
        code = parse(text)
    except InvalidPermanentCodeError as error:
        return ("raises", error.codes, error.problems, error.args)
    return ("returns", type(code), code.value)


@st.composite
def _typed_codes(draw: st.DrawFn) -> str:
    """Draw a code as a parent might type it, often with a mistake.

    Most characters are of the expected kind, the date digits are any
    two pairs, and spaces may pad the code past the length limit.
    """
    expected = [string.ascii_letters] * 4 + [string.digits] * 8
    length = draw(st.sampled_from([12, 12, 12, 11, 13]))
    characters = []
    for position in range(length):
        kind = draw(st.integers(min_value=0, max_value=9))
        if kind == 9:
            alphabet = [*UPPER_CASE_ASCII, *OTHER_CHARACTERS]
        elif kind >= 7 or position >= len(expected):
            alphabet = list(string.ascii_letters + string.digits)
        else:
            alphabet = list(expected[position])
        characters.append(draw(st.sampled_from(alphabet)))
    spaces = st.integers(min_value=0, max_value=3) | st.integers(
        min_value=30, max_value=40
    )
    gaps = draw(st.lists(spaces, min_size=length + 1, max_size=length + 1))
    return "".join(
        " " * gap + character
        for gap, character in zip(gaps, [*characters, ""], strict=True)
    )


@settings(max_examples=2_000)
@given(_typed_codes())
def test_fast_path_agrees_on_typed_codes(text: str) -> None:
    assert _outcome(PermanentCode.parse, text) == _outcome(_full_parse, text)


@settings(max_examples=1_000)
@given(
    st.text(
        alphabet=string.ascii_letters + string.digits + " ",
        min_size=10,
        max_size=16,
    )
)
def test_fast_path_agrees_on_ascii_text(text: str) -> None:
    assert _outcome(PermanentCode.parse, text) == _outcome(_full_parse, text)


@pytest.mark.parametrize("character", UPPER_CASE_ASCII)
def test_fast_path_agrees_on_upper_case_ascii(character: str) -> None:
    # Upper-cased, the text would be a valid code, as "ıREM15095512"
    # would give "IREM15095512".
    upper = character.upper()
    text = character + "TREM"[len(upper) :] + "15095512"

    assert _outcome(PermanentCode.parse, text) == _outcome(_full_parse, text)
    assert _outcome(PermanentCode.parse, text)[0] == "raises"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "T" + " " * 36 + "REM15095512",
            ("returns", PermanentCode, "TREM15095512"),
            id="spaces-up-to-limit",
        ),
        pytest.param(
            " " * 40 + "TREM15095512" + " " * 40,
            ("returns", PermanentCode, "TREM15095512"),
            id="padding-past-limit",
        ),
        pytest.param(
            "ROYJ0813TT12",
            ("raises", ("permanent_code.wrong_format",)),
            id="letters-among-digits",
        ),
        pytest.param(
            "royj 0813 tt12",
            ("raises", ("permanent_code.wrong_format",)),
            id="letters-among-digits-spaced",
        ),
        pytest.param(
            "T" + " " * 37 + "REM15095512",
            ("raises", ("permanent_code.wrong_length",)),
            id="spaces-past-limit",
        ),
        pytest.param(
            "R" + " " * 37 + "OYJ0813TT12",
            ("raises", ("permanent_code.wrong_length",)),
            id="misplaced-past-limit",
        ),
    ],
)
def test_fast_path_limits(text: str, expected: tuple[object, ...]) -> None:
    outcome = _outcome(PermanentCode.parse, text)

    assert outcome[: len(expected)] == expected
    assert outcome == _outcome(_full_parse, text)


@attrs.frozen
class _NamedCode(PermanentCode):
    label: str = "no label"


def test_subclass_parse_runs_init() -> None:
    code = _NamedCode.parse("TREM15095512")

    assert type(code) is _NamedCode
    assert code.label == "no label"


def test_parse_matches_constructor() -> None:
    parsed = PermanentCode.parse("trem 1509 5512")
    built = PermanentCode("TREM15095512")

    assert attrs.asdict(parsed) == attrs.asdict(built)
    assert parsed == built
    assert hash(parsed) == hash(built)


def test_parse_result_frozen() -> None:
    code = PermanentCode.parse("TREM15095512")

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        code.value = "GAGE84551101"  # type: ignore[misc]
