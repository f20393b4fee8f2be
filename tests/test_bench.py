"""The benchmark script runs and prints every row.

Only the rows are checked, never the timings: a timed assertion would
fail on a loaded machine. docs/benchmarks.md gives the numbers of a full
run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "run.py"

ROWS = (
    "`Email.parse`, whole set",
    "`Email.parse`, valid addresses",
    "`PermanentCode.parse`",
    "`matching_key`",
    "`PersonName.parse` (for reference)",
    "Sign-up, in-memory stores",
    "Email validation, HMAC and `secrets` calls of a sign-up, in place",
    "Sign-up, SQLite stores",
    "Roster lookup,",
    "Roster lookup of 100 students (for reference)",
    "`dict.get` (for reference)",
    "Import time, `import portail_core`",
    "Import time, `from portail_core import *`",
    "Work at import",
    "Peak memory",
)


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the source checkout")
def test_quick_run_prints_every_row() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    rows = [
        line for line in result.stdout.splitlines() if line.startswith("| ")
    ]
    for measure in ROWS:
        assert any(row.startswith(f"| {measure}") for row in rows), measure
    assert len(rows) == len(ROWS) + 1  # and the header
