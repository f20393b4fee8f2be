"""Deliberately broken adapters, each run through its contract suite.

Each adapter breaks one rule of its port in a way real adapters do. The
``Test*`` classes here are not collected from this module:
`test_suites_can_fail` runs them in a separate pytest process and
compares the tests that fail with `EXPECTED_FAILURES`. The
``TestReference*`` classes run the same suites on the in-memory adapters,
which pass them all.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import attrs
from unidecode import unidecode

from portail_core import AccountExistsError, ConflictError, MailDeliveryError
from portail_core.adapters.memory import (
    MemoryAccountStore,
    MemoryFlowStore,
    MemoryMailer,
    MemoryOrganizations,
    MemorySchoolRecords,
)
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.ports import (
    AccountStore,
    FlowStore,
    Mailer,
    Organizations,
    PasswordHasher,
    SchoolRecords,
)
from portail_core.signup import (
    Account,
    FlowPurpose,
    FlowState,
    SignupFlow,
    StudentRecord,
)
from portail_core.testing.contracts import (
    AccountStoreContract,
    FlowStoreContract,
    MailerContract,
    OrganizationsContract,
    PasswordHasherContract,
    SchoolRecordsContract,
)
from portail_core.values import (
    Email,
    OrganizationDirectory,
    PermanentCode,
    RecordNumber,
)

# Long enough that every racing thread passes its check before the first
# one writes.
RACE_WINDOW_SECONDS = 0.005

MICROSECOND = timedelta(microseconds=1)


# Flow stores.


class UncheckedFlowStore(MemoryFlowStore):
    """Saves without comparing versions: the last writer wins."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        saved = attrs.evolve(flow, version=expected_version + 1)
        with self._lock:
            self._by_key[(flow.purpose, flow.email.key)] = saved
            self._by_id[flow.flow_id] = saved
        return saved


class RacyFlowStore(MemoryFlowStore):
    """Checks the version, then writes in a separate step."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        key = (flow.purpose, flow.email.key)
        with self._lock:
            stored = self._by_id.get(flow.flow_id)
            taken = key in self._by_key
        if expected_version == 0 and (stored is not None or taken):
            raise ConflictError()
        if expected_version != 0 and (
            stored is None or stored.version != expected_version
        ):
            raise ConflictError()
        time.sleep(RACE_WINDOW_SECONDS)
        saved = attrs.evolve(flow, version=expected_version + 1)
        with self._lock:
            self._by_key[key] = saved
            self._by_id[flow.flow_id] = saved
        return saved


class FlowVersionFlowStore(MemoryFlowStore):
    """Numbers versions from the flow's own version field."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        saved = super().save(flow, expected_version=expected_version)
        fixed = attrs.evolve(saved, version=flow.version + 1)
        with self._lock:
            self._by_key[(flow.purpose, flow.email.key)] = fixed
            self._by_id[flow.flow_id] = fixed
        return fixed


class WallClockFlowStore(MemoryFlowStore):
    """Keeps times as wall-clock readings and reads them back as UTC, as
    a ``timestamp without time zone`` column does."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        return super().save(
            _map_times(flow, _wall_clock_as_utc),
            expected_version=expected_version,
        )


class MillisecondFlowStore(MemoryFlowStore):
    """Keeps times to the millisecond, as some document stores do."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        return super().save(
            _map_times(flow, _to_millisecond),
            expected_version=expected_version,
        )


class KeyOnlyFlowStore(MemoryFlowStore):
    """Keeps an email's key but not the address as typed."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        email = Email(address=flow.email.key, key=flow.email.key)
        return super().save(
            attrs.evolve(flow, email=email), expected_version=expected_version
        )


class FieldDroppingFlowStore(MemoryFlowStore):
    """Does not store a flow's children or provider."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        return super().save(
            attrs.evolve(flow, children=(), provider=None),
            expected_version=expected_version,
        )


