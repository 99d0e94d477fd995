"""Async engine and tenant-scoped sessions (PostgreSQL via asyncpg)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession as SQLModelAsyncSession

from varde_common.tenancy import TENANT_SETTING


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        # The tenant is set per transaction (set_config(..., true)); a reset on check-in is the belt to those braces.
        pool_reset_on_return="rollback",
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[SQLModelAsyncSession]:
    return async_sessionmaker(engine, class_=SQLModelAsyncSession, expire_on_commit=False)


async def set_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Scope the current transaction to one tenant; row-level security does the rest."""
    await session.execute(
        text("SELECT set_config(:name, :value, true)"), {"name": TENANT_SETTING, "value": str(tenant_id)}
    )


@asynccontextmanager
async def tenant_transaction(
    sessions: async_sessionmaker[SQLModelAsyncSession], tenant_id: uuid.UUID
) -> AsyncIterator[SQLModelAsyncSession]:
    """One transaction, scoped to ``tenant_id``, committed on success and rolled back on error."""
    async with sessions() as session, session.begin():
        await set_tenant(session, tenant_id)
        yield session
