"""Measures (tiltak) on a case: a handler adds them (which takes a registered case into treatment), moves a
deadline or gives one to someone else; the owner or a handler marks one done, whatever happened to the case
since (a forward or an escalation does not take the owner's work away). Deadlines are dates in Norway: a new
deadline is today or later."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import date_text, oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import holds_any_role, names_of
from varde_common.events import DeviationAcknowledged, Event, MeasureAdded, MeasureChanged, MeasureCompleted
from varde_common.identity import Identity
from varde_deviations import repository
from varde_deviations.access import CaseAccess, readable
from varde_deviations.domain import DeviationStatus, HandlingAction, is_open, is_past
from varde_deviations.errors import (
    DeadlinePassed,
    DeviationNotOpen,
    MeasureAlreadyDone,
    MeasureChangeForbidden,
    MeasureCompletionForbidden,
    MeasureNotFound,
    UnknownPerson,
)
from varde_deviations.handling import begin_step, finish_step
from varde_deviations.models import (
    Deviation,
    Measure,
    MeasureChange,
    MeasureComplete,
    MeasureCreate,
    MeasurePublic,
    now,
)
from varde_deviations.records import facts, publish, record
from varde_deviations.views import measure_public


def check_deadline(deadline: date | None, at: datetime) -> None:
    """A deadline set now is today or later, in Norway (23:30 UTC on 31 March is already 1 April in Oslo)."""
    if deadline is not None and is_past(deadline, oslo_date(at)):
        raise DeadlinePassed(deadline=date_text(deadline))


async def check_owner(session: AsyncSession, identity: Identity, owner: uuid.UUID) -> None:
    if owner != identity.person_id and not await holds_any_role(session, owner):
        raise UnknownPerson()


class MeasureService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def _public(self, session: AsyncSession, measure: Measure, at: datetime) -> MeasurePublic:
        names = await names_of(session, people=[measure.owner_id])
        return measure_public(measure, oslo_date(at), names)

    async def add(self, identity: Identity, deviation_id: uuid.UUID, body: MeasureCreate) -> MeasurePublic:
        """A tiltak on the case. Adding one to a registered case takes it into treatment as well."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            step = await begin_step(session, identity, deviation_id, HandlingAction.ADD_MEASURE)
            deviation, at = step.deviation, step.at
            check_deadline(body.deadline, at)
            owner = body.owner_id or identity.person_id
            await check_owner(session, identity, owner)
            events: list[Event] = []
            if deviation.status == DeviationStatus.REGISTERED:
                deviation.acknowledged_at = deviation.acknowledged_at or at
                deviation.acknowledge_due_at = None
                record(session, deviation, identity.person_id, "acknowledged", at)
                events.append(DeviationAcknowledged(**facts(deviation, at)))
            measure = Measure(
                tenant_id=deviation.tenant_id,
                deviation_id=deviation.id,
                description=body.description,
                owner_id=owner,
                deadline=body.deadline,
                effectiveness_check=body.effectiveness_check,
                created_by=identity.person_id,
                created_at=at,
            )
            session.add(measure)
            await session.flush()
            record(
                session,
                deviation,
                identity.person_id,
                "measure_added",
                at,
                measure_id=measure.id,
                owner_id=owner,
                deadline=body.deadline,
            )
            events.append(
                MeasureAdded(**facts(deviation, at), measure_id=measure.id, owner_id=owner, deadline=body.deadline)
            )
            await finish_step(session, step, events)
            return await self._public(session, measure, at)

    async def _measure(
        self, session: AsyncSession, identity: Identity, deviation_id: uuid.UUID, measure_id: uuid.UUID
    ) -> tuple[Deviation, CaseAccess, Measure]:
        """A measure of a case this person sees (404 otherwise), both locked for the change."""
        deviation, access = await readable(session, identity.person_id, deviation_id, for_update=True)
        measure = await repository.measure_for_change(session, measure_id)
        if measure is None or measure.deviation_id != deviation.id:
            raise MeasureNotFound()
        return deviation, access, measure

    @staticmethod
    def _still_open(deviation: Deviation, measure: Measure) -> None:
        """Not done, of a case that is open in any status (also after a forward or an escalation): 409."""
        if measure.done_at is not None:
            raise MeasureAlreadyDone()
        if not is_open(deviation.status):
            raise DeviationNotOpen()

    async def complete(
        self, identity: Identity, deviation_id: uuid.UUID, measure_id: uuid.UUID, body: MeasureComplete
    ) -> MeasurePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access, measure = await self._measure(session, identity, deviation_id, measure_id)
            if not (access.handle or measure.owner_id == identity.person_id):
                raise MeasureCompletionForbidden()
            self._still_open(deviation, measure)
            at = now()
            measure.done_at, measure.done_by = at, identity.person_id
            measure.effectiveness_result = body.effectiveness_result
            session.add(measure)
            record(session, deviation, identity.person_id, "measure_completed", at, measure_id=measure.id)
            event = MeasureCompleted(
                **facts(deviation, at), measure_id=measure.id, owner_id=measure.owner_id, deadline=measure.deadline
            )
            await publish(session, deviation.tenant_id, [event])
            return await self._public(session, measure, at)

    async def change(
        self, identity: Identity, deviation_id: uuid.UUID, measure_id: uuid.UUID, body: MeasureChange
    ) -> MeasurePublic:
        """A handler moves a deadline, rewords a measure or gives it to someone else; the history keeps what was."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access, measure = await self._measure(session, identity, deviation_id, measure_id)
            if not access.handle:
                raise MeasureChangeForbidden()
            self._still_open(deviation, measure)
            changes = {
                name: value
                for name, value in body.model_dump(exclude_unset=True).items()
                if getattr(measure, name) != value
            }
            at = now()
            if "deadline" in changes:
                check_deadline(changes["deadline"], at)
            if changes.get("owner_id") is not None:
                await check_owner(session, identity, changes["owner_id"])
            if changes:
                before = {name: getattr(measure, name) for name in changes}
                for name, value in changes.items():
                    setattr(measure, name, value)
                session.add(measure)
                record(
                    session,
                    deviation,
                    identity.person_id,
                    "measure_changed",
                    at,
                    measure_id=measure.id,
                    changed=sorted(changes),
                    **{f"{name}_before": value for name, value in before.items() if name != "description"},
                )
                event = MeasureChanged(
                    **facts(deviation, at),
                    measure_id=measure.id,
                    owner_id=measure.owner_id,
                    deadline=measure.deadline,
                    owner_changed="owner_id" in changes,
                )
                await publish(session, deviation.tenant_id, [event])
            return await self._public(session, measure, at)