class UnversionedReturnFlowStore(MemoryFlowStore):
    """Returns the flow it was given rather than the saved one."""

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        super().save(flow, expected_version=expected_version)
        return flow


class PurposeBlindFlowStore(MemoryFlowStore):
    """Finds flows by email key alone, whatever their purpose."""

    def get(self, purpose: FlowPurpose, email_key: str) -> SignupFlow | None:
        with self._lock:
            for flow in self._by_id.values():
                if flow.email.key == email_key:
                    return flow
        return None


class BlankRecordFlowStore(MemoryFlowStore):
    """Returns a blank flow for an unknown id, as get-or-create does."""

    def get_by_id(self, flow_id: str) -> SignupFlow | None:
        found = super().get_by_id(flow_id)
        if found is not None:
            return found
        return attrs.evolve(_placeholder_flow(), flow_id=flow_id)


class InclusivePurgeFlowStore(MemoryFlowStore):
    """Deletes flows whose retain_until is now or before."""

    def purge_expired(self, now: datetime) -> int:
        return super().purge_expired(now + MICROSECOND)


class TextPurgeFlowStore(MemoryFlowStore):
    """Compares retain_until with now as ISO 8601 text."""

    def purge_expired(self, now: datetime) -> int:
        with self._lock:
            expired = [
                flow
                for flow in self._by_id.values()
                if flow.retain_until.isoformat() < now.isoformat()
            ]
            for flow in expired:
                del self._by_id[flow.flow_id]
                del self._by_key[(flow.purpose, flow.email.key)]
            return len(expired)


class MiscountingPurgeFlowStore(MemoryFlowStore):
    """Returns how many flows remain instead of how many it deleted."""

    def purge_expired(self, now: datetime) -> int:
        super().purge_expired(now)
        return len(self)


class IndexLeakingPurgeFlowStore(MemoryFlowStore):
    """Deletes expired flows by id but leaves them in the email index."""

    def purge_expired(self, now: datetime) -> int:
        with self._lock:
            expired = [
                flow
                for flow in self._by_id.values()
                if flow.retain_until < now
            ]
            for flow in expired:
                del self._by_id[flow.flow_id]
            return len(expired)


class FirstRetentionFlowStore(MemoryFlowStore):
    """Purges by the retain_until of a flow's first save."""

    def __init__(self) -> None:
        super().__init__()
        self._first_retention: dict[str, datetime] = {}

    def save(self, flow: SignupFlow, *, expected_version: int) -> SignupFlow:
        saved = super().save(flow, expected_version=expected_version)
        self._first_retention.setdefault(flow.flow_id, flow.retain_until)
        return saved

    def purge_expired(self, now: datetime) -> int:
        with self._lock:
            expired = [
                flow
                for flow in self._by_id.values()
                if self._first_retention[flow.flow_id] < now
            ]
            for flow in expired:
                del self._by_id[flow.flow_id]
                del self._by_key[(flow.purpose, flow.email.key)]
            return len(expired)


# Account stores.


class UncheckedAccountStore(MemoryAccountStore):
    """Saves without comparing versions or checking that the account
    exists."""

    def save(self, account: Account, *, expected_version: int) -> Account:
        saved = attrs.evolve(account, version=expected_version + 1)
        with self._lock:
            self._by_id[account.account_id] = saved
            self._id_by_email[account.email.key] = account.account_id
        return saved


class RacyAccountStore(MemoryAccountStore):
    """Checks, then writes in a separate step, on add and on save."""

    def add(self, account: Account) -> Account:
        with self._lock:
            taken = (
                account.email.key in self._id_by_email
                or account.account_id in self._by_id
            )
        if taken:
            raise AccountExistsError()
        time.sleep(RACE_WINDOW_SECONDS)
        saved = attrs.evolve(account, version=1)
        with self._lock:
            self._by_id[account.account_id] = saved
            self._id_by_email[account.email.key] = account.account_id
        return saved

    def save(self, account: Account, *, expected_version: int) -> Account:
        stored = self.get(account.account_id)
        if (
            stored is None
            or stored.version != expected_version
            or stored.email.key != account.email.key
        ):
            raise ConflictError()
        time.sleep(RACE_WINDOW_SECONDS)
        saved = attrs.evolve(account, version=expected_version + 1)
        with self._lock:
            self._by_id[account.account_id] = saved
        return saved


