"""Ready wiring of the service with the bundled adapters.

`in_memory` builds a complete service on the in-memory adapters, for
tests, demos and trying the library. Pass any adapter in to use it instead
of the in-memory one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import attrs

from portail_core._errors import Language
from portail_core.adapters.clock import SystemClock
from portail_core.adapters.memory import (
    MemoryAccountStore,
    MemoryFlowStore,
    MemoryMailer,
    MemoryOrganizations,
    MemorySchoolRecords,
)
from portail_core.adapters.scrypt import ScryptHasher
from portail_core.mail import MailTemplates
from portail_core.ports import (
    AccountStore,
    Clock,
    EventSink,
    FlowStore,
    Mailer,
    Organizations,
    PasswordHasher,
    SchoolRecords,
)
from portail_core.service import SignupService
from portail_core.signup import CodeSigner, SignupSettings, StudentRecord
from portail_core.values import PasswordPolicy


@attrs.frozen(kw_only=True)
class Wiring:
    """A service and the adapters it was built with."""

    service: SignupService
    flows: FlowStore
    accounts: AccountStore
    records: SchoolRecords
    organizations: Organizations
    mailer: Mailer
    hasher: PasswordHasher
    clock: Clock


def in_memory(
    *,
    roster: Iterable[StudentRecord] | SchoolRecords = (),
    subscribed: Iterable[str] | None = None,
    clock: Clock | None = None,
    keys: Iterable[bytes] | None = None,
    hasher: PasswordHasher | None = None,
    flows: FlowStore | None = None,
    accounts: AccountStore | None = None,
    mailer: Mailer | None = None,
    settings: SignupSettings | None = None,
    policy: PasswordPolicy | None = None,
    templates: MailTemplates | None = None,
    language: Language = "fr",
    events: EventSink | None = None,
) -> Wiring:
    """Build a service on in-memory adapters, replacing any given one.

    `roster` is either student records or a `SchoolRecords` adapter.
    `subscribed` lists subscribing organization codes (default: all).
    Without `keys`, a random HMAC key is made, so codes do not survive a
    restart. Without `clock`, the system clock is used.
    """
    records = (
        roster
        if isinstance(roster, SchoolRecords)
        else MemorySchoolRecords(roster)
    )
    signer = CodeSigner(
        tuple(keys) if keys is not None else (secrets.token_bytes(32),)
    )
    # "is None", not "or": an empty store has len() 0 and is falsy.
    flows = MemoryFlowStore() if flows is None else flows
    accounts = MemoryAccountStore() if accounts is None else accounts
    organizations = MemoryOrganizations(subscribed)
    mailer = MemoryMailer() if mailer is None else mailer
    hasher = ScryptHasher() if hasher is None else hasher
    clock = SystemClock() if clock is None else clock
    service = SignupService(
        flows=flows,
        accounts=accounts,
        records=records,
        organizations=organizations,
        mailer=mailer,
        hasher=hasher,
        clock=clock,
        signer=signer,
        settings=settings,
        policy=policy,
        templates=templates,
        language=language,
        events=events,
    )
    return Wiring(
        service=service,
        flows=flows,
        accounts=accounts,
        records=records,
        organizations=organizations,
        mailer=mailer,
        hasher=hasher,
        clock=clock,
    )
