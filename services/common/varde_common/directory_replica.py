"""The local copy of the directory a service keeps: kommuner, their organisation trees, roles and the names of
their people (shown beside ids).

Filled from the directory's compacted topics, so no request path calls the directory synchronously.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession as SQLModelSession

from varde_common.authz import TreeTables
from varde_common.db import tenant_transaction
from varde_common.envelope import Envelope
from varde_common.events.directory import OrgUnitChanged, PersonChanged, RoleAssignmentChanged, TenantChanged
from varde_common.kafka import EventRouter
from varde_common.tenancy import enable_tenant_rls
from varde_common.tenant_settings import TenantSettings

metadata = sa.MetaData()

replica_tenant = sa.Table(
    "replica_tenant",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("slug", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("settings", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
)

replica_org_unit = sa.Table(
    "replica_org_unit",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("parent_id", sa.Uuid),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("unit_type", sa.Text, nullable=False),
    sa.Column("leader_person_id", sa.Uuid),
    sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

replica_role_assignment = sa.Table(
    "replica_role_assignment",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False),
    sa.Column("person_id", sa.Uuid, nullable=False),
    sa.Column("unit_id", sa.Uuid, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("starts_on", sa.Date),
    sa.Column("ends_on", sa.Date),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

replica_person = sa.Table(
    "replica_person",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

REPLICA_TREE = TreeTables(units=replica_org_unit, roles=replica_role_assignment)
"""The tree and roles as every service but the directory keeps them: give it to ``Authorizer``."""


def create_replica_tables() -> None:
    """Revision 1 of the replica (every service's first migration): kommuner and units. Frozen: do not change."""
    op.create_table(
        "replica_tenant",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("slug", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "replica_org_unit",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("parent_id", sa.Uuid),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit_type", sa.Text, nullable=False),
        sa.Column("leader_person_id", sa.Uuid),
        sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    for table in ("replica_tenant", "replica_org_unit"):
        enable_tenant_rls(table)


def add_replica_roles_and_settings() -> None:
    """Revision 2 of the replica: kommune settings and role assignments. Frozen: do not change."""
    op.add_column("replica_tenant", sa.Column("settings", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")))
    op.create_table(
        "replica_role_assignment",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("person_id", sa.Uuid, nullable=False),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date),
        sa.Column("ends_on", sa.Date),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_replica_role_person", "replica_role_assignment", ["tenant_id", "person_id"])
    op.create_index("ix_replica_role_unit", "replica_role_assignment", ["tenant_id", "unit_id"])
    op.create_index("ix_replica_org_unit_parent", "replica_org_unit", ["tenant_id", "parent_id"])
    enable_tenant_rls("replica_role_assignment")


def add_replica_people() -> None:
    """Revision 3 of the replica: the names of a kommune's people, shown beside their ids. Frozen: do not change."""
    op.create_table(
        "replica_person",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_replica_person_tenant", "replica_person", ["tenant_id"])
    enable_tenant_rls("replica_person")


async def _upsert(session: AsyncSession, table: sa.Table, key: str, values: Mapping[str, object]) -> None:
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[key],
        set_={k: statement.excluded[k] for k in values if k != key},
        # An older event replayed after a newer one changes nothing.
        where=table.c.changed_at <= statement.excluded.changed_at,
    )
    await session.execute(statement)


async def apply_tenant_changed(session: AsyncSession, event: TenantChanged, changed_at: datetime) -> None:
    values = {
        "tenant_id": event.tenant_id,
        "slug": event.slug,
        "name": event.name,
        "settings": event.settings.model_dump(mode="json"),
        "changed_at": changed_at,
    }
    await _upsert(session, replica_tenant, "tenant_id", values)


async def apply_org_unit_changed(
    session: AsyncSession, tenant_id: uuid.UUID, event: OrgUnitChanged, changed_at: datetime
) -> None:
    values = {
        "id": event.unit_id,
        "tenant_id": tenant_id,
        "parent_id": event.parent_id,
        "name": event.name,
        "unit_type": event.unit_type,
        "leader_person_id": event.leader_person_id,
        "closed": event.closed,
        "changed_at": changed_at,
    }
    await _upsert(session, replica_org_unit, "id", values)


async def apply_role_assignment_changed(
    session: AsyncSession, tenant_id: uuid.UUID, event: RoleAssignmentChanged, changed_at: datetime
) -> None:
    values = {
        "id": event.assignment_id,
        "tenant_id": tenant_id,
        "person_id": event.person_id,
        "unit_id": event.unit_id,
        "role": event.role,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "changed_at": changed_at,
    }
    await _upsert(session, replica_role_assignment, "id", values)


async def apply_person_changed(
    session: AsyncSession, tenant_id: uuid.UUID, event: PersonChanged, changed_at: datetime
) -> None:
    values = {
        "id": event.person_id,
        "tenant_id": tenant_id,
        "name": event.name,
        "active": event.active,
        "changed_at": changed_at,
    }
    await _upsert(session, replica_person, "id", values)


async def person_names(session: AsyncSession, person_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """The names of these people in the current kommune; one the replica has not heard of yet is left out."""
    wanted = {p for p in person_ids if p is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        sa.select(replica_person.c.id, replica_person.c.name).where(replica_person.c.id.in_(wanted))
    )
    return {row.id: row.name for row in rows}


async def unit_names(session: AsyncSession, unit_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """The names of these units in the current kommune."""
    wanted = {u for u in unit_ids if u is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        sa.select(replica_org_unit.c.id, replica_org_unit.c.name).where(replica_org_unit.c.id.in_(wanted))
    )
    return {row.id: row.name for row in rows}


@dataclass(frozen=True)
class Names:
    """The names of the people and units an answer mentions, as the directory published them: what a reader sees
    beside the ids. The directory fills it from its own tables; every other service with :func:`names_of`."""

    people: Mapping[uuid.UUID, str] = field(default_factory=dict)
    units: Mapping[uuid.UUID, str] = field(default_factory=dict)

    def person(self, person_id: uuid.UUID | None) -> str | None:
        return self.people.get(person_id) if person_id is not None else None

    def unit(self, unit_id: uuid.UUID | None) -> str | None:
        return self.units.get(unit_id) if unit_id is not None else None


async def names_of(
    session: AsyncSession, *, people: Iterable[uuid.UUID | None] = (), units: Iterable[uuid.UUID | None] = ()
) -> Names:
    """The names of the people and units an answer mentions, from the directory copy."""
    return Names(people=await person_names(session, people), units=await unit_names(session, units))


async def tenant_settings(session: AsyncSession, tenant_id: uuid.UUID) -> TenantSettings:
    """The kommune's settings as last published; the defaults until the directory has said otherwise."""
    stored = (
        await session.execute(sa.select(replica_tenant.c.settings).where(replica_tenant.c.tenant_id == tenant_id))
    ).scalar_one_or_none()
    return TenantSettings.model_validate(stored or {})


TenantHook = Callable[[SQLModelSession, uuid.UUID], Awaitable[None]]
RoleHook = Callable[[SQLModelSession, uuid.UUID, uuid.UUID], Awaitable[object]]


def register_directory_replica(
    router: EventRouter,
    sessions: async_sessionmaker[SQLModelSession],
    *,
    on_tenant: TenantHook | None = None,
    on_role: RoleHook | None = None,
) -> None:
    """Subscribe ``router`` to the directory topics and keep the replica tables current. ``on_tenant`` runs in
    the same transaction whenever a kommune is published (its first arrival included), ``on_role`` whenever a
    person's role assignment changes (with the tenant and the person): both must be idempotent."""

    @router.on(TenantChanged)
    async def on_tenant_changed(envelope: Envelope, event: TenantChanged) -> None:
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await apply_tenant_changed(session, event, envelope.time)
            if on_tenant is not None:
                await on_tenant(session, envelope.tenant_id)

    @router.on(OrgUnitChanged)
    async def on_unit(envelope: Envelope, event: OrgUnitChanged) -> None:
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await apply_org_unit_changed(session, envelope.tenant_id, event, envelope.time)

    @router.on(PersonChanged)
    async def on_person(envelope: Envelope, event: PersonChanged) -> None:
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await apply_person_changed(session, envelope.tenant_id, event, envelope.time)

    @router.on(RoleAssignmentChanged)
    async def on_role_assignment(envelope: Envelope, event: RoleAssignmentChanged) -> None:
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await apply_role_assignment_changed(session, envelope.tenant_id, event, envelope.time)
            if on_role is not None:
                await on_role(session, envelope.tenant_id, event.person_id)


class ReplicaUnit:
    __slots__ = ("closed", "id", "leader_person_id", "name", "parent_id")

    def __init__(self, row: sa.Row[tuple[uuid.UUID, uuid.UUID | None, str, uuid.UUID | None, bool]]) -> None:
        self.id, self.parent_id, self.name, self.leader_person_id, self.closed = row


async def find_unit(session: AsyncSession, unit_id: uuid.UUID) -> ReplicaUnit | None:
    """The unit in the current tenant (row-level security scopes it), or None."""
    row = (
        await session.execute(
            sa.select(
                replica_org_unit.c.id,
                replica_org_unit.c.parent_id,
                replica_org_unit.c.name,
                replica_org_unit.c.leader_person_id,
                replica_org_unit.c.closed,
            ).where(replica_org_unit.c.id == unit_id)
        )
    ).first()
    return ReplicaUnit(row) if row is not None else None


async def line_above(session: AsyncSession, unit_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID | None, bool]]:
    """The unit and every unit above it, nearest first: (id, leader, closed)."""
    units = replica_org_unit
    line = (
        sa.select(units.c.id, units.c.parent_id, units.c.leader_person_id, units.c.closed, sa.literal(0).label("depth"))
        .where(units.c.id == unit_id)
        .cte("line", recursive=True)
    )
    line = line.union_all(
        sa.select(units.c.id, units.c.parent_id, units.c.leader_person_id, units.c.closed, line.c.depth + 1)
        .join(line, units.c.id == line.c.parent_id)
        .where(line.c.depth < 20)
    )
    rows = await session.execute(sa.select(line.c.id, line.c.leader_person_id, line.c.closed).order_by(line.c.depth))
    return [(row.id, row.leader_person_id, row.closed) for row in rows]


# UNION, not UNION ALL: a cycle in bad data ends the recursion instead of looping.
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
    """The unit and every unit below it (none when the unit is unknown), read as one array: callers pass it on
    as an array parameter, which documents' coverage needs for its hash join (docs/decisions.md)."""
    return list((await session.execute(_SUBTREE, {"unit_id": unit_id})).scalar() or [])


async def nearest_leader(session: AsyncSession, unit_id: uuid.UUID, other_than: uuid.UUID) -> uuid.UUID | None:
    """The leader nearest at or above the unit who is not ``other_than``: the one who approves what that person
    wrote, or must know what that person owns."""
    for _, leader, closed in await line_above(session, unit_id):
        if leader is not None and leader != other_than and not closed:
            return leader
    return None


async def holds_any_role(session: AsyncSession, person_id: uuid.UUID) -> bool:
    """Whether the person works in this kommune (holds a role in its tree): someone a task may be given to."""
    roles = replica_role_assignment
    found = await session.execute(sa.select(roles.c.id).where(roles.c.person_id == person_id).limit(1))
    return found.first() is not None
