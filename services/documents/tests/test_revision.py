"""Revision (ProcedureDueForRevision): told before the date, overdue after it with the owning unit's leader,
each once per cycle; "still valid" starts a new cycle; the scheduler runs it for every kommune."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.db import tenant_transaction
from varde_common.pages import PageRequest
from varde_common.scheduler import Scheduler
from varde_common.testing.factories import TinyOrg, outbox_events
from varde_documents.documents import DocumentService
from varde_documents.domain import add_months
from varde_documents.errors import ConfirmValidForbidden, NothingInForce
from varde_documents.jobs import jobs
from varde_documents.models import DocumentCreate, StillValid
from varde_documents.revision import RevisionService
from varde_documents.versions import VersionService

LEAD_DAYS = 30


async def published(
    documents: DocumentService, versions: VersionService, org: TinyOrg, revision_owner: uuid.UUID
) -> uuid.UUID:
    body = DocumentCreate(
        title="Brannvern",
        owner_unit_id=org.unit_id,
        content="# Brannvern\nØvelse hvert halvår.",
        revision_owner_id=revision_owner,
    )
    created = await documents.create(org.as_(org.unit_leader), body)
    await versions.submit(org.as_(org.unit_leader), created.id, created.versions[0].id)
    await versions.approve(org.as_(org.sector_leader), created.id, created.versions[0].id)
    return created.id


async def run_jobs(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, at: datetime) -> dict[str, int]:
    done: dict[str, int] = {}
    for job in jobs(LEAD_DAYS):
        async with tenant_transaction(sessions, org.tenant_id) as session:
            done[job.name] = await job.run(session, org.tenant_id, at)  # type: ignore[call-arg]
    return done


async def test_the_revision_owner_is_told_before_the_date_and_the_leader_too_after_it_each_once(
    documents: DocumentService, versions: VersionService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    document_id = await published(documents, versions, org, revision_owner=org.employee)
    due = add_months(oslo_today(), 12)
    start = datetime.now(UTC)

    assert await run_jobs(sessions, org, start) == {"documents.due_for_revision": 0, "documents.revision_overdue": 0}
    near = datetime.combine(due - timedelta(days=LEAD_DAYS - 1), datetime.min.time(), UTC)
    assert (await run_jobs(sessions, org, near))["documents.due_for_revision"] == 1
    assert (await run_jobs(sessions, org, near))["documents.due_for_revision"] == 0  # once per cycle
    after = datetime.combine(due + timedelta(days=2), datetime.min.time(), UTC)
    assert await run_jobs(sessions, org, after) == {"documents.due_for_revision": 0, "documents.revision_overdue": 1}
    assert (await run_jobs(sessions, org, after))["documents.revision_overdue"] == 0

    events = await outbox_events(sessions, org, document_id, but=("submitted", "approved"))
    assert [e["type"] for e in events] == ["dueforrevision", "revisionoverdue"]
    assert (events[0]["revision_owner_id"], events[0]["revision_due"]) == (str(org.employee), due.isoformat())
    assert events[1]["leader_id"] == str(org.unit_leader)  # the overdue list escalates to the owning unit's leader

    # The history says so, with the leader's name beside the id and the system as the one who acted.
    history = (await documents.history(org.as_(org.unit_leader), document_id, PageRequest(limit=100))).items
    overdue = next(h for h in history if h.action == "revision_overdue")
    assert (overdue.actor_id, overdue.actor_name, overdue.action_label) == (None, None, "Revisjonsdatoen er passert")
    assert overdue.details["leader_name"] == org.name_of(org.unit_leader)


async def test_still_valid_starts_a_new_cycle_and_is_recorded(
    documents: DocumentService,
    versions: VersionService,
    revision: RevisionService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    document_id = await published(documents, versions, org, revision_owner=org.employee)
    due = add_months(oslo_today(), 12)
    await run_jobs(sessions, org, datetime.combine(due + timedelta(days=2), datetime.min.time(), UTC))
    async with tenant_transaction(sessions, org.tenant_id) as session:  # a year has passed
        await session.execute(
            sa.text("UPDATE document SET revision_due = :due WHERE id = :id"),
            {"due": oslo_today() - timedelta(days=3), "id": document_id},
        )

    confirmed = await revision.confirm_still_valid(
        org.as_(org.employee), document_id, StillValid(comment="Gjennomgått")
    )

    assert confirmed.revision_due == add_months(oslo_today(), 12)
    history = await documents.history(org.as_(org.unit_leader), document_id, PageRequest(limit=100))
    confirmation = next(h for h in history.items if h.action == "confirmed_valid")
    assert (confirmation.actor_id, confirmation.details["comment"]) == (org.employee, "Gjennomgått")
    assert (await outbox_events(sessions, org, document_id, but=("submitted", "approved")))[-1][
        "type"
    ] == "confirmedvalid"
    # A new cycle is told again when its own date comes near.
    new_due = confirmed.revision_due
    assert new_due is not None
    near = datetime.combine(new_due - timedelta(days=5), datetime.min.time(), UTC)
    assert (await run_jobs(sessions, org, near))["documents.due_for_revision"] == 1


async def test_only_those_who_answer_for_the_document_confirm_it(
    documents: DocumentService, versions: VersionService, revision: RevisionService, org: TinyOrg
) -> None:
    document_id = await published(documents, versions, org, revision_owner=org.unit_leader)
    with pytest.raises(ConfirmValidForbidden):
        await revision.confirm_still_valid(org.as_(org.employee), document_id, StillValid())
    draft_only = await documents.create(
        org.as_(org.unit_leader), DocumentCreate(title="Utkast", owner_unit_id=org.unit_id, content="x")
    )
    with pytest.raises(NothingInForce):  # nothing in force to confirm
        await revision.confirm_still_valid(org.as_(org.unit_leader), draft_only.id, StillValid())


async def test_the_scheduler_runs_the_revision_jobs_for_each_kommune(
    documents: DocumentService, versions: VersionService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    document_id = await published(documents, versions, org, revision_owner=org.employee)
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.text("UPDATE document SET revision_due = :due WHERE id = :id"),
            {"due": oslo_today() - timedelta(days=2), "id": document_id},
        )
    done = await Scheduler(sessions, jobs(LEAD_DAYS), interval_s=60).run_once()
    assert done["documents.revision_overdue"] >= 1
    assert [e["type"] for e in await outbox_events(sessions, org, document_id, but=("submitted", "approved"))] == [
        "revisionoverdue"
    ]
