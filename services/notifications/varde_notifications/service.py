"""Use cases of notifications: turn events into notifications for the people who must act."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit
from varde_common.envelope import Envelope, payload_as
from varde_common.events import (
    DeviationAssigned,
    DeviationClosed,
    DeviationRejected,
    DocumentApproved,
    DocumentRejected,
    DocumentSubmitted,
    MeasureAdded,
    MeasureChanged,
    MeasureOverdue,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
    ReadingRequested,
    RiskAboveAcceptance,
    RiskAssessmentApproved,
    RiskAssessmentArchived,
    RiskAssessmentCreated,
    RiskAssessmentReviewDue,
    RiskAssessmentSubmitted,
    RiskMeasureAdded,
    RiskMeasureCompleted,
    RiskMeasureOverdue,
)
from varde_common.identity import Identity
from varde_common.inbox import claim_event
from varde_notifications import repository
from varde_notifications.domain import (
    NotificationKind,
    assigned_text,
    closed_text,
    document_approved_text,
    document_rejected_text,
    document_to_approve_text,
    document_to_read_text,
    measure_assigned_text,
    measure_overdue_text,
    rejected_text,
    revision_due_text,
    revision_overdue_text,
    risk_above_acceptance_text,
    risk_approved_text,
    risk_archived_text,
    risk_assessment_owned_text,
    risk_measure_assigned_text,
    risk_measure_completed_text,
    risk_measure_overdue_text,
    risk_review_due_text,
    risk_review_overdue_text,
    risk_to_approve_text,
)
from varde_notifications.models import Notification, NotificationPublic

log = logging.getLogger("varde.notifications")


RISK_SUBJECT = "risk_assessment"

Message = tuple[uuid.UUID | None, NotificationKind, tuple[str, str]]  # to whom, what kind, (title, body)


class UnitNotKnownYetError(RuntimeError):
    """The event names a unit the local directory copy has not received yet; a retry usually finds it."""


class NotificationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def _tell(
        self,
        envelope: Envelope,
        subject_type: str,
        subject_id: uuid.UUID,
        messages: list[Message] | Callable[[AsyncSession], Awaitable[list[Message]]],
    ) -> None:
        """Store the event's notifications once (the inbox makes a redelivery a no-op), one per person; a
        recipient of None (an anonymous reporter) is nobody to tell, and nothing that could identify them.
        ``messages`` may be composed from the local directory copy, in the same transaction."""
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if not await claim_event(
                session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type
            ):
                return
            told: set[uuid.UUID] = set()
            composed = messages if isinstance(messages, list) else await messages(session)
            for recipient, kind, (title, body) in composed:
                if recipient is None or recipient in told:
                    continue
                told.add(recipient)
                session.add(
                    Notification(
                        tenant_id=envelope.tenant_id,
                        recipient_id=recipient,
                        kind=kind,
                        title=title,
                        body=body,
                        subject_type=subject_type,
                        subject_id=subject_id,
                        source_event_id=envelope.id,
                    )
                )
            if told:
                log.info("notification stored", extra={"event_id": str(envelope.id), "subject_id": str(subject_id)})

    async def on_deviation_assigned(self, envelope: Envelope) -> None:
        """The person who must take the case into treatment: the unit's leader, or whoever it went to."""
        event = payload_as(envelope, DeviationAssigned)

        async def to_the_assignee(session: AsyncSession) -> list[Message]:
            unit = await find_unit(session, event.handling_unit_id or event.unit_id)
            if unit is None:
                raise UnitNotKnownYetError(f"unit {event.handling_unit_id} is not in the directory replica")
            return [(event.assignee_id, NotificationKind.DEVIATION_TO_HANDLE, assigned_text(event.reason, unit.name))]

        await self._tell(envelope, "deviation", event.deviation_id, to_the_assignee)

    async def on_deviation_closed(self, envelope: Envelope) -> None:
        event = payload_as(envelope, DeviationClosed)
        message = (event.reporter_id, NotificationKind.DEVIATION_CLOSED, closed_text())
        await self._tell(envelope, "deviation", event.deviation_id, [message])

    async def on_deviation_rejected(self, envelope: Envelope) -> None:
        event = payload_as(envelope, DeviationRejected)
        message = (event.reporter_id, NotificationKind.DEVIATION_REJECTED, rejected_text())
        await self._tell(envelope, "deviation", event.deviation_id, [message])

    async def on_measure_added(self, envelope: Envelope) -> None:
        event = payload_as(envelope, MeasureAdded)
        message = (event.owner_id, NotificationKind.MEASURE_ASSIGNED, measure_assigned_text(event.deadline))
        await self._tell(envelope, "deviation", event.deviation_id, [message])

    async def on_measure_changed(self, envelope: Envelope) -> None:
        """Only a new owner is told: a moved deadline shows in the measure itself."""
        event = payload_as(envelope, MeasureChanged)
        if event.owner_changed:
            message = (event.owner_id, NotificationKind.MEASURE_ASSIGNED, measure_assigned_text(event.deadline))
            await self._tell(envelope, "deviation", event.deviation_id, [message])

    async def on_measure_overdue(self, envelope: Envelope) -> None:
        event = payload_as(envelope, MeasureOverdue)
        message = (event.owner_id, NotificationKind.MEASURE_OVERDUE, measure_overdue_text(event.deadline))
        await self._tell(envelope, "deviation", event.deviation_id, [message])

    # ---- documents ---------------------------------------------------------------------------------------------

    async def on_document_submitted(self, envelope: Envelope) -> None:
        """The leader asked to approve a draft."""
        event = payload_as(envelope, DocumentSubmitted)
        message = (
            event.approver_id,
            NotificationKind.DOCUMENT_TO_APPROVE,
            document_to_approve_text(event.version_number),
        )
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_document_rejected(self, envelope: Envelope) -> None:
        """The author, whose draft came back with a comment."""
        event = payload_as(envelope, DocumentRejected)
        message = (event.author_id, NotificationKind.DOCUMENT_REJECTED, document_rejected_text(event.version_number))
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_document_approved(self, envelope: Envelope) -> None:
        """The author, whose draft is now in force (the approver knows already)."""
        event = payload_as(envelope, DocumentApproved)
        message = (event.author_id, NotificationKind.DOCUMENT_APPROVED, document_approved_text(event.version_number))
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_reading_requested(self, envelope: Envelope) -> None:
        """A reader asked to read a version in force."""
        event = payload_as(envelope, ReadingRequested)
        message = (event.person_id, NotificationKind.DOCUMENT_TO_READ, document_to_read_text(event.due_on))
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_due_for_revision(self, envelope: Envelope) -> None:
        event = payload_as(envelope, ProcedureDueForRevision)
        message = (
            event.revision_owner_id,
            NotificationKind.DOCUMENT_REVISION_DUE,
            revision_due_text(event.revision_due),
        )
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_revision_overdue(self, envelope: Envelope) -> None:
        """The revision owner, and the owning unit's leader: the overdue list escalates to them."""
        event = payload_as(envelope, ProcedureRevisionOverdue)
        text = revision_overdue_text(event.revision_due)
        messages: list[Message] = [
            (event.revision_owner_id, NotificationKind.DOCUMENT_REVISION_OVERDUE, text),
            (event.leader_id, NotificationKind.DOCUMENT_REVISION_OVERDUE, text),
        ]
        await self._tell(envelope, "document", event.document_id, messages)

    # ---- risk ----------------------------------------------------------------------------------------------------

    async def on_risk_assessment_created(self, envelope: Envelope) -> None:
        """The owner, when someone else made them the owner."""
        event = payload_as(envelope, RiskAssessmentCreated)
        if event.owner_id != event.created_by:
            message = (event.owner_id, NotificationKind.RISK_ASSESSMENT_OWNED, risk_assessment_owned_text())
            await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_assessment_submitted(self, envelope: Envelope) -> None:
        """The leader asked to approve the assessment."""
        event = payload_as(envelope, RiskAssessmentSubmitted)
        message = (event.approver_id, NotificationKind.RISK_ASSESSMENT_TO_APPROVE, risk_to_approve_text())
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_assessment_approved(self, envelope: Envelope) -> None:
        event = payload_as(envelope, RiskAssessmentApproved)
        message = (event.owner_id, NotificationKind.RISK_ASSESSMENT_APPROVED, risk_approved_text(event.review_due))
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_assessment_archived(self, envelope: Envelope) -> None:
        """The owner, when a leader archived their assessment."""
        event = payload_as(envelope, RiskAssessmentArchived)
        if event.archived_by != event.owner_id:
            message = (event.owner_id, NotificationKind.RISK_ASSESSMENT_ARCHIVED, risk_archived_text())
            await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_review_due(self, envelope: Envelope) -> None:
        """The owner before the review date; once it has passed, the owner and the leader above."""
        event = payload_as(envelope, RiskAssessmentReviewDue)
        if not event.overdue:
            message = (event.owner_id, NotificationKind.RISK_REVIEW_DUE, risk_review_due_text(event.review_due))
            await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])
            return
        text = risk_review_overdue_text(event.review_due)
        messages: list[Message] = [
            (event.owner_id, NotificationKind.RISK_REVIEW_OVERDUE, text),
            (event.leader_id, NotificationKind.RISK_REVIEW_OVERDUE, text),
        ]
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages)

    async def on_risk_above_acceptance(self, envelope: Envelope) -> None:
        """The owner, who must set measures, and the leader above, who must know."""
        event = payload_as(envelope, RiskAboveAcceptance)
        text = risk_above_acceptance_text(event.probability, event.consequence)
        messages: list[Message] = [
            (event.owner_id, NotificationKind.RISK_ABOVE_ACCEPTANCE, text),
            (event.leader_id, NotificationKind.RISK_ABOVE_ACCEPTANCE, text),
        ]
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages)

    async def on_risk_measure_added(self, envelope: Envelope) -> None:
        event = payload_as(envelope, RiskMeasureAdded)
        text = risk_measure_assigned_text(event.deadline)
        message = (event.measure_owner_id, NotificationKind.RISK_MEASURE_ASSIGNED, text)
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_measure_completed(self, envelope: Envelope) -> None:
        """The assessment's owner, who rates the risk again, unless they completed it themselves."""
        event = payload_as(envelope, RiskMeasureCompleted)
        if event.completed_by != event.owner_id:
            message = (event.owner_id, NotificationKind.RISK_MEASURE_COMPLETED, risk_measure_completed_text())
            await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_measure_overdue(self, envelope: Envelope) -> None:
        """The measure's owner and the assessment's owner."""
        event = payload_as(envelope, RiskMeasureOverdue)
        text = risk_measure_overdue_text(event.deadline)
        messages: list[Message] = [
            (event.measure_owner_id, NotificationKind.RISK_MEASURE_OVERDUE, text),
            (event.owner_id, NotificationKind.RISK_MEASURE_OVERDUE, text),
        ]
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages)

    async def mine(self, identity: Identity, limit: int, unread_only: bool = False) -> list[NotificationPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.for_recipient(session, identity.person_id, limit, unread_only)
            return [NotificationPublic.model_validate(n, from_attributes=True) for n in rows]
