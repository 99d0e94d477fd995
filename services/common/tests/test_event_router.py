"""The consumer policy: bounded, spaced retries, then the dead-letter topic; the partition goes on."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage

from varde_common.envelope import Envelope, encode_data, encode_headers
from varde_common.events import DeviationReported
from varde_common.kafka import DLQ_REASON_HEADER, EventRouter
from varde_common.settings import ServiceSettings

NOW = datetime.now(UTC)


def message() -> tuple[bytes, dict[str, str]]:
    event = DeviationReported(
        deviation_id=uuid.uuid4(), unit_id=uuid.uuid4(), status="registered", occurred_at=NOW, reported_at=NOW
    )
    headers = encode_headers(
        event_id=uuid.uuid4(),
        event_type=event.type,
        source="/test",
        time=NOW,
        tenant_id=uuid.uuid4(),
        subject=None,
        traceparent=None,
    )
    return encode_data(event), {k: v.decode() for k, v in headers}


def router_with(
    handler_failures: int, delays: list[float], failure: Exception | None = None
) -> tuple[KafkaBroker, EventRouter, list[float], list[dict[str, str]]]:
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="test", settings=ServiceSettings(consumer_retry_delays_s=delays))
    attempts: list[float] = []
    dead: list[dict[str, str]] = []

    @router.on(DeviationReported)
    async def handle(envelope: Envelope, event: DeviationReported) -> None:
        attempts.append(time.monotonic())
        if len(attempts) <= handler_failures:
            raise failure or RuntimeError("handler failed")

    router.subscribe()

    @broker.subscriber("varde.dlq.test")
    async def on_dead(message: KafkaMessage) -> None:
        dead.append(dict(message.headers))

    return broker, router, attempts, dead


async def test_a_transient_failure_is_retried_with_spacing_and_succeeds() -> None:
    broker, _, attempts, dead = router_with(handler_failures=2, delays=[0.05, 0.1])
    body, headers = message()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(body, topic=DeviationReported.topic, headers=headers)
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.05
    assert attempts[2] - attempts[1] >= 0.1
    assert dead == []


async def test_a_persistent_failure_is_dead_lettered_after_the_retries() -> None:
    broker, router, attempts, dead = router_with(handler_failures=99, delays=[0.01, 0.01])
    body, headers = message()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(body, topic=DeviationReported.topic, headers=headers)
        await test_broker.publish(b"{}", topic=DeviationReported.topic, headers={"ce_id": "x"})
    assert len(attempts) == 3
    assert len(dead) == 2
    assert "failed after 3 attempts" in dead[0][DLQ_REASON_HEADER]
    assert "malformed" in dead[1][DLQ_REASON_HEADER]
    assert router.dead_lettered == 2


async def test_an_event_is_not_dead_lettered_while_the_database_is_away() -> None:
    # Six refused connections outlast the three attempts a failing event gets; the database's absence is not the
    # event's fault, so it waits for it and is handled when it comes back.
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
    broker, router, attempts, dead = router_with(handler_failures=6, delays=[0.01, 0.01], failure=refused)
    body, headers = message()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(body, topic=DeviationReported.topic, headers=headers)
    assert len(attempts) == 7
    assert dead == []
    assert router.dead_lettered == 0


async def test_a_typed_handler_gets_the_payload_parsed_and_a_payload_of_another_shape_is_dead_lettered() -> None:
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="test", settings=ServiceSettings(consumer_retry_delays_s=[0.01]))
    received: list[DeviationReported] = []
    dead: list[dict[str, str]] = []

    @router.on(DeviationReported)
    async def handle(envelope: Envelope, event: DeviationReported) -> None:
        received.append(event)

    router.subscribe()

    @broker.subscriber("varde.dlq.test")
    async def on_dead(message: KafkaMessage) -> None:
        dead.append(dict(message.headers))

    body, headers = message()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(body, topic=DeviationReported.topic, headers=headers)
        await test_broker.publish(b'{"deviation_id": "not an id"}', topic=DeviationReported.topic, headers=headers)
    assert [type(e) for e in received] == [DeviationReported]
    assert received[0].status == "registered"
    assert len(dead) == 1
    assert "malformed" in dead[0][DLQ_REASON_HEADER]
    assert router.event_classes == {DeviationReported.type: DeviationReported}
