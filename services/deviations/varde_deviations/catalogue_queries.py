"""The queries of the kommune's catalogue of areas (fagområder) and categories."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_deviations.domain import DefaultArea
from varde_deviations.errors import CategoryExists
from varde_deviations.models import Area, Category

areas_table: sa.Table = Area.__table__  # type: ignore[attr-defined]
categories_table: sa.Table = Category.__table__  # type: ignore[attr-defined]
CATEGORY_NAME_UNIQUE = "uq_category_name"  # one name once in an area (migration 0003)


async def areas(session: AsyncSession) -> list[Area]:
    return list((await session.exec(select(Area).order_by(col(Area.position), col(Area.key)))).all())


async def categories(session: AsyncSession, area: str | None = None) -> list[Category]:
    statement = select(Category)
    if area is not None:
        statement = statement.where(Category.area == area)
    return list((await session.exec(statement.order_by(col(Category.area), col(Category.name)))).all())


async def area(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> Area | None:
    return await session.get(Area, (tenant_id, key))


async def category(session: AsyncSession, category_id: uuid.UUID) -> Category | None:
    return await session.get(Category, category_id)


async def category_named(session: AsyncSession, area: str, name: str) -> bool:
    found = await session.execute(
        sa.select(categories_table.c.id).where(categories_table.c.area == area, categories_table.c.name == name)
    )
    return found.first() is not None


async def save_category(session: AsyncSession) -> None:
    """Write a changed category. A name its area already has is :class:`CategoryExists`; any other refusal of
    the database is a fault, raised as it is."""
    try:
        await session.flush()
    except IntegrityError as exc:
        # The driver's own error (asyncpg's UniqueViolationError) names the constraint.
        if getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None) == CATEGORY_NAME_UNIQUE:
            raise CategoryExists() from exc
        raise


async def insert_defaults(session: AsyncSession, tenant_id: uuid.UUID, defaults: Sequence[DefaultArea]) -> None:
    """The default areas and categories; what is already there is left as it is (safe to repeat and to race)."""
    await session.execute(
        insert(areas_table)
        .values(
            [
                {"tenant_id": tenant_id, "key": a.key, "name": a.name, "active": True, "position": i}
                for i, a in enumerate(defaults)
            ]
        )
        .on_conflict_do_nothing()
    )
    await session.execute(
        insert(categories_table)
        .values(
            [
                {"id": uuid.uuid4(), "tenant_id": tenant_id, "area": a.key, "name": name, "active": True}
                for a in defaults
                for name in a.categories
            ]
        )
        .on_conflict_do_nothing()
    )
