"""Test helpers for integrators: adapters, a manual clock, strategies.

* The in-memory adapters, the reference implementation of every port.
* `ManualClock`, a clock that moves only when a test advances it.
* `strategies`: Hypothesis strategies for every value object (needs
  Hypothesis, imported on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import (
    MemoryAccountStore,
    MemoryFlowStore,
    MemoryMailer,
    MemoryOrganizations,
    MemorySchoolRecords,
)
from portail_core.compose import Wiring, in_memory

if TYPE_CHECKING:
    from portail_core.testing import strategies

__all__ = [
    "ManualClock",
    "MemoryAccountStore",
    "MemoryFlowStore",
    "MemoryMailer",
    "MemoryOrganizations",
    "MemorySchoolRecords",
    "Wiring",
    "in_memory",
    "strategies",
]


def __getattr__(name: str) -> Any:
    # Hypothesis is a test dependency, so its strategies load on first use.
    if name == "strategies":
        import importlib

        return importlib.import_module("portail_core.testing.strategies")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
