"""Examples in the README and in docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import portail_core

ROOT = Path(__file__).resolve().parent.parent

MODULES = sorted(
    module.name
    for module in pkgutil.walk_packages(
        portail_core.__path__, prefix="portail_core."
    )
    if module.name != "portail_core.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)

    failures, _ = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )

    assert failures == 0


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


@pytest.mark.skipif(
    not (ROOT / "README.md").exists(), reason="needs the source checkout"
)
def test_readme_examples_run() -> None:
    blocks = python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))

    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102
