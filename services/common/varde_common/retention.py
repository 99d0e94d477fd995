"""Keeping the outbox and the inbox bounded: a housekeeping job in every service's worker role deletes, in small
batches, the outbox rows sent longer ago than ``outbox_retention_days`` and the inbox rows older than
``inbox_retention_days``. An unsent outbox row is never deleted, however old.

The outbox is the event log a replay reads, so it keeps a year and a month of sent events (an annual report and
its month of corrections); beyond that the service's own tables (the cases and their history) are the record, and a
replay further back republishes from them. The inbox only has to outlive every way an event can be delivered again:
see :data:`REDELIVERY_WINDOW`. The reasoning, and partitioning weighed against this, is in docs/decisions.md.

Several replicas may run the job: each batch is a transaction that takes a transaction-level advisory lock on the
table's job (the others skip that round) and deletes rows it locks ``FOR UPDATE SKIP LOCKED``. It reads every
kommune's rows in one named mode (``varde.retention``) that the policies of the two tables open to it, and nothing
else.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import wall_clock_utc
from varde_common.inbox import INBOX_TABLE, inbox_table
from varde_common.outbox import OUTBOX_TABLE, RELAY_SETTING, outbox_table
from varde_common.scheduler import Scheduler, ServiceJob
from varde_common.settings import ServiceSettings
from varde_common.tenancy import enable_tenant_rls

log = logging.getLogger("varde.retention")

RETENTION_SETTING = "varde.retention"
OUTBOX_SENT_INDEX = "ix_outbox_published_at"
INBOX_AGE_INDEX = "ix_inbox_processed_at"

BROKER_RETENTION = timedelta(days=7)
"""How long the broker keeps an event of a topic that is not compacted: Kafka's ``retention.ms`` default, which
``varde_common.topics`` does not override (nor do Strimzi's KafkaTopic resources)."""
SEGMENT_ROLL = timedelta(days=7)
"""Kafka deletes whole log segments, and the active one rolls only after ``segment.ms`` (7 days by default): an
event may stay readable this much beyond its retention."""
REDELIVERY_WINDOW = BROKER_RETENTION + SEGMENT_ROLL
"""The longest an event can come again after it was handled: a consumer group whose offsets were lost (a group
away longer than ``offsets.retention.minutes``, 7 days) starts from the earliest offset and reads again what the
broker still has. Every other redelivery (a batch that failed half-way, a rebalance, the relay sending again when
its mark failed) comes within minutes. Compacted topics keep their latest events for ever, but what consumes them
(the directory copy) is idempotent by its ``changed_at``, not by the inbox."""


def _mode(setting: str) -> str:
    return f"current_setting('{setting}', true) = 'on'"


def bound_outbox_and_inbox(*, inbox: bool) -> None:
    """Migration step: the indexes the retention job reads by age, and its mode opened on the two tables."""
    op.create_index(
        OUTBOX_SENT_INDEX, OUTBOX_TABLE, ["published_at"], postgresql_where=sa.text("published_at IS NOT NULL")
    )
    enable_tenant_rls(OUTBOX_TABLE, also_when=f"{_mode(RELAY_SETTING)} OR {_mode(RETENTION_SETTING)}")
    if inbox:
        op.create_index(INBOX_AGE_INDEX, INBOX_TABLE, ["processed_at"])
        enable_tenant_rls(INBOX_TABLE, also_when=_mode(RETENTION_SETTING))


def sent_before(cutoff: datetime, batch: int) -> sa.Delete:
    """One batch of outbox rows sent before ``cutoff``, oldest first (through ``ix_outbox_published_at``)."""
    doomed = (
        sa.select(outbox_table.c.seq)
        .where(outbox_table.c.published_at < cutoff)
        .order_by(outbox_table.c.published_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    return sa.delete(outbox_table).where(outbox_table.c.seq.in_(doomed.scalar_subquery()))


def handled_before(cutoff: datetime, batch: int) -> sa.Delete:
    """One batch of inbox rows handled before ``cutoff``, oldest first (through ``ix_inbox_processed_at``)."""
    doomed = (
        sa.select(inbox_table.c.event_id)
        .where(inbox_table.c.processed_at < cutoff)
        .order_by(inbox_table.c.processed_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    return sa.delete(inbox_table).where(inbox_table.c.event_id.in_(doomed.scalar_subquery()))


Pruning = Callable[[datetime, int], sa.Delete]


async def prune(
    sessions: async_sessionmaker[AsyncSession], name: str, table: str, pruning: Pruning, cutoff: datetime, batch: int
) -> int:
    """Delete batch after batch until none is left older than ``cutoff``; return how many rows went. Each batch is
    its own short transaction, so the relay and the consumers wait on no long lock."""
    lock_key = zlib.crc32(f"varde-retention:{name}".encode())
    deleted = 0
    while True:
        async with sessions() as session, session.begin():
            if not (await session.execute(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table})).scalar():
                return deleted  # the directory consumes nothing and has no inbox
            if not (await session.execute(sa.select(sa.func.pg_try_advisory_xact_lock(lock_key)))).scalar_one():
                return deleted  # another replica prunes this table right now
            await session.execute(sa.text(f"SELECT set_config('{RETENTION_SETTING}', 'on', true)"))
            result: Any = await session.execute(pruning(cutoff, batch))
            count = int(result.rowcount)
        deleted += count
        if count < batch:
            return deleted


def retention_jobs(settings: ServiceSettings, clock: Callable[[], datetime] = wall_clock_utc) -> list[ServiceJob]:
    """The two housekeeping jobs of a service, from its settings."""
    outbox_keep = timedelta(days=settings.outbox_retention_days)
    inbox_keep = timedelta(days=settings.inbox_retention_days)
    if inbox_keep < REDELIVERY_WINDOW:
        raise ValueError(
            f"inbox_retention_days must be at least {REDELIVERY_WINDOW.days}: an event redelivered after its id was "
            "pruned would be handled twice"
        )
    batch = settings.retention_batch_size

    def job(name: str, table: str, pruning: Pruning, keep: timedelta) -> Callable[..., Awaitable[int]]:
        async def run(sessions: async_sessionmaker[AsyncSession]) -> int:
            deleted = await prune(sessions, name, table, pruning, clock() - keep, batch)
            if deleted:
                log.info("old rows deleted", extra={"table": table, "rows": deleted, "kept_days": keep.days})
            return deleted

        return run

    return [
        ServiceJob(
            "retention.outbox", job("outbox", OUTBOX_TABLE, sent_before, outbox_keep), settings.retention_interval_s
        ),
        ServiceJob(
            "retention.inbox", job("inbox", INBOX_TABLE, handled_before, inbox_keep), settings.retention_interval_s
        ),
    ]


def with_retention(
    scheduler: Scheduler | None, sessions: async_sessionmaker[AsyncSession], settings: ServiceSettings
) -> Scheduler:
    """The service's scheduler (an empty one if it has no jobs of its own) with the retention jobs added."""
    base = scheduler or Scheduler(sessions, [], interval_s=settings.scheduler_interval_s)
    return base.with_service_jobs(retention_jobs(settings))
