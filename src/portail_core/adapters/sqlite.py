"""SQLite stores: the embedded default for a deployment on one machine.

One file contains flows and accounts. The library creates and versions its
schema (table ``portail_schema``) and opens the file in WAL mode, where
readers and the writer do not block each other. It saves by
compare-and-set (``UPDATE … WHERE version = ?``), so several threads and
several processes may share one file; the race tests run both. Each row
stores a JSON snapshot (see `portail_core.adapters.snapshots`) beside the
columns that lookups need.

A file that is not a SQLite database, is damaged, or was not created by
this library is rejected before anything is written to it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import attrs

from portail_core._errors import (
    AccountExistsError,
    ConflictError,
    StoreError,
)
from portail_core.adapters.snapshots import (
    SnapshotError,
    account_from_json,
    account_to_json,
    flow_from_json,
    flow_to_json,
)
from portail_core.signup import Account, FlowPurpose, SignupFlow

logger = logging.getLogger("portail_core")

SCHEMA_VERSION = 1
APPLICATION = "portail-core"

# How long a connection waits for another process's write lock, in
# milliseconds, before a write fails with StoreError.
BUSY_TIMEOUT_MS = 10_000

# Statements that create schema version 1, run in one transaction.
_SCHEMA = (
    "CREATE TABLE portail_schema ("
    " application TEXT NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE flows ("
    " flow_id TEXT PRIMARY KEY,"
    " purpose TEXT NOT NULL,"
    " email_key TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " retain_until INTEGER NOT NULL,"
    " snapshot TEXT NOT NULL,"
    " UNIQUE (purpose, email_key))",
    "CREATE INDEX flows_retain_until ON flows (retain_until)",
    "CREATE TABLE accounts ("
    " account_id TEXT PRIMARY KEY,"
    " email_key TEXT NOT NULL UNIQUE,"
    " version INTEGER NOT NULL,"
    " snapshot TEXT NOT NULL)",
)


class DatabaseFileError(StoreError):
    """The file is not a portail-core SQLite database of a known version.

    The file was left as it is.
    """


def _microseconds(moment: datetime) -> int:
    """Return `moment` as whole microseconds since the Unix epoch."""
    delta = moment - datetime.fromtimestamp(0, moment.tzinfo)
    return (
        delta.days * 86_400_000_000
        + delta.seconds * 1_000_000
        + delta.microseconds
    )


class SQLiteDatabase:
    """A portail-core database file, with one connection per thread.

    Opening a new or empty file creates the schema. Use it as a context
    manager, or call `close`, to close every connection it opened.

    A new file is created readable and writable by its owner only, since
    it contains parents' addresses and password hashes. Opening an existing
    file first runs SQLite's ``quick_check``, unless `check_integrity` is
    False, so that a damaged file is refused before anything is written.

    Raises:
        DatabaseFileError: the file is not a SQLite database, is damaged,
            was not created by portail-core, or has a newer schema.
    """

    def __init__(
        self, path: str | Path, *, check_integrity: bool = True
    ) -> None:
        self.path = Path(path)
        self.check_integrity = check_integrity
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        _create_private(self.path)
        self._prepare()
        self.flows = SQLiteFlowStore(self)
        self.accounts = SQLiteAccountStore(self)

    def connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it on first use."""
        connection: sqlite3.Connection | None = getattr(
            self._local, "connection", None
        )
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def fetch_one(
        self, query: str, parameters: tuple[object, ...]
    ) -> tuple[str, int] | None:
        """Run a query on this thread's connection and return its first
        row, a snapshot and its version, or None.

        Raises:
            StoreError: the database stayed locked or failed.
        """
        try:
            row: tuple[str, int] | None = (
                self.connection().execute(query, parameters).fetchone()
            )
        except sqlite3.DatabaseError as error:
            raise _unavailable(error) from error
        return row

    def close(self) -> None:
        """Close every connection this database opened, in any thread.

        Call it once no other thread uses the database.
        """
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run statements in one write transaction, taken at once."""
        connection = self.connection()
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise _unavailable(error) from error
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        try:
            # isolation_level=None: each statement commits by itself unless
            # a transaction is opened explicitly. Only the opening thread
            # runs statements on a connection, but `close` closes it from
            # the caller's thread, which the same-thread check forbids.
            connection = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        except sqlite3.OperationalError as error:
            raise DatabaseFileError(
                "store.cannot_open", path=str(self.path)
            ) from error
        # FULL makes each commit durable across a power loss, not only
        # across a crash of the process.
        connection.execute("PRAGMA synchronous = FULL")
        return connection

    def _prepare(self) -> None:
        """Check the file's schema, creating it in an empty file."""
        try:
            connection = self.connection()
            tables = _table_names(connection)
        except sqlite3.DatabaseError as error:
            self.close()
            raise DatabaseFileError(
                "store.not_a_database", path=str(self.path)
            ) from error
        try:
            if tables and self.check_integrity:
                self._check_integrity(connection)
            # WAL persists in the file; it cannot change inside a
            # transaction, so it is set before the schema check.
            if not tables:
                connection.execute("PRAGMA journal_mode = WAL")
            with self.transaction():
                tables = _table_names(connection)
                if not tables:
                    for statement in _SCHEMA:
                        connection.execute(statement)
                    connection.execute(
                        "INSERT INTO portail_schema VALUES (?, ?)",
                        (APPLICATION, SCHEMA_VERSION),
                    )
                    return
                self._check_schema(connection, tables)
        except sqlite3.DatabaseError as error:
            self.close()
            raise DatabaseFileError(
                "store.not_a_database", path=str(self.path)
            ) from error
        except DatabaseFileError:
            self.close()
            raise

    def _check_integrity(self, connection: sqlite3.Connection) -> None:
        """Refuse a damaged file before anything is written to it.

        ``PRAGMA quick_check`` reads every page without writing; its time
        grows with the file's size.
        """
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as error:
            raise DatabaseFileError(
                "store.corrupt_database", path=str(self.path)
            ) from error
        if rows != [("ok",)]:
            logger.error("SQLite integrity check failed: %s", rows[:5])
            raise DatabaseFileError(
                "store.corrupt_database", path=str(self.path)
            )

    def _check_schema(
        self, connection: sqlite3.Connection, tables: set[str]
    ) -> None:
        if "portail_schema" not in tables:
            raise DatabaseFileError(
                "store.foreign_database", path=str(self.path)
            )
        row = connection.execute(
            "SELECT application, version FROM portail_schema"
        ).fetchone()
        if row is None or row[0] != APPLICATION:
            raise DatabaseFileError(
                "store.foreign_database", path=str(self.path)
            )
        if row[1] > SCHEMA_VERSION:
            raise DatabaseFileError(
                "store.newer_schema",
                path=str(self.path),
                found=row[1],
                supported=SCHEMA_VERSION,
            )


