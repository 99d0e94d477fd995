"""Use cases of the risks (uønskede hendelser) of an assessment and their measures (tiltak): register, rate,
change, add and complete measures. A risk that comes above the acceptance line is raised to the leader above
its owner, once, until it comes down again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import date_text, oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import names_of, nearest_leader
from varde_common.events import (
    Event,
    RiskAboveAcceptance,
    RiskMeasureAdded,
    RiskMeasureCompleted,
    RiskRated,
    RiskRegistered,
)
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.outbox import add_events
from varde_risk import repository
from varde_risk.access import workable
from varde_risk.domain import HistoryAction, Matrix, Zone, overall_consequence
from varde_risk.errors import MeasureAlreadyCompleted, MeasureDeadlinePassed, MeasureNotFound, RiskNotFound
from varde_risk.links import check_links, linked
from varde_risk.models import (
    Clock,
    MeasureCreate,
    MeasurePublic,
    Rating,
    Risk,
    RiskAssessment,
    RiskChange,
    RiskCreate,
    RiskMeasure,
    RiskPublic,
    now,
)
from varde_risk.records import SOURCE, cell, facts, record
from varde_risk.views import Reading, measure_public, risk_public


def place(risk: Risk, rating: Rating, matrix: Matrix) -> None:
    """Put the risk in its cell (the worst dimension places it) and its target cell."""
    consequence = overall_consequence(rating.consequences, rating.consequence)
    assert consequence is not None  # the model refuses a rating without one
    risk.probability, risk.consequence = rating.probability, consequence
    risk.consequences = {dimension.value: level for dimension, level in rating.consequences.items()}
    risk.target_probability, risk.target_consequence = rating.target_probability, rating.target_consequence
    risk.zone = matrix.zone(risk.probability, risk.consequence)


async def acceptance_events(session: AsyncSession, assessment: RiskAssessment, risk: Risk, at: datetime) -> list[Event]:
    """``RiskAboveAcceptance`` when the risk has just come above the line; nothing while it stays there."""
    if risk.zone != Zone.UNACCEPTABLE:
        risk.above_acceptance_since = None
        return []
    if risk.above_acceptance_since is not None:
        return []
    risk.above_acceptance_since = at
    leader = await nearest_leader(session, assessment.unit_id, other_than=assessment.owner_id)
    record(session, assessment, None, HistoryAction.ABOVE_ACCEPTANCE, at, risk, leader_id=leader)
    return [RiskAboveAcceptance(**facts(assessment, at), **cell(risk), leader_id=leader)]


async def _public(session: AsyncSession, risk: Risk, at: datetime, language: Language) -> RiskPublic:
    matrix, _ = await repository.kommune_matrix(session)
    measures = [m for m in await repository.measures_of(session, risk.assessment_id) if m.risk_id == risk.id]
    names = await names_of(session, people=[*(m.owner_id for m in measures), *(m.done_by for m in measures)])
    links = await linked(session, [risk])
    return risk_public(risk, measures, Reading(matrix, links, oslo_date(at), language, names))


class RiskService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now) -> None:
        self.sessions = sessions
        self.clock = clock

    async def _risk(
        self, session: AsyncSession, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID
    ) -> tuple[RiskAssessment, Risk]:
        assessment, _ = await workable(session, identity.person_id, assessment_id)
        risk = await repository.get_risk(session, assessment_id, risk_id, for_update=True)
        if risk is None:
            raise RiskNotFound()
        return assessment, risk

    async def register(
        self, identity: Identity, assessment_id: uuid.UUID, body: RiskCreate, language: Language
    ) -> RiskPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, _ = await workable(session, identity.person_id, assessment_id)
            await check_links(session, body.deviation_ids, body.document_ids)
            matrix, _ = await repository.kommune_matrix(session)
            at = self.clock()
            risk = Risk(
                tenant_id=identity.tenant_id,
                assessment_id=assessment.id,
                number=await repository.next_risk_number(session, assessment.id),
                title=body.title,
                description=body.description,
                causes=body.causes,
                barriers=body.barriers,
                deviation_ids=list(dict.fromkeys(body.deviation_ids)),
                document_ids=list(dict.fromkeys(body.document_ids)),
                probability=1,
                consequence=1,
                zone=Zone.ACCEPTABLE,
                created_at=at,
                updated_at=at,
            )
            place(risk, body, matrix)
            session.add(risk)
            await session.flush()
            record(session, assessment, identity.person_id, HistoryAction.RISK_REGISTERED, at, risk, **cell(risk))
            events: list[Event] = [
                RiskRegistered(
                    **facts(assessment, at),
                    **cell(risk),
                    target_probability=risk.target_probability,
                    target_consequence=risk.target_consequence,
                )
            ]
            events += await acceptance_events(session, assessment, risk, at)
            session.add(risk)
            await add_events(session, events, tenant_id=identity.tenant_id, source=SOURCE)
            return await _public(session, risk, at, language)

    async def rate(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: Rating, language: Language
    ) -> RiskPublic:
        """A new rating; ``RiskRated`` only when the cell or the target changed."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            matrix, _ = await repository.kommune_matrix(session)
            before = (risk.probability, risk.consequence, risk.zone, risk.target_probability, risk.target_consequence)
            place(risk, body, matrix)
            at = self.clock()
            risk.updated_at = at
            events: list[Event] = []
            after = (risk.probability, risk.consequence, risk.zone, risk.target_probability, risk.target_consequence)
            if after != before:
                record(
                    session,
                    assessment,
                    identity.person_id,
                    HistoryAction.RISK_RATED,
                    at,
                    risk,
                    **cell(risk),
                    before=before[:3],
                )
                events.append(
                    RiskRated(
                        **facts(assessment, at),
                        **cell(risk),
                        previous_probability=before[0],
                        previous_consequence=before[1],
                        previous_zone=before[2],
                        target_probability=risk.target_probability,
                        target_consequence=risk.target_consequence,
                    )
                )
            events += await acceptance_events(session, assessment, risk, at)
            session.add(risk)
            await add_events(session, events, tenant_id=identity.tenant_id, source=SOURCE)
            return await _public(session, risk, at, language)

    async def change(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: RiskChange, language: Language
    ) -> RiskPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
            await check_links(session, changes.get("deviation_ids", []), changes.get("document_ids", []))
            at = self.clock()
            for name, value in changes.items():
                setattr(risk, name, list(dict.fromkeys(value)) if isinstance(value, list) else value)
            risk.updated_at = at
            session.add(risk)
            record(
                session, assessment, identity.person_id, HistoryAction.RISK_CHANGED, at, risk, changed=sorted(changes)
            )
            return await _public(session, risk, at, language)

    async def add_measure(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: MeasureCreate
    ) -> MeasurePublic:
        """A measure with its owner and deadline; a deadline before today in Norway is refused."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            at = self.clock()
            today = oslo_date(at)
            if body.deadline is not None and body.deadline < today:
                raise MeasureDeadlinePassed(deadline=date_text(body.deadline))
            measure = RiskMeasure(
                tenant_id=identity.tenant_id,
                assessment_id=assessment.id,
                risk_id=risk.id,
                title=body.title,
                owner_id=body.owner_id or assessment.owner_id,
                deadline=body.deadline,
                created_at=at,
            )
            session.add(measure)
            await session.flush()
            record(
                session, assessment, identity.person_id, HistoryAction.MEASURE_ADDED, at, risk, measure_id=measure.id
            )
            event = RiskMeasureAdded(
                **facts(assessment, at),
                risk_id=risk.id,
                measure_id=measure.id,
                measure_owner_id=measure.owner_id,
                deadline=measure.deadline,
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return measure_public(measure, today, await names_of(session, people=[measure.owner_id]))

    async def complete_measure(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, measure_id: uuid.UUID
    ) -> MeasurePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            measure = await repository.get_measure(session, risk.id, measure_id, for_update=True)
            if measure is None:
                raise MeasureNotFound()
            if measure.done_at is not None:
                raise MeasureAlreadyCompleted()
            at = self.clock()
            measure.done_at, measure.done_by = at, identity.person_id
            session.add(measure)
            record(
                session,
                assessment,
                identity.person_id,
                HistoryAction.MEASURE_COMPLETED,
                at,
                risk,
                measure_id=measure.id,
            )
            event = RiskMeasureCompleted(
                **facts(assessment, at),
                risk_id=risk.id,
                measure_id=measure.id,
                measure_owner_id=measure.owner_id,
                deadline=measure.deadline,
                completed_by=identity.person_id,
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            names = await names_of(session, people=[measure.owner_id, measure.done_by])
            return measure_public(measure, oslo_date(at), names)
