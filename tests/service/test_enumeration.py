"""Work done per request, which must not depend on whether an address
has an account: the HMACs computed and the passwords hashed."""

from __future__ import annotations

from collections import Counter

import pytest

from portail_core._errors import CodeExpiredError, CodeRejectedError
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemoryMailer
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import in_memory
from portail_core.service import SignupService
from portail_core.signup import CodeSigner, SignupSettings

from .conftest import (
    OTHER_PARENT,
    PARENT,
    ROSTER,
    SIGNING_KEY,
    START,
    STRANGER,
    last_code,
    sign_up,
)

SETTINGS = SignupSettings()


class CountingSigner:
    """A CodeSigner that counts its calls."""

    def __init__(self) -> None:
        self.signer = CodeSigner((SIGNING_KEY, b"o" * 32))
        self.calls: Counter[str] = Counter()

    def sign(self, secret: str, *, context: str) -> str:
        self.calls["sign"] += 1
        return self.signer.sign(secret, context=context)

    def verify(self, secret: str, digest: str | None, *, context: str) -> bool:
        self.calls["verify"] += 1
        return self.signer.verify(secret, digest, context=context)


class CountingHasher(ScryptHasher):
    """A minimal-cost scrypt hasher that counts its calls."""

    def __init__(self) -> None:
        super().__init__(log2_n=1)
        object.__setattr__(self, "calls", Counter())

    def hash(self, password: str) -> str:
        self.calls["hash"] += 1  # type: ignore[attr-defined]
        return super().hash(password)


@pytest.fixture
def counted() -> tuple[SignupService, CountingSigner, CountingHasher]:
    signer = CountingSigner()
    hasher = CountingHasher()
    mailer = MemoryMailer()
    clock = ManualClock(START)
    wiring = in_memory(
        roster=ROSTER, clock=clock, mailer=mailer, hasher=hasher
    )
    service = wiring.service
    service.signer = signer  # type: ignore[assignment]
    sign_up(service, mailer, OTHER_PARENT)
    clock.advance(SETTINGS.code_window)
    signer.calls.clear()
    hasher.calls.clear()  # type: ignore[attr-defined]
    return service, signer, hasher


def calls_of(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> Counter[str]:
    _, signer, hasher = counted
    total = signer.calls + hasher.calls  # type: ignore[attr-defined]
    signer.calls.clear()
    hasher.calls.clear()  # type: ignore[attr-defined]
    return total


def test_start_same_work_each_case(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> None:
    service = counted[0]
    work = []
    for address in (PARENT, OTHER_PARENT, STRANGER):
        service.start(address)
        work.append(calls_of(counted))

    assert work[0] == work[1] == work[2]
    assert work[0]["sign"] == 1


def test_recovery_same_work_each_case(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> None:
    service = counted[0]
    work = []
    for address in (OTHER_PARENT, STRANGER):
        service.start_recovery(address)
        work.append(calls_of(counted))

    assert work[0] == work[1]
    assert work[0]["sign"] == 1


def test_wrong_code_same_work_each_case(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> None:
    service = counted[0]
    for address in (PARENT, OTHER_PARENT, STRANGER):
        service.start(address)
    calls_of(counted)
    work = []
    for address in (PARENT, OTHER_PARENT, STRANGER):
        with pytest.raises(CodeRejectedError):
            service.verify(address, "000000")
        work.append(calls_of(counted))

    assert work[0] == work[1] == work[2]
    assert work[0]["verify"] == 1


def test_verify_without_code_computes_hmac(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> None:
    service = counted[0]
    work = []
    # No flow at all, and a finished sign-up: both raise CodeExpiredError.
    for address in (PARENT, OTHER_PARENT):
        with pytest.raises(CodeExpiredError):
            service.verify(address, "000000")
        work.append(calls_of(counted))

    assert work[0] == work[1]
    assert work[0]["verify"] == 1


def test_recovery_verify_same_work(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> None:
    service = counted[0]
    for address in (OTHER_PARENT, STRANGER):
        service.start_recovery(address)
    calls_of(counted)
    work = []
    for address in (OTHER_PARENT, STRANGER):
        with pytest.raises(CodeRejectedError):
            service.verify_recovery(address, "000000")
        work.append(calls_of(counted))

    assert work[0] == work[1]


def test_password_hashed_once(
    counted: tuple[SignupService, CountingSigner, CountingHasher],
) -> None:
    service = counted[0]
    mailer = MemoryMailer()
    service.mailer = mailer
    service.start(PARENT)
    verification = service.verify(PARENT, last_code(mailer, PARENT))
    calls_of(counted)

    service.set_password(verification.token, "Hiver-Soleil42")

    assert calls_of(counted)["hash"] == 1