class DuplicateEmailAccountStore(MemoryAccountStore):
    """Adds an account even when its email key is taken."""

    def add(self, account: Account) -> Account:
        saved = attrs.evolve(account, version=1)
        with self._lock:
            if account.account_id in self._by_id:
                raise AccountExistsError()
            self._by_id[account.account_id] = saved
            self._id_by_email[account.email.key] = account.account_id
        return saved


class OverwritingAccountStore(MemoryAccountStore):
    """Adds an account over an existing one with the same id."""

    def add(self, account: Account) -> Account:
        saved = attrs.evolve(account, version=1)
        with self._lock:
            if account.email.key in self._id_by_email:
                raise AccountExistsError()
            self._by_id[account.account_id] = saved
            self._id_by_email[account.email.key] = account.account_id
        return saved


class EmailChangingAccountStore(MemoryAccountStore):
    """Lets a save move an account to another email."""

    def save(self, account: Account, *, expected_version: int) -> Account:
        with self._lock:
            stored = self._by_id.get(account.account_id)
            if stored is None or stored.version != expected_version:
                raise ConflictError()
            saved = attrs.evolve(account, version=expected_version + 1)
            del self._id_by_email[stored.email.key]
            self._id_by_email[account.email.key] = account.account_id
            self._by_id[account.account_id] = saved
            return saved


class AccountVersionAccountStore(MemoryAccountStore):
    """Numbers versions from the account's own version field."""

    def add(self, account: Account) -> Account:
        added = super().add(account)
        return self._renumber(added, account.version + 1)

    def save(self, account: Account, *, expected_version: int) -> Account:
        saved = super().save(account, expected_version=expected_version)
        return self._renumber(saved, account.version + 1)

    def _renumber(self, account: Account, version: int) -> Account:
        renumbered = attrs.evolve(account, version=version)
        with self._lock:
            self._by_id[account.account_id] = renumbered
        return renumbered


class FieldDroppingAccountStore(MemoryAccountStore):
    """Does not store providers or link attempts."""

    def add(self, account: Account) -> Account:
        return super().add(_without_extras(account))

    def save(self, account: Account, *, expected_version: int) -> Account:
        return super().save(
            _without_extras(account), expected_version=expected_version
        )


class BlankRecordAccountStore(MemoryAccountStore):
    """Returns a blank account for an unknown id, as get-or-create does."""

    def get(self, account_id: str) -> Account | None:
        found = super().get(account_id)
        if found is not None:
            return found
        return Account(
            account_id=account_id,
            email=Email.parse("inconnu@courriel.example"),
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )


# Mailers.


class DroppingMailer(MemoryMailer):
    """Accepts every message and delivers none."""

    def send(self, message: EmailMessage) -> None:
        return None


def _plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


class HeaderDroppingMailer(MemoryMailer):
    """Rebuilds each message from its addresses, subject and body only."""

    def send(self, message: EmailMessage) -> None:
        rebuilt = EmailMessage()
        for name in ("From", "To", "Subject"):
            rebuilt[name] = str(message[name])
        rebuilt.set_content(_plain_text(message))
        super().send(rebuilt)


class AsciiMailer(MemoryMailer):
    """Replaces every character outside ASCII in the body."""

    def send(self, message: EmailMessage) -> None:
        rebuilt = EmailMessage()
        for name, value in message.items():
            # The MIME headers come back with the new, single-part body.
            if name.lower() != "mime-version" and not name.lower().startswith(
                "content-"
            ):
                rebuilt[name] = value
        content = _plain_text(message)
        rebuilt.set_content(content.encode("ascii", "replace").decode())
        super().send(rebuilt)


