"""Handling a case (behandling): acknowledge, forward, escalate, close, reject, reopen, and correcting its
classification. Each step follows the workflow table (``domain.TRANSITIONS``); the events carry the state after
the change. A forwarded or escalated case starts over with the new unit's leader, on the kommune's deadline."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit, tenant_settings
from varde_common.events import (
    DeviationAcknowledged,
    DeviationClosed,
    DeviationEscalated,
    DeviationForwarded,
    DeviationRejected,
    DeviationReopened,
    Event,
)
from varde_common.events.deviations import AssignmentReason
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_deviations import repository
from varde_deviations.access import CaseAccess, case_access, handleable
from varde_deviations.cases import case_view
from varde_deviations.catalogue import check_classification
from varde_deviations.domain import (
    DeviationStatus,
    HandlingAction,
    IllegalTransitionError,
    acknowledge_deadline,
    is_open,
    is_serious_patient_event,
    next_status,
    severity,
)
from varde_deviations.errors import (
    AlreadyHandledThere,
    AlreadyWithThatLeader,
    DeviationNotOpen,
    IllegalDeviationTransition,
    NothingAbove,
    OpenMeasuresRemain,
    UnitWithoutLeader,
    UnknownUnit,
)
from varde_deviations.models import (
    CloseBody,
    Comment,
    Deviation,
    DeviationClassify,
    DeviationPublic,
    ForwardBody,
    RejectBody,
    ReopenBody,
    now,
)
from varde_deviations.records import alarms, assigned, facts, publish, record


@dataclass
class Step:
    """A step of the workflow under way: the case (locked), what the person may do, where it goes, and when."""

    deviation: Deviation
    access: CaseAccess
    target: DeviationStatus
    at: datetime


async def begin_step(
    session: AsyncSession, identity: Identity, deviation_id: uuid.UUID, action: HandlingAction
) -> Step:
    """The case, for a handler, if the table has this action from its status: 404, 403 or 409 otherwise."""
    deviation, access = await handleable(session, identity.person_id, deviation_id)
    current = DeviationStatus(deviation.status)
    try:
        target = next_status(current, action)
    except IllegalTransitionError:
        raise IllegalDeviationTransition(case_status=current, action=action) from None
    return Step(deviation, access, target, now())


async def finish_step(session: AsyncSession, step: Step, events: list[Event]) -> None:
    """Move the case to its new status and publish the step's events with the state after the change."""
    step.deviation.status = step.target
    step.deviation.updated_at = step.at
    session.add(step.deviation)
    await session.flush()
    after = [type(e).model_validate({**e.model_dump(), "status": step.target}) for e in events]
    await publish(session, step.deviation.tenant_id, after)


async def escalate_case(
    session: AsyncSession, deviation: Deviation, at: datetime, *, actor: uuid.UUID | None, comment: str | None = None
) -> list[Event] | None:
    """Move the case to the nearest unit above its handling unit that has a leader; None when there is none.
    Without ``actor`` it is the deadline job's doing, and the events say it was automatic."""
    unit = await find_unit(session, deviation.handling_unit_id)
    if unit is None or unit.parent_id is None:
        return None
    leader = await repository.leader_at_or_above(session, unit.parent_id)
    if leader is None:
        return None
    settings = await tenant_settings(session, deviation.tenant_id)
    source, automatic = deviation.handling_unit_id, actor is None
    deviation.handling_unit_id, deviation.assignee_id = leader[0].id, leader[1]
    deviation.acknowledge_due_at = acknowledge_deadline(at, settings.acknowledge_deadline_hours)
    deviation.status = DeviationStatus.REGISTERED
    record(
        session,
        deviation,
        actor,
        "escalated",
        at,
        from_unit_id=source,
        to_unit_id=leader[0].id,
        automatic=automatic,
        comment=comment,
    )
    return [
        DeviationEscalated(**facts(deviation, at), from_unit_id=source, automatic=automatic),
        assigned(deviation, at, AssignmentReason.ESCALATED, automatic=automatic),
    ]


Apply = Callable[[AsyncSession, Deviation, datetime], Awaitable[list[Event]]]


class HandlingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def _handle(
        self, identity: Identity, deviation_id: uuid.UUID, action: HandlingAction, apply: Apply, language: Language
    ) -> DeviationPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            step = await begin_step(session, identity, deviation_id, action)
            events = await apply(session, step.deviation, step.at)
            await finish_step(session, step, events)
            access = await case_access(session, identity.person_id, step.deviation)
            return await case_view(session, step.deviation, access, step.at, language)

    async def acknowledge(
        self, identity: Identity, deviation_id: uuid.UUID, body: Comment, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        """Take the case into treatment (ta til behandling); whoever does so becomes its assignee."""

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            deviation.assignee_id = identity.person_id
            deviation.acknowledged_at = deviation.acknowledged_at or at
            deviation.acknowledge_due_at = None
            record(session, deviation, identity.person_id, "acknowledged", at, comment=body.comment)
            return [DeviationAcknowledged(**facts(deviation, at))]

        return await self._handle(identity, deviation_id, HandlingAction.ACKNOWLEDGE, apply, language)

    async def forward(
        self, identity: Identity, deviation_id: uuid.UUID, body: ForwardBody, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        """Send the case to another unit; its leader (or, for a unit without one, the nearest leader above it) must
        acknowledge it within the kommune's deadline."""

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            unit = await find_unit(session, body.unit_id)
            if unit is None or unit.closed:
                raise UnknownUnit()
            if unit.id == deviation.handling_unit_id:
                raise AlreadyHandledThere()
            leader = await repository.leader_at_or_above(session, unit.id)
            if leader is None:
                raise UnitWithoutLeader()
            # As for a report: the case is handled in the unit whose leader has it, so escalation goes above them.
            handling_unit, assignee = leader
            if handling_unit.id == deviation.handling_unit_id:
                raise AlreadyWithThatLeader()
            settings = await tenant_settings(session, deviation.tenant_id)
            source = deviation.handling_unit_id
            deviation.handling_unit_id, deviation.assignee_id = handling_unit.id, assignee
            deviation.acknowledge_due_at = acknowledge_deadline(at, settings.acknowledge_deadline_hours)
            record(
                session,
                deviation,
                identity.person_id,
                "forwarded",
                at,
                from_unit_id=source,
                to_unit_id=handling_unit.id,
                chosen_unit_id=unit.id if unit.id != handling_unit.id else None,
                comment=body.comment,
            )
            return [
                DeviationForwarded(**facts(deviation, at), from_unit_id=source),
                assigned(deviation, at, AssignmentReason.FORWARDED),
            ]

        return await self._handle(identity, deviation_id, HandlingAction.FORWARD, apply, language)

    async def escalate(
        self, identity: Identity, deviation_id: uuid.UUID, body: Comment, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        """Lift the case to the unit above the one handling it (løft i linjen)."""

        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            events = await escalate_case(session, deviation, at, actor=identity.person_id, comment=body.comment)
            if events is None:
                raise NothingAbove()
            return events

        return await self._handle(identity, deviation_id, HandlingAction.ESCALATE, apply, language)

    async def close(
        self, identity: Identity, deviation_id: uuid.UUID, body: CloseBody, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            still_open = await repository.open_measures(session, deviation.id)
            if still_open:
                raise OpenMeasuresRemain(extra={"open_measures": [str(m) for m in still_open]}, count=len(still_open))
            deviation.conclusion = body.conclusion
            deviation.closed_at = at
            deviation.acknowledge_due_at = None
            record(session, deviation, identity.person_id, "closed", at)
            return [DeviationClosed(**facts(deviation, at), reporter_id=deviation.reported_by)]

        return await self._handle(identity, deviation_id, HandlingAction.CLOSE, apply, language)

    async def reject(
        self, identity: Identity, deviation_id: uuid.UUID, body: RejectBody, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            deviation.rejection_reason = body.reason
            deviation.closed_at = at
            deviation.acknowledge_due_at = None
            record(session, deviation, identity.person_id, "rejected", at, reason=body.reason)
            return [DeviationRejected(**facts(deviation, at), reporter_id=deviation.reported_by)]

        return await self._handle(identity, deviation_id, HandlingAction.REJECT, apply, language)

    async def reopen(
        self, identity: Identity, deviation_id: uuid.UUID, body: ReopenBody, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        async def apply(session: AsyncSession, deviation: Deviation, at: datetime) -> list[Event]:
            deviation.closed_at = None
            if deviation.assignee_id is None:
                deviation.assignee_id = identity.person_id
            record(session, deviation, identity.person_id, "reopened", at, reason=body.reason)
            return [
                DeviationReopened(**facts(deviation, at), assignee_id=deviation.assignee_id),
                assigned(deviation, at, AssignmentReason.REOPENED),
            ]

        return await self._handle(identity, deviation_id, HandlingAction.REOPEN, apply, language)

    async def classify(
        self,
        identity: Identity,
        deviation_id: uuid.UUID,
        body: DeviationClassify,
        language: Language = DEFAULT_LANGUAGE,
    ) -> DeviationPublic:
        """A handler corrects kind, area, category, consequences or the personal-data-breach flag."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await handleable(session, identity.person_id, deviation_id)
            if not is_open(deviation.status):
                raise DeviationNotOpen()
            changes = body.model_dump(exclude_unset=True)
            area = changes.get("area", deviation.area)
            category_id = changes.get("category_id", deviation.category_id)
            if "area" in changes or "category_id" in changes:
                await check_classification(session, identity.tenant_id, area, category_id)
            was_breach = deviation.personal_data_breach
            was_serious = is_serious_patient_event(deviation.area, deviation.actual_consequence)
            for name, value in changes.items():
                setattr(deviation, name, value)
            deviation.severity = severity(deviation.actual_consequence, deviation.potential_consequence)
            at = now()
            deviation.updated_at = at
            session.add(deviation)
            await session.flush()
            changed = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in changes.items()}
            record(session, deviation, identity.person_id, "classified", at, changes=changed)
            await publish(
                session, deviation.tenant_id, alarms(deviation, at, was_breach=was_breach, was_serious=was_serious)
            )
            return await case_view(session, deviation, access, at, language)
