"""HTTP adapters of documents: parse, call the use case, return a model."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from pydantic import BaseModel
from pydantic import Field as PydanticField

from varde_common.attachments import read_upload
from varde_common.cursor import decode_title_cursor, encode_cursor
from varde_common.identity import CurrentIdentity
from varde_documents.attachments import AttachmentService
from varde_documents.coverage import CoverageService
from varde_documents.domain import DocumentKind, DocumentStatus
from varde_documents.models import (
    Audience,
    AudiencePublic,
    Coverage,
    CoverageOverview,
    DocumentChange,
    DocumentCreate,
    DocumentHistoryEntry,
    DocumentPublic,
    DraftCreate,
    DraftEdit,
    FolderCreate,
    FolderPublic,
    ReadingListItem,
    StillValid,
    VersionAttachmentPublic,
    VersionDiff,
    VersionPublic,
    VersionRejection,
)
from varde_documents.reading import ReadingService
from varde_documents.search import SearchHit, SearchService
from varde_documents.service import DocumentService

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


class DocumentLine(BaseModel):
    """A document in a list: enough to pick it."""

    id: uuid.UUID
    title: str
    kind: DocumentKind
    status: DocumentStatus
    owner_unit_id: uuid.UUID
    folder_id: uuid.UUID | None
    tags: list[str]
    in_force: bool = PydanticField(description="Har en gjeldende (godkjent) versjon")
    revision_due: str | None


class DocumentPage(BaseModel):
    items: list[DocumentLine]
    next_cursor: str | None = PydanticField(description="Send som ?cursor= for neste side; null på siste side")


def _reading(request: Request) -> ReadingService:
    service: ReadingService = request.app.state.reading
    return service


def _documents(request: Request) -> DocumentService:
    service: DocumentService = request.app.state.documents
    return service


def _coverage(request: Request) -> CoverageService:
    service: CoverageService = request.app.state.coverage
    return service


def _attachments(request: Request) -> AttachmentService:
    service: AttachmentService = request.app.state.attachments
    return service


@router.post("", response_model=DocumentPublic, status_code=status.HTTP_201_CREATED, summary="Nytt dokument")
async def create(request: Request, identity: CurrentIdentity, body: DocumentCreate) -> DocumentPublic:
    return await _documents(request).create(identity, body)


@router.get("", response_model=DocumentPage, summary="Dokumenter (gjeldende, og utkast du kan se)")
async def list_documents(
    request: Request,
    identity: CurrentIdentity,
    folder_id: uuid.UUID | None = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    kind: DocumentKind | None = None,
    include_archived: bool = False,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> DocumentPage:
    after = decode_title_cursor(cursor) if cursor is not None else None
    rows = await _documents(request).list_documents(
        identity, folder_id=folder_id, tag=tag, kind=kind, include_archived=include_archived, after=after, limit=limit
    )
    items = [
        DocumentLine(
            id=d.id,
            title=d.title,
            kind=DocumentKind(d.kind),
            status=DocumentStatus(d.status),
            owner_unit_id=d.owner_unit_id,
            folder_id=d.folder_id,
            tags=d.tags,
            in_force=d.published_version_id is not None,
            revision_due=d.revision_due.isoformat() if d.revision_due else None,
        )
        for d in rows
    ]
    last = rows[-1] if len(rows) == limit else None
    return DocumentPage(items=items, next_cursor=encode_cursor(last.title, str(last.id)) if last else None)


@router.get("/folders", response_model=list[FolderPublic], summary="Mapper")
async def folders(request: Request, identity: CurrentIdentity) -> list[FolderPublic]:
    return await _documents(request).folders(identity)


@router.post("/folders", response_model=FolderPublic, status_code=status.HTTP_201_CREATED, summary="Ny mappe")
async def create_folder(request: Request, identity: CurrentIdentity, body: FolderCreate) -> FolderPublic:
    return await _documents(request).create_folder(identity, body)


@router.get("/search", response_model=list[SearchHit], summary="Søk i gjeldende dokumenter (norsk fulltekst)")
async def search(
    request: Request,
    identity: CurrentIdentity,
    q: Annotated[str, Query(min_length=2, max_length=200, description='Søkeord; "frase", -utelat, eller')],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[SearchHit]:
    service: SearchService = request.app.state.search
    return await service.search(identity, q, limit)


@router.get("/reading-list", response_model=list[ReadingListItem], summary="Min leseliste")
async def reading_list(
    request: Request, identity: CurrentIdentity, include_confirmed: bool = False
) -> list[ReadingListItem]:
    return await _reading(request).reading_list(identity, include_confirmed)


@router.get("/reading-coverage", response_model=CoverageOverview, summary="Lesestatus for en enhet, alle dokumenter")
async def reading_coverage(
    request: Request,
    identity: CurrentIdentity,
    unit_id: Annotated[uuid.UUID, Query(description="Enheten med alle enheter under den")],
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> CoverageOverview:
    return await _coverage(request).of_unit(identity, unit_id, limit)


@router.get("/{document_id}", response_model=DocumentPublic, summary="Dokumentet med gjeldende versjon")
async def get(request: Request, identity: CurrentIdentity, document_id: uuid.UUID) -> DocumentPublic:
    return await _documents(request).get(identity, document_id)


@router.patch("/{document_id}", response_model=DocumentPublic, summary="Endre mappe, stikkord, revisjon")
async def change(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, body: DocumentChange
) -> DocumentPublic:
    return await _documents(request).change(identity, document_id, body)


@router.get("/{document_id}/history", response_model=list[DocumentHistoryEntry], summary="Dokumentets historikk")
async def history(request: Request, identity: CurrentIdentity, document_id: uuid.UUID) -> list[DocumentHistoryEntry]:
    return await _documents(request).history(identity, document_id)


@router.get("/{document_id}/diff", response_model=VersionDiff, summary="Forskjellen mellom to versjoner")
async def diff(
    request: Request,
    identity: CurrentIdentity,
    document_id: uuid.UUID,
    old: Annotated[
        int | None, Query(alias="from", ge=1, description="Versjonsnummer; versjonen før 'to' om tomt")
    ] = None,
    new: Annotated[int | None, Query(alias="to", ge=1, description="Versjonsnummer; gjeldende versjon om tomt")] = None,
) -> VersionDiff:
    return await _documents(request).diff(identity, document_id, old, new)


@router.post(
    "/{document_id}/confirm-valid", response_model=DocumentPublic, summary="Bekreft at dokumentet fortsatt gjelder"
)
async def confirm_still_valid(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, body: StillValid | None = None
) -> DocumentPublic:
    return await _documents(request).confirm_still_valid(identity, document_id, body or StillValid())


@router.get("/{document_id}/audience", response_model=AudiencePublic, summary="Hvem som skal lese dokumentet")
async def audience(request: Request, identity: CurrentIdentity, document_id: uuid.UUID) -> AudiencePublic:
    return await _reading(request).audience(identity, document_id)


@router.put("/{document_id}/audience", response_model=AudiencePublic, summary="Bestem hvem som skal lese dokumentet")
async def set_audience(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, body: Audience
) -> AudiencePublic:
    return await _reading(request).set_audience(identity, document_id, body)


@router.get("/{document_id}/coverage", response_model=Coverage, summary="Lesestatus for gjeldende versjon")
async def coverage(
    request: Request,
    identity: CurrentIdentity,
    document_id: uuid.UUID,
    unit_id: Annotated[uuid.UUID | None, Query(description="Enheten med alle enheter under den")] = None,
) -> Coverage:
    return await _coverage(request).of_document(identity, document_id, unit_id)


@router.post(
    "/{document_id}/versions/{version_id}/confirm-read",
    response_model=ReadingListItem,
    summary="Bekreft lest og forstått",
)
async def confirm_read(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID
) -> ReadingListItem:
    return await _reading(request).confirm(identity, document_id, version_id)


@router.post("/{document_id}/archive", response_model=DocumentPublic, summary="Arkiver dokumentet")
async def archive(request: Request, identity: CurrentIdentity, document_id: uuid.UUID) -> DocumentPublic:
    return await _documents(request).archive(identity, document_id)


@router.post(
    "/{document_id}/versions",
    response_model=VersionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Nytt utkast (kopi av gjeldende versjon)",
)
async def new_draft(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, body: DraftCreate | None = None
) -> VersionPublic:
    return await _documents(request).new_draft(identity, document_id, body or DraftCreate())


@router.get("/{document_id}/versions/{version_id}", response_model=VersionPublic, summary="En versjon")
async def version(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID
) -> VersionPublic:
    return await _documents(request).version(identity, document_id, version_id)


@router.patch("/{document_id}/versions/{version_id}", response_model=VersionPublic, summary="Rediger utkast")
async def edit_draft(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID, body: DraftEdit
) -> VersionPublic:
    return await _documents(request).edit_draft(identity, document_id, version_id, body)


@router.post(
    "/{document_id}/versions/{version_id}/submit", response_model=VersionPublic, summary="Send til godkjenning"
)
async def submit(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID
) -> VersionPublic:
    return await _documents(request).submit(identity, document_id, version_id)


@router.post(
    "/{document_id}/versions/{version_id}/withdraw",
    response_model=VersionPublic,
    summary="Trekk tilbake fra godkjenning",
)
async def withdraw(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID
) -> VersionPublic:
    return await _documents(request).withdraw(identity, document_id, version_id)


@router.post(
    "/{document_id}/versions/{version_id}/approve", response_model=DocumentPublic, summary="Godkjenn og publiser"
)
async def approve(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID
) -> DocumentPublic:
    return await _documents(request).approve(identity, document_id, version_id)


@router.post(
    "/{document_id}/versions/{version_id}/reject", response_model=VersionPublic, summary="Send tilbake til forfatter"
)
async def reject(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID, body: VersionRejection
) -> VersionPublic:
    return await _documents(request).reject(identity, document_id, version_id, body)


@router.post(
    "/{document_id}/versions/{version_id}/attachments",
    response_model=VersionAttachmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg ved fil på et utkast",
)
async def add_attachment(
    request: Request,
    identity: CurrentIdentity,
    document_id: uuid.UUID,
    version_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="PDF, bilde, Word (docx), Excel (xlsx), ODT eller ODS")],
) -> VersionAttachmentPublic:
    service = _attachments(request)
    content = await read_upload(request, file, service.max_bytes)
    return await service.add(identity, document_id, version_id, file.filename, content)


@router.delete(
    "/{document_id}/versions/{version_id}/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Fjern vedlegg fra et utkast",
)
async def remove_attachment(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID, attachment_id: uuid.UUID
) -> Response:
    await _attachments(request).remove(identity, document_id, version_id, attachment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{document_id}/versions/{version_id}/attachments/{attachment_id}",
    response_class=Response,
    summary="Last ned vedlegg",
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_attachment(
    request: Request, identity: CurrentIdentity, document_id: uuid.UUID, version_id: uuid.UUID, attachment_id: uuid.UUID
) -> Response:
    download = await _attachments(request).download(identity, document_id, version_id, attachment_id)
    return download.response()
