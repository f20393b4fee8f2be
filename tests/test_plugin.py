"""The pytest plugin's portail_* fixtures, as an integrator uses them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portail_core import ChildClaim, FlowState, SignupService
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.compose import Wiring
from portail_core.signup import CodeSent, Event
from portail_core.testing.plugin import START

PARENT = "emilie.gagnon@courriel.example"
"""Guardian of two students of the demo roster."""
PASSWORD = "Éléphant-Bleu-2024"

# The separate runs need no Hypothesis, whose plugin is slow to load.
WITHOUT_HYPOTHESIS = ("-p", "no:hypothesispytest")


def test_fixtures_sign_parent_up(
    portail_service: SignupService,
    portail_last_code: Callable[[str], str],
    portail_clock: ManualClock,
) -> None:
    portail_service.start(PARENT)
    token = portail_service.verify(PARENT, portail_last_code(PARENT)).token
    account = portail_service.set_password(token, PASSWORD)
    claim = ChildClaim.parse(
        organization="CSS du Chemin-du-Roy",
        birth_date="2016-03-14",
        family_name="Côté-Tremblay",
        given_names="Léa-Rose",
        record_number="482913",
        today=portail_clock.now().date(),
    )

    result = portail_service.link_child(account.account_id, claim)

    flow = portail_service.flow(PARENT)
    assert result.outcome == "linked"
    assert flow is not None
    assert flow.state is FlowState.CHILDREN_LINKED


def test_clock_starts_at_fixed_time(portail_clock: ManualClock) -> None:
    assert portail_clock.now() == START


def test_hasher_is_cheapest(portail_hasher: ScryptHasher) -> None:
    assert (portail_hasher.log2_n, portail_hasher.r) == (1, 1)


def test_wiring_uses_fixtures(
    portail_wiring: Wiring,
    portail_clock: ManualClock,
    portail_hasher: ScryptHasher,
) -> None:
    assert portail_wiring.clock is portail_clock
    assert portail_wiring.hasher is portail_hasher
    assert portail_wiring.service is not None


def test_events_recorded(
    portail_service: SignupService, portail_events: list[Event]
) -> None:
    portail_service.start(PARENT)

    assert [type(event) for event in portail_events] == [CodeSent]


def test_last_code_without_message_fails(
    portail_last_code: Callable[[str], str],
) -> None:
    with pytest.raises(AssertionError, match="No message was sent"):
        portail_last_code(PARENT)


def test_last_code_of_notice_fails(
    portail_service: SignupService,
    portail_last_code: Callable[[str], str],
    portail_clock: ManualClock,
) -> None:
    portail_service.start(PARENT)
    token = portail_service.verify(PARENT, portail_last_code(PARENT)).token
    portail_service.set_password(token, PASSWORD)
    portail_clock.advance(portail_service.settings.resend_delay)

    # The address has an account now, so it receives a notice.
    portail_service.start(PARENT)

    with pytest.raises(AssertionError, match="carries no 6-digit code"):
        portail_last_code(PARENT)


def test_roster_overridden(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from portail_core.testing import MemorySchoolRecords

        @pytest.fixture
        def portail_roster():
            return MemorySchoolRecords.from_csv(
                "organization_code,record_number,permanent_code,"
                "family_name,given_names,usual_given_name,birth_date,"
                "guardian_emails\\n"
                "762000,0390455,DAMZ30561508,D'Amour,Zoé Élisabeth,Zoé,"
                "2015-06-30,nathalie.damour@courriel.example\\n"
            )
        """
    )
    pytester.makepyfile(
        """
        from portail_core import ChildClaim

        def test_link(portail_service, portail_last_code, portail_clock):
            address = "nathalie.damour@courriel.example"
            portail_service.start(address)
            code = portail_last_code(address)
            token = portail_service.verify(address, code).token
            account = portail_service.set_password(token, "Hiver-Soleil42")
            claim = ChildClaim.parse(
                organization="762000",
                birth_date="2015-06-30",
                family_name="D'Amour",
                given_names="Zoé",
                permanent_code="DAMZ30561508",
                today=portail_clock.now().date(),
            )
            result = portail_service.link_child(account.account_id, claim)
            assert result.outcome == "linked"
        """
    )

    result = pytester.runpytest_subprocess(*WITHOUT_HYPOTHESIS)

    result.assert_outcomes(passed=1)


def test_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_service(portail_service):
            pass
        """
    )

    result = pytester.runpytest_subprocess(
        *WITHOUT_HYPOTHESIS, "-p", "no:portail_core"
    )

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'portail_service' not found*"])