class AsciiOnlyRecipientMailer(MemoryMailer):
    """Fails for an address outside ASCII, as a relay without SMTPUTF8
    does."""

    def send(self, message: EmailMessage) -> None:
        if not str(message["To"]).isascii():
            raise MailDeliveryError("mail.delivery_failed")
        super().send(message)


class NewestFirstMailer(MemoryMailer):
    """Delivers each message ahead of the earlier ones."""

    def send(self, message: EmailMessage) -> None:
        with self._lock:
            self.outbox.insert(0, message)


class RacyMailer(MemoryMailer):
    """Appends to its outbox by copying it, without a lock."""

    def send(self, message: EmailMessage) -> None:
        outbox = list(self.outbox)
        time.sleep(RACE_WINDOW_SECONDS)
        self.outbox = [*outbox, message]


class OSErrorMailer(MemoryMailer):
    """Lets the socket error of a failed send escape."""

    def send(self, message: EmailMessage) -> None:
        raise ConnectionRefusedError(111, "Connection refused")


# School records.


class OrganizationBlindRecords(MemorySchoolRecords):
    """Finds students in every organization, whichever is named."""

    def find_by_record_number(
        self, organization_code: str, record_number: RecordNumber
    ) -> StudentRecord | None:
        for record in self._all():
            if record.record_number == record_number:
                return record
        return None

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        for record in self._all():
            if record.permanent_code == permanent_code:
                return record
        return None

    def _all(self) -> list[StudentRecord]:
        with self._lock:
            return [
                record
                for records in self._by_record_number.values()
                for record in records.values()
            ]


class SubstringRecords(MemorySchoolRecords):
    """Matches codes and record numbers as substrings, as a careless SQL
    ``LIKE`` does."""

    def find_by_record_number(
        self, organization_code: str, record_number: RecordNumber
    ) -> StudentRecord | None:
        requested = str(record_number.value)
        for record in self._all():
            stored = str(record.record_number.value)
            if _overlaps(organization_code, record.organization_code) and (
                requested in stored or stored in requested
            ):
                return record
        return None

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        for record in self._all():
            if (
                _overlaps(organization_code, record.organization_code)
                and record.permanent_code == permanent_code
            ):
                return record
        return None

    def _all(self) -> list[StudentRecord]:
        with self._lock:
            return [
                record
                for records in self._by_record_number.values()
                for record in records.values()
            ]


class SerialBlindRecords(MemorySchoolRecords):
    """Compares permanent codes without their letters or last digits."""

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        with self._lock:
            records = [
                record
                for by_code in self._by_permanent_code.values()
                for record in by_code.values()
            ]
        for record in records:
            if (
                record.organization_code == organization_code
                and record.permanent_code.value[4:10]
                == permanent_code.value[4:10]
            ):
                return record
        return None


class FallbackRecords(MemorySchoolRecords):
    """Returns the organization's first student for an unknown permanent
    code, as a query that lost its ``WHERE`` clause does."""

    def find_by_permanent_code(
        self, organization_code: str, permanent_code: PermanentCode
    ) -> StudentRecord | None:
        found = super().find_by_permanent_code(
            organization_code, permanent_code
        )
        if found is not None:
            return found
        with self._lock:
            records = self._by_permanent_code.get(organization_code, {})
            return next(iter(records.values()), None)


class GuardianDroppingRecords(MemorySchoolRecords):
    """Keeps only each student's first guardian email."""

    def add(self, record: StudentRecord) -> None:
        super().add(
            attrs.evolve(record, guardian_emails=record.guardian_emails[:1])
        )


# Organizations.


