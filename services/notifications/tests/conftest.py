from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_notifications
from varde_common.http import Probes
from varde_common.runtime import Runtime
from varde_common.testing.databases import TestDatabase, app_engine, create_migrated_database, rolled_back_sessions
from varde_common.testing.factories import TinyOrg, seed_tiny_org
from varde_notifications.app import create_app
from varde_notifications.config import NotificationsSettings
from varde_notifications.service import NotificationService

MIGRATIONS = Path(varde_notifications.__file__).parent / "migrations"


@pytest.fixture(scope="session")
async def database(postgres_admin_url: str) -> TestDatabase:
    return await create_migrated_database(postgres_admin_url, "notifications", MIGRATIONS)


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
def service(sessions: async_sessionmaker[AsyncSession]) -> NotificationService:
    return NotificationService(sessions)


@pytest.fixture
async def client(
    database: TestDatabase, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], internal_public_key: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = NotificationsSettings(database_url=database.app_url, internal_token_public_key=internal_public_key)
    runtime = Runtime(service="notifications", settings=settings, engine=engine, sessions=sessions)
    app = create_app(runtime, Probes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notifications") as client:
        yield client
