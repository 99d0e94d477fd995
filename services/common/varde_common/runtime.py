"""What one service process holds: its settings, its database engine and its sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import create_engine, create_session_factory
from varde_common.identity import InternalTokenVerifier
from varde_common.settings import ServiceSettings
from varde_common.telemetry import instrument_sqlalchemy


@dataclass
class Runtime:
    service: str
    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def create(cls, service: str, settings: ServiceSettings) -> Runtime:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        if settings.trace_sql:
            instrument_sqlalchemy(engine)
        return cls(service=service, settings=settings, engine=engine, sessions=create_session_factory(engine))

    def token_verifier(self) -> InternalTokenVerifier:
        return InternalTokenVerifier(self.settings.read_internal_public_key())

    async def database_check(self) -> dict[str, Any]:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"ok": True}

    async def close(self) -> None:
        await self.engine.dispose()
