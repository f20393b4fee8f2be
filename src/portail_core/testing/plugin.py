"""Pytest fixtures for a ready in-memory sign-up service.

Installing portail-core registers this module with pytest through the
``pytest11`` entry point ``portail_core``, so its fixtures are available
in every test without an import. The option ``-p no:portail_core`` turns
it off.

Each fixture is function-scoped and named with a ``portail_`` prefix. To
change one, define a fixture of the same name in your ``conftest.py``.

``portail_clock``
    A `ManualClock` at 1 September 2026, 12:00 UTC.
``portail_mailer``
    A `MemoryMailer`; read what the service sent in its ``outbox``.
``portail_roster``
    The school records that children are linked to: the bundled demo
    roster of `demo_roster`. Override it with student records or any
    `SchoolRecords` adapter.
``portail_hasher``
    A `ScryptHasher` at the lowest cost, so tests stay fast. Never use it
    in production.
``portail_signing_key``
    A fixed HMAC key for verification codes.
``portail_events``
    A list that receives every domain event the service publishes.
``portail_wiring``
    `in_memory` wiring of the fixtures above.
``portail_service``
    The `SignupService` of ``portail_wiring``.
``portail_last_code``
    A function that returns the last code sent to an address.

A parent's whole sign-up::

    def test_sign_up(portail_service, portail_last_code):
        address = "emilie.gagnon@courriel.example"
        portail_service.start(address)
        code = portail_last_code(address)
        token = portail_service.verify(address, code).token
        account = portail_service.set_password(token, "Éléphant-Bleu-2024")
        assert account.email.key == address
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import pytest

from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring, in_memory
from portail_core.ports import SchoolRecords
from portail_core.service import SignupService
from portail_core.signup import Event, StudentRecord
from portail_core.testing import demo_roster, last_code

# Rewritten asserts make a failing contract test show the values it
# compared. pytest rewrites a module only if asked before its import.
pytest.register_assert_rewrite("portail_core.testing.contracts")

START = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
"""Time at which `portail_clock` starts."""

SIGNING_KEY = b"portail-core test key, not secret"
"""HMAC key of `portail_signing_key`: public, so for tests only."""


@pytest.fixture
def portail_clock() -> ManualClock:
    """Return a manual clock at `START`; advance it to expire codes."""
    return ManualClock(START)


@pytest.fixture
def portail_mailer() -> MemoryMailer:
    """Return a mailer that keeps sent messages in its outbox."""
    return MemoryMailer()


@pytest.fixture
def portail_roster() -> Iterable[StudentRecord] | SchoolRecords:
    """Return the school records to link children to: the demo roster."""
    return demo_roster()


@pytest.fixture
def portail_hasher() -> ScryptHasher:
    """Return a scrypt hasher at the lowest cost, for fast tests."""
    return ScryptHasher(log2_n=1, r=1, p=1)


@pytest.fixture
def portail_signing_key() -> bytes:
    """Return the fixed HMAC key of verification codes."""
    return SIGNING_KEY


@pytest.fixture
def portail_events() -> list[Event]:
    """Return the list that receives the service's events, in order."""
    return []


@pytest.fixture
def portail_wiring(
    portail_roster: Iterable[StudentRecord] | SchoolRecords,
    portail_clock: ManualClock,
    portail_mailer: MemoryMailer,
    portail_hasher: ScryptHasher,
    portail_signing_key: bytes,
    portail_events: list[Event],
) -> Wiring:
    """Return a service on in-memory stores and the fixtures above."""
    return in_memory(
        roster=portail_roster,
        clock=portail_clock,
        mailer=portail_mailer,
        hasher=portail_hasher,
        keys=(portail_signing_key,),
        events=portail_events.append,
    )


@pytest.fixture
def portail_service(portail_wiring: Wiring) -> SignupService:
    """Return the sign-up service of `portail_wiring`."""
    return portail_wiring.service


@pytest.fixture
def portail_last_code(
    portail_mailer: MemoryMailer,
) -> Callable[[str], str]:
    """Return a function that gives the code of the last message sent
    to an address, and fails the test when that message has none."""

    def read(address: str) -> str:
        return last_code(portail_mailer, address)

    return read
