"""The signed-in person's own choices: today their målform (bokmål, nynorsk, or the kommune's). A person sets
only their own; what the pages are in is their choice, else the kommune's målform (a setting of the kommune)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.language import LANGUAGES, Language
from varde_common.tenant_settings import TenantSettings
from varde_directory import repository
from varde_directory.errors import PersonNotFound, TenantNotFound
from varde_directory.models import MePublic, Person, PreferencesChange, PreferencesPublic
from varde_directory.views import person_public, tenant_public


def _own_malform(person: Person) -> Language | None:
    return next((language for language in LANGUAGES if language == person.malform), None)


def _preferences_of(person: Person, kommune: TenantSettings) -> PreferencesPublic:
    own = _own_malform(person)
    return PreferencesPublic(malform=own, kommune_malform=kommune.malform, language=own or kommune.malform)


class PreferencesService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def me(self, identity: Identity) -> MePublic:
        """The person with their roles, their own identities, their choices and their kommune, in one transaction:
        what every page's header needs, in one call."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await self._person(session, identity)
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            links = (await repository.identities_of(session, [person.id])).get(person.id, [])
            tenant = await repository.tenant(session, identity.tenant_id)
        if tenant is None:
            raise TenantNotFound()
        kommune = tenant_public(tenant)
        preferences = _preferences_of(person, kommune.settings)
        return MePublic(**person_public(person, roles, links).model_dump(), preferences=preferences, kommune=kommune)

    async def get(self, identity: Identity) -> PreferencesPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return await self._preferences(session, identity, await self._person(session, identity))

    async def replace(self, identity: Identity, change: PreferencesChange) -> PreferencesPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await self._person(session, identity, lock=True)
            person.malform = change.malform
            session.add(person)
            await repository.save(session)
            return await self._preferences(session, identity, person)

    @staticmethod
    async def _person(session: AsyncSession, identity: Identity, *, lock: bool = False) -> Person:
        person = await repository.person(session, identity.person_id, lock=lock)
        if person is None:
            raise PersonNotFound()
        return person

    @staticmethod
    async def _preferences(session: AsyncSession, identity: Identity, person: Person) -> PreferencesPublic:
        return _preferences_of(person, await repository.kommune_settings(session, identity.tenant_id))
