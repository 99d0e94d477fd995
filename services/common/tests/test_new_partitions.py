"""A consumer reads a partition that appears after it joined: the incident where a restarted broker made a topic
with four partitions, the consumers went on with the three they had, and every event on the fourth was lost."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from varde_common.embedded import TansuBroker, free_port
from varde_common.envelope import Envelope, encode_data, encode_headers
from varde_common.events import DeviationReported
from varde_common.events.base import owner_of, source_of
from varde_common.kafka import EventRouter, create_broker
from varde_common.settings import ServiceSettings

TOPIC = DeviationReported.topic


def event() -> tuple[bytes, list[tuple[str, bytes]], uuid.UUID]:
    now = datetime.now(UTC)
    payload = DeviationReported(
        deviation_id=uuid.uuid4(), unit_id=uuid.uuid4(), status="registered", occurred_at=now, reported_at=now
    )
    event_id = uuid.uuid4()
    headers = encode_headers(
        event_id=event_id,
        event_type=payload.type,
        source=source_of(owner_of(DeviationReported)),
        time=now,
        tenant_id=uuid.uuid4(),
        subject=None,
        traceparent=None,
    )
    return encode_data(payload), headers, event_id


async def send(bootstrap: str, partition: int) -> uuid.UUID:
    value, headers, event_id = event()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(TOPIC, value=value, headers=headers, partition=partition)
    finally:
        await producer.stop()
    return event_id


async def wait_for(seen: set[uuid.UUID], event_id: uuid.UUID, timeout_s: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while event_id not in seen:
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_a_partition_that_appears_after_the_consumer_joined_is_read(tmp_path: Path) -> None:
    broker_process = TansuBroker(free_port(), log_file=tmp_path / "tansu.log")
    broker_process.start()
    try:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker_process.bootstrap)
        await admin.start()
        await admin.create_topics([NewTopic(TOPIC, num_partitions=1, replication_factor=1)])
        await admin.close()

        settings = ServiceSettings(kafka_bootstrap_servers=broker_process.bootstrap, kafka_enable_idempotence=False)
        broker = create_broker(settings, "partitions-test")
        router = EventRouter(broker, service="partitions-test", settings=settings)
        seen: set[uuid.UUID] = set()

        @router.on(DeviationReported)
        async def handle(envelope: Envelope, _: DeviationReported) -> None:
            seen.add(envelope.id)

        router.subscribe()
        await broker.start()
        try:
            assert await wait_for(seen, await send(broker_process.bootstrap, 0), timeout_s=60)

            # The in-memory broker restarted empty; the first client to ask for the topic makes it with Tansu's
            # default of four partitions.
            broker_process.stop()
            broker_process.start()
            on_a_new_partition = await send(broker_process.bootstrap, 3)

            assert await wait_for(seen, on_a_new_partition, timeout_s=90)
        finally:
            await broker.stop()
    finally:
        broker_process.stop()
