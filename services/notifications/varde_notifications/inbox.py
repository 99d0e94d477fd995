"""The inbox: a person's own notifications, a page at a time and the newest first, and marking one read."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc
from varde_common.cursor import decode_cursor, encode_cursor
from varde_common.db import tenant_transaction
from varde_common.errors import InvalidCursor
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.pages import PageRequest
from varde_notifications import repository
from varde_notifications.errors import UnknownNotification
from varde_notifications.models import NotificationPage
from varde_notifications.views import notification_public


def _page_key(cursor: str) -> repository.PageKey:
    try:
        created_at, notification_id = decode_cursor(cursor, 2)
        return datetime.fromisoformat(created_at), uuid.UUID(notification_id)
    except ValueError:
        raise InvalidCursor() from None


class InboxService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def mine(
        self, identity: Identity, page: PageRequest, language: Language, *, unread_only: bool = False
    ) -> NotificationPage:
        after = _page_key(page.cursor) if page.cursor else None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.for_recipient(session, identity.person_id, page.limit + 1, after, unread_only)
        shown = rows[: page.limit]
        more = len(rows) > page.limit
        last = shown[-1] if shown else None
        return NotificationPage(
            items=[notification_public(row, language) for row in shown],
            next_cursor=encode_cursor(last.created_at.isoformat(), str(last.id)) if more and last else None,
        )

    async def mark_read(self, identity: Identity, notification_ids: list[uuid.UUID]) -> None:
        """All of them or none: an id that is not the person's changes nothing."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            theirs = await repository.mark_read(session, notification_ids, identity.person_id, now_utc())
            unknown = [i for i in notification_ids if i not in theirs]
            if unknown:
                raise UnknownNotification(notification_id=unknown[0])
