"""A small demo kommune in a service's copy of the directory, for the tests of a ``demo-history`` command: its
ids are the demo's (``demo_id``), so ``demo_kommuner`` finds it, and everything is rolled back afterwards."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import set_tenant, tenant_transaction
from varde_common.demo_kommuner import demo_id
from varde_common.directory_replica import apply_org_unit_changed, apply_person_changed, apply_tenant_changed
from varde_common.events import OrgUnitChanged, PersonChanged, TenantChanged
from varde_common.tenant_settings import TenantSettings
from varde_common.testing.factories import grant_role

Tree = Sequence[tuple[str, str, str | None, str]]
"""(name, unit type, parent's name, the leader's role), parents first. The leader of unit N is
``demo_id(slug, N, "leder")`` named "Leder <index>"; from the fourth unit on each has two employees."""

Holders = Sequence[tuple[str, str, str]]
"""(name, role, unit's name): people holding a role besides the leaders and employees, ``demo_id(slug, name)``."""


async def seed_demo_kommune(
    sessions: async_sessionmaker[AsyncSession],
    slug: str,
    tree: Tree,
    at: datetime,
    *,
    settings: TenantSettings | None = None,
    holders: Holders = (),
) -> None:
    """The kommune in the service's copy of the directory as of ``at``, with the same ids every time."""
    tenant = demo_id(slug)
    async with tenant_transaction(sessions, tenant) as session:
        changed = TenantChanged(tenant_id=tenant, slug=slug, name=slug.title(), settings=settings or TenantSettings())
        await apply_tenant_changed(session, changed, at)
        for depth, (name, unit_type, parent, leader_role) in enumerate(tree):
            unit, leader = demo_id(slug, name), demo_id(slug, name, "leder")
            event = OrgUnitChanged(unit_id=unit, parent_id=demo_id(slug, parent) if parent else None, name=name,
                                   unit_type=unit_type, leader_person_id=leader)  # fmt: skip
            await apply_org_unit_changed(session, tenant, event, at)
            staff = [(leader, leader_role, f"Leder {depth}")]
            staff += [(demo_id(slug, name, str(i)), "ansatt", f"Ansatt {depth}-{i}") for i in range(2) if depth >= 3]
            for person, role, person_name in staff:
                await apply_person_changed(session, tenant, PersonChanged(person_id=person, name=person_name), at)
                await grant_role(session, tenant, person, unit, role, at)
        for name, role, unit_name in holders:
            person = demo_id(slug, name)
            await apply_person_changed(session, tenant, PersonChanged(person_id=person, name=name), at)
            await grant_role(session, tenant, person, demo_id(slug, unit_name), role, at)


@asynccontextmanager
async def rolled_back(engine: AsyncEngine) -> AsyncIterator[tuple[AsyncConnection, async_sessionmaker[AsyncSession]]]:
    """A connection in a transaction rolled back at the end, and sessions whose transactions are its savepoints."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection, async_sessionmaker(bind=connection, class_=AsyncSession, expire_on_commit=False,
                                                 join_transaction_mode="create_savepoint")  # fmt: skip
        finally:
            await transaction.rollback()


Rows = dict[str, list[dict[str, Any]]]


async def rows_of(connection: AsyncConnection, tenant_id: uuid.UUID, queries: dict[str, str]) -> Rows:
    """Each query's rows, as the kommune sees them (row-level security holds), by the query's name."""
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session, session.begin():
        await set_tenant(session, tenant_id)
        return {name: [dict(row) for row in (await session.execute(sa.text(query))).mappings()]
                for name, query in queries.items()}  # fmt: skip


def without_ids(found: Rows) -> Rows:
    """The rows without the ids the database draws: what two runs of the same plan must agree on."""
    return {name: [{k: v for k, v in row.items() if k != "id"} for row in rows] for name, rows in found.items()}
