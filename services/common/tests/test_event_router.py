"""The consumer policy: bounded, spaced retries, then the dead-letter topic; the partition goes on."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from prometheus_client import REGISTRY

from varde_common.envelope import Envelope, encode_data, encode_headers
from varde_common.events import DeviationReported, PersonChanged, RoleAssignmentChanged
from varde_common.kafka import DLQ_ORIGIN_HEADER, DLQ_REASON_HEADER, EventRouter
from varde_common.roles import Role
from varde_common.settings import ServiceSettings

NOW = datetime.now(UTC)


def message() -> tuple[bytes, dict[str, str]]:
    event = DeviationReported(
        deviation_id=uuid.uuid4(), unit_id=uuid.uuid4(), status="registered", occurred_at=NOW, reported_at=NOW
    )
    headers = encode_headers(
        event_id=uuid.uuid4(),
        event_type=event.type,
        source="/varde/deviations",
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


async def test_a_batch_is_handed_back_to_the_broker_when_the_database_stays_away_long() -> None:
    # Waiting on in one batch beyond Kafka's max.poll.interval.ms would get the consumer evicted from its group:
    # after the hold the failure goes up, the batch is not committed and comes again, nothing is dead-lettered.
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
    _, router, attempts, dead = router_with(handler_failures=99, delays=[0.01], failure=refused)
    router.outage_hold_s = 0.05
    body, headers = message()
    record = ConsumerRecord(
        topic=DeviationReported.topic,
        partition=0,
        offset=7,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=body,
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=len(body),
        headers=[(k, v.encode()) for k, v in headers.items()],
    )
    with pytest.raises(ConnectionRefusedError):
        await router.process(record)
    assert len(attempts) >= 2
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


def role_given(source: str) -> tuple[RoleAssignmentChanged, bytes, dict[str, str]]:
    event = RoleAssignmentChanged(
        assignment_id=uuid.uuid4(), person_id=uuid.uuid4(), unit_id=uuid.uuid4(), role=Role.KVALITETSRADGIVER
    )
    headers = encode_headers(
        event_id=uuid.uuid4(),
        event_type=event.type,
        source=source,
        time=NOW,
        tenant_id=uuid.uuid4(),
        subject=event.key(),
        traceparent=None,
    )
    return event, encode_data(event), {k: v.decode() for k, v in headers}


async def test_an_event_from_anywhere_but_its_owners_topic_and_source_is_refused_counted_and_dead_lettered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="test", settings=ServiceSettings(consumer_retry_delays_s=[0.01]))
    applied: list[uuid.UUID] = []
    dead: list[dict[str, str]] = []

    @router.on(RoleAssignmentChanged)
    async def handle(envelope: Envelope, event: RoleAssignmentChanged) -> None:
        applied.append(event.assignment_id)

    router.on(PersonChanged)(lambda envelope, event: asyncio.sleep(0))
    router.subscribe()

    @broker.subscriber("varde.dlq.test")
    async def on_dead(message: KafkaMessage) -> None:
        dead.append(dict(message.headers))

    def refused(reason: str) -> float:
        return (
            REGISTRY.get_sample_value(
                "varde_events_refused_total", {"service": "test", "type": RoleAssignmentChanged.type, "reason": reason}
            )
            or 0.0
        )

    before = refused("wrong_topic"), refused("wrong_source")
    forger = "/varde/directory?fnr=01017012345"
    on_wrong_topic = role_given("/varde/directory")
    with_wrong_source = role_given(forger)
    genuine = role_given("/varde/directory")
    async with TestKafkaBroker(broker) as test_broker:
        # A topic this consumer reads, but not the one the directory owns for role assignments.
        await test_broker.publish(on_wrong_topic[1], topic=PersonChanged.topic, headers=on_wrong_topic[2])
        await test_broker.publish(with_wrong_source[1], topic=RoleAssignmentChanged.topic, headers=with_wrong_source[2])
        await test_broker.publish(genuine[1], topic=RoleAssignmentChanged.topic, headers=genuine[2])

    assert applied == [genuine[0].assignment_id]
    assert [d[DLQ_REASON_HEADER] for d in dead] == [
        "refused: not on its owner's topic",
        "refused: ce_source is not its owner's",
    ]
    assert dead[0][DLQ_ORIGIN_HEADER].startswith(f"{PersonChanged.topic}/")
    assert router.refused == 2
    assert (refused("wrong_topic"), refused("wrong_source")) == (before[0] + 1, before[1] + 1)
    lines = [r for r in caplog.records if r.name == "varde.kafka"]
    assert [r.getMessage() for r in lines] == ["event refused: not from its owner; sent to the dead-letter topic"] * 2
    # The forger's header is not repeated in the log: what it says is whatever they wrote.
    assert all(forger not in str(vars(r)) for r in lines)
    assert lines[1].__dict__["expected_source"] == "/varde/directory"
