"""Use cases of the directory. A use case owns its transaction and emits its events in it.

Tenant administrators (systemadministrator) change the kommune; every change is published on the directory's
compacted topics so that other services keep their own copy of the tree and the roles.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer
from varde_common.db import tenant_transaction
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from varde_common.events import Event, OrgUnitChanged, PersonChanged, RoleAssignmentChanged, TenantChanged
from varde_common.identity import Identity
from varde_common.outbox import add_events
from varde_common.roles import LEADER_ROLES, Role
from varde_common.tenant_settings import TenantSettings
from varde_directory import repository
from varde_directory.domain import dates_in_order, end_date_for_removal, would_create_cycle
from varde_directory.models import (
    BrowserSession,
    DevPerson,
    IdentityLink,
    IdentityProvider,
    IdentityProviderCreate,
    IdentityProviderPublic,
    OrgUnit,
    OrgUnitCreate,
    OrgUnitPeriod,
    OrgUnitPublic,
    OrgUnitUpdate,
    Person,
    PersonCreate,
    PersonIdentity,
    PersonLookup,
    PersonPublic,
    PersonUpdate,
    RoleAssignment,
    RoleAssignmentCreate,
    RolePublic,
    SessionCreate,
    SessionPublic,
    Tenant,
    TenantIdentityProviders,
    TenantPublic,
    TenantUpdate,
)

SOURCE = "/varde/directory"
authorizer = Authorizer(repository.DIRECTORY_TREE)


def unit_changed(unit: OrgUnit) -> OrgUnitChanged:
    return OrgUnitChanged(
        unit_id=unit.id,
        parent_id=unit.parent_id,
        name=unit.name,
        unit_type=unit.unit_type,
        leader_person_id=unit.leader_person_id,
        closed=unit.closed_at is not None,
    )


def tenant_changed(tenant: Tenant) -> TenantChanged:
    return TenantChanged(
        tenant_id=tenant.id, slug=tenant.slug, name=tenant.name, settings=TenantSettings.model_validate(tenant.settings)
    )


def role_changed(assignment: RoleAssignment) -> RoleAssignmentChanged:
    return RoleAssignmentChanged(
        assignment_id=assignment.id,
        person_id=assignment.person_id,
        unit_id=assignment.unit_id,
        role=assignment.role,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
    )


def person_changed(person: Person) -> PersonChanged:
    return PersonChanged(person_id=person.id, name=person.name, active=person.active)


async def emit(session: AsyncSession, tenant_id: uuid.UUID, events: list[Event]) -> None:
    if events:
        await add_events(session, events, tenant_id=tenant_id, source=SOURCE)


def _unit_public(unit: OrgUnit) -> OrgUnitPublic:
    return OrgUnitPublic(
        id=unit.id,
        parent_id=unit.parent_id,
        name=unit.name,
        unit_type=unit.unit_type,
        external_key=unit.external_key,
        leader_person_id=unit.leader_person_id,
        closed=unit.closed_at is not None,
    )


def _provider_public(provider: IdentityProvider) -> IdentityProviderPublic:
    return IdentityProviderPublic.model_validate(provider, from_attributes=True)


def _field_error(field: str, message: str, code: str) -> InvalidInputError:
    return InvalidInputError(message, extra={"errors": [{"field": field, "message": message, "code": code}]})


class DirectoryService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    # --- rights ----------------------------------------------------------------------------------------------

    async def _require(
        self, session: AsyncSession, identity: Identity, action: Action, unit_id: uuid.UUID | None = None
    ) -> None:
        """Raise 403 unless the person may do ``action`` in ``unit_id`` (the whole kommune when None)."""
        if unit_id is None:
            root = await repository.root_unit(session)
            if root is None:
                raise ForbiddenError("Kommunen har ingen organisasjon ennå.")
            unit_id = root.id
        if not await authorizer.may(session, identity.person_id, action, unit_id):
            raise ForbiddenError("Du har ikke tilgang til å endre dette i katalogen.")

    # --- the kommune ---------------------------------------------------------------------------------------------

    async def tenant(self, identity: Identity) -> TenantPublic:
        async with self.sessions() as session:
            tenant = await session.get(Tenant, identity.tenant_id)
        if tenant is None:
            raise NotFoundError("Kommunen finnes ikke.")
        return _tenant_public(tenant)

    async def update_tenant(self, identity: Identity, data: TenantUpdate) -> TenantPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY)
            tenant = await session.get(Tenant, identity.tenant_id, with_for_update=True)
            if tenant is None:
                raise NotFoundError("Kommunen finnes ikke.")
            if data.name is not None:
                tenant.name = data.name
            if data.settings is not None:
                tenant.settings = data.settings.model_dump(mode="json")
            session.add(tenant)
            await emit(session, tenant.id, [tenant_changed(tenant)])
            return _tenant_public(tenant)

    # --- units ---------------------------------------------------------------------------------------------------

    async def units(self, identity: Identity) -> list[OrgUnitPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return [_unit_public(unit) for unit in await repository.units(session)]

    async def unit(self, identity: Identity, unit_id: uuid.UUID) -> OrgUnitPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return _unit_public(await self._unit(session, unit_id))

    async def unit_history(self, identity: Identity, unit_id: uuid.UUID) -> list[OrgUnitPeriod]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._unit(session, unit_id)
            periods = await repository.unit_history(session, unit_id)
            return [OrgUnitPeriod.model_validate(p, from_attributes=True) for p in periods]

    async def _unit(self, session: AsyncSession, unit_id: uuid.UUID, *, lock: bool = False) -> OrgUnit:
        unit = await session.get(OrgUnit, unit_id, with_for_update=lock)
        if unit is None:
            raise NotFoundError("Enheten finnes ikke.")
        return unit

    async def create_unit(self, identity: Identity, data: OrgUnitCreate) -> OrgUnitPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            settings = await self._settings(session, identity.tenant_id)
            if settings.unit_type(data.unit_type) is None:
                raise _field_error("unit_type", f"ukjent enhetstype «{data.unit_type}»", "unknown_unit_type")
            # The top unit comes with the kommune (import or onboarding); every other unit sits under one.
            if data.parent_id is None:
                raise _field_error("parent_id", "nye enheter må legges under en eksisterende enhet", "required")
            parent = await self._existing_unit(session, data.parent_id, "parent_id")
            if parent.closed_at is not None:
                raise _field_error("parent_id", "overordnet enhet er nedlagt", "closed_unit")
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY, parent.id)
            unit = OrgUnit(
                tenant_id=identity.tenant_id,
                parent_id=data.parent_id,
                name=data.name,
                unit_type=data.unit_type,
                external_key=data.external_key,
            )
            session.add(unit)
            events: list[Event] = []
            await self._flush_unique(session, "external_key", "enhetskoden er allerede i bruk")
            if data.leader_person_id is not None:
                events += await self._set_leader(session, unit, data.leader_person_id, settings)
            await repository.record_period(session, unit, identity.person_id)
            await emit(session, identity.tenant_id, [unit_changed(unit), *events])
            return _unit_public(unit)

    async def update_unit(self, identity: Identity, unit_id: uuid.UUID, data: OrgUnitUpdate) -> OrgUnitPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await self._unit(session, unit_id, lock=True)
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY, unit.id)
            if unit.closed_at is not None:
                raise ConflictError("Enheten er nedlagt og kan ikke endres.")
            settings = await self._settings(session, identity.tenant_id)
            events: list[Event] = []
            fields = data.model_fields_set
            if "parent_id" in fields and data.parent_id != unit.parent_id:
                await self._move(session, identity, unit, data.parent_id)
            if data.name is not None:
                unit.name = data.name
            if "external_key" in fields:
                unit.external_key = data.external_key
            if "leader_person_id" in fields and data.leader_person_id != unit.leader_person_id:
                events += await self._set_leader(session, unit, data.leader_person_id, settings)
            session.add(unit)
            await self._flush_unique(session, "external_key", "enhetskoden er allerede i bruk")
            await repository.record_period(session, unit, identity.person_id)
            await emit(session, identity.tenant_id, [unit_changed(unit), *events])
            return _unit_public(unit)

    async def _move(
        self, session: AsyncSession, identity: Identity, unit: OrgUnit, new_parent_id: uuid.UUID | None
    ) -> None:
        if new_parent_id is None or unit.parent_id is None:
            raise _field_error("parent_id", "den øverste enheten kan ikke flyttes, og ingen annen kan bli det", "root")
        parent = await self._existing_unit(session, new_parent_id, "parent_id")
        if parent.closed_at is not None:
            raise _field_error("parent_id", "overordnet enhet er nedlagt", "closed_unit")
        if would_create_cycle(await repository.parents(session), unit.id, parent.id):
            raise _field_error("parent_id", "en enhet kan ikke flyttes under seg selv", "cycle")
        await self._require(session, identity, Action.ADMINISTER_DIRECTORY, parent.id)
        unit.parent_id = parent.id

    async def close_unit(self, identity: Identity, unit_id: uuid.UUID) -> OrgUnitPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await self._unit(session, unit_id, lock=True)
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY, unit.id)
            if unit.closed_at is not None:
                return _unit_public(unit)
            if unit.parent_id is None:
                raise ConflictError("Den øverste enheten kan ikke legges ned.")
            if await repository.open_children(session, unit.id):
                raise ConflictError("Enheten har underenheter som ikke er nedlagt. Flytt eller legg ned dem først.")
            unit.closed_at = datetime.now(UTC)
            unit.leader_person_id = None
            events: list[Event] = [unit_changed(unit)]
            for assignment in await repository.assignments(session, unit_id=unit.id):
                if _is_open(assignment):
                    assignment.ends_on = end_date_for_removal(date.today())
                    session.add(assignment)
                    events.append(role_changed(assignment))
            session.add(unit)
            await repository.record_period(session, unit, identity.person_id)
            await emit(session, identity.tenant_id, events)
            return _unit_public(unit)

    async def _existing_unit(self, session: AsyncSession, unit_id: uuid.UUID, field: str) -> OrgUnit:
        unit = await session.get(OrgUnit, unit_id)
        if unit is None:
            raise _field_error(field, "enheten finnes ikke i kommunen", "unknown_unit")
        return unit

    async def _set_leader(
        self, session: AsyncSession, unit: OrgUnit, person_id: uuid.UUID | None, settings: TenantSettings
    ) -> list[Event]:
        """The unit's leader holds the leader role of its unit type there; a previous leader's role ends."""
        unit_type = settings.unit_type(unit.unit_type)
        leader_role = unit_type.leader_role if unit_type else Role.AVDELINGSLEDER
        events: list[Event] = []
        if person_id is not None:
            person = await session.get(Person, person_id)
            if person is None or not person.active:
                raise _field_error("leader_person_id", "personen finnes ikke i kommunen", "unknown_person")
        await session.flush()
        for assignment in await repository.assignments(session, unit_id=unit.id):
            if assignment.role == leader_role and _is_open(assignment):
                if assignment.person_id == person_id:
                    continue
                assignment.ends_on = end_date_for_removal(date.today())
                session.add(assignment)
                events.append(role_changed(assignment))
        unit.leader_person_id = person_id
        if person_id is not None:
            assignment = RoleAssignment(
                tenant_id=unit.tenant_id, person_id=person_id, unit_id=unit.id, role=leader_role
            )
            session.add(assignment)
            events.append(role_changed(assignment))
        return events

    # --- people --------------------------------------------------------------------------------------------------

    async def people(self, identity: Identity, search: str | None, limit: int) -> list[PersonPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            found = await repository.people(session, search, limit)
            roles = await repository.roles_by_person(session, [p.id for p in found])
            return [_person_public(p, roles.get(p.id, [])) for p in found]

    async def person(self, identity: Identity, person_id: uuid.UUID) -> PersonPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise NotFoundError("Personen finnes ikke.")
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            links: list[PersonIdentity] = []
            if person.id == identity.person_id or await self._is_admin(session, identity):
                links = await repository.identities_of(session, person.id)
            return _person_public(person, roles, links)

    async def _is_admin(self, session: AsyncSession, identity: Identity) -> bool:
        root = await repository.root_unit(session)
        return root is not None and await authorizer.may(
            session, identity.person_id, Action.ADMINISTER_DIRECTORY, root.id
        )

    async def create_person(self, identity: Identity, data: PersonCreate) -> PersonPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY)
            person = Person(
                tenant_id=identity.tenant_id,
                name=data.name,
                email=str(data.email),
                employee_number=data.employee_number,
            )
            session.add(person)
            await self._flush_unique(session, "email", "e-postadressen eller ansattnummeret er allerede i bruk")
            links = await self._set_identities(session, person, data.identities)
            await emit(session, identity.tenant_id, [person_changed(person)])
            return _person_public(person, [], links)

    async def update_person(self, identity: Identity, person_id: uuid.UUID, data: PersonUpdate) -> PersonPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY)
            person = await session.get(Person, person_id, with_for_update=True)
            if person is None:
                raise NotFoundError("Personen finnes ikke.")
            seen_as = (person.name, person.active)
            for field in ("name", "employee_number", "active"):
                if field in data.model_fields_set and getattr(data, field) is not None:
                    setattr(person, field, getattr(data, field))
            if data.email is not None:
                person.email = str(data.email)
            session.add(person)
            await self._flush_unique(session, "email", "e-postadressen eller ansattnummeret er allerede i bruk")
            links = (
                await self._set_identities(session, person, data.identities)
                if data.identities is not None
                else await repository.identities_of(session, person.id)
            )
            if (person.name, person.active) != seen_as:
                await emit(session, identity.tenant_id, [person_changed(person)])
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            return _person_public(person, roles, links)

    async def _set_identities(
        self, session: AsyncSession, person: Person, links: list[IdentityLink]
    ) -> list[PersonIdentity]:
        known = {p.id for p in await repository.providers(session)}
        for index, link in enumerate(links):
            if link.provider_id not in known:
                raise _field_error(f"identities.{index}.provider_id", "ukjent identitetsleverandør", "unknown_provider")
        for existing in await repository.identities_of(session, person.id):
            await session.delete(existing)
        await session.flush()
        created = [
            PersonIdentity(
                tenant_id=person.tenant_id, person_id=person.id, provider_id=link.provider_id, subject=link.subject
            )
            for link in links
        ]
        session.add_all(created)
        await self._flush_unique(session, "identities", "identiteten tilhører allerede en annen person")
        return created

    async def _flush_unique(self, session: AsyncSession, field: str, message: str) -> None:
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError as exc:
            raise ConflictError(
                message, extra={"errors": [{"field": field, "message": message, "code": "taken"}]}
            ) from exc

    # --- roles ---------------------------------------------------------------------------------------------------

    async def assign_role(self, identity: Identity, person_id: uuid.UUID, data: RoleAssignmentCreate) -> RolePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise NotFoundError("Personen finnes ikke.")
            unit = await self._existing_unit(session, data.unit_id, "unit_id")
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY, unit.id)
            if unit.closed_at is not None:
                raise _field_error("unit_id", "enheten er nedlagt", "closed_unit")
            if not dates_in_order(data.starts_on, data.ends_on):
                raise _field_error("ends_on", "sluttdato kan ikke være før startdato", "dates")
            settings = await self._settings(session, identity.tenant_id)
            unit_type = settings.unit_type(unit.unit_type)
            if unit_type is not None and data.role == unit_type.leader_role and data.starts_on is None:
                events = await self._set_leader(session, unit, person.id, settings)
                session.add(unit)
                await repository.record_period(session, unit, identity.person_id)
                await emit(session, identity.tenant_id, [unit_changed(unit), *events])
                created = next(e for e in events if isinstance(e, RoleAssignmentChanged) and e.person_id == person.id)
                assignment_id = created.assignment_id
            else:
                if data.role in LEADER_ROLES and (unit_type is None or data.role != unit_type.leader_role):
                    raise _field_error("role", "lederrollen passer ikke til enhetstypen", "leader_role")
                assignment = RoleAssignment(
                    tenant_id=identity.tenant_id,
                    person_id=person.id,
                    unit_id=unit.id,
                    role=data.role,
                    starts_on=data.starts_on,
                    ends_on=data.ends_on,
                )
                session.add(assignment)
                await session.flush()
                await emit(session, identity.tenant_id, [role_changed(assignment)])
                assignment_id = assignment.id
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            return next(r for r in roles if r.id == assignment_id)

    async def end_role(self, identity: Identity, assignment_id: uuid.UUID) -> RolePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assignment = await session.get(RoleAssignment, assignment_id, with_for_update=True)
            if assignment is None:
                raise NotFoundError("Rollen finnes ikke.")
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY, assignment.unit_id)
            events: list[Event] = []
            if _is_open(assignment):
                assignment.ends_on = end_date_for_removal(date.today())
                session.add(assignment)
                events.append(role_changed(assignment))
                unit = await self._unit(session, assignment.unit_id, lock=True)
                if unit.leader_person_id == assignment.person_id and assignment.role in LEADER_ROLES:
                    unit.leader_person_id = None
                    session.add(unit)
                    await repository.record_period(session, unit, identity.person_id)
                    events.append(unit_changed(unit))
            await emit(session, identity.tenant_id, events)
            await session.flush()
            roles = (await repository.roles_by_person(session, [assignment.person_id])).get(assignment.person_id, [])
            return next(r for r in roles if r.id == assignment.id)

    # --- identity providers ----------------------------------------------------------------------------------

    async def providers(self, identity: Identity) -> list[IdentityProviderPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY)
            return [_provider_public(p) for p in await repository.providers(session)]

    async def provider(self, identity: Identity, provider_id: uuid.UUID) -> IdentityProviderPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            provider = await session.get(IdentityProvider, provider_id)
            if provider is None:
                raise NotFoundError("Identitetsleverandøren finnes ikke.")
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY)
            return _provider_public(provider)

    async def save_provider(
        self, identity: Identity, data: IdentityProviderCreate, provider_id: uuid.UUID | None = None
    ) -> IdentityProviderPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            values = data.model_dump(mode="json")
            if provider_id is None:
                provider = IdentityProvider(tenant_id=identity.tenant_id, **values)
            else:
                found = await session.get(IdentityProvider, provider_id, with_for_update=True)
                if found is None:
                    raise NotFoundError("Identitetsleverandøren finnes ikke.")
                provider = found
                for field, value in values.items():
                    setattr(provider, field, value)
            await self._require(session, identity, Action.ADMINISTER_DIRECTORY)
            session.add(provider)
            await self._flush_unique(session, "issuer", "kommunen har allerede denne utstederen og målgruppen")
            return _provider_public(provider)

    # --- internal: the gateway and the development identity provider -----------------------------------------

    async def all_identity_providers(self) -> list[TenantIdentityProviders]:
        async with self.sessions() as session:
            all_tenants = await repository.tenants(session)
        result = []
        for tenant in all_tenants:
            async with tenant_transaction(self.sessions, tenant.id) as session:
                found = [_provider_public(p) for p in await repository.providers(session) if p.enabled]
            result.append(TenantIdentityProviders(tenant_id=tenant.id, tenant_slug=tenant.slug, providers=found))
        return result

    async def resolve_subject(self, tenant_id: uuid.UUID, provider_id: uuid.UUID, subject: str) -> PersonLookup:
        async with tenant_transaction(self.sessions, tenant_id) as session:
            tenant = await session.get(Tenant, tenant_id)
            person = await repository.person_by_subject(session, provider_id, subject)
        if tenant is None or person is None or not person.active:
            raise NotFoundError("Ingen aktiv person med denne identiteten.")
        return PersonLookup(tenant_id=tenant.id, tenant_slug=tenant.slug, person_id=person.id)

    async def start_session(self, data: SessionCreate) -> None:
        async with tenant_transaction(self.sessions, data.tenant_id) as session:
            person = await session.get(Person, data.person_id)
            if person is None or not person.active:
                raise NotFoundError("Ingen aktiv person med denne identiteten.")
            session.add(
                BrowserSession(
                    id=data.session_hash,
                    tenant_id=data.tenant_id,
                    person_id=data.person_id,
                    provider_id=data.provider_id,
                    expires_at=data.expires_at,
                )
            )

    async def find_session(self, tenant_id: uuid.UUID, session_hash: str) -> SessionPublic:
        """A live session of an active person, or 404: ended, expired and unknown look the same."""
        async with tenant_transaction(self.sessions, tenant_id) as session:
            found = await session.get(BrowserSession, session_hash)
            person = await session.get(Person, found.person_id) if found else None
            tenant = await session.get(Tenant, tenant_id)
        now = datetime.now(UTC)
        if found is None or found.ended_at is not None or found.expires_at <= now or person is None or tenant is None:
            raise NotFoundError("Økten er avsluttet eller utløpt.")
        if not person.active:
            raise NotFoundError("Økten er avsluttet eller utløpt.")
        return SessionPublic(
            tenant_id=tenant_id, tenant_slug=tenant.slug, person_id=found.person_id, expires_at=found.expires_at
        )

    async def end_session(self, tenant_id: uuid.UUID, session_hash: str) -> None:
        async with tenant_transaction(self.sessions, tenant_id) as session:
            found = await session.get(BrowserSession, session_hash, with_for_update=True)
            if found is not None and found.ended_at is None:
                found.ended_at = datetime.now(UTC)
                session.add(found)

    async def dev_people(self) -> list[DevPerson]:
        """Everyone in every kommune, for the development identity provider (dev mode only)."""
        async with self.sessions() as session:
            all_tenants = await repository.tenants(session)
        result: list[DevPerson] = []
        for tenant in all_tenants:
            async with tenant_transaction(self.sessions, tenant.id) as session:
                roles = await repository.roles_by_person(session)
                for person in await repository.people(session):
                    if person.active:
                        result.append(
                            DevPerson(
                                tenant=tenant.slug,
                                tenant_name=tenant.name,
                                email=person.email,
                                name=person.name,
                                roles=roles.get(person.id, []),
                            )
                        )
        return result

    async def lookup_person(self, tenant_slug: str, email: str) -> PersonLookup:
        async with self.sessions() as session:
            tenant = await repository.tenant_by_slug(session, tenant_slug)
        if tenant is None:
            raise NotFoundError(f"Ukjent kommune: {tenant_slug}")
        async with tenant_transaction(self.sessions, tenant.id) as session:
            person = await repository.person_by_email(session, email)
        if person is None or not person.active:
            raise NotFoundError(f"Ingen aktiv person med e-post {email} i {tenant.name}")
        return PersonLookup(tenant_id=tenant.id, tenant_slug=tenant.slug, person_id=person.id)

    async def _settings(self, session: AsyncSession, tenant_id: uuid.UUID) -> TenantSettings:
        tenant = await session.get(Tenant, tenant_id)
        return TenantSettings.model_validate(tenant.settings if tenant else {})


def _is_open(assignment: RoleAssignment) -> bool:
    return assignment.ends_on is None or assignment.ends_on >= date.today()


def _tenant_public(tenant: Tenant) -> TenantPublic:
    return TenantPublic(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        organisation_number=tenant.organisation_number,
        settings=TenantSettings.model_validate(tenant.settings),
    )


def _person_public(person: Person, roles: list[RolePublic], links: list[PersonIdentity] | None = None) -> PersonPublic:
    return PersonPublic(
        id=person.id,
        name=person.name,
        email=person.email,
        employee_number=person.employee_number,
        active=person.active,
        roles=roles,
        identities=[IdentityLink(provider_id=link.provider_id, subject=link.subject) for link in links or []],
    )


async def publish_reference_data(
    session: AsyncSession, tenant: Tenant, units: list[OrgUnit], assignments: list[RoleAssignment]
) -> None:
    """Emit the current state of a kommune, its units and roles (compacted topics keep the latest per key)."""
    events: list[Event] = [tenant_changed(tenant), *map(unit_changed, units), *map(role_changed, assignments)]
    await add_events(session, events, tenant_id=tenant.id, source=SOURCE)