class EveryOrganization(MemoryOrganizations):
    """Treats every organization as subscribed."""

    def __init__(self, subscribed: Collection[str] | None = None) -> None:
        super().__init__(None)


class EmptyMeansAllOrganizations(MemoryOrganizations):
    """Reads an empty list of codes as "every organization"."""

    def __init__(self, subscribed: Collection[str]) -> None:
        super().__init__(subscribed or None)


class FailOpenOrganizations(MemoryOrganizations):
    """Treats a code missing from the directory as subscribed."""

    def is_subscribed(self, organization_code: str) -> bool:
        directory = OrganizationDirectory.bundled()
        known = {item.code for item in directory.organizations}
        return organization_code not in known or super().is_subscribed(
            organization_code
        )


class CountingOrganizations(MemoryOrganizations):
    """Returns a count of matching rows instead of a bool."""

    def is_subscribed(self, organization_code: str) -> bool:
        return int(super().is_subscribed(organization_code))  # type: ignore[return-value]


# Password hashers.


class UnsaltedHasher:
    """Hashes with SHA-256 and no salt."""

    def hash(self, password: str) -> str:
        return "sha256$" + hashlib.sha256(password.encode()).hexdigest()

    def verify(self, password: str, encoded: str) -> bool:
        return self.hash(password) == encoded


class PlainTextHasher:
    """Stores the password as it is."""

    def hash(self, password: str) -> str:
        return f"plain${time.monotonic_ns()}${password}"

    def verify(self, password: str, encoded: str) -> bool:
        return encoded.rpartition("$")[2] == password and encoded != password


class TransformingHasher:
    """Hashes a transformed password with scrypt, as hashers do that
    fold case or accents, encode to Latin-1, strip spaces, or keep only
    the first bytes."""

    def __init__(self, transform: str) -> None:
        self._transform = transform
        self._scrypt = ScryptHasher(log2_n=1, r=1)

    def hash(self, password: str) -> str:
        return self._scrypt.hash(self._prepare(password))

    def verify(self, password: str, encoded: str) -> bool:
        return self._scrypt.verify(self._prepare(password), encoded)

    def _prepare(self, password: str) -> str:
        if self._transform == "fold":
            return unidecode(password).lower()
        if self._transform == "latin-1":
            return password.encode("latin-1", "replace").decode("latin-1")
        if self._transform == "strict-latin-1":
            return password.encode("latin-1").decode("latin-1")
        if self._transform == "strip":
            return password.strip()
        if self._transform == "72-bytes":
            return password.encode()[:72].decode(errors="ignore")
        if self._transform == "8-bytes":
            return password.encode()[:8].decode(errors="ignore")
        raise ValueError(self._transform)


class EmptyPasswordHasher(ScryptHasher):
    """Accepts an empty password, mistaking it for "no password set"."""

    def verify(self, password: str, encoded: str) -> bool:
        if not password:
            return True
        return super().verify(password, encoded)


class RaisingHasher(ScryptHasher):
    """Lets a base64 padding error escape from verify."""

    def verify(self, password: str, encoded: str) -> bool:
        if encoded.startswith("$scrypt$") and encoded.count("$") == 4:
            base64.b64decode(encoded.rpartition("$")[2])
        return super().verify(password, encoded)


class TruthyHasher(ScryptHasher):
    """Returns 1 or 0 instead of True or False."""

    def verify(self, password: str, encoded: str) -> bool:
        return int(super().verify(password, encoded))  # type: ignore[return-value]


# Helpers.


