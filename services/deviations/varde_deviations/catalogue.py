"""The kommune's catalogue of areas (fagområder) and categories: defaults when the kommune arrives, read by
everyone, changed by the quality roles (and the system administrator)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.pages import PageRequest, page_in_memory
from varde_deviations import catalogue_queries as queries
from varde_deviations.access import administers_catalogue
from varde_deviations.domain import DEFAULT_AREAS
from varde_deviations.errors import (
    AreaExists,
    AreaNotFound,
    CategoryExists,
    CategoryNotFound,
    UnknownArea,
    UnknownCategory,
)
from varde_deviations.models import (
    Area,
    AreaCreate,
    AreaPage,
    AreaPublic,
    AreaUpdate,
    Category,
    CategoryCreate,
    CategoryPublic,
    CategoryUpdate,
)
from varde_deviations.views import area_public


async def seed_defaults(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Give a kommune the default catalogue; safe to repeat and to race (nothing already there is changed)."""
    await queries.insert_defaults(session, tenant_id, DEFAULT_AREAS)


async def check_classification(
    session: AsyncSession, tenant_id: uuid.UUID, area_key: str, category_id: uuid.UUID | None
) -> None:
    """The area is one of the kommune's in use, and the category (if any) one of that area's: 422 otherwise."""
    area = await queries.area(session, tenant_id, area_key)
    if area is None and not await queries.areas(session):
        await seed_defaults(session, tenant_id)  # a kommune known before catalogues existed gets them now
        area = await queries.area(session, tenant_id, area_key)
    if area is None or not area.active:
        raise UnknownArea()
    if category_id is not None:
        category = await queries.category(session, category_id)
        if category is None or not category.active or category.area != area_key:
            raise UnknownCategory()


class CatalogueService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def list(self, identity: Identity, page: PageRequest) -> AreaPage:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            areas = await queries.areas(session)
            if not areas:
                await seed_defaults(session, identity.tenant_id)
                areas = await queries.areas(session)
            categories = await queries.categories(session)
            shown, next_cursor = page_in_memory(areas, page)
            return AreaPage(items=[area_public(a, categories) for a in shown], next_cursor=next_cursor)

    async def add_area(self, identity: Identity, body: AreaCreate) -> AreaPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await administers_catalogue(session, identity.person_id)
            if await queries.area(session, identity.tenant_id, body.key) is not None:
                raise AreaExists()
            area = Area(tenant_id=identity.tenant_id, key=body.key, name=body.name, position=100)
            session.add(area)
            return area_public(area, [])

    async def update_area(self, identity: Identity, key: str, body: AreaUpdate) -> AreaPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            area = await queries.area(session, identity.tenant_id, key)
            if area is None:
                raise AreaNotFound()
            await administers_catalogue(session, identity.person_id)
            for name, value in body.model_dump(exclude_unset=True).items():
                setattr(area, name, value)
            session.add(area)
            return area_public(area, await queries.categories(session, area=key))

    async def add_category(self, identity: Identity, body: CategoryCreate) -> CategoryPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await administers_catalogue(session, identity.person_id)
            if await queries.area(session, identity.tenant_id, body.area) is None:
                raise UnknownArea()
            if await queries.category_named(session, body.area, body.name):
                raise CategoryExists()
            category = Category(tenant_id=identity.tenant_id, area=body.area, name=body.name)
            session.add(category)
            await session.flush()
            return CategoryPublic.model_validate(category, from_attributes=True)

    async def update_category(self, identity: Identity, category_id: uuid.UUID, body: CategoryUpdate) -> CategoryPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            category = await queries.category(session, category_id)
            if category is None:
                raise CategoryNotFound()
            await administers_catalogue(session, identity.person_id)
            for name, value in body.model_dump(exclude_unset=True).items():
                setattr(category, name, value)
            session.add(category)
            await queries.save_category(session)
            return CategoryPublic.model_validate(category, from_attributes=True)
