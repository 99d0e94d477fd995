"""HTTP adapters of deviations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status

from varde_common.identity import CurrentIdentity
from varde_deviations.models import DeviationCreate, DeviationPublic
from varde_deviations.service import DeviationService

router = APIRouter(prefix="/api/v1/deviations", tags=["deviations"])


def _service(request: Request) -> DeviationService:
    service: DeviationService = request.app.state.deviations
    return service


@router.post("", response_model=DeviationPublic, status_code=status.HTTP_201_CREATED, summary="Meld et avvik")
async def report(request: Request, identity: CurrentIdentity, body: DeviationCreate) -> DeviationPublic:
    return await _service(request).report(identity, body)


@router.get("/{deviation_id}", response_model=DeviationPublic, summary="Hent et avvik")
async def get(request: Request, identity: CurrentIdentity, deviation_id: uuid.UUID) -> DeviationPublic:
    return await _service(request).get(identity, deviation_id)
