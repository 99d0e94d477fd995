"""Links from a risk to deviations (learning from what happened) and to documents (the procedure that is the
barrier). A link is an id, checked against what risk has learned from the deviations' and documents' events,
never by calling those services: a kommune's risk keeps working while they are down, and another kommune's ids
are unknown here (row-level security).

The copies are kept by upserts that an older or repeated event cannot undo (``changed_at`` only moves forward),
so they need no inbox: a redelivered event writes the same row again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.errors import InvalidInputError
from varde_common.events import (
    DeviationEvent,
    DocumentApproved,
    DocumentArchived,
    DocumentEvent,
    ProcedureConfirmedValid,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
)
from varde_risk.models import LinkedDeviation, LinkedDocument, ReplicaDeviation, ReplicaDocument, Risk

DRAFT, IN_FORCE, ARCHIVED = "draft", "in_force", "archived"

_deviations = ReplicaDeviation.__table__  # type: ignore[attr-defined]
_documents = ReplicaDocument.__table__  # type: ignore[attr-defined]


def _unknown(field: str, what: str, ids: Iterable[uuid.UUID]) -> dict[str, str]:
    listed = ", ".join(sorted(str(i) for i in ids))
    return {"field": field, "message": f"{what} finnes ikke i kommunen: {listed}", "code": "unknown"}


async def _known(
    session: AsyncSession, table: type[ReplicaDeviation | ReplicaDocument], ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    if not ids:
        return set()
    return set((await session.exec(select(table.id).where(col(table.id).in_(ids)))).all())


async def check_links(
    session: AsyncSession, deviation_ids: Sequence[uuid.UUID], document_ids: Sequence[uuid.UUID]
) -> None:
    """422 naming every id the kommune's deviations or documents have not told risk of."""
    errors: list[dict[str, str]] = []
    if missing := set(deviation_ids) - await _known(session, ReplicaDeviation, deviation_ids):
        errors.append(_unknown("deviation_ids", "Avvik", missing))
    if missing := set(document_ids) - await _known(session, ReplicaDocument, document_ids):
        errors.append(_unknown("document_ids", "Dokument", missing))
    if errors:
        raise InvalidInputError("; ".join(e["message"] for e in errors), extra={"errors": errors})


async def linked(
    session: AsyncSession, risks: Sequence[Risk]
) -> tuple[dict[uuid.UUID, LinkedDeviation], dict[uuid.UUID, LinkedDocument]]:
    """What the risks link to, in one query per kind."""
    deviation_ids = {i for r in risks for i in r.deviation_ids}
    document_ids = {i for r in risks for i in r.document_ids}
    deviations: dict[uuid.UUID, LinkedDeviation] = {}
    documents: dict[uuid.UUID, LinkedDocument] = {}
    if deviation_ids:
        rows = await session.exec(select(ReplicaDeviation).where(col(ReplicaDeviation.id).in_(deviation_ids)))
        deviations = {d.id: LinkedDeviation.model_validate(d, from_attributes=True) for d in rows.all()}
    if document_ids:
        rows_ = await session.exec(select(ReplicaDocument).where(col(ReplicaDocument.id).in_(document_ids)))
        documents = {d.id: LinkedDocument.model_validate(d, from_attributes=True) for d in rows_.all()}
    return deviations, documents


async def _upsert(session: AsyncSession, table: sa.Table, values: Mapping[str, Any], changes: Iterable[str]) -> None:
    """Insert the row, or change ``changes`` of it when this event is not older than the last one applied."""
    statement = insert(table).values(**values)
    to_set = {name: statement.excluded[name] for name in (*changes, "changed_at")}
    statement = statement.on_conflict_do_update(
        index_elements=["id"], set_=to_set, where=table.c.changed_at <= statement.excluded.changed_at
    )
    await session.execute(statement)


async def remember_deviation(session: AsyncSession, tenant_id: uuid.UUID, event: DeviationEvent, at: datetime) -> None:
    values = {
        "id": event.deviation_id,
        "tenant_id": tenant_id,
        "unit_id": event.unit_id,
        "kind": event.kind,
        "area": event.area,
        "severity": event.severity,
        "status": event.status,
        "reported_at": event.reported_at,
        "changed_at": at,
    }
    await _upsert(session, _deviations, values, ("unit_id", "kind", "area", "severity", "status", "reported_at"))


async def remember_document(session: AsyncSession, tenant_id: uuid.UUID, event: DocumentEvent, at: datetime) -> None:
    """A document is known from its first event (a draft sent for approval); approval puts a version in force,
    archiving ends it, and the revision events say whether its revision is overdue."""
    values: dict[str, Any] = {
        "id": event.document_id,
        "tenant_id": tenant_id,
        "kind": event.kind,
        "owner_unit_id": event.owner_unit_id,
        "status": DRAFT,
        "revision_overdue": False,
        "changed_at": at,
    }
    changes: tuple[str, ...] = ("kind", "owner_unit_id")
    if isinstance(event, DocumentApproved):
        values |= {"status": IN_FORCE, "version_number": event.version_number, "revision_due": event.revision_due}
        changes += ("status", "version_number", "revision_due", "revision_overdue")
    elif isinstance(event, DocumentArchived):
        values["status"] = ARCHIVED
        changes += ("status",)
    elif isinstance(event, ProcedureDueForRevision | ProcedureRevisionOverdue | ProcedureConfirmedValid):
        overdue = isinstance(event, ProcedureRevisionOverdue)
        values |= {"status": IN_FORCE, "revision_due": event.revision_due, "revision_overdue": overdue}
        changes += ("revision_due", "revision_overdue")
    await _upsert(session, _documents, values, changes)
