"""The fixtures every service's tests share: its migrated database, rolled-back sessions, a tiny organisation
in its directory copy, and its HTTP app through ``httpx.ASGITransport``.

In a service's ``conftest.py``::

    database, engine, sessions, org, client, token_signer = service_fixtures(
        "deviations", MIGRATIONS, create_app, Settings
    )

``token_signer`` signs internal tokens for that service, as the gateway does when it forwards to it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.http import Probes
from varde_common.identity import InternalTokenSigner
from varde_common.runtime import Runtime
from varde_common.settings import ServiceSettings
from varde_common.testing.databases import TestDatabase, app_engine, create_migrated_database, rolled_back_sessions
from varde_common.testing.factories import TinyOrg, seed_tiny_org
from varde_common.testing.tokens import ServiceTokenSigner


def service_fixtures(
    service: str,
    migrations_dir: Path,
    create_app: Callable[[Runtime, Probes], FastAPI],
    settings_factory: Callable[..., ServiceSettings],
) -> tuple[Any, ...]:
    @pytest.fixture(scope="session")
    async def database(postgres_admin_url: str) -> TestDatabase:
        return await create_migrated_database(postgres_admin_url, service, migrations_dir)

    @pytest.fixture(scope="session")
    async def engine(database: TestDatabase) -> AsyncIterator[AsyncEngine]:
        engine = app_engine(database)
        yield engine
        await engine.dispose()

    @pytest.fixture
    async def sessions(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        async with rolled_back_sessions(engine) as sessions:
            yield sessions

    @pytest.fixture
    async def org(sessions: async_sessionmaker[AsyncSession]) -> TinyOrg:
        return await seed_tiny_org(sessions)

    @pytest.fixture
    async def client(
        database: TestDatabase,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        internal_public_key: str,
    ) -> AsyncIterator[httpx.AsyncClient]:
        settings = settings_factory(database_url=database.app_url, internal_token_public_key=internal_public_key)
        runtime = Runtime(service=service, settings=settings, engine=engine, sessions=sessions)
        app = create_app(runtime, Probes())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as http:
            yield http

    @pytest.fixture(scope="session")
    def token_signer(internal_private_key: str) -> InternalTokenSigner:
        return ServiceTokenSigner(internal_private_key, service)

    return database, engine, sessions, org, client, token_signer
