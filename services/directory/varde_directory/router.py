"""HTTP adapters of the directory: the public API, and what the gateway calls under /internal."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status

from varde_common.http import app_service
from varde_common.identity import CallingService, CurrentIdentity
from varde_common.inputs import InputText
from varde_common.openapi import problems
from varde_common.pages import PageQuery
from varde_common.problem_handlers import request_language
from varde_directory import errors
from varde_directory.hr_import import ImportReport
from varde_directory.importing import HrImportService
from varde_directory.models import (
    DevPerson,
    IdentityProviderCreate,
    IdentityProviderPage,
    IdentityProviderPublic,
    MePublic,
    OrgUnitCreate,
    OrgUnitPage,
    OrgUnitPeriodPage,
    OrgUnitPublic,
    OrgUnitUpdate,
    PersonCreate,
    PersonLookup,
    PersonPage,
    PersonPublic,
    PersonUpdate,
    PreferencesChange,
    PreferencesPublic,
    RoleAssignmentCreate,
    RolePublic,
    SessionCreate,
    SessionPublic,
    TenantIdentityProviders,
    TenantPublic,
    TenantUpdate,
)
from varde_directory.people import PeopleService
from varde_directory.preferences import PreferencesService
from varde_directory.providers import ProviderService
from varde_directory.roles import RoleService
from varde_directory.sign_in import SignInService
from varde_directory.tenant import TenantService
from varde_directory.units import UnitService

router = APIRouter(prefix="/api/v1/directory", tags=["directory"])
internal = APIRouter(prefix="/internal", include_in_schema=False)

Tenants = Annotated[TenantService, Depends(app_service("tenant", TenantService))]
Units = Annotated[UnitService, Depends(app_service("units", UnitService))]
People = Annotated[PeopleService, Depends(app_service("people", PeopleService))]
Preferences = Annotated[PreferencesService, Depends(app_service("preferences", PreferencesService))]
Roles = Annotated[RoleService, Depends(app_service("roles", RoleService))]
Providers = Annotated[ProviderService, Depends(app_service("providers", ProviderService))]
Importer = Annotated[HrImportService, Depends(app_service("hr_import", HrImportService))]
SignIn = Annotated[SignInService, Depends(app_service("sign_in", SignInService))]

UnitId = Annotated[uuid.UUID, Path(title="Enhet")]
PersonId = Annotated[uuid.UUID, Path(title="Person")]
AssignmentId = Annotated[uuid.UUID, Path(title="Rolle")]
ProviderId = Annotated[uuid.UUID, Path(title="Identitetsleverandør")]
UnitSearch = Annotated[InputText | None, Query(max_length=100, title="Søk", description="Del av enhetens navn")]
PersonSearch = Annotated[
    InputText | None, Query(max_length=100, title="Søk", description="Del av personens navn eller e-postadresse")
]

CHANGE = (errors.DirectoryAdministrationForbidden,)
UNIT_CHANGE = (
    *CHANGE,
    errors.ParentUnitUnknown,
    errors.ParentUnitClosed,
    errors.UnitLeaderUnknown,
    errors.UnitKeyTaken,
)
PERSON_CHANGE = (
    *CHANGE,
    errors.PersonEmailTaken,
    errors.EmployeeNumberTaken,
    errors.IdentityTaken,
    errors.IdentityProviderUnknown,
)


@router.get(
    "/me",
    summary="Meg selv: navn, e-post, roller, egne valg og kommunen",
    responses=problems(errors.PersonNotFound, errors.TenantNotFound),
)
async def me(preferences: Preferences, identity: CurrentIdentity) -> MePublic:
    return await preferences.me(identity)


@router.get(
    "/me/preferences",
    summary="Mine egne valg (målform)",
    responses=problems(errors.PersonNotFound),
)
async def get_preferences(preferences: Preferences, identity: CurrentIdentity) -> PreferencesPublic:
    return await preferences.get(identity)


@router.put(
    "/me/preferences",
    summary="Endre mine egne valg (målform)",
    description="`malform` er `nb` (bokmål), `nn` (nynorsk) eller null: da følger sidene kommunens målform.",
    responses=problems(errors.PersonNotFound),
)
async def replace_preferences(
    preferences: Preferences, identity: CurrentIdentity, body: PreferencesChange
) -> PreferencesPublic:
    return await preferences.replace(identity, body)


@router.get("/tenant", summary="Min kommune og dens innstillinger", responses=problems(errors.TenantNotFound))
async def get_tenant(tenants: Tenants, identity: CurrentIdentity) -> TenantPublic:
    return await tenants.get(identity)


@router.patch(
    "/tenant",
    summary="Endre kommunens navn eller innstillinger",
    description="Bare innstillingene som nevnes, endres; en innstilling satt til null får standardverdien igjen. "
    "`unit_types` erstatter hele listen. Akseptkriteriene for risiko settes i `PUT /api/v1/risk/matrix`.",
    responses=problems(*CHANGE, errors.TenantNotFound, errors.RiskAcceptanceMovedToRisk, errors.UnitTypeInUse),
)
async def update_tenant(tenants: Tenants, identity: CurrentIdentity, body: TenantUpdate) -> TenantPublic:
    return await tenants.update(identity, body)


@router.get("/units", summary="Organisasjonstreet i min kommune, etter navn")
async def list_units(units: Units, identity: CurrentIdentity, page: PageQuery, q: UnitSearch = None) -> OrgUnitPage:
    return await units.find(identity, q, page)


@router.post(
    "/units",
    status_code=status.HTTP_201_CREATED,
    summary="Opprett en enhet",
    responses=problems(*UNIT_CHANGE, errors.UnitTypeUnknown, errors.ParentUnitRequired),
)
async def create_unit(units: Units, identity: CurrentIdentity, body: OrgUnitCreate) -> OrgUnitPublic:
    return await units.create(identity, body)


@router.get("/units/{unit_id}", summary="Hent en enhet", responses=problems(errors.UnitNotFound))
async def get_unit(units: Units, identity: CurrentIdentity, unit_id: UnitId) -> OrgUnitPublic:
    return await units.get(identity, unit_id)


@router.patch(
    "/units/{unit_id}",
    summary="Gi nytt navn, flytt eller sett ny leder",
    responses=problems(
        *UNIT_CHANGE, errors.UnitNotFound, errors.UnitClosed, errors.TopUnitCannotMove, errors.UnitMoveCycle
    ),
)
async def update_unit(units: Units, identity: CurrentIdentity, unit_id: UnitId, body: OrgUnitUpdate) -> OrgUnitPublic:
    return await units.update(identity, unit_id, body)


@router.post(
    "/units/{unit_id}/close",
    summary="Legg ned en enhet",
    responses=problems(*CHANGE, errors.UnitNotFound, errors.TopUnitCannotClose, errors.UnitHasOpenUnits),
)
async def close_unit(units: Units, identity: CurrentIdentity, unit_id: UnitId) -> OrgUnitPublic:
    return await units.close(identity, unit_id)


@router.get("/units/{unit_id}/history", summary="Enhetens historikk", responses=problems(errors.UnitNotFound))
async def list_unit_history(
    units: Units, identity: CurrentIdentity, unit_id: UnitId, page: PageQuery
) -> OrgUnitPeriodPage:
    return await units.history(identity, unit_id, page)


@router.get("/people", summary="Søk etter personer i kommunen")
async def list_people(people: People, identity: CurrentIdentity, page: PageQuery, q: PersonSearch = None) -> PersonPage:
    return await people.find(identity, q, page)


@router.post(
    "/people", status_code=status.HTTP_201_CREATED, summary="Opprett en person", responses=problems(*PERSON_CHANGE)
)
async def create_person(people: People, identity: CurrentIdentity, body: PersonCreate) -> PersonPublic:
    return await people.create(identity, body)


@router.get("/people/{person_id}", summary="Hent en person", responses=problems(errors.PersonNotFound))
async def get_person(people: People, identity: CurrentIdentity, person_id: PersonId) -> PersonPublic:
    return await people.get(identity, person_id)


@router.patch(
    "/people/{person_id}", summary="Endre en person", responses=problems(*PERSON_CHANGE, errors.PersonNotFound)
)
async def update_person(
    people: People, identity: CurrentIdentity, person_id: PersonId, body: PersonUpdate
) -> PersonPublic:
    return await people.update(identity, person_id, body)


@router.post(
    "/people/{person_id}/roles",
    status_code=status.HTTP_201_CREATED,
    summary="Gi en person en rolle i en enhet",
    responses=problems(
        *CHANGE,
        errors.PersonNotFound,
        errors.RoleUnitUnknown,
        errors.RoleUnitClosed,
        errors.RoleDatesOutOfOrder,
        errors.LeaderRoleMismatch,
    ),
)
async def assign_role(
    roles: Roles, identity: CurrentIdentity, person_id: PersonId, body: RoleAssignmentCreate
) -> RolePublic:
    return await roles.assign(identity, person_id, body)


@router.post(
    "/role-assignments/{assignment_id}/end",
    summary="Avslutt en rolle (i går blir siste dag)",
    responses=problems(*CHANGE, errors.RoleAssignmentNotFound),
)
async def end_role(roles: Roles, identity: CurrentIdentity, assignment_id: AssignmentId) -> RolePublic:
    return await roles.end(identity, assignment_id)


@router.get("/identity-providers", summary="Kommunens identitetsleverandører", responses=problems(*CHANGE))
async def list_identity_providers(
    providers: Providers, identity: CurrentIdentity, page: PageQuery
) -> IdentityProviderPage:
    return await providers.of_kommune(identity, page)


@router.post(
    "/identity-providers",
    status_code=status.HTTP_201_CREATED,
    summary="Legg til en identitetsleverandør (OpenID Connect)",
    responses=problems(*CHANGE, errors.IssuerTaken),
)
async def create_identity_provider(
    providers: Providers, identity: CurrentIdentity, body: IdentityProviderCreate
) -> IdentityProviderPublic:
    return await providers.create(identity, body)


@router.get(
    "/identity-providers/{provider_id}",
    summary="Hent en identitetsleverandør",
    responses=problems(errors.IdentityProviderNotFound),
)
async def get_identity_provider(
    providers: Providers, identity: CurrentIdentity, provider_id: ProviderId
) -> IdentityProviderPublic:
    return await providers.get(identity, provider_id)


@router.put(
    "/identity-providers/{provider_id}",
    summary="Endre en identitetsleverandør",
    responses=problems(errors.IdentityProviderNotFound, errors.IssuerTaken),
)
async def update_identity_provider(
    providers: Providers, identity: CurrentIdentity, provider_id: ProviderId, body: IdentityProviderCreate
) -> IdentityProviderPublic:
    return await providers.replace(identity, provider_id, body)


IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "title": "HR-eksport (CSV)"}},
            "application/json": {"schema": {"type": "object", "title": "HR-eksport (JSON)"}},
        },
    }
}


@router.post(
    "/imports",
    summary="Importer organisasjon og personer fra HR (CSV eller JSON)",
    description=(
        "Alt valideres før noe endres; hver feil står i `rows` med linje (eller post) og årsak, og ingenting "
        "lagres ved feil. Med `dry_run=true` vises hva som ville blitt endret."
    ),
    openapi_extra=IMPORT_BODY,
    responses=problems(*CHANGE, errors.HrImportInvalid, errors.HrImportMediaType),
)
async def import_hr(
    request: Request,
    importer: Importer,
    identity: CurrentIdentity,
    dry_run: Annotated[bool, Query(title="Prøvekjøring", description="Vis endringene uten å lagre dem")] = False,
) -> ImportReport:
    return await importer.run(
        identity.tenant_id,
        await request.body(),
        request.headers.get("content-type", ""),
        dry_run=dry_run,
        actor=identity,
        language=request_language(request),
    )


# -- the gateway's calls -----------------------------------------------------------------------------------------


@internal.get("/identity-providers")
async def all_providers(sign_in: SignIn, caller: CallingService) -> list[TenantIdentityProviders]:
    return await sign_in.identity_providers()


@internal.get("/identities/resolve")
async def resolve(
    sign_in: SignIn,
    caller: CallingService,
    tenant_id: uuid.UUID,
    provider_id: uuid.UUID,
    subject: Annotated[InputText, Query(min_length=1, max_length=400)],
) -> PersonLookup:
    return await sign_in.resolve_subject(tenant_id, provider_id, subject)


@internal.post("/sessions", status_code=status.HTTP_204_NO_CONTENT)
async def start_session(sign_in: SignIn, caller: CallingService, body: SessionCreate) -> None:
    await sign_in.start_session(body)


@internal.get("/sessions/{tenant_id}/{session_hash}")
async def find_session(
    sign_in: SignIn, caller: CallingService, tenant_id: uuid.UUID, session_hash: InputText
) -> SessionPublic:
    return await sign_in.find_session(tenant_id, session_hash)


@internal.post("/sessions/{tenant_id}/{session_hash}/end", status_code=status.HTTP_204_NO_CONTENT)
async def end_session(sign_in: SignIn, caller: CallingService, tenant_id: uuid.UUID, session_hash: InputText) -> None:
    await sign_in.end_session(tenant_id, session_hash)


@internal.get("/dev/people")
async def dev_people(sign_in: SignIn, caller: CallingService) -> list[DevPerson]:
    return await sign_in.dev_people()


@internal.get("/people/lookup")
async def lookup(
    sign_in: SignIn,
    caller: CallingService,
    tenant: Annotated[InputText, Query(min_length=1)],
    email: Annotated[InputText, Query(min_length=3)],
) -> PersonLookup:
    return await sign_in.lookup_person(tenant, email)
