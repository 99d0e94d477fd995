"""Use cases of notifications: turn events into notifications for the people who must act."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc
from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit
from varde_common.envelope import Envelope
from varde_common.events import (
    DeviationAcknowledged,
    DeviationAssigned,
    DeviationClosed,
    DeviationRejected,
    DocumentApproved,
    DocumentArchived,
    DocumentRejected,
    DocumentSubmitted,
    MeasureAdded,
    MeasureChanged,
    MeasureCompleted,
    MeasureOverdue,
    ProcedureConfirmedValid,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
    ReadingConfirmed,
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
from varde_common.inbox import claim_event
from varde_notifications import repository
from varde_notifications import settling as settled
from varde_notifications.domain import NotificationKind, Said, assigned, day_text, with_deadline
from varde_notifications.models import Notification
from varde_notifications.settling import Settles, arrives_read, dated

log = logging.getLogger("varde.notifications")


RISK_SUBJECT = "risk_assessment"

Message = tuple[uuid.UUID | None, Said]  # to whom, what


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
        *,
        settling: Settles | None = None,
        detail_id: uuid.UUID | None = None,
    ) -> None:
        """Store the event's notifications once (the inbox makes a redelivery a no-op), one per person; a
        recipient of None (an anonymous reporter) is nobody to tell, and nothing that could identify them.
        ``messages`` may be composed from the local directory copy, in the same transaction. The earlier notices
        the event answers (``settling``) are marked read first, dated as the new ones are (``settling.py``)."""
        arrived_at = now_utc()
        at = dated(envelope.time, arrived_at)
        async with tenant_transaction(self.sessions, envelope.tenant_id) as session:
            if not await claim_event(
                session, event_id=envelope.id, tenant_id=envelope.tenant_id, event_type=envelope.type
            ):
                return
            if settling is not None:
                await repository.settle(session, subject_id, settling, at)
            told: set[uuid.UUID] = set()
            composed = messages if isinstance(messages, list) else await messages(session)
            for recipient, said in composed:
                if recipient is None or recipient in told:
                    continue
                told.add(recipient)
                session.add(
                    Notification(
                        tenant_id=envelope.tenant_id,
                        recipient_id=recipient,
                        kind=said.kind,
                        text_key=said.key,
                        text_params=dict(said.facts),
                        subject_type=subject_type,
                        subject_id=subject_id,
                        detail_id=detail_id,
                        source_event_id=envelope.id,
                        created_at=at,
                        read_at=at if arrives_read(envelope.time, arrived_at) else None,
                    )
                )
            if told:
                log.info("notification stored", extra={"event_id": str(envelope.id), "subject_id": str(subject_id)})

    async def _settle(self, envelope: Envelope, subject_id: uuid.UUID, settling: Settles) -> None:
        """An event that tells nobody anything new, but answers earlier notices."""
        await self._tell(envelope, "", subject_id, [], settling=settling)

    async def on_deviation_assigned(self, envelope: Envelope, event: DeviationAssigned) -> None:
        """The person who must take the case into treatment: the unit's leader, or whoever it went to."""

        async def to_the_assignee(session: AsyncSession) -> list[Message]:
            unit = await find_unit(session, event.handling_unit_id or event.unit_id)
            if unit is None:
                raise UnitNotKnownYetError(f"unit {event.handling_unit_id} is not in the directory replica")
            said = assigned(
                event.reason,
                automatic=event.automatic,
                unit_name=unit.name,
                acknowledge_due_at=event.acknowledge_due_at,
            )
            return [(event.assignee_id, said)]

        await self._tell(envelope, "deviation", event.deviation_id, to_the_assignee, settling=settled.CASE_TAKEN)

    async def on_deviation_acknowledged(self, envelope: Envelope, event: DeviationAcknowledged) -> None:
        await self._settle(envelope, event.deviation_id, settled.CASE_TAKEN)

    async def on_deviation_closed(self, envelope: Envelope, event: DeviationClosed) -> None:
        message = (event.reporter_id, Said(NotificationKind.DEVIATION_CLOSED))
        await self._tell(envelope, "deviation", event.deviation_id, [message], settling=settled.CASE_ENDED)

    async def on_deviation_rejected(self, envelope: Envelope, event: DeviationRejected) -> None:
        message = (event.reporter_id, Said(NotificationKind.DEVIATION_REJECTED))
        await self._tell(envelope, "deviation", event.deviation_id, [message], settling=settled.CASE_ENDED)

    async def on_measure_added(self, envelope: Envelope, event: MeasureAdded) -> None:
        said = with_deadline(NotificationKind.MEASURE_ASSIGNED, event.deadline)
        message = (event.owner_id, said)
        await self._tell(envelope, "deviation", event.deviation_id, [message], detail_id=event.measure_id)

    async def on_measure_changed(self, envelope: Envelope, event: MeasureChanged) -> None:
        """Only a new owner is told: a moved deadline shows in the measure itself."""
        if event.owner_changed:
            said = with_deadline(NotificationKind.MEASURE_ASSIGNED, event.deadline)
            message = (event.owner_id, said)
            settling = settled.measure_settled(event.measure_id)
            await self._tell(
                envelope, "deviation", event.deviation_id, [message], settling=settling, detail_id=event.measure_id
            )

    async def on_measure_overdue(self, envelope: Envelope, event: MeasureOverdue) -> None:
        said = with_deadline(NotificationKind.MEASURE_OVERDUE, event.deadline)
        message = (event.owner_id, said)
        await self._tell(envelope, "deviation", event.deviation_id, [message], detail_id=event.measure_id)

    async def on_measure_completed(self, envelope: Envelope, event: MeasureCompleted) -> None:
        await self._settle(envelope, event.deviation_id, settled.measure_settled(event.measure_id))

    # ---- documents ---------------------------------------------------------------------------------------------

    async def on_document_submitted(self, envelope: Envelope, event: DocumentSubmitted) -> None:
        """The leader asked to approve a draft."""
        said = Said(NotificationKind.DOCUMENT_TO_APPROVE, {"version": str(event.version_number)})
        message = (event.approver_id, said)
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_document_rejected(self, envelope: Envelope, event: DocumentRejected) -> None:
        """The author, whose draft came back with a comment."""
        said = Said(NotificationKind.DOCUMENT_REJECTED, {"version": str(event.version_number)})
        message = (event.author_id, said)
        await self._tell(envelope, "document", event.document_id, [message], settling=settled.DRAFT_DECIDED)

    async def on_document_approved(self, envelope: Envelope, event: DocumentApproved) -> None:
        """The author, whose draft is now in force (the approver knows already)."""
        said = Said(NotificationKind.DOCUMENT_APPROVED, {"version": str(event.version_number)})
        message = (event.author_id, said)
        await self._tell(envelope, "document", event.document_id, [message], settling=settled.DRAFT_APPROVED)

    async def on_document_archived(self, envelope: Envelope, event: DocumentArchived) -> None:
        await self._settle(envelope, event.document_id, settled.DOCUMENT_ARCHIVED)

    async def on_confirmed_valid(self, envelope: Envelope, event: ProcedureConfirmedValid) -> None:
        """The revision owner found the procedure still right: the revision notices are answered."""
        await self._settle(envelope, event.document_id, settled.REVISION_DONE)

    async def on_reading_requested(self, envelope: Envelope, event: ReadingRequested) -> None:
        """A reader asked to read a version in force."""
        said = with_deadline(NotificationKind.DOCUMENT_TO_READ, event.due_on)
        message = (event.person_id, said)
        settling = settled.reading_done(event.person_id)  # an older version's request is answered by this one
        await self._tell(envelope, "document", event.document_id, [message], settling=settling)

    async def on_reading_confirmed(self, envelope: Envelope, event: ReadingConfirmed) -> None:
        await self._settle(envelope, event.document_id, settled.reading_done(event.person_id))

    async def on_due_for_revision(self, envelope: Envelope, event: ProcedureDueForRevision) -> None:
        said = with_deadline(NotificationKind.DOCUMENT_REVISION_DUE, event.revision_due)
        message = (event.revision_owner_id, said)
        await self._tell(envelope, "document", event.document_id, [message])

    async def on_revision_overdue(self, envelope: Envelope, event: ProcedureRevisionOverdue) -> None:
        """The revision owner, and the owning unit's leader: the overdue list escalates to them."""
        said = with_deadline(NotificationKind.DOCUMENT_REVISION_OVERDUE, event.revision_due)
        messages: list[Message] = [
            (event.revision_owner_id, said),
            (event.leader_id, said),
        ]
        await self._tell(envelope, "document", event.document_id, messages)

    # ---- risk ----------------------------------------------------------------------------------------------------

    async def on_risk_assessment_created(self, envelope: Envelope, event: RiskAssessmentCreated) -> None:
        """The owner, when someone else made them the owner."""
        if event.owner_id != event.created_by:
            said = Said(NotificationKind.RISK_ASSESSMENT_OWNED)
            message = (event.owner_id, said)
            await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_assessment_submitted(self, envelope: Envelope, event: RiskAssessmentSubmitted) -> None:
        """The leader asked to approve the assessment."""
        said = Said(NotificationKind.RISK_ASSESSMENT_TO_APPROVE)
        message = (event.approver_id, said)
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])

    async def on_risk_assessment_approved(self, envelope: Envelope, event: RiskAssessmentApproved) -> None:
        said = Said(NotificationKind.RISK_ASSESSMENT_APPROVED, {"review_due": day_text(event.review_due)})
        message = (event.owner_id, said)
        settling = settled.ASSESSMENT_DECIDED
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message], settling=settling)

    async def on_risk_assessment_archived(self, envelope: Envelope, event: RiskAssessmentArchived) -> None:
        """The owner, when a leader archived their assessment."""
        said = Said(NotificationKind.RISK_ASSESSMENT_ARCHIVED)
        messages: list[Message] = [(event.owner_id, said)] if event.archived_by != event.owner_id else []
        settling = settled.ASSESSMENT_ARCHIVED
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages, settling=settling)

    async def on_risk_review_due(self, envelope: Envelope, event: RiskAssessmentReviewDue) -> None:
        """The owner before the review date; once it has passed, the owner and the leader above."""
        if not event.overdue:
            said = with_deadline(NotificationKind.RISK_REVIEW_DUE, event.review_due)
            message = (event.owner_id, said)
            await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message])
            return
        said = with_deadline(NotificationKind.RISK_REVIEW_OVERDUE, event.review_due)
        messages: list[Message] = [
            (event.owner_id, said),
            (event.leader_id, said),
        ]
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages)

    async def on_risk_above_acceptance(self, envelope: Envelope, event: RiskAboveAcceptance) -> None:
        """The owner, who must set measures, and the leader above, who must know."""
        facts = {"probability": str(event.probability), "consequence": str(event.consequence)}
        said = Said(NotificationKind.RISK_ABOVE_ACCEPTANCE, facts)
        messages: list[Message] = [
            (event.owner_id, said),
            (event.leader_id, said),
        ]
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages)

    async def on_risk_measure_added(self, envelope: Envelope, event: RiskMeasureAdded) -> None:
        said = with_deadline(NotificationKind.RISK_MEASURE_ASSIGNED, event.deadline)
        message = (event.measure_owner_id, said)
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, [message], detail_id=event.measure_id)

    async def on_risk_measure_completed(self, envelope: Envelope, event: RiskMeasureCompleted) -> None:
        """The assessment's owner, who rates the risk again, unless they completed it themselves."""
        said = Said(NotificationKind.RISK_MEASURE_COMPLETED)
        messages: list[Message] = [(event.owner_id, said)] if event.completed_by != event.owner_id else []
        settling = settled.risk_measure_settled(event.measure_id)
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages, settling=settling)

    async def on_risk_measure_overdue(self, envelope: Envelope, event: RiskMeasureOverdue) -> None:
        """The measure's owner and the assessment's owner."""
        said = with_deadline(NotificationKind.RISK_MEASURE_OVERDUE, event.deadline)
        messages: list[Message] = [
            (event.measure_owner_id, said),
            (event.owner_id, said),
        ]
        await self._tell(envelope, RISK_SUBJECT, event.assessment_id, messages, detail_id=event.measure_id)
