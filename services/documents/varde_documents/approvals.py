"""The approval queue (til godkjenning): the submitted versions a leader may decide on, the longest waiting first.

The same rule as the decision itself (``access.decidable_version``): leaders over a document's approver unit, never
for a version they wrote. A reader sees no entry, so the queue says nothing of drafts they may not know of.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import person_names, unit_names
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.pages import PageRequest, keyset, page_of
from varde_documents import repository, views
from varde_documents.access import draft_reach
from varde_documents.models import ApprovalPage


class ApprovalService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def queue(
        self, identity: Identity, page: PageRequest, *, language: Language = DEFAULT_LANGUAGE
    ) -> ApprovalPage:
        after = keyset(page, datetime.fromisoformat, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            reach = await draft_reach(session, identity.person_id)
            if not reach.approve_units:
                return ApprovalPage(items=[], next_cursor=None)
            rows = await repository.awaiting_approval(
                session,
                approver_id=identity.person_id,
                approve_units=reach.approve_units,
                after=(after[0], after[1]) if after else None,
                limit=page.limit + 1,
            )
            shown, cursor = page_of(rows, page.limit, lambda row: (_submitted(row[0].submitted_at), row[0].id))
            people = await person_names(session, [version.author_id for version, _ in shown])
            units = await unit_names(
                session, [unit for _, d in shown for unit in (d.owner_unit_id, d.approver_unit_id)]
            )
        return ApprovalPage(
            items=[views.approval_item(version, document, people, units, language) for version, document in shown],
            next_cursor=cursor,
        )


def _submitted(at: datetime | None) -> str:
    assert at is not None, "a submitted version has its time"
    return at.isoformat()
