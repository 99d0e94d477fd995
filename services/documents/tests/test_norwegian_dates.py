"""Every date a person sees is a date in Norway: a revision date, a reading deadline and "overdue" follow the
Oslo calendar at midnight and across summer time, where the UTC date is still the day before."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import apply_role_assignment_changed
from varde_common.events import RoleAssignmentChanged
from varde_common.pages import PageRequest
from varde_common.testing.factories import TinyOrg
from varde_documents.coverage import CoverageService
from varde_documents.documents import DocumentService
from varde_documents.jobs import jobs
from varde_documents.models import Audience, AudienceEntry, DocumentCreate
from varde_documents.reading import ReadingService
from varde_documents.versions import VersionService

# 00:30 on 1 April 2026 in Oslo (summer time began on 29 March): the UTC date is still 31 March.
FIRST_OF_APRIL = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
# 00:30 on 25 October 2026 in Oslo, the night summer time ends: the UTC date is still 24 October.
END_OF_SUMMER_TIME = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)


def at(instant: datetime) -> Callable[[], datetime]:
    return lambda: instant


async def test_a_version_approved_just_after_midnight_in_norway_is_due_for_revision_a_year_from_that_day(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    documents, versions = DocumentService(sessions, at(FIRST_OF_APRIL)), VersionService(sessions, at(FIRST_OF_APRIL))
    created = await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title="Brannvern", owner_unit_id=org.unit_id, content="# Brann")
    )
    await versions.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)
    approved = await versions.approve(org.as_(org.sector_leader), created.id, created.versions[0].id)
    assert approved.revision_due == date(2027, 4, 1)

    # Told 30 days ahead counting Norwegian days, and overdue from the first minute of 2 April in Oslo.
    async def run_jobs(instant: datetime) -> dict[str, int]:
        done = {}
        for job in jobs(30):
            async with tenant_transaction(sessions, org.tenant_id) as session:
                done[job.name] = await job.run(session, org.tenant_id, instant)  # type: ignore[call-arg]
        return done

    assert (await run_jobs(datetime(2027, 3, 1, 23, 30, tzinfo=UTC)))["documents.due_for_revision"] == 1  # 2 March
    assert (await run_jobs(datetime(2027, 4, 1, 21, 30, tzinfo=UTC)))["documents.revision_overdue"] == 0  # 23:30
    assert (await run_jobs(datetime(2027, 4, 1, 22, 30, tzinfo=UTC)))["documents.revision_overdue"] == 1  # 00:30


async def test_reading_deadlines_count_from_the_day_in_norway_and_are_overdue_after_it_there(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    documents = DocumentService(sessions, at(END_OF_SUMMER_TIME))
    versions = VersionService(sessions, at(END_OF_SUMMER_TIME))
    reading = ReadingService(sessions, at(END_OF_SUMMER_TIME))
    created = await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title="Smittevern", owner_unit_id=org.unit_id, content="# Vask")
    )
    # Someone who starts in the nursing home on 25 October is in its audience from that day in Norway.
    starter = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        starts = RoleAssignmentChanged(
            assignment_id=uuid.uuid4(),
            person_id=starter,
            unit_id=org.unit_id,
            role="ansatt",
            starts_on=date(2026, 10, 25),
        )
        await apply_role_assignment_changed(session, org.tenant_id, starts, END_OF_SUMMER_TIME)
    await versions.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)
    await versions.approve(org.as_(org.sector_leader), created.id, created.versions[0].id)
    # The audience set on a version in force is asked at once.
    entries = Audience(entries=[AudienceEntry(unit_id=org.unit_id)], reading_days=14)
    await reading.set_audience(org.as_(org.unit_leader), created.id, entries)

    [mine] = (await reading.reading_list(org.as_(org.employee), PageRequest())).items
    assert (mine.due_on, mine.overdue) == (date(2026, 11, 8), False)
    assert [item.due_on for item in (await reading.reading_list(org.as_(starter), PageRequest())).items] == [
        date(2026, 11, 8)
    ]

    last_evening = ReadingService(sessions, at(datetime(2026, 11, 8, 22, 30, tzinfo=UTC)))  # 23:30 on 8 November
    [still] = (await last_evening.reading_list(org.as_(org.employee), PageRequest())).items
    assert still.overdue is False
    next_night = datetime(2026, 11, 8, 23, 30, tzinfo=UTC)  # 00:30 on 9 November in Oslo
    [late] = (await ReadingService(sessions, at(next_night)).reading_list(org.as_(org.employee), PageRequest())).items
    assert late.overdue is True
    overview = await CoverageService(sessions, at(next_night)).of_unit(
        org.as_(org.unit_leader), org.unit_id, PageRequest()
    )
    assert overview.overdue == 3  # the employee, the leader and the one who started on 25 October
