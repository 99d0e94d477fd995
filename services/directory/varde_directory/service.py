"""Use cases of the directory. A use case owns its transaction and emits its events in it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.errors import NotFoundError
from varde_common.events import OrgUnitChanged, TenantChanged
from varde_common.outbox import add_events
from varde_directory import repository
from varde_directory.models import DevPerson, OrgUnit, OrgUnitPublic, Person, PersonLookup, PersonPublic, Tenant

SOURCE = "/varde/directory"


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
    return TenantChanged(tenant_id=tenant.id, slug=tenant.slug, name=tenant.name)


async def publish_reference_data(session: AsyncSession, tenant: Tenant, units: list[OrgUnit]) -> None:
    """Emit the current state of a kommune and its units (compacted topics keep the latest per key)."""
    await add_events(session, [tenant_changed(tenant), *map(unit_changed, units)], tenant_id=tenant.id, source=SOURCE)


class DirectoryService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def dev_people(self) -> list[DevPerson]:
        """Everyone in every kommune, for the development identity provider (dev mode only)."""
        async with self.sessions() as session:
            all_tenants = await repository.tenants(session)
        result: list[DevPerson] = []
        for tenant in all_tenants:
            async with tenant_transaction(self.sessions, tenant.id) as session:
                roles = await repository.roles_by_person(session)
                for person in await repository.people(session):
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
        if person is None:
            raise NotFoundError(f"Ingen person med e-post {email} i {tenant.name}")
        return PersonLookup(tenant_id=tenant.id, tenant_slug=tenant.slug, person_id=person.id)

    async def units(self, tenant_id: uuid.UUID) -> list[OrgUnitPublic]:
        async with tenant_transaction(self.sessions, tenant_id) as session:
            return [OrgUnitPublic.model_validate(u, from_attributes=True) for u in await repository.units(session)]

    async def person(self, tenant_id: uuid.UUID, person_id: uuid.UUID) -> PersonPublic:
        async with tenant_transaction(self.sessions, tenant_id) as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise NotFoundError("Personen finnes ikke.")
            roles = (await repository.roles_by_person(session)).get(person.id, [])
        return PersonPublic(id=person.id, name=person.name, email=person.email, roles=roles)
