"""The documents' scheduled jobs, run by ``varde_common.scheduler`` for each kommune: a document whose revision
date is near raises ``ProcedureDueForRevision``, one past it ``ProcedureRevisionOverdue`` (to the revision owner
and the owning unit's leader); each once per revision cycle. Dates are Norwegian: a revision date is past from
the first minute of the next day in Oslo."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.directory_replica import line_above
from varde_common.events import Event, ProcedureDueForRevision, ProcedureRevisionOverdue
from varde_common.outbox import add_events
from varde_common.scheduler import Job
from varde_documents import repository
from varde_documents.domain import HistoryAction
from varde_documents.records import SOURCE, facts, record


def due_for_revision(lead_days: int) -> Job:
    async def run(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
        """Documents whose revision date is within the lead time: the revision owner is told, once a cycle."""
        at = at or now_utc()
        today = oslo_date(at)
        # From today: a date already past is the overdue job's to speak of.
        documents = await repository.due_for_revision(session, first=today, last=today + timedelta(days=lead_days))
        events: list[Event] = []
        for document in documents:
            assert document.revision_due is not None
            document.due_notified_for = document.revision_due
            session.add(document)
            record(session, document, None, HistoryAction.DUE_FOR_REVISION, at, revision_due=document.revision_due)
            events.append(
                ProcedureDueForRevision(
                    **facts(document, at),
                    version_id=document.published_version_id,
                    revision_owner_id=document.revision_owner_id,
                    revision_due=document.revision_due,
                )
            )
        await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
        return len(documents)

    return Job("documents.due_for_revision", run)


async def revision_overdue(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Documents past their revision date: the revision owner and the owning unit's leader are told, once a
    cycle (the overdue list is theirs to act on)."""
    at = at or now_utc()
    documents = await repository.overdue_for_revision(session, last=oslo_date(at) - timedelta(days=1))
    events: list[Event] = []
    for document in documents:
        assert document.revision_due is not None
        document.overdue_notified_for = document.revision_due
        session.add(document)
        leader = next(
            (lead for _, lead, closed in await line_above(session, document.owner_unit_id) if lead and not closed),
            None,
        )
        record(
            session,
            document,
            None,
            HistoryAction.REVISION_OVERDUE,
            at,
            revision_due=document.revision_due,
            leader_id=leader,
        )
        events.append(
            ProcedureRevisionOverdue(
                **facts(document, at),
                version_id=document.published_version_id,
                revision_owner_id=document.revision_owner_id,
                revision_due=document.revision_due,
                leader_id=leader,
            )
        )
    await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
    return len(documents)


def jobs(lead_days: int) -> list[Job]:
    return [due_for_revision(lead_days), Job("documents.revision_overdue", revision_overdue)]
