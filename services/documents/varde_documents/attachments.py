"""Attachments (vedlegg) on document versions: the form a procedure refers to, a flow chart, a scanned page.

The checks and the store are ``varde_common.attachments``, as for deviations. Here: a file is added to or removed
from a draft only (a published version never changes), by those who write the document; whoever sees the version
downloads it.
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.attachments import (
    OFFICE_FORMS,
    PHOTOS_AND_PDF,
    AttachmentStore,
    Download,
    checked_content_type,
    safe_filename,
)
from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_documents import repository
from varde_documents.access import visible_version, writable_version
from varde_documents.domain import HistoryAction, VersionStatus
from varde_documents.errors import AttachmentOnlyOnDraft, DocumentAttachmentNotFound
from varde_documents.models import (
    Document,
    DocumentAttachment,
    DocumentVersion,
    VersionAttachmentPublic,
    now,
)
from varde_documents.records import record

DOCUMENT_FILES: dict[str, str] = {**PHOTOS_AND_PDF, **OFFICE_FORMS}


class AttachmentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], store: AttachmentStore, max_bytes: int) -> None:
        self.sessions = sessions
        self.store = store
        self.max_bytes = max_bytes

    async def _draft(
        self, session: AsyncSession, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID
    ) -> tuple[Document, DocumentVersion]:
        document, _, version = await writable_version(session, identity.person_id, document_id, version_id)
        if version.status != VersionStatus.DRAFT:
            raise AttachmentOnlyOnDraft(extra={"version_status": version.status})
        return document, version

    async def add(
        self,
        identity: Identity,
        document_id: uuid.UUID,
        version_id: uuid.UUID,
        filename: str | None,
        content: bytes,
    ) -> VersionAttachmentPublic:
        content_type = checked_content_type(content, self.max_bytes, DOCUMENT_FILES)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, version = await self._draft(session, identity, document_id, version_id)
            at = now()
            attachment = DocumentAttachment(
                tenant_id=identity.tenant_id,
                document_id=document.id,
                version_id=version.id,
                filename=safe_filename(filename, content_type),
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                storage_key=f"{identity.tenant_id}/documents/{document.id}/{uuid.uuid4()}",
                uploaded_by=identity.person_id,
                uploaded_at=at,
            )
            await self.store.put(session, identity.tenant_id, attachment.storage_key, content)
            session.add(attachment)
            version.updated_at = at
            session.add(version)
            record(
                session,
                document,
                identity.person_id,
                HistoryAction.ATTACHMENT_ADDED,
                at,
                version,
                attachment_id=attachment.id,
                filename=attachment.filename,
                content_type=content_type,
                size=len(content),
            )
            return VersionAttachmentPublic.model_validate(attachment, from_attributes=True)

    async def remove(
        self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> None:
        """The row goes; the bytes go too unless an earlier version still has them (drafts share its files)."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            document, version = await self._draft(session, identity, document_id, version_id)
            attachment = await repository.get_attachment(session, version.id, attachment_id)
            if attachment is None:
                raise DocumentAttachmentNotFound()
            await session.delete(attachment)
            await session.flush()
            if not await repository.storage_key_in_use(session, attachment.storage_key):
                await self.store.discard(session, attachment.storage_key)
            at = now()
            version.updated_at = at
            session.add(version)
            record(
                session,
                document,
                identity.person_id,
                HistoryAction.ATTACHMENT_REMOVED,
                at,
                version,
                attachment_id=attachment.id,
                filename=attachment.filename,
            )

    async def download(
        self, identity: Identity, document_id: uuid.UUID, version_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> Download:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, _, version = await visible_version(session, identity.person_id, document_id, version_id)
            attachment = await repository.get_attachment(session, version.id, attachment_id)
            content = await self.store.get(session, attachment.storage_key) if attachment else None
            if attachment is None or content is None:
                raise DocumentAttachmentNotFound()
            return Download(attachment.filename, attachment.content_type, content)
