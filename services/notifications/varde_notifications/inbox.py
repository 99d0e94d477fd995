"""The inbox: a person's own notifications, a page at a time and the newest first, how many are unread, and
marking them read: some, one, or all."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc
from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.pages import PageRequest, keyset, page_of
from varde_notifications import repository
from varde_notifications.errors import NotificationNotFound, UnknownNotification
from varde_notifications.models import MarkedRead, NotificationPage, NotificationPublic, UnreadCount
from varde_notifications.views import notification_public


class InboxService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def mine(
        self, identity: Identity, page: PageRequest, language: Language, *, unread_only: bool = False
    ) -> NotificationPage:
        after = keyset(page, datetime.fromisoformat, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.for_recipient(session, identity.person_id, page.limit + 1, after, unread_only)
        shown, next_cursor = page_of(rows, page.limit, lambda row: (row.created_at.isoformat(), row.id))
        return NotificationPage(items=[notification_public(row, language) for row in shown], next_cursor=next_cursor)

    async def mark_read(self, identity: Identity, notification_ids: list[uuid.UUID]) -> None:
        """All of them or none: an id that is not the person's changes nothing."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            theirs = await repository.mark_read(session, notification_ids, identity.person_id, now_utc())
            unknown = [i for i in notification_ids if i not in theirs]
            if unknown:
                raise UnknownNotification(notification_id=unknown[0])

    async def mark_one_read(
        self, identity: Identity, notification_id: uuid.UUID, language: Language
    ) -> NotificationPublic:
        """Someone else's notification, or one of another kommune (row-level security), is not found."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            notification = await repository.mark_one_read(session, notification_id, identity.person_id, now_utc())
        if notification is None:
            raise NotificationNotFound(notification_id=notification_id)
        return notification_public(notification, language)

    async def mark_all_read(self, identity: Identity) -> MarkedRead:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            marked = await repository.mark_all_read(session, identity.person_id, now_utc())
        return MarkedRead(marked=marked)

    async def unread_count(self, identity: Identity) -> UnreadCount:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            return UnreadCount(unread=await repository.unread_count(session, identity.person_id))
