"""The risk picture (risikobildet): risks placed on the kommune's matrix, now and after their measures, with a top
list — for one assessment (every risk drawn), or for every active assessment of a unit and the units below it
(every risk counted in its cell, the top list drawn)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit
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
_IN_UNITS = """
      JOIN risk_assessment a ON a.id = r.assessment_id
     WHERE a.status = 'active' AND a.unit_id = ANY(CAST(:units AS uuid[]))
"""
# A kommune's picture counts its risks per cell in the database (tens of thousands of rows never reach Python)
# and fetches only the top list whole.
_COUNTED = """
    SELECT r.probability, r.consequence, r.target_probability, r.target_consequence, count(*) AS n
      FROM risk r
"""
_CELLS_OF_UNITS = sa.text(_COUNTED + _IN_UNITS + " GROUP BY 1, 2, 3, 4")
_TOP_OF_UNITS = sa.text(
    _PLACED + _IN_UNITS + " ORDER BY r.probability * r.consequence * 10 + r.consequence DESC, r.title, r.id LIMIT :top"
)

Cells = list[list[int]]


def _placed(row: sa.Row[tuple[object, ...]], matrix: Matrix) -> PlacedRisk:
    has_target = row.target_probability is not None and row.target_consequence is not None
    return PlacedRisk(
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


def _count(rows: list[sa.Row[tuple[object, ...]]]) -> tuple[Cells, Cells, int]:
    """Risks per cell now and after their measures (``n`` rows each), and how many in all."""
    cells = [[0] * 5 for _ in range(5)]
    target_cells = [[0] * 5 for _ in range(5)]
    total = 0
    for row in rows:
        n = getattr(row, "n", 1)
        total += n
        cells[row.consequence - 1][row.probability - 1] += n
        if row.target_probability is not None and row.target_consequence is not None:
            target_cells[row.target_consequence - 1][row.target_probability - 1] += n
    return cells, target_cells, total


def _top(placed: list[PlacedRisk]) -> list[PlacedRisk]:
    return sorted(placed, key=lambda r: (-score(r.probability, r.consequence), r.title, str(r.id)))[:TOP]


class PictureService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def of_assessment(self, identity: Identity, assessment_id: uuid.UUID) -> RiskPicture:
        """Every risk of the assessment, each drawn."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, _ = await visible(session, identity.person_id, assessment_id)
            matrix, is_default = await repository.kommune_matrix(session)
            rows = list((await session.execute(_OF_ASSESSMENT, {"assessment_id": assessment.id})).all())
            cells, target_cells, total = _count(rows)
            placed = [_placed(row, matrix) for row in rows]
            return RiskPicture(
                scope=assessment.title,
                matrix=matrix_public(matrix, is_default),
                cells=cells,
                target_cells=target_cells,
                risks=placed,
                top=_top(placed),
                total=total,
            )

    async def of_unit(self, identity: Identity, unit_id: uuid.UUID) -> RiskPicture:
        """The risks of the active assessments of the unit and below, counted per cell; the top list is drawn.
        For those who read risk there."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if not await authorizer.may(session, identity.person_id, Action.READ_RISK, unit_id):
                raise ForbiddenError("Du kan se risikobildet for enheter der du leder eller følger opp kvalitet.")
            matrix, is_default = await repository.kommune_matrix(session)
            unit = await find_unit(session, unit_id)
            scope = {"units": await repository.subtree(session, unit_id)}
            cells, target_cells, total = _count(list((await session.execute(_CELLS_OF_UNITS, scope)).all()))
            top_rows = (await session.execute(_TOP_OF_UNITS, {**scope, "top": TOP})).all()
            top = [_placed(row, matrix) for row in top_rows]
            return RiskPicture(
                scope=f"Risikobilde for {unit.name}" if unit else "Risikobilde",
                matrix=matrix_public(matrix, is_default),
                cells=cells,
                target_cells=target_cells,
                risks=top,
                top=top,
                total=total,
            )
