"""The outbox replay after a broker lost its log: what was published within the inbox window goes again, no more."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy.ext.asyncio import create_async_engine

from varde_common.outbox import OUTBOX_TABLE, outbox_table
from varde_devstack.replay import republish_outboxes


async def _database_with_outbox(admin_url: str) -> str:
    admin_url = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    name = f"replay_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    async with engine.begin() as transaction:
        await transaction.run_sync(outbox_table.metadata.create_all)
    await engine.dispose()
    return url


def _event(published_at: datetime | None) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "tenant_id": uuid.uuid4(),
        "topic": "varde.deviations.deviation",
        "key": "k",
        "type": "no.varde.deviation.reported.v1",
        "source": "/varde/deviations",
        "time": datetime.now(UTC),
        "data": {},
        "published_at": published_at,
    }


async def test_only_events_published_within_the_inbox_window_are_published_again(postgres_admin_url: str) -> None:
    url = await _database_with_outbox(postgres_admin_url)
    now = datetime.now(UTC)
    recent = [_event(now - timedelta(minutes=5)), _event(now - timedelta(days=29))]
    old = _event(now - timedelta(days=31))  # its inbox row may be pruned: sent again, it would be applied twice
    unsent = _event(None)
    connection = await asyncpg.connect(url)
    try:
        for event in [*recent, old, unsent]:
            columns = ", ".join(event)
            placeholders = ", ".join(f"${i}" for i in range(1, len(event) + 1))
            values = [str(v) if k == "data" else v for k, v in event.items()]
            await connection.execute(f"INSERT INTO {OUTBOX_TABLE} ({columns}) VALUES ({placeholders})", *values)  # noqa: S608 - names we wrote

        replayed = await republish_outboxes({"one": url}, window_days=30)

        rows = await connection.fetch(f"SELECT id, published_at FROM {OUTBOX_TABLE}")  # noqa: S608 - a constant
    finally:
        await connection.close()
    unpublished = {row["id"] for row in rows if row["published_at"] is None}
    assert replayed == 2
    assert unpublished == {recent[0]["id"], recent[1]["id"], unsent["id"]}
