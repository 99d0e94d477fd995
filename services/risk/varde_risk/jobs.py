"""Risk's scheduled jobs, run by ``varde_common.scheduler`` for each kommune: an active assessment whose review
date is near raises ``RiskAssessmentReviewDue`` to its owner, one past it raises it again as overdue with the
leader above; a measure past its deadline raises ``RiskMeasureOverdue``. Each once per date.

Dates are Norwegian: a review date or a deadline has passed once that day has ended in Europe/Oslo, whatever the
date is in UTC at that instant.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_date
from varde_common.directory_replica import nearest_leader
from varde_common.events import Event, RiskAssessmentReviewDue, RiskMeasureOverdue
from varde_common.outbox import add_events
from varde_common.scheduler import Job
from varde_risk import repository
from varde_risk.domain import HistoryAction
from varde_risk.models import now
from varde_risk.records import SOURCE, facts, record


def review_due(lead_days: int) -> Job:
    async def run(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
        """Active assessments whose review date is within the lead time: the owner is told, once per date."""
        at = at or now()
        today = oslo_date(at)
        assessments = await repository.reviews_coming(session, today=today, until=today + timedelta(days=lead_days))
        events: list[Event] = []
        for assessment in assessments:
            assert assessment.review_due is not None
            assessment.review_notified_for = assessment.review_due
            session.add(assessment)
            record(session, assessment, None, HistoryAction.REVIEW_DUE, at, review_due=assessment.review_due)
            events.append(RiskAssessmentReviewDue(**facts(assessment, at), review_due=assessment.review_due))
        await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
        return len(assessments)

    return Job("risk.review_due", run)


async def review_overdue(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Active assessments past their review date: the owner and the leader above are told, once per date."""
    at = at or now()
    assessments = await repository.reviews_overdue(session, today=oslo_date(at))
    events: list[Event] = []
    for assessment in assessments:
        assert assessment.review_due is not None
        assessment.review_overdue_notified_for = assessment.review_due
        session.add(assessment)
        leader = await nearest_leader(session, assessment.unit_id, other_than=assessment.owner_id)
        record(
            session,
            assessment,
            None,
            HistoryAction.REVIEW_OVERDUE,
            at,
            review_due=assessment.review_due,
            leader_id=leader,
        )
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
    rows = await repository.measures_overdue(session, today=oslo_date(at))
    events: list[Event] = []
    for measure, assessment in rows:
        measure.overdue_notified = True
        session.add(measure)
        record(
            session,
            assessment,
            None,
            HistoryAction.MEASURE_OVERDUE,
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
