"""Value objects: what a parent types, parsed, normalized and validated."""

from portail_core.values._birth_date import (
    AgeRange,
    BirthDate,
    DateOrder,
    age_on,
)
from portail_core.values._email import Email
from portail_core.values._names import PersonName, matching_key
from portail_core.values._organizations import (
    OrganizationDirectory,
    OrganizationKind,
    OrganizationMatch,
    SchoolOrganization,
    organization_key,
)
from portail_core.values._password import Password, PasswordPolicy
from portail_core.values._permanent_code import (
    Consistency,
    DateRule,
    Part,
    PartCheck,
    PermanentCode,
    SexMarker,
    Verdict,
)
from portail_core.values._record_number import RecordNumber

__all__ = [
    "AgeRange",
    "BirthDate",
    "Consistency",
    "DateOrder",
    "DateRule",
    "Email",
    "OrganizationDirectory",
    "OrganizationKind",
    "OrganizationMatch",
    "Part",
    "PartCheck",
    "Password",
    "PasswordPolicy",
    "PermanentCode",
    "PersonName",
    "RecordNumber",
    "SchoolOrganization",
    "SexMarker",
    "Verdict",
    "age_on",
    "matching_key",
    "organization_key",
]
