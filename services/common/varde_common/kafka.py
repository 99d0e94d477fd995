"""Kafka, the Varde way: producers with ``acks=all``; consumers that commit after the effect is stored,
retry a failing event a bounded number of times with spaced delays, and then send it to the dead-letter topic
so the partition never stops and never spins.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, RequestTimedOutError
from aiokafka.structs import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLScram256, SASLScram512
from opentelemetry import propagate, trace

from varde_common.db import outage_problem
from varde_common.envelope import Envelope, MalformedEventError, decode, payload_as
from varde_common.events.base import Event, owner_of, source_of
from varde_common.metrics import EVENTS_DEAD_LETTERED, EVENTS_HANDLED, EVENTS_REFUSED, EVENTS_RETRIED
from varde_common.redaction import describe_error
from varde_common.settings import ServiceSettings

log = logging.getLogger("varde.kafka")
tracer = trace.get_tracer("varde.kafka")
# The least spacing of retries while the database is away (so that no setting makes a consumer spin on it).
OUTAGE_RETRY_MIN_S = 0.1
# How long one batch waits for the database to come back before it is handed back to the broker (nacked, so it
# comes again from the last committed offset; the inbox skips what was handled). Kafka evicts a consumer that does
# not poll within max.poll.interval.ms (300 s): waiting longer in one batch would move its partitions to another
# replica, stuck the same way, and rebalance the group over and over for as long as the outage lasts.
OUTAGE_HOLD_S = 120.0

EventHandler = Callable[[Envelope], Awaitable[None]]
E = TypeVar("E", bound=Event)
TypedHandler = Callable[[Envelope, E], Awaitable[None]]

DLQ_REASON_HEADER = "varde_dlq_reason"
DLQ_ORIGIN_HEADER = "varde_dlq_origin"

METADATA_MAX_AGE_MS = 5_000
"""How often every client reads the cluster's metadata again (aiokafka's default is five minutes). A consumer
group rebalances when a subscribed topic's partition count changes, so a partition that appears is read within
this time, not after five minutes, or never if the process stops first."""

# What aiokafka and FastStream log on every retry while the broker is away (each client, each connection attempt,
# each metadata refresh, each heartbeat): with six consumers, about 60 lines a second.
_BROKER_AWAY_MESSAGES = (
    "Unable connect to",
    "Unable to request metadata",
    "Unable to update metadata",
    "Failed fetch messages from",
    "Failed fetch offsets from",
    "Heartbeat send request failed",
    "Group Coordinator Request failed",
    "Error connecting to node",
    "Heartbeat session expired",
)
# What also follows from a broker that went away, but can happen without an outage (a coordinator that moved):
# dropped while the broker is away, logged otherwise.
_WHILE_AWAY_MESSAGES = ("Marking the coordinator dead", "Error sending", "Heartbeat failed")
_BROKER_AWAY_ERRORS = (KafkaConnectionError, NodeNotReadyError, RequestTimedOutError, KafkaTimeoutError, OSError)


class BrokerOutage(logging.Filter):
    """One line when the broker goes away and one when it is back, instead of every client's every retry.

    Installed as a filter on the process's log handlers: a record that says the broker cannot be reached marks
    the broker away (the first such record becomes the one line "broker unreachable") and is dropped; the relay
    and the worker say when a request succeeds again (:meth:`back`), which is the second line.
    """

    def __init__(self) -> None:
        super().__init__()
        self.away_since: float | None = None
        self.quieted = 0

    @property
    def away(self) -> bool:
        return self.away_since is not None

    def lost(self, error: str) -> None:
        if self.away_since is not None:
            self.quieted += 1
            return
        self.away_since = time.monotonic()
        self.quieted = 0
        log.warning("broker unreachable; retrying quietly until it is back", extra={"error": error[:300]})

    def back(self) -> None:
        if self.away_since is None:
            return
        away_s, self.away_since = time.monotonic() - self.away_since, None
        log.info("broker reachable again", extra={"away_s": round(away_s, 1), "retry_lines_quieted": self.quieted})

    def filter(self, record: logging.LogRecord) -> bool:
        from_a_client = record.name.startswith("aiokafka") or record.name.endswith("faststream")
        if record.levelno < logging.WARNING or not from_a_client:
            return True
        if _says_broker_away(record):
            self.lost(record.getMessage())
            return False
        if self.away and isinstance(record.msg, str) and record.msg.startswith(_WHILE_AWAY_MESSAGES):
            self.quieted += 1
            return False
        return True


def _says_broker_away(record: logging.LogRecord) -> bool:
    # FastStream's "Kafka error occurred" counts only with a connection error attached (the second rule).
    if isinstance(record.msg, str) and record.msg.startswith(_BROKER_AWAY_MESSAGES):
        return True
    errors = [record.exc_info[1] if record.exc_info else None, *(record.args if isinstance(record.args, tuple) else ())]
    return any(isinstance(error, _BROKER_AWAY_ERRORS) for error in errors)


broker_outage = BrokerOutage()
"""The process's one view of its broker (a process talks to one broker)."""


