"""HTTP adapters of risk: parse, call the use case, return a model."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from varde_common.cursor import decode_title_cursor, encode_cursor
from varde_common.identity import CurrentIdentity
from varde_risk.domain import AssessmentStatus
from varde_risk.matrix import MatrixService
from varde_risk.models import (
    AssessmentChange,
    AssessmentCreate,
    AssessmentPage,
    AssessmentPublic,
    HistoryEntry,
    MatrixChange,
    MatrixPublic,
    MeasureCreate,
    MeasurePublic,
    Rating,
    RiskChange,
    RiskCreate,
    RiskPicture,
    RiskPublic,
)
from varde_risk.picture import PictureService
from varde_risk.risks import RiskService
from varde_risk.service import AssessmentService
from varde_risk.svg import labels_for, render

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])
SVG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/svg+xml": {}}}}


def _assessments(request: Request) -> AssessmentService:
    service: AssessmentService = request.app.state.assessments
    return service


def _risks(request: Request) -> RiskService:
    service: RiskService = request.app.state.risks
    return service


def _pictures(request: Request) -> PictureService:
    service: PictureService = request.app.state.pictures
    return service


def _matrix(request: Request) -> MatrixService:
    service: MatrixService = request.app.state.matrix
    return service


def _svg(picture: RiskPicture, *, by_number: bool) -> Response:
    body = render(picture, labels_for(picture.risks, by_number=by_number))
    return Response(body, media_type="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@router.get("/matrix", response_model=MatrixPublic, summary="Kommunens risikomatrise og akseptkriterier")
async def matrix(request: Request, identity: CurrentIdentity) -> MatrixPublic:
    return await _matrix(request).get(identity)


@router.put("/matrix", response_model=MatrixPublic, summary="Endre akseptkriteriene (vurderer alle risikoer på nytt)")
async def change_matrix(request: Request, identity: CurrentIdentity, body: MatrixChange) -> MatrixPublic:
    return await _matrix(request).change(identity, body)


@router.get("/picture", response_model=RiskPicture, summary="Risikobildet for en enhet med enhetene under")
async def picture(request: Request, identity: CurrentIdentity, unit_id: Annotated[uuid.UUID, Query()]) -> RiskPicture:
    return await _pictures(request).of_unit(identity, unit_id)


@router.get("/picture.svg", response_class=Response, responses=SVG, summary="Risikobildet som SVG")
async def picture_svg(request: Request, identity: CurrentIdentity, unit_id: Annotated[uuid.UUID, Query()]) -> Response:
    return _svg(await _pictures(request).of_unit(identity, unit_id), by_number=False)


@router.post(
    "/assessments", response_model=AssessmentPublic, status_code=status.HTTP_201_CREATED, summary="Ny ROS-analyse"
)
async def create(request: Request, identity: CurrentIdentity, body: AssessmentCreate) -> AssessmentPublic:
    return await _assessments(request).create(identity, body)


@router.get("/assessments", response_model=AssessmentPage, summary="Risikovurderinger du kan se, etter tittel")
async def list_assessments(
    request: Request,
    identity: CurrentIdentity,
    status_filter: Annotated[AssessmentStatus | None, Query(alias="status")] = None,
    unit_id: uuid.UUID | None = None,
    awaiting_approval: bool | None = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AssessmentPage:
    items, last = await _assessments(request).list_assessments(
        identity,
        status=status_filter,
        unit_id=unit_id,
        awaiting_approval=awaiting_approval,
        after=decode_title_cursor(cursor) if cursor is not None else None,
        limit=limit,
    )
    return AssessmentPage(items=items, next_cursor=encode_cursor(last.title, str(last.id)) if last else None)


@router.get("/assessments/{assessment_id}", response_model=AssessmentPublic, summary="En risikovurdering")
async def get(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> AssessmentPublic:
    return await _assessments(request).get(identity, assessment_id)


@router.patch("/assessments/{assessment_id}", response_model=AssessmentPublic, summary="Endre risikovurderingen")
async def change(
    request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID, body: AssessmentChange
) -> AssessmentPublic:
    return await _assessments(request).change(identity, assessment_id, body)


@router.post("/assessments/{assessment_id}/submit", response_model=AssessmentPublic, summary="Send til godkjenning")
async def submit(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> AssessmentPublic:
    return await _assessments(request).submit(identity, assessment_id)


@router.post("/assessments/{assessment_id}/approve", response_model=AssessmentPublic, summary="Godkjenn")
async def approve(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> AssessmentPublic:
    return await _assessments(request).approve(identity, assessment_id)


@router.post("/assessments/{assessment_id}/reopen", response_model=AssessmentPublic, summary="Ta opp til revisjon")
async def reopen(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> AssessmentPublic:
    return await _assessments(request).reopen(identity, assessment_id)


@router.post("/assessments/{assessment_id}/archive", response_model=AssessmentPublic, summary="Arkiver")
async def archive(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> AssessmentPublic:
    return await _assessments(request).archive(identity, assessment_id)


@router.get("/assessments/{assessment_id}/history", response_model=list[HistoryEntry], summary="Historikk")
async def history(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> list[HistoryEntry]:
    return await _assessments(request).history(identity, assessment_id)


@router.get("/assessments/{assessment_id}/matrix", response_model=RiskPicture, summary="Vurderingens risikomatrise")
async def assessment_matrix(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> RiskPicture:
    return await _pictures(request).of_assessment(identity, assessment_id)


@router.get(
    "/assessments/{assessment_id}/matrix.svg", response_class=Response, responses=SVG, summary="Matrisen som SVG"
)
async def assessment_matrix_svg(request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID) -> Response:
    return _svg(await _pictures(request).of_assessment(identity, assessment_id), by_number=True)


@router.post(
    "/assessments/{assessment_id}/risks",
    response_model=RiskPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Registrer en uønsket hendelse",
)
async def register_risk(
    request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID, body: RiskCreate
) -> RiskPublic:
    return await _risks(request).register(identity, assessment_id, body)


@router.patch("/assessments/{assessment_id}/risks/{risk_id}", response_model=RiskPublic, summary="Endre risikoen")
async def change_risk(
    request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: RiskChange
) -> RiskPublic:
    return await _risks(request).change(identity, assessment_id, risk_id, body)


@router.put(
    "/assessments/{assessment_id}/risks/{risk_id}/rating", response_model=RiskPublic, summary="Vurder risikoen på nytt"
)
async def rate(
    request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: Rating
) -> RiskPublic:
    return await _risks(request).rate(identity, assessment_id, risk_id, body)


@router.post(
    "/assessments/{assessment_id}/risks/{risk_id}/measures",
    response_model=MeasurePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Nytt tiltak",
)
async def add_measure(
    request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: MeasureCreate
) -> MeasurePublic:
    return await _risks(request).add_measure(identity, assessment_id, risk_id, body)


@router.post(
    "/assessments/{assessment_id}/risks/{risk_id}/measures/{measure_id}/complete",
    response_model=MeasurePublic,
    summary="Tiltaket er gjennomført",
)
async def complete_measure(
    request: Request, identity: CurrentIdentity, assessment_id: uuid.UUID, risk_id: uuid.UUID, measure_id: uuid.UUID
) -> MeasurePublic:
    return await _risks(request).complete_measure(identity, assessment_id, risk_id, measure_id)
