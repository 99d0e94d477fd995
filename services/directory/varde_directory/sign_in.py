"""What the gateway asks under /internal to sign people in: every kommune's identity providers, the person a
token's subject names, browser sessions, and (development only) the demo people and their e-mail addresses.

These calls come from the gateway with its service token, not from a person: each sets the tenant itself before
it reads a kommune's rows.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc
from varde_common.db import tenant_transaction
from varde_directory import repository, sign_in_queries
from varde_directory.domain import Clock
from varde_directory.errors import BrowserSessionNotFound, DemoPersonNotFound, SubjectUnknown, TenantSlugUnknown
from varde_directory.models import (
    BrowserSession,
    DevPerson,
    PersonLookup,
    SessionCreate,
    SessionPublic,
    Tenant,
    TenantIdentityProviders,
)
from varde_directory.views import provider_public


class SignInService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def _tenants(self) -> list[Tenant]:
        async with self.sessions() as session:
            return await sign_in_queries.tenants(session)

    async def identity_providers(self) -> list[TenantIdentityProviders]:
        """The enabled providers of every kommune."""
        result = []
        for tenant in await self._tenants():
            async with tenant_transaction(self.sessions, tenant.id) as session:
                found = [provider_public(p) for p in await repository.providers(session, enabled_only=True)]
            result.append(TenantIdentityProviders(tenant_id=tenant.id, tenant_slug=tenant.slug, providers=found))
        return result

    async def resolve_subject(self, tenant_id: uuid.UUID, provider_id: uuid.UUID, subject: str) -> PersonLookup:
        async with tenant_transaction(self.sessions, tenant_id) as session:
            tenant = await repository.tenant(session, tenant_id)
            person = await sign_in_queries.person_by_subject(session, provider_id, subject)
        if tenant is None or person is None or not person.active:
            raise SubjectUnknown()
        return PersonLookup(tenant_id=tenant.id, tenant_slug=tenant.slug, person_id=person.id)

    async def start_session(self, data: SessionCreate) -> None:
        async with tenant_transaction(self.sessions, data.tenant_id) as session:
            person = await repository.person(session, data.person_id)
            if person is None or not person.active:
                raise SubjectUnknown()
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
            found = await sign_in_queries.browser_session(session, session_hash)
            person = await repository.person(session, found.person_id) if found else None
            tenant = await repository.tenant(session, tenant_id)
        if (
            found is None
            or found.ended_at is not None
            or found.expires_at <= self.clock()
            or person is None
            or not person.active
            or tenant is None
        ):
            raise BrowserSessionNotFound()
        return SessionPublic(
            tenant_id=tenant_id, tenant_slug=tenant.slug, person_id=found.person_id, expires_at=found.expires_at
        )

    async def end_session(self, tenant_id: uuid.UUID, session_hash: str) -> None:
        async with tenant_transaction(self.sessions, tenant_id) as session:
            found = await sign_in_queries.browser_session(session, session_hash, lock=True)
            if found is not None and found.ended_at is None:
                found.ended_at = self.clock()
                session.add(found)

    async def dev_people(self) -> list[DevPerson]:
        """Everyone active in every kommune, for the development identity provider (dev mode only)."""
        result: list[DevPerson] = []
        for tenant in await self._tenants():
            async with tenant_transaction(self.sessions, tenant.id) as session:
                roles = await repository.roles_by_person(session)
                result += [
                    DevPerson(
                        tenant=tenant.slug,
                        tenant_name=tenant.name,
                        email=person.email,
                        name=person.name,
                        roles=roles.get(person.id, []),
                    )
                    for person in await repository.every_person(session)
                    if person.active
                ]
        return result

    async def lookup_person(self, tenant_slug: str, email: str) -> PersonLookup:
        """The demo person the development identity provider signs a token for."""
        async with self.sessions() as session:
            tenant = await sign_in_queries.tenant_by_slug(session, tenant_slug)
        if tenant is None:
            raise TenantSlugUnknown(tenant=tenant_slug)
        async with tenant_transaction(self.sessions, tenant.id) as session:
            person = await sign_in_queries.person_by_email(session, email)
        if person is None or not person.active:
            raise DemoPersonNotFound(email=email, kommune=tenant.name)
        return PersonLookup(tenant_id=tenant.id, tenant_slug=tenant.slug, person_id=person.id)
