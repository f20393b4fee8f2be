"""In-memory adapters: the reference implementation of every port.

Each adapter guards its state with a lock, so one instance can serve many
threads. Tests assert on what they recorded (`MemoryMailer.outbox`,
stored flows and accounts) rather than on mock calls.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterable
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

from portail_core._copy import replace
from portail_core._errors import (
    AccountExistsError,
    ConflictError,
    MailDeliveryError,
    PortailError,
)
from portail_core.signup import (
    Account,
    FlowPurpose,
    SignupFlow,
    StudentRecord,
)
from portail_core.values import (
    Email,
    PermanentCode,
    PersonName,
    RecordNumber,
)

_Shared = TypeVar("_Shared", str, date, PersonName)

ROSTER_COLUMNS = (
    "organization_code",
    "record_number",
    "permanent_code",
    "family_name",
    "given_names",
    "usual_given_name",
    "birth_date",
    "guardian_emails",
)
"""Required columns of a roster CSV file; ``student_id`` is optional."""


class MemoryFlowStore:
    """Flows in a dict, saved by compare-and-set under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[FlowPurpose, str], SignupFlow] = {}
        self._by_id: dict[str, SignupFlow] = {}

    def get(self, purpose: FlowPurpose, email_key: str) -> SignupFlow | None:
        """Return the flow for `purpose` and email key, or None."""
        with self._lock:
            return self._by_key.get((purpose, email_key))

    def get_by_id(self, flow_id: str) -> SignupFlow | None:
        """Return the flow with `flow_id`, or None."""
        with self._lock:
            return self._by_id.get(flow_id)

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        """Store `flow` if the stored version is `expected_version`.

        Raises:
            ConflictError: the stored version differs, or a new flow's
                purpose and email already have a flow.
        """
        key = (flow.purpose, flow.email.key)
        with self._lock:
            stored = self._by_id.get(flow.flow_id)
            if expected_version == 0:
                if stored is not None or key in self._by_key:
                    raise ConflictError()
            elif stored is None or stored.version != expected_version:
                raise ConflictError()
            saved = replace(flow, version=expected_version + 1)
            self._by_key[key] = saved
            self._by_id[flow.flow_id] = saved
            return saved

    def purge_expired(self, now: datetime) -> int:
        """Delete flows whose `retain_until` is before `now`."""
        with self._lock:
            expired = [
                flow
                for flow in self._by_id.values()
                if flow.retain_until < now
            ]
            for flow in expired:
                del self._by_id[flow.flow_id]
                del self._by_key[(flow.purpose, flow.email.key)]
            return len(expired)

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_id)


