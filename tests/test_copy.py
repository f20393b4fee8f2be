"""The fast copy of frozen values agrees with attrs.evolve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from portail_core._copy import replace
from portail_core.signup import Account, FlowPurpose, FlowState, SignupFlow
from portail_core.values import Email

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def a_flow() -> SignupFlow:
    return SignupFlow(
        flow_id="flow-1",
        purpose=FlowPurpose.SIGNUP,
        email=Email.parse("parent@courriel.example"),
        state=FlowState.CODE_SENT,
        created_at=NOW,
        updated_at=NOW,
        retain_until=NOW,
        code_requests=(NOW,),
    )


def an_account() -> Account:
    return Account(
        account_id="account-1",
        email=Email.parse("parent@courriel.example"),
        created_at=NOW,
        password_hash="$hash$",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"version": 4},
        {"state": FlowState.EXPIRED, "challenge": None, "version": 2},
        {"updated_at": NOW + timedelta(minutes=1), "children": ("s-1",)},
    ],
    ids=["nothing", "version", "three-fields", "time-and-children"],
)
def test_flow_copy_equals_evolve(changes: dict[str, object]) -> None:
    original = a_flow()
    copied = replace(original, **changes)
    assert copied == attrs.evolve(original, **changes)
    assert copied is not original
    assert original == a_flow()


def test_account_copy_equals_evolve() -> None:
    original = an_account()
    copied = replace(original, providers=("google",), version=3)
    assert copied == attrs.evolve(original, providers=("google",), version=3)
    assert original.providers == ()


def test_copy_stays_frozen() -> None:
    copied = replace(a_flow(), version=2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        copied.version = 3  # type: ignore[misc]


def test_copy_unknown_field_raises() -> None:
    with pytest.raises(
        TypeError, match="SignupFlow has no field named colour"
    ):
        replace(a_flow(), colour="blue")


@attrs.frozen
class Slotted:
    number: int
    label: str = "x"


@attrs.frozen(slots=False)
class Validated:
    number: int = attrs.field(validator=attrs.validators.gt(0))


def test_slotted_class_copied_by_evolve() -> None:
    assert replace(Slotted(1), number=2) == Slotted(2)


def test_validated_class_still_validated() -> None:
    with pytest.raises(ValueError, match="number"):
        replace(Validated(1), number=0)


@attrs.frozen(slots=False)
class Aliased:
    _number: int


@attrs.frozen(slots=False)
class Counted:
    number: int


class Doubled(Counted):
    """A subclass that attrs did not decorate, with its own __init__."""

    def __init__(self, number: int) -> None:
        super().__init__(number * 2)


def test_aliased_field_copied_by_evolve() -> None:
    assert replace(Aliased(1), number=5) == Aliased(5)


def test_undecorated_subclass_copied_by_evolve() -> None:
    copied = replace(Doubled(1), number=3)
    assert type(copied) is Doubled
    assert copied.number == 6
