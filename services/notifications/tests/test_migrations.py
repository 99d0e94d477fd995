"""Notifications stored before the texts came in both målformer are kept, in every kommune, through the
migration that changed how a notification is stored (row-level security applies to the migration too)."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import asyncpg

import varde_notifications
from varde_common.migrations import upgrade
from varde_common.testing.databases import APP_ROLE, create_migrated_database

MIGRATIONS = Path(varde_notifications.__file__).parent / "migrations"


async def test_notifications_stored_as_text_keep_their_words(postgres_admin_url: str) -> None:
    database = await create_migrated_database(postgres_admin_url, "notifications_0003", MIGRATIONS, revision="0003")
    tenants = [uuid.uuid4(), uuid.uuid4()]
    admin = await asyncpg.connect(database.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        for tenant in tenants:
            await admin.execute(
                "INSERT INTO notification (id, tenant_id, recipient_id, kind, title, body, subject_type, subject_id,"
                " source_event_id, created_at) VALUES ($1, $2, $3, 'deviation.closed', 'Avviket ditt er lukket',"
                " 'Avviket du meldte er behandlet og lukket.', 'deviation', $4, $5, now())",
                uuid.uuid4(),
                tenant,
                uuid.uuid4(),
                uuid.uuid4(),
                uuid.uuid4(),
            )
        await asyncio.to_thread(upgrade, MIGRATIONS, database.owner_url, APP_ROLE)
        rows = await admin.fetch("SELECT tenant_id, text_key, text_params FROM notification ORDER BY tenant_id")
    finally:
        await admin.close()
    assert sorted(row["tenant_id"] for row in rows) == sorted(tenants)
    for row in rows:
        assert row["text_key"] == "stored"
        assert json.loads(row["text_params"]) == {
            "title": "Avviket ditt er lukket",
            "body": "Avviket du meldte er behandlet og lukket.",
        }
