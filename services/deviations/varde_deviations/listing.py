"""The lists of cases: what this person may see (the rule of ``access.py``, as SQL), by view and filters and
Norwegian full-text search, newest first, in pages that stay stable while new cases arrive."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import names_of, subtree
from varde_common.errors import InvalidCursor
from varde_common.identity import Identity
from varde_common.pages import PageRequest
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
        try:
            after = repository.decode_cursor(page.cursor) if page.cursor else None
        except ValueError:
            raise InvalidCursor() from None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if subtree_of is not None:
                filters.unit_ids = await subtree(session, subtree_of)
            person_reach = await reach(session, identity.person_id)
            at = now()
            rows = await repository.page(session, person_reach, filters, after=after, limit=page.limit + 1, now=at)
            shown = rows[: page.limit]
            names = await names_of(
                session,
                people=[r.assignee_id for r in shown],
                units=[u for r in shown for u in (r.unit_id, r.handling_unit_id)],
            )
            last = rows[page.limit - 1] if len(rows) > page.limit else None
            next_cursor = repository.encode_cursor(last.reported_at, last.id) if last is not None else None
            return DeviationPage(
                items=[summary(r, names, searched=bool(filters.text)) for r in shown], next_cursor=next_cursor
            )
