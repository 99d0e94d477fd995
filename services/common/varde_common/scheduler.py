"""Scheduled jobs that are safe with several replicas running (deadlines, revision dates).

A job runs every ``interval_s`` for each kommune, in that kommune's own transaction (row-level security holds as
for a request). Which kommuner exist is read from the directory replica in one explicit, named mode
(``varde.scheduler``), the same way the outbox relay reads every kommune's events: the policy opens
``replica_tenant`` to that mode and nothing else. Replicas may run the same job at the same time: a transaction-
level advisory lock per (job, kommune) lets one of them do a kommune's round while the others skip it, and the
job itself selects its rows ``FOR UPDATE SKIP LOCKED`` and changes each so it is not due again.

A :class:`ServiceJob` is housekeeping over the service's whole database (retention of the outbox and the inbox):
it runs once per round when its own, longer interval has passed, not per kommune, and takes its own lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import replica_tenant
from varde_common.redaction import describe_error
from varde_common.tenancy import enable_tenant_rls

log = logging.getLogger("varde.scheduler")

SCHEDULER_SETTING = "varde.scheduler"

TenantJob = Callable[[AsyncSession, uuid.UUID], Awaitable[int]]
"""One round of a job for one kommune, inside its transaction; returns how many things it did."""


def open_tenant_list_to_scheduler() -> None:
    """Migration step: the scheduler may list the kommuner of the replica (ids, names, settings; no case data)."""
    enable_tenant_rls("replica_tenant", also_when=f"current_setting('{SCHEDULER_SETTING}', true) = 'on'")


async def known_tenants(sessions: async_sessionmaker[AsyncSession]) -> list[uuid.UUID]:
    async with sessions() as session, session.begin():
        await session.execute(sa.text(f"SELECT set_config('{SCHEDULER_SETTING}', 'on', true)"))
        return list((await session.execute(sa.select(replica_tenant.c.tenant_id))).scalars())


def not_yet_told(model: type[SQLModel], due: Any, told_for: Any, until: date, *where: Any, batch: int = 200) -> Any:
    """A round's rows of ``model``: ``due`` on or before ``until`` and not yet told for that date (``told_for``
    holds the date they last were), locked for this round so another replica's round skips them. The job sets
    ``told_for = due``; a new date makes the row due again."""
    return (
        select(model)
        .where(*where, due.is_not(None), due <= until, sa.or_(told_for.is_(None), told_for != due))
        .order_by(due)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )


@dataclass(frozen=True)
class Job:
    name: str
    run: TenantJob


ServiceJobRun = Callable[[async_sessionmaker[AsyncSession]], Awaitable[int]]
"""One run of a housekeeping job: it opens its own transactions (and takes its own locks); returns what it did."""


@dataclass(frozen=True)
class ServiceJob:
    name: str
    run: ServiceJobRun
    every_s: float


class Scheduler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        jobs: list[Job],
        interval_s: float,
        service_jobs: Sequence[ServiceJob] = (),
    ) -> None:
        self.sessions = sessions
        self.jobs = jobs
        self.interval_s = interval_s
        self.service_jobs = list(service_jobs)
        self._last_run: dict[str, float] = {}
        self._stopping = asyncio.Event()

    def with_service_jobs(self, service_jobs: Sequence[ServiceJob]) -> Scheduler:
        return Scheduler(self.sessions, self.jobs, self.interval_s, [*self.service_jobs, *service_jobs])

    async def run_once(self) -> dict[str, int]:
        """One round of every job over every kommune, and of the housekeeping that is due; returns what each did."""
        done = {job.name: 0 for job in self.jobs}
        now = time.monotonic()
        for service_job in self.service_jobs:
            last = self._last_run.get(service_job.name)
            if last is None or now - last >= service_job.every_s:
                self._last_run[service_job.name] = now
                try:
                    done[service_job.name] = await service_job.run(self.sessions)
                except Exception as exc:  # housekeeping that fails waits for its next interval; deadlines go on
                    log.warning(
                        "housekeeping job failed",
                        extra={"job": service_job.name, "error": type(exc).__name__},  # no statement, no values
                    )
        if not self.jobs:
            return done  # the directory lists no kommuner in a replica, and needs none for housekeeping
        for tenant_id in await known_tenants(self.sessions):
            for job in self.jobs:
                lock_key = zlib.crc32(f"{job.name}:{tenant_id}".encode())
                async with tenant_transaction(self.sessions, tenant_id) as session:
                    got_lock = (
                        await session.execute(sa.select(sa.func.pg_try_advisory_xact_lock(lock_key)))
                    ).scalar_one()
                    if not got_lock:
                        continue  # another replica is doing this kommune's round right now
                    done[job.name] += await job.run(session, tenant_id)
        return done

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                done = await self.run_once()
                if any(done.values()):
                    log.info("scheduled jobs ran", extra={"done": done})
            except Exception as exc:  # a failed round is logged and tried again next interval
                log.warning("scheduled round failed", extra={"error": describe_error(exc)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.interval_s)

    async def stop(self) -> None:
        self._stopping.set()
