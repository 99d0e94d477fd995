"""The deviations' scheduled jobs, run by ``varde_common.scheduler`` for each kommune: a case nobody acknowledged
in time escalates to the leader above; a measure past its deadline raises ``MeasureOverdue`` once."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.events import DeviationAcknowledgementOverdue, Event, MeasureOverdue
from varde_common.outbox import add_events
from varde_common.scheduler import Job
from varde_deviations.domain import OPEN_STATUSES, DeviationStatus
from varde_deviations.models import Deviation, Measure, now
from varde_deviations.service import SOURCE, escalate_case, facts, record

BATCH = 200


async def escalate_unacknowledged(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Cases still registered after their acknowledge deadline go one level up; at the top the clock stops."""
    at = at or now()
    statement = (
        select(Deviation)
        .where(Deviation.status == DeviationStatus.REGISTERED.value, col(Deviation.acknowledge_due_at) < at)
        .order_by(col(Deviation.acknowledge_due_at))
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    cases = list((await session.exec(statement)).all())
    events: list[Event] = []
    for deviation in cases:
        due = deviation.acknowledge_due_at
        assert due is not None
        events.append(
            DeviationAcknowledgementOverdue(
                **facts(deviation, at), assignee_id=deviation.assignee_id, acknowledge_due_at=due
            )
        )
        escalated = await escalate_case(session, deviation, at, actor=None)
        if escalated is None:
            deviation.acknowledge_due_at = None  # nobody above: said once, not every round
            record(session, deviation, None, "acknowledgement_overdue", at, due=due.isoformat())
        else:
            events += escalated
        deviation.updated_at = at
        session.add(deviation)
    await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
    return len(cases)


async def flag_overdue_measures(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Open measures past their deadline raise ``MeasureOverdue`` once per deadline (a new deadline may again)."""
    at = at or now()
    today = at.date()
    statement = (
        select(Measure, Deviation)
        .join(Deviation, col(Deviation.id) == col(Measure.deviation_id))
        .where(
            col(Measure.done_at).is_(None),
            col(Measure.deadline) < today,
            sa.or_(
                col(Measure.overdue_notified_for).is_(None), col(Measure.overdue_notified_for) != col(Measure.deadline)
            ),
            col(Deviation.status).in_([s.value for s in OPEN_STATUSES]),
        )
        .limit(BATCH)
        .with_for_update(of=Measure, skip_locked=True)  # type: ignore[arg-type]
    )
    rows = list((await session.exec(statement)).all())
    events: list[Event] = []
    for measure, deviation in rows:
        measure.overdue_notified_for = measure.deadline
        session.add(measure)
        record(session, deviation, None, "measure_overdue", at, measure_id=measure.id)
        events.append(
            MeasureOverdue(
                **facts(deviation, at), measure_id=measure.id, owner_id=measure.owner_id, deadline=measure.deadline
            )
        )
    await add_events(session, events, tenant_id=tenant_id, source=SOURCE)
    return len(rows)


JOBS = [
    Job("deviations.escalate_unacknowledged", escalate_unacknowledged),
    Job("deviations.flag_overdue_measures", flag_overdue_measures),
]
