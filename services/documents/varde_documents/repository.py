"""The queries of documents, their versions, folders, attachments and history (reading, coverage and search keep
theirs beside them, in ``*_queries.py``). Row-level security scopes every one to the caller's kommune."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.scheduler import not_yet_told
from varde_documents.domain import DocumentStatus, VersionStatus
from varde_documents.models import Document, DocumentAttachment, DocumentHistory, DocumentVersion, Folder


async def get_document(session: AsyncSession, document_id: uuid.UUID, *, for_update: bool = False) -> Document | None:
    statement = select(Document).where(Document.id == document_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def get_version(
    session: AsyncSession, document_id: uuid.UUID, version_id: uuid.UUID, *, for_update: bool = False
) -> DocumentVersion | None:
    statement = select(DocumentVersion).where(
        DocumentVersion.id == version_id, DocumentVersion.document_id == document_id
    )
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def versions_of(session: AsyncSession, document_id: uuid.UUID) -> Sequence[DocumentVersion]:
    statement = (
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document_id)
        .order_by(col(DocumentVersion.number).desc())
    )
    return (await session.exec(statement)).all()


async def published_version(session: AsyncSession, document_id: uuid.UUID) -> DocumentVersion | None:
    statement = select(DocumentVersion).where(
        DocumentVersion.document_id == document_id, DocumentVersion.status == VersionStatus.PUBLISHED
    )
    return (await session.exec(statement.with_for_update())).first()


async def version_in_force(session: AsyncSession, document: Document) -> DocumentVersion | None:
    if document.published_version_id is None:
        return None
    return await session.get(DocumentVersion, document.published_version_id)


async def previously_in_force(session: AsyncSession, version: DocumentVersion) -> DocumentVersion | None:
    """The newest version before ``version`` that has been in force."""
    statement = (
        select(DocumentVersion)
        .where(
            DocumentVersion.document_id == version.document_id,
            col(DocumentVersion.number) < version.number,
            col(DocumentVersion.published_at).is_not(None),
        )
        .order_by(col(DocumentVersion.number).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def next_version_number(session: AsyncSession, document_id: uuid.UUID) -> int:
    highest = await session.execute(
        sa.select(sa.func.max(DocumentVersion.number)).where(col(DocumentVersion.document_id) == document_id)
    )
    return int(highest.scalar() or 0) + 1


async def history_page(
    session: AsyncSession, document_id: uuid.UUID, after: tuple[datetime, int] | None, limit: int
) -> Sequence[DocumentHistory]:
    """The document's steps in the order they happened, from after ``after`` (at, id); ``limit`` rows."""
    statement = select(DocumentHistory).where(DocumentHistory.document_id == document_id)
    if after is not None:
        statement = statement.where(
            sa.tuple_(col(DocumentHistory.at), col(DocumentHistory.id))
            > sa.tuple_(sa.literal(after[0], sa.DateTime(timezone=True)), sa.literal(after[1]))
        )
    statement = statement.order_by(col(DocumentHistory.at), col(DocumentHistory.id)).limit(limit)
    return (await session.exec(statement)).all()


async def list_documents(
    session: AsyncSession,
    *,
    reader_id: uuid.UUID,
    write_units: set[uuid.UUID],
    approve_units: set[uuid.UUID],
    folder_id: uuid.UUID | None,
    tag: str | None,
    kind: str | None,
    include_archived: bool,
    after_title: tuple[str, uuid.UUID] | None,
    limit: int,
    owner_units: Sequence[uuid.UUID] | None = None,
) -> Sequence[Document]:
    """Documents sorted by title then id (stable for a cursor): those in force, and those whose drafts the reader
    sees by the rule of ``access.document_access`` (they write in the owning unit, approve in the approver unit,
    or own the revision)."""
    statement = select(Document).where(
        sa.or_(
            col(Document.published_version_id).is_not(None),
            col(Document.owner_unit_id).in_(write_units),
            col(Document.approver_unit_id).in_(approve_units),
            col(Document.revision_owner_id) == reader_id,
        )
    )
    if not include_archived:
        statement = statement.where(Document.status == DocumentStatus.ACTIVE)
    if folder_id is not None:
        statement = statement.where(Document.folder_id == folder_id)
    if owner_units is not None:
        statement = statement.where(col(Document.owner_unit_id).in_(owner_units))
    if tag is not None:
        statement = statement.where(col(Document.tags).any(tag))  # type: ignore[arg-type]
    if kind is not None:
        statement = statement.where(Document.kind == kind)
    if after_title is not None:
        statement = statement.where(
            sa.tuple_(col(Document.title), col(Document.id))
            > sa.tuple_(sa.literal(after_title[0]), sa.literal(after_title[1]))
        )
    statement = statement.order_by(col(Document.title), col(Document.id)).limit(limit)
    return (await session.exec(statement)).all()


