"""Every query of risk, scoped to the tenant by row-level security."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_risk.domain import DEFAULT_MATRIX, Matrix, Zone, parse_grid
from varde_risk.models import Risk, RiskAssessment, RiskHistory, RiskMatrixSettings, RiskMeasure


async def kommune_matrix(session: AsyncSession) -> tuple[Matrix, bool]:
    """The kommune's matrix and whether it is the default (no criteria of its own)."""
    stored = (await session.exec(select(RiskMatrixSettings))).first()
    if stored is None:
        return DEFAULT_MATRIX, True
    colours = {**DEFAULT_MATRIX.colours, **{Zone(k): v for k, v in stored.colours.items()}}
    return Matrix(parse_grid(stored.grid), colours), False


async def risks_of(session: AsyncSession, assessment_id: uuid.UUID, *, for_update: bool = False) -> Sequence[Risk]:
    statement = select(Risk).where(Risk.assessment_id == assessment_id).order_by(col(Risk.number))
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).all()


async def risk_counts(session: AsyncSession, assessment_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    """Per assessment: its risks, and how many lie above the acceptance line — one query for a whole list."""
    statement = (
        sa.select(
            col(Risk.assessment_id),
            sa.func.count(),
            sa.func.count().filter(col(Risk.zone) == Zone.UNACCEPTABLE.value),
        )
        .where(col(Risk.assessment_id).in_(assessment_ids))
        .group_by(col(Risk.assessment_id))
    )
    return {row[0]: (row[1], row[2]) for row in (await session.execute(statement)).all()}


async def get_risk(
    session: AsyncSession, assessment_id: uuid.UUID, risk_id: uuid.UUID, *, for_update: bool = False
) -> Risk | None:
    statement = select(Risk).where(Risk.id == risk_id, Risk.assessment_id == assessment_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def next_risk_number(session: AsyncSession, assessment_id: uuid.UUID) -> int:
    highest = await session.execute(sa.select(sa.func.max(Risk.number)).where(col(Risk.assessment_id) == assessment_id))
    return int(highest.scalar() or 0) + 1


async def measures_of(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[RiskMeasure]:
    statement = (
        select(RiskMeasure)
        .where(RiskMeasure.assessment_id == assessment_id)
        .order_by(col(RiskMeasure.created_at), col(RiskMeasure.id))
    )
    return (await session.exec(statement)).all()


async def get_measure(
    session: AsyncSession, risk_id: uuid.UUID, measure_id: uuid.UUID, *, for_update: bool = False
) -> RiskMeasure | None:
    statement = select(RiskMeasure).where(RiskMeasure.id == measure_id, RiskMeasure.risk_id == risk_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def history(session: AsyncSession, assessment_id: uuid.UUID) -> Sequence[RiskHistory]:
    statement = (
        select(RiskHistory)
        .where(RiskHistory.assessment_id == assessment_id)
        .order_by(col(RiskHistory.at), col(RiskHistory.id))
    )
    return (await session.exec(statement)).all()


async def every_risk_for_update(session: AsyncSession) -> Sequence[tuple[Risk, RiskAssessment]]:
    """Every risk of the kommune with its assessment, locked: the acceptance criteria changed."""
    statement = (
        select(Risk, RiskAssessment)
        .join(RiskAssessment, col(RiskAssessment.id) == col(Risk.assessment_id))
        .order_by(col(Risk.assessment_id), col(Risk.number))
        .with_for_update(of=Risk)
    )
    return (await session.exec(statement)).all()


_SUBTREE = sa.text(
    """
    WITH RECURSIVE scope AS (
        SELECT id FROM replica_org_unit WHERE id = :unit_id
        UNION
        SELECT u.id FROM replica_org_unit u JOIN scope s ON u.parent_id = s.id
    )
    SELECT array_agg(id) FROM scope
    """
)


async def subtree(session: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """The unit and every unit below it."""
    return list((await session.execute(_SUBTREE, {"unit_id": unit_id})).scalar() or [])
