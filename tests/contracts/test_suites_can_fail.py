"""Every contract test fails against an adapter that breaks its rule.

`broken` holds one deliberately broken adapter per fault, each subclassed
from its suite, and the reference adapters subclassed the same way. A
separate pytest process runs them all, as an integrator's run would; the
tests here compare which tests failed with `EXPECTED_FAILURES`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from portail_core.testing.contracts import (
    AccountStoreContract,
    FlowStoreContract,
    MailerContract,
    OrganizationsContract,
    PasswordHasherContract,
    SchoolRecordsContract,
)

from . import broken

ROOT = Path(__file__).resolve().parents[2]

SUITES = (
    FlowStoreContract,
    AccountStoreContract,
    MailerContract,
    SchoolRecordsContract,
    OrganizationsContract,
    PasswordHasherContract,
)

# A conftest for the separate run: it writes each test's outcome to JSON.
RECORDER = """\
import json

OUTCOMES = []


def pytest_runtest_logreport(report):
    OUTCOMES.append([report.nodeid, report.when, report.outcome])


def pytest_sessionfinish(session):
    with open("outcomes.json", "w", encoding="utf-8") as file:
        json.dump(OUTCOMES, file)
"""

EXPECTED_FAILURES: dict[str, set[str]] = {
    "UncheckedFlowStore": {
        "future_version_conflicts[2]",
        "future_version_conflicts[5]",
        "insert_existing_id_conflicts",
        "insert_same_email_conflicts",
        "racing_inserts_one_wins",
        "racing_updates_one_wins",
        "stale_version_conflicts",
        "update_missing_flow_conflicts",
    },
    "RacyFlowStore": {
        "racing_inserts_one_wins",
        "racing_updates_one_wins",
    },
    "FlowVersionFlowStore": {
        "update_returns_next_version",
        "version_follows_expected_version",
    },
    "WallClockFlowStore": {
        "insert_reads_back_every_field[code-sent]",
        "insert_reads_back_every_field[every-field]",
        "insert_returns_version_one[code-sent]",
        "insert_returns_version_one[every-field]",
        "purge_compares_instants",
        "purge_keeps_retain_until_equal_now",
        "purge_returns_count",
        "update_returns_next_version",
    },
    "MillisecondFlowStore": {
        "insert_reads_back_every_field[code-sent]",
        "insert_reads_back_every_field[every-field]",
        "insert_returns_version_one[code-sent]",
        "insert_returns_version_one[every-field]",
        "purge_compares_instants",
        "purge_keeps_retain_until_equal_now",
        "update_returns_next_version",
    },
    "KeyOnlyFlowStore": {
        "insert_reads_back_every_field[every-field]",
        "insert_returns_version_one[every-field]",
    },
    "FieldDroppingFlowStore": {
        "insert_reads_back_every_field[every-field]",
        "insert_returns_version_one[every-field]",
        "update_returns_next_version",
    },
    "UnversionedReturnFlowStore": {
        "future_version_conflicts[2]",
        "future_version_conflicts[5]",
        "insert_existing_id_conflicts",
        "insert_returns_version_one[code-sent]",
        "insert_returns_version_one[every-field]",
        "insert_same_email_conflicts",
        "purge_frees_the_email",
        "purposes_are_separate",
        "racing_inserts_one_wins",
        "racing_updates_one_wins",
        "stale_version_conflicts",
        "update_returns_next_version",
        "version_follows_expected_version",
    },
    "PurposeBlindFlowStore": {
        "purposes_are_separate",
    },
    "BlankRecordFlowStore": {
        "insert_same_email_conflicts",
        "purge_compares_instants",
        "purge_keeps_retain_until_equal_now",
        "racing_inserts_one_wins",
        "unknown_flow_is_none",
        "update_missing_flow_conflicts",
    },
    "InclusivePurgeFlowStore": {
        "purge_compares_instants",
        "purge_keeps_retain_until_equal_now",
    },
    "TextPurgeFlowStore": {
        "purge_compares_instants",
    },
    "MiscountingPurgeFlowStore": {
        "purge_compares_instants",
        "purge_keeps_retain_until_equal_now",
        "purge_returns_count",
        "update_moves_retain_until",
    },
    "IndexLeakingPurgeFlowStore": {
        "purge_frees_the_email",
        "purge_keeps_retain_until_equal_now",
    },
    "FirstRetentionFlowStore": {
        "update_moves_retain_until",
    },
    "UncheckedAccountStore": {
        "racing_saves_one_wins",
        "save_email_change_conflicts",
        "save_missing_account_conflicts",
        "stale_version_conflicts",
        "wrong_version_conflicts[0]",
        "wrong_version_conflicts[2]",
    },
    "RacyAccountStore": {
        "racing_adds_one_wins",
        "racing_saves_one_wins",
    },
    "DuplicateEmailAccountStore": {
        "add_same_email_raises",
        "racing_adds_one_wins",
    },
    "OverwritingAccountStore": {
        "add_same_id_raises",
    },
    "EmailChangingAccountStore": {
        "save_email_change_conflicts",
    },
    "AccountVersionAccountStore": {
        "add_returns_version_one[password]",
        "add_returns_version_one[social]",
        "save_returns_next_version",
        "version_follows_expected_version",
    },
    "FieldDroppingAccountStore": {
        "add_reads_back_every_field[password]",
        "add_reads_back_every_field[social]",
        "add_returns_version_one[password]",
        "add_returns_version_one[social]",
        "racing_saves_one_wins",
        "save_returns_next_version",
    },
    "BlankRecordAccountStore": {
        "add_same_email_raises",
        "racing_adds_one_wins",
        "save_missing_account_conflicts",
        "unknown_account_is_none",
    },
    "DroppingMailer": {
        "send_delivers_message[en]",
        "send_delivers_message[fr]",
        "send_to_internationalized_address",
        "sends_arrive_in_order",
        "sends_from_threads",
    },
    "HeaderDroppingMailer": {
        "send_delivers_message[en]",
        "send_delivers_message[fr]",
        "send_to_internationalized_address",
        "sends_arrive_in_order",
    },
    "AsciiMailer": {
        "send_delivers_message[fr]",
        "send_to_internationalized_address",
        "sends_arrive_in_order",
    },
    "AsciiOnlyRecipientMailer": {
        "send_to_internationalized_address",
    },
    "NewestFirstMailer": {
        "sends_arrive_in_order",
    },
    "RacyMailer": {
        "sends_from_threads",
    },
    "OSErrorMailer": {
        "failure_raises_mail_delivery_error",
    },
    "OrganizationBlindRecords": {
        "finds_each_by_permanent_code",
        "finds_each_by_record_number",
        "permanent_code_stays_in_organization",
        "record_number_stays_in_organization",
        "unknown_permanent_code_is_none[000000-COTL14531601]",
        "unknown_permanent_code_is_none[7410000-COTL14531601]",
        "unknown_record_number_is_none[000000-482913]",
        "unknown_record_number_is_none[74100-482913]",
        "unknown_record_number_is_none[741000-1]",
    },
    "SubstringRecords": {
        "unknown_permanent_code_is_none[7410000-COTL14531601]",
        "unknown_record_number_is_none[74100-482913]",
        "unknown_record_number_is_none[741000-1]",
        "unknown_record_number_is_none[741000-4829130]",
        "unknown_record_number_is_none[741000-48291]",
        "unknown_record_number_is_none[887000-10]",
    },
    "SerialBlindRecords": {
        "unknown_permanent_code_is_none[741000-COTL14531602]",
        "unknown_permanent_code_is_none[741000-COTM14531601]",
    },
    "FallbackRecords": {
        "permanent_code_stays_in_organization",
        "unknown_permanent_code_is_none[741000-COTL14531602]",
        "unknown_permanent_code_is_none[741000-COTM14531601]",
        "unknown_permanent_code_is_none[741000-TREM15095512]",
    },
    "GuardianDroppingRecords": {
        "finds_each_by_permanent_code",
        "finds_each_by_record_number",
        "permanent_code_stays_in_organization",
        "record_number_stays_in_organization",
    },
    "EveryOrganization": {
        "none_subscribed",
        "other_organizations_are_false",
        "resembling_code_is_false[000000]",
        "resembling_code_is_false[0741000]",
        "resembling_code_is_false[7410000]",
        "resembling_code_is_false[741001]",
        "resembling_code_is_false[74100]",
        "resembling_code_is_false[]",
    },
    "EmptyMeansAllOrganizations": {
        "none_subscribed",
    },
    "FailOpenOrganizations": {
        "resembling_code_is_false[000000]",
        "resembling_code_is_false[0741000]",
        "resembling_code_is_false[7410000]",
        "resembling_code_is_false[741001]",
        "resembling_code_is_false[74100]",
        "resembling_code_is_false[]",
    },
    "CountingOrganizations": {
        "none_subscribed",
        "other_organizations_are_false",
        "resembling_code_is_false[000000]",
        "resembling_code_is_false[0741000]",
        "resembling_code_is_false[7410000]",
        "resembling_code_is_false[741001]",
        "resembling_code_is_false[74100]",
        "resembling_code_is_false[]",
        "subscribed_codes_are_true",
    },
    "UnsaltedHasher": {
        "hash_is_salted",
    },
    "PlainTextHasher": {
        "hash_is_salted",
    },
    "FoldingHasher": {
        "wrong_password_fails[ligature-spelled-out]",
        "wrong_password_fails[lowercase]",
        "wrong_password_fails[unaccented]",
    },
    "Latin1Hasher": {
        "wrong_password_fails[emoji-replaced]",
        "wrong_password_fails[ligature-replaced]",
    },
    "StrictLatin1Hasher": {
        "right_password_verifies[cyrillic]",
        "right_password_verifies[emoji]",
        "right_password_verifies[japanese]",
        "right_password_verifies[ligature]",
        "wrong_password_fails[emoji-replaced]",
        "wrong_password_fails[ligature-replaced]",
        "wrong_password_fails[ligature-spelled-out]",
    },
    "StrippingHasher": {
        "wrong_password_fails[trailing-space]",
    },
    "BcryptLengthHasher": {
        "wrong_password_fails[after-72-bytes]",
    },
    "DesLengthHasher": {
        "wrong_password_fails[after-72-bytes]",
        "wrong_password_fails[doubled]",
        "wrong_password_fails[prefix]",
        "wrong_password_fails[trailing-space]",
    },
    "EmptyPasswordHasher": {
        "wrong_password_fails[empty]",
    },
    "RaisingHasher": {
        "malformed_hash_is_false",
    },
    "TruthyHasher": {
        "malformed_hash_is_false",
        "right_password_verifies[accented]",
        "right_password_verifies[ascii]",
        "right_password_verifies[cyrillic]",
        "right_password_verifies[emoji]",
        "right_password_verifies[japanese]",
        "right_password_verifies[ligature]",
        "right_password_verifies[max-length]",
        "right_password_verifies[spaces]",
        "wrong_password_fails[after-72-bytes]",
        "wrong_password_fails[doubled]",
        "wrong_password_fails[emoji-replaced]",
        "wrong_password_fails[empty]",
        "wrong_password_fails[ligature-replaced]",
        "wrong_password_fails[ligature-spelled-out]",
        "wrong_password_fails[lowercase]",
        "wrong_password_fails[prefix]",
        "wrong_password_fails[trailing-space]",
        "wrong_password_fails[unaccented]",
    },
}
"""Contract tests that fail for each broken adapter of `broken`, named
without their ``Test`` and ``test_`` prefixes."""

Outcomes = dict[str, dict[str, str]]
"""Outcome ("passed", "failed", "skipped") of each test, by class."""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Outcomes:
    """Run every class of `broken` in a separate pytest process."""
    folder = tmp_path_factory.mktemp("broken-adapters")
    (folder / "conftest.py").write_text(RECORDER, encoding="utf-8")
    (folder / "test_broken.py").write_text(
        "from tests.contracts.broken import *  # noqa: F403\n",
        encoding="utf-8",
    )
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), environment.get("PYTHONPATH")])
    )

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            # The suites need no Hypothesis, whose plugin is slow to load.
            "-p",
            "no:hypothesispytest",
        ],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    recorded = folder / "outcomes.json"
    assert recorded.exists(), result.stdout[-5000:] + result.stderr[-5000:]
    found: Outcomes = {}
    for node_id, phase, outcome in json.loads(recorded.read_text("utf-8")):
        _, class_name, test_name = node_id.split("::")
        tests = found.setdefault(class_name.removeprefix("Test"), {})
        name = test_name.removeprefix("test_")
        if phase == "call" or outcome != "passed":
            tests[name] = outcome if phase == "call" else f"{phase} error"
    return found


def failed(tests: dict[str, str]) -> set[str]:
    return {name for name, outcome in tests.items() if outcome == "failed"}


def suite_of(case_name: str) -> type:
    case = getattr(broken, "Test" + case_name)
    return next(suite for suite in SUITES if issubclass(case, suite))


def reference_of(suite: type) -> str:
    return next(
        name.removeprefix("Test")
        for name in dir(broken)
        if name.startswith("TestReference")
        and issubclass(getattr(broken, name), suite)
    )


def describe(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or "none"


def test_reference_adapters_pass(outcomes: Outcomes) -> None:
    references = [name for name in outcomes if name.startswith("Reference")]

    assert len(references) == len(SUITES)
    for name in references:
        not_passed = {
            test: outcome
            for test, outcome in outcomes[name].items()
            if outcome != "passed"
        }
        assert outcomes[name], f"{name} ran no test"
        assert not not_passed, f"{name}: {not_passed}"


def test_every_broken_adapter_ran(outcomes: Outcomes) -> None:
    ran = {name for name in outcomes if not name.startswith("Reference")}

    assert ran == set(EXPECTED_FAILURES)


@pytest.mark.parametrize("case_name", sorted(EXPECTED_FAILURES))
def test_broken_adapter_fails(outcomes: Outcomes, case_name: str) -> None:
    tests = outcomes.get(case_name, {})

    errors = {
        name: outcome
        for name, outcome in tests.items()
        if outcome.endswith(" error")
    }
    unexpected = failed(tests) - EXPECTED_FAILURES[case_name]
    missed = EXPECTED_FAILURES[case_name] - failed(tests)
    assert not errors, f"setup or teardown failed: {errors}"
    assert not unexpected, f"also failed: {describe(unexpected)}"
    assert not missed, f"passed though expected to fail: {describe(missed)}"


@pytest.mark.parametrize("suite", SUITES, ids=lambda suite: suite.__name__)
def test_every_contract_test_can_fail(outcomes: Outcomes, suite: type) -> None:
    every_test = set(outcomes[reference_of(suite)])
    caught: set[str] = set()
    for case_name, expected in EXPECTED_FAILURES.items():
        if suite_of(case_name) is suite:
            caught |= expected

    never_failed = every_test - caught
    assert every_test
    assert not never_failed, (
        f"no broken adapter fails {describe(never_failed)}"
    )
