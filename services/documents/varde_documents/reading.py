"""Reading lists (leseliste) and read confirmations (lesebekreftelse).

A version in force asks its document's audience to read it by a deadline: the reading days counted from the
day in Norway it came into force. The audience is resolved in the database, in one statement that also writes
each request's ``ReadingRequested`` event to the outbox (``reading_queries``): publishing to 5 000 people is one
round trip, not 5 000.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import person_names, unit_names
from varde_common.envelope import Envelope
from varde_common.events import DocumentApproved, ReadingConfirmed, ReadingRequested
from varde_common.identity import Identity
from varde_common.inbox import claim_event
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.outbox import add_events
from varde_common.pages import PageRequest, keyset, page_of
from varde_documents import reading_queries, repository, views
from varde_documents.access import check_may_write, visible, visible_version
from varde_documents.domain import HistoryAction, VersionStatus, reading_due
from varde_documents.errors import VersionNotInForce
from varde_documents.models import (
    Audience,
    AudiencePublic,
    Document,
    DocumentAudience,
    DocumentVersion,
    ReadingListItem,
    ReadingListPage,
    ReadingRequest,
)
from varde_documents.records import SOURCE, facts, record


async def request_readers(
    session: AsyncSession,
    document: Document,
    version: DocumentVersion,
    at: datetime,
    only_person: uuid.UUID | None = None,
) -> int:
    """Ask the audience (or one person of it) to read ``version``; those asked already are not asked again."""
    template = ReadingRequested(
        **facts(document, at),
        version_id=version.id,
        version_number=version.number,
        person_id=uuid.UUID(int=0),  # each row's own person replaces it
        due_on=reading_due(at, document.reading_days),
    )
    return await reading_queries.request_readers(
        session,
        template,
        tenant_id=document.tenant_id,
        at=at,
        today=oslo_date(at),
        source=SOURCE,
        only_person=only_person,
    )


async def on_version_in_force(
    session: AsyncSession, document: Document, version: DocumentVersion, previous: DocumentVersion | None, at: datetime
) -> int:
    """A significant version (or the first) asks everyone again; a minor one moves the open requests to itself,
    so a confirmation always names the version that was read."""
    if previous is None or version.significant:
        await reading_queries.supersede_open_requests(session, document.id, version.id, at)
        return await request_readers(session, document, version, at)
    await reading_queries.move_open_requests(session, previous.id, version.id)
    return 0


async def request_for_new_member(session: AsyncSession, tenant_id: uuid.UUID, person_id: uuid.UUID) -> int:
    """A person whose roles changed (a new employee, a move): the versions in force of every document whose
    audience now includes them, not asked before, are put on their reading list (the directory replica's hook)."""
    asked = 0
    at = now_utc()
    for document, version in await reading_queries.in_force_with_audience(session):
        asked += await request_readers(session, document, version, at, only_person=person_id)
    return asked


class ReadingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def _audience(
        self, session: AsyncSession, document: Document, asked: int, language: Language
    ) -> AudiencePublic:
        rows = await reading_queries.audience_of(session, document.id)
        units = await unit_names(session, [row.unit_id for row in rows])
        people = await person_names(session, [row.person_id for row in rows])
        return AudiencePublic(
            entries=[views.audience_line(row, units, people, language) for row in rows],
            reading_days=document.reading_days,
            requested_now=asked,
        )

    async def audience(
        self, identity: Identity, document_id: uuid.UUID, *, language: Language = DEFAULT_LANGUAGE
    ) -> AudiencePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await visible(session, identity.person_id, document_id)
            return await self._audience(session, document, 0, language)

    async def set_audience(
        self, identity: Identity, document_id: uuid.UUID, body: Audience, *, language: Language = DEFAULT_LANGUAGE
    ) -> AudiencePublic:
        """Replace who must read the document, for those who write it; newcomers to the audience are asked to read
        the version in force at once (those no longer in it keep what they were asked)."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, access = await visible(session, identity.person_id, document_id, for_update=True)
            check_may_write(document, access)
            await reading_queries.clear_audience(session, document.id)
            for entry in body.entries:
                session.add(
                    DocumentAudience(
                        tenant_id=document.tenant_id,
                        document_id=document.id,
                        unit_id=entry.unit_id,
                        role=entry.role.value if entry.role else None,
                        person_id=entry.person_id,
                        include_subtree=entry.include_subtree,
                    )
                )
            at = self.clock()
            if body.reading_days is not None:
                document.reading_days = body.reading_days
                session.add(document)
            await session.flush()
            record(session, document, identity.person_id, HistoryAction.AUDIENCE_SET, at, entries=len(body.entries))
            version = await repository.version_in_force(session, document)
            asked = await request_readers(session, document, version, at) if version is not None else 0
            return await self._audience(session, document, asked, language)

    async def ask_audience(self, envelope: Envelope, event: DocumentApproved) -> None:
        """The worker's side of an approval: the version's audience is asked to read it (or, for a minor version,
        the open requests move to it). Once per event (inbox); skipped when a later version is already in force."""
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if not await claim_event(
                session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type
            ):
                return
            document = await repository.get_document(session, event.document_id, for_update=True)
            if document is None or document.published_version_id != event.version_id:
                return  # archived, or replaced meanwhile: the later version's own event asks its readers
            version = await repository.version_in_force(session, document)
            assert version is not None
            previous = await repository.previously_in_force(session, version)
            await on_version_in_force(session, document, version, previous, self.clock())

    async def confirm(self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID) -> ReadingListItem:
        """ "Read and understood" for this exact version, which must be the one in force."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _, version = await visible_version(session, identity.person_id, document_id, version_id)
            if version.status != VersionStatus.PUBLISHED:
                raise VersionNotInForce()
            at = self.clock()
            request = await reading_queries.reading_request(session, version.id, identity.person_id, for_update=True)
            if request is None:  # read without being asked: recorded all the same
                request = ReadingRequest(
                    version_id=version.id,
                    person_id=identity.person_id,
                    tenant_id=document.tenant_id,
                    document_id=document.id,
                    requested_at=at,
                    due_on=oslo_date(at),
                )
            if request.confirmed_at is None:
                request.confirmed_at = at
                session.add(request)
                event = ReadingConfirmed(
                    **facts(document, at),
                    version_id=version.id,
                    version_number=version.number,
                    person_id=identity.person_id,
                )
                await add_events(session, [event], tenant_id=document.tenant_id, source=SOURCE)
            return views.reading_item(request, version, oslo_date(at))

    async def reading_list(
        self, identity: Identity, page: PageRequest, *, include_confirmed: bool = False
    ) -> ReadingListPage:
        """The person's own list: what is still to read, the most urgent first; then what they confirmed."""
        after = keyset(page, lambda v: v == "1", date.fromisoformat, str, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await reading_queries.reading_list(
                session,
                identity.person_id,
                include_confirmed=include_confirmed,
                after=(after[0], after[1], after[2], after[3]) if after else None,
                limit=page.limit + 1,
            )
        shown, cursor = page_of(
            rows,
            page.limit,
            lambda row: ("1" if row[0].confirmed_at else "0", row[0].due_on.isoformat(), row[1].title, row[1].id),
        )
        today = oslo_date(self.clock())
        return ReadingListPage(items=[views.reading_item(r, v, today) for r, v in shown], next_cursor=cursor)
