"""Races on a real SQLite file, between threads and between processes.

The SQLite stores save by compare-and-set (``UPDATE … WHERE version =
?``) and the service reloads and retries after each conflict, so however
the writers interleave, one code is checked at most `max_wrong_tries`
times and the right code verifies the email once.

The thread races share one `SignupService`, whose database opens one
connection per thread. The process races start processes with the
'spawn' method. Each process opens the file itself and builds its own
service with the same HMAC key and clock time, as the workers of a web
server would. Each race repeats over several rounds, so that a
read-then-write race shows in at least one of them.
"""

from __future__ import annotations

import functools
import multiprocessing
import queue
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from portail_core._errors import (
    AlreadyVerifiedError,
    CodeRejectedError,
    ConflictError,
    FlowLockedError,
    PortailError,
)
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.adapters.sqlite import SQLiteDatabase
from portail_core.compose import Wiring, in_memory
from portail_core.signup import (
    CodeRejected,
    EmailVerified,
    Event,
    FlowState,
    SignupSettings,
)

START = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
SIGNING_KEY = b"r" * 32
PARENT = "parent.gagnon@courriel.example"
SETTINGS = SignupSettings()

THREAD_ROUNDS = 10
PROCESS_ROUNDS = 5
WRONG_CODE_PROCESSES = 8
WRONG_CODES_PER_PROCESS = 3
RIGHT_CODE_PROCESSES = 4

# Bounds on every wait, in seconds, so that a stuck worker fails the test
# instead of hanging it. They are generous because a process started with
# 'spawn' imports the library anew before it reaches the barrier.
BARRIER_TIMEOUT = 60
RESULT_TIMEOUT = 120
JOIN_TIMEOUT = 30


def wire(database: SQLiteDatabase, events: list[Event]) -> Wiring:
    """Build a service on `database` that appends its events to `events`.

    Every process builds the same service: same key, same clock time.
    """
    lock = threading.Lock()

    def record(event: Event) -> None:
        with lock:
            events.append(event)

    return in_memory(
        flows=database.flows,
        accounts=database.accounts,
        clock=ManualClock(START),
        mailer=MemoryMailer(),
        hasher=ScryptHasher(log2_n=1),
        keys=(SIGNING_KEY,),
        events=record,
    )


def start_flow(wiring: Wiring, address: str) -> str:
    """Start the sign-up of `address` and return the mailed code."""
    wiring.service.start(address)
    assert isinstance(wiring.mailer, MemoryMailer)
    subject = str(wiring.mailer.messages_to(address)[-1]["Subject"])
    code = subject.rsplit(" ", 1)[-1]
    assert code.isdigit()
    assert len(code) == SETTINGS.code_digits
    return code


def wrong_codes(code: str, count: int) -> list[str]:
    """Return `count` distinct codes that differ from `code`."""
    return [
        f"{(int(code) + step) % 1_000_000:06d}" for step in range(1, count + 1)
    ]


def outcome(call: Callable[[], Any]) -> str:
    """Return "ok", or the name of the error that `call` raised."""
    try:
        call()
    except PortailError as error:
        return type(error).__name__
    return "ok"


def summarize(events: list[Event]) -> list[tuple[str, int | None]]:
    """Return each event's name, with `tries_left` for CodeRejected."""
    return [
        (
            event.name,
            event.tries_left if isinstance(event, CodeRejected) else None,
        )
        for event in events
    ]


def flow_state(path: Path, address: str) -> FlowState:
    with SQLiteDatabase(path) as database:
        flow = wire(database, []).service.flow(address)
    assert flow is not None
    return flow.state


# Threads.


