"""HTTP adapters of the directory."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from varde_common.identity import CallingService, CurrentIdentity
from varde_directory.models import DevPerson, OrgUnitPublic, PersonLookup, PersonPublic
from varde_directory.service import DirectoryService

router = APIRouter(prefix="/api/v1/directory", tags=["directory"])
internal = APIRouter(prefix="/internal", include_in_schema=False)


def _service(request: Request) -> DirectoryService:
    service: DirectoryService = request.app.state.directory
    return service


@router.get("/me", response_model=PersonPublic, summary="Meg selv: navn, e-post og roller")
async def me(request: Request, identity: CurrentIdentity) -> PersonPublic:
    return await _service(request).person(identity.tenant_id, identity.person_id)


@router.get("/units", response_model=list[OrgUnitPublic], summary="Organisasjonstreet i min kommune")
async def units(request: Request, identity: CurrentIdentity) -> list[OrgUnitPublic]:
    return await _service(request).units(identity.tenant_id)


@internal.get("/dev/people", response_model=list[DevPerson])
async def dev_people(request: Request, caller: CallingService) -> list[DevPerson]:
    return await _service(request).dev_people()


@internal.get("/people/lookup", response_model=PersonLookup)
async def lookup(
    request: Request,
    caller: CallingService,
    tenant: Annotated[str, Query(min_length=1)],
    email: Annotated[str, Query(min_length=3)],
) -> PersonLookup:
    return await _service(request).lookup_person(tenant, email)
