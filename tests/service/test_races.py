"""Race tests: many threads calling the service on one flow or account.

The in-memory stores save by compare-and-set, and the service reloads and
retries after each conflict, so no limit may be exceeded however the
threads interleave. Each test repeats its race, with the interpreter
switching threads as often as it can, so that a read-then-write race
would show in at least one round.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from portail_core._errors import (
    AlreadyVerifiedError,
    CodeRejectedError,
    ConflictError,
    FlowLockedError,
)
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import (
    MemoryAccountStore,
    MemoryFlowStore,
    MemoryMailer,
    MemorySchoolRecords,
)
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring, in_memory
from portail_core.signup import (
    Account,
    ChildLinkRejected,
    ChildLinkRejectedError,
    CodeRejected,
    EmailVerified,
    Event,
    FlowPurpose,
    FlowState,
    LinkLimitError,
    SignupFlow,
    SignupSettings,
    StudentRecord,
)
from portail_core.values import PermanentCode, RecordNumber

from .conftest import (
    MAELLE_FORM,
    PARENT,
    ROSTER,
    SIGNING_KEY,
    START,
    claim,
    last_code,
    sign_up,
)

ROUNDS = 20
READ_DELAY = 0.001
SETTINGS = SignupSettings()


class SlowFlowStore(MemoryFlowStore):
    """A flow store whose reads take a moment, as a database's do, so
    that other threads run between a read and the save that follows."""

    def get(self, purpose: FlowPurpose, email_key: str) -> SignupFlow | None:
        flow = super().get(purpose, email_key)
        time.sleep(READ_DELAY)
        return flow


class SlowAccountStore(MemoryAccountStore):
    """An account store whose reads take a moment, as `SlowFlowStore`."""

    def get(self, account_id: str) -> Account | None:
        account = super().get(account_id)
        time.sleep(READ_DELAY)
        return account


class CountingRecords:
    """School records that count the lookups made in them."""

    def __init__(self, records: MemorySchoolRecords) -> None:
        self._records = records
        self._lock = threading.Lock()
        self.lookups = 0

    def _count(self) -> None:
        with self._lock:
            self.lookups += 1

    def find_by_record_number(
        self, organization_code: str, record_number: RecordNumber
    ) -> StudentRecord | None:
        self._count()
        return self._records.find_by_record_number(
            organization_code, record_number
        )

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        self._count()
        return self._records.find_by_permanent_code(
            organization_code, permanent_code
        )


def fresh_wiring(
    events: list[Event], records: CountingRecords | None = None
) -> tuple[Wiring, MemoryMailer]:
    mailer = MemoryMailer()
    wiring = in_memory(
        roster=records if records is not None else ROSTER,
        flows=SlowFlowStore(),
        accounts=SlowAccountStore(),
        clock=ManualClock(START),
        mailer=mailer,
        hasher=ScryptHasher(log2_n=1),
        keys=(SIGNING_KEY,),
        events=events.append,
    )
    return wiring, mailer


def run_together(count: int, action: Callable[[], Any]) -> list[Any]:
    """Run `action` in `count` threads released at once; return each
    thread's result or the exception it raised."""
    barrier = threading.Barrier(count, timeout=30)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # the caller inspects it
            results[index] = error

    threads = [
        threading.Thread(target=run, args=(index,)) for index in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture(autouse=True)
def frequent_switches() -> Iterator[None]:
    """Make the interpreter switch threads as often as it can."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def error_types(results: list[Any]) -> set[type]:
    return {
        type(result) for result in results if isinstance(result, Exception)
    }


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_wrong_codes_race_locks(round_number: int) -> None:
    events: list[Event] = []
    wiring, mailer = fresh_wiring(events)
    service = wiring.service
    service.start(PARENT)
    code = last_code(mailer, PARENT)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    results = run_together(50, lambda: service.verify(PARENT, wrong))

    rejected = [event for event in events if isinstance(event, CodeRejected)]
    assert len(rejected) <= SETTINGS.max_wrong_tries
    assert sorted(event.tries_left for event in rejected) == [0, 1, 2, 3, 4]
    flow = service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.LOCKED
    assert error_types(results) <= {
        CodeRejectedError,
        FlowLockedError,
        ConflictError,
    }


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_right_code_race_verifies_once(round_number: int) -> None:
    events: list[Event] = []
    wiring, mailer = fresh_wiring(events)
    service = wiring.service
    service.start(PARENT)
    code = last_code(mailer, PARENT)

    results = run_together(2, lambda: service.verify(PARENT, code))

    successes = [item for item in results if not isinstance(item, Exception)]
    verified = [event for event in events if isinstance(event, EmailVerified)]
    assert len(successes) == 1
    assert len(verified) == 1
    assert error_types(results) <= {AlreadyVerifiedError, ConflictError}


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_link_race_respects_limit(round_number: int) -> None:
    events: list[Event] = []
    records = CountingRecords(MemorySchoolRecords(ROSTER))
    wiring, mailer = fresh_wiring(events, records)
    account = sign_up(wiring.service, mailer, PARENT)
    wrong = claim(MAELLE_FORM, given_names="Juliette")

    results = run_together(
        20, lambda: wiring.service.link_child(account.account_id, wrong)
    )

    rejected = [
        event for event in events if isinstance(event, ChildLinkRejected)
    ]
    assert len(rejected) <= SETTINGS.max_link_failures
    assert records.lookups <= SETTINGS.max_link_failures
    assert error_types(results) <= {
        ChildLinkRejectedError,
        LinkLimitError,
        ConflictError,
    }
    stored = wiring.accounts.get(account.account_id)
    assert stored is not None
    assert len(stored.link_attempts) <= SETTINGS.max_link_failures
