"""Event adapters of deviations: the local copy of the directory (units, leaders, roles, kommune settings); a
kommune that arrives gets the default catalogue of areas and categories."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import register_directory_replica
from varde_common.kafka import EventRouter
from varde_deviations.catalogue import seed_defaults


def register(router: EventRouter, sessions: async_sessionmaker[AsyncSession]) -> None:
    register_directory_replica(router, sessions, on_tenant=seed_defaults)
