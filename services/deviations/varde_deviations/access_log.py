"""The access log (tilgangslogg): who read the restricted part of a case, and when, for the quality roles over
it: one case's, or every case's in their scope (optionally one reader's), newest first."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import names_of
from varde_common.identity import Identity
from varde_common.pages import PageRequest, keyset, page_of
from varde_deviations import repository
from varde_deviations.access import follow_up_scope, followed_up
from varde_deviations.models import AccessLogPage, RestrictedAccess
from varde_deviations.views import access_entry


class AccessLogService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def of_case(self, identity: Identity, deviation_id: uuid.UUID, page: PageRequest) -> AccessLogPage:
        """Who read this case's restricted part: 404 for who may not see the case, 403 for who sees it but is
        not a quality role over it."""
        key = keyset(page, int)
        before = key[0] if key else None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await followed_up(session, identity.person_id, deviation_id)
            rows = await repository.access_log(session, deviation_id=deviation_id, before=before, limit=page.limit + 1)
            return await self._page(session, rows, page)

    async def of_kommune(self, identity: Identity, reader_id: uuid.UUID | None, page: PageRequest) -> AccessLogPage:
        """Every read in the caller's quality scope, optionally of one reader; empty for everyone else (a list
        shows what the person may see)."""
        key = keyset(page, int)
        before = key[0] if key else None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            scope = await follow_up_scope(session, identity.person_id)
            if not scope:
                return AccessLogPage(items=[], next_cursor=None)
            rows = await repository.access_log(
                session, reader_id=reader_id, in_units=scope, before=before, limit=page.limit + 1
            )
            return await self._page(session, rows, page)

    @staticmethod
    async def _page(session: AsyncSession, rows: list[RestrictedAccess], page: PageRequest) -> AccessLogPage:
        shown, next_cursor = page_of(rows, page.limit, lambda row: (row.id,))
        names = await names_of(session, people=[row.reader_id for row in shown])
        titles = await repository.titles(session, [row.deviation_id for row in shown])
        items = [access_entry(row, names, titles.get(row.deviation_id)) for row in shown]
        return AccessLogPage(items=items, next_cursor=next_cursor)
