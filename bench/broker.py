"""What keeping the broker's log outside the broker would cost: Tansu with its log in an S3 store beside it
against Tansu in memory (the stack's default), in the same run.

Two figures for each: the broker's own throughput (records acknowledged per second with ``acks=all``, the relay's
way of sending, and one record at a time), and report-to-notification through a whole stack.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from varde_common.embedded import TansuBroker, free_port
from varde_devstack.object_store import broker_environment
from varde_devstack.stack import OBJECT_STORE_BUCKET, Stack, StackConfig

RECORDS = 5_000
ONE_AT_A_TIME = 300
VALUE = b"x" * 600  # about the size of a DeviationReported event with its headers


async def _throughput(bootstrap: str) -> dict[str, Any]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic("bench.broker", num_partitions=3, replication_factor=1)])
    await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    await producer.start()
    try:
        started = time.perf_counter()
        futures = [await producer.send("bench.broker", key=str(i).encode(), value=VALUE) for i in range(RECORDS)]
        await asyncio.gather(*futures)
        batched_s = time.perf_counter() - started
        latencies = []
        for i in range(ONE_AT_A_TIME):
            sent = time.perf_counter()
            await producer.send_and_wait("bench.broker", key=str(i).encode(), value=VALUE)
            latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        await producer.stop()
    ordered = sorted(latencies)
    return {
        "records_per_s_pipelined": round(RECORDS / batched_s),
        "one_at_a_time_p50_ms": round(statistics.median(latencies), 2),
        "one_at_a_time_p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2),
    }


def _broker_throughput(folder: Path) -> dict[str, Any]:
    memory = TansuBroker(free_port(), log_file=folder / "tansu-memory.log")
    store_port = free_port()
    store = subprocess.Popen(
        [sys.executable, "-m", "varde_devstack.object_store", str(store_port), OBJECT_STORE_BUCKET],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    in_store = TansuBroker(
        free_port(),
        log_file=folder / "tansu-store.log",
        storage_engine=f"s3://{OBJECT_STORE_BUCKET}/",
        environment=broker_environment(store_port),
    )
    try:
        _wait_for_bucket(store_port)
        memory.start()
        in_store.start()
        return {
            "memory": asyncio.run(_throughput(memory.bootstrap)),
            "object_store": asyncio.run(_throughput(in_store.bootstrap)),
        }
    finally:
        memory.stop()
        in_store.stop()
        store.terminate()
        store.wait(10)


def _wait_for_bucket(port: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.head(f"http://127.0.0.1:{port}/{OBJECT_STORE_BUCKET}", timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError("the object store did not start")
        time.sleep(0.1)


def broker_log(stack: Stack, report_to_notification: Callable[[Stack], dict[str, Any]]) -> dict[str, Any]:
    """``stack`` keeps its broker's log in memory (the default); a second stack, started here, in the object store."""
    with tempfile.TemporaryDirectory(prefix="varde-bench-broker-") as folder:
        figures: dict[str, Any] = {"broker_alone": _broker_throughput(Path(folder))}
        in_memory = report_to_notification(stack)
        store_stack = Stack(StackConfig.with_free_ports(Path(folder) / "stack", broker_storage="object-store"))
        store_stack.start()
        try:
            in_store = report_to_notification(store_stack)
        finally:
            store_stack.stop()
    figures["report_to_notification"] = {"memory": in_memory, "object_store": in_store}
    figures["note"] = (
        "memory: Tansu's in-memory engine, the stack's default (a restart republishes the outboxes); "
        "object_store: Tansu's S3 engine on moto's server (varde_devstack.object_store)"
    )
    return figures
