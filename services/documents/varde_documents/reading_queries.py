"""The queries of reading lists: who an audience names today, asking them in one statement (with their events),
moving open requests to a new version, and a person's own list."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.envelope import Envelope
from varde_common.events import DocumentApproved, ReadingRequested
from varde_common.outbox import events_per_row_cte, events_per_row_params, outbox_table
from varde_documents.domain import DocumentStatus, VersionStatus
from varde_documents.models import Document, DocumentAudience, DocumentVersion, ReadingRequest

# The people an audience names today: a person; the holders of any (or one) role in a unit and, unless told
# otherwise, every unit below it; the holders of a role anywhere in the kommune. Roles count while active on
# :today, the date in Norway.
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
         WHERE (starts_on IS NULL OR starts_on <= :today) AND (ends_on IS NULL OR ends_on >= :today)
    ), people AS (
        SELECT ra.person_id FROM active ra
          JOIN reach r ON ra.unit_id = r.unit_id AND (r.role IS NULL OR ra.role = r.role)
        UNION
        SELECT ra.person_id FROM active ra
          JOIN document_audience a ON a.document_id = :document_id AND a.unit_id IS NULL AND a.role = ra.role
        UNION
        SELECT a.person_id FROM document_audience a WHERE a.document_id = :document_id AND a.person_id IS NOT NULL
    ), asked AS (
        INSERT INTO reading_request (version_id, person_id, tenant_id, document_id, requested_at, due_on)
        SELECT :version_id, p.person_id, :outbox_tenant_id, :document_id, :outbox_time, :due_on
          FROM people p
         WHERE CAST(:only_person AS uuid) IS NULL OR p.person_id = CAST(:only_person AS uuid)
        ON CONFLICT (version_id, person_id) DO NOTHING
        RETURNING person_id
    )"""

# The requests and each one's ReadingRequested in one statement: 5 000 readers are one round trip. The event's
# JSON is made once by its model (:event) and completed per row with the person.
_REQUEST_READERS = sa.text(
    _AUDIENCE_PEOPLE  # noqa: S608 - constant SQL joined; every value is a bind parameter
    + ", "
    + events_per_row_cte(
        "told", "asked", data="CAST(:event AS jsonb) || jsonb_build_object('person_id', asked.person_id)"
    )
    + " SELECT count(*) FROM told"
).bindparams(sa.bindparam("today", type_=sa.Date), sa.bindparam("due_on", type_=sa.Date))


async def request_readers(
    session: AsyncSession,
    template: ReadingRequested,
    *,
    tenant_id: uuid.UUID,
    at: datetime,
    today: date,
    source: str,
    only_person: uuid.UUID | None,
) -> int:
    """Ask the audience (or one person of it) to read ``template``'s version by its ``due_on``; those asked
    already are not asked again. ``template`` is each event but for its ``person_id``."""
    parameters: dict[str, Any] = {
        "document_id": template.document_id,
        "version_id": template.version_id,
        "due_on": template.due_on,
        "today": today,
        "only_person": only_person,
        "event": template.model_dump_json(),
        **events_per_row_params(
            ReadingRequested, source=source, at=at, outbox_key=template.key(), outbox_tenant_id=tenant_id
        ),
    }
    return int((await session.execute(_REQUEST_READERS, parameters)).scalar_one())


async def supersede_open_requests(session: AsyncSession, document_id: uuid.UUID, but: uuid.UUID, at: datetime) -> None:
    """The open requests of the document's other versions are no longer to be read."""
    await session.execute(
        sa.update(ReadingRequest)
        .where(
            col(ReadingRequest.document_id) == document_id,
            col(ReadingRequest.version_id) != but,
            col(ReadingRequest.confirmed_at).is_(None),
            col(ReadingRequest.superseded_at).is_(None),
        )
        .values(superseded_at=at)
    )


async def move_open_requests(session: AsyncSession, from_version: uuid.UUID, to_version: uuid.UUID) -> None:
    await session.execute(
        sa.update(ReadingRequest)
        .where(
            col(ReadingRequest.version_id) == from_version,
            col(ReadingRequest.confirmed_at).is_(None),
            col(ReadingRequest.superseded_at).is_(None),
        )
        .values(version_id=to_version)
    )


async def in_force_with_audience(session: AsyncSession) -> Sequence[tuple[Document, DocumentVersion]]:
    """Every active document that has an audience, with its version in force."""
    statement = (
        select(Document, DocumentVersion)
        .join(DocumentVersion, col(DocumentVersion.id) == col(Document.published_version_id))
        .where(
            Document.status == DocumentStatus.ACTIVE.value,
            sa.exists().where(col(DocumentAudience.document_id) == col(Document.id)),
        )
    )
    return (await session.exec(statement)).all()


async def audience_of(session: AsyncSession, document_id: uuid.UUID) -> Sequence[DocumentAudience]:
    statement = (
        select(DocumentAudience).where(DocumentAudience.document_id == document_id).order_by(col(DocumentAudience.id))
    )
    return (await session.exec(statement)).all()


async def clear_audience(session: AsyncSession, document_id: uuid.UUID) -> None:
    await session.execute(sa.delete(DocumentAudience).where(col(DocumentAudience.document_id) == document_id))


async def reading_request(
    session: AsyncSession, version_id: uuid.UUID, person_id: uuid.UUID, *, for_update: bool = False
) -> ReadingRequest | None:
    return await session.get(ReadingRequest, (version_id, person_id), with_for_update=for_update)


ReadingKey = tuple[bool, date, str, uuid.UUID]
"""Where a reading list is sorted: confirmed last, then by deadline, title and version."""


async def reading_list(
    session: AsyncSession, person_id: uuid.UUID, *, include_confirmed: bool, after: ReadingKey | None, limit: int
) -> Sequence[tuple[ReadingRequest, DocumentVersion]]:
    """The person's requests of versions in force: what is still to read, the most urgent first; then what they
    confirmed."""
    confirmed = col(ReadingRequest.confirmed_at).is_not(None)
    statement = (
        select(ReadingRequest, DocumentVersion)
        .join(DocumentVersion, col(DocumentVersion.id) == col(ReadingRequest.version_id))
        .where(ReadingRequest.person_id == person_id, col(ReadingRequest.superseded_at).is_(None))
        .where(DocumentVersion.status == VersionStatus.PUBLISHED.value)
    )
    if not include_confirmed:
        statement = statement.where(col(ReadingRequest.confirmed_at).is_(None))
    key = (confirmed, col(ReadingRequest.due_on), col(DocumentVersion.title), col(DocumentVersion.id))
    if after is not None:
        statement = statement.where(
            sa.tuple_(*key)
            > sa.tuple_(sa.literal(after[0]), sa.literal(after[1], sa.Date), sa.literal(after[2]), sa.literal(after[3]))
        )
    return (await session.exec(statement.order_by(*key).limit(limit))).all()


async def approval_envelope(session: AsyncSession, version_id: uuid.UUID) -> Envelope:
    """The approval of ``version_id`` as the worker receives it: the outbox row, under the id the relay publishes it
    with (the demo history delivers it itself, at the instant of the approval)."""
    row = (
        await session.execute(
            sa.select(outbox_table)
            .where(outbox_table.c.type == DocumentApproved.type)
            .where(outbox_table.c.data["version_id"].astext == str(version_id))
        )
    ).one()
    return Envelope(id=row.id, type=row.type, source=row.source, time=row.time, tenant_id=row.tenant_id,
                    subject=row.subject, data=row.data)  # fmt: skip
