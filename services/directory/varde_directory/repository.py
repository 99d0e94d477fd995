"""Every query of the directory; tenant-scoped ones run in a tenant transaction (row-level security)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_directory.models import OrgUnit, Person, RoleAssignment, RolePublic, Tenant


async def tenants(session: AsyncSession) -> list[Tenant]:
    return list((await session.exec(select(Tenant).order_by(Tenant.slug))).all())


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return (await session.exec(select(Tenant).where(Tenant.slug == slug))).first()


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    statement = select(Person).where(sa.func.lower(Person.email) == email.strip().lower())
    return (await session.exec(statement)).first()


async def people(session: AsyncSession) -> list[Person]:
    return list((await session.exec(select(Person).order_by(Person.name))).all())


async def units(session: AsyncSession) -> list[OrgUnit]:
    return list((await session.exec(select(OrgUnit).order_by(OrgUnit.name))).all())


async def roles_by_person(session: AsyncSession) -> dict[uuid.UUID, list[RolePublic]]:
    statement = (
        select(RoleAssignment.person_id, RoleAssignment.role, OrgUnit.id, OrgUnit.name)
        .join(OrgUnit, col(OrgUnit.id) == RoleAssignment.unit_id)
        .order_by(RoleAssignment.role)
    )
    result: dict[uuid.UUID, list[RolePublic]] = {}
    for person_id, role, unit_id, unit_name in (await session.exec(statement)).all():
        result.setdefault(person_id, []).append(RolePublic(role=role, unit_id=unit_id, unit_name=unit_name))
    return result
