"""Attachments (vedlegg) on a case: photos and PDFs from a phone. The checks and the store are
``varde_common.attachments``; here: who may add and download them, and the record of it. Attachments are part of
the restricted content: who does not see that part is not told an attachment exists."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.attachments import PHOTOS_AND_PDF, AttachmentStore, Download, checked_content_type, safe_filename
from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_deviations import repository
from varde_deviations.access import readable
from varde_deviations.domain import is_open
from varde_deviations.errors import AttachmentForbidden, AttachmentNotFound, DeviationNotOpen
from varde_deviations.models import Attachment, AttachmentPublic, now
from varde_deviations.records import log_restricted_read, record


@dataclass(frozen=True)
class Added:
    attachment: AttachmentPublic
    replayed: bool  # these bytes were on the case already


class AttachmentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], store: AttachmentStore, max_bytes: int) -> None:
        self.sessions = sessions
        self.store = store
        self.max_bytes = max_bytes

    async def add(self, identity: Identity, deviation_id: uuid.UUID, filename: str | None, content: bytes) -> Added:
        """The file on the case. The same bytes sent again (a retry on a bad network, a form sent twice) answer
        the attachment they made the first time: a case never holds two copies of one photo. The case is locked
        for the upload, so two such retries at once cannot both store it."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await readable(session, identity.person_id, deviation_id, for_update=True)
            if not access.restricted:
                raise AttachmentForbidden()
            if not is_open(deviation.status):
                raise DeviationNotOpen()
            content_type = checked_content_type(content, self.max_bytes, PHOTOS_AND_PDF)
            sha256 = hashlib.sha256(content).hexdigest()
            earlier = await repository.attachment_with_content(session, deviation.id, sha256)
            if earlier is not None:
                return Added(AttachmentPublic.model_validate(earlier, from_attributes=True), replayed=True)
            at = now()
            attachment = Attachment(
                tenant_id=identity.tenant_id,
                deviation_id=deviation.id,
                filename=safe_filename(filename, content_type),
                content_type=content_type,
                size=len(content),
                sha256=sha256,
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
            return Added(AttachmentPublic.model_validate(attachment, from_attributes=True), replayed=False)

    async def download(self, identity: Identity, deviation_id: uuid.UUID, attachment_id: uuid.UUID) -> Download:
        """Only those who see the restricted part may download, and each download is in the access log."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await readable(session, identity.person_id, deviation_id)
            attachment = await repository.attachment(session, attachment_id) if access.restricted else None
            if attachment is None or attachment.deviation_id != deviation.id:
                raise AttachmentNotFound()
            content = await self.store.get(session, attachment.storage_key)
            if content is None:
                raise AttachmentNotFound()
            log_restricted_read(session, deviation, identity.person_id, now(), f"attachment:{attachment.id}")
            return Download(attachment.filename, attachment.content_type, content)
