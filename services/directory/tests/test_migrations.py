"""A data folder from an older version upgrades: units that existed get their first period of history, and the
kommune settings lose the acceptance matrix (risk owns it) and keep the rest."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import asyncpg

import varde_directory
from varde_common.migrations import upgrade
from varde_common.testing.databases import APP_ROLE, create_migrated_database

MIGRATIONS = Path(varde_directory.__file__).parent / "migrations"


async def test_units_of_every_kommune_get_their_history_when_revision_2_arrives(postgres_admin_url: str) -> None:
    database = await create_migrated_database(postgres_admin_url, "directory", MIGRATIONS, revision="0001")
    admin = await asyncpg.connect(database.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        tenants = [uuid.uuid4(), uuid.uuid4()]
        for index, tenant in enumerate(tenants):
            await admin.execute("INSERT INTO tenant (id, slug, name) VALUES ($1, $2, 'K')", tenant, f"k{index}")
            await admin.execute(
                "INSERT INTO org_unit (id, tenant_id, name, unit_type) VALUES ($1, $2, 'Rot', 'kommune')",
                uuid.uuid4(),
                tenant,
            )
        await asyncio.to_thread(upgrade, MIGRATIONS, database.owner_url, APP_ROLE)
        periods = await admin.fetch("SELECT tenant_id, valid_to FROM org_unit_history")
        forced = await admin.fetchval("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'org_unit'")
    finally:
        await admin.close()
    assert sorted(p["tenant_id"] for p in periods) == sorted(tenants)
    assert all(p["valid_to"] is None for p in periods)
    assert forced  # the wall is back up after the data migration


async def test_the_acceptance_matrix_leaves_the_stored_settings_and_the_rest_stays(postgres_admin_url: str) -> None:
    database = await create_migrated_database(postgres_admin_url, "directory", MIGRATIONS, revision="0004")
    admin = await asyncpg.connect(database.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    stored = {"acknowledge_deadline_hours": 24, "anonymous_reporting": True, "risk_acceptance": [["red"] * 5] * 5}
    try:
        await admin.execute(
            "INSERT INTO tenant (id, slug, name, settings) VALUES ($1, 'eldre', 'Eldre', $2::jsonb)",
            uuid.uuid4(),
            json.dumps(stored),
        )
        await asyncio.to_thread(upgrade, MIGRATIONS, database.owner_url, APP_ROLE)
        settings = json.loads(await admin.fetchval("SELECT settings::text FROM tenant WHERE slug = 'eldre'"))
    finally:
        await admin.close()
    assert settings == {"acknowledge_deadline_hours": 24, "anonymous_reporting": True}
