"""Every query of notifications, always inside a tenant transaction."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_notifications.models import Notification


async def for_recipient(
    session: AsyncSession, recipient_id: uuid.UUID, limit: int, unread_only: bool = False
) -> list[Notification]:
    statement = select(Notification).where(Notification.recipient_id == recipient_id)
    if unread_only:
        statement = statement.where(col(Notification.read_at).is_(None))
    statement = statement.order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())
