"""The kommune's matrix (risikomatrise) and its acceptance criteria. Changing them re-evaluates every risk of the
kommune in the same transaction: each risk whose zone changed is recorded in its assessment's history and raises
``RiskRated`` (reason ``criteria_changed``), and one that came above the line raises ``RiskAboveAcceptance``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.events import Event, RiskRated
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.outbox import add_events
from varde_risk import repository
from varde_risk.access import may_administer_kommune
from varde_risk.domain import (
    DEFAULT_COLOURS,
    Grid,
    HistoryAction,
    Matrix,
    MatrixOrderError,
    MatrixShapeError,
    parse_grid,
)
from varde_risk.errors import CriteriaChangeNotAllowed, CriteriaNotFiveByFive, CriteriaNotRising
from varde_risk.models import MatrixChange, MatrixPublic, RiskMatrixSettings, now
from varde_risk.records import SOURCE, cell, facts, record
from varde_risk.risks import acceptance_events
from varde_risk.views import matrix_public


def _checked_grid(body: MatrixChange) -> Grid:
    try:
        return parse_grid([[zone.value for zone in row] for row in body.grid])
    except MatrixShapeError:
        raise CriteriaNotFiveByFive() from None
    except MatrixOrderError as error:
        (probability, consequence), (lower_probability, lower_consequence) = error.worse, error.better
        raise CriteriaNotRising(
            probability=probability,
            consequence=consequence,
            lower_probability=lower_probability,
            lower_consequence=lower_consequence,
        ) from None


class MatrixService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def get(self, identity: Identity, language: Language) -> MatrixPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            matrix, is_default = await repository.kommune_matrix(session)
            return matrix_public(matrix, is_default, language)

    async def change(self, identity: Identity, body: MatrixChange, language: Language) -> MatrixPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if not await may_administer_kommune(session, identity.person_id):
                raise CriteriaChangeNotAllowed()
            matrix = Matrix(_checked_grid(body), {**DEFAULT_COLOURS, **body.colours})
            at = now()
            stored = await repository.stored_matrix(session, identity.tenant_id)
            stored = stored or RiskMatrixSettings(
                tenant_id=identity.tenant_id, grid=[], colours={}, changed_by=identity.person_id
            )
            stored.grid = [[zone.value for zone in row] for row in matrix.grid]
            stored.colours = {zone.value: colour for zone, colour in matrix.colours.items()}
            stored.changed_by, stored.changed_at = identity.person_id, at
            session.add(stored)
            events: list[Event] = []
            for risk, assessment in await repository.every_risk_for_update(session):
                previous = risk.zone
                risk.zone = matrix.zone(risk.probability, risk.consequence)
                if risk.zone == previous:
                    continue
                record(
                    session,
                    assessment,
                    identity.person_id,
                    HistoryAction.CRITERIA_CHANGED,
                    at,
                    risk,
                    before=previous,
                    **cell(risk),
                )
                events.append(
                    RiskRated(
                        **facts(assessment, at),
                        **cell(risk),
                        previous_probability=risk.probability,
                        previous_consequence=risk.consequence,
                        previous_zone=previous,
                        target_probability=risk.target_probability,
                        target_consequence=risk.target_consequence,
                        reason="criteria_changed",
                    )
                )
                events += await acceptance_events(session, assessment, risk, at)
                session.add(risk)
            await add_events(session, events, tenant_id=identity.tenant_id, source=SOURCE)
            return matrix_public(matrix, False, language)
