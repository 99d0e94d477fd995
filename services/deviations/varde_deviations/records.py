"""What every use case of deviations writes beside its change: a history line, a line in the access log when the
restricted part is read, and the events (the facts they carry and the alarms a change can raise)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.events import (
    DeviationAssigned,
    Event,
    PersonalDataBreachRegistered,
    SeriousEventRegistered,
)
from varde_common.events.base import source_of
from varde_common.events.deviations import AssignmentReason
from varde_common.outbox import add_events
from varde_deviations.domain import breach_notification_deadline, is_serious_patient_event
from varde_deviations.models import Deviation, DeviationHistory, RestrictedAccess

SOURCE = source_of("deviations")


def facts(deviation: Deviation, at: datetime) -> dict[str, Any]:
    """What every event says about the case: ids, unit, classification, severity and times; never content."""
    return {
        "deviation_id": deviation.id,
        "unit_id": deviation.unit_id,
        "handling_unit_id": deviation.handling_unit_id,
        "status": deviation.status,
        "kind": deviation.kind,
        "area": deviation.area,
        "category_id": deviation.category_id,
        "severity": deviation.severity,
        "occurred_at": deviation.occurred_at,
        "reported_at": deviation.reported_at,
        "at": at,
    }


def history_details(**details: Any) -> dict[str, Any]:
    """A history line's details as JSON: ids and dates as text, nothing for what is not there."""

    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, date):  # a datetime is a date too
            return value.isoformat()
        return value

    return {name: plain(value) for name, value in details.items() if value is not None}


def record(
    session: AsyncSession, deviation: Deviation, actor: uuid.UUID | None, action: str, at: datetime, **details: Any
) -> None:
    session.add(
        DeviationHistory(
            tenant_id=deviation.tenant_id,
            deviation_id=deviation.id,
            at=at,
            actor_id=actor,
            action=action,
            details=history_details(**details),
        )
    )


def log_restricted_read(
    session: AsyncSession, deviation: Deviation, reader: uuid.UUID, at: datetime, purpose: str
) -> None:
    """Every read of the restricted part (the case with it, an attachment) is in the access log."""
    session.add(
        RestrictedAccess(
            tenant_id=deviation.tenant_id, deviation_id=deviation.id, reader_id=reader, at=at, purpose=purpose
        )
    )


def assigned(
    deviation: Deviation, at: datetime, reason: AssignmentReason, *, automatic: bool = False
) -> DeviationAssigned:
    """The case is now its assignee's to acknowledge; ``automatic`` when the deadline job moved it there."""
    assert deviation.assignee_id is not None
    return DeviationAssigned(
        **facts(deviation, at),
        assignee_id=deviation.assignee_id,
        acknowledge_due_at=deviation.acknowledge_due_at,
        reason=reason,
        automatic=automatic,
    )


def alarms(deviation: Deviation, at: datetime, *, was_breach: bool, was_serious: bool) -> list[Event]:
    """Serious harm to a patient or user, and a personal-data breach with its 72-hour clock: each once."""
    events: list[Event] = []
    if is_serious_patient_event(deviation.area, deviation.actual_consequence) and not was_serious:
        events.append(SeriousEventRegistered(**facts(deviation, at)))
    if deviation.personal_data_breach and not was_breach:
        # The clock runs from the report, as the case shows it, also when it is marked later.
        aware = deviation.reported_at
        events.append(
            PersonalDataBreachRegistered(
                **facts(deviation, at), aware_at=aware, notify_authority_by=breach_notification_deadline(aware)
            )
        )
    return events


async def publish(session: AsyncSession, tenant_id: uuid.UUID, events: Sequence[Event]) -> None:
    await add_events(session, list(events), tenant_id=tenant_id, source=SOURCE)
