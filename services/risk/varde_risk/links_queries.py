"""The queries of risk's copies of the deviations and documents its risks link to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_risk.models import ReplicaDeviation, ReplicaDocument

Replica = type[ReplicaDeviation] | type[ReplicaDocument]


async def known_ids(session: AsyncSession, table: Replica, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` the kommune's events have told risk of."""
    if not ids:
        return set()
    return set((await session.exec(select(table.id).where(col(table.id).in_(ids)))).all())


async def deviations_by_id(session: AsyncSession, ids: Iterable[uuid.UUID]) -> Sequence[ReplicaDeviation]:
    wanted = set(ids)
    if not wanted:
        return []
    return (await session.exec(select(ReplicaDeviation).where(col(ReplicaDeviation.id).in_(wanted)))).all()


async def documents_by_id(session: AsyncSession, ids: Iterable[uuid.UUID]) -> Sequence[ReplicaDocument]:
    wanted = set(ids)
    if not wanted:
        return []
    return (await session.exec(select(ReplicaDocument).where(col(ReplicaDocument.id).in_(wanted)))).all()


async def upsert_forward(
    session: AsyncSession, table: sa.Table, values: Mapping[str, Any], changes: Iterable[str]
) -> None:
    """Insert the row, or change ``changes`` of it when this event is not older than the last one applied."""
    statement = insert(table).values(**values)
    to_set = {name: statement.excluded[name] for name in (*changes, "changed_at")}
    statement = statement.on_conflict_do_update(
        index_elements=["id"], set_=to_set, where=table.c.changed_at <= statement.excluded.changed_at
    )
    await session.execute(statement)
