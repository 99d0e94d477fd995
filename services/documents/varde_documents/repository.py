"""Every query of documents, scoped to the tenant by row-level security."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import replica_role_assignment
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


async def next_version_number(session: AsyncSession, document_id: uuid.UUID) -> int:
    highest = await session.execute(
        sa.select(sa.func.max(DocumentVersion.number)).where(col(DocumentVersion.document_id) == document_id)
    )
    return int(highest.scalar() or 0) + 1


async def history(session: AsyncSession, document_id: uuid.UUID) -> Sequence[DocumentHistory]:
    statement = (
        select(DocumentHistory)
        .where(DocumentHistory.document_id == document_id)
        .order_by(col(DocumentHistory.at), col(DocumentHistory.id))
    )
    return (await session.exec(statement)).all()


async def holds_any_role(session: AsyncSession, person_id: uuid.UUID) -> bool:
    roles = replica_role_assignment
    found = await session.execute(sa.select(roles.c.id).where(roles.c.person_id == person_id).limit(1))
    return found.first() is not None


async def list_documents(
    session: AsyncSession,
    *,
    owner_units: set[uuid.UUID] | None,
    folder_id: uuid.UUID | None,
    tag: str | None,
    kind: str | None,
    include_archived: bool,
    after_title: tuple[str, uuid.UUID] | None,
    limit: int,
) -> Sequence[Document]:
    """Documents sorted by title then id (stable for a cursor), published ones only unless ``owner_units`` names
    the units whose drafts the caller may see."""
    statement = select(Document)
    visible: sa.ColumnElement[bool] = col(Document.published_version_id).is_not(None)
    if owner_units:
        visible = sa.or_(visible, col(Document.owner_unit_id).in_(owner_units))
    statement = statement.where(visible)
    if not include_archived:
        statement = statement.where(Document.status == DocumentStatus.ACTIVE)
    if folder_id is not None:
        statement = statement.where(Document.folder_id == folder_id)
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


async def folders(session: AsyncSession) -> Sequence[Folder]:
    return (await session.exec(select(Folder).order_by(col(Folder.name)))).all()


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
