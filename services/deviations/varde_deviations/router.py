"""HTTP adapters of deviations: parse, call the use case, return a model."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, File, Header, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime

from varde_common.attachments import read_upload
from varde_common.identity import CurrentIdentity
from varde_deviations.attachments import AttachmentService
from varde_deviations.catalogue import CatalogueService
from varde_deviations.domain import DeviationKind, DeviationStatus
from varde_deviations.idempotency import KEY_PATTERN
from varde_deviations.listing import ListingService
from varde_deviations.models import (
    AccessLogEntry,
    AreaCreate,
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
    HistoryEntry,
    MeasureChange,
    MeasureComplete,
    MeasureCreate,
    MeasurePublic,
    ReceiptLookup,
    ReceiptStatus,
    RejectBody,
    ReopenBody,
)
from varde_deviations.repository import ListFilters
from varde_deviations.service import DeviationService

router = APIRouter(prefix="/api/v1/deviations", tags=["deviations"])
DeviationId = uuid.UUID


class View(StrEnum):
    ALL = "all"  # alt jeg har tilgang til
    TO_HANDLE = "to_handle"  # mine å behandle
    UNIT = "unit"  # min enhets
    REPORTED = "reported"  # meldt av meg


def _cases(request: Request) -> DeviationService:
    service: DeviationService = request.app.state.deviations
    return service


def _listing(request: Request) -> ListingService:
    service: ListingService = request.app.state.listing
    return service


def _catalogue(request: Request) -> CatalogueService:
    service: CatalogueService = request.app.state.catalogue
    return service


def _attachments(request: Request) -> AttachmentService:
    service: AttachmentService = request.app.state.attachments
    return service


@router.post("", response_model=DeviationPublic, status_code=status.HTTP_201_CREATED, summary="Meld et avvik")
async def report(
    request: Request,
    identity: CurrentIdentity,
    body: DeviationCreate,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=KEY_PATTERN,
            description="Samme nøkkel og innhold gir samme svar; hindrer dobbeltmeldinger ved dårlig nett",
        ),
    ] = None,
) -> JSONResponse:
    created = await _cases(request).report(identity, body, idempotency_key)
    content = created.deviation.model_dump(mode="json")
    headers = {"Idempotent-Replayed": "true"} if created.replayed else None
    return JSONResponse(content, status_code=status.HTTP_201_CREATED, headers=headers)


@router.get("", response_model=DeviationPage, summary="Avvik jeg har tilgang til, nyeste først")
async def list_deviations(
    request: Request,
    identity: CurrentIdentity,
    view: Annotated[
        View, Query(description="all, to_handle (mine å behandle), unit (min enhets), reported")
    ] = View.ALL,
    status_: Annotated[list[DeviationStatus] | None, Query(alias="status")] = None,
    kind: Annotated[list[DeviationKind] | None, Query()] = None,
    area: Annotated[list[str] | None, Query()] = None,
    category_id: uuid.UUID | None = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="Enheten med alle enheter under den")] = None,
    reported_from: AwareDatetime | None = None,
    reported_to: AwareDatetime | None = None,
    min_severity: Annotated[int | None, Query(ge=1, le=5)] = None,
    overdue: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Fritekstsøk (norsk)")] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
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
    return await _listing(request).page(identity, filters, cursor, limit, unit_id)


@router.get("/catalogue", response_model=list[AreaPublic], summary="Kommunens fagområder og kategorier")
async def catalogue(request: Request, identity: CurrentIdentity) -> list[AreaPublic]:
    return await _catalogue(request).list(identity)


@router.post(
    "/catalogue/areas", response_model=AreaPublic, status_code=status.HTTP_201_CREATED, summary="Nytt fagområde"
)
async def add_area(request: Request, identity: CurrentIdentity, body: AreaCreate) -> AreaPublic:
    return await _catalogue(request).add_area(identity, body)


@router.patch("/catalogue/areas/{key}", response_model=AreaPublic, summary="Endre eller deaktiver et fagområde")
async def update_area(request: Request, identity: CurrentIdentity, key: str, body: AreaUpdate) -> AreaPublic:
    return await _catalogue(request).update_area(identity, key, body)


@router.post(
    "/catalogue/categories",
    response_model=CategoryPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ny kategori",
)
async def add_category(request: Request, identity: CurrentIdentity, body: CategoryCreate) -> CategoryPublic:
    return await _catalogue(request).add_category(identity, body)


@router.patch(
    "/catalogue/categories/{category_id}", response_model=CategoryPublic, summary="Endre eller deaktiver en kategori"
)
async def update_category(
    request: Request, identity: CurrentIdentity, category_id: uuid.UUID, body: CategoryUpdate
) -> CategoryPublic:
    return await _catalogue(request).update_category(identity, category_id, body)


@router.post("/receipts/lookup", response_model=ReceiptStatus, summary="Status for en anonym melding")
async def receipt(request: Request, identity: CurrentIdentity, body: ReceiptLookup) -> ReceiptStatus:
    return await _listing(request).receipt(identity, body.receipt_code)


@router.get("/access-log", response_model=list[AccessLogEntry], summary="Tilgangslogg for skjermede opplysninger")
async def access_log(
    request: Request,
    identity: CurrentIdentity,
    reader_id: Annotated[uuid.UUID | None, Query(description="Bare oppslag gjort av denne personen")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[AccessLogEntry]:
    return await _listing(request).access_log(identity, reader_id, limit)


@router.get("/{deviation_id}", response_model=DeviationPublic, summary="Hent et avvik")
async def get(request: Request, identity: CurrentIdentity, deviation_id: DeviationId) -> DeviationPublic:
    return await _cases(request).get(identity, deviation_id)


@router.patch("/{deviation_id}", response_model=DeviationPublic, summary="Endre klassifisering (behandler)")
async def classify(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: DeviationClassify
) -> DeviationPublic:
    return await _cases(request).classify(identity, deviation_id, body)


@router.get("/{deviation_id}/timeline", response_model=list[HistoryEntry], summary="Sakens historikk")
async def timeline(request: Request, identity: CurrentIdentity, deviation_id: DeviationId) -> list[HistoryEntry]:
    rows = await _cases(request).timeline(identity, deviation_id)
    return [HistoryEntry.model_validate(r, from_attributes=True) for r in rows]


@router.get(
    "/{deviation_id}/access-log", response_model=list[AccessLogEntry], summary="Hvem har sett de skjermede feltene"
)
async def case_access_log(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId
) -> list[AccessLogEntry]:
    return await _listing(request).case_access_log(identity, deviation_id)


@router.post("/{deviation_id}/acknowledge", response_model=DeviationPublic, summary="Ta til behandling")
async def acknowledge(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: Comment | None = None
) -> DeviationPublic:
    return await _cases(request).acknowledge(identity, deviation_id, body or Comment())


@router.post("/{deviation_id}/forward", response_model=DeviationPublic, summary="Videresend til en annen enhet")
async def forward(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: ForwardBody
) -> DeviationPublic:
    return await _cases(request).forward(identity, deviation_id, body)


@router.post("/{deviation_id}/escalate", response_model=DeviationPublic, summary="Løft saken i linjen")
async def escalate(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: Comment | None = None
) -> DeviationPublic:
    return await _cases(request).escalate(identity, deviation_id, body or Comment())


@router.post("/{deviation_id}/close", response_model=DeviationPublic, summary="Lukk med konklusjon")
async def close(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: CloseBody
) -> DeviationPublic:
    return await _cases(request).close(identity, deviation_id, body)


@router.post("/{deviation_id}/reject", response_model=DeviationPublic, summary="Avvis med begrunnelse")
async def reject(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: RejectBody
) -> DeviationPublic:
    return await _cases(request).reject(identity, deviation_id, body)


@router.post("/{deviation_id}/reopen", response_model=DeviationPublic, summary="Gjenåpne")
async def reopen(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: ReopenBody
) -> DeviationPublic:
    return await _cases(request).reopen(identity, deviation_id, body)


@router.post(
    "/{deviation_id}/measures",
    response_model=MeasurePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg til tiltak",
)
async def add_measure(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, body: MeasureCreate
) -> MeasurePublic:
    return await _cases(request).add_measure(identity, deviation_id, body)


@router.patch(
    "/{deviation_id}/measures/{measure_id}", response_model=MeasurePublic, summary="Endre tiltak (frist, ansvarlig)"
)
async def change_measure(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, measure_id: uuid.UUID, body: MeasureChange
) -> MeasurePublic:
    return await _cases(request).change_measure(identity, deviation_id, measure_id, body)


@router.post(
    "/{deviation_id}/measures/{measure_id}/complete", response_model=MeasurePublic, summary="Marker tiltak som utført"
)
async def complete_measure(
    request: Request,
    identity: CurrentIdentity,
    deviation_id: DeviationId,
    measure_id: uuid.UUID,
    body: MeasureComplete | None = None,
) -> MeasurePublic:
    return await _cases(request).complete_measure(identity, deviation_id, measure_id, body or MeasureComplete())


@router.post(
    "/{deviation_id}/attachments",
    response_model=AttachmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg ved bilde eller PDF",
)
async def add_attachment(
    request: Request,
    identity: CurrentIdentity,
    deviation_id: DeviationId,
    file: Annotated[UploadFile, File(description="Bilde (JPEG, PNG, HEIC, WebP, GIF) eller PDF")],
) -> AttachmentPublic:
    service = _attachments(request)
    content = await read_upload(request, file, service.max_bytes)
    return await service.add(identity, deviation_id, file.filename, content)


@router.get(
    "/{deviation_id}/attachments/{attachment_id}",
    response_class=Response,
    summary="Last ned vedlegg",
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_attachment(
    request: Request, identity: CurrentIdentity, deviation_id: DeviationId, attachment_id: uuid.UUID
) -> Response:
    download = await _attachments(request).download(identity, deviation_id, attachment_id)
    return download.response()
