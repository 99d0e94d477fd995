"""Every query of notifications, always inside a tenant transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_notifications.models import Notification

PageKey = tuple[datetime, uuid.UUID]
"""Where a page of an inbox stopped: the (created_at, id) of its last notification."""


async def for_recipient(
    session: AsyncSession, recipient_id: uuid.UUID, limit: int, after: PageKey | None, unread_only: bool
) -> list[Notification]:
    """The recipient's notifications, the newest first, from just after ``after``."""
    statement = select(Notification).where(Notification.recipient_id == recipient_id)
    if unread_only:
        statement = statement.where(col(Notification.read_at).is_(None))
    if after is not None:
        statement = statement.where(sa.tuple_(col(Notification.created_at), col(Notification.id)) < after)
    statement = statement.order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())


async def mark_read(
    session: AsyncSession, notification_ids: list[uuid.UUID], recipient_id: uuid.UUID, at: datetime
) -> set[uuid.UUID]:
    """Marks the recipient's notifications among ``notification_ids`` read at ``at`` (those read before keep their
    time); the ids that were theirs."""
    statement = (
        sa.update(Notification)
        .where(col(Notification.id).in_(notification_ids), col(Notification.recipient_id) == recipient_id)
        .values(read_at=sa.func.coalesce(col(Notification.read_at), at))
        .returning(col(Notification.id))
    )
    return set((await session.execute(statement)).scalars())
