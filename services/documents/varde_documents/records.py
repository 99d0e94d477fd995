"""What every use case of documents writes beside its change: a history line, and the facts its events carry."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.events.base import source_of
from varde_documents.domain import HistoryAction
from varde_documents.models import Document, DocumentHistory, DocumentVersion

SOURCE = source_of("documents")


def record(
    session: AsyncSession,
    document: Document,
    actor: uuid.UUID | None,
    action: HistoryAction,
    at: datetime,
    version: DocumentVersion | None = None,
    **details: Any,
) -> None:
    clean = {k: (str(v) if isinstance(v, uuid.UUID | date) else v) for k, v in details.items() if v is not None}
    session.add(
        DocumentHistory(
            tenant_id=document.tenant_id,
            document_id=document.id,
            version_id=version.id if version else None,
            at=at,
            actor_id=actor,
            action=action.value,
            details=clean,
        )
    )


def facts(document: Document, at: datetime) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "kind": document.kind,
        "owner_unit_id": document.owner_unit_id,
        "approver_unit_id": document.approver_unit_id,
        "at": at,
    }
