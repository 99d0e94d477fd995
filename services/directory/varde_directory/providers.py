"""The kommune's identity providers (OpenID Connect: Entra ID, ID-porten, Feide, …), kept by its administrators.
The gateway reads them under /internal (``sign_in``) to check the kommune's tokens."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.pages import PageRequest, page_in_memory
from varde_directory import repository
from varde_directory.access import require_administrator, visible_provider
from varde_directory.domain import Clock
from varde_directory.models import (
    IdentityProvider,
    IdentityProviderCreate,
    IdentityProviderPage,
    IdentityProviderPublic,
)
from varde_directory.views import provider_public


class ProviderService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def of_kommune(self, identity: Identity, page: PageRequest) -> IdentityProviderPage:
        """A kommune has a handful of providers: the page is cut from the whole list."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await require_administrator(session, identity, oslo_date(self.clock()))
            found = [provider_public(p) for p in await repository.providers(session)]
        items, next_cursor = page_in_memory(found, page)
        return IdentityProviderPage(items=items, next_cursor=next_cursor)

    async def get(self, identity: Identity, provider_id: uuid.UUID) -> IdentityProviderPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return provider_public(await visible_provider(session, identity, provider_id, oslo_date(self.clock())))

    async def create(self, identity: Identity, data: IdentityProviderCreate) -> IdentityProviderPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await require_administrator(session, identity, oslo_date(self.clock()))
            provider = IdentityProvider(tenant_id=identity.tenant_id, **data.model_dump(mode="json"))
            session.add(provider)
            await repository.save(session)
            return provider_public(provider)

    async def replace(
        self, identity: Identity, provider_id: uuid.UUID, data: IdentityProviderCreate
    ) -> IdentityProviderPublic:
        today = oslo_date(self.clock())
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            provider = await visible_provider(session, identity, provider_id, today, lock=True)
            for name, value in data.model_dump(mode="json").items():
                setattr(provider, name, value)
            session.add(provider)
            await repository.save(session)
            return provider_public(provider)
