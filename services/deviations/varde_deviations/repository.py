"""Every query of the deviations service, always inside a tenant transaction (row-level security scopes it).
Reporting's hot path and the catalogue keep theirs beside them (``reporting_queries.py``, ``catalogue_queries.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_date
from varde_common.directory_replica import ReplicaUnit, find_unit
from varde_common.text_search import headline, search_query
from varde_deviations.domain import HMS_AREA, OPEN_STATUSES, DeviationStatus
from varde_deviations.models import (
    Attachment,
    Deviation,
    DeviationHistory,
    DeviationRestricted,
    Measure,
    RestrictedAccess,
)

deviation_table: sa.Table = Deviation.__table__  # type: ignore[attr-defined]
measure_table: sa.Table = Measure.__table__  # type: ignore[attr-defined]
LIST_COLUMNS = (
    "id",
    "kind",
    "area",
    "category_id",
    "title",
    "unit_id",
    "handling_unit_id",
    "status",
    "severity",
    "assignee_id",
    "occurred_at",
    "reported_at",
    "acknowledge_due_at",
    "closed_at",
    "conclusion",
    "rejection_reason",
)
search_column: sa.ColumnClause[Any] = sa.column("search")


# ---- one case ---------------------------------------------------------------------------------------------------


async def get(session: AsyncSession, deviation_id: uuid.UUID, *, for_update: bool = False) -> Deviation | None:
    return await session.get(Deviation, deviation_id, with_for_update=for_update)


async def restricted(session: AsyncSession, deviation_id: uuid.UUID) -> DeviationRestricted | None:
    return await session.get(DeviationRestricted, deviation_id)


async def measures(session: AsyncSession, deviation_id: uuid.UUID) -> list[Measure]:
    statement = (
        select(Measure).where(Measure.deviation_id == deviation_id).order_by(col(Measure.created_at), col(Measure.id))
    )
    return list((await session.exec(statement)).all())


async def measure_for_change(session: AsyncSession, measure_id: uuid.UUID) -> Measure | None:
    return await session.get(Measure, measure_id, with_for_update=True)


async def open_measures(session: AsyncSession, deviation_id: uuid.UUID) -> list[uuid.UUID]:
    statement = (
        select(Measure.id)
        .where(Measure.deviation_id == deviation_id, col(Measure.done_at).is_(None))
        .order_by(col(Measure.created_at), col(Measure.id))
    )
    return list((await session.exec(statement)).all())


async def attachments(session: AsyncSession, deviation_id: uuid.UUID) -> list[Attachment]:
    statement = select(Attachment).where(Attachment.deviation_id == deviation_id).order_by(col(Attachment.uploaded_at))
    return list((await session.exec(statement)).all())


async def attachment(session: AsyncSession, attachment_id: uuid.UUID) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def attachment_with_content(session: AsyncSession, deviation_id: uuid.UUID, sha256: str) -> Attachment | None:
    """The case's attachment with exactly these bytes, if it has one (a retried upload)."""
    statement = select(Attachment).where(Attachment.deviation_id == deviation_id, Attachment.sha256 == sha256)
    return (await session.exec(statement.limit(1))).first()


