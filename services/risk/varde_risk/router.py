"""HTTP adapters of risk: parse, call the use case in the caller's målform, return a model. Each route names the
problems it can answer; the function's name is its operation id (``risk.registerRisk``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status

from varde_common.http import CallerLanguage, app_service
from varde_common.identity import CurrentIdentity
from varde_common.language import Language
from varde_common.openapi import problems
from varde_common.pages import PageQuery
from varde_risk.approval import ApprovalService
from varde_risk.assessments import AssessmentService
from varde_risk.domain import AssessmentStatus
from varde_risk.errors import (
    ApprovalNotAllowed,
    ArchivingNotAllowed,
    AssessmentAlreadyApproved,
    AssessmentAlreadySubmitted,
    AssessmentArchived,
    AssessmentNotActive,
    AssessmentNotFound,
    AssessmentReadOnly,
    CriteriaChangeNotAllowed,
    CriteriaNotFiveByFive,
    CriteriaNotRising,
    MeasureAlreadyCompleted,
    MeasureDeadlinePassed,
    MeasureNotFound,
    OwnApprovalNotAllowed,
    OwningNotAllowed,
    PictureNotAllowed,
    RiskNotFound,
    UnknownLinks,
    UnknownUnit,
)
from varde_risk.matrix import MatrixService
from varde_risk.models import (
    AssessmentChange,
    AssessmentCreate,
    AssessmentPage,
    AssessmentPublic,
    HistoryPage,
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
from varde_risk.svg import render

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])
SVG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/svg+xml": {}}}}

AssessmentId = Annotated[uuid.UUID, Path(title="Risikovurdering")]
RiskId = Annotated[uuid.UUID, Path(title="Risiko")]
MeasureId = Annotated[uuid.UUID, Path(title="Tiltak")]
UnitQuery = Annotated[uuid.UUID, Query(title="Enhet", description="Enheten; enhetene under den er med")]

Assessments = Annotated[AssessmentService, Depends(app_service("assessments", AssessmentService))]
Approval = Annotated[ApprovalService, Depends(app_service("approval", ApprovalService))]
Risks = Annotated[RiskService, Depends(app_service("risks", RiskService))]
Pictures = Annotated[PictureService, Depends(app_service("pictures", PictureService))]
Criteria = Annotated[MatrixService, Depends(app_service("matrix", MatrixService))]

# What every route that works on an assessment can answer.
WORKING = (AssessmentNotFound, AssessmentReadOnly, AssessmentArchived)


# An SVG opened on its own is a document that could run script in our origin: the policy lets it load nothing and
# run nothing. The picture draws with presentation attributes only (no <style>, no style="", no fonts or images to
# fetch), so it needs no source at all; "sandbox" gives it an origin of its own besides.
SVG_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def _svg(picture: RiskPicture, language: Language) -> Response:
    return Response(render(picture, language), media_type="image/svg+xml", headers=SVG_HEADERS)


@router.get("/matrix", response_model=MatrixPublic, summary="Kommunens risikomatrise og akseptkriterier")
async def matrix(identity: CurrentIdentity, criteria: Criteria, language: CallerLanguage) -> MatrixPublic:
    return await criteria.get(identity, language)


@router.put(
    "/matrix",
    response_model=MatrixPublic,
    summary="Endre akseptkriteriene (vurderer alle risikoer på nytt)",
    responses=problems(CriteriaChangeNotAllowed, CriteriaNotFiveByFive, CriteriaNotRising),
)
async def change_matrix(
    identity: CurrentIdentity, criteria: Criteria, language: CallerLanguage, body: MatrixChange
) -> MatrixPublic:
    return await criteria.change(identity, body, language)


@router.get(
    "/picture",
    response_model=RiskPicture,
    summary="Risikobildet for en enhet med enhetene under",
    responses=problems(PictureNotAllowed),
)
async def picture(
    identity: CurrentIdentity, pictures: Pictures, language: CallerLanguage, unit_id: UnitQuery
) -> RiskPicture:
    return await pictures.of_unit(identity, unit_id, language)


@router.get(
    "/picture.svg",
    response_class=Response,
    summary="Risikobildet som SVG",
    responses={**SVG, **problems(PictureNotAllowed)},
)
async def picture_svg(
    identity: CurrentIdentity, pictures: Pictures, language: CallerLanguage, unit_id: UnitQuery
) -> Response:
    return _svg(await pictures.of_unit(identity, unit_id, language), language)


@router.post(
    "/assessments",
    response_model=AssessmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ny ROS-analyse",
    responses=problems(UnknownUnit, OwningNotAllowed),
)
async def create_assessment(
    identity: CurrentIdentity, assessments: Assessments, language: CallerLanguage, body: AssessmentCreate
) -> AssessmentPublic:
    return await assessments.create(identity, body, language)


@router.get(
    "/assessments",
    response_model=AssessmentPage,
    summary="Risikovurderinger du kan se, etter tittel",
)
async def list_assessments(
    identity: CurrentIdentity,
    assessments: Assessments,
    language: CallerLanguage,
    page: PageQuery,
    status_filter: Annotated[AssessmentStatus | None, Query(alias="status", title="Status på vurderingen")] = None,
    unit_id: Annotated[uuid.UUID | None, Query(title="Enhet", description="Med enhetene under")] = None,
    awaiting_approval: Annotated[bool | None, Query(title="Venter på godkjenning")] = None,
) -> AssessmentPage:
    return await assessments.list_assessments(
        identity, page, language, status=status_filter, unit_id=unit_id, awaiting_approval=awaiting_approval
    )


@router.get(
    "/assessments/{assessment_id}",
    response_model=AssessmentPublic,
    summary="En risikovurdering",
    responses=problems(AssessmentNotFound),
)
async def assessment(
    identity: CurrentIdentity, assessments: Assessments, language: CallerLanguage, assessment_id: AssessmentId
) -> AssessmentPublic:
    return await assessments.get(identity, assessment_id, language)


@router.patch(
    "/assessments/{assessment_id}",
    response_model=AssessmentPublic,
    summary="Endre risikovurderingen",
    responses=problems(*WORKING),
)
async def change_assessment(
    identity: CurrentIdentity,
    assessments: Assessments,
    language: CallerLanguage,
    assessment_id: AssessmentId,
    body: AssessmentChange,
) -> AssessmentPublic:
    return await assessments.change(identity, assessment_id, body, language)


@router.post(
    "/assessments/{assessment_id}/submit",
    response_model=AssessmentPublic,
    summary="Send til godkjenning",
    responses=problems(*WORKING, AssessmentAlreadyApproved, AssessmentAlreadySubmitted),
)
async def submit_assessment(
    identity: CurrentIdentity, approval: Approval, language: CallerLanguage, assessment_id: AssessmentId
) -> AssessmentPublic:
    return await approval.submit(identity, assessment_id, language)


@router.post(
    "/assessments/{assessment_id}/approve",
    response_model=AssessmentPublic,
    summary="Godkjenn",
    responses=problems(
        AssessmentNotFound, OwnApprovalNotAllowed, ApprovalNotAllowed, AssessmentAlreadyApproved, AssessmentArchived
    ),
)
async def approve_assessment(
    identity: CurrentIdentity, approval: Approval, language: CallerLanguage, assessment_id: AssessmentId
) -> AssessmentPublic:
    return await approval.approve(identity, assessment_id, language)


@router.post(
    "/assessments/{assessment_id}/reopen",
    response_model=AssessmentPublic,
    summary="Ta opp til revisjon",
    responses=problems(*WORKING, AssessmentNotActive),
)
async def reopen_assessment(
    identity: CurrentIdentity, approval: Approval, language: CallerLanguage, assessment_id: AssessmentId
) -> AssessmentPublic:
    return await approval.reopen(identity, assessment_id, language)


@router.post(
    "/assessments/{assessment_id}/archive",
    response_model=AssessmentPublic,
    summary="Arkiver",
    responses=problems(AssessmentNotFound, ArchivingNotAllowed, AssessmentArchived),
)
async def archive_assessment(
    identity: CurrentIdentity, approval: Approval, language: CallerLanguage, assessment_id: AssessmentId
) -> AssessmentPublic:
    return await approval.archive(identity, assessment_id, language)


@router.get(
    "/assessments/{assessment_id}/history",
    response_model=HistoryPage,
    summary="Historikk, i den rekkefølgen det skjedde",
    responses=problems(AssessmentNotFound),
)
async def assessment_history(
    identity: CurrentIdentity,
    assessments: Assessments,
    language: CallerLanguage,
    assessment_id: AssessmentId,
    page: PageQuery,
) -> HistoryPage:
    return await assessments.history(identity, assessment_id, page, language)


@router.get(
    "/assessments/{assessment_id}/matrix",
    response_model=RiskPicture,
    summary="Vurderingens risikomatrise",
    responses=problems(AssessmentNotFound),
)
async def assessment_matrix(
    identity: CurrentIdentity, pictures: Pictures, language: CallerLanguage, assessment_id: AssessmentId
) -> RiskPicture:
    return await pictures.of_assessment(identity, assessment_id, language)


@router.get(
    "/assessments/{assessment_id}/matrix.svg",
    response_class=Response,
    summary="Matrisen som SVG",
    responses={**SVG, **problems(AssessmentNotFound)},
)
async def assessment_matrix_svg(
    identity: CurrentIdentity, pictures: Pictures, language: CallerLanguage, assessment_id: AssessmentId
) -> Response:
    return _svg(await pictures.of_assessment(identity, assessment_id, language), language)


@router.post(
    "/assessments/{assessment_id}/risks",
    response_model=RiskPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Registrer en uønsket hendelse",
    responses=problems(*WORKING, UnknownLinks),
)
async def register_risk(
    identity: CurrentIdentity, risks: Risks, language: CallerLanguage, assessment_id: AssessmentId, body: RiskCreate
) -> RiskPublic:
    return await risks.register(identity, assessment_id, body, language)


@router.patch(
    "/assessments/{assessment_id}/risks/{risk_id}",
    response_model=RiskPublic,
    summary="Endre risikoen",
    responses=problems(*WORKING, RiskNotFound, UnknownLinks),
)
async def change_risk(
    identity: CurrentIdentity,
    risks: Risks,
    language: CallerLanguage,
    assessment_id: AssessmentId,
    risk_id: RiskId,
    body: RiskChange,
) -> RiskPublic:
    return await risks.change(identity, assessment_id, risk_id, body, language)


@router.put(
    "/assessments/{assessment_id}/risks/{risk_id}/rating",
    response_model=RiskPublic,
    summary="Vurder risikoen på nytt",
    responses=problems(*WORKING, RiskNotFound),
)
async def rate_risk(
    identity: CurrentIdentity,
    risks: Risks,
    language: CallerLanguage,
    assessment_id: AssessmentId,
    risk_id: RiskId,
    body: Rating,
) -> RiskPublic:
    return await risks.rate(identity, assessment_id, risk_id, body, language)


@router.post(
    "/assessments/{assessment_id}/risks/{risk_id}/measures",
    response_model=MeasurePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Nytt tiltak",
    responses=problems(*WORKING, RiskNotFound, MeasureDeadlinePassed),
)
async def add_measure(
    identity: CurrentIdentity, risks: Risks, assessment_id: AssessmentId, risk_id: RiskId, body: MeasureCreate
) -> MeasurePublic:
    return await risks.add_measure(identity, assessment_id, risk_id, body)


@router.post(
    "/assessments/{assessment_id}/risks/{risk_id}/measures/{measure_id}/complete",
    response_model=MeasurePublic,
    summary="Tiltaket er gjennomført",
    responses=problems(*WORKING, RiskNotFound, MeasureNotFound, MeasureAlreadyCompleted),
)
async def complete_measure(
    identity: CurrentIdentity, risks: Risks, assessment_id: AssessmentId, risk_id: RiskId, measure_id: MeasureId
) -> MeasurePublic:
    return await risks.complete_measure(identity, assessment_id, risk_id, measure_id)
