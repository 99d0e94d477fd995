"""The kommune's catalogue of areas (fagområder) and categories: defaults when the kommune arrives, changed by the
quality roles (and the system administrator)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.db import tenant_transaction
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from varde_common.identity import Identity
from varde_deviations import repository
from varde_deviations.access import authorizer
from varde_deviations.domain import DEFAULT_AREAS
from varde_deviations.models import (
    Area,
    AreaCreate,
    AreaPublic,
    AreaUpdate,
    Category,
    CategoryCreate,
    CategoryPublic,
    CategoryUpdate,
)

areas_table: sa.Table = Area.__table__  # type: ignore[attr-defined]
categories_table: sa.Table = Category.__table__  # type: ignore[attr-defined]


async def seed_defaults(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Give a kommune the default catalogue; safe to repeat and to race (nothing already there is changed)."""
    await session.execute(
        insert(areas_table)
        .values(
            [
                {"tenant_id": tenant_id, "key": a.key, "name": a.name, "active": True, "position": i}
                for i, a in enumerate(DEFAULT_AREAS)
            ]
        )
        .on_conflict_do_nothing()
    )
    await session.execute(
        insert(categories_table)
        .values(
            [
                {"id": uuid.uuid4(), "tenant_id": tenant_id, "area": a.key, "name": name, "active": True}
                for a in DEFAULT_AREAS
                for name in a.categories
            ]
        )
        .on_conflict_do_nothing()
    )


def _invalid(field: str, message: str, code: str, detail: str) -> InvalidInputError:
    return InvalidInputError(detail, extra={"errors": [{"field": field, "message": message, "code": code}]})


async def check_classification(
    session: AsyncSession, tenant_id: uuid.UUID, area_key: str, category_id: uuid.UUID | None
) -> None:
    area = await repository.area(session, tenant_id, area_key)
    if area is None and not await repository.areas(session):
        await seed_defaults(session, tenant_id)  # a kommune known before catalogues existed gets them now
        area = await repository.area(session, tenant_id, area_key)
    if area is None or not area.active:
        raise _invalid("area", "ukjent fagområde", "unknown_area", "Fagområdet finnes ikke i kommunens katalog.")
    if category_id is not None:
        category = await repository.category(session, category_id)
        if category is None or not category.active or category.area != area_key:
            raise _invalid(
                "category_id", "ukjent kategori", "unknown_category", "Kategorien finnes ikke i dette fagområdet."
            )


class CatalogueService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def list(self, identity: Identity) -> list[AreaPublic]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            areas = await repository.areas(session)
            if not areas:
                await seed_defaults(session, identity.tenant_id)
                areas = await repository.areas(session)
            categories = await repository.categories(session)
            return [
                AreaPublic(
                    key=a.key,
                    name=a.name,
                    active=a.active,
                    categories=[
                        CategoryPublic.model_validate(c, from_attributes=True) for c in categories if c.area == a.key
                    ],
                )
                for a in areas
            ]

    async def _may_administer(self, session: AsyncSession, identity: Identity) -> None:
        if not await authorizer.units_where(session, identity.person_id, Action.ADMINISTER_CATALOGUE):
            raise ForbiddenError(
                "Bare kvalitetsrådgiver, kvalitetskoordinator og systemadministrator kan endre katalogen."
            )

    async def add_area(self, identity: Identity, body: AreaCreate) -> AreaPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._may_administer(session, identity)
            if await repository.area(session, identity.tenant_id, body.key) is not None:
                raise ConflictError("Et fagområde med denne nøkkelen finnes allerede.")
            area = Area(tenant_id=identity.tenant_id, key=body.key, name=body.name, position=100)
            session.add(area)
            return AreaPublic(key=area.key, name=area.name, active=True, categories=[])

    async def update_area(self, identity: Identity, key: str, body: AreaUpdate) -> AreaPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            area = await repository.area(session, identity.tenant_id, key)
            if area is None:
                raise NotFoundError("Fagområdet finnes ikke.")
            await self._may_administer(session, identity)
            for name, value in body.model_dump(exclude_unset=True).items():
                setattr(area, name, value)
            session.add(area)
            categories = [c for c in await repository.categories(session) if c.area == key]
            return AreaPublic(
                key=area.key,
                name=area.name,
                active=area.active,
                categories=[CategoryPublic.model_validate(c, from_attributes=True) for c in categories],
            )

    async def add_category(self, identity: Identity, body: CategoryCreate) -> CategoryPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await self._may_administer(session, identity)
            area = await repository.area(session, identity.tenant_id, body.area)
            if area is None:
                raise _invalid("area", "ukjent fagområde", "unknown_area", "Fagområdet finnes ikke.")
            existing = await session.execute(
                sa.select(categories_table.c.id).where(
                    categories_table.c.area == body.area, categories_table.c.name == body.name
                )
            )
            if existing.first() is not None:
                raise ConflictError("Kategorien finnes allerede i fagområdet.")
            category = Category(tenant_id=identity.tenant_id, area=body.area, name=body.name)
            session.add(category)
            await session.flush()
            return CategoryPublic.model_validate(category, from_attributes=True)

    async def update_category(self, identity: Identity, category_id: uuid.UUID, body: CategoryUpdate) -> CategoryPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            category = await repository.category(session, category_id)
            if category is None:
                raise NotFoundError("Kategorien finnes ikke.")
            await self._may_administer(session, identity)
            for name, value in body.model_dump(exclude_unset=True).items():
                setattr(category, name, value)
            session.add(category)
            try:
                await session.flush()
            except IntegrityError:
                raise ConflictError("En kategori med dette navnet finnes allerede i fagområdet.") from None
            return CategoryPublic.model_validate(category, from_attributes=True)
