"""Reading coverage (lesestatus): how far what is in force has been read, and by whom not.

For one document: per unit where its readers hold their roles, and a page of who has not confirmed, by name. For
a unit: a page of every document in force its people are asked to read, the least read first, with the totals —
the leader's overview, and across the kommune the quality roles'. A reader counts where they hold a role that is
active today in Norway; someone who has left the unit no longer counts against it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import subtree, unit_names
from varde_common.identity import Identity
from varde_common.pages import PageRequest, keyset, page_of
from varde_documents import coverage_queries, repository
from varde_documents.access import may_view_statistics, visible
from varde_documents.errors import CoverageForbidden
from varde_documents.models import (
    Coverage,
    CoverageOverview,
    DocumentCoverageLine,
    DocumentCoveragePage,
    Reader,
    ReaderPage,
    UnitCoverage,
)


class CoverageService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def of_document(
        self, identity: Identity, document_id: uuid.UUID, unit_id: uuid.UUID | None, page: PageRequest
    ) -> Coverage:
        """How far the version in force has been read: by the leaders over ``unit_id`` for their part, by the
        quality roles and the document's writers and approvers for all of it. ``page`` is the page of who has not
        read."""
        after = keyset(page, str, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await visible(session, identity.person_id, document_id)
            allowed = access.see_drafts or (
                unit_id is not None and await may_view_statistics(session, identity.person_id, unit_id)
            )
            if not allowed:
                raise CoverageForbidden()
            version = await repository.version_in_force(session, document)
            if version is None:
                nobody = ReaderPage(items=[], next_cursor=None)
                return Coverage(
                    document_id=document.id,
                    version_id=None,
                    version_number=None,
                    requested=0,
                    confirmed=0,
                    units=[],
                    not_read=nobody,
                )
            today = oslo_date(self.clock())
            units = await subtree(session, unit_id) if unit_id else None
            rows = await coverage_queries.per_unit(session, version.id, units, today)
            missing = await coverage_queries.not_read(
                session, version.id, units, today, (after[0], after[1]) if after else None, page.limit + 1
            )
            shown, cursor = page_of(missing, page.limit, lambda row: (row.name or "", row.person_id))
            names = await unit_names(session, [row.unit_id for row in rows])
            per_unit = [
                UnitCoverage(
                    unit_id=row.unit_id,
                    unit_name=names.get(row.unit_id),
                    requested=row.requested,
                    confirmed=row.confirmed,
                )
                for row in rows
                if row.unit_id
            ]
            return Coverage(
                document_id=document.id,
                version_id=version.id,
                version_number=version.number,
                requested=sum(row.requested for row in rows),
                confirmed=sum(row.confirmed for row in rows),
                units=sorted(per_unit, key=lambda u: (-u.requested, str(u.unit_id))),
                not_read=ReaderPage(
                    items=[Reader(person_id=row.person_id, name=row.name) for row in shown], next_cursor=cursor
                ),
            )

    async def of_unit(self, identity: Identity, unit_id: uuid.UUID, page: PageRequest) -> CoverageOverview:
        """Every document in force the people of ``unit_id`` (and below) are asked to read, the least read first:
        for the leaders over the unit and the quality roles."""
        after = keyset(page, float, str, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if not await may_view_statistics(session, identity.person_id, unit_id):
                raise CoverageForbidden()
            units = await subtree(session, unit_id)
            rows = await coverage_queries.overview(
                session,
                units,
                oslo_date(self.clock()),
                (after[0], after[1], after[2]) if after else None,
                page.limit + 1,
            )
            totals = rows[0]
            lines = [row for row in rows if row.document_id is not None]
            shown, cursor = page_of(lines, page.limit, lambda row: (row.share, row.title, row.document_id))
            names = await unit_names(session, [unit_id])
            return CoverageOverview(
                unit_id=unit_id,
                unit_name=names.get(unit_id),
                requested=int(totals.all_requested),
                confirmed=int(totals.all_confirmed),
                overdue=int(totals.all_overdue),
                documents_in_scope=int(totals.documents),
                documents=DocumentCoveragePage(
                    items=[DocumentCoverageLine.model_validate(row, from_attributes=True) for row in shown],
                    next_cursor=cursor,
                ),
            )
