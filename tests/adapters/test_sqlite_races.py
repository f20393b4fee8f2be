"""Races on a real SQLite file, between threads and between processes."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from portail_core.adapters.sqlite import SQLiteDatabase

# Bound on every wait, in seconds, so that a stuck worker fails the test
# instead of hanging it.
JOIN_TIMEOUT = 30


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
