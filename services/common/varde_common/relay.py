"""The outbox relay: publishes committed outbox rows to Kafka, in order, and marks them sent.

One relay per service publishes at a time (a PostgreSQL advisory lock), so one aggregate's events keep their
order even with several replicas. It wakes on NOTIFY from the outbox trigger and polls as a fallback, and it
survives a broker that is down for minutes: unpublished rows simply wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import orjson
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy.ext.asyncio import AsyncEngine

from varde_common.database_url import asyncpg_dsn
from varde_common.envelope import encode_headers
from varde_common.kafka import broker_outage, create_producer
from varde_common.metrics import OUTBOX_PENDING, OUTBOX_PUBLISHED
from varde_common.outbox import OUTBOX_CHANNEL, RELAY_SETTING, outbox_table, unpublished
from varde_common.redaction import CheckFailed, describe_error
from varde_common.settings import ServiceSettings

log = logging.getLogger("varde.relay")

_MAX_BACKOFF_S = 10.0


class OutboxRelay:
    def __init__(
        self,
        *,
        service: str,
        engine: AsyncEngine,
        settings: ServiceSettings,
        producer_factory: Callable[[], AIOKafkaProducer] | None = None,
    ) -> None:
        self.service = service
        self.engine = engine
        self.settings = settings
        self._producer_factory = producer_factory or (lambda: create_producer(settings))
        self._producer: AIOKafkaProducer | None = None
        # The readiness probe and the publishing loop both open the producer: one of them opens it, once.
        self._opening = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.broker_connected = False
        self.published_total = 0
        self._lock_key = zlib.crc32(f"varde-outbox-relay:{service}".encode())

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Run until stopped: hold the relay lock, listen for new rows, publish them."""
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                await self._run_as_leader()
                backoff = 0.5
            except Exception as exc:  # the relay outlives database restarts and anything else: it retries
                log.warning("relay interrupted; retrying", extra={"error": describe_error(exc)})
                await self._sleep(backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_S)
        await self._close_producer()

    async def _run_as_leader(self) -> None:
        connection = await asyncpg.connect(asyncpg_dsn(self.settings.database_url))
        try:
            while not self._stopping.is_set():
                if await connection.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_key):
                    break
                await self._sleep(self.settings.relay_poll_interval_s * 5)
            if self._stopping.is_set():
                return
            await connection.add_listener(OUTBOX_CHANNEL, self._on_notify)
            log.info("relay is publishing", extra={"relay_service": self.service})
            while not self._stopping.is_set():
                # The lock lives as long as this connection: if it has died, another relay may lead by now.
                await connection.execute("SELECT 1")
                published = await self.publish_pending()
                if published < self.settings.relay_batch_size:
                    self._wake.clear()
                    await self._sleep(self.settings.relay_poll_interval_s, wakeable=True)
        finally:
            await connection.close(timeout=2)

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def _sleep(self, seconds: float, *, wakeable: bool = False) -> None:
        waiter: Awaitable[Any] = self._wake.wait() if wakeable else self._stopping.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter, timeout=seconds)

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; return how many were published (0 while the broker is down)."""
        async with self.engine.connect() as connection:
            async with connection.begin():
                await connection.execute(sa.text(f"SELECT set_config('{RELAY_SETTING}', 'on', true)"))
                rows = (await connection.execute(unpublished(self.settings.relay_batch_size))).all()
            OUTBOX_PENDING.labels(self.service).set(len(rows))
            if not rows:
                return 0
            sent = await self._send(rows)
            if sent:
                async with connection.begin():
                    await connection.execute(sa.text(f"SELECT set_config('{RELAY_SETTING}', 'on', true)"))
                    await connection.execute(
                        sa.update(outbox_table).where(outbox_table.c.seq.in_(sent)).values(published_at=sa.func.now())
                    )
        self.published_total += len(sent)
        OUTBOX_PUBLISHED.labels(self.service).inc(len(sent))
        return len(sent) if len(sent) == len(rows) else 0

    async def _send(self, rows: Sequence[sa.Row[Any]]) -> list[int]:
        """Send rows; return the sequence numbers the broker acknowledged.

        Only acknowledged rows are marked, so a broker that fails half-way through a batch makes the relay resend
        the rest and never the part that is already on the topic.
        """
        try:
            producer = await self._ensure_producer()
            futures = [
                await producer.send(
                    row.topic,
                    key=row.key.encode(),
                    value=orjson.dumps(row.data),
                    headers=encode_headers(
                        event_id=row.id,
                        event_type=row.type,
                        source=row.source,
                        time=row.time,
                        tenant_id=row.tenant_id,
                        subject=row.subject,
                        traceparent=row.traceparent,
                    ),
                )
                for row in rows
            ]
        except (KafkaError, OSError, TimeoutError) as exc:
            futures = []
            failure: BaseException | None = exc
        else:
            failure = None
        results = await asyncio.gather(*futures, return_exceptions=True)
        sent = [row.seq for row, result in zip(rows, results, strict=False) if not isinstance(result, BaseException)]
        failure = failure or next((r for r in results if isinstance(r, BaseException)), None)
        if sent:
            broker_outage.back()
        if failure is not None:
            # One line while the broker is away (varde_common.kafka.BrokerOutage), not one per retry.
            broker_outage.lost(f"{len(rows) - len(sent)} events wait in the outbox: {failure!r}")
            await self._close_producer()
            await self._sleep(min(2.0, self.settings.relay_poll_interval_s * 2))
        return sent

    async def broker_check(self, timeout_s: float = 2.0) -> dict[str, Any]:
        """Readiness: the broker answers this relay's producer (the one it publishes with, opened if need be)."""
        try:
            producer = await asyncio.wait_for(self._ensure_producer(), timeout=timeout_s)
            await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout=timeout_s)
        except (KafkaError, OSError, TimeoutError) as exc:
            raise CheckFailed(f"broker not reachable: {describe_error(exc)}") from exc
        return {"ok": True}

    async def _ensure_producer(self) -> AIOKafkaProducer:
        async with self._opening:
            if self._producer is None:
                producer = self._producer_factory()
                try:
                    await producer.start()
                except BaseException:
                    await producer.stop()
                    raise
                self._producer = producer
                self.broker_connected = True
            return self._producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        self.broker_connected = False
        if producer is not None:
            try:
                await asyncio.wait_for(producer.stop(), timeout=5)
            except (KafkaError, OSError, TimeoutError):
                log.debug("producer did not stop cleanly")
