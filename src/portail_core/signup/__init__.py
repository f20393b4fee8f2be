"""The sign-up rules: flows, codes, events, accounts and child linking."""

from portail_core.signup._account import Account, ChildLink, LinkAttempt
from portail_core.signup._codes import CodeSigner, generate_code
from portail_core.signup._events import (
    AccountCreated,
    ChildLinked,
    ChildLinkRejected,
    CodeRejected,
    CodeSent,
    EmailVerified,
    Event,
    FlowExpired,
    FlowLocked,
    NoticeSent,
    PasswordSet,
    ProviderLinked,
    RecoveryCompleted,
)
from portail_core.signup._flow import Challenge, SignupFlow, Step
from portail_core.signup._linking import (
    ChildClaim,
    ChildLinkRejectedError,
    InvalidClaimError,
    LinkFailure,
    LinkLimitError,
    OrganizationNotSubscribedError,
    PermanentCodeMismatchError,
    StudentRecord,
    check_claim,
)
from portail_core.signup._model import FlowPurpose, FlowState
from portail_core.signup._settings import SignupSettings

__all__ = [
    "Account",
    "AccountCreated",
    "Challenge",
    "ChildClaim",
    "ChildLink",
    "ChildLinkRejected",
    "ChildLinkRejectedError",
    "ChildLinked",
    "CodeRejected",
    "CodeSent",
    "CodeSigner",
    "EmailVerified",
    "Event",
    "FlowExpired",
    "FlowLocked",
    "FlowPurpose",
    "FlowState",
    "InvalidClaimError",
    "LinkAttempt",
    "LinkFailure",
    "LinkLimitError",
    "NoticeSent",
    "OrganizationNotSubscribedError",
    "PasswordSet",
    "PermanentCodeMismatchError",
    "ProviderLinked",
    "RecoveryCompleted",
    "SignupFlow",
    "SignupSettings",
    "Step",
    "StudentRecord",
    "check_claim",
    "generate_code",
]
