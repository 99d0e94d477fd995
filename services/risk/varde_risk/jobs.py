"""Risk's scheduled jobs, run by ``varde_common.scheduler`` for each kommune: an active assessment whose review
date is near raises ``RiskAssessmentReviewDue`` to its owner, one past it raises it again as overdue with the
leader above; a measure past its deadline raises ``RiskMeasureOverdue``. Each once per date."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import nearest_leader
from varde_common.events import Event, RiskAssessmentReviewDue, RiskMeasureOverdue
from varde_common.outbox import add_events
from varde_common.scheduler import Job, not_yet_told
from varde_risk.domain import AssessmentStatus
from varde_risk.models import RiskAssessment, RiskMeasure, now
from varde_risk.records import SOURCE, facts, record

BATCH = 200


def _reviews_due(until: datetime, notified: Any) -> Any:
    due = col(RiskAssessment.review_due)
    return not_yet_told(
        RiskAssessment, due, notified, until.date(), RiskAssessment.status == AssessmentStatus.ACTIVE.value
    )


def review_due(lead_days: int) -> Job:
    async def run(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
        """Active assessments whose review date is within the lead time: the owner is told, once per date."""
        at = at or now()
        statement = _reviews_due(at + timedelta(days=lead_days), col(RiskAssessment.review_notified_for)).where(
            col(RiskAssessment.review_due) >= at.date()  # already past: the overdue job speaks instead
        )
        assessments = list((await session.exec(statement)).all())
        events: list[Event] = []
        for assessment in assessments:
            assert assessment.review_due is not None
            assessment.review_notified_for = assessment.review_due
            session.add(assessment)
            record(session, assessment, None, "review_due", at, review_due=assessment.review_due)
            events.append(RiskAssessmentReviewDue(**facts(assessment, at), review_due=assessment.review_due))
        await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
        return len(assessments)

    return Job("risk.review_due", run)


async def review_overdue(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Active assessments past their review date: the owner and the leader above are told, once per date."""
    at = at or now()
    statement = _reviews_due(at - timedelta(days=1), col(RiskAssessment.review_overdue_notified_for))
    assessments = list((await session.exec(statement)).all())
    events: list[Event] = []
    for assessment in assessments:
        assert assessment.review_due is not None
        assessment.review_overdue_notified_for = assessment.review_due
        session.add(assessment)
        leader = await nearest_leader(session, assessment.unit_id, other_than=assessment.owner_id)
        record(session, assessment, None, "review_overdue", at, review_due=assessment.review_due, leader_id=leader)
        events.append(
            RiskAssessmentReviewDue(
                **facts(assessment, at), review_due=assessment.review_due, overdue=True, leader_id=leader
            )
        )
    await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
    return len(assessments)


async def measures_overdue(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Open measures of assessments still in use, past their deadline: raised once each."""
    at = at or now()
    statement = (
        select(RiskMeasure, RiskAssessment)
        .join(RiskAssessment, col(RiskAssessment.id) == col(RiskMeasure.assessment_id))
        .where(
            col(RiskMeasure.done_at).is_(None),
            col(RiskMeasure.deadline) < at.date(),
            col(RiskMeasure.overdue_notified).is_(False),
            RiskAssessment.status != AssessmentStatus.ARCHIVED.value,
        )
        .order_by(col(RiskMeasure.deadline))
        .limit(BATCH)
        .with_for_update(of=RiskMeasure, skip_locked=True)
    )
    rows = list((await session.exec(statement)).all())
    events: list[Event] = []
    for measure, assessment in rows:
        measure.overdue_notified = True
        session.add(measure)
        record(
            session,
            assessment,
            None,
            "measure_overdue",
            at,
            measure.risk_id,
            measure_id=measure.id,
            deadline=measure.deadline,
        )
        events.append(
            RiskMeasureOverdue(
                **facts(assessment, at),
                risk_id=measure.risk_id,
                measure_id=measure.id,
                measure_owner_id=measure.owner_id,
                deadline=measure.deadline,
            )
        )
    await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
    return len(rows)


def jobs(lead_days: int) -> list[Job]:
    return [
        review_due(lead_days),
        Job("risk.review_overdue", review_overdue),
        Job("risk.measures_overdue", measures_overdue),
    ]
