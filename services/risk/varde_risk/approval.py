"""Use cases of an assessment's way through its statuses: send it for approval, approve it at the owner's leader
level (which sets the next review date, an Oslo date), take it back for revision, archive it.

Each use case owns its transaction and writes its history and its events in it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import add_months, oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import nearest_leader
from varde_common.events import RiskAssessmentApproved, RiskAssessmentArchived, RiskAssessmentSubmitted
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.outbox import add_events
from varde_risk.access import visible, workable
from varde_risk.assessments import load_public
from varde_risk.domain import (
    AssessmentAction,
    AssessmentStatus,
    HistoryAction,
    IllegalAssessmentTransitionError,
    next_assessment_status,
)
from varde_risk.errors import (
    ApprovalNotAllowed,
    ArchivingNotAllowed,
    AssessmentAlreadyApproved,
    AssessmentAlreadySubmitted,
    AssessmentArchived,
    AssessmentConflict,
    AssessmentNotActive,
    OwnApprovalNotAllowed,
)
from varde_risk.models import AssessmentPublic, Clock, RiskAssessment, now
from varde_risk.records import SOURCE, facts, record

DEFAULT_REVIEW_MONTHS = 12

# Why a step is refused in a status (archived refuses every step).
_REFUSED: dict[AssessmentStatus, type[AssessmentConflict]] = {
    AssessmentStatus.ACTIVE: AssessmentAlreadyApproved,
    AssessmentStatus.PREPARATION: AssessmentNotActive,
    AssessmentStatus.ARCHIVED: AssessmentArchived,
}


def _next_status(assessment: RiskAssessment, action: AssessmentAction) -> AssessmentStatus:
    status = AssessmentStatus(assessment.status)
    try:
        return next_assessment_status(status, action)
    except IllegalAssessmentTransitionError:
        raise _REFUSED[status](assessment_status=status.value) from None


class ApprovalService:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], review_lead_days: int = 30, clock: Clock = now
    ) -> None:
        self.sessions = sessions
        self.review_lead_days = review_lead_days
        self.clock = clock

    async def submit(self, identity: Identity, assessment_id: uuid.UUID, language: Language) -> AssessmentPublic:
        """Send the assessment for approval: the leader nearest above the owner is asked (and told)."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await workable(session, identity.person_id, assessment_id)
            if assessment.status != AssessmentStatus.PREPARATION:
                raise AssessmentAlreadyApproved(assessment_status=assessment.status)
            if assessment.submitted_at is not None:
                raise AssessmentAlreadySubmitted(assessment_status=assessment.status)
            at = self.clock()
            approver = await nearest_leader(session, assessment.unit_id, other_than=assessment.owner_id)
            assessment.submitted_by, assessment.submitted_at, assessment.updated_at = identity.person_id, at, at
            session.add(assessment)
            record(session, assessment, identity.person_id, HistoryAction.SUBMITTED, at, approver_id=approver)
            event = RiskAssessmentSubmitted(
                **facts(assessment, at), submitted_by=identity.person_id, approver_id=approver
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return await load_public(session, assessment, access, language, at)

    async def approve(self, identity: Identity, assessment_id: uuid.UUID, language: Language) -> AssessmentPublic:
        """The owner's leader level approves: the assessment is active. Its review falls a year on (from today in
        Norway) unless a later date was set; an approval inside the review's lead time is that review."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await visible(session, identity.person_id, assessment_id, for_update=True)
            if not access.approve:
                if identity.person_id == assessment.owner_id:
                    raise OwnApprovalNotAllowed()
                raise ApprovalNotAllowed()
            assessment.status = _next_status(assessment, AssessmentAction.APPROVE)
            at = self.clock()
            today = oslo_date(at)
            if assessment.review_due is None or assessment.review_due <= today + timedelta(days=self.review_lead_days):
                assessment.review_due = add_months(today, DEFAULT_REVIEW_MONTHS)
            assessment.approved_by, assessment.approved_at, assessment.updated_at = identity.person_id, at, at
            assessment.submitted_by = assessment.submitted_at = None
            assessment.review_notified_for = assessment.review_overdue_notified_for = None
            session.add(assessment)
            record(
                session, assessment, identity.person_id, HistoryAction.APPROVED, at, review_due=assessment.review_due
            )
            event = RiskAssessmentApproved(
                **facts(assessment, at), approved_by=identity.person_id, review_due=assessment.review_due
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return await load_public(session, assessment, access, language, at)

    async def reopen(self, identity: Identity, assessment_id: uuid.UUID, language: Language) -> AssessmentPublic:
        """Take an active assessment back into preparation for its review; it is sent and approved again."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await workable(session, identity.person_id, assessment_id)
            assessment.status = _next_status(assessment, AssessmentAction.REOPEN)
            at = self.clock()
            assessment.updated_at = at
            session.add(assessment)
            record(session, assessment, identity.person_id, HistoryAction.REOPENED, at)
            return await load_public(session, assessment, access, language, at)

    async def archive(self, identity: Identity, assessment_id: uuid.UUID, language: Language) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await visible(session, identity.person_id, assessment_id, for_update=True)
            if not access.archive:
                raise ArchivingNotAllowed()
            assessment.status = _next_status(assessment, AssessmentAction.ARCHIVE)
            at = self.clock()
            assessment.updated_at = at
            session.add(assessment)
            record(session, assessment, identity.person_id, HistoryAction.ARCHIVED, at)
            event = RiskAssessmentArchived(**facts(assessment, at), archived_by=identity.person_id)
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return await load_public(session, assessment, access, language, at)
