"""Test helpers for integrators: adapters, a manual clock, strategies.

* The in-memory adapters, the reference implementation of every port.
* `ManualClock`, a clock that moves only when a test advances it.
* `demo_roster`, fictional student records, and `last_code`, which reads
  the code the service sent to an address.
* `strategies`: Hypothesis strategies for every value object (needs
  Hypothesis, imported on first use).
* `portail_core.testing.contracts`: contract test suites that check an
  integrator's adapter against its port (needs pytest; import it only
  from tests).
* `portail_core.testing.plugin`: pytest fixtures for a ready in-memory
  service, loaded by pytest on its own once portail-core is installed.
"""

from __future__ import annotations

import re
from importlib import resources
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
    "demo_roster",
    "in_memory",
    "last_code",
    "strategies",
]


def demo_roster() -> MemorySchoolRecords:
    """Load the bundled demo roster.

    The roster has six fictional students of the Centre de services
    scolaire du Chemin-du-Roy (code 741000), whose guardians have
    addresses on ``courriel.example``. The guardian
    ``emilie.gagnon@courriel.example`` has two of them. The
    ``portail-core demo`` command uses the same records.
    """
    text = (
        resources.files("portail_core")
        .joinpath("data/demo-roster.csv")
        .read_text(encoding="utf-8")
    )
    return MemorySchoolRecords.from_csv(text)


def last_code(mailer: MemoryMailer, address: str, *, digits: int = 6) -> str:
    """Return the verification code of the last message sent to `address`.

    Raises:
        AssertionError: no message went to `address`, or the last one
            carries no code of `digits` digits, as the notice sent to an
            address that already has an account does not.
    """
    messages = mailer.messages_to(address)
    if not messages:
        raise AssertionError(f"No message was sent to {address}.")
    body = messages[-1].get_body(preferencelist=("plain",))
    content = "" if body is None else str(body.get_content())
    match = re.search(rf"(?<!\d)\d{{{digits}}}(?!\d)", content)
    if match is None:
        raise AssertionError(
            f"The last message to {address} carries no {digits}-digit "
            f"code; its subject is {messages[-1]['Subject']!r}."
        )
    return match.group()


def __getattr__(name: str) -> Any:
    # Hypothesis is a test dependency, so its strategies load on first use.
    if name == "strategies":
        import importlib

        return importlib.import_module("portail_core.testing.strategies")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
