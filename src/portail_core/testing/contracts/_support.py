"""Helpers of the contract suites: field comparison and thread races."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar, cast

import attrs

from portail_core.values import Email

if TYPE_CHECKING:
    from attrs import AttrsInstance

_T = TypeVar("_T")

RACE_TIMEOUT_SECONDS = 60
"""Time a racing thread may take before the race counts as hung."""


def assert_same_fields(actual: object, expected: object, path: str) -> None:
    """Assert that `actual` has every field of `expected`, recursively.

    `path` names `actual` in messages, such as ``get_by_id()``. Unlike
    ``==``, this compares the fields that attrs leaves out of
    equality, such as `Email.address`, and names the first field that
    differs. Datetimes must be timezone-aware and denote the same instant;
    their UTC offset may differ.
    """
    if isinstance(expected, datetime):
        assert isinstance(actual, datetime), (
            f"{path} read back as {actual!r}, not a datetime"
        )
        assert actual.utcoffset() is not None, (
            f"{path} read back as naive {actual!r}; stores must return "
            "timezone-aware times"
        )
        assert actual == expected, (
            f"{path} read back as {actual.isoformat()}, saved as "
            f"{expected.isoformat()}"
        )
        return
    if isinstance(expected, Email):
        # Email's repr hides the address, so the message shows both forms.
        assert isinstance(actual, Email), (
            f"{path} read back as {type(actual).__name__}, not an Email"
        )
        same = (actual.address, actual.key) == (expected.address, expected.key)
        assert same, (
            f"{path} read back as address {actual.address!r} with key "
            f"{actual.key!r}, saved as {expected.address!r} with key "
            f"{expected.key!r}"
        )
        return
    if attrs.has(type(expected)):
        assert isinstance(actual, type(expected)), (
            f"{path} read back as {type(actual).__name__}, not "
            f"{type(expected).__name__}"
        )
        for field in attrs.fields(cast("type[AttrsInstance]", type(expected))):
            assert_same_fields(
                getattr(actual, field.name),
                getattr(expected, field.name),
                f"{path}.{field.name}",
            )
        return
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple), (
            f"{path} read back as {type(actual).__name__}, not a tuple"
        )
        assert len(actual) == len(expected), (
            f"{path} read back with {len(actual)} items, saved with "
            f"{len(expected)}"
        )
        for index, (got, saved) in enumerate(
            zip(actual, expected, strict=True)
        ):
            assert_same_fields(got, saved, f"{path}[{index}]")
        return
    assert type(actual) is type(expected), (
        f"{path} read back as {type(actual).__name__} {actual!r}, saved as "
        f"{type(expected).__name__} {expected!r}"
    )
    assert actual == expected, (
        f"{path} read back as {actual!r}, saved as {expected!r}"
    )


def run_together(
    count: int, action: Callable[[int], _T]
) -> list[_T | Exception]:
    """Call `action(index)` from `count` threads released at once.

    Return each thread's result, or the exception it raised, by index.
    The interpreter switches threads as often as it can meanwhile, so
    that a read-then-write race in the adapter shows.
    """
    barrier = threading.Barrier(count, timeout=RACE_TIMEOUT_SECONDS)
    outcomes: dict[int, _T | Exception] = {}

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcome: _T | Exception = action(index)
        except Exception as error:  # the caller inspects it
            outcome = error
        outcomes[index] = outcome

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [
            threading.Thread(target=run, args=(index,), daemon=True)
            for index in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=RACE_TIMEOUT_SECONDS)
    finally:
        sys.setswitchinterval(interval)
    hung = [index for index in range(count) if index not in outcomes]
    assert not hung, (
        f"{len(hung)} of {count} racing calls did not return within "
        f"{RACE_TIMEOUT_SECONDS} s"
    )
    return [outcomes[index] for index in range(count)]
