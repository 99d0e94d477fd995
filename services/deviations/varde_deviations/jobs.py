"""The deviations' scheduled jobs, run by ``varde_common.scheduler`` for each kommune: a case nobody acknowledged
in time escalates to the leader above; a measure past its deadline (a date in Norway) raises ``MeasureOverdue``
once."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_date
from varde_common.events import DeviationAcknowledgementOverdue, Event, MeasureOverdue
from varde_common.scheduler import Job
from varde_deviations import repository
from varde_deviations.handling import escalate_case
from varde_deviations.models import now
from varde_deviations.records import facts, publish, record


async def escalate_unacknowledged(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Cases still registered after their acknowledge deadline go one level up; at the top the clock stops."""
    at = at or now()
    cases = await repository.unacknowledged_past_deadline(session, at)
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
            record(session, deviation, None, "acknowledgement_overdue", at, due=due)
        else:
            events += escalated
        deviation.updated_at = at
        session.add(deviation)
    await publish(session, tenant_id, events)
    return len(cases)


async def flag_overdue_measures(session: AsyncSession, tenant_id: uuid.UUID, at: datetime | None = None) -> int:
    """Open measures past their deadline raise ``MeasureOverdue`` once per deadline (a new deadline may again).
    The deadline day itself is in time until it ends in Norway."""
    at = at or now()
    rows = await repository.measures_past_deadline(session, oslo_date(at))
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
    await publish(session, tenant_id, events)
    return len(rows)


JOBS = [
    Job("deviations.escalate_unacknowledged", escalate_unacknowledged),
    Job("deviations.flag_overdue_measures", flag_overdue_measures),
]
