"""The queries of signing in: the registry of kommuner (the one table without row-level security), a subject's
person, a person by e-mail address (the development provider), browser sessions."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_directory.models import BrowserSession, Person, PersonIdentity, Tenant


async def tenants(session: AsyncSession) -> list[Tenant]:
    return list((await session.exec(select(Tenant).order_by(col(Tenant.slug)))).all())


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return (await session.exec(select(Tenant).where(Tenant.slug == slug))).first()


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    statement = select(Person).where(sa.func.lower(Person.email) == email.strip().lower())
    return (await session.exec(statement)).first()


async def person_by_subject(session: AsyncSession, provider_id: uuid.UUID, subject: str) -> Person | None:
    statement = (
        select(Person)
        .join(PersonIdentity, col(PersonIdentity.person_id) == Person.id)
        .where(PersonIdentity.provider_id == provider_id, PersonIdentity.subject == subject)
    )
    return (await session.exec(statement)).first()


async def browser_session(session: AsyncSession, session_hash: str, *, lock: bool = False) -> BrowserSession | None:
    return await session.get(BrowserSession, session_hash, with_for_update=lock)
