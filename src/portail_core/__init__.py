"""Account creation rules of a Quebec school parent portal.

A parent signs up with the email the school has on file, verifies it with
a code sent by email, sets a password, then links each child by naming
the school organization and giving the child's birth date, full names,
and record number or permanent code.

The public API lives here; adapters live in `portail_core.adapters`,
ready wiring in `portail_core.compose`, and test helpers in
`portail_core.testing`.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from portail_core._version import __version__

# A library leaves log output to the application: without this handler,
# Python would print the library's warnings on stderr when the application
# configured no logging.
logging.getLogger("portail_core").addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from portail_core._errors import (
        AccountExistsError,
        AccountNotFoundError,
        AlreadyVerifiedError,
        CodeExpiredError,
        CodeRejectedError,
        ConflictError,
        FlowError,
        FlowLockedError,
        InvalidBirthDateError,
        InvalidEmailError,
        InvalidNameError,
        InvalidPasswordError,
        InvalidPermanentCodeError,
        InvalidRecordNumberError,
        InvalidTokenError,
        InvalidTransitionError,
        Language,
        MailDeliveryError,
        MalformedCodeError,
        PortailError,
        Problem,
        ResendTooSoonError,
        RetryLaterError,
        StoreError,
        TooManyCodesError,
        UnknownOrganizationError,
        ValidationError,
    )
    from portail_core.service import (
        CodeRequest,
        LinkOutcome,
        LinkResult,
        ProviderAssertion,
        SignupService,
        SocialOutcome,
        SocialSignIn,
        Verification,
    )
    from portail_core.signup import (
        Account,
        ChildClaim,
        ChildLink,
        ChildLinkRejectedError,
        CodeSigner,
        Event,
        FlowPurpose,
        FlowState,
        InvalidClaimError,
        LinkFailure,
        LinkLimitError,
        OrganizationNotSubscribedError,
        PermanentCodeMismatchError,
        SignupFlow,
        SignupSettings,
        Step,
        StudentRecord,
    )
    from portail_core.values import (
        AgeRange,
        BirthDate,
        DateOrder,
        Email,
        OrganizationDirectory,
        Password,
        PasswordPolicy,
        PermanentCode,
        PersonName,
        RecordNumber,
        SchoolOrganization,
    )

# Importing portail_core loads none of its modules: each public name is
# imported from its module the first time it is used (PEP 562), so that a
# program pays only for the parts it uses. The names are listed three
# times, for type checkers above, here, and in __all__, which linters need
# as a literal list; tests/test_public_api.py checks that the lists agree.
# Modules are named relative to this package.
_MODULES = {
    "_errors": (
        "AccountExistsError",
        "AccountNotFoundError",
        "AlreadyVerifiedError",
        "CodeExpiredError",
        "CodeRejectedError",
        "ConflictError",
        "FlowError",
        "FlowLockedError",
        "InvalidBirthDateError",
        "InvalidEmailError",
        "InvalidNameError",
        "InvalidPasswordError",
        "InvalidPermanentCodeError",
        "InvalidRecordNumberError",
        "InvalidTokenError",
        "InvalidTransitionError",
        "Language",
        "MailDeliveryError",
        "MalformedCodeError",
        "PortailError",
        "Problem",
        "ResendTooSoonError",
        "RetryLaterError",
        "StoreError",
        "TooManyCodesError",
        "UnknownOrganizationError",
        "ValidationError",
    ),
    "service": (
        "CodeRequest",
        "LinkOutcome",
        "LinkResult",
        "ProviderAssertion",
        "SignupService",
        "SocialOutcome",
        "SocialSignIn",
        "Verification",
    ),
    "signup": (
        "Account",
        "ChildClaim",
        "ChildLink",
        "ChildLinkRejectedError",
        "CodeSigner",
        "Event",
        "FlowPurpose",
        "FlowState",
        "InvalidClaimError",
        "LinkFailure",
        "LinkLimitError",
        "OrganizationNotSubscribedError",
        "PermanentCodeMismatchError",
        "SignupFlow",
        "SignupSettings",
        "Step",
        "StudentRecord",
    ),
    "values": (
        "AgeRange",
        "BirthDate",
        "DateOrder",
        "Email",
        "OrganizationDirectory",
        "Password",
        "PasswordPolicy",
        "PermanentCode",
        "PersonName",
        "RecordNumber",
        "SchoolOrganization",
    ),
}
_MODULE_OF = {
    name: module for module, names in _MODULES.items() for name in names
}

__all__ = [
    "Account",
    "AccountExistsError",
    "AccountNotFoundError",
    "AgeRange",
    "AlreadyVerifiedError",
    "BirthDate",
    "ChildClaim",
    "ChildLink",
    "ChildLinkRejectedError",
    "CodeExpiredError",
    "CodeRejectedError",
    "CodeRequest",
    "CodeSigner",
    "ConflictError",
    "DateOrder",
    "Email",
    "Event",
    "FlowError",
    "FlowLockedError",
    "FlowPurpose",
    "FlowState",
    "InvalidBirthDateError",
    "InvalidClaimError",
    "InvalidEmailError",
    "InvalidNameError",
    "InvalidPasswordError",
    "InvalidPermanentCodeError",
    "InvalidRecordNumberError",
    "InvalidTokenError",
    "InvalidTransitionError",
    "Language",
    "LinkFailure",
    "LinkLimitError",
    "LinkOutcome",
    "LinkResult",
    "MailDeliveryError",
    "MalformedCodeError",
    "OrganizationDirectory",
    "OrganizationNotSubscribedError",
    "Password",
    "PasswordPolicy",
    "PermanentCode",
    "PermanentCodeMismatchError",
    "PersonName",
    "PortailError",
    "Problem",
    "ProviderAssertion",
    "RecordNumber",
    "ResendTooSoonError",
    "RetryLaterError",
    "SchoolOrganization",
    "SignupFlow",
    "SignupService",
    "SignupSettings",
    "SocialOutcome",
    "SocialSignIn",
    "Step",
    "StoreError",
    "StudentRecord",
    "TooManyCodesError",
    "UnknownOrganizationError",
    "ValidationError",
    "Verification",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
