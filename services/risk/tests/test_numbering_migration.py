"""Assessments made before they had numbers get them in the order they were made, per kommune: the owner that runs
the migration sees past row-level security for that one statement, and no further."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

import varde_risk
from varde_common.migrations import upgrade
from varde_common.testing.databases import APP_ROLE, create_migrated_database

MIGRATIONS = Path(varde_risk.__file__).parent / "migrations"


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_existing_assessments_are_numbered_per_kommune_in_the_order_they_were_made(
    postgres_admin_url: str,
) -> None:
    database = await create_migrated_database(postgres_admin_url, "risk_numbering", MIGRATIONS, revision="0005")
    first, second = uuid.uuid4(), uuid.uuid4()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    made = [(first, 2), (second, 0), (first, 0), (first, 1), (second, 1)]  # (kommune, day it was made)
    ids = [uuid.uuid4() for _ in made]
    admin = await asyncpg.connect(_plain(database.admin_url))
    try:
        for assessment_id, (tenant, day) in zip(ids, made, strict=True):
            at = start + timedelta(days=day)
            await admin.execute(
                "INSERT INTO risk_assessment (id, tenant_id, title, kind, scope_kind, unit_id, owner_id, status, "
                "created_by, created_at, updated_at) "
                "VALUES ($1, $2, 'ROS', 'hms', 'unit', $3, $3, 'active', $3, $4, $4)",
                assessment_id, tenant, uuid.uuid4(), at,
            )  # fmt: skip
        await asyncio.to_thread(upgrade, MIGRATIONS, database.owner_url, APP_ROLE, "head")
        numbers = {row["id"]: row["number"] for row in await admin.fetch("SELECT id, number FROM risk_assessment")}
        forced = await admin.fetchval("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'risk_assessment'")
    finally:
        await admin.close()
    assert [numbers[i] for i in ids] == [3, 1, 1, 2, 2]
    assert forced is True
