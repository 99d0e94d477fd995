"""The demo kommuner of ``make run`` as every service sees them in its copy of the directory, and the one
transaction a service's ``demo-history`` command gives each of them.

A demo kommune is one whose id is ``demo_id(slug)``: the directory's demo derives its tenant ids so, and no real
kommune has such an id, so a history is never made for a real kommune, whatever runs the command. A history is
made through the service's own use cases, each in its own transaction as always; here those transactions are
savepoints of one transaction per kommune, which also writes the ``first_run`` mark: a kommune gets its whole
history once, or nothing (a run stopped halfway leaves no half history behind).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import OSLO, oslo_date, wall_clock_utc
from varde_common.command_runs import first_run
from varde_common.db import set_tenant, tenant_transaction
from varde_common.directory_replica import (
    replica_org_unit,
    replica_person,
    replica_role_assignment,
    replica_tenant,
    tenant_settings,
)
from varde_common.roles import Role
from varde_common.runtime import Runtime
from varde_common.scheduler import known_tenants
from varde_common.tenant_settings import TenantSettings

T = TypeVar("T")
DEMO_NAMESPACE = uuid.UUID("6f1d4c1e-6a57-4c1b-9a8e-3c1f5b0d7a21")


def demo_id(*parts: str) -> uuid.UUID:
    """The id of a demo kommune (``demo_id(slug)``) or of something in it, the same on every machine."""
    return uuid.uuid5(DEMO_NAMESPACE, "/".join(parts))


@dataclass(frozen=True)
class DemoUnit:
    id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    unit_type: str
    leader_id: uuid.UUID | None
    employees: tuple[uuid.UUID, ...]  # holding ``ansatt`` in the unit itself, by name


@dataclass(frozen=True)
class DemoKommune:
    """A demo kommune as the service's copy of the directory holds it: units by name, people by name."""

    tenant_id: uuid.UUID
    slug: str
    settings: TenantSettings
    units: tuple[DemoUnit, ...]
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    roles: dict[uuid.UUID, frozenset[tuple[Role, uuid.UUID]]] = field(default_factory=dict)

    def unit(self, unit_id: uuid.UUID) -> DemoUnit:
        return next(u for u in self.units if u.id == unit_id)

    def holders(self, role: Role) -> list[uuid.UUID]:
        """Who holds ``role`` anywhere in the kommune, by name."""
        found = [person for person, held in self.roles.items() if any(r == role for r, _ in held)]
        return sorted(found, key=lambda person: (self.names.get(person, ""), str(person)))


async def demo_kommuner(sessions: async_sessionmaker[AsyncSession]) -> list[DemoKommune]:
    """The demo kommuner in this service's copy of the directory, by slug, each with its tree and people."""
    found: list[DemoKommune] = []
    for tenant_id in await known_tenants(sessions):
        async with tenant_transaction(sessions, tenant_id) as session:
            slug = (await session.execute(sa.select(replica_tenant.c.slug))).scalar_one_or_none()
            if slug is None or demo_id(slug) != tenant_id:
                continue
            found.append(await _kommune(session, tenant_id, slug))
    return sorted(found, key=lambda kommune: kommune.slug)


async def _kommune(session: AsyncSession, tenant_id: uuid.UUID, slug: str) -> DemoKommune:
    names = {row.id: row.name for row in await session.execute(sa.select(replica_person.c.id, replica_person.c.name))}
    roles: dict[uuid.UUID, set[tuple[Role, uuid.UUID]]] = {}
    for row in await session.execute(
        sa.select(
            replica_role_assignment.c.person_id, replica_role_assignment.c.role, replica_role_assignment.c.unit_id
        )
    ):
        if row.role in Role.__members__.values():
            roles.setdefault(row.person_id, set()).add((Role(row.role), row.unit_id))
    units = []
    for row in await session.execute(sa.select(replica_org_unit).where(replica_org_unit.c.closed.is_(False))):
        employees = [p for p, held in roles.items() if (Role.ANSATT, row.id) in held]
        units.append(
            DemoUnit(
                id=row.id,
                parent_id=row.parent_id,
                name=row.name,
                unit_type=row.unit_type,
                leader_id=row.leader_person_id,
                employees=tuple(sorted(employees, key=lambda p: (names.get(p, ""), str(p)))),
            )
        )
    return DemoKommune(
        tenant_id=tenant_id,
        slug=slug,
        settings=await tenant_settings(session, tenant_id),
        units=tuple(sorted(units, key=lambda unit: (unit.name, str(unit.id)))),
        names=names,
        roles={person: frozenset(held) for person, held in roles.items()},
    )


