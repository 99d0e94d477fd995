"""The outbox and the inbox stay bounded: the retention job deletes what is past its window, in every kommune,
never an unsent event, and safely beside another replica doing the same; and the queries that run on every event
(the relay's, the inbox check) and the job's own read through their indexes however many rows the tables hold."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.inbox import claim, inbox_table
from varde_common.outbox import RELAY_SETTING, outbox_table, unpublished
from varde_common.retention import (
    INBOX_AGE_INDEX,
    OUTBOX_SENT_INDEX,
    RETENTION_SETTING,
    handled_before,
    prune,
    retention_jobs,
    sent_before,
)
from varde_common.scheduler import Job, Scheduler, ServiceJob
from varde_common.settings import ServiceSettings
from varde_common.testing.databases import TestDatabase, app_engine
from varde_common.testing.factories import TinyOrg, seed_tiny_org

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def outbox_rows(tenant_id: uuid.UUID, *, sent: datetime | None, n: int = 1) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "tenant_id": tenant_id,
            "topic": "varde.test.thing",
            "key": str(uuid.uuid4()),
            "type": "no.varde.thing.happened.v1",
            "source": "/varde/test",
            "time": sent or NOW - timedelta(days=500),
            "data": {},
            "published_at": sent,
        }
        for _ in range(n)
    ]


async def write(
    sessions: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID, table: sa.Table, rows: list[Any]
) -> None:
    async with tenant_transaction(sessions, tenant_id) as session:
        await session.execute(sa.insert(table), rows)


async def remaining(sessions: async_sessionmaker[AsyncSession]) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    async with sessions() as session, session.begin():
        await session.execute(sa.text(f"SELECT set_config('{RETENTION_SETTING}', 'on', true)"))
        outbox = set((await session.execute(sa.select(outbox_table.c.id))).scalars())
        inbox = set((await session.execute(sa.select(inbox_table.c.event_id))).scalars())
    return outbox, inbox


async def test_the_job_deletes_what_is_past_its_window_in_every_kommune_and_never_an_unsent_event(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    other = await seed_tiny_org(sessions, slug="nabokommune")
    old_sent = [
        *outbox_rows(org.tenant_id, sent=NOW - timedelta(days=401), n=3),
        *outbox_rows(other.tenant_id, sent=NOW - timedelta(days=500), n=2),
    ]
    recent_sent = outbox_rows(org.tenant_id, sent=NOW - timedelta(days=399))
    never_sent = outbox_rows(other.tenant_id, sent=None)  # the broker has been away for 500 days: it waits
    for tenant in (org.tenant_id, other.tenant_id):
        await write(
            sessions,
            tenant,
            outbox_table,
            [r for r in [*old_sent, *recent_sent, *never_sent] if r["tenant_id"] == tenant],
        )
    old_handled = [
        {"event_id": uuid.uuid4(), "tenant_id": t, "event_type": "x", "processed_at": NOW - timedelta(days=31)}
        for t in (org.tenant_id, other.tenant_id)
    ]
    recent_handled = [
        {
            "event_id": uuid.uuid4(),
            "tenant_id": org.tenant_id,
            "event_type": "x",
            "processed_at": NOW - timedelta(days=29),
        }
    ]
    for row in [*old_handled, *recent_handled]:
        await write(sessions, row["tenant_id"], inbox_table, [row])

    # Batches of two: the job goes on until none is left, whatever the batch size.
    settings = ServiceSettings(retention_batch_size=2)
    scheduler = Scheduler(sessions, [], interval_s=60).with_service_jobs(retention_jobs(settings, clock=lambda: NOW))
    done = await scheduler.run_once()

    assert done == {"retention.outbox": 5, "retention.inbox": 2}
    outbox, inbox = await remaining(sessions)
    assert outbox == {r["id"] for r in [*recent_sent, *never_sent]}
    assert inbox == {r["event_id"] for r in recent_handled}
    # Not due again until its interval has passed.
    assert await scheduler.run_once() == {}


def test_an_inbox_kept_shorter_than_a_redelivery_can_come_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 14"):
        retention_jobs(ServiceSettings(inbox_retention_days=13))


@pytest.fixture
async def committed(database: TestDatabase) -> AsyncIterator[AsyncEngine]:
    """Real commits, as two replicas see each other's (the rolled-back sessions are one connection)."""
    engine = app_engine(database)
    yield engine
    await engine.dispose()


