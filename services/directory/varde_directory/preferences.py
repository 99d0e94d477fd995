"""The signed-in person's own choices: today their målform (bokmål, nynorsk, or the kommune's). A person sets
only their own; what the pages are in is their choice, else the kommune's målform (a setting of the kommune)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.language import LANGUAGES, Language
from varde_directory import repository
from varde_directory.errors import PersonNotFound
from varde_directory.models import MePublic, Person, PreferencesChange, PreferencesPublic
from varde_directory.views import person_public


def _own_malform(person: Person) -> Language | None:
    return next((language for language in LANGUAGES if language == person.malform), None)


class PreferencesService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def me(self, identity: Identity) -> MePublic:
        """The person with their roles, their own identities and their choices, in one transaction."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await self._person(session, identity)
            roles = (await repository.roles_by_person(session, [person.id])).get(person.id, [])
            links = (await repository.identities_of(session, [person.id])).get(person.id, [])
            preferences = await self._preferences(session, identity, person)
        return MePublic(**person_public(person, roles, links).model_dump(), preferences=preferences)

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
        kommune = (await repository.kommune_settings(session, identity.tenant_id)).malform
        own = _own_malform(person)
        return PreferencesPublic(malform=own, kommune_malform=kommune, language=own or kommune)
