"""Clocks: the system's, and one a test or demo moves by hand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from portail_core.signup._flow import require_aware


class SystemClock:
    """The system's current time in UTC."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when advanced or set, for tests and demos."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = require_aware(
            start or datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
        )
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the clock's current time."""
        with self._lock:
            return self._now

    def advance(self, duration: timedelta) -> datetime:
        """Move the clock forward by `duration` and return the new time."""
        if duration < timedelta(0):
            raise ValueError("A clock cannot move backward.")
        with self._lock:
            self._now += duration
            return self._now

    def set(self, moment: datetime) -> None:
        """Move the clock to `moment`, forward or backward."""
        with self._lock:
            self._now = require_aware(moment)
