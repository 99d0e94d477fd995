"""The outbox and the inbox at a million rows: the relay's query (the unsent rows) and the consumers' inbox check
cost what they cost on an empty table, and the retention job's batches keep both bounded.

A database of its own on the stack's PostgreSQL, migrated as deviations' (the service that publishes most),
measured empty (a few unsent rows), then with 1 000 000 sent outbox rows over 440 days and 1 000 000 inbox rows
over 33 days (vacuumed and analysed, as autovacuum would leave them), then after the retention job has deleted
what is past its window. Each query is the service's own statement (``outbox.unpublished``, ``inbox.claim``),
run as the application role through row-level security; the figures are the median and p95 round trip, and
EXPLAIN ANALYZE's execution time and buffers (pages touched, the figure that does not depend on the machine).
The ratios are against the empty table in the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_deviations
from varde_common.inbox import claim
from varde_common.outbox import RELAY_SETTING, unpublished
from varde_common.retention import handled_before, prune, sent_before
from varde_common.settings import ServiceSettings
from varde_common.tenancy import TENANT_SETTING
from varde_common.testing.databases import create_migrated_database

MIGRATIONS = Path(varde_deviations.__file__).parent / "migrations"
ROWS = 1_000_000
SAMPLES = 300
TENANTS = [uuid.uuid4() for _ in range(20)]  # a shared installation: rows of twenty kommuner

SEED_OUTBOX = """
    INSERT INTO outbox (id, tenant_id, topic, key, type, source, subject, time, data, published_at)
    SELECT gen_random_uuid(), ($2::uuid[])[1 + n % 20], 'varde.deviations.deviation', k,
           'no.varde.deviation.reported.v1', '/varde/deviations', k, t,
           jsonb_build_object('deviation_id', k, 'unit_id', k, 'status', 'registered', 'occurred_at', t), t
      FROM generate_series(1, $1) AS n,
           LATERAL (SELECT gen_random_uuid()::text AS k, now() - n * (interval '440 days' / $1) AS t) AS row
"""
SEED_INBOX = """
    INSERT INTO inbox (event_id, tenant_id, event_type, processed_at)
    SELECT gen_random_uuid(), ($2::uuid[])[1 + n % 20], 'no.varde.document.approved.v1',
           now() - n * (interval '33 days' / $1)
      FROM generate_series(1, $1) AS n
"""
WAITING = """
    INSERT INTO outbox (id, tenant_id, topic, key, type, source, time, data)
    SELECT gen_random_uuid(), $1, 'varde.deviations.deviation', n::text, 'no.varde.deviation.reported.v1',
           '/varde/deviations', now(), '{}' FROM generate_series(1, 5) AS n