def _wall_clock_as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _to_millisecond(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _map_times(
    flow: SignupFlow, convert: Callable[[datetime], datetime]
) -> SignupFlow:
    def optional(moment: datetime | None) -> datetime | None:
        return None if moment is None else convert(moment)

    challenge = flow.challenge
    if challenge is not None:
        challenge = attrs.evolve(
            challenge,
            issued_at=convert(challenge.issued_at),
            expires_at=convert(challenge.expires_at),
        )
    return attrs.evolve(
        flow,
        created_at=convert(flow.created_at),
        updated_at=convert(flow.updated_at),
        retain_until=convert(flow.retain_until),
        challenge=challenge,
        code_requests=tuple(convert(item) for item in flow.code_requests),
        locked_until=optional(flow.locked_until),
        verified_at=optional(flow.verified_at),
    )


def _placeholder_flow() -> SignupFlow:
    return SignupFlow(
        flow_id="",
        purpose=FlowPurpose.SIGNUP,
        email=Email.parse("inconnu@courriel.example"),
        state=FlowState.EXPIRED,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        retain_until=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _without_extras(account: Account) -> Account:
    return attrs.evolve(account, providers=(), link_attempts=())


def _overlaps(requested: str, stored: str) -> bool:
    return requested in stored or stored in requested


# The suites, run on the reference adapters and on each broken one.


def flow_store_case(store: Callable[[], FlowStore]) -> type:
    """Return a flow store suite that tests the stores `store` makes."""

    class Case(FlowStoreContract):
        def make_flow_store(self) -> FlowStore:
            return store()

    return Case


def account_store_case(store: Callable[[], AccountStore]) -> type:
    """Return an account store suite that tests the stores `store`
    makes."""

    class Case(AccountStoreContract):
        def make_account_store(self) -> AccountStore:
            return store()

    return Case


def _failing_memory_mailer() -> Mailer:
    mailer = MemoryMailer()
    mailer.failures = 1
    return mailer


def mailer_case(
    mailer: Callable[[], MemoryMailer],
    failing: Callable[[], Mailer] = _failing_memory_mailer,
) -> type:
    """Return a mailer suite that tests the mailers `mailer` makes, and
    the failing ones `failing` makes."""

    class Case(MailerContract):
        def make_mailer(self) -> Mailer:
            return mailer()

        def delivered(self, mailer: Mailer) -> Sequence[EmailMessage]:
            assert isinstance(mailer, MemoryMailer)
            return mailer.outbox

        def make_failing_mailer(self) -> Mailer:
            return failing()

    return Case


def records_case(
    records: Callable[[Sequence[StudentRecord]], SchoolRecords],
) -> type:
    """Return a school records suite that tests what `records` builds."""

    class Case(SchoolRecordsContract):
        def make_school_records(
            self, roster: Sequence[StudentRecord]
        ) -> SchoolRecords:
            return records(roster)

    return Case


def organizations_case(
    organizations: Callable[[Collection[str]], Organizations],
) -> type:
    """Return an organizations suite that tests what `organizations`
    builds."""

    class Case(OrganizationsContract):
        def make_organizations(
            self, subscribed: Collection[str]
        ) -> Organizations:
            return organizations(subscribed)

    return Case


def hasher_case(hasher: Callable[[], PasswordHasher]) -> type:
    """Return a password hasher suite that tests the hashers `hasher`
    makes."""

    class Case(PasswordHasherContract):
        def make_password_hasher(self) -> PasswordHasher:
            return hasher()

    return Case


def _cheap_scrypt() -> PasswordHasher:
    return ScryptHasher(log2_n=1, r=1)


TestReferenceFlowStore = flow_store_case(MemoryFlowStore)
TestUncheckedFlowStore = flow_store_case(UncheckedFlowStore)
TestRacyFlowStore = flow_store_case(RacyFlowStore)
TestFlowVersionFlowStore = flow_store_case(FlowVersionFlowStore)
TestWallClockFlowStore = flow_store_case(WallClockFlowStore)
TestMillisecondFlowStore = flow_store_case(MillisecondFlowStore)
TestKeyOnlyFlowStore = flow_store_case(KeyOnlyFlowStore)
TestFieldDroppingFlowStore = flow_store_case(FieldDroppingFlowStore)
TestUnversionedReturnFlowStore = flow_store_case(UnversionedReturnFlowStore)
TestPurposeBlindFlowStore = flow_store_case(PurposeBlindFlowStore)
TestBlankRecordFlowStore = flow_store_case(BlankRecordFlowStore)
TestInclusivePurgeFlowStore = flow_store_case(InclusivePurgeFlowStore)
TestTextPurgeFlowStore = flow_store_case(TextPurgeFlowStore)
TestMiscountingPurgeFlowStore = flow_store_case(MiscountingPurgeFlowStore)
TestIndexLeakingPurgeFlowStore = flow_store_case(IndexLeakingPurgeFlowStore)
TestFirstRetentionFlowStore = flow_store_case(FirstRetentionFlowStore)

TestReferenceAccountStore = account_store_case(MemoryAccountStore)
TestUncheckedAccountStore = account_store_case(UncheckedAccountStore)
TestRacyAccountStore = account_store_case(RacyAccountStore)
TestDuplicateEmailAccountStore = account_store_case(DuplicateEmailAccountStore)
TestOverwritingAccountStore = account_store_case(OverwritingAccountStore)
TestEmailChangingAccountStore = account_store_case(EmailChangingAccountStore)
TestAccountVersionAccountStore = account_store_case(AccountVersionAccountStore)
TestFieldDroppingAccountStore = account_store_case(FieldDroppingAccountStore)
TestBlankRecordAccountStore = account_store_case(BlankRecordAccountStore)

TestReferenceMailer = mailer_case(MemoryMailer)
TestDroppingMailer = mailer_case(DroppingMailer)
TestHeaderDroppingMailer = mailer_case(HeaderDroppingMailer)
TestAsciiMailer = mailer_case(AsciiMailer)
TestAsciiOnlyRecipientMailer = mailer_case(AsciiOnlyRecipientMailer)
TestNewestFirstMailer = mailer_case(NewestFirstMailer)
TestRacyMailer = mailer_case(RacyMailer)
TestOSErrorMailer = mailer_case(MemoryMailer, failing=OSErrorMailer)

TestReferenceSchoolRecords = records_case(MemorySchoolRecords)
TestOrganizationBlindRecords = records_case(OrganizationBlindRecords)
TestSubstringRecords = records_case(SubstringRecords)
TestSerialBlindRecords = records_case(SerialBlindRecords)
TestFallbackRecords = records_case(FallbackRecords)
TestGuardianDroppingRecords = records_case(GuardianDroppingRecords)

TestReferenceOrganizations = organizations_case(MemoryOrganizations)
TestEveryOrganization = organizations_case(EveryOrganization)
TestEmptyMeansAllOrganizations = organizations_case(EmptyMeansAllOrganizations)
TestFailOpenOrganizations = organizations_case(FailOpenOrganizations)
TestCountingOrganizations = organizations_case(CountingOrganizations)

TestReferenceHasher = hasher_case(_cheap_scrypt)
TestUnsaltedHasher = hasher_case(UnsaltedHasher)
TestPlainTextHasher = hasher_case(PlainTextHasher)
TestFoldingHasher = hasher_case(lambda: TransformingHasher("fold"))
TestLatin1Hasher = hasher_case(lambda: TransformingHasher("latin-1"))
TestStrictLatin1Hasher = hasher_case(
    lambda: TransformingHasher("strict-latin-1")
)
TestStrippingHasher = hasher_case(lambda: TransformingHasher("strip"))
TestBcryptLengthHasher = hasher_case(lambda: TransformingHasher("72-bytes"))
TestDesLengthHasher = hasher_case(lambda: TransformingHasher("8-bytes"))
TestEmptyPasswordHasher = hasher_case(
    lambda: EmptyPasswordHasher(log2_n=1, r=1)
)
TestRaisingHasher = hasher_case(lambda: RaisingHasher(log2_n=1, r=1))
TestTruthyHasher = hasher_case(lambda: TruthyHasher(log2_n=1, r=1))
