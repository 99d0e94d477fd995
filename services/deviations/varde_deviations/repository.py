"""Every query of the deviations service, always inside a tenant transaction (row-level security scopes it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common import cursor
from varde_common.directory_replica import ReplicaUnit, find_unit, replica_org_unit
from varde_common.outbox import OUTBOX_INSERT_CTE
from varde_common.text_search import headline, search_query
from varde_deviations.domain import HMS_AREA, OPEN_STATUSES, DeviationStatus
from varde_deviations.models import (
    Area,
    Attachment,
    Category,
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
)
search_column = sa.column("search")


async def get(session: AsyncSession, deviation_id: uuid.UUID, *, for_update: bool = False) -> Deviation | None:
    return await session.get(Deviation, deviation_id, with_for_update=for_update)


async def restricted(session: AsyncSession, deviation_id: uuid.UUID) -> DeviationRestricted | None:
    return await session.get(DeviationRestricted, deviation_id)


async def measures(session: AsyncSession, deviation_id: uuid.UUID) -> list[Measure]:
    statement = (
        select(Measure).where(Measure.deviation_id == deviation_id).order_by(col(Measure.created_at), col(Measure.id))
    )
    return list((await session.exec(statement)).all())


async def attachments(session: AsyncSession, deviation_id: uuid.UUID) -> list[Attachment]:
    statement = select(Attachment).where(Attachment.deviation_id == deviation_id).order_by(col(Attachment.uploaded_at))
    return list((await session.exec(statement)).all())


async def history(session: AsyncSession, deviation_id: uuid.UUID) -> list[DeviationHistory]:
    statement = (
        select(DeviationHistory).where(DeviationHistory.deviation_id == deviation_id).order_by(col(DeviationHistory.id))
    )
    return list((await session.exec(statement)).all())


async def owns_measure(session: AsyncSession, deviation_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    statement = select(Measure.id).where(Measure.deviation_id == deviation_id, Measure.owner_id == person_id).limit(1)
    return (await session.exec(statement)).first() is not None


async def by_receipt(session: AsyncSession, receipt_hash: str) -> Deviation | None:
    return (await session.exec(select(Deviation).where(Deviation.receipt_hash == receipt_hash))).first()


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


async def subtree(session: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    units = replica_org_unit
    tree = sa.select(units.c.id).where(units.c.id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(sa.select(units.c.id).join(tree, units.c.parent_id == tree.c.id))
    return list((await session.execute(sa.select(tree.c.id))).scalars())


# ---- catalogue --------------------------------------------------------------------------------------------------


async def areas(session: AsyncSession) -> list[Area]:
    return list((await session.exec(select(Area).order_by(col(Area.position), col(Area.key)))).all())


async def categories(session: AsyncSession) -> list[Category]:
    return list((await session.exec(select(Category).order_by(col(Category.area), col(Category.name)))).all())


async def area(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> Area | None:
    return await session.get(Area, (tenant_id, key))


async def category(session: AsyncSession, category_id: uuid.UUID) -> Category | None:
    return await session.get(Category, category_id)


# ---- access log -------------------------------------------------------------------------------------------------


async def access_log(
    session: AsyncSession,
    *,
    deviation_id: uuid.UUID | None = None,
    reader_id: uuid.UUID | None = None,
    in_units: Sequence[uuid.UUID] | None = None,
    limit: int = 200,
) -> list[RestrictedAccess]:
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
    statement = statement.order_by(col(RestrictedAccess.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())


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


def encode_cursor(reported_at: datetime, deviation_id: uuid.UUID) -> str:
    return cursor.encode_cursor(reported_at.isoformat(), str(deviation_id))


def decode_cursor(value: str) -> tuple[datetime, uuid.UUID]:
    """The position after which the next page starts; ``ValueError`` for anything that is not our cursor."""
    at, deviation_id = cursor.decode_cursor(value, 2)
    return datetime.fromisoformat(at), uuid.UUID(deviation_id)


def _any(column: sa.ColumnElement[uuid.UUID], ids: Sequence[uuid.UUID]) -> sa.ColumnElement[bool]:
    return column == sa.func.any(sa.cast(sa.literal(list(ids)), sa.ARRAY(sa.Uuid)))


def _visible(reach: Reach) -> sa.ColumnElement[bool]:
    d = deviation_table.c
    owned_measures = sa.select(Measure.deviation_id).where(Measure.owner_id == reach.person_id)  # type: ignore[arg-type]
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


def _overdue(now: datetime, today: date) -> sa.ColumnElement[bool]:
    d = deviation_table.c
    late_measure = sa.select(Measure.deviation_id).where(
        Measure.done_at.is_(None),  # type: ignore[union-attr]
        Measure.deadline < today,  # type: ignore[operator]
    )
    return sa.or_(
        sa.and_(d.status == DeviationStatus.REGISTERED.value, d.acknowledge_due_at < now),
        sa.and_(d.status.in_([s.value for s in OPEN_STATUSES]), d.id.in_(late_measure)),
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
    """One page of list lines: only the columns a line shows, and whether a measure of the case is late."""
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
    if filters.overdue is not None:
        overdue = _overdue(now, now.date())
        conditions.append(overdue if filters.overdue else sa.not_(overdue))
    if filters.text:
        conditions.append(search_column.op("@@")(search_query(filters.text)))
    if after is not None:
        conditions.append(sa.tuple_(d.reported_at, d.id) < sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    late_measure = (
        sa.select(sa.literal(1))
        .select_from(measure_table)
        .where(
            measure_table.c.deviation_id == d.id,
            measure_table.c.done_at.is_(None),
            measure_table.c.deadline < now.date(),
        )
        .exists()
    )
    highlights = []
    if filters.text:
        body = sa.func.concat_ws(" ", d.description, d.location, d.immediate_action, d.conclusion)
        query = search_query(filters.text)
        highlights = [
            headline(d.title, query, whole=True).label("title_highlight"),
            headline(body, query).label("highlight"),
        ]
    statement = (
        sa.select(*(d[name] for name in LIST_COLUMNS), late_measure.label("late_measure"), *highlights)
        .where(*conditions)
        .order_by(d.reported_at.desc(), d.id.desc())
        .limit(limit)
    )
    return list((await session.execute(statement)).all())


@dataclass(frozen=True)
class ReportContext:
    """Everything a new report is checked against, read in one round trip (the hot path of the service)."""

    settings: dict[str, object] | None
    unit_found: bool
    unit_closed: bool
    handling_unit_id: uuid.UUID | None  # the nearest open unit at or above with a leader
    leader_id: uuid.UUID | None
    catalogue_size: int
    area_active: bool | None  # None: no such area
    category_area: str | None  # the area of the category, when it exists and is active


_REPORT_CONTEXT = sa.text(
    """
    WITH RECURSIVE line AS (
        SELECT id, parent_id, leader_person_id, closed, 0 AS depth FROM replica_org_unit WHERE id = :unit_id
        UNION ALL
        SELECT u.id, u.parent_id, u.leader_person_id, u.closed, line.depth + 1
          FROM replica_org_unit u JOIN line ON u.id = line.parent_id
         WHERE line.depth < 20
    ), leader AS (
        SELECT id, leader_person_id FROM line
         WHERE leader_person_id IS NOT NULL AND NOT closed ORDER BY depth LIMIT 1
    )
    SELECT (SELECT settings FROM replica_tenant WHERE tenant_id = :tenant_id) AS settings,
           EXISTS (SELECT 1 FROM line WHERE depth = 0) AS unit_found,
           coalesce((SELECT closed FROM line WHERE depth = 0), false) AS unit_closed,
           (SELECT id FROM leader) AS handling_unit_id,
           (SELECT leader_person_id FROM leader) AS leader_id,
           (SELECT count(*) FROM deviation_area) AS catalogue_size,
           (SELECT active FROM deviation_area WHERE tenant_id = :tenant_id AND key = :area) AS area_active,
           (SELECT area FROM deviation_category WHERE id = :category_id AND active) AS category_area
    """
)


_REPORT_COLUMNS = [c.name for c in deviation_table.columns]

# A new report in one statement: the case, its restricted part, its first history lines and its events. The
# foreign keys are checked at the end of the statement, when the case exists.
_INSERT_REPORT = sa.text(
    f"""
    WITH case_row AS (
        INSERT INTO deviation ({", ".join(_REPORT_COLUMNS)})
        VALUES ({", ".join(f":{c}" for c in _REPORT_COLUMNS)})
    ), restricted_row AS (
        INSERT INTO deviation_restricted (deviation_id, tenant_id, persons_involved)
        VALUES (:id, :tenant_id, :persons_involved)
    ), history_rows AS (
        INSERT INTO deviation_history (tenant_id, deviation_id, at, actor_id, action, details)
        SELECT :tenant_id, :id, :reported_at, h.actor_id, h.action, h.details::jsonb
          FROM unnest(CAST(:history_actors AS uuid[]), CAST(:history_actions AS text[]),
                      CAST(:history_details AS text[])) WITH ORDINALITY AS h(actor_id, action, details, n)
         ORDER BY h.n
    ), {OUTBOX_INSERT_CTE.strip()}
    SELECT 1
    """  # noqa: S608 - the names come from the table model; every value is a bind parameter
)


async def insert_report(
    session: AsyncSession,
    case: dict[str, Any],
    persons_involved: str | None,
    history: Sequence[tuple[uuid.UUID | None, str, dict[str, Any]]],
    events: dict[str, Any],
) -> None:
    """Write a new report: ``case`` is the deviation row, ``history`` (actor, action, details) its first lines,
    ``events`` the parameters from :func:`varde_common.outbox.outbox_cte_params`."""
    await session.execute(
        _INSERT_REPORT,
        {
            **case,
            "persons_involved": persons_involved,
            "history_actors": [actor for actor, _, _ in history],
            "history_actions": [action for _, action, _ in history],
            "history_details": [orjson.dumps(details).decode() for _, _, details in history],
            **events,
        },
    )


async def report_context(
    session: AsyncSession, tenant_id: uuid.UUID, unit_id: uuid.UUID, area: str, category_id: uuid.UUID | None
) -> ReportContext:
    row = (
        await session.execute(
            _REPORT_CONTEXT,
            {"tenant_id": tenant_id, "unit_id": unit_id, "area": area, "category_id": category_id},
        )
    ).one()
    return ReportContext(**row._mapping)