"""


async def vacuum(admin: asyncpg.Connection) -> None:
    for table in ("outbox", "inbox"):
        await admin.execute(f"VACUUM ANALYZE {table}")


def sql_of(statement: Any) -> str:
    return str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


Statement = Callable[[], Any]
Mode = tuple[str, str]


async def one_round_trip(connection: AsyncConnection, mode: Mode, statement: Statement) -> float:
    """The statement once, in its own transaction rolled back (an inbox claim writes); its round trip in ms."""
    async with connection.begin() as transaction:
        await connection.execute(sa.text("SELECT set_config(:s, :v, true)"), {"s": mode[0], "v": mode[1]})
        started = time.perf_counter()
        (await connection.execute(statement())).all()
        elapsed = (time.perf_counter() - started) * 1000
        await transaction.rollback()
    return elapsed


async def one_explain(connection: AsyncConnection, mode: Mode, statement: Statement) -> dict[str, Any]:
    async with connection.begin() as transaction:
        await connection.execute(sa.text("SELECT set_config(:s, :v, true)"), {"s": mode[0], "v": mode[1]})
        explained: dict[str, Any] = (
            await connection.execute(sa.text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql_of(statement())}"))
        ).scalar_one()[0]
        await transaction.rollback()
    return explained


def summary(durations: list[float], explains: list[dict[str, Any]]) -> dict[str, Any]:
    durations = sorted(durations)
    plan = explains[-1]["Plan"]
    return {
        "p50_ms": round(statistics.median(durations), 3),
        "p95_ms": round(durations[int(len(durations) * 0.95) - 1], 3),
        "explain_execution_ms_p50": round(statistics.median(e["Execution Time"] for e in explains), 4),
        "buffers": plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0),
        "plan": _shape(plan),
    }


def _shape(plan: dict[str, Any]) -> str:
    """The plan as one line: node types, and the index each reads (or finds a conflict through)."""
    here = plan["Node Type"]
    if "Index Name" in plan:
        here += f" on {plan['Index Name']}"
    if plan.get("Conflict Arbiter Indexes"):
        here += f" [conflict through {', '.join(plan['Conflict Arbiter Indexes'])}]"
    children = [_shape(child) for child in plan.get("Plans", [])]
    return here + (f" ({', '.join(children)})" if children else "")


def the_queries(known_event: uuid.UUID) -> dict[str, tuple[Mode, Statement]]:
    tenant: Mode = (TENANT_SETTING, str(TENANTS[0]))
    event_type = "no.varde.document.approved.v1"
    return {
        "relay_unsent_rows": ((RELAY_SETTING, "on"), lambda: unpublished(500)),
        "inbox_check_new_event": (
            tenant,
            lambda: claim(event_id=uuid.uuid4(), tenant_id=TENANTS[0], event_type=event_type),
        ),
        "inbox_check_redelivered_event": (
            tenant,
            lambda: claim(event_id=known_event, tenant_id=TENANTS[0], event_type=event_type),
        ),
    }


async def compare(empty: AsyncConnection, full: AsyncConnection, known_event: uuid.UUID) -> dict[str, dict[str, Any]]:
    """Each query on both databases, sample for sample in turn, so whatever else the machine does falls on both."""
    results: dict[str, dict[str, Any]] = {}
    for name, (mode, statement) in the_queries(known_event).items():
        durations: dict[str, list[float]] = {"empty": [], "full": []}
        explains: dict[str, list[dict[str, Any]]] = {"empty": [], "full": []}
        for _ in range(3):  # warm: plans cached, pages in memory
            for connection in (empty, full):
                await one_round_trip(connection, mode, statement)
        for sample in range(SAMPLES):
            for label, connection in (("empty", empty), ("full", full)):
                durations[label].append(await one_round_trip(connection, mode, statement))
                if sample % 6 == 0:
                    explains[label].append(await one_explain(connection, mode, statement))
        base, measured = summary(durations["empty"], explains["empty"]), summary(durations["full"], explains["full"])
        results[name] = {
            "empty": base,
            "full": measured,
            "p50_ratio": round(measured["p50_ms"] / base["p50_ms"], 2),
            "explain_ratio": round(
                measured["explain_execution_ms_p50"] / max(base["explain_execution_ms_p50"], 0.0001), 2
            ),
        }
    return results


async def measure(admin_url: str) -> dict[str, Any]:
    empty_db = await create_migrated_database(admin_url, "bench_retention_empty", MIGRATIONS)
    full_db = await create_migrated_database(admin_url, "bench_retention_full", MIGRATIONS)
    results: dict[str, Any] = {"rows": ROWS, "samples_per_query": SAMPLES}
    known_event = uuid.uuid4()
    engines = [create_async_engine(db.app_url, pool_size=1) for db in (empty_db, full_db)]
    try:
        for database in (empty_db, full_db):
            admin = await asyncpg.connect(database.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
            try:
                await admin.execute(WAITING, TENANTS[0])
                await admin.execute(
                    "INSERT INTO inbox (event_id, tenant_id, event_type) VALUES ($1, $2, 'x')", known_event, TENANTS[0]
                )
                if database is full_db:
                    started = time.perf_counter()
                    await admin.execute(SEED_OUTBOX, ROWS, TENANTS)
                    await admin.execute(SEED_INBOX, ROWS, TENANTS)
                    results["seed_s"] = round(time.perf_counter() - started, 1)
                await vacuum(admin)
            finally:
                await admin.close()
        async with engines[0].connect() as empty, engines[1].connect() as full:
            results["full_vs_empty"] = await compare(empty, full, known_event)
            results["retention_job"] = await retention_round(full_db.app_url)
            admin = await asyncpg.connect(full_db.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
            try:
                results["rows_after_the_job"] = {
                    "outbox": await admin.fetchval("SELECT count(*) FROM outbox"),
                    "inbox": await admin.fetchval("SELECT count(*) FROM inbox"),
                }
                await vacuum(admin)
            finally:
                await admin.close()
            results["after_the_job_vs_empty"] = {
                name: {k: v for k, v in figures.items() if k != "empty"}
                for name, figures in (await compare(empty, full, known_event)).items()
            }
    finally:
        for engine in engines:
            await engine.dispose()
        for database in (empty_db, full_db):
            await drop(admin_url, database.name)
    return results


async def retention_round(app_url: str) -> dict[str, Any]:
    """The job's first round on a service that never pruned: everything past the windows, in batches."""
    settings = ServiceSettings()
    engine = create_async_engine(app_url, pool_size=2)
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    now = datetime.now(UTC)
    batch = settings.retention_batch_size
    outbox_cutoff = now - timedelta(days=settings.outbox_retention_days)
    inbox_cutoff = now - timedelta(days=settings.inbox_retention_days)
    figures: dict[str, Any] = {"batch": batch}
    try:
        for name, pruning, cutoff, days in (
            ("outbox", sent_before, outbox_cutoff, settings.outbox_retention_days),
            ("inbox", handled_before, inbox_cutoff, settings.inbox_retention_days),
        ):
            started = time.perf_counter()
            deleted = await prune(sessions, name, name, pruning, cutoff, batch)
            seconds = time.perf_counter() - started
            figures[name] = {
                "kept_days": days,
                "rows_deleted": deleted,
                "seconds": round(seconds, 2),
                "ms_per_batch": round(seconds * 1000 / max(1, -(-deleted // batch)), 1),
            }
        started = time.perf_counter()
        again = await prune(sessions, "outbox", "outbox", sent_before, outbox_cutoff, batch)
        figures["next_round_with_nothing_to_do_ms"] = round((time.perf_counter() - started) * 1000, 2)
        assert again == 0
    finally:
        await engine.dispose()
    return figures


async def drop(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def at_scale(admin_url: str) -> dict[str, Any]:
    return asyncio.run(measure(admin_url))
