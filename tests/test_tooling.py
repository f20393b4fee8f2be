"""The linters the project must pass: ruff and mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").exists() or not (ROOT / "src").exists(),
    reason="needs the source checkout",
)


def run_tool(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ruff_format_clean() -> None:
    # "." covers every Python file and the Python blocks of the Markdown
    # files; ruff skips what .gitignore lists.
    result = run_tool("ruff", "format", "--check", ".")

    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_clean() -> None:
    result = run_tool("ruff", "check", ".")

    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = run_tool("mypy", "--strict", "src", "docs/examples", "docs/hooks")

    assert result.returncode == 0, result.stdout + result.stderr
