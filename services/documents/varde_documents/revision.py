"""The revision cycle (revisjon): a cycle starts when a version comes into force or the revision owner confirms
that the version in force is still valid; the next revision is due one interval later, an Oslo date. The jobs
that tell the revision owner are in ``jobs.py``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.events import ProcedureConfirmedValid
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.outbox import add_events
from varde_documents.access import visible
from varde_documents.comparison import Comparer
from varde_documents.documents import load_document
from varde_documents.domain import DocumentStatus, HistoryAction, revision_due
from varde_documents.errors import ConfirmValidForbidden, NothingInForce
from varde_documents.models import Document, DocumentPublic, StillValid
from varde_documents.records import SOURCE, facts, record


def start_revision_cycle(document: Document, at: datetime) -> None:
    """A version came into force or was confirmed still valid at ``at``: the next revision is due one interval
    after that day in Norway, and the revision jobs may speak again for it."""
    started = oslo_date(at)
    document.revision_cycle_started = started
    document.revision_due = revision_due(started, document.revision_interval_months)
    document.due_notified_for = document.overdue_notified_for = None
    document.updated_at = at


class RevisionService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = now_utc,
        worker: Comparer | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.worker = worker or Comparer()

    async def confirm_still_valid(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        body: StillValid,
        *,
        language: Language = DEFAULT_LANGUAGE,
    ) -> DocumentPublic:
        """The revision owner (or a writer or leader of the document) looked at the version in force and found it
        still right: a new revision cycle starts, and that is recorded."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await visible(session, identity.person_id, document_id, for_update=True)
            if not (access.write or access.approve):
                raise ConfirmValidForbidden()
            if document.status == DocumentStatus.ARCHIVED or document.published_version_id is None:
                raise NothingInForce()
            at = self.clock()
            start_revision_cycle(document, at)
            session.add(document)
            record(
                session,
                document,
                identity.person_id,
                HistoryAction.CONFIRMED_VALID,
                at,
                comment=body.comment,
                revision_due=document.revision_due,
            )
            event = ProcedureConfirmedValid(
                **facts(document, at),
                version_id=document.published_version_id,
                confirmed_by=identity.person_id,
                revision_due=document.revision_due,
            )
            await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return await load_document(session, document, access, language, self.worker, identity.person_id)
