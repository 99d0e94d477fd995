"""What the directory's use cases write beside a change: a unit's history period, and the events that tell every
other service (compacted topics: the latest event per key is the state)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.events import Event, OrgUnitChanged, PersonChanged, RoleAssignmentChanged, TenantChanged
from varde_common.events.base import source_of
from varde_common.outbox import add_events
from varde_common.roles import Role
from varde_common.tenant_settings import TenantSettings
from varde_directory import repository
from varde_directory.models import OrgUnit, OrgUnitHistory, Person, RoleAssignment, Tenant

SOURCE = source_of("directory")


def tenant_changed(tenant: Tenant) -> TenantChanged:
    return TenantChanged(
        tenant_id=tenant.id, slug=tenant.slug, name=tenant.name, settings=TenantSettings.model_validate(tenant.settings)
    )


def unit_changed(unit: OrgUnit) -> OrgUnitChanged:
    return OrgUnitChanged(
        unit_id=unit.id,
        parent_id=unit.parent_id,
        name=unit.name,
        unit_type=unit.unit_type,
        leader_person_id=unit.leader_person_id,
        closed=unit.closed_at is not None,
    )


def role_changed(assignment: RoleAssignment) -> RoleAssignmentChanged:
    return RoleAssignmentChanged(
        assignment_id=assignment.id,
        person_id=assignment.person_id,
        unit_id=assignment.unit_id,
        role=Role(assignment.role),
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
    )


def person_changed(person: Person) -> PersonChanged:
    """The name and whether the person is active: nothing else about a person leaves the directory."""
    return PersonChanged(person_id=person.id, name=person.name, active=person.active)


async def emit(session: AsyncSession, tenant_id: uuid.UUID, events: list[Event]) -> None:
    if events:
        await add_events(session, events, tenant_id=tenant_id, source=SOURCE)


async def record_period(session: AsyncSession, unit: OrgUnit, changed_by: uuid.UUID | None, at: datetime) -> None:
    """End the unit's current period and start one with its present state."""
    await repository.end_current_period(session, unit.id, at)
    session.add(
        OrgUnitHistory(
            tenant_id=unit.tenant_id,
            unit_id=unit.id,
            valid_from=at,
            parent_id=unit.parent_id,
            name=unit.name,
            unit_type=unit.unit_type,
            leader_person_id=unit.leader_person_id,
            closed=unit.closed_at is not None,
            changed_by=changed_by,
        )
    )
