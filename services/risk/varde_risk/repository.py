"""Every query of risk but the picture's (``picture_queries``) and the linked copies' (``links_queries``), scoped
to the tenant by row-level security."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import replica_org_unit
from varde_common.scheduler import not_yet_told
from varde_risk.domain import DEFAULT_MATRIX, AssessmentStatus, Matrix, Zone, parse_grid
from varde_risk.models import Risk, RiskAssessment, RiskHistory, RiskMatrixSettings, RiskMeasure

BATCH = 200


async def kommune_matrix(session: AsyncSession) -> tuple[Matrix, bool]:
    """The kommune's matrix and whether it is the default (no criteria of its own)."""
    stored = (await session.exec(select(RiskMatrixSettings))).first()
    if stored is None:
        return DEFAULT_MATRIX, True
    colours = {**DEFAULT_MATRIX.colours, **{Zone(k): v for k, v in stored.colours.items()}}
    return Matrix(parse_grid(stored.grid), colours), False


async def stored_matrix(session: AsyncSession, tenant_id: uuid.UUID) -> RiskMatrixSettings | None:
    return await session.get(RiskMatrixSettings, tenant_id, with_for_update=True)


async def get_assessment(
    session: AsyncSession, assessment_id: uuid.UUID, *, for_update: bool = False
) -> RiskAssessment | None:
    statement = select(RiskAssessment).where(RiskAssessment.id == assessment_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.exec(statement)).first()


async def next_assessment_number(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """The kommune's next ROS number; two assessments made at once wait for each other here."""
    await session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended('risk_assessment_number:' || :tenant, 0))"),
        {"tenant": str(tenant_id)},
    )
    highest = await session.execute(sa.select(sa.func.max(RiskAssessment.number)))
    return int(highest.scalar() or 0) + 1


async def assessment_page(
    session: AsyncSession,
    *,
    person_id: uuid.UUID,
    reach: Collection[uuid.UUID],
    scope: Sequence[uuid.UUID] | None,
    status: AssessmentStatus | None,
    awaiting_approval: bool | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> Sequence[RiskAssessment]:
    """A page by title of the assessments in the units of ``reach`` (within ``scope``), and those the person made,
    owns or takes part in: who may read one by ``access.assessment_access``."""
    statement = select(RiskAssessment).order_by(col(RiskAssessment.title), col(RiskAssessment.id))
    if status is not None:
        statement = statement.where(RiskAssessment.status == status.value)
    if awaiting_approval is not None:
        waiting = sa.and_(
            col(RiskAssessment.status) == AssessmentStatus.PREPARATION.value,
            col(RiskAssessment.submitted_at).is_not(None),
        )
        statement = statement.where(waiting if awaiting_approval else ~waiting)
    involved = sa.or_(
        col(RiskAssessment.owner_id) == person_id,
        col(RiskAssessment.created_by) == person_id,
        sa.literal(person_id).op("=")(sa.func.any(col(RiskAssessment.participants))),
    )
    statement = statement.where(col(RiskAssessment.unit_id).in_(reach) | involved)
    if scope is not None:
        statement = statement.where(col(RiskAssessment.unit_id).in_(scope))
    if after is not None:
        statement = statement.where(sa.tuple_(col(RiskAssessment.title), col(RiskAssessment.id)) > after)
    return (await session.exec(statement.limit(limit))).all()


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


async def history_page(
    session: AsyncSession, assessment_id: uuid.UUID, *, after: int | None, limit: int
) -> Sequence[RiskHistory]:
    """The assessment's history in the order it was written, from the line after ``after``."""
    statement = select(RiskHistory).where(RiskHistory.assessment_id == assessment_id)
    if after is not None:
        statement = statement.where(col(RiskHistory.id) > after)
    return (await session.exec(statement.order_by(col(RiskHistory.id)).limit(limit))).all()


async def every_risk_for_update(session: AsyncSession) -> Sequence[tuple[Risk, RiskAssessment]]:
    """Every risk of the kommune with its assessment, locked: the acceptance criteria changed."""
    statement = (
        select(Risk, RiskAssessment)
        .join(RiskAssessment, col(RiskAssessment.id) == col(Risk.assessment_id))
        .order_by(col(Risk.assessment_id), col(Risk.number))
        .with_for_update(of=Risk)
    )
    return (await session.exec(statement)).all()


async def top_units(session: AsyncSession) -> Sequence[uuid.UUID]:
    """The top of the kommune's tree (one unit, the kommune itself, in a kommune set up as intended)."""
    top = sa.select(replica_org_unit.c.id).where(replica_org_unit.c.parent_id.is_(None))
    return (await session.execute(top)).scalars().all()


# -- the scheduled jobs' rounds ---------------------------------------------------------------------------------


async def reviews_coming(session: AsyncSession, *, today: date, until: date) -> Sequence[RiskAssessment]:
    """Active assessments whose review date is between today and ``until`` and whose owner was not yet told."""
    statement = not_yet_told(
        RiskAssessment,
        col(RiskAssessment.review_due),
        col(RiskAssessment.review_notified_for),
        until,
        RiskAssessment.status == AssessmentStatus.ACTIVE.value,
        col(RiskAssessment.review_due) >= today,  # already past: the overdue round speaks instead
    )
    found: Sequence[RiskAssessment] = (await session.exec(statement)).all()
    return found


async def reviews_overdue(session: AsyncSession, *, today: date) -> Sequence[RiskAssessment]:
    """Active assessments whose review date is before today, not yet told as overdue for that date."""
    statement = not_yet_told(
        RiskAssessment,
        col(RiskAssessment.review_due),
        col(RiskAssessment.review_overdue_notified_for),
        today - timedelta(days=1),
        RiskAssessment.status == AssessmentStatus.ACTIVE.value,
    )
    found: Sequence[RiskAssessment] = (await session.exec(statement)).all()
    return found


async def measures_overdue(session: AsyncSession, *, today: date) -> Sequence[tuple[RiskMeasure, RiskAssessment]]:
    """Open measures of assessments still in use whose deadline is before today, not yet raised; locked."""
    statement = (
        select(RiskMeasure, RiskAssessment)
        .join(RiskAssessment, col(RiskAssessment.id) == col(RiskMeasure.assessment_id))
        .where(
            col(RiskMeasure.done_at).is_(None),
            col(RiskMeasure.deadline) < today,
            col(RiskMeasure.overdue_notified).is_(False),
            RiskAssessment.status != AssessmentStatus.ARCHIVED.value,
        )
        .order_by(col(RiskMeasure.deadline))
        .limit(BATCH)
        .with_for_update(of=RiskMeasure, skip_locked=True)
    )
    return (await session.exec(statement)).all()
