"""Attachments (vedlegg) on a case: photos and PDFs from a phone.

The type is read from the content, never from the file name or the client's content type; a file that is too
large or of another type is refused with a clear message before anything is stored. The bytes go to an
``AttachmentStore``: PostgreSQL by default, in the same transaction as the attachment's row, so a failure leaves
nothing half-stored. Another store (object storage) implements the same two methods.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from varde_common.identity import Identity
from varde_deviations.access import case_access
from varde_deviations.domain import DeviationStatus
from varde_deviations.models import (
    Attachment,
    AttachmentContent,
    AttachmentPublic,
    Deviation,
    RestrictedAccess,
    now,
)
from varde_deviations.service import NOT_FOUND, record

# (signature at offset, content type): what a phone sends for photos and scans.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"}
ALLOWED_DESCRIPTION = "JPEG, PNG, HEIC, WebP, GIF eller PDF"


def sniff_content_type(content: bytes) -> str | None:
    """The content type the bytes really are, from their signature; None for anything not allowed."""
    for offset, signature, content_type in _SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return content_type
    if content[0:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_filename(name: str | None, content_type: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _UNSAFE.sub("_", base)[:120].strip("._ ")
    return base or f"vedlegg.{content_type.rsplit('/', 1)[-1]}"


class AttachmentStore(Protocol):
    async def put(self, session: AsyncSession, tenant_id: uuid.UUID, key: str, content: bytes) -> None: ...

    async def get(self, session: AsyncSession, key: str) -> bytes | None: ...


class PostgresAttachmentStore:
    """Bytes in ``attachment_content``, written in the caller's transaction."""

    async def put(self, session: AsyncSession, tenant_id: uuid.UUID, key: str, content: bytes) -> None:
        session.add(AttachmentContent(storage_key=key, tenant_id=tenant_id, content=content))

    async def get(self, session: AsyncSession, key: str) -> bytes | None:
        stored = await session.get(AttachmentContent, key)
        return stored.content if stored else None


def _refused(message: str, code: str) -> InvalidInputError:
    return InvalidInputError(message, extra={"errors": [{"field": "file", "message": message, "code": code}]})


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


class AttachmentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], store: AttachmentStore, max_bytes: int) -> None:
        self.sessions = sessions
        self.store = store
        self.max_bytes = max_bytes

    def check(self, content: bytes) -> str:
        if not content:
            raise _refused("Filen er tom.", "empty")
        if len(content) > self.max_bytes:
            raise _refused(
                f"Filen er for stor; største tillatte størrelse er {self.max_bytes // 1_048_576} MB.", "too_large"
            )
        content_type = sniff_content_type(content)
        if content_type is None:
            raise _refused(f"Filtypen er ikke tillatt. Tillatt: {ALLOWED_DESCRIPTION}.", "type_not_allowed")
        return content_type

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
            content_type = self.check(content)
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
