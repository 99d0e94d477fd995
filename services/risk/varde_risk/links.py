"""Links from a risk to deviations (learning from what happened) and to documents (the procedure that is the
barrier). A link is an id, checked against what risk has learned from the deviations' and documents' events,
never by calling those services: a kommune's risk keeps working while they are down, and another kommune's ids
are unknown here (row-level security).

The copies are kept by upserts that an older or repeated event cannot undo (``changed_at`` only moves forward),
so they need no inbox: a redelivered event writes the same row again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import unit_names
from varde_common.errors import FieldError
from varde_common.events import (
    DeviationEvent,
    DocumentApproved,
    DocumentArchived,
    DocumentEvent,
    ProcedureConfirmedValid,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
)
from varde_common.language import Text
from varde_risk import links_queries
from varde_risk.errors import UnknownLinks
from varde_risk.models import LinkedDeviation, LinkedDocument, ReplicaDeviation, ReplicaDocument, Risk

DRAFT, IN_FORCE, ARCHIVED = "draft", "in_force", "archived"

_deviations = ReplicaDeviation.__table__  # type: ignore[attr-defined]
_documents = ReplicaDocument.__table__  # type: ignore[attr-defined]

Links = tuple[dict[uuid.UUID, LinkedDeviation], dict[uuid.UUID, LinkedDocument]]


async def check_links(
    session: AsyncSession, deviation_ids: Sequence[uuid.UUID], document_ids: Sequence[uuid.UUID]
) -> None:
    """422 naming every id the kommune's deviations or documents have not told risk of."""
    errors: list[FieldError] = []
    checks: tuple[tuple[str, links_queries.Replica, Sequence[uuid.UUID], Text], ...] = (
        ("deviation_ids", ReplicaDeviation, deviation_ids, UnknownLinks.UNKNOWN_DEVIATIONS),
        ("document_ids", ReplicaDocument, document_ids, UnknownLinks.UNKNOWN_DOCUMENTS),
    )
    for field, table, ids, message in checks:
        if missing := set(ids) - await links_queries.known_ids(session, table, ids):
            listed = ", ".join(sorted(str(i) for i in missing))
            errors.append(FieldError(field=field, code=UnknownLinks.slug, message=message, params={"ids": listed}))
    if errors:
        raise UnknownLinks(fields=errors)


async def linked(session: AsyncSession, risks: Sequence[Risk]) -> Links:
    """What the risks link to, in one query per kind, with the names of the deviations' units."""
    deviations = await links_queries.deviations_by_id(session, (i for r in risks for i in r.deviation_ids))
    documents = await links_queries.documents_by_id(session, (i for r in risks for i in r.document_ids))
    units = await unit_names(session, (d.unit_id for d in deviations))
    return (
        {
            d.id: LinkedDeviation.model_validate(d, from_attributes=True).model_copy(
                update={"unit_name": units.get(d.unit_id)}
            )
            for d in deviations
        },
        {d.id: LinkedDocument.model_validate(d, from_attributes=True) for d in documents},
    )


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
    await links_queries.upsert_forward(
        session, _deviations, values, ("unit_id", "kind", "area", "severity", "status", "reported_at")
    )


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
    await links_queries.upsert_forward(session, _documents, values, changes)
