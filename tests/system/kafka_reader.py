"""An outside reader of Varde's topics: plain aiokafka, no consumer group, from the beginning."""

from __future__ import annotations

import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord

from tests.system.blocking import run_blocking


async def read_until(
    bootstrap: str, topic: str, done: Callable[[list[ConsumerRecord[bytes, bytes]]], bool], timeout_s: float = 20
) -> list[ConsumerRecord[bytes, bytes]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
            if done(records):
                return records
        raise AssertionError(f"{topic}: condition not met after {timeout_s}s ({len(records)} records read)")
    finally:
        await consumer.stop()


def read_topic(
    bootstrap: str, topic: str, done: Callable[[list[ConsumerRecord[bytes, bytes]]], bool], timeout_s: float = 20
) -> list[ConsumerRecord[bytes, bytes]]:
    return run_blocking(read_until(bootstrap, topic, done, timeout_s))


def publish(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]]) -> None:
    async def run() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        await producer.start()
        try:
            for key, value, headers in messages:
                await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        finally:
            await producer.stop()

    run_blocking(run())
