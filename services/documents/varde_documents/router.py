"""HTTP adapters of documents: parse, call the use case, return a model. Each route's name is its operation id
(``documents.approveVersion``) and it declares the problems it can answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile, status

from varde_common.attachments import UPLOAD_PROBLEMS, read_upload
from varde_common.http import CallerLanguage, app_service
from varde_common.identity import CurrentIdentity
from varde_common.inputs import InputText
from varde_common.openapi import problems
from varde_common.pages import PageQuery
from varde_documents.approvals import ApprovalService
from varde_documents.attachments import AttachmentService
from varde_documents.coverage import CoverageService
from varde_documents.documents import DocumentService
from varde_documents.domain import DocumentKind
from varde_documents.errors import (
    ApproverNotAboveOwner,
    AttachmentOnlyOnDraft,
    ConfirmValidForbidden,
    CoverageForbidden,
    DifferenceBusy,
    DifferenceTooLargeToShow,
    DocumentAttachmentNotFound,
    DocumentChangeForbidden,
    DocumentCreateForbidden,
    DocumentDecisionForbidden,
    DocumentHistoryForbidden,
    DocumentIsArchived,
    DocumentNotFound,
    DocumentVersionNotFound,
    DocumentVersionNumberNotFound,
    EmptyDraft,
    FolderCreateForbidden,
    IllegalVersionTransition,
    NoEarlierVersion,
    NothingInForce,
    OwnDraftApproval,
    PreviewBusy,
    UnknownFolder,
    UnknownOwnerUnit,
    UnknownParentFolder,
    UnknownRevisionOwner,
    VersionNotInForce,
)
from varde_documents.folders import FolderService
from varde_documents.models import (
    ApprovalPage,
    Audience,
    AudiencePublic,
    Coverage,
    CoverageOverview,
    DocumentChange,
    DocumentCreate,
    DocumentPage,
    DocumentPublic,
    DraftCreate,
    DraftEdit,
    FolderCreate,
    FolderPage,
    FolderPublic,
    HistoryPage,
    MarkdownPreview,
    MarkdownPreviewRequest,
    ReadingListItem,
    ReadingListPage,
    SearchPage,
    StillValid,
    VersionAttachmentPublic,
    VersionDiff,
    VersionPublic,
    VersionRejection,
)
from varde_documents.reading import ReadingService
from varde_documents.revision import RevisionService
from varde_documents.search import SearchService
from varde_documents.versions import VersionService

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

DocumentId = Annotated[uuid.UUID, Path(title="Dokument")]
VersionId = Annotated[uuid.UUID, Path(title="Versjon")]
AttachmentId = Annotated[uuid.UUID, Path(title="Vedlegg")]

_VERSION = (DocumentNotFound, DocumentVersionNotFound)
_WRITE = (DocumentChangeForbidden, DocumentIsArchived)
_DECIDE = (DocumentDecisionForbidden, DocumentIsArchived)
_DETAILS = (UnknownOwnerUnit, ApproverNotAboveOwner, UnknownRevisionOwner, UnknownFolder)


Documents = Annotated[DocumentService, Depends(app_service("documents", DocumentService))]
Versions = Annotated[VersionService, Depends(app_service("versions", VersionService))]
Revision = Annotated[RevisionService, Depends(app_service("revision", RevisionService))]
Folders = Annotated[FolderService, Depends(app_service("folders", FolderService))]
Reading = Annotated[ReadingService, Depends(app_service("reading", ReadingService))]
Coverages = Annotated[CoverageService, Depends(app_service("coverage", CoverageService))]
Search = Annotated[SearchService, Depends(app_service("search", SearchService))]
Attachments = Annotated[AttachmentService, Depends(app_service("attachments", AttachmentService))]
Approvals = Annotated[ApprovalService, Depends(app_service("approvals", ApprovalService))]


# ---- lists and searches ---------------------------------------------------------------------------------------


@router.post(
    "",
    response_model=DocumentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Nytt dokument",
    responses=problems(DocumentCreateForbidden, *_DETAILS),
)
async def create(
    identity: CurrentIdentity, documents: Documents, language: CallerLanguage, body: DocumentCreate
) -> DocumentPublic:
    return await documents.create(identity, body, language=language)


@router.get("", response_model=DocumentPage, summary="Dokumenter (gjeldende, og utkast du kan se)")
async def list_documents(
    identity: CurrentIdentity,
    documents: Documents,
    language: CallerLanguage,
    page: PageQuery,
    folder_id: Annotated[uuid.UUID | None, Query(title="Mappe")] = None,
    unit_id: Annotated[
        uuid.UUID | None, Query(title="Eierenhet", description="Dokumenter eid av enheten eller en enhet under den")
    ] = None,
    tag: Annotated[InputText | None, Query(max_length=100, title="Stikkord")] = None,
    kind: Annotated[DocumentKind | None, Query(title="Dokumenttype")] = None,
    include_archived: Annotated[bool, Query(title="Med arkiverte")] = False,
) -> DocumentPage:
    return await documents.list_documents(
        identity,
        page,
        folder_id=folder_id,
        unit_id=unit_id,
        tag=tag,
        kind=kind,
        include_archived=include_archived,
        language=language,
    )


@router.get("/approval-queue", response_model=ApprovalPage, summary="Til godkjenning hos meg, eldste først")
async def approval_queue(
    identity: CurrentIdentity, approvals: Approvals, language: CallerLanguage, page: PageQuery
) -> ApprovalPage:
    return await approvals.queue(identity, page, language=language)


@router.post(
    "/preview",
    response_model=MarkdownPreview,
    summary="Forhåndsvis innhold slik leseren ser det",
    responses=problems(PreviewBusy),
)
async def preview(identity: CurrentIdentity, documents: Documents, body: MarkdownPreviewRequest) -> MarkdownPreview:
    return await documents.preview(body.content)


@router.get("/folders", response_model=FolderPage, summary="Mapper")
async def list_folders(identity: CurrentIdentity, folders: Folders, page: PageQuery) -> FolderPage:
    return await folders.folders(identity, page)


@router.post(
    "/folders",
    response_model=FolderPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ny mappe",
    responses=problems(FolderCreateForbidden, UnknownParentFolder),
)
async def create_folder(identity: CurrentIdentity, folders: Folders, body: FolderCreate) -> FolderPublic:
    return await folders.create(identity, body)


@router.get("/search", response_model=SearchPage, summary="Søk i gjeldende dokumenter (norsk fulltekst)")
async def search(
    identity: CurrentIdentity,
    service: Search,
    language: CallerLanguage,
    page: PageQuery,
    q: Annotated[
        InputText, Query(min_length=2, max_length=200, title="Søkeord", description='Søkeord; "frase", -utelat, eller')
    ],
) -> SearchPage:
    return await service.search(identity, q, page, language=language)


@router.get("/reading-list", response_model=ReadingListPage, summary="Min leseliste")
async def reading_list(
    identity: CurrentIdentity,
    reading: Reading,
    page: PageQuery,
    include_confirmed: Annotated[bool, Query(title="Med bekreftede")] = False,
) -> ReadingListPage:
    return await reading.reading_list(identity, page, include_confirmed=include_confirmed)


@router.get(
    "/reading-coverage",
    response_model=CoverageOverview,
    summary="Lesestatus for en enhet, alle dokumenter",
    responses=problems(CoverageForbidden),
)
async def reading_coverage(
    identity: CurrentIdentity,
    coverage: Coverages,
    page: PageQuery,
    unit_id: Annotated[uuid.UUID, Query(title="Enhet", description="Enheten med alle enheter under den")],
) -> CoverageOverview:
    return await coverage.of_unit(identity, unit_id, page)


# ---- one document ---------------------------------------------------------------------------------------------


@router.get(
    "/{document_id}",
    response_model=DocumentPublic,
    summary="Dokumentet med gjeldende versjon",
    responses=problems(DocumentNotFound),
)
async def get(
    identity: CurrentIdentity, documents: Documents, language: CallerLanguage, document_id: DocumentId
) -> DocumentPublic:
    return await documents.get(identity, document_id, language=language)


@router.patch(
    "/{document_id}",
    response_model=DocumentPublic,
    summary="Endre mappe, stikkord, revisjon",
    responses=problems(DocumentNotFound, *_WRITE, *_DETAILS),
)
async def change(
    identity: CurrentIdentity,
    documents: Documents,
    language: CallerLanguage,
    document_id: DocumentId,
    body: DocumentChange,
) -> DocumentPublic:
    return await documents.change(identity, document_id, body, language=language)


@router.get(
    "/{document_id}/history",
    response_model=HistoryPage,
    summary="Dokumentets historikk",
    responses=problems(DocumentNotFound, DocumentHistoryForbidden),
)
async def history(
    identity: CurrentIdentity, documents: Documents, language: CallerLanguage, page: PageQuery, document_id: DocumentId
) -> HistoryPage:
    return await documents.history(identity, document_id, page, language=language)


@router.get(
    "/{document_id}/diff",
    response_model=VersionDiff,
    summary="Forskjellen mellom to versjoner",
    responses=problems(
        DocumentNotFound, DocumentVersionNumberNotFound, NoEarlierVersion, DifferenceTooLargeToShow, DifferenceBusy
    ),
)
async def diff(
    identity: CurrentIdentity,
    versions: Versions,
    document_id: DocumentId,
    old: Annotated[
        int | None,
        Query(alias="from", ge=1, title="Fra versjon", description="Versjonsnummer; versjonen før 'to' om tomt"),
    ] = None,
    new: Annotated[
        int | None, Query(alias="to", ge=1, title="Til versjon", description="Versjonsnummer; gjeldende om tomt")
    ] = None,
) -> Response:
    # The worker process wrote the JSON (comparison.py); ``response_model`` still describes it in the OpenAPI.
    return Response(await versions.diff(identity, document_id, old, new), media_type="application/json")


@router.post(
    "/{document_id}/confirm-valid",
    response_model=DocumentPublic,
    summary="Bekreft at dokumentet fortsatt gjelder",
    responses=problems(DocumentNotFound, ConfirmValidForbidden, NothingInForce),
)
async def confirm_still_valid(
    identity: CurrentIdentity,
    revision: Revision,
    language: CallerLanguage,
    document_id: DocumentId,
    body: StillValid | None = None,
) -> DocumentPublic:
    return await revision.confirm_still_valid(identity, document_id, body or StillValid(), language=language)


@router.post(
    "/{document_id}/archive",
    response_model=DocumentPublic,
    summary="Arkiver dokumentet",
    responses=problems(DocumentNotFound, *_DECIDE),
)
async def archive(
    identity: CurrentIdentity, documents: Documents, language: CallerLanguage, document_id: DocumentId
) -> DocumentPublic:
    return await documents.archive(identity, document_id, language=language)


# ---- reading ---------------------------------------------------------------------------------------------------


@router.get(
    "/{document_id}/audience",
    response_model=AudiencePublic,
    summary="Hvem som skal lese dokumentet",
    responses=problems(DocumentNotFound),
)
async def audience(
    identity: CurrentIdentity, reading: Reading, language: CallerLanguage, document_id: DocumentId
) -> AudiencePublic:
    return await reading.audience(identity, document_id, language=language)


@router.put(
    "/{document_id}/audience",
    response_model=AudiencePublic,
    summary="Bestem hvem som skal lese dokumentet",
    responses=problems(DocumentNotFound, *_WRITE),
)
async def set_audience(
    identity: CurrentIdentity, reading: Reading, language: CallerLanguage, document_id: DocumentId, body: Audience
) -> AudiencePublic:
    return await reading.set_audience(identity, document_id, body, language=language)


@router.get(
    "/{document_id}/coverage",
    response_model=Coverage,
    summary="Lesestatus for gjeldende versjon",
    responses=problems(DocumentNotFound, CoverageForbidden),
)
async def coverage(
    identity: CurrentIdentity,
    coverages: Coverages,
    page: PageQuery,
    document_id: DocumentId,
    unit_id: Annotated[uuid.UUID | None, Query(title="Enhet", description="Enheten med alle enheter under den")] = None,
) -> Coverage:
    return await coverages.of_document(identity, document_id, unit_id, page)


@router.post(
    "/{document_id}/versions/{version_id}/confirm-read",
    response_model=ReadingListItem,
    summary="Bekreft lest og forstått",
    responses=problems(*_VERSION, VersionNotInForce),
)
async def confirm_read(
    identity: CurrentIdentity, reading: Reading, document_id: DocumentId, version_id: VersionId
) -> ReadingListItem:
    return await reading.confirm(identity, document_id, version_id)


# ---- versions --------------------------------------------------------------------------------------------------


@router.post(
    "/{document_id}/versions",
    response_model=VersionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Nytt utkast (kopi av gjeldende versjon)",
    responses=problems(DocumentNotFound, *_WRITE),
)
async def new_draft(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    body: DraftCreate | None = None,
) -> VersionPublic:
    return await versions.new_draft(identity, document_id, body or DraftCreate(), language=language)


@router.get(
    "/{document_id}/versions/{version_id}",
    response_model=VersionPublic,
    summary="En versjon",
    responses=problems(*_VERSION),
)
async def get_version(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    version_id: VersionId,
) -> VersionPublic:
    return await versions.version(identity, document_id, version_id, language=language)


@router.patch(
    "/{document_id}/versions/{version_id}",
    response_model=VersionPublic,
    summary="Rediger utkast",
    responses=problems(*_VERSION, *_WRITE, IllegalVersionTransition),
)
async def edit_draft(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    version_id: VersionId,
    body: DraftEdit,
) -> VersionPublic:
    return await versions.edit_draft(identity, document_id, version_id, body, language=language)


@router.post(
    "/{document_id}/versions/{version_id}/submit",
    response_model=VersionPublic,
    summary="Send til godkjenning",
    responses=problems(*_VERSION, *_WRITE, IllegalVersionTransition, EmptyDraft),
)
async def submit_version(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    version_id: VersionId,
) -> VersionPublic:
    return await versions.submit(identity, document_id, version_id, language=language)


@router.post(
    "/{document_id}/versions/{version_id}/withdraw",
    response_model=VersionPublic,
    summary="Trekk tilbake fra godkjenning",
    responses=problems(*_VERSION, *_WRITE, IllegalVersionTransition),
)
async def withdraw_version(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    version_id: VersionId,
) -> VersionPublic:
    return await versions.withdraw(identity, document_id, version_id, language=language)


@router.post(
    "/{document_id}/versions/{version_id}/approve",
    response_model=DocumentPublic,
    summary="Godkjenn og publiser",
    responses=problems(*_VERSION, *_DECIDE, OwnDraftApproval, IllegalVersionTransition),
)
async def approve_version(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    version_id: VersionId,
) -> DocumentPublic:
    return await versions.approve(identity, document_id, version_id, language=language)


@router.post(
    "/{document_id}/versions/{version_id}/reject",
    response_model=VersionPublic,
    summary="Send tilbake til forfatter",
    responses=problems(*_VERSION, *_DECIDE, IllegalVersionTransition),
)
async def reject_version(
    identity: CurrentIdentity,
    versions: Versions,
    language: CallerLanguage,
    document_id: DocumentId,
    version_id: VersionId,
    body: VersionRejection,
) -> VersionPublic:
    return await versions.reject(identity, document_id, version_id, body, language=language)


# ---- attachments -----------------------------------------------------------------------------------------------


@router.post(
    "/{document_id}/versions/{version_id}/attachments",
    response_model=VersionAttachmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg ved fil på et utkast",
    responses=problems(*_VERSION, *_WRITE, AttachmentOnlyOnDraft, *UPLOAD_PROBLEMS),
)
async def add_attachment(
    request: Request,
    identity: CurrentIdentity,
    attachments: Attachments,
    document_id: DocumentId,
    version_id: VersionId,
    file: Annotated[UploadFile, File(title="Fil", description="PDF, bilde, Word (docx), Excel (xlsx), ODT eller ODS")],
) -> VersionAttachmentPublic:
    content = await read_upload(request, file, attachments.max_bytes)
    return await attachments.add(identity, document_id, version_id, file.filename, content)


@router.delete(
    "/{document_id}/versions/{version_id}/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Fjern vedlegg fra et utkast",
    responses=problems(*_VERSION, *_WRITE, AttachmentOnlyOnDraft, DocumentAttachmentNotFound),
)
async def remove_attachment(
    identity: CurrentIdentity,
    attachments: Attachments,
    document_id: DocumentId,
    version_id: VersionId,
    attachment_id: AttachmentId,
) -> Response:
    await attachments.remove(identity, document_id, version_id, attachment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{document_id}/versions/{version_id}/attachments/{attachment_id}",
    response_class=Response,
    summary="Last ned vedlegg",
    responses={200: {"content": {"application/octet-stream": {}}}, **problems(*_VERSION, DocumentAttachmentNotFound)},
)
async def download_attachment(
    identity: CurrentIdentity,
    attachments: Attachments,
    document_id: DocumentId,
    version_id: VersionId,
    attachment_id: AttachmentId,
) -> Response:
    download = await attachments.download(identity, document_id, version_id, attachment_id)
    return download.response()
