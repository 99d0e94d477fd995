"""Use cases of notifications: turn events into notifications for the people who must act."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit
from varde_common.envelope import Envelope, payload_as
from varde_common.events import DeviationReported
from varde_common.identity import Identity
from varde_common.inbox import claim_event
from varde_notifications import repository
from varde_notifications.domain import NotificationKind, deviation_reported_text
from varde_notifications.models import Notification, NotificationPublic

log = logging.getLogger("varde.notifications")


class UnitNotKnownYetError(RuntimeError):
    """The event names a unit the local directory copy has not received yet; a retry usually finds it."""


class NotificationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def on_deviation_reported(self, envelope: Envelope) -> None:
        """Tell the leader of the unit where it happened that there is an avvik to handle."""
        event = payload_as(envelope, DeviationReported)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if not await claim_event(
                session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type
            ):
                return
            unit = await find_unit(session, event.unit_id)
            if unit is None:
                raise UnitNotKnownYetError(f"unit {event.unit_id} is not in the directory replica")
            if unit.leader_person_id is None:
                log.warning("unit has no leader; nobody to notify", extra={"unit_id": str(unit.id)})
                return
            title, body = deviation_reported_text(unit.name)
            notification = Notification(
                tenant_id=envelope.tenant_id,
                recipient_id=unit.leader_person_id,
                kind=NotificationKind.DEVIATION_TO_HANDLE,
                title=title,
                body=body,
                subject_type="deviation",
                subject_id=event.deviation_id,
                source_event_id=envelope.id,
            )
            session.add(notification)
        log.info(
            "notification stored",
            extra={
                "notification_id": str(notification.id),
                "event_id": str(envelope.id),
                "subject_id": str(event.deviation_id),
            },
        )

    async def mine(self, identity: Identity, limit: int) -> list[NotificationPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.for_recipient(session, identity.person_id, limit)
            return [NotificationPublic.model_validate(n, from_attributes=True) for n in rows]
