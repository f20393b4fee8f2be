"""The bundled stores pass the store contract suites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portail_core.adapters.memory import MemoryAccountStore, MemoryFlowStore
from portail_core.adapters.sqlite import SQLiteDatabase
from portail_core.ports import AccountStore, FlowStore
from portail_core.testing.contracts import (
    AccountStoreContract,
    FlowStoreContract,
)


class TestMemoryFlowStore(FlowStoreContract):
    def make_flow_store(self) -> FlowStore:
        return MemoryFlowStore()


class TestMemoryAccountStore(AccountStoreContract):
    def make_account_store(self) -> AccountStore:
        return MemoryAccountStore()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[SQLiteDatabase]:
    with SQLiteDatabase(tmp_path / "portail.db") as opened:
        yield opened


class TestSQLiteFlowStore(FlowStoreContract):
    @pytest.fixture
    def flow_store(self, database: SQLiteDatabase) -> FlowStore:
        return database.flows


class TestSQLiteAccountStore(AccountStoreContract):
    @pytest.fixture
    def account_store(self, database: SQLiteDatabase) -> AccountStore:
        return database.accounts