def _create_private(path: Path) -> None:
    """Create `path` empty with mode 0600, unless it exists.

    SQLite gives its WAL and shared-memory files the same mode.
    """
    if str(path) == ":memory:":
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (FileExistsError, FileNotFoundError, NotADirectoryError):
        # An existing file keeps its mode; a missing folder is reported
        # when SQLite tries to open the file.
        return
    os.close(descriptor)


def _table_names(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
    ).fetchall()
    return {row[0] for row in rows}


# SQLite's result codes for a database another connection holds.
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def _unavailable(error: sqlite3.Error) -> StoreError:
    # Statements bind their values as parameters, so SQLite's message
    # names tables and columns, never a parent's data.
    if getattr(error, "sqlite_errorcode", None) in _BUSY_CODES:
        logger.warning("SQLite store busy: %s", error)
        return StoreError("store.unavailable")
    logger.error("SQLite store failed: %s", error)
    return StoreError("store.failed")


class SQLiteFlowStore:
    """Flows in the ``flows`` table of a `SQLiteDatabase`."""

    def __init__(self, database: SQLiteDatabase) -> None:
        self._database = database

    def get(self, purpose: FlowPurpose, email_key: str) -> SignupFlow | None:
        """Return the flow for `purpose` and email key, or None."""
        row = self._database.fetch_one(
            "SELECT snapshot, version FROM flows "
            "WHERE purpose = ? AND email_key = ?",
            (purpose.value, email_key),
        )
        return None if row is None else _flow(row)

    def get_by_id(self, flow_id: str) -> SignupFlow | None:
        """Return the flow with `flow_id`, or None."""
        row = self._database.fetch_one(
            "SELECT snapshot, version FROM flows WHERE flow_id = ?",
            (flow_id,),
        )
        return None if row is None else _flow(row)

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        """Store `flow` if the stored version is `expected_version`.

        Raises:
            ConflictError: the stored version differs, or a new flow's
                purpose and email already have a flow.
            StoreError: the database stayed locked or failed.
        """
        new_version = expected_version + 1
        values = (
            flow.purpose.value,
            flow.email.key,
            new_version,
            _microseconds(flow.retain_until),
            flow_to_json(flow),
            flow.flow_id,
        )
        connection = self._database.connection()
        try:
            if expected_version == 0:
                connection.execute(
                    "INSERT INTO flows (purpose, email_key, version, "
                    "retain_until, snapshot, flow_id) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    values,
                )
            else:
                cursor = connection.execute(
                    "UPDATE flows SET purpose = ?, email_key = ?, "
                    "version = ?, retain_until = ?, snapshot = ? "
                    "WHERE flow_id = ? AND version = ?",
                    (*values, expected_version),
                )
                if cursor.rowcount != 1:
                    raise ConflictError()
        except sqlite3.IntegrityError:
            raise ConflictError() from None
        except sqlite3.DatabaseError as error:
            raise _unavailable(error) from error
        return _with_version(flow, new_version)

    def purge_expired(self, now: datetime) -> int:
        """Delete flows whose `retain_until` is before `now`; return how
        many were deleted."""
        try:
            cursor = self._database.connection().execute(
                "DELETE FROM flows WHERE retain_until < ?",
                (_microseconds(now),),
            )
        except sqlite3.DatabaseError as error:
            raise _unavailable(error) from error
        return cursor.rowcount

    def __len__(self) -> int:
        row = self._database.fetch_one("SELECT count(*), 0 FROM flows", ())
        return int(row[0]) if row else 0


