"""The inbox: event ids a consumer has processed, stored in the same transaction as the effect, for as long as a
redelivery can still arrive (``varde_common.retention``)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from varde_common.tenancy import enable_tenant_rls

INBOX_TABLE = "inbox"

metadata = sa.MetaData()


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


inbox_table = sa.Table(INBOX_TABLE, metadata, *_columns())


def create_inbox_table() -> None:
    op.create_table(INBOX_TABLE, *_columns())
    enable_tenant_rls(INBOX_TABLE)


async def claim_event(session: AsyncSession, *, event_id: uuid.UUID, tenant_id: uuid.UUID, event_type: str) -> bool:
    """True the first time an event id is seen; False for a redelivery, which must have no second effect.

    Call inside the transaction of the effect: if the effect rolls back, so does the claim.
    """
    result = await session.execute(claim(event_id=event_id, tenant_id=tenant_id, event_type=event_type))
    return result.first() is not None


def claim(*, event_id: uuid.UUID, tenant_id: uuid.UUID, event_type: str) -> ReturningInsert[tuple[uuid.UUID]]:
    """The consumers' inbox check: one insert, its conflict found through the primary key."""
    return (
        insert(inbox_table)
        .values(event_id=event_id, tenant_id=tenant_id, event_type=event_type)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(inbox_table.c.event_id)
    )
