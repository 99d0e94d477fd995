"""Documents tell people what they must do: the approver a draft to approve, the author a rejection or an
approval, the revision owner a revision that is due, and on overdue the owning unit's leader as well."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.events import (
    DocumentApproved,
    DocumentRejected,
    DocumentSubmitted,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
)
from varde_common.testing.factories import TinyOrg, envelope_of
from varde_notifications.domain import render
from varde_notifications.models import Notification
from varde_notifications.service import NotificationService


async def stored(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> list[tuple[uuid.UUID, str, str]]:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        rows = await session.execute(sa.select(Notification).order_by(Notification.created_at))  # type: ignore[arg-type]
        return [(n.recipient_id, n.kind, render(n.text_key, n.text_params, "nb")[1]) for n in rows.scalars()]


async def test_the_people_a_document_needs_are_told_once_each(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    author = uuid.uuid4()
    facts = {
        "document_id": uuid.uuid4(),
        "kind": "prosedyre",
        "owner_unit_id": org.unit_id,
        "approver_unit_id": org.unit_id,
        "at": datetime.now(UTC),
    }
    version = {"version_id": uuid.uuid4(), "version_number": 2, "author_id": author}
    submitted = DocumentSubmitted(**facts, **version, approver_id=org.unit_leader)
    submitted_envelope = envelope_of(org, submitted)
    await service.on_document_submitted(submitted_envelope, submitted)
    await service.on_document_submitted(submitted_envelope, submitted)  # redelivered: no second notification
    rejected = DocumentRejected(**facts, **version, rejected_by=org.unit_leader)
    await service.on_document_rejected(envelope_of(org, rejected), rejected)
    approved = DocumentApproved(
        **facts,
        **version,
        significant=True,
        approved_by=org.unit_leader,
        revision_owner_id=author,
        revision_due=date(2027, 11, 23),
    )
    await service.on_document_approved(envelope_of(org, approved), approved)
    due = {"revision_owner_id": org.employee, "revision_due": date(2027, 11, 23)}
    due_for_revision = ProcedureDueForRevision(**facts, **due)
    await service.on_due_for_revision(envelope_of(org, due_for_revision), due_for_revision)
    overdue = ProcedureRevisionOverdue(**facts, **due, leader_id=org.unit_leader)
    await service.on_revision_overdue(envelope_of(org, overdue), overdue)

    told = await stored(sessions, org)
    assert [(who, kind) for who, kind, _ in told] == [
        (org.unit_leader, "document.to_approve"),
        (author, "document.rejected"),
        (author, "document.approved"),
        (org.employee, "document.revision_due"),
        (org.employee, "document.revision_overdue"),
        (org.unit_leader, "document.revision_overdue"),
    ]
    assert "Versjon 2" in told[0][2]
    assert "23.11.2027" in told[3][2]
