"""Contract test suites: check an adapter against its port's contract.

Each suite is a plain class of pytest tests for one port of
`portail_core.ports`. To test an adapter, subclass the suite in a test
module, under a name that starts with ``Test``, and give it the adapter
through the suite's factory method, or its fixture when the adapter
needs other fixtures or a teardown::

    import pytest
    from portail_core.testing.contracts import FlowStoreContract

    class TestPostgresFlowStore(FlowStoreContract):
        def make_flow_store(self):
            return PostgresFlowStore(TEST_DATABASE_URL, reset=True)

    class TestRedisFlowStore(FlowStoreContract):
        @pytest.fixture
        def flow_store(self, redis_client):
            redis_client.flushdb()
            return RedisFlowStore(redis_client)

=============================  ==========================================
Suite                          Give it
=============================  ==========================================
`FlowStoreContract`            ``make_flow_store()`` or ``flow_store``
`AccountStoreContract`         ``make_account_store()`` or
                               ``account_store``
`MailerContract`               ``make_mailer()`` or ``mailer``, and
                               ``delivered(mailer)``; optionally
                               ``make_failing_mailer()``
`SchoolRecordsContract`        ``make_school_records(records)``
`OrganizationsContract`        ``make_organizations(subscribed)``
`PasswordHasherContract`       ``make_password_hasher()`` or
                               ``password_hasher``
=============================  ==========================================

Fixture methods run on the same instance as the test, so an autouse
fixture can keep another fixture on ``self`` for a factory method to use.
To test several adapters with one class, parametrize its fixture. To
leave one test out, set its name to None in the subclass
(``test_sends_from_threads = None``).

The suites store and look up fictional Quebec data on ``.example``
domains. Every test needs a fresh adapter: the store suites need an
empty store, and the race tests call one adapter from several threads,
as `SignupService` does.

This module imports pytest, so import it only from tests. The pytest
plugin of portail-core makes pytest rewrite its asserts, so a failure
shows the values compared.
"""

from portail_core.testing.contracts._hasher import PasswordHasherContract
from portail_core.testing.contracts._mailer import MailerContract
from portail_core.testing.contracts._records import (
    OrganizationsContract,
    SchoolRecordsContract,
)
from portail_core.testing.contracts._stores import (
    AccountStoreContract,
    FlowStoreContract,
)

__all__ = [
    "AccountStoreContract",
    "FlowStoreContract",
    "MailerContract",
    "OrganizationsContract",
    "PasswordHasherContract",
    "SchoolRecordsContract",
]
