"""The risk picture (risikobildet): risks placed on the kommune's matrix, now and after their measures, with a top
list — for one assessment (every risk drawn, named X3/Y3 by its number), or for every active assessment of a unit
and the units below it (every risk counted in its cell, the top list drawn, named X14.3/Y14.3 by its assessment's
number and its own). The JSON and the SVG carry the same marks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit, subtree
from varde_common.identity import Identity
from varde_common.language import Language, Text
from varde_risk import picture_queries, repository
from varde_risk.access import authorizer, visible
from varde_risk.domain import score
from varde_risk.errors import PictureNotAllowed
from varde_risk.models import PlacedRisk, RiskPicture
from varde_risk.views import matrix_public, placed

TOP = 10
UNIT_SCOPE = Text(nb="Risikobilde for {unit}", nn="Risikobilete for {unit}")

Cells = list[list[int]]


def _count(rows: Iterable[picture_queries.Row]) -> tuple[Cells, Cells, int]:
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


def _top(risks: list[PlacedRisk]) -> list[PlacedRisk]:
    return sorted(risks, key=lambda r: (-score(r.probability, r.consequence), r.title, str(r.id)))[:TOP]


class PictureService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def of_assessment(self, identity: Identity, assessment_id: uuid.UUID, language: Language) -> RiskPicture:
        """Every risk of the assessment, each drawn."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, _ = await visible(session, identity.person_id, assessment_id)
            matrix, is_default = await repository.kommune_matrix(session)
            rows = await picture_queries.placed_risks_of(session, assessment.id)
            cells, target_cells, total = _count(rows)
            risks = [placed(row, matrix, qualified=False) for row in rows]
            return RiskPicture(
                scope=assessment.title,
                matrix=matrix_public(matrix, is_default, language),
                cells=cells,
                target_cells=target_cells,
                risks=risks,
                top=_top(risks),
                total=total,
            )

    async def of_unit(self, identity: Identity, unit_id: uuid.UUID, language: Language) -> RiskPicture:
        """The risks of the active assessments of the unit and below, counted per cell; the top list is drawn.
        For those who read risk there (a unit of another kommune is none they do)."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await find_unit(session, unit_id)
            if unit is None or not await authorizer.may(session, identity.person_id, Action.READ_RISK, unit_id):
                raise PictureNotAllowed()
            matrix, is_default = await repository.kommune_matrix(session)
            units = await subtree(session, unit_id)
            cells, target_cells, total = _count(await picture_queries.cell_counts_in(session, units))
            top = [
                placed(row, matrix, qualified=True) for row in await picture_queries.top_risks_in(session, units, TOP)
            ]
            return RiskPicture(
                scope=UNIT_SCOPE.render(language, unit=unit.name),
                matrix=matrix_public(matrix, is_default, language),
                cells=cells,
                target_cells=target_cells,
                risks=top,
                top=top,
                total=total,
            )
