"""The SQLite stores, on real files."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from portail_core import ConflictError, Email, FlowPurpose, FlowState
from portail_core._errors import AccountExistsError, StoreError
from portail_core.adapters.snapshots import flow_to_json
from portail_core.adapters.sqlite import (
    SCHEMA_VERSION,
    DatabaseFileError,
    SQLiteDatabase,
)
from portail_core.signup import Account, CodeSigner, SignupFlow, SignupSettings

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
FAKE_HASH = "$scrypt$ln=1,r=8,p=1$c2FsdA==$aGFzaA=="
SIGNER = CodeSigner((b"k" * 32,))
SETTINGS = SignupSettings()


def new_flow(address: str = "parent@courriel.example") -> SignupFlow:
    return SignupFlow.start(
        flow_id=hashlib.sha256(address.encode()).hexdigest()[:16],
        purpose=FlowPurpose.SIGNUP,
        email=Email.parse(address),
        code="123456",
        decoy=False,
        now=NOW,
        signer=SIGNER,
        settings=SETTINGS,
    ).flow


def new_account(address: str = "parent@courriel.example") -> Account:
    return Account(
        account_id="account-" + address,
        email=Email.parse(address),
        created_at=NOW,
        password_hash=FAKE_HASH,
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "portail.db"


def test_new_file_gets_schema_and_wal(path: Path) -> None:
    with SQLiteDatabase(path):
        pass

    connection = sqlite3.connect(path)
    mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    row = connection.execute("SELECT * FROM portail_schema").fetchone()
    connection.close()
    assert mode == "wal"
    assert row == ("portail-core", SCHEMA_VERSION)


def test_flow_survives_restart(path: Path) -> None:
    flow = new_flow()
    with SQLiteDatabase(path) as database:
        saved = database.flows.save(flow, expected_version=0)

    with SQLiteDatabase(path) as database:
        loaded = database.flows.get(FlowPurpose.SIGNUP, flow.email.key)
        by_id = database.flows.get_by_id(flow.flow_id)

    assert loaded == saved
    assert by_id == saved
    assert loaded is not None
    assert loaded.version == 1
    assert loaded.challenge == flow.challenge


def test_account_survives_restart(path: Path) -> None:
    account = new_account()
    with SQLiteDatabase(path) as database:
        added = database.accounts.add(account)
        changed = database.accounts.save(
            attrs.evolve(added, providers=("google",)), expected_version=1
        )

    with SQLiteDatabase(path) as database:
        loaded = database.accounts.find_by_email(account.email.key)

    assert loaded == changed
    assert loaded is not None
    assert loaded.version == 2
    assert loaded.providers == ("google",)


def test_flow_save_compare_and_set(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        saved = database.flows.save(new_flow(), expected_version=0)
        database.flows.save(saved, expected_version=1)

        with pytest.raises(ConflictError):
            database.flows.save(saved, expected_version=1)
        with pytest.raises(ConflictError):
            database.flows.save(new_flow(), expected_version=0)


def test_second_flow_same_email_conflicts(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        database.flows.save(new_flow(), expected_version=0)
        other = attrs.evolve(new_flow(), flow_id="another-id")

        with pytest.raises(ConflictError):
            database.flows.save(other, expected_version=0)


def test_account_email_unique(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        database.accounts.add(new_account())
        twin = attrs.evolve(new_account(), account_id="other")

        with pytest.raises(AccountExistsError):
            database.accounts.add(twin)


def test_account_save_compare_and_set(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        added = database.accounts.add(new_account())
        database.accounts.save(added, expected_version=1)

        with pytest.raises(ConflictError):
            database.accounts.save(added, expected_version=1)


def test_purge_expired_counts(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        first = database.flows.save(
            new_flow("a@courriel.example"), expected_version=0
        )
        database.flows.save(new_flow("b@courriel.example"), expected_version=0)

        assert database.flows.purge_expired(first.retain_until) == 0
        later = first.retain_until + timedelta(microseconds=1)
        assert database.flows.purge_expired(later) == 2
        assert len(database.flows) == 0


def test_not_a_database_refused_untouched(path: Path) -> None:
    content = b"This is a parent's spreadsheet, not a database.\n" * 100
    path.write_bytes(content)

    with pytest.raises(DatabaseFileError) as raised:
        SQLiteDatabase(path)

    assert raised.value.code == "store.not_a_database"
    assert path.read_bytes() == content


def test_corrupted_database_refused_untouched(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        database.flows.save(new_flow(), expected_version=0)
    content = bytearray(path.read_bytes())
    content[:16] = b"garbage garbage!"
    path.write_bytes(bytes(content))

    with pytest.raises(DatabaseFileError):
        SQLiteDatabase(path)

    assert path.read_bytes() == bytes(content)


def test_foreign_database_refused_untouched(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE grades (student TEXT, grade INTEGER)")
    connection.commit()
    connection.close()
    before = path.read_bytes()

    with pytest.raises(DatabaseFileError) as raised:
        SQLiteDatabase(path)

    assert raised.value.code == "store.foreign_database"
    assert path.read_bytes() == before


def test_newer_schema_refused(path: Path) -> None:
    with SQLiteDatabase(path):
        pass
    connection = sqlite3.connect(path)
    connection.execute(
        "UPDATE portail_schema SET version = ?", (SCHEMA_VERSION + 1,)
    )
    connection.commit()
    connection.close()

    with pytest.raises(DatabaseFileError) as raised:
        SQLiteDatabase(path)

    assert raised.value.code == "store.newer_schema"
    assert "Upgrade portail-core" in str(raised.value)


def test_missing_folder_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(DatabaseFileError) as raised:
        SQLiteDatabase(tmp_path / "missing" / "portail.db")

    assert raised.value.code == "store.cannot_open"


def test_corrupt_snapshot_is_store_error(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        saved = database.flows.save(new_flow(), expected_version=0)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE flows SET snapshot = '{\"format\": 99}'")
    connection.commit()
    connection.close()

    with SQLiteDatabase(path) as database, pytest.raises(StoreError) as raised:
        database.flows.get_by_id(saved.flow_id)

    assert raised.value.code == "store.corrupt_record"


def test_snapshot_has_no_code(path: Path) -> None:
    flow = new_flow()

    snapshot = flow_to_json(flow)

    assert "123456" not in snapshot
    assert flow.state is FlowState.CODE_SENT


def test_damaged_schema_is_store_failure(path: Path) -> None:
    with SQLiteDatabase(path):
        pass
    connection = sqlite3.connect(path)
    connection.execute("DROP TABLE accounts")
    connection.commit()
    connection.close()

    with SQLiteDatabase(path) as database, pytest.raises(StoreError) as raised:
        database.accounts.find_by_email("parent@courriel.example")

    assert raised.value.code == "store.failed"


def test_close_after_other_threads(path: Path) -> None:
    database = SQLiteDatabase(path)
    worker = threading.Thread(
        target=lambda: database.flows.save(new_flow(), expected_version=0)
    )
    worker.start()
    worker.join(timeout=30)

    database.close()

    with SQLiteDatabase(path) as reopened:
        assert len(reopened.flows) == 1


def test_damaged_page_refused_untouched(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        for index in range(40):
            database.flows.save(
                new_flow(f"parent{index}@courriel.example"),
                expected_version=0,
            )
    content = bytearray(path.read_bytes())
    page_size = 4096
    content[2 * page_size : 2 * page_size + 3000] = b"\xa5" * 3000
    path.write_bytes(bytes(content))

    with pytest.raises(DatabaseFileError) as raised:
        SQLiteDatabase(path)

    assert raised.value.code == "store.corrupt_database"
    assert path.read_bytes() == bytes(content)


def test_damaged_page_read_is_store_error(path: Path) -> None:
    with SQLiteDatabase(path) as database:
        for index in range(40):
            database.flows.save(
                new_flow(f"parent{index}@courriel.example"),
                expected_version=0,
            )
    content = bytearray(path.read_bytes())
    content[2 * 4096 : 2 * 4096 + 3000] = b"\xa5" * 3000
    path.write_bytes(bytes(content))

    codes = []
    with SQLiteDatabase(path, check_integrity=False) as database:
        for index in range(40):
            key = Email.parse(f"parent{index}@courriel.example").key
            try:
                database.flows.get(FlowPurpose.SIGNUP, key)
            except StoreError as error:
                codes.append(error.code)

    assert codes
    assert set(codes) == {"store.failed"}


def test_new_file_private(path: Path) -> None:
    with SQLiteDatabase(path):
        pass

    assert path.stat().st_mode & 0o777 == 0o600


def test_memory_database_creates_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    with SQLiteDatabase(":memory:") as database:
        database.flows.save(new_flow(), expected_version=0)

    assert list(tmp_path.iterdir()) == []
