"""Contract suites of `SchoolRecords` and `Organizations`."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import attrs
import pytest

from portail_core.ports import Organizations, SchoolRecords
from portail_core.signup import StudentRecord
from portail_core.testing.contracts import _samples as samples
from portail_core.testing.contracts._support import assert_same_fields
from portail_core.values import (
    OrganizationDirectory,
    PermanentCode,
    RecordNumber,
)


def _assert_same_student(
    actual: StudentRecord | None, expected: StudentRecord, path: str
) -> None:
    """Assert that `actual` is `expected`, guardians in any order."""
    assert actual is not None, (
        f"{path}: no record found, expected {expected.student_id!r}"
    )
    assert isinstance(actual, StudentRecord), (
        f"{path}: found a {type(actual).__name__}, not a StudentRecord"
    )
    assert_same_fields(
        attrs.evolve(
            actual,
            guardian_emails=tuple(
                sorted(actual.guardian_emails, key=lambda email: email.key)
            ),
        ),
        attrs.evolve(
            expected,
            guardian_emails=tuple(
                sorted(expected.guardian_emails, key=lambda email: email.key)
            ),
        ),
        path,
    )


class SchoolRecordsContract:
    """Contract tests of a `SchoolRecords` adapter.

    Subclass it in a test module, under a name that starts with ``Test``,
    and override `make_school_records`, which returns the adapter with
    exactly the records it is given. The records are fictional students
    of four organizations. Two of them have the same record number, and
    one is in two organizations under the same permanent code::

        from portail_core.testing.contracts import SchoolRecordsContract

        class TestCsvSchoolRecords(SchoolRecordsContract):
            def make_school_records(self, records):
                path = write_roster_export(records)
                return CsvSchoolRecords(path)

    To build the adapter from other fixtures, override the
    `school_records` fixture instead and load `self.roster`.

    The tests check that each lookup finds the record, field by field
    (guardian emails in any order), only within the organization named:
    the same record number or permanent code in another organization
    never matches, and unknown values return None.
    """

    roster: tuple[StudentRecord, ...] = samples.ROSTER
    """Records the adapter must hold."""

    def make_school_records(
        self, records: Sequence[StudentRecord]
    ) -> SchoolRecords:
        """Return an adapter that contains exactly `records`."""
        raise NotImplementedError(
            f"{type(self).__name__} has no school records to test: "
            "override make_school_records(records) or the school_records "
            "fixture."
        )

    @pytest.fixture
    def school_records(self) -> SchoolRecords:
        """Return the adapter under test, holding `roster`."""
        return self.make_school_records(self.roster)

    def test_finds_each_by_record_number(
        self, school_records: SchoolRecords
    ) -> None:
        """Each record is found by its organization and record number."""
        for record in self.roster:
            found = school_records.find_by_record_number(
                record.organization_code, record.record_number
            )

            _assert_same_student(
                found,
                record,
                f"find_by_record_number({record.organization_code!r}, "
                f"{record.record_number})",
            )

    def test_finds_each_by_permanent_code(
        self, school_records: SchoolRecords
    ) -> None:
        """Each record is found by its organization and permanent code."""
        for record in self.roster:
            found = school_records.find_by_permanent_code(
                record.organization_code, record.permanent_code
            )

            _assert_same_student(
                found,
                record,
                f"find_by_permanent_code({record.organization_code!r}, "
                f"{record.permanent_code.value!r})",
            )

    def test_record_number_stays_in_organization(
        self, school_records: SchoolRecords
    ) -> None:
        """A record number matches only in the organization named."""
        # As a parent types it, without the leading zero.
        number = RecordNumber.parse("482913")

        in_chemin_du_roy = school_records.find_by_record_number(
            samples.ORGANIZATION, number
        )
        in_montreal = school_records.find_by_record_number(
            samples.OTHER_ORGANIZATION, number
        )
        elsewhere = school_records.find_by_record_number(
            samples.UNRELATED_ORGANIZATION, number
        )

        _assert_same_student(
            in_chemin_du_roy, samples.LEA_ROSE, "record 482913 in 741000"
        )
        _assert_same_student(
            in_montreal, samples.THOMAS, "record 482913 in 762000"
        )
        assert elsewhere is None, "record 482913 matched in 733000"

    def test_permanent_code_stays_in_organization(
        self, school_records: SchoolRecords
    ) -> None:
        """A permanent code matches only in the organization named, and
        finds that organization's record of a student who moved."""
        zoe = samples.ZOE.permanent_code

        before_move = school_records.find_by_permanent_code(
            samples.OTHER_ORGANIZATION, zoe
        )
        after_move = school_records.find_by_permanent_code(
            samples.MOVED_TO_ORGANIZATION, zoe
        )
        never_there = school_records.find_by_permanent_code(
            samples.ORGANIZATION, zoe
        )
        other_student = school_records.find_by_permanent_code(
            samples.OTHER_ORGANIZATION, samples.LEA_ROSE.permanent_code
        )

        _assert_same_student(before_move, samples.ZOE, "Zoé in 762000")
        _assert_same_student(
            after_move, samples.ZOE_AFTER_MOVE, "Zoé in 763000"
        )
        assert never_there is None, "Zoé's code matched in 741000"
        assert other_student is None, "Léa-Rose's code matched in 762000"

    @pytest.mark.parametrize(
        ("organization", "number"),
        [
            (samples.ORGANIZATION, "48291"),
            (samples.ORGANIZATION, "4829130"),
            (samples.ORGANIZATION, "1"),
            (samples.ENGLISH_ORGANIZATION, "10"),
            ("000000", "482913"),
            ("74100", "482913"),
        ],
    )
    def test_unknown_record_number_is_none(
        self, school_records: SchoolRecords, organization: str, number: str
    ) -> None:
        """A record number or organization code that only resembles a
        stored one finds nothing."""
        found = school_records.find_by_record_number(
            organization, RecordNumber.parse(number)
        )

        assert found is None

    @pytest.mark.parametrize(
        ("organization", "code"),
        [
            (samples.ORGANIZATION, "COTL14531602"),
            (samples.ORGANIZATION, "COTM14531601"),
            (samples.ORGANIZATION, "TREM15095512"),
            ("000000", "COTL14531601"),
            ("7410000", "COTL14531601"),
        ],
    )
    def test_unknown_permanent_code_is_none(
        self, school_records: SchoolRecords, organization: str, code: str
    ) -> None:
        """A permanent code or organization code that only resembles a
        stored one finds nothing."""
        found = school_records.find_by_permanent_code(
            organization, PermanentCode.parse(code)
        )

        assert found is None