class MemoryAccountStore:
    """Accounts in a dict, unique by email key, saved by compare-and-set."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, Account] = {}
        self._id_by_email: dict[str, str] = {}

    def get(self, account_id: str) -> Account | None:
        """Return the account with `account_id`, or None."""
        with self._lock:
            return self._by_id.get(account_id)

    def find_by_email(self, email_key: str) -> Account | None:
        """Return the account whose email has key `email_key`, or None."""
        with self._lock:
            account_id = self._id_by_email.get(email_key)
            return None if account_id is None else self._by_id[account_id]

    def add(self, account: Account) -> Account:
        """Store a new account at version 1.

        Raises:
            AccountExistsError: an account has the same email key or id.
        """
        with self._lock:
            if (
                account.email.key in self._id_by_email
                or account.account_id in self._by_id
            ):
                raise AccountExistsError()
            saved = replace(account, version=1)
            self._by_id[account.account_id] = saved
            self._id_by_email[account.email.key] = account.account_id
            return saved

    def save(self, account: Account, *, expected_version: int) -> Account:
        """Store `account` if the stored version is `expected_version`.

        Raises:
            ConflictError: the stored version differs, the account does not
                exist, or the save would change its email.
        """
        with self._lock:
            stored = self._by_id.get(account.account_id)
            if (
                stored is None
                or stored.version != expected_version
                or stored.email.key != account.email.key
            ):
                raise ConflictError()
            saved = replace(account, version=expected_version + 1)
            self._by_id[account.account_id] = saved
            return saved

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_id)


class MemoryMailer:
    """Keeps sent messages in `outbox` instead of sending them.

    Set `failures` to a number of upcoming sends that should raise
    `MailDeliveryError`, to test how a caller handles a mail server that
    is down.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.outbox: list[EmailMessage] = []
        self.failures = 0

    def send(self, message: EmailMessage) -> None:
        """Record `message`, or raise if a failure is pending."""
        with self._lock:
            if self.failures > 0:
                self.failures -= 1
                raise MailDeliveryError("mail.delivery_failed")
            self.outbox.append(message)

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Return the recorded messages addressed to `address`, in order."""
        key = Email.parse(address).key
        with self._lock:
            return [
                message
                for message in self.outbox
                if Email.parse(str(message["To"])).key == key
            ]


class MemorySchoolRecords:
    """Student records indexed by organization and identifier.

    A roster may hold every student of several organizations, so records
    are kept compactly: organization codes, birth dates and names that
    repeat are stored once, and each index is a dict per organization
    keyed by the plain number or code. A stored record is equal to the
    one added, though it may not be the same object.
    """

    def __init__(self, records: Iterable[StudentRecord] = ()) -> None:
        self._lock = threading.Lock()
        self._by_record_number: dict[str, dict[int, StudentRecord]] = {}
        self._by_permanent_code: dict[str, dict[str, StudentRecord]] = {}
        # Each distinct organization code, birth date and name, mapped to
        # itself, so that equal values share one object.
        self._values: dict[object, object] = {}
        for record in records:
            self.add(record)

    @classmethod
    def from_csv(cls, text: str) -> MemorySchoolRecords:
        """Load records from CSV text with the `ROSTER_COLUMNS`.

        ``guardian_emails`` separates addresses with ``;``, and
        ``birth_date`` is ISO 8601. Without a ``student_id`` column, each
        student's id is its organization code and record number, which
        events and logs then carry; give opaque ids to keep record numbers
        out of them.

        Raises:
            ValueError: a column is missing or a row is invalid; the
                message gives the row's line number.
        """
        reader = csv.DictReader(io.StringIO(text))
        missing = set(ROSTER_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(
                "The roster lacks the columns: "
                + ", ".join(sorted(missing))
                + "."
            )
        records = []
        for row in reader:
            try:
                records.append(student_from_row(row))
            except ValueError as error:
                # The messages name the rule that failed, never the value,
                # which is a child's personal information.
                reason = (
                    error.code
                    if isinstance(error, PortailError)
                    else "birth_date is not YYYY-MM-DD"
                )
                raise ValueError(
                    f"Roster line {reader.line_num} is invalid: {reason}."
                ) from None
        return cls(records)

    @classmethod
    def from_path(cls, path: Path) -> MemorySchoolRecords:
        """Load records from a UTF-8 CSV file; see `from_csv`."""
        return cls.from_csv(path.read_text(encoding="utf-8-sig"))

    def add(self, record: StudentRecord) -> None:
        """Add or replace a student record."""
        with self._lock:
            record = replace(
                record,
                organization_code=self._shared(record.organization_code),
                family_name=self._shared_name(record.family_name),
                given_names=self._shared_name(record.given_names),
                usual_given_name=self._shared_name(record.usual_given_name),
                birth_date=self._shared(record.birth_date),
            )
            organization = record.organization_code
            self._by_record_number.setdefault(organization, {})[
                record.record_number.value
            ] = record
            self._by_permanent_code.setdefault(organization, {})[
                record.permanent_code.value
            ] = record

    def find_by_record_number(
        self, organization_code: str, record_number: RecordNumber
    ) -> StudentRecord | None:
        """Return the organization's student with this record number."""
        with self._lock:
            records = self._by_record_number.get(organization_code)
            return (
                None if records is None else records.get(record_number.value)
            )

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        """Return the organization's student with this permanent code."""
        with self._lock:
            records = self._by_permanent_code.get(organization_code)
            return (
                None if records is None else records.get(permanent_code.value)
            )

    def __len__(self) -> int:
        with self._lock:
            return sum(map(len, self._by_record_number.values()))

    def _shared(self, value: _Shared) -> _Shared:
        """Return the stored value equal to `value`, storing it if new."""
        return self._values.setdefault(value, value)  # type: ignore[return-value]

    def _shared_name(self, name: PersonName) -> PersonName:
        # Names compare by text alone; share only one with the same key.
        shared = self._shared(name)
        return shared if shared.key == name.key else name


def student_from_row(row: dict[str, str]) -> StudentRecord:
    """Build a student record from one roster CSV row.

    Raises:
        ValidationError: a field breaks its value's rules.
        ValueError: the birth date is not ISO 8601.
    """
    organization_code = row["organization_code"].strip()
    record_number = RecordNumber.parse(row["record_number"])
    student_id = (row.get("student_id") or "").strip() or (
        f"{organization_code}-{record_number}"
    )
    return StudentRecord(
        student_id=student_id,
        organization_code=organization_code,
        record_number=record_number,
        permanent_code=PermanentCode.parse(row["permanent_code"]),
        family_name=PersonName.parse(row["family_name"]),
        given_names=PersonName.parse(row["given_names"]),
        usual_given_name=PersonName.parse(row["usual_given_name"]),
        birth_date=date.fromisoformat(row["birth_date"].strip()),
        guardian_emails=tuple(
            Email.parse(address)
            for address in row["guardian_emails"].split(";")
            if address.strip()
        ),
    )


class MemoryOrganizations:
    """Subscribing organizations: all of them, or a given set."""

    def __init__(self, subscribed: Iterable[str] | None = None) -> None:
        self._subscribed = (
            None if subscribed is None else frozenset(subscribed)
        )

    def is_subscribed(self, organization_code: str) -> bool:
        """Return whether the organization offers the portal."""
        return (
            self._subscribed is None or organization_code in self._subscribed
        )
