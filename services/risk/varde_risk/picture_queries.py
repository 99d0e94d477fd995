"""The risk picture's queries: one assessment's risks placed on the matrix, and a unit subtree's active risks
counted per cell in the database (tens of thousands of rows never reach Python) with only the top list whole."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

# One row per risk: its cells, its assessment's number (for its label) and how many of its measures are open.
_PLACED = """
    SELECT r.id, r.assessment_id, r.number, a.number AS assessment_number, r.title, r.probability, r.consequence,
           r.zone, r.target_probability, r.target_consequence,
           (SELECT count(*) FROM risk_measure m WHERE m.risk_id = r.id AND m.done_at IS NULL) AS open_measures
      FROM risk r
      JOIN risk_assessment a ON a.id = r.assessment_id
"""
_OF_ASSESSMENT = sa.text(_PLACED + " WHERE r.assessment_id = :assessment_id ORDER BY r.number")
_IN_UNITS = " WHERE a.status = 'active' AND a.unit_id = ANY(CAST(:units AS uuid[]))"
_COUNTED = """
    SELECT r.probability, r.consequence, r.target_probability, r.target_consequence, count(*) AS n
      FROM risk r
      JOIN risk_assessment a ON a.id = r.assessment_id
"""
_CELLS_OF_UNITS = sa.text(_COUNTED + _IN_UNITS + " GROUP BY 1, 2, 3, 4")
_TOP_OF_UNITS = sa.text(
    _PLACED + _IN_UNITS + " ORDER BY r.probability * r.consequence * 10 + r.consequence DESC, r.title, r.id LIMIT :top"
)

Row = sa.Row[Any]


async def placed_risks_of(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[Row]:
    return (await session.execute(_OF_ASSESSMENT, {"assessment_id": assessment_id})).all()


async def cell_counts_in(session: AsyncSession, units: Sequence[uuid.UUID]) -> Sequence[Row]:
    """Per current and target cell, how many risks of the units' active assessments lie there (``n``)."""
    return (await session.execute(_CELLS_OF_UNITS, {"units": list(units)})).all()


async def top_risks_in(session: AsyncSession, units: Sequence[uuid.UUID], top: int) -> Sequence[Row]:
    """The ``top`` highest risks of the units' active assessments, the rarer catastrophe first on a tie."""
    return (await session.execute(_TOP_OF_UNITS, {"units": list(units), "top": top})).all()
