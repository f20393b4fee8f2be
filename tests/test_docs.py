"""Examples in the README and in docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import subprocess
import sys
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


DOCUMENTS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    if path.exists() and "```python" in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_document_examples_run(document: str) -> None:
    # The blocks of one page run in order and share their names, as a
    # reader running them one after another would.
    blocks = python_blocks((ROOT / document).read_text(encoding="utf-8"))
    namespace: dict[str, object] = {"__name__": "docs_example"}

    for block in blocks:
        exec(compile(block, document, "exec"), namespace)  # noqa: S102


def test_readme_has_examples() -> None:
    assert "README.md" in DOCUMENTS


@pytest.mark.skipif(
    not (ROOT / "mkdocs.yml").exists(), reason="needs the source checkout"
)
def test_docs_site_builds_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    errors_page = (tmp_path / "site" / "errors" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "password.too_short" in errors_page
    assert "Le mot de passe doit compter au moins" in errors_page
