"""HTTP adapters of the directory."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from varde_common.errors import InvalidInputError
from varde_common.identity import CallingService, CurrentIdentity
from varde_directory.hr_import import ImportReport, InvalidImportError
from varde_directory.importing import HrImportService
from varde_directory.models import (
    DevPerson,
    IdentityProviderCreate,
    IdentityProviderPublic,
    OrgUnitCreate,
    OrgUnitPeriod,
    OrgUnitPublic,
    OrgUnitUpdate,
    PersonCreate,
    PersonLookup,
    PersonPublic,
    PersonUpdate,
    RoleAssignmentCreate,
    RolePublic,
    SessionCreate,
    SessionPublic,
    TenantIdentityProviders,
    TenantPublic,
    TenantUpdate,
)
from varde_directory.service import DirectoryService

router = APIRouter(prefix="/api/v1/directory", tags=["directory"])
internal = APIRouter(prefix="/internal", include_in_schema=False)


def _service(request: Request) -> DirectoryService:
    service: DirectoryService = request.app.state.directory
    return service


@router.get("/me", response_model=PersonPublic, summary="Meg selv: navn, e-post og roller")
async def me(request: Request, identity: CurrentIdentity) -> PersonPublic:
    return await _service(request).person(identity, identity.person_id)


@router.get("/tenant", response_model=TenantPublic, summary="Min kommune og dens innstillinger")
async def tenant(request: Request, identity: CurrentIdentity) -> TenantPublic:
    return await _service(request).tenant(identity)


@router.patch("/tenant", response_model=TenantPublic, summary="Endre kommunens navn eller innstillinger")
async def update_tenant(request: Request, identity: CurrentIdentity, body: TenantUpdate) -> TenantPublic:
    return await _service(request).update_tenant(identity, body)


@router.get("/units", response_model=list[OrgUnitPublic], summary="Organisasjonstreet i min kommune")
async def units(request: Request, identity: CurrentIdentity) -> list[OrgUnitPublic]:
    return await _service(request).units(identity)


@router.post("/units", response_model=OrgUnitPublic, status_code=status.HTTP_201_CREATED, summary="Opprett en enhet")
async def create_unit(request: Request, identity: CurrentIdentity, body: OrgUnitCreate) -> OrgUnitPublic:
    return await _service(request).create_unit(identity, body)


@router.get("/units/{unit_id}", response_model=OrgUnitPublic, summary="Hent en enhet")
async def unit(request: Request, identity: CurrentIdentity, unit_id: uuid.UUID) -> OrgUnitPublic:
    return await _service(request).unit(identity, unit_id)


@router.patch("/units/{unit_id}", response_model=OrgUnitPublic, summary="Gi nytt navn, flytt eller sett ny leder")
async def update_unit(
    request: Request, identity: CurrentIdentity, unit_id: uuid.UUID, body: OrgUnitUpdate
) -> OrgUnitPublic:
    return await _service(request).update_unit(identity, unit_id, body)


@router.post("/units/{unit_id}/close", response_model=OrgUnitPublic, summary="Legg ned en enhet")
async def close_unit(request: Request, identity: CurrentIdentity, unit_id: uuid.UUID) -> OrgUnitPublic:
    return await _service(request).close_unit(identity, unit_id)


@router.get("/units/{unit_id}/history", response_model=list[OrgUnitPeriod], summary="Enhetens historikk")
async def unit_history(request: Request, identity: CurrentIdentity, unit_id: uuid.UUID) -> list[OrgUnitPeriod]:
    return await _service(request).unit_history(identity, unit_id)


@router.get("/people", response_model=list[PersonPublic], summary="Søk etter personer i kommunen")
async def people(
    request: Request,
    identity: CurrentIdentity,
    q: Annotated[str | None, Query(max_length=100, description="Del av navn eller e-post")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[PersonPublic]:
    return await _service(request).people(identity, q, limit)


@router.post("/people", response_model=PersonPublic, status_code=status.HTTP_201_CREATED, summary="Opprett en person")
async def create_person(request: Request, identity: CurrentIdentity, body: PersonCreate) -> PersonPublic:
    return await _service(request).create_person(identity, body)


@router.get("/people/{person_id}", response_model=PersonPublic, summary="Hent en person")
async def person(request: Request, identity: CurrentIdentity, person_id: uuid.UUID) -> PersonPublic:
    return await _service(request).person(identity, person_id)


@router.patch("/people/{person_id}", response_model=PersonPublic, summary="Endre en person")
async def update_person(
    request: Request, identity: CurrentIdentity, person_id: uuid.UUID, body: PersonUpdate
) -> PersonPublic:
    return await _service(request).update_person(identity, person_id, body)


@router.post(
    "/people/{person_id}/roles",
    response_model=RolePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Gi en person en rolle i en enhet",
)
async def assign_role(
    request: Request, identity: CurrentIdentity, person_id: uuid.UUID, body: RoleAssignmentCreate
) -> RolePublic:
    return await _service(request).assign_role(identity, person_id, body)


@router.post("/role-assignments/{assignment_id}/end", response_model=RolePublic, summary="Avslutt en rolle")
async def end_role(request: Request, identity: CurrentIdentity, assignment_id: uuid.UUID) -> RolePublic:
    return await _service(request).end_role(identity, assignment_id)


@router.get(
    "/identity-providers", response_model=list[IdentityProviderPublic], summary="Kommunens identitetsleverandører"
)
async def providers(request: Request, identity: CurrentIdentity) -> list[IdentityProviderPublic]:
    return await _service(request).providers(identity)


@router.post(
    "/identity-providers",
    response_model=IdentityProviderPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Legg til en identitetsleverandør (OpenID Connect)",
)
async def create_provider(
    request: Request, identity: CurrentIdentity, body: IdentityProviderCreate
) -> IdentityProviderPublic:
    return await _service(request).save_provider(identity, body)


@router.get(
    "/identity-providers/{provider_id}", response_model=IdentityProviderPublic, summary="Hent en identitetsleverandør"
)
async def provider(request: Request, identity: CurrentIdentity, provider_id: uuid.UUID) -> IdentityProviderPublic:
    return await _service(request).provider(identity, provider_id)


@router.put(
    "/identity-providers/{provider_id}",
    response_model=IdentityProviderPublic,
    summary="Endre en identitetsleverandør",
)
async def update_provider(
    request: Request, identity: CurrentIdentity, provider_id: uuid.UUID, body: IdentityProviderCreate
) -> IdentityProviderPublic:
    return await _service(request).save_provider(identity, body, provider_id)


@internal.get("/identity-providers", response_model=list[TenantIdentityProviders])
async def all_providers(request: Request, caller: CallingService) -> list[TenantIdentityProviders]:
    return await _service(request).all_identity_providers()


@internal.get("/identities/resolve", response_model=PersonLookup)
async def resolve(
    request: Request,
    caller: CallingService,
    tenant_id: uuid.UUID,
    provider_id: uuid.UUID,
    subject: Annotated[str, Query(min_length=1, max_length=400)],
) -> PersonLookup:
    return await _service(request).resolve_subject(tenant_id, provider_id, subject)


@internal.post("/sessions", status_code=status.HTTP_204_NO_CONTENT)
async def start_session(request: Request, caller: CallingService, body: SessionCreate) -> None:
    await _service(request).start_session(body)


@internal.get("/sessions/{tenant_id}/{session_hash}", response_model=SessionPublic)
async def find_session(
    request: Request, caller: CallingService, tenant_id: uuid.UUID, session_hash: str
) -> SessionPublic:
    return await _service(request).find_session(tenant_id, session_hash)


@internal.post("/sessions/{tenant_id}/{session_hash}/end", status_code=status.HTTP_204_NO_CONTENT)
async def end_session(request: Request, caller: CallingService, tenant_id: uuid.UUID, session_hash: str) -> None:
    await _service(request).end_session(tenant_id, session_hash)


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


@router.post(
    "/imports",
    response_model=ImportReport,
    summary="Importer organisasjon og personer fra HR (CSV eller JSON)",
    description=(
        "Alt valideres før noe endres; hver feil rapporteres med linje og årsak, og ingenting lagres ved feil. "
        "Med `dry_run=true` vises hva som ville blitt endret."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def import_hr(
    request: Request,
    identity: CurrentIdentity,
    dry_run: Annotated[bool, Query(description="Vis endringene uten å lagre dem")] = False,
) -> ImportReport:
    importer: HrImportService = request.app.state.hr_import
    try:
        return await importer.run(
            identity.tenant_id,
            await request.body(),
            request.headers.get("content-type", ""),
            dry_run=dry_run,
            actor=identity,
        )
    except InvalidImportError as exc:
        raise InvalidInputError(
            f"Importfilen har {len(exc.errors)} feil. Ingenting er endret.",
            extra={"errors": [e.model_dump() for e in exc.errors]},
        ) from exc
