"""Use cases of the risks (uønskede hendelser) of an assessment and their measures (tiltak): register, rate,
change, add and complete measures. A risk that comes above the acceptance line is raised to the leader above
its owner, once, until it comes down again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import nearest_leader
from varde_common.errors import ConflictError, NotFoundError
from varde_common.events import (
    Event,
    RiskAboveAcceptance,
    RiskMeasureAdded,
    RiskMeasureCompleted,
    RiskRated,
    RiskRegistered,
)
from varde_common.identity import Identity
from varde_common.outbox import add_events
from varde_risk import repository
from varde_risk.access import workable
from varde_risk.domain import Matrix, Zone, overall_consequence
from varde_risk.links import check_links, linked
from varde_risk.models import (
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
from varde_risk.service import measure_public, risk_public

NO_SUCH_RISK = "Risikoen finnes ikke."


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
    record(session, assessment, None, "above_acceptance", at, risk, leader_id=leader)
    return [RiskAboveAcceptance(**facts(assessment, at), **cell(risk), leader_id=leader)]


class RiskService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def _public(self, session: AsyncSession, risk: Risk) -> RiskPublic:
        matrix, _ = await repository.kommune_matrix(session)
        measures = await repository.measures_of(session, risk.assessment_id)
        return risk_public(risk, measures, matrix, await linked(session, [risk]))

    async def _risk(
        self, session: AsyncSession, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID
    ) -> tuple[RiskAssessment, Risk]:
        assessment, _ = await workable(session, identity.person_id, assessment_id)
        risk = await repository.get_risk(session, assessment_id, risk_id, for_update=True)
        if risk is None:
            raise NotFoundError(NO_SUCH_RISK)
        return assessment, risk

    async def register(self, identity: Identity, assessment_id: uuid.UUID, body: RiskCreate) -> RiskPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, _ = await workable(session, identity.person_id, assessment_id)
            await check_links(session, body.deviation_ids, body.document_ids)
            matrix, _ = await repository.kommune_matrix(session)
            at = now()
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
            record(session, assessment, identity.person_id, "risk_registered", at, risk, **cell(risk))
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
            return risk_public(risk, [], matrix, await linked(session, [risk]))

    async def rate(self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: Rating) -> RiskPublic:
        """A new rating; ``RiskRated`` only when the cell or the target changed."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            matrix, _ = await repository.kommune_matrix(session)
            before = (risk.probability, risk.consequence, risk.zone, risk.target_probability, risk.target_consequence)
            place(risk, body, matrix)
            at = now()
            risk.updated_at = at
            events: list[Event] = []
            after = (risk.probability, risk.consequence, risk.zone, risk.target_probability, risk.target_consequence)
            if after != before:
                record(session, assessment, identity.person_id, "risk_rated", at, risk, **cell(risk), before=before[:3])
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
            return await self._public(session, risk)

    async def change(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: RiskChange
    ) -> RiskPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
            await check_links(session, changes.get("deviation_ids", []), changes.get("document_ids", []))
            at = now()
            for name, value in changes.items():
                setattr(risk, name, list(dict.fromkeys(value)) if isinstance(value, list) else value)
            risk.updated_at = at
            session.add(risk)
            record(session, assessment, identity.person_id, "risk_changed", at, risk, changed=sorted(changes))
            return await self._public(session, risk)

    async def add_measure(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, body: MeasureCreate
    ) -> MeasurePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            at = now()
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
            record(session, assessment, identity.person_id, "measure_added", at, risk, measure_id=measure.id)
            event = RiskMeasureAdded(
                **facts(assessment, at),
                risk_id=risk.id,
                measure_id=measure.id,
                measure_owner_id=measure.owner_id,
                deadline=measure.deadline,
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return measure_public(measure, at.date())

    async def complete_measure(
        self, identity: Identity, assessment_id: uuid.UUID, risk_id: uuid.UUID, measure_id: uuid.UUID
    ) -> MeasurePublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, risk = await self._risk(session, identity, assessment_id, risk_id)
            measure = await repository.get_measure(session, risk.id, measure_id, for_update=True)
            if measure is None:
                raise NotFoundError("Tiltaket finnes ikke.")
            if measure.done_at is not None:
                raise ConflictError("Tiltaket er allerede gjennomført.")
            at = now()
            measure.done_at, measure.done_by = at, identity.person_id
            session.add(measure)
            record(session, assessment, identity.person_id, "measure_completed", at, risk, measure_id=measure.id)
            event = RiskMeasureCompleted(
                **facts(assessment, at),
                risk_id=risk.id,
                measure_id=measure.id,
                measure_owner_id=measure.owner_id,
                deadline=measure.deadline,
                completed_by=identity.person_id,
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return measure_public(measure, at.date())
