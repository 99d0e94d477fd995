"""Every query of notifications, always inside a tenant transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_notifications.models import Notification
from varde_notifications.settling import Settles

PageKey = tuple[datetime, uuid.UUID]
"""Where a page of an inbox stopped: the (created_at, id) of its last notification."""

UNREAD = col(Notification.read_at).is_(None)
"""Not read yet: the rows of the index ``ix_notification_unread``, which the unread count, the unread list and
marking all read go through."""


async def for_recipient(
    session: AsyncSession, recipient_id: uuid.UUID, limit: int, after: PageKey | None, unread_only: bool
) -> list[Notification]:
    """The recipient's notifications, the newest first, from just after ``after``."""
    statement = select(Notification).where(Notification.recipient_id == recipient_id)
    if unread_only:
        statement = statement.where(UNREAD)
    if after is not None:
        statement = statement.where(sa.tuple_(col(Notification.created_at), col(Notification.id)) < after)
    statement = statement.order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())


def _marking_read(recipient_id: uuid.UUID, at: datetime, *where: sa.ColumnElement[bool]) -> sa.Update:
    """Marks the recipient's notifications ``where`` holds read at ``at``; one read before keeps the time it was
    first read."""
    return (
        sa.update(Notification)
        .where(col(Notification.recipient_id) == recipient_id, *where)
        .values(read_at=sa.func.coalesce(col(Notification.read_at), at))
    )


async def mark_read(
    session: AsyncSession, notification_ids: list[uuid.UUID], recipient_id: uuid.UUID, at: datetime
) -> set[uuid.UUID]:
    """Marks the recipient's notifications among ``notification_ids`` read at ``at`` (those read before keep their
    time); the ids that were theirs."""
    statement = _marking_read(recipient_id, at, col(Notification.id).in_(notification_ids))
    return set((await session.execute(statement.returning(col(Notification.id)))).scalars())


async def mark_one_read(
    session: AsyncSession, notification_id: uuid.UUID, recipient_id: uuid.UUID, at: datetime
) -> Notification | None:
    """The recipient's notification, read at ``at`` unless it was read before; None when it is not theirs."""
    statement = _marking_read(recipient_id, at, col(Notification.id) == notification_id)
    found: Notification | None = (await session.execute(statement.returning(Notification))).scalars().first()
    return found


async def mark_all_read(session: AsyncSession, recipient_id: uuid.UUID, at: datetime) -> int:
    """Marks every unread notification of the recipient read at ``at``; how many that was."""
    result: Any = await session.execute(_marking_read(recipient_id, at, UNREAD))
    return int(result.rowcount)


async def unread_count(session: AsyncSession, recipient_id: uuid.UUID) -> int:
    mine = col(Notification.recipient_id) == recipient_id
    statement = sa.select(sa.func.count()).select_from(Notification).where(mine, UNREAD)
    return int((await session.execute(statement)).scalar_one())


async def settle(session: AsyncSession, subject_id: uuid.UUID, settling: Settles, at: datetime) -> int:
    """Marks the unread notices about ``subject_id`` that ``settling`` answers read at ``at``, those dated up to
    ``at`` only (an older event settles no newer notice); how many that was."""
    statement = (
        sa.update(Notification)
        .where(
            col(Notification.subject_id) == subject_id,
            col(Notification.kind).in_(sorted(settling.kinds)),
            col(Notification.created_at) <= at,
            UNREAD,
        )
        .values(read_at=at)
    )
    if settling.recipient_id is not None:
        statement = statement.where(col(Notification.recipient_id) == settling.recipient_id)
    if settling.detail_id is not None:
        statement = statement.where(col(Notification.detail_id) == settling.detail_id)
    result: Any = await session.execute(statement)
    return int(result.rowcount)