async def awaiting_approval(
    session: AsyncSession,
    *,
    approver_id: uuid.UUID,
    approve_units: set[uuid.UUID],
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[tuple[DocumentVersion, Document]]:
    """Submitted versions of active documents whose approver unit is in ``approve_units`` and that ``approver_id``
    did not write (nobody approves their own), the longest waiting first, from after ``after`` (submitted_at, id)."""
    statement = (
        select(DocumentVersion, Document)
        .join(Document, col(Document.id) == col(DocumentVersion.document_id))
        .where(
            DocumentVersion.status == VersionStatus.SUBMITTED,
            Document.status == DocumentStatus.ACTIVE,
            col(Document.approver_unit_id).in_(approve_units),
            DocumentVersion.author_id != approver_id,
        )
    )
    if after is not None:
        statement = statement.where(
            sa.tuple_(col(DocumentVersion.submitted_at), col(DocumentVersion.id))
            > sa.tuple_(sa.literal(after[0], sa.DateTime(timezone=True)), sa.literal(after[1]))
        )
    statement = statement.order_by(col(DocumentVersion.submitted_at), col(DocumentVersion.id)).limit(limit)
    return [(version, document) for version, document in (await session.exec(statement)).all()]


async def folder_exists(session: AsyncSession, folder_id: uuid.UUID) -> bool:
    return await session.get(Folder, folder_id) is not None


async def folders(session: AsyncSession) -> Sequence[Folder]:
    return (await session.exec(select(Folder).order_by(col(Folder.name), col(Folder.id)))).all()


async def attachments_of(session: AsyncSession, version_id: uuid.UUID) -> Sequence[DocumentAttachment]:
    statement = (
        select(DocumentAttachment)
        .where(DocumentAttachment.version_id == version_id)
        .order_by(col(DocumentAttachment.uploaded_at), col(DocumentAttachment.filename))
    )
    return (await session.exec(statement)).all()


async def get_attachment(
    session: AsyncSession, version_id: uuid.UUID, attachment_id: uuid.UUID
) -> DocumentAttachment | None:
    statement = select(DocumentAttachment).where(
        DocumentAttachment.id == attachment_id, DocumentAttachment.version_id == version_id
    )
    return (await session.exec(statement)).first()


_COPY_ATTACHMENTS = sa.text(
    """
    INSERT INTO document_attachment (id, tenant_id, document_id, version_id, filename, content_type, size, sha256,
                                     storage_key, uploaded_by, uploaded_at)
    SELECT gen_random_uuid(), tenant_id, document_id, :to_version, filename, content_type, size, sha256,
           storage_key, uploaded_by, uploaded_at
      FROM document_attachment WHERE version_id = :from_version
    """
)


async def copy_attachments(session: AsyncSession, from_version: uuid.UUID, to_version: uuid.UUID) -> None:
    """The new draft's attachments are the old version's rows; the bytes are shared, never copied."""
    await session.execute(_COPY_ATTACHMENTS, {"from_version": from_version, "to_version": to_version})


async def storage_key_in_use(session: AsyncSession, storage_key: str) -> bool:
    statement = select(DocumentAttachment.id).where(DocumentAttachment.storage_key == storage_key).limit(1)
    return (await session.exec(statement)).first() is not None


async def due_for_revision(session: AsyncSession, *, first: date, last: date) -> Sequence[Document]:
    """Active documents with a revision date from ``first`` to ``last`` whose owner has not been told of that
    date yet; locked, so a parallel round skips them."""
    due = col(Document.revision_due)
    active = Document.status == DocumentStatus.ACTIVE.value
    statement = not_yet_told(Document, due, col(Document.due_notified_for), last, active, due >= first)
    found: Sequence[Document] = (await session.exec(statement)).all()
    return found


async def overdue_for_revision(session: AsyncSession, *, last: date) -> Sequence[Document]:
    """Active documents with a revision date at most ``last`` not yet told overdue for that date; locked."""
    due = col(Document.revision_due)
    active = Document.status == DocumentStatus.ACTIVE.value
    statement = not_yet_told(Document, due, col(Document.overdue_notified_for), last, active)
    found: Sequence[Document] = (await session.exec(statement)).all()
    return found
