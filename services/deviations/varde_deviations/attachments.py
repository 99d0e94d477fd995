"""Attachments (vedlegg) on a case: photos and PDFs from a phone. The checks and the store are
``varde_common.attachments``; here: who may add and download them, and the record of it."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.attachments import PHOTOS_AND_PDF, AttachmentStore, Download, checked_content_type, safe_filename
from varde_common.db import tenant_transaction
from varde_common.errors import ConflictError, ForbiddenError, NotFoundError
from varde_common.identity import Identity
from varde_deviations.access import case_access
from varde_deviations.domain import DeviationStatus
from varde_deviations.models import Attachment, AttachmentPublic, Deviation, RestrictedAccess, now
from varde_deviations.service import NOT_FOUND, record


class AttachmentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], store: AttachmentStore, max_bytes: int) -> None:
        self.sessions = sessions
        self.store = store
        self.max_bytes = max_bytes

    async def add(
        self, identity: Identity, deviation_id: uuid.UUID, filename: str | None, content: bytes
    ) -> AttachmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation = await session.get(Deviation, deviation_id)
            if deviation is None:
                raise NotFoundError(NOT_FOUND)
            access = await case_access(session, identity.person_id, deviation)
            if not access.read:
                raise NotFoundError(NOT_FOUND)
            if not access.restricted:
                raise ForbiddenError("Bare melderen og behandlerne kan legge ved filer.")
            if deviation.status in (DeviationStatus.CLOSED, DeviationStatus.REJECTED):
                raise ConflictError("Saken er avsluttet; gjenåpne den for å legge ved filer.")
            content_type = checked_content_type(content, self.max_bytes, PHOTOS_AND_PDF)
            at = now()
            attachment = Attachment(
                tenant_id=identity.tenant_id,
                deviation_id=deviation.id,
                filename=safe_filename(filename, content_type),
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                storage_key=f"{identity.tenant_id}/{deviation.id}/{uuid.uuid4()}",
                uploaded_by=None if deviation.anonymous and access.reporter else identity.person_id,
                uploaded_at=at,
            )
            await self.store.put(session, identity.tenant_id, attachment.storage_key, content)
            session.add(attachment)
            record(
                session,
                deviation,
                attachment.uploaded_by,
                "attachment_added",
                at,
                attachment_id=attachment.id,
                content_type=content_type,
                size=len(content),
            )
            return AttachmentPublic.model_validate(attachment, from_attributes=True)

    async def download(self, identity: Identity, deviation_id: uuid.UUID, attachment_id: uuid.UUID) -> Download:
        """Attachments are part of the restricted content: only those who see it may download, and it is logged."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation = await session.get(Deviation, deviation_id)
            if deviation is None:
                raise NotFoundError(NOT_FOUND)
            access = await case_access(session, identity.person_id, deviation)
            attachment = await session.get(Attachment, attachment_id)
            if not access.restricted or attachment is None or attachment.deviation_id != deviation.id:
                raise NotFoundError("Vedlegget finnes ikke.")
            content = await self.store.get(session, attachment.storage_key)
            if content is None:
                raise NotFoundError("Vedlegget finnes ikke.")
            session.add(
                RestrictedAccess(
                    tenant_id=identity.tenant_id,
                    deviation_id=deviation.id,
                    reader_id=identity.person_id,
                    at=now(),
                    purpose=f"attachment:{attachment.id}",
                )
            )
            return Download(attachment.filename, attachment.content_type, content)
