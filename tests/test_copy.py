"""The fast copy of frozen values agrees with attrs.evolve."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from portail_core._copy import copied_by_dict, replace
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


@attrs.frozen(slots=False)
class Counted:
    number: int


class Doubled(Counted):
    """A subclass that attrs did not decorate, with its own __init__."""

    def __init__(self, number: int) -> None:
        super().__init__(number * 2)


def test_unregistered_class_copied_by_evolve() -> None:
    copied = replace(Doubled(1), number=3)
    assert type(copied) is Doubled
    assert copied.number == 6


def _slotted() -> type:
    @attrs.frozen
    class Slotted:
        number: int

    return Slotted


def _validated() -> type:
    @attrs.frozen(slots=False)
    class Validated:
        number: int = attrs.field(validator=attrs.validators.gt(0))

    return Validated


def _aliased() -> type:
    @attrs.frozen(slots=False)
    class Aliased:
        _number: int

    return Aliased


def _hooked() -> type:
    @attrs.frozen(slots=False)
    class Hooked:
        number: int

        def __attrs_post_init__(self) -> None:
            pass

    return Hooked


def _cached_hash() -> type:
    @attrs.frozen(slots=False, cache_hash=True)
    class CachedHash:
        number: int

    return CachedHash


def _cached_property() -> type:
    @attrs.frozen(slots=False)
    class Cached:
        number: int

        @functools.cached_property
        def double(self) -> int:
            return self.number * 2

    return Cached


def _on_slotted_base() -> type:
    @attrs.frozen
    class Base:
        number: int

    @attrs.frozen(slots=False)
    class Derived(Base):
        label: str

    return Derived


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (_slotted, "has slots"),
        (_validated, "validated or converted"),
        (_aliased, "set by __init__ in another way"),
        (_hooked, "init hook"),
        (_cached_hash, "caches its hash"),
        (_cached_property, "cached property"),
        (_on_slotted_base, "has slots"),
        (lambda: Doubled, "attrs did not decorate it"),
    ],
    ids=[
        "slots",
        "validator",
        "alias",
        "post-init",
        "cache-hash",
        "cached-property",
        "slotted-base",
        "undecorated",
    ],
)
def test_registration_rejects_unfit_class(
    build: Callable[[], type], reason: str
) -> None:
    if reason == "caches its hash" and not hasattr(attrs, "inspect"):
        pytest.skip("attrs before 25.4 does not record cache_hash")
    with pytest.raises(TypeError, match=reason):
        copied_by_dict(build())