def consumer_group(service: str) -> str:
    return f"varde.{service}"


def dead_letter_topic(service: str) -> str:
    return f"varde.dlq.{service}"


def client_security(settings: ServiceSettings) -> BaseSecurity | None:
    """TLS and SASL for the broker, from the settings: the one place every client gets them (FastStream's broker
    takes this object, the bare aiokafka clients the keywords :func:`client_options` makes of it)."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return None
    # Verifies the broker's certificate and host name, against the given CA (Strimzi's cluster CA) or the system's.
    context = ssl.create_default_context(cafile=settings.kafka_ssl_ca_file)
    if settings.kafka_security_protocol == "SSL":
        return BaseSecurity(ssl_context=context)
    scram = SASLScram512 if settings.kafka_sasl_mechanism == "SCRAM-SHA-512" else SASLScram256
    password = settings.read_kafka_sasl_password().get_secret_value()
    return scram(username=settings.kafka_sasl_username, password=password, ssl_context=context)


def client_options(settings: ServiceSettings) -> dict[str, Any]:
    """The keywords an aiokafka client (producer, admin) takes for :func:`client_security`; empty for PLAINTEXT."""
    return parse_security(client_security(settings))


def create_producer(settings: ServiceSettings, client_id: str = "varde") -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **client_options(settings),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=settings.kafka_enable_idempotence,
        request_timeout_ms=settings.kafka_request_timeout_ms,
        metadata_max_age_ms=METADATA_MAX_AGE_MS,
        linger_ms=0,
    )


def create_broker(settings: ServiceSettings, service: str) -> KafkaBroker:
    from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware

    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        security=client_security(settings),
        client_id=f"varde-{service}",
        acks="all",
        enable_idempotence=settings.kafka_enable_idempotence,
        request_timeout_ms=settings.kafka_consumer_request_timeout_ms,
        metadata_max_age_ms=METADATA_MAX_AGE_MS,
        allow_auto_create_topics=False,
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=trace.get_tracer_provider())],
        logger=logging.getLogger(f"varde.{service}.faststream"),
        log_level=logging.DEBUG,
    )


class EventRouter:
    """Routes a service's incoming CloudEvents by type to handlers.

    Policy, stated once for every subscriber: offsets are committed only after the handler returns (or after
    the event is safely on the dead-letter topic); a failing event is retried with the configured delays and
    then dead-lettered; a malformed one is dead-lettered at once. Unknown types on a subscribed topic are
    skipped: a topic carries several event types and a consumer takes the ones it needs.

    An event is applied only when it arrives on its owner's topic with its owner's ``ce_source`` (the event
    catalogue knows both); anything else is refused before its payload is read: not applied, counted, logged once
    and dead-lettered with the reason (docs/architecture.md, "Who may write which topic").

    Records come in batches: each is handled on its own (its own transaction and inbox entry, its own span under
    the producer's trace), in partition order, and the offsets are committed once for the batch. Committing
    and dispatching per record cost more than the effect itself (measured: a third of the notifications
    worker's time under load). If the batch fails half-way it is delivered again and the inbox skips the
    records already handled.
    """

    def __init__(self, broker: KafkaBroker, *, service: str, settings: ServiceSettings) -> None:
        self.broker = broker
        self.service = service
        self.settings = settings
        self.handlers: dict[str, EventHandler] = {}
        self.event_classes: dict[str, type[Event]] = {}
        self.topics: set[str] = set()
        self.dead_lettered = 0
        self.outage_hold_s = OUTAGE_HOLD_S
        self.refused = 0

    def on(self, event_class: type[E]) -> Callable[[TypedHandler[E]], TypedHandler[E]]:
        """Register the handler of one event class: it is given the envelope and the payload parsed as that
        class (a payload that does not parse goes to the dead-letter topic)."""

        def register(handler: TypedHandler[E]) -> TypedHandler[E]:
            async def typed(envelope: Envelope) -> None:
                await handler(envelope, payload_as(envelope, event_class))

            self._register(event_class.type, event_class.topic)(typed)
            self.event_classes[event_class.type] = event_class
            return handler

        return register

    def _register(self, event_type: str, topic: str) -> Callable[[EventHandler], EventHandler]:
        def register(handler: EventHandler) -> EventHandler:
            if event_type in self.handlers:
                raise ValueError(f"{event_type} already has a handler in {self.service}")
            self.handlers[event_type] = handler
            self.topics.add(topic)
            return handler

        return register

    def subscribe(self, **overrides: Any) -> None:
        """Create the one subscriber of this service's consumer group over every topic it handles."""
        options: dict[str, Any] = {
            "group_id": consumer_group(self.service),
            "ack_policy": AckPolicy.NACK_ON_ERROR,
            "auto_offset_reset": "earliest",
            "fetch_max_wait_ms": self.settings.kafka_fetch_max_wait_ms,
            "batch": True,
            "max_records": 100,
            # When a poll returns nothing FastStream also sleeps this long before the next one.
            "batch_timeout_ms": self.settings.kafka_consumer_idle_wait_ms,
            "title": f"{self.service}-events",
            "description": f"Events consumed by {self.service} (consumer group {consumer_group(self.service)}).",
        }
        options.update(overrides)
        self.broker.subscriber(*sorted(self.topics), **options)(self._on_message)

    async def _on_message(self, message: KafkaMessage) -> None:
        records: tuple[ConsumerRecord[bytes, bytes], ...] = message.raw_message
        for record in records:
            await self.process(record)

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        try:
            envelope = decode(record.headers or (), record.value)
        except MalformedEventError as exc:
            await self._dead_letter(record, f"malformed: {exc}", logged="malformed")
            return
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return
        refusal = provenance_refusal(self.event_classes[envelope.type], topic=record.topic, source=envelope.source)
        if refusal is not None:
            await self._refuse(record, envelope, refusal)
            return
        parent = propagate.extract({"traceparent": envelope.traceparent} if envelope.traceparent else {})
        with tracer.start_as_current_span(
            f"{record.topic} process",
            context=parent,
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.system": "kafka", "messaging.destination.name": record.topic},
        ):
            await self._handle(record, envelope, handler)

    async def _handle(self, record: ConsumerRecord[bytes, bytes], envelope: Envelope, handler: EventHandler) -> None:
        retry_delays = self.settings.consumer_retry_delays_s
        # While the database is away the event is not at fault: it is tried again at the longest spacing for as long
        # as that lasts, and these tries do not count toward the dead-letter topic (a 10 s outage outlasted them).
        outage_delay = max([*retry_delays, OUTAGE_RETRY_MIN_S])
        retries = 0
        outage_since: float | None = None
        while True:
            try:
                await handler(envelope)
                EVENTS_HANDLED.labels(self.service, envelope.type).inc()
                return
            except MalformedEventError as exc:
                await self._dead_letter(record, f"malformed: {exc}", logged="malformed")
                return
            except Exception as exc:  # any failure is retried, then dead-lettered; the consumer goes on
                EVENTS_RETRIED.labels(self.service, envelope.type).inc()
                log.warning(
                    "event handler failed",
                    extra={
                        "event_type": envelope.type,
                        "event_id": str(envelope.id),
                        "attempt": retries + 1,
                        "error": describe_error(exc),
                    },
                )
                if outage_problem(exc) is not None:
                    now = time.monotonic()
                    outage_since = now if outage_since is None else outage_since
                    if now - outage_since >= self.outage_hold_s:
                        raise  # the batch goes back to the broker and comes again; the consumer stays in its group
                    await asyncio.sleep(outage_delay)
                    continue
                if retries == len(retry_delays):
                    await self._dead_letter(
                        record,
                        f"failed after {retries + 1} attempts: {type(exc).__name__}: {exc}",
                        logged=f"failed after {retries + 1} attempts: {describe_error(exc)}",
                    )
                    return
                await asyncio.sleep(retry_delays[retries])
                retries += 1

    async def _refuse(self, record: ConsumerRecord[bytes, bytes], envelope: Envelope, refusal: str) -> None:
        event_class = self.event_classes[envelope.type]
        origin = await self._publish_dead_letter(record, f"refused: {REFUSAL_REASONS[refusal]}")
        self.refused += 1
        EVENTS_REFUSED.labels(self.service, envelope.type, refusal).inc()
        # The record's own source and data are whatever the writer chose: they stay on the dead-letter topic and
        # out of the log. What is logged is ours: the catalogued type, where it came in, what was expected.
        log.warning(
            "event refused: not from its owner; sent to the dead-letter topic",
            extra={
                "event_type": envelope.type,
                "refusal": refusal,
                "origin": origin,
                "expected_topic": event_class.topic,
                "expected_source": source_of(owner_of(event_class)),
                "topic": dead_letter_topic(self.service),
            },
        )

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], reason: str, *, logged: str) -> None:
        """``reason`` goes with the record to the dead-letter topic, beside the payload it may quote; the log gets
        ``logged``, which names the cause without the values an error message can carry."""
        origin = await self._publish_dead_letter(record, reason)
        log.error(
            "event sent to the dead-letter topic",
            extra={"topic": dead_letter_topic(self.service), "origin": origin, "reason": logged},
        )

    async def _publish_dead_letter(self, record: ConsumerRecord[bytes, bytes], reason: str) -> str:
        """Put the record on this service's dead-letter topic with why and where from; return where from."""
        origin = f"{record.topic}/{record.partition}/{record.offset}"
        headers = {key: value.decode(errors="replace") for key, value in (record.headers or ())}
        headers[DLQ_REASON_HEADER] = reason[:1000]
        headers[DLQ_ORIGIN_HEADER] = origin
        # If this publish fails the handler raises, the offset is not committed, and the event comes again.
        await self.broker.publish(
            record.value or b"", topic=dead_letter_topic(self.service), key=record.key, headers=headers
        )
        self.dead_lettered += 1
        EVENTS_DEAD_LETTERED.labels(self.service).inc()
        return origin


WRONG_TOPIC = "wrong_topic"
WRONG_SOURCE = "wrong_source"
REFUSAL_REASONS = {
    WRONG_TOPIC: "not on its owner's topic",
    WRONG_SOURCE: "ce_source is not its owner's",
}


def provenance_refusal(event_class: type[Event], *, topic: str, source: str) -> str | None:
    """Why an event of ``event_class`` read from ``topic`` with ``source`` must not be applied, or None.

    Only the owning service writes its topics (ACLs in production), so the topic is what really vouches for an
    event; the source must agree with it, so a process allowed to write one topic cannot pass off another
    service's event there. Neither helps against a writer on the owner's own topic: docs/architecture.md."""
    if topic != event_class.topic:
        return WRONG_TOPIC
    if source != source_of(owner_of(event_class)):
        return WRONG_SOURCE
    return None
