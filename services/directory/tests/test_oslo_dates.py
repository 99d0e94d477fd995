"""Role dates are Norwegian dates: a role ended just after midnight in Norway ends on the Norwegian yesterday,
whatever the date is in UTC or on the machine."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.identity import Identity
from varde_common.pages import PageRequest
from varde_common.roles import Role
from varde_directory.importing import HrImportService
from varde_directory.models import RoleAssignmentCreate
from varde_directory.people import PeopleService
from varde_directory.roles import RoleService
from varde_directory.units import UnitService

# 23:30 UTC on 31 March is 01:30 on 1 April in Oslo (summer time began on 29 March 2026).
AFTER_MIDNIGHT_IN_OSLO = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
# 23:30 UTC on 31 October is 00:30 on 1 November in Oslo (winter time again since 25 October).
AFTER_MIDNIGHT_IN_WINTER = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)


def as_person(kommune: Any, employee_number: str) -> Identity:
    return Identity(
        tenant_id=kommune.tenant_id, tenant_slug="testvik", person_id=kommune.people[employee_number], expires_at=0
    )


async def test_a_role_ended_after_midnight_in_norway_has_the_norwegian_yesterday_as_its_last_day(
    sessions: async_sessionmaker[AsyncSession], kommune: Any
) -> None:
    admin = as_person(kommune, "E4")
    home = (await UnitService(sessions).find(admin, "Solsiden", PageRequest())).items[0]
    for instant, last_day in (
        (AFTER_MIDNIGHT_IN_OSLO, date(2026, 3, 31)),
        (AFTER_MIDNIGHT_IN_WINTER, date(2026, 10, 31)),
    ):
        roles = RoleService(sessions, clock=lambda at=instant: at)
        given = await roles.assign(
            admin, kommune.people["E5"], RoleAssignmentCreate(role=Role.VERNEOMBUD, unit_id=home.id)
        )

        ended = await roles.end(admin, given.id)

        assert ended.ends_on == last_day  # the UTC date would make it a day earlier


async def test_the_hr_import_ends_a_role_on_the_norwegian_yesterday(
    sessions: async_sessionmaker[AsyncSession], kommune: Any, export: dict[str, Any]
) -> None:
    export["people"][4]["roles"] = []  # E5 is no longer ansatt in K4
    importer = HrImportService(sessions, clock=lambda: AFTER_MIDNIGHT_IN_OSLO)

    await importer.run(kommune.tenant_id, json.dumps(export).encode(), "application/json", dry_run=False, actor=None)

    person = await PeopleService(sessions).get(as_person(kommune, "E5"), kommune.people["E5"])
    assert [(r.role, r.ends_on) for r in person.roles] == [(Role.ANSATT, date(2026, 3, 31))]
