"""HTTP adapters of deviations: parse, call the use case, return a model. Each route names the problems it can
answer; the function names are the operation ids (``deviations.report``, ``deviations.listDeviations``)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, File, Header, Path, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response

from varde_common.attachments import UPLOAD_PROBLEMS, read_upload
from varde_common.http import CallerLanguage, app_service
from varde_common.identity import CurrentIdentity
from varde_common.inputs import InputText, Instant
from varde_common.openapi import problems
from varde_common.pages import PageQuery
from varde_deviations.access_log import AccessLogService
from varde_deviations.attachments import AttachmentService
from varde_deviations.cases import CaseService
from varde_deviations.catalogue import CatalogueService
from varde_deviations.domain import DeviationKind, DeviationStatus
from varde_deviations.errors import (
    AccessLogForbidden,
    AlreadyHandledThere,
    AlreadyWithThatLeader,
    AnonymousNotAllowed,
    AreaExists,
    AreaNotFound,
    AttachmentForbidden,
    AttachmentNotFound,
    CatalogueForbidden,
    CategoryExists,
    CategoryNotFound,
    DeadlinePassed,
    DeviationNotFound,
    DeviationNotOpen,
    HandlingForbidden,
    IdempotencyKeyReused,
    IllegalDeviationTransition,
    MeasureAlreadyDone,
    MeasureChangeForbidden,
    MeasureCompletionForbidden,
    MeasureNotFound,
    NothingAbove,
    OpenMeasuresRemain,
    ReceiptNotFound,
    UnitWithoutLeader,
    UnknownArea,
    UnknownCategory,
    UnknownPerson,
    UnknownUnit,
)
from varde_deviations.handling import HandlingService
from varde_deviations.listing import ListingService
from varde_deviations.measures import MeasureService
from varde_deviations.models import (
    AccessLogPage,
    AreaCreate,
    AreaPage,
    AreaPublic,
    AreaUpdate,
    AttachmentPublic,
    CategoryCreate,
    CategoryPublic,
    CategoryUpdate,
    CloseBody,
    Comment,
    DeviationClassify,
    DeviationCreate,
    DeviationPage,
    DeviationPublic,
    ForwardBody,
    HistoryPage,
    MeasureChange,
    MeasureComplete,
    MeasureCreate,
    MeasurePublic,
    ReceiptLookup,
    ReceiptStatus,
    RejectBody,
    ReopenBody,
)
from varde_deviations.reporting import KEY_PATTERN, ReportingService
from varde_deviations.repository import ListFilters

router = APIRouter(prefix="/api/v1/deviations", tags=["deviations"])


class View(StrEnum):
    ALL = "all"  # alt jeg har tilgang til
    TO_HANDLE = "to_handle"  # mine å behandle
    UNIT = "unit"  # min enhets
    REPORTED = "reported"  # meldt av meg


Reporting = Annotated[ReportingService, Depends(app_service("reporting", ReportingService))]
Cases = Annotated[CaseService, Depends(app_service("cases", CaseService))]
Handling = Annotated[HandlingService, Depends(app_service("handling", HandlingService))]
Measures = Annotated[MeasureService, Depends(app_service("measures", MeasureService))]
Listing = Annotated[ListingService, Depends(app_service("listing", ListingService))]
AccessLog = Annotated[AccessLogService, Depends(app_service("access_log", AccessLogService))]
Catalogue = Annotated[CatalogueService, Depends(app_service("catalogue", CatalogueService))]
Attachments = Annotated[AttachmentService, Depends(app_service("attachments", AttachmentService))]

DeviationId = Annotated[uuid.UUID, Path(title="Avvik", description="Avvikets id")]
MeasureId = Annotated[uuid.UUID, Path(title="Tiltak", description="Tiltakets id")]

# What every step of the workflow can answer besides its own problems.
HANDLING = (DeviationNotFound, HandlingForbidden, IllegalDeviationTransition)
CLASSIFICATION = (UnknownArea, UnknownCategory)


@router.post(
    "",
    response_model=DeviationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Meld et avvik",
    responses=problems(AnonymousNotAllowed, UnknownUnit, *CLASSIFICATION, IdempotencyKeyReused),
)
async def report(
    identity: CurrentIdentity,
    service: Reporting,
    language: CallerLanguage,
    body: DeviationCreate,
    idempotency_key: Annotated[
        InputText | None,
        Header(
            alias="Idempotency-Key",
            pattern=KEY_PATTERN,
            title="Idempotensnøkkel",
            description="Samme nøkkel og innhold gir samme svar; hindrer dobbeltmeldinger ved dårlig nett",
        ),
    ] = None,
) -> JSONResponse:
    created = await service.report(identity, body, idempotency_key, language)
    content = created.deviation.model_dump(mode="json")
    headers = {"Idempotent-Replayed": "true"} if created.replayed else None
    return JSONResponse(content, status_code=status.HTTP_201_CREATED, headers=headers)


@router.get("", response_model=DeviationPage, summary="Avvik jeg har tilgang til, nyeste først")
async def list_deviations(
    identity: CurrentIdentity,
    service: Listing,
    page: PageQuery,
    view: Annotated[
        View, Query(title="Visning", description="all, to_handle (mine å behandle), unit (min enhets), reported")
    ] = View.ALL,
    status_: Annotated[list[DeviationStatus] | None, Query(alias="status", title="Saksstatus")] = None,
    kind: Annotated[list[DeviationKind] | None, Query(title="Type melding")] = None,
    area: Annotated[list[InputText] | None, Query(title="Fagområde")] = None,
    category_id: Annotated[uuid.UUID | None, Query(title="Kategori")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(title="Enhet", description="Enheten med alle enheter under den")] = None,
    reported_from: Annotated[Instant | None, Query(title="Meldt fra", description="Fra og med (med tidssone)")] = None,
    reported_to: Annotated[Instant | None, Query(title="Meldt til", description="Til, ikke med (med tidssone)")] = None,
    min_severity: Annotated[int | None, Query(ge=1, le=5, title="Alvorlighet minst")] = None,
    overdue: Annotated[bool | None, Query(title="Over fristen")] = None,
    q: Annotated[InputText | None, Query(max_length=200, title="Søk", description="Fritekstsøk (norsk)")] = None,
) -> DeviationPage:
    filters = ListFilters(
        view=view.value,
        statuses=status_ or [],
        kinds=[k.value for k in kind or []],
        areas=area or [],
        category_id=category_id,
        reported_from=reported_from,
        reported_to=reported_to,
        min_severity=min_severity,
        overdue=overdue,
        text=q.strip() if q and q.strip() else None,
    )
    return await service.page(identity, filters, page, unit_id)


@router.get("/catalogue", response_model=AreaPage, summary="Kommunens fagområder og kategorier")
async def catalogue(identity: CurrentIdentity, service: Catalogue, page: PageQuery) -> AreaPage:
    return await service.list(identity, page)


@router.post(
    "/catalogue/areas",
    response_model=AreaPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Nytt fagområde",
    responses=problems(CatalogueForbidden, AreaExists),
)
async def add_area(identity: CurrentIdentity, service: Catalogue, body: AreaCreate) -> AreaPublic:
    return await service.add_area(identity, body)


@router.patch(
    "/catalogue/areas/{key}",
    response_model=AreaPublic,
    summary="Endre eller deaktiver et fagområde",
    responses=problems(AreaNotFound, CatalogueForbidden),
)
async def update_area(
    identity: CurrentIdentity,
    service: Catalogue,
    key: Annotated[InputText, Path(title="Fagområde", description="Fagområdets nøkkel")],
    body: AreaUpdate,
) -> AreaPublic:
    return await service.update_area(identity, key, body)


@router.post(
    "/catalogue/categories",
    response_model=CategoryPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ny kategori",
    responses=problems(CatalogueForbidden, UnknownArea, CategoryExists),
)
async def add_category(identity: CurrentIdentity, service: Catalogue, body: CategoryCreate) -> CategoryPublic:
    return await service.add_category(identity, body)


@router.patch(
    "/catalogue/categories/{category_id}",
    response_model=CategoryPublic,
    summary="Endre eller deaktiver en kategori",
    responses=problems(CategoryNotFound, CatalogueForbidden, CategoryExists),
)
async def update_category(
    identity: CurrentIdentity,
    service: Catalogue,
    category_id: Annotated[uuid.UUID, Path(title="Kategori", description="Kategoriens id")],
    body: CategoryUpdate,
) -> CategoryPublic:
    return await service.update_category(identity, category_id, body)


@router.post(
    "/receipts/lookup",
    response_model=ReceiptStatus,
    summary="Status for en anonym melding",
    responses=problems(ReceiptNotFound),
)
async def look_up_receipt(
    identity: CurrentIdentity, service: Reporting, language: CallerLanguage, body: ReceiptLookup
) -> ReceiptStatus:
    return await service.receipt(identity, body.receipt_code, language)


@router.get("/access-log", response_model=AccessLogPage, summary="Tilgangslogg for skjermede opplysninger")
async def access_log(
    identity: CurrentIdentity,
    service: AccessLog,
    page: PageQuery,
    reader_id: Annotated[
        uuid.UUID | None, Query(title="Leser", description="Bare oppslag gjort av denne personen")
    ] = None,
) -> AccessLogPage:
    return await service.of_kommune(identity, reader_id, page)


@router.get(
    "/{deviation_id}", response_model=DeviationPublic, summary="Hent et avvik", responses=problems(DeviationNotFound)
)
async def get_deviation(
    identity: CurrentIdentity, service: Cases, language: CallerLanguage, deviation_id: DeviationId
) -> DeviationPublic:
    return await service.get(identity, deviation_id, language)


@router.patch(
    "/{deviation_id}",
    response_model=DeviationPublic,
    summary="Endre klassifisering (behandler)",
    responses=problems(DeviationNotFound, HandlingForbidden, DeviationNotOpen, *CLASSIFICATION),
)
async def classify(
    identity: CurrentIdentity,
    service: Handling,
    language: CallerLanguage,
    deviation_id: DeviationId,
    body: DeviationClassify,
) -> DeviationPublic:
    return await service.classify(identity, deviation_id, body, language)


@router.get(
    "/{deviation_id}/timeline",
    response_model=HistoryPage,
    summary="Sakens historikk, eldste først",
    responses=problems(DeviationNotFound),
)
async def timeline(
    identity: CurrentIdentity, service: Cases, language: CallerLanguage, deviation_id: DeviationId, page: PageQuery
) -> HistoryPage:
    return await service.timeline(identity, deviation_id, page, language)


@router.get(
    "/{deviation_id}/access-log",
    response_model=AccessLogPage,
    summary="Hvem har sett de skjermede feltene",
    responses=problems(DeviationNotFound, AccessLogForbidden),
)
async def case_access_log(
    identity: CurrentIdentity, service: AccessLog, deviation_id: DeviationId, page: PageQuery
) -> AccessLogPage:
    return await service.of_case(identity, deviation_id, page)


@router.post(
    "/{deviation_id}/acknowledge",
    response_model=DeviationPublic,
    summary="Ta til behandling",
    responses=problems(*HANDLING),
)
async def acknowledge(
    identity: CurrentIdentity,
    service: Handling,
    language: CallerLanguage,
    deviation_id: DeviationId,
    body: Comment | None = None,
) -> DeviationPublic:
    return await service.acknowledge(identity, deviation_id, body or Comment(), language)


@router.post(
    "/{deviation_id}/forward",
    response_model=DeviationPublic,
    summary="Videresend til en annen enhet",
    responses=problems(*HANDLING, AlreadyHandledThere, AlreadyWithThatLeader, UnknownUnit, UnitWithoutLeader),
)
async def forward(
    identity: CurrentIdentity,
    service: Handling,
    language: CallerLanguage,
    deviation_id: DeviationId,
    body: ForwardBody,
) -> DeviationPublic:
    return await service.forward(identity, deviation_id, body, language)


@router.post(
    "/{deviation_id}/escalate",
    response_model=DeviationPublic,
    summary="Løft saken i linjen",
    responses=problems(*HANDLING, NothingAbove),
)
async def escalate(
    identity: CurrentIdentity,
    service: Handling,
    language: CallerLanguage,
    deviation_id: DeviationId,
    body: Comment | None = None,
) -> DeviationPublic:
    return await service.escalate(identity, deviation_id, body or Comment(), language)


@router.post(
    "/{deviation_id}/close",
    response_model=DeviationPublic,
    summary="Lukk med konklusjon",
    responses=problems(*HANDLING, OpenMeasuresRemain),
)
async def close(
    identity: CurrentIdentity, service: Handling, language: CallerLanguage, deviation_id: DeviationId, body: CloseBody
) -> DeviationPublic:
    return await service.close(identity, deviation_id, body, language)


@router.post(
    "/{deviation_id}/reject",
    response_model=DeviationPublic,
    summary="Avvis med begrunnelse",
    responses=problems(*HANDLING),
)
async def reject(
    identity: CurrentIdentity, service: Handling, language: CallerLanguage, deviation_id: DeviationId, body: RejectBody
) -> DeviationPublic:
    return await service.reject(identity, deviation_id, body, language)


@router.post(
    "/{deviation_id}/reopen", response_model=DeviationPublic, summary="Gjenåpne", responses=problems(*HANDLING)
)
async def reopen(
    identity: CurrentIdentity, service: Handling, language: CallerLanguage, deviation_id: DeviationId, body: ReopenBody
) -> DeviationPublic:
    return await service.reopen(identity, deviation_id, body, language)


@router.post(
    "/{deviation_id}/measures",
    response_model=MeasurePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg til tiltak",
    responses=problems(*HANDLING, DeadlinePassed, UnknownPerson),
)
async def add_measure(
    identity: CurrentIdentity, service: Measures, deviation_id: DeviationId, body: MeasureCreate
) -> MeasurePublic:
    return await service.add(identity, deviation_id, body)


@router.patch(
    "/{deviation_id}/measures/{measure_id}",
    response_model=MeasurePublic,
    summary="Endre tiltak (frist, ansvarlig)",
    responses=problems(
        DeviationNotFound,
        MeasureNotFound,
        MeasureChangeForbidden,
        MeasureAlreadyDone,
        DeviationNotOpen,
        DeadlinePassed,
        UnknownPerson,
    ),
)
async def change_measure(
    identity: CurrentIdentity, service: Measures, deviation_id: DeviationId, measure_id: MeasureId, body: MeasureChange
) -> MeasurePublic:
    return await service.change(identity, deviation_id, measure_id, body)


@router.post(
    "/{deviation_id}/measures/{measure_id}/complete",
    response_model=MeasurePublic,
    summary="Marker tiltak som utført",
    responses=problems(
        DeviationNotFound, MeasureNotFound, MeasureCompletionForbidden, MeasureAlreadyDone, DeviationNotOpen
    ),
)
async def complete_measure(
    identity: CurrentIdentity,
    service: Measures,
    deviation_id: DeviationId,
    measure_id: MeasureId,
    body: MeasureComplete | None = None,
) -> MeasurePublic:
    return await service.complete(identity, deviation_id, measure_id, body or MeasureComplete())


@router.post(
    "/{deviation_id}/attachments",
    response_model=AttachmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg ved bilde eller PDF",
    description="Samme fil sendt på nytt til samme sak gir vedlegget den ga første gang (200, Idempotent-Replayed).",
    responses={
        200: {"model": AttachmentPublic, "description": "Filen var allerede lagt ved saken"},
        **problems(DeviationNotFound, AttachmentForbidden, DeviationNotOpen, *UPLOAD_PROBLEMS),
    },
)
async def add_attachment(
    request: Request,
    identity: CurrentIdentity,
    service: Attachments,
    deviation_id: DeviationId,
    file: Annotated[UploadFile, File(title="Fil", description="Bilde (JPEG, PNG, HEIC, WebP, GIF) eller PDF")],
) -> JSONResponse:
    content = await read_upload(request, file, service.max_bytes)
    added = await service.add(identity, deviation_id, file.filename, content)
    body = added.attachment.model_dump(mode="json")
    if added.replayed:
        return JSONResponse(body, status_code=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
    return JSONResponse(body, status_code=status.HTTP_201_CREATED)


@router.get(
    "/{deviation_id}/attachments/{attachment_id}",
    response_class=Response,
    summary="Last ned vedlegg",
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **problems(DeviationNotFound, AttachmentNotFound),
    },
)
async def download_attachment(
    identity: CurrentIdentity,
    service: Attachments,
    deviation_id: DeviationId,
    attachment_id: Annotated[uuid.UUID, Path(title="Vedlegg", description="Vedleggets id")],
) -> Response:
    download = await service.download(identity, deviation_id, attachment_id)
    return download.response()
