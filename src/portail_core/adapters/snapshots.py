"""JSON snapshots of flows and accounts, for stores that keep documents.

A snapshot is a JSON object with a ``format`` number, so a store can read
the snapshots of older versions. Times are ISO 8601 with their offset.
Secrets never appear: a flow keeps only the HMACs of its code and token,
and an account only its password hash.

`flow_to_json` and `account_to_json` return text; `flow_from_json` and
`account_from_json` rebuild the objects, with `version` taken from the
store's own column.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from portail_core.signup import (
    Account,
    Challenge,
    ChildLink,
    FlowPurpose,
    FlowState,
    LinkAttempt,
    SignupFlow,
)
from portail_core.values import Email

FORMAT = 1


class SnapshotError(ValueError):
    """A snapshot is not valid JSON of a format this version can read."""


def flow_to_json(flow: SignupFlow) -> str:
    """Return the JSON snapshot of `flow`, without its version."""
    challenge = flow.challenge
    data = {
        "format": FORMAT,
        "flow_id": flow.flow_id,
        "purpose": flow.purpose.value,
        "email": _email(flow.email),
        "state": flow.state.value,
        "created_at": flow.created_at.isoformat(),
        "updated_at": flow.updated_at.isoformat(),
        "retain_until": flow.retain_until.isoformat(),
        "challenge": None
        if challenge is None
        else {
            "digest": challenge.digest,
            "issued_at": challenge.issued_at.isoformat(),
            "expires_at": challenge.expires_at.isoformat(),
            "wrong_tries": challenge.wrong_tries,
            "decoy": challenge.decoy,
        },
        "code_requests": [time.isoformat() for time in flow.code_requests],
        "failed_tries": [time.isoformat() for time in flow.failed_tries],
        "locked_until": _time(flow.locked_until),
        "verified_at": _time(flow.verified_at),
        "token_digest": flow.token_digest,
        "provider": flow.provider,
        "account_id": flow.account_id,
        "children": list(flow.children),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def flow_from_json(text: str, *, version: int) -> SignupFlow:
    """Rebuild a flow from its snapshot, at `version`.

    Raises:
        SnapshotError: the text is not a snapshot this version can read.
    """
    data = _load(text)
    try:
        challenge_data = data["challenge"]
        challenge = (
            None
            if challenge_data is None
            else Challenge(
                digest=challenge_data["digest"],
                issued_at=_parse_time(challenge_data["issued_at"]),
                expires_at=_parse_time(challenge_data["expires_at"]),
                wrong_tries=int(challenge_data["wrong_tries"]),
                decoy=bool(challenge_data["decoy"]),
            )
        )
        return SignupFlow(
            flow_id=data["flow_id"],
            purpose=FlowPurpose(data["purpose"]),
            email=_parse_email(data["email"]),
            state=FlowState(data["state"]),
            created_at=_parse_time(data["created_at"]),
            updated_at=_parse_time(data["updated_at"]),
            retain_until=_parse_time(data["retain_until"]),
            challenge=challenge,
            code_requests=tuple(
                _parse_time(time) for time in data["code_requests"]
            ),
            failed_tries=tuple(
                _parse_time(time) for time in data["failed_tries"]
            ),
            locked_until=_parse_optional_time(data["locked_until"]),
            verified_at=_parse_optional_time(data["verified_at"]),
            token_digest=data["token_digest"],
            provider=data["provider"],
            account_id=data["account_id"],
            children=tuple(data["children"]),
            version=version,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"Invalid flow snapshot: {error!r}") from None


def account_to_json(account: Account) -> str:
    """Return the JSON snapshot of `account`, without its version."""
    data = {
        "format": FORMAT,
        "account_id": account.account_id,
        "email": _email(account.email),
        "created_at": account.created_at.isoformat(),
        "password_hash": account.password_hash,
        "providers": list(account.providers),
        "children": [
            {
                "student_id": link.student_id,
                "organization_code": link.organization_code,
                "linked_at": link.linked_at.isoformat(),
            }
            for link in account.children
        ],
        "link_attempts": [
            {"attempt_id": attempt.attempt_id, "at": attempt.at.isoformat()}
            for attempt in account.link_attempts
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def account_from_json(text: str, *, version: int) -> Account:
    """Rebuild an account from its snapshot, at `version`.

    Raises:
        SnapshotError: the text is not a snapshot this version can read.
    """
    data = _load(text)
    try:
        return Account(
            account_id=data["account_id"],
            email=_parse_email(data["email"]),
            created_at=_parse_time(data["created_at"]),
            password_hash=data["password_hash"],
            providers=tuple(data["providers"]),
            children=tuple(
                ChildLink(
                    student_id=link["student_id"],
                    organization_code=link["organization_code"],
                    linked_at=_parse_time(link["linked_at"]),
                )
                for link in data["children"]
            ),
            link_attempts=tuple(
                LinkAttempt(
                    attempt_id=attempt["attempt_id"],
                    at=_parse_time(attempt["at"]),
                )
                for attempt in data["link_attempts"]
            ),
            version=version,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"Invalid account snapshot: {error!r}") from None


def _load(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        raise SnapshotError("A snapshot is not valid JSON.") from None
    if not isinstance(data, dict):
        raise SnapshotError("A snapshot must be a JSON object.")
    if data.get("format") != FORMAT:
        raise SnapshotError(
            f"Snapshot format {data.get('format')!r} is not {FORMAT}; it was "
            "written by another version of portail-core."
        )
    return data


def _email(email: Email) -> dict[str, str]:
    return {"address": email.address, "key": email.key}


def _parse_email(data: dict[str, str]) -> Email:
    # The store wrote both forms after parsing, so they are trusted and not
    # validated again: that would cost an email-validator call per load.
    return Email(address=data["address"], key=data["key"])


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a stored time has no offset")
    return moment


def _parse_optional_time(text: str | None) -> datetime | None:
    return None if text is None else _parse_time(text)
