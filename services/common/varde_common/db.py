"""Async engine and tenant-scoped sessions (PostgreSQL via asyncpg)."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event, exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession as SQLModelAsyncSession

from varde_common.errors import DatabaseBusy, DatabaseConnectionLost, DatabaseUnavailable, ProblemError
from varde_common.tenancy import TENANT_SETTING

# A connection that has rested in the pool longer than this is pinged before use (the database may have
# restarted or failed over meanwhile). SQLAlchemy's pool_pre_ping pings on every checkout: one more round trip per
# transaction, measured at 5 % of a service's CPU under load, for connections that were in use a moment ago.
PING_AFTER_IDLE_S = 5.0


# The errors a database outage raises: SQLAlchemy's own, and the driver's and the socket's raw ones, which a failed
# connect lets through unwrapped (measured: a stopped server gives a bare ConnectionRefusedError).
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    exc.DBAPIError,
    exc.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)
_UNREACHABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)


def outage_problem(error: BaseException) -> type[ProblemError] | None:
    """The problem a request answers when ``error`` means the database is away or overwhelmed; None for any other
    failure (a refused statement, a bug), which stays a 500.

    A service makes no outgoing call on a request's path but to its database (no service calls another), so a
    refused or timed-out connection in a route is the database's."""
    if isinstance(error, exc.TimeoutError):
        return DatabaseBusy  # no connection of the pool came free in time
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return DatabaseConnectionLost
        if error.orig is not None:
            error = error.orig.__cause__ or error.orig  # asyncpg's error, under SQLAlchemy's adapter
    if isinstance(error, asyncpg.TooManyConnectionsError):
        return DatabaseBusy
    if isinstance(error, _UNREACHABLE):
        return DatabaseUnavailable
    return None


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout_s: float = 30.0,
    connect_timeout_s: float = 5.0,
) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        # A service sets it below the gateway's upstream timeout (``database_pool_timeout_s``): a request that cannot
        # get a connection answers 503 itself, rather than the gateway giving up on it.
        pool_timeout=pool_timeout_s,
        # asyncpg waits 60 s by default for a server that does not answer; readiness and requests should not.
        connect_args={"timeout": connect_timeout_s},
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
