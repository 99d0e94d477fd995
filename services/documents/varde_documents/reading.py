"""Reading lists (leseliste) and read confirmations (lesebekreftelse).

A version in force asks its document's audience to read it. The audience is resolved in the database, in one
statement that also writes each request's ``ReadingRequested`` event to the outbox: publishing to 5 000 people
is one round trip, not 5 000.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.envelope import Envelope, payload_as
from varde_common.errors import ConflictError, ForbiddenError, NotFoundError
from varde_common.events import DocumentApproved, ReadingConfirmed, ReadingRequested
from varde_common.identity import Identity
from varde_common.inbox import claim_event
from varde_common.kafka import EventHandler
from varde_common.outbox import add_events, current_traceparent
from varde_common.roles import Role
from varde_documents import repository
from varde_documents.access import document_access, readable
from varde_documents.domain import DocumentStatus, VersionStatus
from varde_documents.models import (
    Audience,
    AudienceEntry,
    AudiencePublic,
    Document,
    DocumentAudience,
    DocumentVersion,
    ReadingListItem,
    ReadingRequest,
    now,
)
from varde_documents.records import SOURCE, facts, record

# The people an audience names today: a person; the holders of any (or one) role in a unit and, unless told
# otherwise, every unit below it; the holders of a role anywhere in the kommune. Roles count while active.
_AUDIENCE_PEOPLE = """
    WITH RECURSIVE reach AS (
        SELECT a.id AS entry_id, a.unit_id, a.role, a.include_subtree
          FROM document_audience a
         WHERE a.document_id = :document_id AND a.unit_id IS NOT NULL
        UNION
        SELECT r.entry_id, u.id, r.role, r.include_subtree
          FROM replica_org_unit u JOIN reach r ON u.parent_id = r.unit_id
         WHERE r.include_subtree AND NOT u.closed
    ), active AS (
        SELECT person_id, unit_id, role FROM replica_role_assignment
         WHERE (starts_on IS NULL OR starts_on <= current_date) AND (ends_on IS NULL OR ends_on >= current_date)
    ), people AS (
        SELECT ra.person_id FROM active ra
          JOIN reach r ON ra.unit_id = r.unit_id AND (r.role IS NULL OR ra.role = r.role)
        UNION
        SELECT ra.person_id FROM active ra
          JOIN document_audience a ON a.document_id = :document_id AND a.unit_id IS NULL AND a.role = ra.role
        UNION
        SELECT a.person_id FROM document_audience a WHERE a.document_id = :document_id AND a.person_id IS NOT NULL
    )"""

_REQUEST_READERS = sa.text(
    _AUDIENCE_PEOPLE  # noqa: S608 - two constant strings joined; every value is a bind parameter
    + """, asked AS (
        INSERT INTO reading_request (version_id, person_id, tenant_id, document_id, requested_at, due_on)
        SELECT :version_id, p.person_id, :tenant_id, :document_id, :at, :due_on
          FROM people p
         WHERE CAST(:only_person AS uuid) IS NULL OR p.person_id = CAST(:only_person AS uuid)
        ON CONFLICT (version_id, person_id) DO NOTHING
        RETURNING person_id
    ), told AS (
        INSERT INTO outbox (id, tenant_id, topic, key, type, source, subject, time, data, traceparent)
        SELECT gen_random_uuid(), :tenant_id, :topic, :key, :type, :source, :key, :at,
               CAST(:event AS jsonb) || jsonb_build_object('person_id', asked.person_id), :traceparent
          FROM asked
        RETURNING 1
    )
    SELECT count(*) FROM told
    """
)


async def request_readers(
    session: AsyncSession,
    document: Document,
    version: DocumentVersion,
    at: datetime,
    only_person: uuid.UUID | None = None,
) -> int:
    """Ask the audience (or one person of it) to read ``version``; those asked already are not asked again."""
    due_on = at.date() + timedelta(days=document.reading_days)
    template = ReadingRequested(
        **facts(document, at),
        version_id=version.id,
        version_number=version.number,
        person_id=uuid.UUID(int=0),  # each row's own person replaces it
        due_on=due_on,
    )
    result = await session.execute(
        _REQUEST_READERS,
        {
            "document_id": document.id,
            "version_id": version.id,
            "tenant_id": document.tenant_id,
            "at": at,
            "due_on": due_on,
            "only_person": only_person,
            "topic": template.topic,
            "key": template.key(),
            "type": template.type,
            "source": SOURCE,
            "event": orjson.dumps(template.model_dump(mode="json")).decode(),
            "traceparent": current_traceparent(),
        },
    )
    return int(result.scalar_one())


async def on_version_in_force(
    session: AsyncSession, document: Document, version: DocumentVersion, previous: DocumentVersion | None, at: datetime
) -> int:
    """A significant version (or the first) asks everyone again; a minor one moves the open requests to itself,
    so a confirmation always names the version that was read."""
    if previous is None or version.significant:
        await session.execute(
            sa.update(ReadingRequest)
            .where(
                col(ReadingRequest.document_id) == document.id,
                col(ReadingRequest.version_id) != version.id,
                col(ReadingRequest.confirmed_at).is_(None),
                col(ReadingRequest.superseded_at).is_(None),
            )
            .values(superseded_at=at)
        )
        return await request_readers(session, document, version, at)
    await session.execute(
        sa.update(ReadingRequest)
        .where(
            col(ReadingRequest.version_id) == previous.id,
            col(ReadingRequest.confirmed_at).is_(None),
            col(ReadingRequest.superseded_at).is_(None),
        )
        .values(version_id=version.id)
    )
    return 0


def on_document_approved(sessions: async_sessionmaker[AsyncSession]) -> EventHandler:
    """The worker's side of an approval: the version's audience is asked to read it (or, for a minor version, the
    open requests move to it). Once per event (inbox); skipped when a later version is already in force."""

    async def handle(envelope: Envelope) -> None:
        event = payload_as(envelope, DocumentApproved)
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            if not await claim_event(
                session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type
            ):
                return
            document = await repository.get_document(session, event.document_id, for_update=True)
            version = await session.get(DocumentVersion, event.version_id)
            if document is None or version is None or document.published_version_id != version.id:
                return  # archived, or replaced meanwhile: the later version's own event asks its readers
            previous = (
                await session.exec(
                    select(DocumentVersion)
                    .where(
                        DocumentVersion.document_id == document.id,
                        col(DocumentVersion.number) < version.number,
                        col(DocumentVersion.published_at).is_not(None),
                    )
                    .order_by(col(DocumentVersion.number).desc())
                    .limit(1)
                )
            ).first()
            await on_version_in_force(session, document, version, previous, now())

    return handle


async def request_for_new_member(session: AsyncSession, tenant_id: uuid.UUID, person_id: uuid.UUID) -> int:
    """A person whose roles changed (a new employee, a move): the versions in force of every document whose
    audience now includes them, not asked before, are put on their reading list."""
    statement = (
        select(Document, DocumentVersion)
        .join(DocumentVersion, col(DocumentVersion.id) == col(Document.published_version_id))
        .where(
            Document.status == DocumentStatus.ACTIVE.value,
            sa.exists().where(col(DocumentAudience.document_id) == col(Document.id)),
        )
    )
    asked = 0
    at = now()
    for document, version in (await session.exec(statement)).all():
        asked += await request_readers(session, document, version, at, only_person=person_id)
    return asked


class ReadingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def audience(self, identity: Identity, document_id: uuid.UUID) -> AudiencePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, _ = await readable(session, identity.person_id, document_id)
            return AudiencePublic(
                entries=await _entries(session, document.id), reading_days=document.reading_days, requested_now=0
            )

    async def set_audience(self, identity: Identity, document_id: uuid.UUID, body: Audience) -> AudiencePublic:
        """Replace who must read the document; newcomers to the audience are asked to read the version in force
        at once (those no longer in it keep what they were asked)."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document = await repository.get_document(session, document_id, for_update=True)
            if document is None:
                raise NotFoundError("Dokumentet finnes ikke.")
            access = await document_access(session, identity.person_id, document)
            if not access.write:
                raise (
                    NotFoundError("Dokumentet finnes ikke.")
                    if not access.see_drafts
                    else ForbiddenError("Bare de som skriver dokumentet kan bestemme hvem som skal lese det.")
                )
            if document.status == DocumentStatus.ARCHIVED:
                raise ConflictError("Dokumentet er arkivert.")
            await session.execute(sa.delete(DocumentAudience).where(col(DocumentAudience.document_id) == document.id))
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
            at = now()
            if body.reading_days is not None:
                document.reading_days = body.reading_days
                session.add(document)
            await session.flush()
            record(session, document, identity.person_id, "audience_set", at, entries=len(body.entries))
            asked = 0
            if document.published_version_id is not None:
                version = await session.get(DocumentVersion, document.published_version_id)
                assert version is not None
                asked = await request_readers(session, document, version, at)
            return AudiencePublic(
                entries=await _entries(session, document.id), reading_days=document.reading_days, requested_now=asked
            )

    async def confirm(self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID) -> ReadingListItem:
        """ "Read and understood" for this exact version, which must be the one in force."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document = await repository.get_document(session, document_id)
            version = await repository.get_version(session, document_id, version_id)
            if (
                document is None
                or version is None
                or version.status
                not in (
                    VersionStatus.PUBLISHED,
                    VersionStatus.SUPERSEDED,
                )
            ):
                raise NotFoundError("Versjonen finnes ikke.")
            if version.status != VersionStatus.PUBLISHED:
                raise ConflictError("Denne versjonen gjelder ikke lenger: les den gjeldende versjonen.")
            at = now()
            request = await session.get(ReadingRequest, (version.id, identity.person_id), with_for_update=True)
            if request is None:  # read without being asked: recorded all the same
                request = ReadingRequest(
                    version_id=version.id,
                    person_id=identity.person_id,
                    tenant_id=document.tenant_id,
                    document_id=document.id,
                    requested_at=at,
                    due_on=at.date(),
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
            return _item(request, version, at.date())

    async def reading_list(self, identity: Identity, include_confirmed: bool) -> list[ReadingListItem]:
        """The person's own list: what is still to read, the most urgent first; then what they confirmed."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            statement = (
                select(ReadingRequest, DocumentVersion)
                .join(DocumentVersion, col(DocumentVersion.id) == col(ReadingRequest.version_id))
                .where(ReadingRequest.person_id == identity.person_id, col(ReadingRequest.superseded_at).is_(None))
                .where(DocumentVersion.status == VersionStatus.PUBLISHED.value)
            )
            if not include_confirmed:
                statement = statement.where(col(ReadingRequest.confirmed_at).is_(None))
            statement = statement.order_by(
                col(ReadingRequest.confirmed_at).is_not(None), col(ReadingRequest.due_on), col(DocumentVersion.title)
            ).limit(500)
            today = now().date()
            return [_item(request, version, today) for request, version in (await session.exec(statement)).all()]


async def _entries(session: AsyncSession, document_id: uuid.UUID) -> list[AudienceEntry]:
    rows = await session.exec(select(DocumentAudience).where(DocumentAudience.document_id == document_id))
    return [
        AudienceEntry(
            unit_id=row.unit_id,
            role=Role(row.role) if row.role else None,
            person_id=row.person_id,
            include_subtree=row.include_subtree,
        )
        for row in rows.all()
    ]


def _item(request: ReadingRequest, version: DocumentVersion, today: date) -> ReadingListItem:
    return ReadingListItem(
        document_id=request.document_id,
        version_id=request.version_id,
        version_number=version.number,
        title=version.title,
        requested_at=request.requested_at,
        due_on=request.due_on,
        confirmed_at=request.confirmed_at,
        overdue=request.confirmed_at is None and request.due_on < today,
    )
