"""The lists of cases: what this person may see (the rule of ``access.py``, as SQL), by view and filters and
Norwegian full-text search, newest first, in pages that stay stable while new cases arrive."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import names_of, subtree
from varde_common.identity import Identity
from varde_common.pages import PageRequest, keyset, page_of
from varde_deviations import repository
from varde_deviations.access import reach
from varde_deviations.models import DeviationPage, now
from varde_deviations.repository import ListFilters
from varde_deviations.views import summary


class ListingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def page(
        self, identity: Identity, filters: ListFilters, page: PageRequest, subtree_of: uuid.UUID | None
    ) -> DeviationPage:
        """One page of the cases this person may see, newest first; ``next_cursor`` continues after the last."""
        after = keyset(page, datetime.fromisoformat, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if subtree_of is not None:
                filters.unit_ids = await subtree(session, subtree_of)
            person_reach = await reach(session, identity.person_id)
            at = now()
            rows = await repository.page(session, person_reach, filters, after=after, limit=page.limit + 1, now=at)
            shown, next_cursor = page_of(rows, page.limit, lambda row: (row.reported_at.isoformat(), row.id))
            names = await names_of(
                session,
                people=[r.assignee_id for r in shown],
                units=[u for r in shown for u in (r.unit_id, r.handling_unit_id)],
            )
            return DeviationPage(
                items=[summary(r, names, searched=bool(filters.text)) for r in shown], next_cursor=next_cursor
            )
