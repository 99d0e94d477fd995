"""The risk picture (risikobildet): risks placed on the kommune's matrix, now and after their measures, with a top
list — for one assessment, or for every active assessment of a unit and the units below it."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.db import tenant_transaction
from varde_common.errors import ForbiddenError
from varde_common.identity import Identity
from varde_risk import repository
from varde_risk.access import authorizer, visible
from varde_risk.domain import Matrix, Zone, score
from varde_risk.models import PlacedRisk, RiskPicture
from varde_risk.service import matrix_public

TOP = 10

# One row per risk: its cells and how many of its measures are still open.
_PLACED = """
    SELECT r.id, r.assessment_id, r.number, r.title, r.probability, r.consequence, r.zone,
           r.target_probability, r.target_consequence,
           (SELECT count(*) FROM risk_measure m WHERE m.risk_id = r.id AND m.done_at IS NULL) AS open_measures
      FROM risk r
"""
_OF_ASSESSMENT = sa.text(_PLACED + " WHERE r.assessment_id = :assessment_id")
_OF_UNITS = sa.text(
    _PLACED
    + """
      JOIN risk_assessment a ON a.id = r.assessment_id
     WHERE a.status = 'active' AND a.unit_id = ANY(CAST(:units AS uuid[]))
    """
)


def _picture(scope: str, rows: list[sa.Row[tuple[object, ...]]], matrix: Matrix, is_default: bool) -> RiskPicture:
    cells = [[0] * 5 for _ in range(5)]
    target_cells = [[0] * 5 for _ in range(5)]
    placed: list[PlacedRisk] = []
    for row in rows:
        has_target = row.target_probability is not None and row.target_consequence is not None
        cells[row.consequence - 1][row.probability - 1] += 1
        if has_target:
            target_cells[row.target_consequence - 1][row.target_probability - 1] += 1
        placed.append(
            PlacedRisk(
                id=row.id,
                assessment_id=row.assessment_id,
                marker=f"R{row.number}",
                title=row.title,
                probability=row.probability,
                consequence=row.consequence,
                zone=Zone(row.zone),
                target_probability=row.target_probability,
                target_consequence=row.target_consequence,
                target_zone=matrix.zone(row.target_probability, row.target_consequence) if has_target else None,
                open_measures=row.open_measures,
            )
        )
    top = sorted(placed, key=lambda r: (-score(r.probability, r.consequence), r.title, str(r.id)))[:TOP]
    return RiskPicture(
        scope=scope,
        matrix=matrix_public(matrix, is_default),
        cells=cells,
        target_cells=target_cells,
        risks=placed,
        top=top,
        total=len(placed),
    )


class PictureService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def of_assessment(self, identity: Identity, assessment_id: uuid.UUID) -> RiskPicture:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, _ = await visible(session, identity.person_id, assessment_id)
            matrix, is_default = await repository.kommune_matrix(session)
            rows = list((await session.execute(_OF_ASSESSMENT, {"assessment_id": assessment.id})).all())
            return _picture(assessment.title, rows, matrix, is_default)

    async def of_unit(self, identity: Identity, unit_id: uuid.UUID) -> RiskPicture:
        """Every risk of the active assessments of the unit and below: for those who read risk there."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if not await authorizer.may(session, identity.person_id, Action.READ_RISK, unit_id):
                raise ForbiddenError("Du kan se risikobildet for enheter der du leder eller følger opp kvalitet.")
            matrix, is_default = await repository.kommune_matrix(session)
            units = await repository.subtree(session, unit_id)
            rows = list((await session.execute(_OF_UNITS, {"units": units})).all())
            return _picture("Risikobilde", rows, matrix, is_default)
