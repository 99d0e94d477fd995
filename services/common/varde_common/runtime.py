"""What one service process holds: its settings, its database engine and its sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import create_engine, create_session_factory
from varde_common.identity import InternalTokenVerifier
from varde_common.redaction import CheckFailed
from varde_common.settings import ServiceSettings
from varde_common.telemetry import instrument_sqlalchemy


@dataclass
class Runtime:
    service: str
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # What the process's apps and workers started beside the engine (a worker pool, say), stopped with it.
    on_close: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def create(cls, service: str, settings: ServiceSettings) -> Runtime:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            pool_timeout_s=settings.database_pool_timeout_s,
            connect_timeout_s=settings.database_connect_timeout_s,
        )
        if settings.trace_sql:
            instrument_sqlalchemy(engine)
        return cls(service=service, settings=settings, engine=engine, sessions=create_session_factory(engine))

    def token_verifier(self) -> InternalTokenVerifier:
        return InternalTokenVerifier(self.settings.read_internal_public_key(), service=self.service)

    async def database_check(self) -> dict[str, Any]:
        """The database answers, and the service's role cannot see past row-level security: the tenant wall is
        RLS alone (repositories add no tenant filter), so a role that bypasses it must never serve requests."""
        async with self.engine.connect() as connection:
            bypasses = (
                await connection.execute(
                    text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
                )
            ).scalar_one()
        if bypasses:
            raise CheckFailed(
                "the database role bypasses row-level security (superuser or BYPASSRLS): "
                "connect as the application role"
            )
        return {"ok": True}

    async def close(self) -> None:
        for close in self.on_close:
            close()
        await self.engine.dispose()