@asynccontextmanager
async def _connection(bind: AsyncEngine | AsyncConnection) -> AsyncIterator[AsyncConnection]:
    if isinstance(bind, AsyncConnection):
        yield bind
        return
    async with bind.connect() as connection:
        yield connection


@asynccontextmanager
async def once_for_kommune(
    bind: AsyncEngine | AsyncConnection, tenant_id: uuid.UUID, command: str
) -> AsyncIterator[async_sessionmaker[AsyncSession] | None]:
    """Sessions whose transactions are savepoints of one transaction for this kommune, committed when the block
    ends without an error; None (and nothing done) when the command has already run for the kommune. Given a
    connection already in a transaction (a test's), the kommune's transaction is a savepoint of it."""
    async with _connection(bind) as connection:
        transaction = await (connection.begin_nested() if connection.in_transaction() else connection.begin())
        try:
            marker = AsyncSession(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
            async with marker.begin():
                await set_tenant(marker, tenant_id)
                fresh = await first_run(marker, tenant_id=tenant_id, command=command)
            await marker.close()
            if not fresh:
                await transaction.rollback()
                yield None
                return
            yield async_sessionmaker(
                bind=connection,
                class_=AsyncSession,
                expire_on_commit=False,
                join_transaction_mode="create_savepoint",
            )
            await transaction.commit()
        except BaseException:
            if transaction.is_active:
                await transaction.rollback()
            raise


MakeHistory = Callable[[async_sessionmaker[AsyncSession], DemoKommune, datetime], Awaitable[T]]
"""A service's history of one kommune, made on the sessions of its one transaction, up to an instant; what it
returns is what the log tells of it."""


def history_end(at: datetime | None = None) -> datetime:
    """A history runs until the start of today in Norway: the same history all day."""
    day = oslo_date(at or wall_clock_utc())
    return datetime.combine(day, datetime.min.time(), tzinfo=OSLO).astimezone(UTC)


async def load_once(
    bind: AsyncEngine | AsyncConnection, kommune: DemoKommune, command: str, make: MakeHistory[T], until: datetime
) -> T | None:
    """The kommune's history in one transaction; None when it has one already."""
    async with once_for_kommune(bind, kommune.tenant_id, command) as sessions:
        if sessions is None:
            return None
        return await make(sessions, kommune, until)


def working(at: datetime, rng: random.Random) -> datetime:
    """The first working moment (07:30–15:30 on a weekday, Norwegian time) at or after ``at``: when people act."""
    local = at.astimezone(OSLO)
    for _ in range(8):
        opens = local.replace(hour=7, minute=30, second=0, microsecond=0)
        closes = local.replace(hour=15, minute=30, second=0, microsecond=0)
        if local.weekday() < 5 and opens <= local <= closes:
            return local.astimezone(UTC)
        if local.weekday() < 5 and local < opens:
            local = opens + timedelta(minutes=rng.randint(0, 90))
            continue
        local = (local + timedelta(days=1)).replace(hour=7, minute=30) + timedelta(minutes=rng.randint(0, 90))
    return local.astimezone(UTC)


async def load_every_demo_kommune(
    runtime: Runtime,
    command: str,
    make: MakeHistory[T],
    figures: Callable[[T], dict[str, object]],
    log: logging.Logger,
) -> None:
    """The ``demo-history`` command: each demo kommune's history, once, logged with its figures and seconds."""
    until = history_end()
    for kommune in await demo_kommuner(runtime.sessions):
        started = time.monotonic()
        made = await load_once(runtime.engine, kommune, command, make, until)
        seconds = round(time.monotonic() - started, 1)
        if made is None:
            log.info("demo history already loaded", extra={"tenant": kommune.slug})
        else:
            log.info("demo history loaded", extra={"tenant": kommune.slug, **figures(made), "seconds": seconds})
