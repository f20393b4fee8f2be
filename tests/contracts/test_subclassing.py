"""The suites, subclassed in a test module as the documentation shows."""

from __future__ import annotations

import pytest

# These runs need no Hypothesis, whose plugin takes most of their start.
WITHOUT_HYPOTHESIS = ("-p", "no:hypothesispytest")


def test_missing_factory_names_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from portail_core.testing.contracts import FlowStoreContract

        class TestForgottenStore(FlowStoreContract):
            pass
        """
    )

    result = pytester.runpytest_subprocess(
        *WITHOUT_HYPOTHESIS, "-k", "unknown_flow"
    )

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*TestForgottenStore has no adapter to test: override "
            "make_flow_store() or the flow_store fixture.*"
        ]
    )


def test_none_leaves_test_out(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from portail_core.testing.contracts import OrganizationsContract
        from portail_core.testing import MemoryOrganizations

        class TestOrganizations(OrganizationsContract):
            test_other_organizations_are_false = None

            def make_organizations(self, subscribed):
                return MemoryOrganizations(subscribed)
        """
    )

    result = pytester.runpytest_subprocess(*WITHOUT_HYPOTHESIS, "-v")

    result.assert_outcomes(passed=8)
    result.stdout.no_fnmatch_line("*other_organizations_are_false*")


def test_failing_mailer_is_optional(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from portail_core.testing.contracts import MailerContract
        from portail_core.testing import MemoryMailer

        class TestMailer(MailerContract):
            def make_mailer(self):
                return MemoryMailer()

            def delivered(self, mailer):
                return mailer.outbox
        """
    )

    result = pytester.runpytest_subprocess(*WITHOUT_HYPOTHESIS, "-rs")

    result.assert_outcomes(passed=5, skipped=1)
    result.stdout.fnmatch_lines(["*TestMailer gives no failing mailer*"])


def test_failure_shows_compared_values(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from datetime import timedelta

        from portail_core.testing import MemoryFlowStore
        from portail_core.testing.contracts import FlowStoreContract

        class InclusivePurgeStore(MemoryFlowStore):
            def purge_expired(self, now):
                return super().purge_expired(now + timedelta(microseconds=1))

        class TestInclusivePurge(FlowStoreContract):
            def make_flow_store(self):
                return InclusivePurgeStore()
        """
    )

    result = pytester.runpytest_subprocess(
        *WITHOUT_HYPOTHESIS, "-k", "retain_until_equal_now"
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 2 == 1*"])
