"""The public API: every exported name exists and is documented."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

PUBLIC_MODULES = (
    "portail_core",
    "portail_core.values",
    "portail_core.signup",
    "portail_core.testing",
    "portail_core.testing.contracts",
)


def exported(module_name: str) -> list[tuple[str, str]]:
    module = importlib.import_module(module_name)
    return [(module_name, name) for name in module.__all__]


@pytest.mark.parametrize(
    ("module_name", "name"),
    [pair for module in PUBLIC_MODULES for pair in exported(module)],
)
def test_exported_name_documented(module_name: str, name: str) -> None:
    module = importlib.import_module(module_name)

    value = getattr(module, name)

    if inspect.isclass(value) or inspect.isfunction(value):
        assert value.__doc__, f"{module_name}.{name} has no docstring"


def test_all_unique() -> None:
    for module_name in PUBLIC_MODULES:
        names = importlib.import_module(module_name).__all__
        assert len(names) == len(set(names)), module_name


def test_import_loads_no_data() -> None:
    code = (
        "import portail_core, sys\n"
        "from portail_core.values import _password, _organizations\n"
        "assert not _password.bundled_common_passwords.cache_info().currsize\n"
        "assert not _organizations.bundled_directory.cache_info().currsize\n"
        "assert 'hypothesis' not in sys.modules\n"
        "assert 'sqlite3' not in sys.modules\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_testing_imports_no_test_tools() -> None:
    code = (
        "import portail_core.testing, sys\n"
        "assert 'pytest' not in sys.modules, 'pytest was imported'\n"
        "assert 'hypothesis' not in sys.modules, 'hypothesis was imported'\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_lazy_names_agree() -> None:
    # portail_core lists its public names for type checkers, for loading
    # on first use, and in __all__; the three lists must agree.
    portail_core = importlib.import_module("portail_core")
    source = Path(portail_core.__file__).read_text(encoding="utf-8")
    checked: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If) and ast.unparse(node.test) == (
            "TYPE_CHECKING"
        ):
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                checked.update(alias.name for alias in statement.names)
    lazy = set(portail_core._MODULE_OF)

    assert lazy == checked
    assert lazy | {"__version__"} == set(portail_core.__all__)


def test_import_loads_no_module() -> None:
    code = (
        "import sys, portail_core\n"
        "loaded = [m for m in sys.modules if m.startswith('portail_core.')]\n"
        "assert loaded == ['portail_core._version'], loaded\n"
        "email = portail_core.Email\n"
        "assert email.__module__ == 'portail_core.values._email'\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
