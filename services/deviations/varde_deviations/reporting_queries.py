"""The queries of reporting, the hot path of the service: what a report is checked against (one round trip), the
report written in one statement, the Idempotency-Key record, and the case behind a receipt code."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.directory_replica import Names
from varde_common.outbox import OUTBOX_INSERT_CTE
from varde_common.roles import Role
from varde_deviations.models import Deviation, IdempotencyRecord, now

deviation_table: sa.Table = Deviation.__table__  # type: ignore[attr-defined]
idempotency_table: sa.Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ReportContext:
    """Everything a new report is checked against, read in one round trip (the hot path of the service)."""

    settings: dict[str, object] | None
    unit_found: bool
    unit_closed: bool
    handling_unit_id: uuid.UUID | None  # the nearest open unit at or above with a leader
    leader_id: uuid.UUID | None
    area_active: bool | None  # None: no such area
    category_area: str | None  # the area of the category, when it exists and is active
    unit_name: str | None  # the names the answer shows, read here to keep the report one round trip
    handling_unit_name: str | None
    leader_name: str | None
    reporter_name: str | None
    roles_over_unit: list[str]  # the roles the person reporting holds today in the unit or above it
    roles_over_handling_unit: list[str]  # … and in the handling unit or above it

    def roles(self) -> tuple[set[Role], set[Role]]:
        """The person's roles over the unit and over the handling unit, as ``access.access_by_roles`` takes them."""
        return known_roles(self.roles_over_unit), known_roles(self.roles_over_handling_unit)

    def names(self, unit_id: uuid.UUID, reporter_id: uuid.UUID | None) -> Names:
        units = {unit_id: self.unit_name, self.handling_unit_id: self.handling_unit_name}
        people = {self.leader_id: self.leader_name, reporter_id: self.reporter_name}
        return Names(
            people={k: v for k, v in people.items() if k is not None and v is not None},
            units={k: v for k, v in units.items() if k is not None and v is not None},
        )


def known_roles(values: list[str]) -> set[Role]:
    return {Role(value) for value in values if value in Role.__members__.values()}


_REPORT_CONTEXT = sa.text(
    """
    WITH RECURSIVE line AS (
        SELECT id, parent_id, leader_person_id, closed, name, 0 AS depth FROM replica_org_unit WHERE id = :unit_id
        UNION ALL
        SELECT u.id, u.parent_id, u.leader_person_id, u.closed, u.name, line.depth + 1
          FROM replica_org_unit u JOIN line ON u.id = line.parent_id
         WHERE line.depth < 20
    ), leader AS (
        SELECT id, leader_person_id, name, depth FROM line
         WHERE leader_person_id IS NOT NULL AND NOT closed ORDER BY depth LIMIT 1
    ), roles AS (
        SELECT r.role, line.depth FROM replica_role_assignment r JOIN line ON line.id = r.unit_id
         WHERE r.person_id = :person_id
           AND (r.starts_on IS NULL OR r.starts_on <= :today) AND (r.ends_on IS NULL OR r.ends_on >= :today)
    )
    SELECT (SELECT settings FROM replica_tenant WHERE tenant_id = :tenant_id) AS settings,
           EXISTS (SELECT 1 FROM line WHERE depth = 0) AS unit_found,
           coalesce((SELECT closed FROM line WHERE depth = 0), false) AS unit_closed,
           (SELECT id FROM leader) AS handling_unit_id,
           (SELECT leader_person_id FROM leader) AS leader_id,
           (SELECT active FROM deviation_area WHERE tenant_id = :tenant_id AND key = :area) AS area_active,
           (SELECT area FROM deviation_category WHERE id = :category_id AND active) AS category_area,
           (SELECT name FROM line WHERE depth = 0) AS unit_name,
           (SELECT name FROM leader) AS handling_unit_name,
           (SELECT p.name FROM replica_person p JOIN leader ON p.id = leader.leader_person_id) AS leader_name,
           (SELECT name FROM replica_person WHERE id = :reporter_id) AS reporter_name,
           ARRAY(SELECT DISTINCT role FROM roles) AS roles_over_unit,
           ARRAY(SELECT DISTINCT role FROM roles WHERE depth >= coalesce((SELECT depth FROM leader), 0))
               AS roles_over_handling_unit
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
    session: AsyncSession,
    tenant_id: uuid.UUID,
    unit_id: uuid.UUID,
    area: str,
    category_id: uuid.UUID | None,
    reporter_id: uuid.UUID | None,
    person_id: uuid.UUID,
) -> ReportContext:
    """``reporter_id`` is None for an anonymous report (nobody to name); ``person_id`` is who sends it, whose
    roles decide what the answer offers them."""
    parameters = {
        "tenant_id": tenant_id,
        "unit_id": unit_id,
        "area": area,
        "category_id": category_id,
        "reporter_id": reporter_id,
        "person_id": person_id,
        "today": oslo_today(),
    }
    row = (await session.execute(_REPORT_CONTEXT, parameters)).one()
    return ReportContext(**row._mapping)


async def by_receipt(session: AsyncSession, receipt_hash: str) -> Deviation | None:
    return (await session.exec(select(Deviation).where(Deviation.receipt_hash == receipt_hash))).first()


# ---- Idempotency-Key ------------------------------------------------------------------------------------------


async def claim_key(session: AsyncSession, tenant_id: uuid.UUID, scope: str, key: str, request_hash: str) -> bool:
    """Take the key for this call; False when a call before took it. Two concurrent calls meet at the primary
    key: the second waits for the first to commit."""
    inserted = await session.execute(
        insert(idempotency_table)
        .values(
            tenant_id=tenant_id,
            scope=scope,
            key=key,
            request_hash=request_hash,
            status_code=0,
            response={},
            created_at=now(),
        )
        .on_conflict_do_nothing()
        .returning(idempotency_table.c.key)
    )
    return inserted.first() is not None


async def stored_answer(
    session: AsyncSession, tenant_id: uuid.UUID, scope: str, key: str
) -> tuple[str, dict[str, Any]]:
    """The request hash and the answer of the call that took the key."""
    t = idempotency_table.c
    stored = (
        await session.execute(
            sa.select(t.request_hash, t.response).where(t.tenant_id == tenant_id, t.scope == scope, t.key == key)
        )
    ).one()
    return stored.request_hash, stored.response


async def remember_answer(
    session: AsyncSession, tenant_id: uuid.UUID, scope: str, key: str, status_code: int, response: dict[str, Any]
) -> None:
    t = idempotency_table.c
    await session.execute(
        sa.update(idempotency_table)
        .where(t.tenant_id == tenant_id, t.scope == scope, t.key == key)
        .values(status_code=status_code, response=response)
    )
