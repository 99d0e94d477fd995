"""Async engine and tenant-scoped sessions (PostgreSQL via asyncpg)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession as SQLModelAsyncSession

from varde_common.tenancy import TENANT_SETTING

# A connection that has rested in the pool longer than this is pinged before use (the database may have
# restarted or failed over meanwhile). SQLAlchemy's pool_pre_ping pings on every checkout: one more round trip per
# transaction, measured at 5 % of a service's CPU under load, for connections that were in use a moment ago.
PING_AFTER_IDLE_S = 5.0


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        # The tenant is set per transaction (set_config(..., true)); a reset on check-in is the belt to those braces.
        pool_reset_on_return="rollback",
        # A failed statement's message must not carry its parameters: they are names, descriptions, fødselsnumre.
        hide_parameters=True,
    )
    _ping_connections_that_rested(engine)
    return engine


def _ping_connections_that_rested(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def rested_since(dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def ping_if_rested(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_S:
            return
        try:
            dbapi_connection.ping()
        except Exception as error:
            # The pool throws this connection away and checks out another (a new one if need be).
            raise exc.DisconnectionError(f"connection lost while idle: {error}") from error


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
