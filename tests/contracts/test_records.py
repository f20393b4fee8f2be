"""The in-memory school records and organizations pass their suites."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from portail_core.adapters.memory import (
    MemoryOrganizations,
    MemorySchoolRecords,
)
from portail_core.ports import Organizations, SchoolRecords
from portail_core.signup import StudentRecord
from portail_core.testing.contracts import (
    OrganizationsContract,
    SchoolRecordsContract,
)


class TestMemorySchoolRecords(SchoolRecordsContract):
    def make_school_records(
        self, records: Sequence[StudentRecord]
    ) -> SchoolRecords:
        return MemorySchoolRecords(records)


class TestMemoryOrganizations(OrganizationsContract):
    def make_organizations(self, subscribed: Collection[str]) -> Organizations:
        return MemoryOrganizations(subscribed)
