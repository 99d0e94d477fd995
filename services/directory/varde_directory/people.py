"""The kommune's people: found by name or e-mail address, registered and changed by its administrators, each with
their roles and the identities they sign in with. A new or renamed person is published (their name only)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.errors import FieldError
from varde_common.identity import Identity
from varde_common.pages import PageRequest, keyset, page_of
from varde_directory import repository
from varde_directory.access import administers, require_administrator, sees_identities
from varde_directory.domain import Clock
from varde_directory.errors import IdentityProviderUnknown, PersonNotFound
from varde_directory.models import (
    IdentityLink,
    Person,
    PersonCreate,
    PersonIdentity,
    PersonPage,
    PersonPublic,
    PersonUpdate,
)
from varde_directory.records import emit, person_changed
from varde_directory.views import person_public


class PeopleService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def find(self, identity: Identity, search: str | None, page: PageRequest) -> PersonPage:
        today = oslo_date(self.clock())
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.people_page(session, search, keyset(page, str, uuid.UUID), page.limit)
            found, next_cursor = page_of(rows, page.limit, lambda p: (p.name, str(p.id)))
            ids = [p.id for p in found]
            roles = await repository.roles_by_person(session, ids)
            admin = await administers(session, identity.person_id, today, None)
            shown = ids if admin else [p for p in ids if p == identity.person_id]
            links = await repository.identities_of(session, shown)
        items = [person_public(p, roles.get(p.id, []), links.get(p.id, [])) for p in found]
        return PersonPage(items=items, next_cursor=next_cursor)

    async def get(self, identity: Identity, person_id: uuid.UUID) -> PersonPublic:
        today = oslo_date(self.clock())
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await repository.person(session, person_id)
            if person is None:
                raise PersonNotFound()
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            links: list[PersonIdentity] = []
            if await sees_identities(session, identity, person.id, today):
                links = (await repository.identities_of(session, [person.id])).get(person.id, [])
            return person_public(person, roles, links)

    async def create(self, identity: Identity, data: PersonCreate) -> PersonPublic:
        today = oslo_date(self.clock())
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await require_administrator(session, identity, today)
            person = Person(
                tenant_id=identity.tenant_id,
                name=data.name,
                email=str(data.email),
                employee_number=data.employee_number,
            )
            session.add(person)
            await repository.save(session)
            links = await self._set_identities(session, person, data.identities)
            await emit(session, identity.tenant_id, [person_changed(person)])
            return person_public(person, [], links)

    async def update(self, identity: Identity, person_id: uuid.UUID, data: PersonUpdate) -> PersonPublic:
        today = oslo_date(self.clock())
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await repository.person(session, person_id, lock=True)
            if person is None:
                raise PersonNotFound()
            await require_administrator(session, identity, today)
            seen_as = (person.name, person.active)
            for name in ("name", "employee_number", "active"):
                if name in data.model_fields_set and getattr(data, name) is not None:
                    setattr(person, name, getattr(data, name))
            if data.email is not None:
                person.email = str(data.email)
            session.add(person)
            await repository.save(session)
            if data.identities is not None:
                links = await self._set_identities(session, person, data.identities)
            else:
                links = (await repository.identities_of(session, [person.id])).get(person.id, [])
            if (person.name, person.active) != seen_as:
                await emit(session, identity.tenant_id, [person_changed(person)])
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            return person_public(person, roles, links)

    async def _set_identities(
        self, session: AsyncSession, person: Person, links: list[IdentityLink]
    ) -> list[PersonIdentity]:
        """The person's identities become exactly ``links``."""
        known = {p.id for p in await repository.providers(session)}
        unknown = [
            FieldError(f"identities.{index}.provider_id", IdentityProviderUnknown.slug, IdentityProviderUnknown.detail)
            for index, link in enumerate(links)
            if link.provider_id not in known
        ]
        if unknown:
            raise IdentityProviderUnknown(fields=unknown)
        for existing in (await repository.identities_of(session, [person.id])).get(person.id, []):
            await session.delete(existing)
        await session.flush()
        created = [
            PersonIdentity(
                tenant_id=person.tenant_id, person_id=person.id, provider_id=link.provider_id, subject=link.subject
            )
            for link in links
        ]
        session.add_all(created)
        await repository.save(session)
        return created
