"""The other services show people's names beside their ids: every person is published as PersonChanged — those
registered before the event existed by a migration, later ones when they are imported, created or renamed —
and nothing else about a person goes with the name."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_directory
from varde_common.db import tenant_transaction
from varde_common.migrations import upgrade
from varde_common.outbox import outbox_table
from varde_common.testing.databases import APP_ROLE, create_migrated_database

MIGRATIONS = Path(varde_directory.__file__).parent / "migrations"
PERSON_CHANGED = "no.varde.person.changed.v1"


async def published_people(sessions: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    async with tenant_transaction(sessions, tenant_id) as session:
        rows = await session.execute(
            sa.select(outbox_table.c.data).where(outbox_table.c.type == PERSON_CHANGED).order_by(outbox_table.c.seq)
        )
        return [row[0] for row in rows]


async def test_people_registered_before_the_event_existed_are_published_once_by_the_migration(
    postgres_admin_url: str,
) -> None:
    database = await create_migrated_database(postgres_admin_url, "directory", MIGRATIONS, revision="0003")
    tenant, person = uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(database.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute("INSERT INTO tenant (id, slug, name) VALUES ($1, 'eldre', 'Eldre kommune')", tenant)
        await connection.execute(
            "INSERT INTO person (id, tenant_id, name, email, active) VALUES ($1, $2, 'Åse Eldre', 'ase@x.no', true)",
            person,
            tenant,
        )
        await asyncio.to_thread(upgrade, MIGRATIONS, database.owner_url, APP_ROLE, "head")
        rows = await connection.fetch("SELECT tenant_id, topic, key, type, data::text FROM outbox")
        forced = await connection.fetchval("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'person'")
    finally:
        await connection.close()
    assert [(r["tenant_id"], r["topic"], r["key"], r["type"]) for r in rows] == [
        (tenant, "varde.directory.person", str(person), PERSON_CHANGED)
    ]
    assert '"name": "Åse Eldre"' in rows[0]["data"]
    assert "ase@x.no" not in rows[0]["data"]
    assert forced is True  # the wall is back up after the migration


async def test_an_imported_created_and_renamed_person_is_published_with_the_name_only(
    client: httpx.AsyncClient, kommune: Any, sessions: async_sessionmaker[AsyncSession]
) -> None:
    imported = await published_people(sessions, kommune.tenant_id)
    assert {p["person_id"] for p in imported} == {str(p) for p in kommune.people.values()}
    admin = kommune.headers("E4")
    created = await client.post(
        "/api/v1/directory/people", json={"name": "Ny Person", "email": "ny@testvik.no"}, headers=admin
    )
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    renamed = await client.patch(f"/api/v1/directory/people/{person_id}", json={"name": "Ny Navn"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    unchanged = await client.patch(
        f"/api/v1/directory/people/{person_id}", json={"employee_number": "E99"}, headers=admin
    )
    assert unchanged.status_code == 200, unchanged.text
    mine = [p for p in await published_people(sessions, kommune.tenant_id) if p["person_id"] == person_id]
    assert mine == [
        {"person_id": person_id, "name": "Ny Person", "active": True},
        {"person_id": person_id, "name": "Ny Navn", "active": True},
    ]
