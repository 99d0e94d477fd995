"""What the tests of a service's demo history share: a kommune seeded in a transaction that is rolled back, and
what a person would see of it, read with plain SQL and without the ids the database draws."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import set_tenant

Found = dict[str, list[dict[str, Any]]]


@asynccontextmanager
async def rolled_back(
    engine: AsyncEngine, seed: Callable[[async_sessionmaker[AsyncSession]], Awaitable[None]]
) -> AsyncIterator[tuple[AsyncConnection, async_sessionmaker[AsyncSession]]]:
    """A connection in a transaction that is rolled back at the end, with ``seed`` done in it first."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            sessions = async_sessionmaker(bind=connection, class_=AsyncSession, expire_on_commit=False,
                                          join_transaction_mode="create_savepoint")  # fmt: skip
            await seed(sessions)
            yield connection, sessions
        finally:
            await transaction.rollback()


async def rows_of(connection: AsyncConnection, tenant_id: uuid.UUID, queries: Mapping[str, str]) -> Found:
    """Each query's rows, as the kommune sees them."""
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session, session.begin():
        await set_tenant(session, tenant_id)
        found = {}
        for name, query in queries.items():
            found[name] = [dict(row) for row in (await session.execute(sa.text(query))).mappings()]
    return found


def without_ids(found: Found) -> Found:
    return {name: [{k: v for k, v in row.items() if k != "id"} for row in rows] for name, rows in found.items()}
