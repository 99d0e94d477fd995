"""Every query of the directory; tenant-scoped ones run in a tenant transaction (row-level security)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import TreeTables
from varde_directory.models import (
    IdentityProvider,
    OrgUnit,
    OrgUnitHistory,
    Person,
    PersonIdentity,
    RoleAssignment,
    RolePublic,
    Tenant,
)

DIRECTORY_TREE = TreeTables(units=OrgUnit.__table__, roles=RoleAssignment.__table__)  # type: ignore[attr-defined]


async def tenants(session: AsyncSession) -> list[Tenant]:
    return list((await session.exec(select(Tenant).order_by(Tenant.slug))).all())


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return (await session.exec(select(Tenant).where(Tenant.slug == slug))).first()


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    statement = select(Person).where(sa.func.lower(Person.email) == email.strip().lower())
    return (await session.exec(statement)).first()


async def people(session: AsyncSession, search: str | None = None, limit: int | None = None) -> list[Person]:
    statement = select(Person).order_by(col(Person.name), col(Person.id))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(col(Person.name).ilike(pattern), col(Person.email).ilike(pattern)))
    if limit is not None:
        statement = statement.limit(limit)
    return list((await session.exec(statement)).all())


async def units(session: AsyncSession) -> list[OrgUnit]:
    return list((await session.exec(select(OrgUnit).order_by(col(OrgUnit.name), col(OrgUnit.id)))).all())


async def parents(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID | None]:
    rows = await session.exec(select(OrgUnit.id, OrgUnit.parent_id))
    return dict(rows.all())


async def root_unit(session: AsyncSession) -> OrgUnit | None:
    statement = select(OrgUnit).where(col(OrgUnit.parent_id).is_(None), col(OrgUnit.closed_at).is_(None))
    return (await session.exec(statement.order_by(col(OrgUnit.id)))).first()


async def open_children(session: AsyncSession, unit_id: uuid.UUID) -> int:
    statement = select(sa.func.count()).where(OrgUnit.parent_id == unit_id, col(OrgUnit.closed_at).is_(None))
    return int((await session.exec(statement)).one())


async def unit_history(session: AsyncSession, unit_id: uuid.UUID) -> list[OrgUnitHistory]:
    statement = select(OrgUnitHistory).where(OrgUnitHistory.unit_id == unit_id).order_by(col(OrgUnitHistory.valid_from))
    return list((await session.exec(statement)).all())


async def record_period(session: AsyncSession, unit: OrgUnit, changed_by: uuid.UUID | None) -> None:
    """Close the unit's current period and open one with its present state."""
    now = datetime.now(UTC)
    await session.exec(
        sa.update(OrgUnitHistory)
        .where(col(OrgUnitHistory.unit_id) == unit.id, col(OrgUnitHistory.valid_to).is_(None))
        .values(valid_to=now)
    )
    session.add(
        OrgUnitHistory(
            tenant_id=unit.tenant_id,
            unit_id=unit.id,
            valid_from=now,
            parent_id=unit.parent_id,
            name=unit.name,
            unit_type=unit.unit_type,
            leader_person_id=unit.leader_person_id,
            closed=unit.closed_at is not None,
            changed_by=changed_by,
        )
    )


async def assignments(
    session: AsyncSession, person_id: uuid.UUID | None = None, unit_id: uuid.UUID | None = None
) -> list[RoleAssignment]:
    statement = select(RoleAssignment).order_by(col(RoleAssignment.role), col(RoleAssignment.id))
    if person_id is not None:
        statement = statement.where(RoleAssignment.person_id == person_id)
    if unit_id is not None:
        statement = statement.where(RoleAssignment.unit_id == unit_id)
    return list((await session.exec(statement)).all())


async def roles_by_person(
    session: AsyncSession, person_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[RolePublic]]:
    statement = (
        select(RoleAssignment, OrgUnit.name)
        .join(OrgUnit, col(OrgUnit.id) == RoleAssignment.unit_id)
        .order_by(col(RoleAssignment.role), col(OrgUnit.name))
    )
    if person_ids is not None:
        statement = statement.where(col(RoleAssignment.person_id).in_(person_ids))
    result: dict[uuid.UUID, list[RolePublic]] = {}
    for assignment, unit_name in (await session.exec(statement)).all():
        result.setdefault(assignment.person_id, []).append(
            RolePublic(
                id=assignment.id,
                role=assignment.role,
                unit_id=assignment.unit_id,
                unit_name=unit_name,
                starts_on=assignment.starts_on,
                ends_on=assignment.ends_on,
            )
        )
    return result


async def identities_of(session: AsyncSession, person_id: uuid.UUID) -> list[PersonIdentity]:
    statement = select(PersonIdentity).where(PersonIdentity.person_id == person_id).order_by(PersonIdentity.subject)
    return list((await session.exec(statement)).all())


async def providers(session: AsyncSession) -> list[IdentityProvider]:
    return list((await session.exec(select(IdentityProvider).order_by(IdentityProvider.name))).all())


async def person_by_subject(session: AsyncSession, provider_id: uuid.UUID, subject: str) -> Person | None:
    statement = (
        select(Person)
        .join(PersonIdentity, col(PersonIdentity.person_id) == Person.id)
        .where(PersonIdentity.provider_id == provider_id, PersonIdentity.subject == subject)
    )
    return (await session.exec(statement)).first()
