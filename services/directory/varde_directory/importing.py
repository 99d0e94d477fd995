"""The HR import use case: read the kommune, validate the file against it, plan, and apply in one transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.events import Event
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.roles import LEADER_ROLES
from varde_common.tenant_settings import TenantSettings
from varde_directory import hr_files, hr_import, repository
from varde_directory.access import require_administrator
from varde_directory.domain import Clock, role_is_open
from varde_directory.errors import HrImportInvalid, HrImportMediaType
from varde_directory.models import OrgUnit, Person, RoleAssignment
from varde_directory.records import emit, person_changed, record_period, role_changed, unit_changed
from varde_directory.roles import end_assignment, set_leader


class Snapshot:
    """The kommune as the import sees it: units by HR key, people by employee number, and the open roles."""

    def __init__(
        self, units: list[OrgUnit], people: list[Person], assignments: list[RoleAssignment], today: date
    ) -> None:
        self.unit_by_key = {u.external_key: u for u in units if u.external_key}
        self.key_by_unit_id = {u.id: u.external_key for u in units}
        self.person_by_number = {p.employee_number: p for p in people if p.employee_number}
        self.number_by_person_id = {p.id: p.employee_number for p in people}
        self.emails = {p.email.lower(): p.employee_number for p in people}
        self.has_root = any(u.parent_id is None and u.closed_at is None for u in units)
        self.open_assignments: dict[uuid.UUID, list[RoleAssignment]] = {}
        for assignment in assignments:
            if role_is_open(assignment.ends_on, today):
                self.open_assignments.setdefault(assignment.person_id, []).append(assignment)

    def existing_units(self) -> dict[str, hr_import.ExistingUnit]:
        return {
            key: hr_import.ExistingUnit(
                key=key,
                parent_key=self.key_by_unit_id.get(unit.parent_id) if unit.parent_id else None,
                name=unit.name,
                unit_type=unit.unit_type,
                leader_number=self.number_by_person_id.get(unit.leader_person_id) if unit.leader_person_id else None,
            )
            for key, unit in self.unit_by_key.items()
        }

    def existing_people(self) -> dict[str, hr_import.ExistingPerson]:
        return {
            number: hr_import.ExistingPerson(
                employee_number=number,
                name=person.name,
                email=person.email,
                roles={
                    (a.role, self.key_by_unit_id.get(a.unit_id) or str(a.unit_id))
                    for a in self.open_assignments.get(person.id, [])
                },
            )
            for number, person in self.person_by_number.items()
        }


class HrImportService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def run(
        self,
        tenant_id: uuid.UUID,
        content: bytes,
        content_type: str,
        *,
        dry_run: bool,
        actor: Identity | None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> hr_import.ImportReport:
        """Validate and (unless ``dry_run``) apply. ``actor`` None is the platform itself (onboarding, demo)."""
        now = self.clock()
        today = oslo_date(now)
        async with tenant_transaction(self.sessions, tenant_id) as session:
            # Rights before reading the file: someone who may not import learns nothing about it.
            if actor is not None:
                await require_administrator(session, actor, today)
            kind = hr_files.file_kind(content_type)
            if kind is None:
                raise HrImportMediaType()
            parsed = hr_files.parse(content, kind)
            settings = await repository.kommune_settings(session, tenant_id)
            snapshot = Snapshot(
                await repository.every_unit(session),
                await repository.every_person(session),
                await repository.assignments(session),
                today,
            )
            errors = hr_import.validate(
                parsed,
                settings,
                snapshot.existing_units(),
                snapshot.existing_people(),
                snapshot.emails,
                snapshot.has_root,
            )
            if errors:
                raise HrImportInvalid(errors)
            changes = hr_import.plan(parsed, snapshot.existing_units(), snapshot.existing_people(), language)
            report = hr_import.ImportReport(
                dry_run=dry_run,
                applied=bool(changes) and not dry_run,
                changes=changes,
                units=len(parsed.units),
                people=len(parsed.people),
            )
            if report.applied:
                await self._apply(session, tenant_id, parsed, snapshot, settings, actor, now)
            return report

    async def _apply(
        self,
        session: AsyncSession,
        tenant_id: uuid.UUID,
        parsed: hr_files.ParsedImport,
        snapshot: Snapshot,
        settings: TenantSettings,
        actor: Identity | None,
        now: datetime,
    ) -> None:
        today = oslo_date(now)
        events: list[Event] = []
        changed_units: dict[uuid.UUID, OrgUnit] = {}
        for row in hr_import.parents_first(parsed.units):
            unit = snapshot.unit_by_key.get(row.key)
            parent_id = snapshot.unit_by_key[row.parent].id if row.parent else None
            if unit is None:
                unit = OrgUnit(tenant_id=tenant_id, name=row.name, unit_type=row.unit_type, external_key=row.key)
                snapshot.unit_by_key[row.key] = unit
                snapshot.key_by_unit_id[unit.id] = row.key
            elif (unit.name, unit.unit_type, unit.parent_id) == (row.name, row.unit_type, parent_id):
                continue
            unit.name, unit.unit_type, unit.parent_id = row.name, row.unit_type, parent_id
            session.add(unit)
            await session.flush()
            changed_units[unit.id] = unit

        renamed: list[Person] = []
        for person_row in parsed.people:
            person = snapshot.person_by_number.get(person_row.employee_number)
            if person is None:
                person = Person(
                    tenant_id=tenant_id,
                    name=person_row.name,
                    email=person_row.email,
                    employee_number=person_row.employee_number,
                )
                snapshot.person_by_number[person_row.employee_number] = person
                renamed.append(person)
            elif (person.name, person.email.lower()) != (person_row.name, person_row.email.lower()):
                if person.name != person_row.name:
                    renamed.append(person)
                person.name, person.email = person_row.name, person_row.email
            session.add(person)
        await session.flush()
        events.extend(person_changed(person) for person in renamed)

        for row in parsed.units:
            unit = snapshot.unit_by_key[row.key]
            leader = snapshot.person_by_number[row.leader] if row.leader else None
            if (leader.id if leader else None) != unit.leader_person_id:
                leader_events, _ = await set_leader(session, unit, leader, settings, today)
                events += leader_events
                changed_units[unit.id] = unit

        for person_row in parsed.people:
            person = snapshot.person_by_number[person_row.employee_number]
            wanted = {(role.value, snapshot.unit_by_key[key].id) for role, key, _ in person_row.roles}
            held = {
                (a.role, a.unit_id): a
                for a in snapshot.open_assignments.get(person.id, [])
                if a.role not in LEADER_ROLES
            }
            for role, unit_id in sorted(wanted - held.keys(), key=str):
                assignment = RoleAssignment(tenant_id=tenant_id, person_id=person.id, unit_id=unit_id, role=role)
                session.add(assignment)
                events.append(role_changed(assignment))
            events += [end_assignment(session, held[key], today) for key in held.keys() - wanted]

        for unit in changed_units.values():
            await record_period(session, unit, actor.person_id if actor else None, now)
        await session.flush()
        await emit(session, tenant_id, [*map(unit_changed, changed_units.values()), *events])
