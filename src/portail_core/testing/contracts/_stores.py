"""Contract suites of the two stores, `FlowStore` and `AccountStore`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from typing import TypeVar

import attrs
import pytest

from portail_core._errors import AccountExistsError, ConflictError, StoreError
from portail_core.ports import AccountStore, FlowStore
from portail_core.signup import (
    Account,
    FlowPurpose,
    FlowState,
    SignupFlow,
)
from portail_core.testing.contracts import _samples as samples
from portail_core.testing.contracts._support import (
    assert_same_fields,
    run_together,
)
from portail_core.values import Email

_T = TypeVar("_T")

RACING_PARENTS = (
    "nathalie.damour@courriel.example",
    "linh.nguyen@courriel.example",
    "marc.delafontaine@courriel.example",
)
"""One address per round of each race test."""

MICROSECOND = timedelta(microseconds=1)

FLOW_SAMPLES = pytest.mark.parametrize(
    "build",
    [samples.code_sent_flow, samples.full_flow],
    ids=["code-sent", "every-field"],
)
ACCOUNT_SAMPLES = pytest.mark.parametrize(
    "build",
    [samples.password_account, samples.social_account],
    ids=["password", "social"],
)


def _single_winner(
    results: list[_T | Exception],
    loser_error: type[Exception],
    operation: str,
) -> _T:
    """Return the one result of a race that is not an exception."""
    unexpected = [
        result
        for result in results
        if isinstance(result, Exception)
        and not isinstance(result, loser_error)
    ]
    assert not unexpected, (
        f"racing {operation}: the losers must raise {loser_error.__name__}, "
        f"but some raised {unexpected!r}"
    )
    winners = [
        result for result in results if not isinstance(result, Exception)
    ]
    assert len(winners) == 1, (
        f"{len(winners)} of {len(results)} racing {operation} succeeded; "
        "exactly one must"
    )
    return winners[0]


def _missing_factory(suite: object, factory: str, fixture: str) -> str:
    return (
        f"{type(suite).__name__} has no adapter to test: override "
        f"{factory}() or the {fixture} fixture."
    )


class FlowStoreContract:
    """Contract tests of a `FlowStore` adapter.

    Subclass it in a test module, under a name that starts with ``Test``,
    and give it the store: override `make_flow_store`, or override the
    `flow_store` fixture when the store needs other fixtures or a
    teardown. Each test needs a new, empty store, and the race tests call
    one store from several threads::

        from portail_core.testing.contracts import FlowStoreContract

        class TestPostgresFlowStore(FlowStoreContract):
            @pytest.fixture
            def flow_store(self, database_url):
                store = PostgresFlowStore(database_url)
                store.delete_all()
                yield store
                store.close()

    The tests check what `portail_core.ports.FlowStore` documents. Saves
    are compare-and-set on the version, with one flow per purpose and
    email key. Every field reads back as saved, and each time as the same
    instant to the microsecond, in any offset. `purge_expired` deletes
    exactly the flows whose ``retain_until`` is before ``now``.
    """

    racers = 8
    """Threads in each race test."""

    def make_flow_store(self) -> FlowStore:
        """Return a new, empty store to test."""
        raise NotImplementedError(
            _missing_factory(self, "make_flow_store", "flow_store")
        )

    @pytest.fixture
    def flow_store(self) -> FlowStore:
        """Return the store under test, from `make_flow_store`."""
        return self.make_flow_store()

    # Reads and inserts.

    def test_unknown_flow_is_none(self, flow_store: FlowStore) -> None:
        """get and get_by_id return None for a flow never saved."""
        flow = samples.code_sent_flow()

        assert flow_store.get(FlowPurpose.SIGNUP, flow.email.key) is None
        assert flow_store.get_by_id(flow.flow_id) is None

    @FLOW_SAMPLES
    def test_insert_returns_version_one(
        self, flow_store: FlowStore, build: Callable[[], SignupFlow]
    ) -> None:
        """save with expected_version 0 returns the flow at version 1."""
        flow = build()

        saved = flow_store.save(flow, expected_version=0)

        assert_same_fields(saved, attrs.evolve(flow, version=1), "saved")

    @FLOW_SAMPLES
    def test_insert_reads_back_every_field(
        self, flow_store: FlowStore, build: Callable[[], SignupFlow]
    ) -> None:
        """A saved flow reads back field by field, by key and by id."""
        flow = build()
        flow_store.save(flow, expected_version=0)
        expected = attrs.evolve(flow, version=1)

        by_key = flow_store.get(flow.purpose, flow.email.key)
        by_id = flow_store.get_by_id(flow.flow_id)

        assert_same_fields(by_key, expected, "get()")
        assert_same_fields(by_id, expected, "get_by_id()")

    def test_insert_existing_id_conflicts(self, flow_store: FlowStore) -> None:
        """Inserting a flow id that exists raises and changes nothing."""
        flow = samples.code_sent_flow()
        stored = flow_store.save(flow, expected_version=0)

        with pytest.raises(ConflictError):
            flow_store.save(
                attrs.evolve(flow, state=FlowState.EXPIRED),
                expected_version=0,
            )

        assert_same_fields(
            flow_store.get_by_id(flow.flow_id), stored, "get_by_id()"
        )

    def test_insert_same_email_conflicts(self, flow_store: FlowStore) -> None:
        """A second flow for one purpose and email key is rejected, even
        when its address is typed in another case."""
        first = samples.code_sent_flow(samples.PARENT)
        twin = samples.code_sent_flow(samples.PARENT_TYPED, label="twin")
        stored = flow_store.save(first, expected_version=0)

        with pytest.raises(ConflictError):
            flow_store.save(twin, expected_version=0)

        assert flow_store.get_by_id(twin.flow_id) is None
        assert_same_fields(
            flow_store.get(FlowPurpose.SIGNUP, first.email.key),
            stored,
            "get()",
        )

    def test_purposes_are_separate(self, flow_store: FlowStore) -> None:
        """One email has a sign-up flow and a recovery flow at once."""
        signup = samples.code_sent_flow(purpose=FlowPurpose.SIGNUP)
        recovery = samples.code_sent_flow(purpose=FlowPurpose.RECOVERY)

        saved_signup = flow_store.save(signup, expected_version=0)
        saved_recovery = flow_store.save(recovery, expected_version=0)

        key = signup.email.key
        assert_same_fields(
            flow_store.get(FlowPurpose.SIGNUP, key),
            saved_signup,
            "get(SIGNUP)",
        )
        assert_same_fields(
            flow_store.get(FlowPurpose.RECOVERY, key),
            saved_recovery,
            "get(RECOVERY)",
        )

    # Updates.

    def test_update_returns_next_version(self, flow_store: FlowStore) -> None:
        """Each save returns expected_version + 1 and stores every field."""
        saved = flow_store.save(
            samples.code_sent_flow(samples.PARENT), expected_version=0
        )
        # Every field but the id, purpose and email changes.
        changed = attrs.evolve(
            samples.full_flow(samples.PARENT), flow_id=saved.flow_id
        )

        updated = flow_store.save(changed, expected_version=1)

        expected = attrs.evolve(changed, version=2)
        assert_same_fields(updated, expected, "saved")
        assert_same_fields(
            flow_store.get(saved.purpose, saved.email.key), expected, "get()"
        )
        assert_same_fields(
            flow_store.get_by_id(saved.flow_id), expected, "get_by_id()"
        )
        again = flow_store.save(
            attrs.evolve(updated, children=()), expected_version=2
        )
        assert again.version == 3

    def test_version_follows_expected_version(
        self, flow_store: FlowStore
    ) -> None:
        """The new version is expected_version + 1, whatever the flow's
        own version field contains."""
        flow = attrs.evolve(samples.code_sent_flow(), version=7)

        inserted = flow_store.save(flow, expected_version=0)
        updated = flow_store.save(
            attrs.evolve(inserted, version=0), expected_version=1
        )

        assert inserted.version == 1
        assert updated.version == 2
        stored = flow_store.get_by_id(flow.flow_id)
        assert stored is not None
        assert stored.version == 2

    def test_stale_version_conflicts(self, flow_store: FlowStore) -> None:
        """A save over a version that another save replaced raises and
        changes nothing."""
        saved = flow_store.save(samples.code_sent_flow(), expected_version=0)
        winner = flow_store.save(
            attrs.evolve(saved, children=("demo-001",)), expected_version=1
        )

        with pytest.raises(ConflictError):
            flow_store.save(
                attrs.evolve(saved, state=FlowState.LOCKED),
                expected_version=1,
            )

        assert_same_fields(
            flow_store.get_by_id(saved.flow_id), winner, "get_by_id()"
        )

    @pytest.mark.parametrize("expected_version", [2, 5])
    def test_future_version_conflicts(
        self, flow_store: FlowStore, expected_version: int
    ) -> None:
        """A save that expects a version not yet stored raises."""
        saved = flow_store.save(samples.code_sent_flow(), expected_version=0)

        with pytest.raises(ConflictError):
            flow_store.save(
                attrs.evolve(saved, state=FlowState.EXPIRED),
                expected_version=expected_version,
            )

        assert_same_fields(
            flow_store.get_by_id(saved.flow_id), saved, "get_by_id()"
        )

    def test_update_missing_flow_conflicts(
        self, flow_store: FlowStore
    ) -> None:
        """Updating a flow that was never inserted raises and stores
        nothing."""
        flow = samples.code_sent_flow()

        with pytest.raises(ConflictError):
            flow_store.save(flow, expected_version=1)

        assert flow_store.get_by_id(flow.flow_id) is None
        assert flow_store.get(flow.purpose, flow.email.key) is None

    # Purging.

    def test_purge_keeps_retain_until_equal_now(
        self, flow_store: FlowStore
    ) -> None:
        """purge_expired deletes a flow whose retain_until is before now,
        and keeps one whose retain_until is now or later."""
        now = samples.START + timedelta(days=2)
        before, equal, after = (
            flow_store.save(
                attrs.evolve(
                    samples.code_sent_flow(address), retain_until=moment
                ),
                expected_version=0,
            )
            for address, moment in zip(
                RACING_PARENTS,
                (now - MICROSECOND, now, now + MICROSECOND),
                strict=True,
            )
        )

        deleted = flow_store.purge_expired(now)

        assert deleted == 1
        assert flow_store.get_by_id(before.flow_id) is None
        assert flow_store.get(before.purpose, before.email.key) is None
        assert flow_store.get_by_id(equal.flow_id) is not None, (
            "a flow whose retain_until equals now must be kept"
        )
        assert flow_store.get_by_id(after.flow_id) is not None

    def test_purge_compares_instants(self, flow_store: FlowStore) -> None:
        """purge_expired compares instants, not clock readings: a
        retain_until in Eastern time equals the same instant in UTC."""
        retain_until = samples.START + timedelta(days=1)
        saved = flow_store.save(
            attrs.evolve(samples.code_sent_flow(), retain_until=retain_until),
            expected_version=0,
        )

        deleted_at_instant = flow_store.purge_expired(
            retain_until.astimezone(UTC)
        )
        after_first_purge = flow_store.get_by_id(saved.flow_id)
        later = (retain_until + MICROSECOND).astimezone(
            samples.NEWFOUNDLAND_DAYLIGHT
        )
        deleted_after = flow_store.purge_expired(later)

        assert deleted_at_instant == 0
        assert after_first_purge is not None
        assert deleted_after == 1
        assert flow_store.get_by_id(saved.flow_id) is None

    def test_purge_returns_count(self, flow_store: FlowStore) -> None:
        """purge_expired returns how many flows it deleted."""
        now = samples.START + timedelta(days=3)
        expired = [
            attrs.evolve(
                samples.code_sent_flow(address, purpose=purpose),
                retain_until=now - timedelta(hours=hours),
            )
            for hours, (address, purpose) in enumerate(
                [
                    (samples.PARENT, FlowPurpose.SIGNUP),
                    (samples.PARENT, FlowPurpose.RECOVERY),
                    (samples.OTHER_PARENT, FlowPurpose.SIGNUP),
                ],
                start=1,
            )
        ]
        current = [
            attrs.evolve(
                samples.code_sent_flow(address),
                retain_until=now + timedelta(minutes=5),
            )
            for address in RACING_PARENTS[:2]
        ]

        empty = flow_store.purge_expired(now)
        for flow in expired + current:
            flow_store.save(flow, expected_version=0)
        first = flow_store.purge_expired(now)
        second = flow_store.purge_expired(now)

        assert empty == 0
        assert first == 3
        assert second == 0
        for flow in current:
            assert flow_store.get_by_id(flow.flow_id) is not None

    def test_purge_frees_the_email(self, flow_store: FlowStore) -> None:
        """After a purge, the purpose and email take a new flow."""
        old = samples.code_sent_flow(label="old")
        flow_store.save(old, expected_version=0)
        flow_store.purge_expired(old.retain_until + MICROSECOND)
        new = samples.code_sent_flow(label="new")

        saved = flow_store.save(new, expected_version=0)

        assert_same_fields(
            flow_store.get(new.purpose, new.email.key), saved, "get()"
        )

    def test_update_moves_retain_until(self, flow_store: FlowStore) -> None:
        """purge_expired uses the retain_until of the latest save."""
        saved = flow_store.save(samples.code_sent_flow(), expected_version=0)
        extended = saved.retain_until + timedelta(days=1)
        flow_store.save(
            attrs.evolve(saved, retain_until=extended), expected_version=1
        )

        deleted = flow_store.purge_expired(saved.retain_until + MICROSECOND)

        assert deleted == 0
        assert flow_store.get_by_id(saved.flow_id) is not None

    # Races.

    def test_racing_updates_one_wins(self, flow_store: FlowStore) -> None:
        """Of several threads saving over one version, exactly one wins
        and the others raise ConflictError."""
        for address in RACING_PARENTS:
            saved = flow_store.save(
                samples.code_sent_flow(address), expected_version=0
            )

            def update(index: int, saved: SignupFlow = saved) -> SignupFlow:
                changed = attrs.evolve(saved, children=(f"student-{index}",))
                return flow_store.save(changed, expected_version=1)

            results = run_together(self.racers, update)

            winner = _single_winner(
                results, ConflictError, "saves with expected_version 1"
            )
            assert winner.version == 2
            assert_same_fields(
                flow_store.get_by_id(saved.flow_id), winner, "get_by_id()"
            )

    def test_racing_inserts_one_wins(self, flow_store: FlowStore) -> None:
        """Of several threads inserting a flow for one purpose and email,
        exactly one wins and the others raise ConflictError."""
        for address in RACING_PARENTS:
            flows = [
                samples.code_sent_flow(address, label=f"racer-{index}")
                for index in range(self.racers)
            ]

            def insert(
                index: int, flows: list[SignupFlow] = flows
            ) -> SignupFlow:
                return flow_store.save(flows[index], expected_version=0)

            results = run_together(self.racers, insert)

            winner = _single_winner(results, ConflictError, "inserts")
            assert_same_fields(
                flow_store.get(FlowPurpose.SIGNUP, winner.email.key),
                winner,
                "get()",
            )
            for flow in flows:
                if flow.flow_id != winner.flow_id:
                    assert flow_store.get_by_id(flow.flow_id) is None


class AccountStoreContract:
    """Contract tests of an `AccountStore` adapter.

    Subclass it in a test module, under a name that starts with ``Test``,
    and give it the store: override `make_account_store`, or override the
    `account_store` fixture when the store needs other fixtures or a
    teardown. Each test needs a new, empty store, and the race tests call
    one store from several threads::

        from portail_core.testing.contracts import AccountStoreContract

        class TestPostgresAccountStore(AccountStoreContract):
            def make_account_store(self):
                return PostgresAccountStore(TEST_DATABASE_URL, reset=True)

    The tests check what `portail_core.ports.AccountStore` documents:
    accounts are unique by email key, `add` returns version 1, saves are
    compare-and-set on the version, and every field reads back as saved.
    A save may not change an account's email key.
    """

    racers = 8
    """Threads in each race test."""

    def make_account_store(self) -> AccountStore:
        """Return a new, empty store to test."""
        raise NotImplementedError(
            _missing_factory(self, "make_account_store", "account_store")
        )

    @pytest.fixture
    def account_store(self) -> AccountStore:
        """Return the store under test, from `make_account_store`."""
        return self.make_account_store()

    # Reads and additions.

    def test_unknown_account_is_none(
        self, account_store: AccountStore
    ) -> None:
        """get and find_by_email return None for an account never added."""
        account = samples.password_account()

        assert account_store.get(account.account_id) is None
        assert account_store.find_by_email(account.email.key) is None

    @ACCOUNT_SAMPLES
    def test_add_returns_version_one(
        self, account_store: AccountStore, build: Callable[[], Account]
    ) -> None:
        """add returns the account at version 1, whatever its version."""
        account = attrs.evolve(build(), version=4)

        added = account_store.add(account)

        assert_same_fields(added, attrs.evolve(account, version=1), "added")

    @ACCOUNT_SAMPLES
    def test_add_reads_back_every_field(
        self, account_store: AccountStore, build: Callable[[], Account]
    ) -> None:
        """An added account reads back field by field, by id and by
        email key."""
        account = build()
        account_store.add(account)
        expected = attrs.evolve(account, version=1)

        by_id = account_store.get(account.account_id)
        by_email = account_store.find_by_email(account.email.key)

        assert_same_fields(by_id, expected, "get()")
        assert_same_fields(by_email, expected, "find_by_email()")

    def test_add_same_email_raises(self, account_store: AccountStore) -> None:
        """A second account with the same email key raises
        AccountExistsError, even when its address is typed in another
        case."""
        first = account_store.add(samples.password_account(samples.PARENT))
        twin = samples.social_account(samples.PARENT_TYPED)

        with pytest.raises(AccountExistsError):
            account_store.add(twin)

        assert account_store.get(twin.account_id) is None
        assert_same_fields(
            account_store.find_by_email(first.email.key),
            first,
            "find_by_email()",
        )

    def test_add_same_id_raises(self, account_store: AccountStore) -> None:
        """A second account with an existing id raises a StoreError and
        leaves the first one as it was."""
        first = account_store.add(samples.password_account(samples.PARENT))
        impostor = attrs.evolve(
            samples.social_account(samples.OTHER_PARENT),
            account_id=first.account_id,
        )

        with pytest.raises(StoreError):
            account_store.add(impostor)

        assert account_store.find_by_email(impostor.email.key) is None
        assert_same_fields(account_store.get(first.account_id), first, "get()")

    # Saves.

    def test_save_returns_next_version(
        self, account_store: AccountStore
    ) -> None:
        """Each save returns expected_version + 1 and stores every field."""
        added = account_store.add(samples.social_account())
        changed = attrs.evolve(
            samples.password_account(samples.OTHER_PARENT),
            account_id=added.account_id,
            email=added.email,
            providers=("google",),
        )

        saved = account_store.save(changed, expected_version=1)

        expected = attrs.evolve(changed, version=2)
        assert_same_fields(saved, expected, "saved")
        assert_same_fields(
            account_store.get(added.account_id), expected, "get()"
        )
        assert_same_fields(
            account_store.find_by_email(added.email.key),
            expected,
            "find_by_email()",
        )
        again = account_store.save(
            attrs.evolve(saved, link_attempts=()), expected_version=2
        )
        assert again.version == 3

    def test_version_follows_expected_version(
        self, account_store: AccountStore
    ) -> None:
        """The new version is expected_version + 1, whatever the
        account's own version field contains."""
        added = account_store.add(samples.password_account())

        saved = account_store.save(
            attrs.evolve(added, version=9), expected_version=1
        )

        assert saved.version == 2
        stored = account_store.get(added.account_id)
        assert stored is not None
        assert stored.version == 2

    def test_stale_version_conflicts(
        self, account_store: AccountStore
    ) -> None:
        """A save over a version that another save replaced raises and
        changes nothing."""
        added = account_store.add(samples.password_account())
        winner = account_store.save(
            attrs.evolve(added, providers=("google",)), expected_version=1
        )

        with pytest.raises(ConflictError):
            account_store.save(
                attrs.evolve(added, children=()), expected_version=1
            )

        assert_same_fields(
            account_store.get(added.account_id), winner, "get()"
        )

    @pytest.mark.parametrize("expected_version", [0, 2])
    def test_wrong_version_conflicts(
        self, account_store: AccountStore, expected_version: int
    ) -> None:
        """A save that expects another version than the stored one
        raises and changes nothing."""
        added = account_store.add(samples.password_account())

        with pytest.raises(ConflictError):
            account_store.save(
                attrs.evolve(added, children=()),
                expected_version=expected_version,
            )

        assert_same_fields(account_store.get(added.account_id), added, "get()")

    def test_save_missing_account_conflicts(
        self, account_store: AccountStore
    ) -> None:
        """Saving an account that was never added raises and stores
        nothing."""
        account = samples.password_account()

        with pytest.raises(ConflictError):
            account_store.save(account, expected_version=1)

        assert account_store.get(account.account_id) is None
        assert account_store.find_by_email(account.email.key) is None

    def test_save_email_change_conflicts(
        self, account_store: AccountStore
    ) -> None:
        """A save that would change the account's email key raises and
        changes nothing."""
        added = account_store.add(samples.password_account(samples.PARENT))
        moved = attrs.evolve(added, email=Email.parse(samples.OTHER_PARENT))

        with pytest.raises(ConflictError):
            account_store.save(moved, expected_version=1)

        assert account_store.find_by_email(moved.email.key) is None
        assert_same_fields(
            account_store.find_by_email(added.email.key),
            added,
            "find_by_email()",
        )

    # Races.

    def test_racing_saves_one_wins(self, account_store: AccountStore) -> None:
        """Of several threads saving over one version, exactly one wins
        and the others raise ConflictError."""
        for address in RACING_PARENTS:
            added = account_store.add(samples.password_account(address))

            def save(index: int, added: Account = added) -> Account:
                attempt = attrs.evolve(
                    added.link_attempts[0], attempt_id=f"attempt-{index}"
                )
                changed = attrs.evolve(added, link_attempts=(attempt,))
                return account_store.save(changed, expected_version=1)

            results = run_together(self.racers, save)

            winner = _single_winner(
                results, ConflictError, "saves with expected_version 1"
            )
            assert winner.version == 2
            assert_same_fields(
                account_store.get(added.account_id), winner, "get()"
            )

    def test_racing_adds_one_wins(self, account_store: AccountStore) -> None:
        """Of several threads adding an account for one email key,
        exactly one wins and the others raise AccountExistsError."""
        for address in RACING_PARENTS:
            accounts = [
                samples.password_account(address, label=f"racer-{index}")
                for index in range(self.racers)
            ]

            def add(index: int, accounts: list[Account] = accounts) -> Account:
                return account_store.add(accounts[index])

            results = run_together(self.racers, add)

            winner = _single_winner(results, AccountExistsError, "adds")
            assert_same_fields(
                account_store.find_by_email(winner.email.key),
                winner,
                "find_by_email()",
            )
            for account in accounts:
                if account.account_id != winner.account_id:
                    assert account_store.get(account.account_id) is None
