"""The organisation tree: every unit with its leader, its history, and what administrators change in it. Each
change starts a new period in the unit's history and is published (``OrgUnitChanged``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import Names
from varde_common.events import Event
from varde_common.identity import Identity
from varde_common.pages import PageRequest, keyset, page_of
from varde_directory import repository
from varde_directory.access import require_administrator
from varde_directory.domain import Clock, role_is_open, would_create_cycle
from varde_directory.errors import (
    ParentUnitClosed,
    ParentUnitRequired,
    ParentUnitUnknown,
    TopUnitCannotClose,
    TopUnitCannotMove,
    UnitClosed,
    UnitHasOpenUnits,
    UnitLeaderUnknown,
    UnitMoveCycle,
    UnitNotFound,
    UnitTypeUnknown,
)
from varde_directory.models import (
    OrgUnit,
    OrgUnitCreate,
    OrgUnitHistory,
    OrgUnitPage,
    OrgUnitPeriodPage,
    OrgUnitPublic,
    OrgUnitUpdate,
    Person,
)
from varde_directory.records import emit, record_period, unit_changed
from varde_directory.roles import end_assignment, set_leader
from varde_directory.views import period_public, unit_public


async def names_of(session: AsyncSession, rows: Sequence[OrgUnit | OrgUnitHistory]) -> Names:
    """The names of the parents, leaders and (in history) changers of these rows."""
    people = [r.leader_person_id for r in rows] + [r.changed_by for r in rows if isinstance(r, OrgUnitHistory)]
    return Names(
        people=await repository.person_names(session, people),
        units=await repository.unit_names(session, [r.parent_id for r in rows]),
    )


async def existing_unit(session: AsyncSession, unit_id: uuid.UUID, *, lock: bool = False) -> OrgUnit:
    unit = await repository.unit(session, unit_id, lock=lock)
    if unit is None:
        raise UnitNotFound()
    return unit


async def parent_unit(session: AsyncSession, unit_id: uuid.UUID) -> OrgUnit:
    parent = await repository.unit(session, unit_id)
    if parent is None:
        raise ParentUnitUnknown()
    if parent.closed_at is not None:
        raise ParentUnitClosed()
    return parent


async def active_leader(session: AsyncSession, person_id: uuid.UUID | None) -> Person | None:
    if person_id is None:
        return None
    person = await repository.person(session, person_id)
    if person is None or not person.active:
        raise UnitLeaderUnknown()
    return person


class UnitService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def find(self, identity: Identity, search: str | None, page: PageRequest) -> OrgUnitPage:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await repository.units_page(session, search, keyset(page, str, uuid.UUID), page.limit)
            units, next_cursor = page_of(rows, page.limit, lambda u: (u.name, str(u.id)))
            names = await names_of(session, units)
        return OrgUnitPage(items=[unit_public(u, names) for u in units], next_cursor=next_cursor)

    async def get(self, identity: Identity, unit_id: uuid.UUID) -> OrgUnitPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await existing_unit(session, unit_id)
            return unit_public(unit, await names_of(session, [unit]))

    async def history(self, identity: Identity, unit_id: uuid.UUID, page: PageRequest) -> OrgUnitPeriodPage:
        """The unit's periods, oldest first: who led it, where it sat, and who changed it."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await existing_unit(session, unit_id)
            rows = await repository.unit_history_page(
                session, unit_id, keyset(page, datetime.fromisoformat, uuid.UUID), page.limit
            )
            periods, next_cursor = page_of(rows, page.limit, lambda p: (p.valid_from.isoformat(), str(p.id)))
            names = await names_of(session, periods)
        return OrgUnitPeriodPage(items=[period_public(p, names) for p in periods], next_cursor=next_cursor)

    async def create(self, identity: Identity, data: OrgUnitCreate) -> OrgUnitPublic:
        now = self.clock()
        today = oslo_date(now)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            settings = await repository.kommune_settings(session, identity.tenant_id)
            if settings.unit_type(data.unit_type) is None:
                raise UnitTypeUnknown(unit_type=data.unit_type)
            # The top unit comes with the kommune (import or onboarding); every other unit sits under one.
            if data.parent_id is None:
                raise ParentUnitRequired()
            parent = await parent_unit(session, data.parent_id)
            await require_administrator(session, identity, today, parent.id)
            leader = await active_leader(session, data.leader_person_id)
            unit = OrgUnit(
                tenant_id=identity.tenant_id,
                parent_id=parent.id,
                name=data.name,
                unit_type=data.unit_type,
                external_key=data.external_key,
            )
            session.add(unit)
            await repository.save(session)
            events: list[Event] = []
            if leader is not None:
                events, _ = await set_leader(session, unit, leader, settings, today)
            await record_period(session, unit, identity.person_id, now)
            await emit(session, identity.tenant_id, [unit_changed(unit), *events])
            return unit_public(unit, await names_of(session, [unit]))

    async def update(self, identity: Identity, unit_id: uuid.UUID, data: OrgUnitUpdate) -> OrgUnitPublic:
        now = self.clock()
        today = oslo_date(now)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await existing_unit(session, unit_id, lock=True)
            await require_administrator(session, identity, today, unit.id)
            if unit.closed_at is not None:
                raise UnitClosed()
            fields = data.model_fields_set
            if "parent_id" in fields and data.parent_id != unit.parent_id:
                await self._move(session, identity, today, unit, data.parent_id)
            if data.name is not None:
                unit.name = data.name
            if "external_key" in fields:
                unit.external_key = data.external_key
            events: list[Event] = []
            if "leader_person_id" in fields and data.leader_person_id != unit.leader_person_id:
                leader = await active_leader(session, data.leader_person_id)
                settings = await repository.kommune_settings(session, identity.tenant_id)
                events, _ = await set_leader(session, unit, leader, settings, today)
            session.add(unit)
            await repository.save(session)
            await record_period(session, unit, identity.person_id, now)
            await emit(session, identity.tenant_id, [unit_changed(unit), *events])
            return unit_public(unit, await names_of(session, [unit]))

    async def _move(
        self, session: AsyncSession, identity: Identity, today: date, unit: OrgUnit, new_parent_id: uuid.UUID | None
    ) -> None:
        if new_parent_id is None or unit.parent_id is None:
            raise TopUnitCannotMove()
        parent = await parent_unit(session, new_parent_id)
        if would_create_cycle(await repository.parents(session), unit.id, parent.id):
            raise UnitMoveCycle()
        await require_administrator(session, identity, today, parent.id)
        unit.parent_id = parent.id

    async def close(self, identity: Identity, unit_id: uuid.UUID) -> OrgUnitPublic:
        """Close a unit without open units below it: its roles end today, and it keeps its history."""
        now = self.clock()
        today = oslo_date(now)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await existing_unit(session, unit_id, lock=True)
            await require_administrator(session, identity, today, unit.id)
            if unit.closed_at is None:
                if unit.parent_id is None:
                    raise TopUnitCannotClose()
                if await repository.open_children(session, unit.id):
                    raise UnitHasOpenUnits()
                unit.closed_at = now
                unit.leader_person_id = None
                session.add(unit)
                events: list[Event] = [unit_changed(unit)]
                for assignment in await repository.assignments(session, unit_id=unit.id):
                    if role_is_open(assignment.ends_on, today):
                        events.append(end_assignment(session, assignment, today))
                await record_period(session, unit, identity.person_id, now)
                await emit(session, identity.tenant_id, events)
            return unit_public(unit, await names_of(session, [unit]))
