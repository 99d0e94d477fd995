"""Event adapters of reporting: so far the local copy of the directory (kommuner, units, leaders)."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import register_directory_replica
from varde_common.kafka import EventRouter


def register(router: EventRouter, sessions: async_sessionmaker[AsyncSession]) -> None:
    register_directory_replica(router, sessions)