class OrganizationsContract:
    """Contract tests of an `Organizations` adapter.

    Subclass it in a test module, under a name that starts with ``Test``,
    and override `make_organizations`, which returns the adapter with
    exactly the given organization codes subscribed::

        from portail_core.testing.contracts import OrganizationsContract

        class TestSettingsOrganizations(OrganizationsContract):
            def make_organizations(self, subscribed):
                return SettingsOrganizations({"SUBSCRIBED": list(subscribed)})

    The `organizations` fixture subscribes the codes of `subscribed`, and
    one test calls `make_organizations` with no code at all. The tests
    check that `is_subscribed` returns True, a bool, for each subscribed
    code. It must return False for every other organization of the
    bundled directory, and for codes that only resemble a subscribed one.
    """

    subscribed: tuple[str, ...] = (
        samples.ORGANIZATION,
        samples.OTHER_ORGANIZATION,
        samples.ENGLISH_ORGANIZATION,
    )
    """Organization codes that subscribe in the `organizations` fixture."""

    def make_organizations(self, subscribed: Collection[str]) -> Organizations:
        """Return an adapter where exactly `subscribed` subscribe."""
        raise NotImplementedError(
            f"{type(self).__name__} has no organizations to test: "
            "override make_organizations(subscribed)."
        )

    @pytest.fixture
    def organizations(self) -> Organizations:
        """Return the adapter under test, with `subscribed`."""
        return self.make_organizations(self.subscribed)

    def test_subscribed_codes_are_true(
        self, organizations: Organizations
    ) -> None:
        """is_subscribed returns True for each subscribed code."""
        for code in self.subscribed:
            assert organizations.is_subscribed(code) is True, code

    def test_other_organizations_are_false(
        self, organizations: Organizations
    ) -> None:
        """is_subscribed returns False for every other organization."""
        others = [
            organization.code
            for organization in OrganizationDirectory.bundled().organizations
            if organization.code not in self.subscribed
        ]

        wrong = [
            code
            for code in others
            if organizations.is_subscribed(code) is not False
        ]

        assert others
        assert not wrong, f"is_subscribed did not return False for {wrong}"

    @pytest.mark.parametrize(
        "code", ["74100", "7410000", "741001", "0741000", "000000", ""]
    )
    def test_resembling_code_is_false(
        self, organizations: Organizations, code: str
    ) -> None:
        """A code that only resembles a subscribed one is not subscribed."""
        assert organizations.is_subscribed(code) is False

    def test_none_subscribed(self) -> None:
        """With no code subscribed, no organization is, because an empty
        set means none rather than all."""
        organizations = self.make_organizations(())

        subscribed = [
            organization.code
            for organization in OrganizationDirectory.bundled().organizations
            if organizations.is_subscribed(organization.code) is not False
        ]

        assert not subscribed, f"is_subscribed returned True for {subscribed}"
