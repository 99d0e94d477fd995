"""Roles held in a unit and reaching its subtree: given and ended by an administrator, and the leader role that
comes with leading a unit. A role is never deleted: ending it makes yesterday (in Norway) its last day."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.events import Event
from varde_common.identity import Identity
from varde_common.roles import LEADER_ROLES, Role
from varde_common.tenant_settings import TenantSettings
from varde_directory import repository
from varde_directory.access import require_administrator
from varde_directory.domain import Clock, dates_in_order, end_date_for_removal, role_is_open
from varde_directory.errors import (
    LeaderRoleMismatch,
    PersonNotFound,
    RoleAssignmentNotFound,
    RoleDatesOutOfOrder,
    RoleUnitClosed,
    RoleUnitUnknown,
)
from varde_directory.models import OrgUnit, Person, RoleAssignment, RoleAssignmentCreate, RolePublic
from varde_directory.records import emit, record_period, role_changed, unit_changed


def end_assignment(session: AsyncSession, assignment: RoleAssignment, today: date) -> Event:
    assignment.ends_on = end_date_for_removal(today)
    session.add(assignment)
    return role_changed(assignment)


async def set_leader(
    session: AsyncSession, unit: OrgUnit, leader: Person | None, settings: TenantSettings, today: date
) -> tuple[list[Event], RoleAssignment | None]:
    """Make ``leader`` the unit's leader: they hold the leader role of its unit type there, and a previous
    leader's role ends. The events, and the leader's assignment (None when the unit is left without one)."""
    unit_type = settings.unit_type(unit.unit_type)
    leader_role = unit_type.leader_role if unit_type else Role.AVDELINGSLEDER
    await session.flush()
    events: list[Event] = []
    held: RoleAssignment | None = None
    for assignment in await repository.assignments(session, unit_id=unit.id):
        if assignment.role != leader_role or not role_is_open(assignment.ends_on, today):
            continue
        if leader is not None and assignment.person_id == leader.id:
            held = assignment
        else:
            events.append(end_assignment(session, assignment, today))
    unit.leader_person_id = leader.id if leader is not None else None
    session.add(unit)
    if leader is not None and held is None:
        held = RoleAssignment(tenant_id=unit.tenant_id, person_id=leader.id, unit_id=unit.id, role=leader_role)
        session.add(held)
        events.append(role_changed(held))
    return events, held


def role_public(assignment: RoleAssignment, unit: OrgUnit) -> RolePublic:
    return RolePublic(
        id=assignment.id,
        role=Role(assignment.role),
        unit_id=unit.id,
        unit_name=unit.name,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
    )


class RoleService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def assign(self, identity: Identity, person_id: uuid.UUID, data: RoleAssignmentCreate) -> RolePublic:
        """Give the person a role in a unit. The leader role of the unit's type, from today, makes them its
        leader (and ends the previous leader's)."""
        now = self.clock()
        today = oslo_date(now)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            person = await repository.person(session, person_id)
            if person is None:
                raise PersonNotFound()
            unit = await repository.unit(session, data.unit_id, lock=True)
            if unit is None:
                raise RoleUnitUnknown()
            await require_administrator(session, identity, today, unit.id)
            if unit.closed_at is not None:
                raise RoleUnitClosed()
            if not dates_in_order(data.starts_on, data.ends_on):
                raise RoleDatesOutOfOrder()
            settings = await repository.kommune_settings(session, identity.tenant_id)
            unit_type = settings.unit_type(unit.unit_type)
            if unit_type is not None and data.role == unit_type.leader_role and data.starts_on is None:
                events, held = await set_leader(session, unit, person, settings, today)
                assert held is not None
                if events:
                    await record_period(session, unit, identity.person_id, now)
                    await emit(session, identity.tenant_id, [unit_changed(unit), *events])
                return role_public(held, unit)
            if data.role in LEADER_ROLES and (unit_type is None or data.role != unit_type.leader_role):
                raise LeaderRoleMismatch()
            assignment = RoleAssignment(
                tenant_id=identity.tenant_id,
                person_id=person.id,
                unit_id=unit.id,
                role=data.role,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
            )
            session.add(assignment)
            await session.flush()
            await emit(session, identity.tenant_id, [role_changed(assignment)])
            return role_public(assignment, unit)

    async def end(self, identity: Identity, assignment_id: uuid.UUID) -> RolePublic:
        """End the role today; a unit led by it is left without a leader. Ending an ended role changes nothing."""
        now = self.clock()
        today = oslo_date(now)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assignment = await repository.assignment(session, assignment_id, lock=True)
            if assignment is None:
                raise RoleAssignmentNotFound()
            await require_administrator(session, identity, today, assignment.unit_id)
            unit = await repository.unit(session, assignment.unit_id, lock=True)
            assert unit is not None  # a role's unit is never deleted
            events: list[Event] = []
            if role_is_open(assignment.ends_on, today):
                events.append(end_assignment(session, assignment, today))
                if unit.leader_person_id == assignment.person_id and assignment.role in LEADER_ROLES:
                    unit.leader_person_id = None
                    session.add(unit)
                    await record_period(session, unit, identity.person_id, now)
                    events.append(unit_changed(unit))
            await emit(session, identity.tenant_id, events)
            return role_public(assignment, unit)