async def titles(session: AsyncSession, deviation_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not deviation_ids:
        return {}
    statement = sa.select(deviation_table.c.id, deviation_table.c.title).where(
        deviation_table.c.id.in_(set(deviation_ids))
    )
    return {row.id: row.title for row in (await session.execute(statement)).all()}


async def history(
    session: AsyncSession,
    deviation_id: uuid.UUID,
    *,
    after: int | None = None,
    limit: int | None = None,
    leave_out: Collection[str] = (),
) -> list[DeviationHistory]:
    """The case's history, oldest first; ``after`` a line's id, ``limit`` lines at most, none of the actions in
    ``leave_out``."""
    statement = select(DeviationHistory).where(DeviationHistory.deviation_id == deviation_id)
    if leave_out:
        statement = statement.where(col(DeviationHistory.action).not_in(sorted(leave_out)))
    if after is not None:
        statement = statement.where(col(DeviationHistory.id) > after)
    statement = statement.order_by(col(DeviationHistory.id))
    if limit is not None:
        statement = statement.limit(limit)
    return list((await session.exec(statement)).all())


async def owns_measure(session: AsyncSession, deviation_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    statement = select(Measure.id).where(Measure.deviation_id == deviation_id, Measure.owner_id == person_id).limit(1)
    return (await session.exec(statement)).first() is not None


# ---- the directory copy -----------------------------------------------------------------------------------------


async def leader_at_or_above(session: AsyncSession, unit_id: uuid.UUID) -> tuple[ReplicaUnit, uuid.UUID] | None:
    """The nearest unit at or above ``unit_id`` that has a leader, with that leader."""
    current = await find_unit(session, unit_id)
    for _ in range(20):  # the tree is shallow; the bound guards against a cycle in bad data
        if current is None:
            return None
        if current.leader_person_id is not None and not current.closed:
            return current, current.leader_person_id
        if current.parent_id is None:
            return None
        current = await find_unit(session, current.parent_id)
    return None


# ---- access log -------------------------------------------------------------------------------------------------


async def access_log(
    session: AsyncSession,
    *,
    deviation_id: uuid.UUID | None = None,
    reader_id: uuid.UUID | None = None,
    in_units: Sequence[uuid.UUID] | None = None,
    before: int | None = None,
    limit: int,
) -> list[RestrictedAccess]:
    """Reads of the restricted part, newest first; ``before`` a line's id (the keyset of the next page)."""
    statement = select(RestrictedAccess)
    if deviation_id is not None:
        statement = statement.where(RestrictedAccess.deviation_id == deviation_id)
    if reader_id is not None:
        statement = statement.where(RestrictedAccess.reader_id == reader_id)
    if in_units is not None:
        scoped = sa.select(deviation_table.c.id).where(
            sa.or_(deviation_table.c.unit_id.in_(in_units), deviation_table.c.handling_unit_id.in_(in_units))
        )
        statement = statement.where(col(RestrictedAccess.deviation_id).in_(scoped))
    if before is not None:
        statement = statement.where(col(RestrictedAccess.id) < before)
    statement = statement.order_by(col(RestrictedAccess.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())


# ---- the scheduled jobs -----------------------------------------------------------------------------------------

JOB_BATCH = 200


async def unacknowledged_past_deadline(session: AsyncSession, at: datetime) -> list[Deviation]:
    """Cases still registered after their deadline to acknowledge, locked; those another replica holds skipped."""
    statement = (
        select(Deviation)
        .where(Deviation.status == DeviationStatus.REGISTERED.value, col(Deviation.acknowledge_due_at) < at)
        .order_by(col(Deviation.acknowledge_due_at))
        .limit(JOB_BATCH)
        .with_for_update(skip_locked=True)
    )
    return list((await session.exec(statement)).all())


async def measures_past_deadline(session: AsyncSession, today: date) -> list[tuple[Measure, Deviation]]:
    """Open measures of open cases whose deadline (an Oslo date) is before ``today`` and not yet flagged."""
    statement = (
        select(Measure, Deviation)
        .join(Deviation, col(Deviation.id) == col(Measure.deviation_id))
        .where(
            col(Measure.done_at).is_(None),
            col(Measure.deadline) < today,
            sa.or_(
                col(Measure.overdue_notified_for).is_(None), col(Measure.overdue_notified_for) != col(Measure.deadline)
            ),
            col(Deviation.status).in_([s.value for s in OPEN_STATUSES]),
        )
        .limit(JOB_BATCH)
        .with_for_update(of=measure_table, skip_locked=True)
    )
    return [(measure, deviation) for measure, deviation in (await session.exec(statement)).all()]


# ---- lists ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """What one person may see in lists: their own reports and assignments, the units they lead or follow up,
    the HMS cases of the units where they are verneombud or tillitsvalgt, and the cases where they own a measure."""

    person_id: uuid.UUID
    leading: frozenset[uuid.UUID]
    following_up: frozenset[uuid.UUID]
    hms: frozenset[uuid.UUID]

    @property
    def line(self) -> list[uuid.UUID]:
        return sorted(self.leading | self.following_up)


@dataclass
class ListFilters:
    view: str = "all"
    statuses: list[DeviationStatus] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    category_id: uuid.UUID | None = None
    unit_ids: list[uuid.UUID] | None = None  # a unit's subtree, already expanded
    reported_from: datetime | None = None
    reported_to: datetime | None = None
    min_severity: int | None = None
    overdue: bool | None = None
    text: str | None = None


def _any(column: sa.ColumnElement[uuid.UUID], ids: Sequence[uuid.UUID]) -> sa.ColumnElement[bool]:
    return column == sa.func.any(sa.cast(sa.literal(list(ids)), sa.ARRAY(sa.Uuid)))


def _visible(reach: Reach) -> sa.ColumnElement[bool]:
    d = deviation_table.c
    owned_measures = sa.select(measure_table.c.deviation_id).where(measure_table.c.owner_id == reach.person_id)
    clauses: list[sa.ColumnElement[bool]] = [
        d.reported_by == reach.person_id,
        d.assignee_id == reach.person_id,
        d.id.in_(owned_measures),
    ]
    if reach.line:
        clauses += [_any(d.unit_id, reach.line), _any(d.handling_unit_id, reach.line)]
    if reach.hms:
        clauses.append(sa.and_(d.area == HMS_AREA, _any(d.unit_id, sorted(reach.hms))))
    return sa.or_(*clauses)


def _view(reach: Reach, view: str) -> sa.ColumnElement[bool]:
    d = deviation_table.c
    if view == "to_handle":
        return sa.and_(d.assignee_id == reach.person_id, d.status.in_([s.value for s in OPEN_STATUSES]))
    if view == "reported":
        return d.reported_by == reach.person_id
    if view == "unit":
        if not reach.line:
            return sa.false()
        return sa.or_(_any(d.unit_id, reach.line), _any(d.handling_unit_id, reach.line))
    return _visible(reach)


def _overdue(now: datetime) -> sa.ColumnElement[bool]:
    """Whether a case is late: registered past its deadline to acknowledge, or open with a measure past its
    deadline (a date in Norway). The one rule for a line's ``overdue`` and for the ``overdue`` filter."""
    d = deviation_table.c
    late_measure = (
        sa.select(sa.literal(1))
        .select_from(measure_table)
        .where(
            measure_table.c.deviation_id == d.id,
            measure_table.c.done_at.is_(None),
            measure_table.c.deadline < oslo_date(now),
        )
        .exists()
    )
    return sa.or_(
        sa.and_(d.status == DeviationStatus.REGISTERED.value, d.acknowledge_due_at < now),
        sa.and_(d.status.in_([s.value for s in OPEN_STATUSES]), late_measure),
    )


async def page(
    session: AsyncSession,
    reach: Reach,
    filters: ListFilters,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    now: datetime,
) -> list[sa.Row[Any]]:
    """One page of list lines: only the columns a line shows, and whether the case is late."""
    d = deviation_table.c
    conditions: list[sa.ColumnElement[bool]] = [_view(reach, filters.view)]
    if filters.view != "all":
        conditions.append(_visible(reach))
    if filters.statuses:
        conditions.append(d.status.in_([s.value for s in filters.statuses]))
    if filters.kinds:
        conditions.append(d.kind.in_(filters.kinds))
    if filters.areas:
        conditions.append(d.area.in_(filters.areas))
    if filters.category_id is not None:
        conditions.append(d.category_id == filters.category_id)
    if filters.unit_ids is not None:
        conditions.append(_any(d.unit_id, filters.unit_ids))
    if filters.reported_from is not None:
        conditions.append(d.reported_at >= filters.reported_from)
    if filters.reported_to is not None:
        conditions.append(d.reported_at < filters.reported_to)
    if filters.min_severity is not None:
        conditions.append(d.severity >= filters.min_severity)
    overdue = _overdue(now)
    if filters.overdue is not None:
        conditions.append(overdue if filters.overdue else sa.not_(overdue))
    if filters.text:
        conditions.append(search_column.op("@@")(search_query(filters.text)))
    if after is not None:
        conditions.append(sa.tuple_(d.reported_at, d.id) < sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    highlights = []
    if filters.text:
        body = sa.func.concat_ws(" ", d.description, d.location, d.immediate_action, d.conclusion)
        query = search_query(filters.text)
        highlights = [
            headline(d.title, query, whole=True).label("title_highlight"),
            headline(body, query).label("highlight"),
        ]
    statement = (
        sa.select(*(d[name] for name in LIST_COLUMNS), overdue.label("overdue"), *highlights)
        .where(*conditions)
        .order_by(d.reported_at.desc(), d.id.desc())
        .limit(limit)
    )
    return list((await session.execute(statement)).all())
