"""Use cases of notifications: turn events into notifications for the people who must act."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit
from varde_common.envelope import Envelope, payload_as
from varde_common.events import (
    DeviationAssigned,
    DeviationClosed,
    DeviationRejected,
    MeasureAdded,
    MeasureChanged,
    MeasureOverdue,
)
from varde_common.identity import Identity
from varde_common.inbox import claim_event
from varde_notifications import repository
from varde_notifications.domain import (
    NotificationKind,
    assigned_text,
    closed_text,
    measure_assigned_text,
    measure_overdue_text,
    rejected_text,
)
from varde_notifications.models import Notification, NotificationPublic

log = logging.getLogger("varde.notifications")


class UnitNotKnownYetError(RuntimeError):
    """The event names a unit the local directory copy has not received yet; a retry usually finds it."""


class NotificationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def _notify(
        self,
        envelope: Envelope,
        recipient: uuid.UUID | None,
        kind: NotificationKind,
        text: tuple[str, str],
        deviation_id: uuid.UUID,
        session: AsyncSession,
    ) -> None:
        if recipient is None:
            return  # an anonymous reporter: nobody to tell, and nothing that could identify them
        title, body = text
        session.add(
            Notification(
                tenant_id=envelope.tenant_id,
                recipient_id=recipient,
                kind=kind,
                title=title,
                body=body,
                subject_type="deviation",
                subject_id=deviation_id,
                source_event_id=envelope.id,
            )
        )
        log.info("notification stored", extra={"event_id": str(envelope.id), "subject_id": str(deviation_id)})

    async def on_deviation_assigned(self, envelope: Envelope) -> None:
        """The person who must take the case into treatment: the unit's leader, or whoever it went to."""
        event = payload_as(envelope, DeviationAssigned)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if not await claim_event(
                session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type
            ):
                return
            unit = await find_unit(session, event.handling_unit_id or event.unit_id)
            if unit is None:
                raise UnitNotKnownYetError(f"unit {event.handling_unit_id} is not in the directory replica")
            text = assigned_text(event.reason, unit.name)
            await self._notify(
                envelope, event.assignee_id, NotificationKind.DEVIATION_TO_HANDLE, text, event.deviation_id, session
            )

    async def on_deviation_closed(self, envelope: Envelope) -> None:
        event = payload_as(envelope, DeviationClosed)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if await claim_event(session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type):
                await self._notify(
                    envelope,
                    event.reporter_id,
                    NotificationKind.DEVIATION_CLOSED,
                    closed_text(),
                    event.deviation_id,
                    session,
                )

    async def on_deviation_rejected(self, envelope: Envelope) -> None:
        event = payload_as(envelope, DeviationRejected)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if await claim_event(session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type):
                await self._notify(
                    envelope,
                    event.reporter_id,
                    NotificationKind.DEVIATION_REJECTED,
                    rejected_text(),
                    event.deviation_id,
                    session,
                )

    async def on_measure_added(self, envelope: Envelope) -> None:
        event = payload_as(envelope, MeasureAdded)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if await claim_event(session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type):
                await self._notify(
                    envelope,
                    event.owner_id,
                    NotificationKind.MEASURE_ASSIGNED,
                    measure_assigned_text(event.deadline),
                    event.deviation_id,
                    session,
                )

    async def on_measure_changed(self, envelope: Envelope) -> None:
        """Only a new owner is told: a moved deadline shows in the measure itself."""
        event = payload_as(envelope, MeasureChanged)
        if not event.owner_changed:
            return
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if await claim_event(session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type):
                await self._notify(
                    envelope,
                    event.owner_id,
                    NotificationKind.MEASURE_ASSIGNED,
                    measure_assigned_text(event.deadline),
                    event.deviation_id,
                    session,
                )

    async def on_measure_overdue(self, envelope: Envelope) -> None:
        event = payload_as(envelope, MeasureOverdue)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if await claim_event(session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type):
                await self._notify(
                    envelope,
                    event.owner_id,
                    NotificationKind.MEASURE_OVERDUE,
                    measure_overdue_text(event.deadline),
                    event.deviation_id,
                    session,
                )

    async def mine(self, identity: Identity, limit: int, unread_only: bool = False) -> list[NotificationPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.for_recipient(session, identity.person_id, limit, unread_only)
            return [NotificationPublic.model_validate(n, from_attributes=True) for n in rows]
