"""The wheel works for an integrator: built, installed in a new virtual
environment, and used there by Hypothesis and pytest.

The new environment gets the wheel with its runtime dependencies, then
pytest and Hypothesis from the package index. Nothing but the wheel
comes from this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (ROOT / "pyproject.toml").exists(),
        reason="needs the source checkout",
    ),
]

BUILD_TIMEOUT_SECONDS = 600
INSTALL_TIMEOUT_SECONDS = 900
RUN_TIMEOUT_SECONDS = 300

# Checks run with only the wheel and its dependencies installed.
WITHOUT_TEST_TOOLS = """\
import importlib.util
import sys

import portail_core.testing

assert importlib.util.find_spec("pytest") is None, "pytest is installed"
assert "hypothesis" not in sys.modules, "Hypothesis was imported"
print(portail_core.testing.__file__)
"""

# Checks run once pytest and Hypothesis are installed too.
WITH_HYPOTHESIS = """\
import warnings

from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning

import portail_core

with warnings.catch_warnings():
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    email = st.from_type(portail_core.Email).example()
assert isinstance(email, portail_core.Email), repr(email)
"""

INTEGRATOR_TESTS = """\
from portail_core import ChildClaim, FlowState
from portail_core.testing import MemoryFlowStore
from portail_core.testing.contracts import FlowStoreContract

PARENT = "emilie.gagnon@courriel.example"


def test_sign_up(portail_service, portail_last_code, portail_clock):
    portail_service.start(PARENT)
    code = portail_last_code(PARENT)
    token = portail_service.verify(PARENT, code).token
    account = portail_service.set_password(token, "Éléphant-Bleu-2024")
    claim = ChildClaim.parse(
        organization="741000",
        birth_date="2016-03-14",
        family_name="Côté-Tremblay",
        given_names="Léa-Rose",
        record_number="0482913",
        today=portail_clock.now().date(),
    )

    result = portail_service.link_child(account.account_id, claim)

    assert result.outcome == "linked"
    assert portail_service.flow(PARENT).state is FlowState.CHILDREN_LINKED


class TestMemoryFlowStore(FlowStoreContract):
    def make_flow_store(self):
        return MemoryFlowStore()
"""


def run(
    arguments: list[str | Path], *, timeout: float, cwd: Path | None = None
) -> str:
    """Run a command; fail the test with its output unless it succeeds."""
    command = [str(argument) for argument in arguments]
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(
            f"{' '.join(command)} timed out after {timeout} s.\n"
            f"stdout:\n{_tail(error.stdout)}\nstderr:\n{_tail(error.stderr)}"
        )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited with {result.returncode}.\n"
            f"stdout:\n{_tail(result.stdout)}\n"
            f"stderr:\n{_tail(result.stderr)}"
        )
    return result.stdout


def _tail(output: str | bytes | None, size: int = 6000) -> str:
    if output is None:
        return ""
    text = (
        output
        if isinstance(output, str)
        else output.decode("utf-8", "replace")
    )
    return text[-size:]


def test_wheel_works_in_new_environment(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ROOT,
            "--no-deps",
            "-w",
            wheels,
        ],
        timeout=BUILD_TIMEOUT_SECONDS,
    )
    (wheel,) = wheels.glob("portail_core-*.whl")
    environment = tmp_path / "venv"
    run(
        [sys.executable, "-m", "venv", environment],
        timeout=RUN_TIMEOUT_SECONDS,
    )
    python = environment / ("Scripts" if os.name == "nt" else "bin") / "python"
    project = tmp_path / "integrator"
    project.mkdir()

    run(
        [python, "-m", "pip", "install", wheel],
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    location = run(
        [python, "-c", WITHOUT_TEST_TOOLS],
        cwd=project,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    run(
        [python, "-m", "pip", "install", "pytest", "hypothesis"],
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    run(
        [python, "-c", WITH_HYPOTHESIS],
        cwd=project,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    (project / "test_integrator.py").write_text(
        INTEGRATOR_TESTS, encoding="utf-8"
    )
    report = run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=project,
        timeout=RUN_TIMEOUT_SECONDS,
    )

    assert Path(location.strip()).is_relative_to(environment), location
    assert " passed" in report
    assert "failed" not in report
