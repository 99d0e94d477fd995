"""Attachments (vedlegg): the checks every upload passes and where its bytes are kept.

The type is read from the content, never from the file name or the client's content type; a file that is empty,
too large or of a type the service does not take is refused with a clear message before anything is stored. The
bytes go to an ``AttachmentStore``: PostgreSQL by default (each service's ``attachment_content`` table), in the
same transaction as the attachment's row, so a failure leaves nothing half-stored. Another store (object storage)
implements the same two methods.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import Request, Response, UploadFile
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.errors import FieldError, ProblemError
from varde_common.language import Text
from varde_common.office import DOCX, ODS, ODT, XLSX, office_type

JPEG, PNG, GIF, WEBP, HEIC, PDF = "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "application/pdf"

PHOTOS_AND_PDF: dict[str, str] = {JPEG: "JPEG", PNG: "PNG", HEIC: "HEIC", WEBP: "WebP", GIF: "GIF", PDF: "PDF"}
"""What a phone sends for photos and scans: the deviations service takes these."""
OFFICE_FORMS: dict[str, str] = {DOCX: "Word (docx)", XLSX: "Excel (xlsx)", ODT: "ODT", ODS: "ODS"}
"""Forms (skjema) a procedure refers to. Files that can carry macros are never recognised (``office.py``), so never
taken."""

# (signature at offset, content type)
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", JPEG),
    (0, b"\x89PNG\r\n\x1a\n", PNG),
    (0, b"%PDF-", PDF),
    (0, b"GIF87a", GIF),
    (0, b"GIF89a", GIF),
)
_HEIF_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"}


def sniff_content_type(content: bytes) -> str | None:
    """The content type the bytes really are, from their signature; None for anything unrecognised."""
    for offset, signature, content_type in _SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return content_type
    if content[0:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content[4:8] == b"ftyp" and content[8:12] in _HEIF_BRANDS:
        return HEIC
    if content[0:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return office_type(archive)
        except (zipfile.BadZipFile, ValueError, NotImplementedError):
            return None
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_filename(name: str | None, content_type: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _UNSAFE.sub("_", base)[:120].strip("._ ")
    return base or f"vedlegg.{content_type.rsplit('/', 1)[-1].rsplit('.', 1)[-1]}"


class EmptyFile(ProblemError):
    status = 422
    slug = "attachment-empty"
    title = Text(nb="Tom fil", nn="Tom fil")
    detail = Text(nb="Filen er tom.", nn="Fila er tom.")
    field = "file"


class FileTooLarge(ProblemError):
    status = 422
    slug = "attachment-too-large"
    title = Text(nb="Filen er for stor", nn="Fila er for stor")
    detail = Text(
        nb="Filen er for stor. Den kan være høyst {limit_mb} MB.",
        nn="Fila er for stor. Ho kan vere høgst {limit_mb} MB.",
    )
    field = "file"


class FileTypeNotAllowed(ProblemError):
    status = 422
    slug = "attachment-type-not-allowed"
    title = Text(nb="Filtypen er ikke tillatt", nn="Filtypen er ikkje tillaten")
    detail = Text(
        nb="Filtypen er ikke tillatt. Tillatte filtyper: {allowed}.",
        nn="Filtypen er ikkje tillaten. Tillatne filtypar: {allowed}.",
    )
    field = "file"


class UnknownFormFields(ProblemError):
    status = 422
    slug = "attachment-unknown-fields"
    title = Text(nb="Ukjente felt", nn="Ukjende felt")
    detail = Text(
        nb="Skjemaet har felt som ikke hører til: {names}.", nn="Skjemaet har felt som ikkje høyrer til: {names}."
    )


UPLOAD_PROBLEMS: tuple[type[ProblemError], ...] = (EmptyFile, FileTooLarge, FileTypeNotAllowed, UnknownFormFields)
"""What an upload route can answer about the file: declare them on the route."""


def checked_content_type(content: bytes, max_bytes: int, allowed: dict[str, str]) -> str:
    """The upload's real content type, or a 422 naming what is wrong with it and what is allowed."""
    if not content:
        raise EmptyFile()
    if len(content) > max_bytes:
        raise FileTooLarge(limit_mb=max_bytes // 1_048_576)
    content_type = sniff_content_type(content)
    if content_type not in allowed:
        names = list(allowed.values())
        raise FileTypeNotAllowed(allowed=", ".join(names))
    return content_type


async def read_upload(request: Request, file: UploadFile, max_bytes: int) -> bytes:
    """The file's bytes, read at most one byte past the limit (so too large is known without reading it all); any
    form field beside ``file`` is refused, as unknown JSON fields are."""
    unknown = sorted(key for key in (await request.form()) if key != "file")
    if unknown:
        message = Text(nb="Feltet finnes ikke her.", nn="Feltet finst ikkje her.")
        raise UnknownFormFields(
            names=", ".join(unknown),
            fields=[FieldError(field=k, code="extra_forbidden", message=message) for k in unknown],
        )
    return await file.read(max_bytes + 1)


class AttachmentStore(Protocol):
    async def put(self, session: AsyncSession, tenant_id: uuid.UUID, key: str, content: bytes) -> None: ...

    async def get(self, session: AsyncSession, key: str) -> bytes | None: ...

    async def discard(self, session: AsyncSession, key: str) -> None: ...


_PUT = sa.text("INSERT INTO attachment_content (storage_key, tenant_id, content) VALUES (:key, :tenant_id, :content)")
_GET = sa.text("SELECT content FROM attachment_content WHERE storage_key = :key")
_DISCARD = sa.text("DELETE FROM attachment_content WHERE storage_key = :key")


class PostgresAttachmentStore:
    """Bytes in the service's ``attachment_content`` table, written in the caller's transaction (row-level
    security applies: a key of another kommune is not found)."""

    async def put(self, session: AsyncSession, tenant_id: uuid.UUID, key: str, content: bytes) -> None:
        await session.execute(_PUT, {"key": key, "tenant_id": tenant_id, "content": content})

    async def get(self, session: AsyncSession, key: str) -> bytes | None:
        content: bytes | None = (await session.execute(_GET, {"key": key})).scalar_one_or_none()
        return content

    async def discard(self, session: AsyncSession, key: str) -> None:
        await session.execute(_DISCARD, {"key": key})


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes

    def response(self) -> Response:
        """Always a download, never rendered in the browser: a PDF or image cannot run in our origin."""
        return Response(
            self.content,
            media_type=self.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(self.filename)}",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )
