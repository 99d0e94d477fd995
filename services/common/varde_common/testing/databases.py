"""A migrated database per service per test run, and a rolled-back transaction per test."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.migrations import upgrade

OWNER_ROLE = "varde_test_owner"
APP_ROLE = "varde_test_app"


@dataclass(frozen=True)
class TestDatabase:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    name: str
    admin_url: str  # superuser: sees past row-level security, for assertions only
    owner_url: str
    app_url: str


def _replace_db(url: str, database: str, user: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        host = netloc.rsplit("@", 1)[-1]
        netloc = f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, "/" + database, "", ""))


async def create_migrated_database(
    admin_url: str, service: str, migrations_dir: Path, revision: str = "head"
) -> TestDatabase:
    name = f"test_{service}_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        for role, options in ((OWNER_ROLE, "LOGIN"), (APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS")):
            if not await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
                with suppress(asyncpg.DuplicateObjectError):
                    await connection.execute(f'CREATE ROLE "{role}" {options}')
        await connection.execute(f'CREATE DATABASE "{name}" OWNER "{OWNER_ROLE}"')
    finally:
        await connection.close()
    admin = _replace_db(admin_url, name)
    connection = await asyncpg.connect(admin.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(
            f'REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO "{OWNER_ROLE}"'
        )
    finally:
        await connection.close()
    database = TestDatabase(
        name=name,
        admin_url=admin,
        owner_url=_replace_db(admin_url, name, OWNER_ROLE),
        app_url=_replace_db(admin_url, name, APP_ROLE),
    )
    # Alembic's env runs its own event loop: give it a thread.
    await asyncio.to_thread(upgrade, migrations_dir, database.owner_url, APP_ROLE, revision)
    return database


@asynccontextmanager
async def rolled_back_sessions(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions whose commits are savepoints inside one transaction that is rolled back at the end."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield async_sessionmaker(
                bind=connection,
                class_=AsyncSession,
                expire_on_commit=False,
                join_transaction_mode="create_savepoint",
            )
        finally:
            await transaction.rollback()


def app_engine(database: TestDatabase, pool_size: int = 5) -> AsyncEngine:
    return create_async_engine(database.app_url, pool_size=pool_size, max_overflow=5)