def run_together(count: int, action: Callable[[], Any]) -> list[str]:
    """Run `action` in `count` threads released at once and return each
    thread's outcome."""
    barrier = threading.Barrier(count, timeout=BARRIER_TIMEOUT)
    outcomes = [""] * count

    def run(index: int) -> None:
        barrier.wait()
        outcomes[index] = outcome(action)

    threads = [
        threading.Thread(target=run, args=(index,), daemon=True)
        for index in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    """Make the interpreter switch threads as often as it can."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[SQLiteDatabase]:
    with SQLiteDatabase(tmp_path / "portail.db") as opened:
        yield opened


@pytest.mark.usefixtures("frequent_switches")
@pytest.mark.parametrize("round_number", range(THREAD_ROUNDS))
def test_threads_wrong_codes_lock(
    database: SQLiteDatabase, round_number: int
) -> None:
    events: list[Event] = []
    wiring = wire(database, events)
    (wrong,) = wrong_codes(start_flow(wiring, PARENT), 1)

    outcomes = run_together(50, lambda: wiring.service.verify(PARENT, wrong))

    tries_left = [
        left for name, left in summarize(events) if name == "CodeRejected"
    ]
    assert len(tries_left) <= SETTINGS.max_wrong_tries
    assert sorted(tries_left) == [0, 1, 2, 3, 4]
    assert set(outcomes) <= {
        CodeRejectedError.__name__,
        FlowLockedError.__name__,
        ConflictError.__name__,
    }
    flow = wiring.service.flow(PARENT)
    assert flow is not None
    assert flow.state is FlowState.LOCKED


@pytest.mark.usefixtures("frequent_switches")
@pytest.mark.parametrize("round_number", range(THREAD_ROUNDS))
def test_threads_right_code_once(
    database: SQLiteDatabase, round_number: int
) -> None:
    events: list[Event] = []
    wiring = wire(database, events)
    code = start_flow(wiring, PARENT)

    outcomes = run_together(2, lambda: wiring.service.verify(PARENT, code))

    verified = [event for event in events if isinstance(event, EmailVerified)]
    assert outcomes.count("ok") == 1
    assert len(verified) == 1
    assert set(outcomes) <= {
        "ok",
        AlreadyVerifiedError.__name__,
        ConflictError.__name__,
    }


def test_close_after_threads(tmp_path: Path) -> None:
    """`close` closes the connections that other threads opened."""
    database = SQLiteDatabase(tmp_path / "portail.db")
    opened: list[sqlite3.Connection] = []
    thread = threading.Thread(
        target=lambda: opened.append(database.connection()), daemon=True
    )
    thread.start()
    thread.join(timeout=JOIN_TIMEOUT)

    database.close()

    (connection,) = opened
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")


# Processes.

Round = tuple[str, list[str]]
"""An address and the codes one process types for it, in order."""
Report = tuple[int, list[str], list[tuple[str, int | None]]]
"""Round number, outcome of each code, and the events of the round."""


def verify_in_process(
    path: str, rounds: list[Round], barrier: Barrier, reports: Any
) -> None:
    """Type each round's codes once every process is ready, and put one
    `Report` per round on `reports`. Runs in a spawned process."""
    try:
        with SQLiteDatabase(path) as database:
            events: list[Event] = []
            service = wire(database, events).service
            for number, (address, codes) in enumerate(rounds):
                barrier.wait(timeout=BARRIER_TIMEOUT)
                outcomes = [
                    outcome(functools.partial(service.verify, address, code))
                    for code in codes
                ]
                reports.put((number, outcomes, summarize(events)))
                events.clear()
    except BaseException:
        # Release the other processes at once instead of at the timeout.
        barrier.abort()
        reports.put(("error", traceback.format_exc(), []))
        raise


def run_processes(path: Path, plans: list[list[Round]]) -> list[list[Report]]:
    """Run one process per plan on the file at `path` and return the
    reports of each round, from every process."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(plans))
    reports = context.Queue()
    processes = [
        context.Process(
            target=verify_in_process,
            args=(str(path), plan, barrier, reports),
            daemon=True,
        )
        for plan in plans
    ]
    for process in processes:
        process.start()

    received: list[Any] = []
    try:
        while len(received) < len(plans) * len(plans[0]):
            received.append(reports.get(timeout=RESULT_TIMEOUT))
            if received[-1][0] == "error":
                break
    except queue.Empty:
        pytest.fail(f"a process sent no report within {RESULT_TIMEOUT} s")
    finally:
        for process in processes:
            process.join(timeout=JOIN_TIMEOUT)
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=JOIN_TIMEOUT)

    errors = [report[1] for report in received if report[0] == "error"]
    assert not errors, errors[0]
    assert [process.exitcode for process in processes] == [0] * len(plans)

    by_round: list[list[Report]] = [[] for _ in plans[0]]
    for report in received:
        by_round[report[0]].append(report)
    return by_round


def prepare_flows(path: Path, rounds: int) -> list[tuple[str, str]]:
    """Start one sign-up per round and return each address and code."""
    with SQLiteDatabase(path) as database:
        wiring = wire(database, [])
        addresses = [
            f"parent.tour{number}@courriel.example" for number in range(rounds)
        ]
        return [
            (address, start_flow(wiring, address)) for address in addresses
        ]


def test_processes_wrong_codes_lock(tmp_path: Path) -> None:
    path = tmp_path / "portail.db"
    flows = prepare_flows(path, PROCESS_ROUNDS)
    plans = [
        [
            (address, wrong_codes(code, WRONG_CODES_PER_PROCESS))
            for address, code in flows
        ]
        for _ in range(WRONG_CODE_PROCESSES)
    ]

    by_round = run_processes(path, plans)

    for (address, _), reports in zip(flows, by_round, strict=True):
        tries_left = [
            left
            for _, _, events in reports
            for name, left in events
            if name == "CodeRejected"
        ]
        outcomes = {name for _, names, _ in reports for name in names}
        assert len(tries_left) <= SETTINGS.max_wrong_tries, address
        assert sorted(tries_left) == [0, 1, 2, 3, 4], address
        assert outcomes <= {
            CodeRejectedError.__name__,
            FlowLockedError.__name__,
            ConflictError.__name__,
        }
        assert flow_state(path, address) is FlowState.LOCKED


def test_processes_right_code_once(tmp_path: Path) -> None:
    path = tmp_path / "portail.db"
    flows = prepare_flows(path, PROCESS_ROUNDS)
    plans = [
        [(address, [code]) for address, code in flows]
        for _ in range(RIGHT_CODE_PROCESSES)
    ]

    by_round = run_processes(path, plans)

    for (address, _), reports in zip(flows, by_round, strict=True):
        outcomes = [name for _, names, _ in reports for name in names]
        verified = [
            name
            for _, _, events in reports
            for name, _ in events
            if name == "EmailVerified"
        ]
        assert outcomes.count("ok") == 1, address
        assert len(verified) == 1, address
        assert set(outcomes) <= {
            "ok",
            AlreadyVerifiedError.__name__,
            ConflictError.__name__,
        }
        assert flow_state(path, address) is FlowState.EMAIL_VERIFIED
