"""RecordNumber: 1 to 7 digits, spaces ignored, leading zeros insignificant.

The canonical form is the number padded with zeros to 7 digits, as report
cards print it.
"""

import pytest

from portail_core import InvalidRecordNumberError, ValidationError
from portail_core.values import RecordNumber

VALID = [
    pytest.param("12345", "0012345", 12345, id="five-digits"),
    pytest.param("0012345", "0012345", 12345, id="padded"),
    pytest.param("0 012 345", "0012345", 12345, id="grouped-by-three"),
    pytest.param(" 12 345 ", "0012345", 12345, id="surrounding-spaces"),
    pytest.param("12\u00a0345", "0012345", 12345, id="no-break-space"),
    pytest.param("12\u202f345", "0012345", 12345, id="narrow-nbsp"),
    pytest.param("1", "0000001", 1, id="one"),
    pytest.param("0000001", "0000001", 1, id="one-padded"),
    pytest.param("1234567", "1234567", 1234567, id="seven-digits"),
    pytest.param("9999999", "9999999", 9999999, id="largest"),
    pytest.param("00012345", "0012345", 12345, id="eight-with-zeros"),
    pytest.param("000000000012345", "0012345", 12345, id="many-zeros"),
    pytest.param("１２３４５", "0012345", 12345, id="fullwidth-digits"),
]


@pytest.mark.parametrize(("text", "canonical", "value"), VALID)
def test_record_number_canonical(
    text: str, canonical: str, value: int
) -> None:
    assert str(RecordNumber.parse(text)) == canonical


@pytest.mark.parametrize(("text", "canonical", "value"), VALID)
def test_record_number_value(text: str, canonical: str, value: int) -> None:
    assert RecordNumber.parse(text).value == value


@pytest.mark.parametrize(("text", "canonical", "value"), VALID)
def test_record_number_repr(text: str, canonical: str, value: int) -> None:
    assert repr(RecordNumber.parse(text)) == f"RecordNumber('{canonical}')"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("12345", id="bare"),
        pytest.param("0012345", id="padded"),
        pytest.param("0 012 345", id="grouped"),
        pytest.param("１２３４５", id="fullwidth"),
    ],
)
def test_record_number_forms_equal(text: str) -> None:
    assert RecordNumber.parse(text) == RecordNumber(12345)


def test_record_number_orders_as_number() -> None:
    # As strings, "99" sorts after "100".
    assert RecordNumber.parse("99") < RecordNumber.parse("100")


INVALID = [
    pytest.param("", "record_number.empty", id="empty"),
    pytest.param("   ", "record_number.empty", id="spaces-only"),
    pytest.param("\u00a0", "record_number.empty", id="no-break-space-only"),
    pytest.param("12345678", "record_number.too_long", id="eight-digits"),
    pytest.param("00012345678", "record_number.too_long", id="eight-padded"),
    pytest.param("12 345 678", "record_number.too_long", id="eight-grouped"),
    pytest.param("1" * 29, "record_number.too_long", id="paste"),
    pytest.param("0", "record_number.zero", id="zero"),
    pytest.param("0000000", "record_number.zero", id="zeros"),
    pytest.param("0 000 000", "record_number.zero", id="zeros-grouped"),
    pytest.param("12-345", "record_number.not_digits", id="dash"),
    pytest.param("12.345", "record_number.not_digits", id="period"),
    pytest.param("12,345", "record_number.not_digits", id="comma"),
    pytest.param("#12345", "record_number.not_digits", id="hash"),
    pytest.param("+12345", "record_number.not_digits", id="plus"),
    pytest.param("-1", "record_number.not_digits", id="negative"),
    pytest.param("1e5", "record_number.not_digits", id="exponent"),
    pytest.param("A12345", "record_number.not_digits", id="letter"),
    pytest.param("12345O", "record_number.not_digits", id="letter-o"),
    pytest.param("١٢٣٤٥", "record_number.not_digits", id="arabic-indic"),
    pytest.param(
        "12\u200b345", "record_number.invisible_character", id="zwsp"
    ),
    pytest.param("TREM15091512", "record_number.not_digits", id="perm-code"),
]


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_record_number_invalid_code(text: str, code: str) -> None:
    with pytest.raises(InvalidRecordNumberError) as caught:
        RecordNumber.parse(text)

    assert caught.value.codes == (code,)


def test_too_long_states_seven_digits() -> None:
    with pytest.raises(InvalidRecordNumberError) as caught:
        RecordNumber.parse("12345678")

    assert caught.value.param("max_digits") == 7


def test_record_number_error_is_validation_error() -> None:
    with pytest.raises(ValidationError):
        RecordNumber.parse("0")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(12345, id="int"),
        pytest.param(b"12345", id="bytes"),
    ],
)
def test_record_number_rejects_non_str(value: object) -> None:
    with pytest.raises(TypeError):
        RecordNumber.parse(value)  # type: ignore[arg-type]