async def test_two_replicas_pruning_at_once_delete_each_row_once_and_fail_nothing(committed: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    sessions = async_sessionmaker(committed, class_=AsyncSession, expire_on_commit=False)
    rows = outbox_rows(tenant, sent=NOW - timedelta(days=500), n=40)
    await write(sessions, tenant, outbox_table, rows)
    cutoff = NOW - timedelta(days=400)

    deleted = await asyncio.gather(*(prune(sessions, "outbox", "outbox", sent_before, cutoff, 3) for _ in range(2)))

    # Whichever replica found the lock taken stopped; the rest of the rows go in a later round.
    deleted_later = await prune(sessions, "outbox", "outbox", sent_before, cutoff, 3)
    assert sum(deleted) + deleted_later == 40
    async with tenant_transaction(sessions, tenant) as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(outbox_table))).scalar_one() == 0


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in plan_nodes(child))]


async def plan_of(session: AsyncSession, statement: Any) -> list[dict[str, Any]]:
    sql = statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    explained = (await session.execute(sa.text(f"EXPLAIN (FORMAT JSON) {sql}"))).scalar_one()
    return plan_nodes(explained[0]["Plan"])


INDEX_READS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


def indexes_read(nodes: list[dict[str, Any]]) -> set[str]:
    """The indexes the plan reads; and it reads no table from start to end."""
    assert not any(n["Node Type"] == "Seq Scan" for n in nodes), nodes
    return {n["Index Name"] for n in nodes if n["Node Type"] in INDEX_READS}


async def test_the_relay_the_inbox_check_and_the_job_read_through_their_indexes_on_a_large_table(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    # 60 000 rows sent over 13 months and a few waiting: enough for the planner to weigh an index against a scan.
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.text(
                """
                INSERT INTO outbox (id, tenant_id, topic, key, type, source, time, data, published_at)
                SELECT gen_random_uuid(), :tenant, 'varde.test.thing', n::text, 'no.varde.thing.happened.v1',
                       '/varde/test', t, '{}', CASE WHEN n % 10000 = 0 THEN NULL ELSE t END
                  FROM generate_series(1, 60000) AS n, LATERAL (SELECT now() - n * interval '10 minutes' AS t) AS at
                """
            ),
            {"tenant": org.tenant_id},
        )
        await session.execute(
            sa.text(
                """
                INSERT INTO inbox (event_id, tenant_id, event_type, processed_at)
                SELECT gen_random_uuid(), :tenant, 'x', now() - n * interval '1 minute' FROM generate_series(1, 60000) n
                """
            ),
            {"tenant": org.tenant_id},
        )
        await session.execute(sa.text("ANALYZE outbox"))
        await session.execute(sa.text("ANALYZE inbox"))
        inbox_check = await plan_of(session, claim(event_id=uuid.uuid4(), tenant_id=org.tenant_id, event_type="x"))
    async with sessions() as session, session.begin():
        await session.execute(sa.text(f"SELECT set_config('{RELAY_SETTING}', 'on', true)"))
        relay = await plan_of(session, unpublished(500))
    async with sessions() as session, session.begin():
        await session.execute(sa.text(f"SELECT set_config('{RETENTION_SETTING}', 'on', true)"))
        cutoff = datetime.now(UTC) - timedelta(days=30)
        outbox_job = await plan_of(session, sent_before(cutoff, 5000))
        inbox_job = await plan_of(session, handled_before(cutoff, 5000))

    # Only the rows waiting are in the relay's partial index: six entries, not sixty thousand.
    assert indexes_read(relay) == {"ix_outbox_unpublished"}
    # The conflict is found through the primary key: no read of the table at all.
    assert inbox_check[0]["Node Type"] == "ModifyTable"
    assert inbox_check[0]["Conflict Arbiter Indexes"] == ["inbox_pkey"]
    assert OUTBOX_SENT_INDEX in indexes_read(outbox_job)
    assert INBOX_AGE_INDEX in indexes_read(inbox_job)


async def test_housekeeping_that_fails_leaves_the_deadline_jobs_to_run(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    async def broken(_: async_sessionmaker[AsyncSession]) -> int:
        raise RuntimeError("disk full")

    async def deadline(session: AsyncSession, tenant_id: uuid.UUID) -> int:
        return 1 if tenant_id == org.tenant_id else 0

    scheduler = Scheduler(sessions, [Job("deadlines", deadline)], interval_s=60).with_service_jobs(
        [ServiceJob("retention.outbox", broken, every_s=3600)]
    )
    assert (await scheduler.run_once())["deadlines"] == 1
