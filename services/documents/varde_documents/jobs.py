"""The documents' scheduled jobs, run by ``varde_common.scheduler`` for each kommune: a document whose revision
date is near raises ``ProcedureDueForRevision``, one past it ``ProcedureRevisionOverdue`` (to the revision owner
and the owning unit's leader); each once per revision cycle."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import line_above
from varde_common.events import Event, ProcedureDueForRevision, ProcedureRevisionOverdue
from varde_common.outbox import add_events
from varde_common.scheduler import Job, not_yet_told
from varde_documents.domain import DocumentStatus
from varde_documents.models import Document, now
from varde_documents.records import SOURCE, facts, record


def _due_documents(until: datetime, notified: Any) -> Any:
    due = col(Document.revision_due)
    return not_yet_told(Document, due, notified, until.date(), Document.status == DocumentStatus.ACTIVE.value)


def due_for_revision(lead_days: int) -> Job:
    async def run(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
        """Documents whose revision date is within the lead time: the revision owner is told, once a cycle."""
        at = at or now()
        statement = _due_documents(at + timedelta(days=lead_days), col(Document.due_notified_for)).where(
            col(Document.revision_due) >= at.date()  # already past: the overdue job speaks instead
        )
        documents = list((await session.exec(statement)).all())
        events: list[Event] = []
        for document in documents:
            assert document.revision_due is not None
            document.due_notified_for = document.revision_due
            session.add(document)
            record(session, document, None, "due_for_revision", at, revision_due=document.revision_due)
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
    at = at or now()
    statement = _due_documents(at - timedelta(days=1), col(Document.overdue_notified_for))
    documents = list((await session.exec(statement)).all())
    events: list[Event] = []
    for document in documents:
        assert document.revision_due is not None
        document.overdue_notified_for = document.revision_due
        session.add(document)
        leader = next(
            (lead for _, lead, closed in await line_above(session, document.owner_unit_id) if lead and not closed),
            None,
        )
        record(session, document, None, "revision_overdue", at, revision_due=document.revision_due, leader_id=leader)
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