class SQLiteAccountStore:
    """Accounts in the ``accounts`` table of a `SQLiteDatabase`."""

    def __init__(self, database: SQLiteDatabase) -> None:
        self._database = database

    def get(self, account_id: str) -> Account | None:
        """Return the account with `account_id`, or None."""
        row = self._database.fetch_one(
            "SELECT snapshot, version FROM accounts WHERE account_id = ?",
            (account_id,),
        )
        return None if row is None else _account(row)

    def find_by_email(self, email_key: str) -> Account | None:
        """Return the account whose email has key `email_key`, or None."""
        row = self._database.fetch_one(
            "SELECT snapshot, version FROM accounts WHERE email_key = ?",
            (email_key,),
        )
        return None if row is None else _account(row)

    def add(self, account: Account) -> Account:
        """Store a new account at version 1.

        Raises:
            AccountExistsError: an account has the same email key or id.
            StoreError: the database stayed locked or failed.
        """
        try:
            self._database.connection().execute(
                "INSERT INTO accounts (account_id, email_key, version, "
                "snapshot) VALUES (?, ?, 1, ?)",
                (
                    account.account_id,
                    account.email.key,
                    account_to_json(account),
                ),
            )
        except sqlite3.IntegrityError:
            raise AccountExistsError() from None
        except sqlite3.DatabaseError as error:
            raise _unavailable(error) from error
        return _with_account_version(account, 1)

    def save(self, account: Account, *, expected_version: int) -> Account:
        """Store `account` if the stored version is `expected_version`.

        Raises:
            ConflictError: the stored version differs, the account does not
                exist, or the save would change its email.
            StoreError: the database stayed locked or failed.
        """
        new_version = expected_version + 1
        try:
            cursor = self._database.connection().execute(
                "UPDATE accounts SET version = ?, snapshot = ? "
                "WHERE account_id = ? AND version = ? AND email_key = ?",
                (
                    new_version,
                    account_to_json(account),
                    account.account_id,
                    expected_version,
                    account.email.key,
                ),
            )
        except sqlite3.DatabaseError as error:
            raise _unavailable(error) from error
        if cursor.rowcount != 1:
            raise ConflictError()
        return _with_account_version(account, new_version)

    def __len__(self) -> int:
        row = self._database.fetch_one("SELECT count(*), 0 FROM accounts", ())
        return int(row[0]) if row else 0


def _flow(row: tuple[str, int]) -> SignupFlow:
    try:
        return flow_from_json(row[0], version=row[1])
    except SnapshotError as error:
        raise StoreError("store.corrupt_record") from error


def _account(row: tuple[str, int]) -> Account:
    try:
        return account_from_json(row[0], version=row[1])
    except SnapshotError as error:
        raise StoreError("store.corrupt_record") from error


def _with_version(flow: SignupFlow, version: int) -> SignupFlow:
    return attrs.evolve(flow, version=version)


def _with_account_version(account: Account, version: int) -> Account:
    return attrs.evolve(account, version=version)
