"""OpenTelemetry: one trace from the gateway through the service, the outbox, Kafka and the consumer.

Exporters are chosen by the standard ``OTEL_*`` variables; with none set, spans are still made (so trace ids
propagate into logs and events) but not exported. Whatever is exported passes :class:`RedactingSpanExporter`
first: no query string, no exception message, no status text leaves the process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Status
from opentelemetry.util.types import Attributes

from varde_common.redaction import url_without_query

_configured = False

# Attributes the instrumentations (ASGI/FastAPI, SQLAlchemy, httpx; old and new semantic conventions) fill with
# a request's URL: said without the query string, where search words and e-mail addresses travel.
_URL_ATTRIBUTES = frozenset({"http.url", "url.full", "http.target"})
_DROPPED_ATTRIBUTES = frozenset({"url.query"})
# An exception event keeps its class; its message and stack text may quote values (PostgreSQL's DETAIL, pydantic's
# input_value). The log line of the same failure carries the frames, without the values, under the same trace id.
_EXCEPTION_KEPT = frozenset({"exception.type", "exception.escaped"})


def _redacted_attributes(attributes: Attributes) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in (attributes or {}).items():
        if key in _DROPPED_ATTRIBUTES:
            continue
        kept[key] = url_without_query(value) if key in _URL_ATTRIBUTES and isinstance(value, str) else value
    return kept


def _redacted_event(event: Event) -> Event:
    attributes = _redacted_attributes(event.attributes)
    if event.name == "exception":
        attributes = {key: value for key, value in attributes.items() if key in _EXCEPTION_KEPT}
    return Event(event.name, attributes, event.timestamp)


def redacted(span: ReadableSpan) -> ReadableSpan:
    """The span as it may leave the process: URLs without their query, exceptions without their messages, and the
    status without its description (instrumentations put the exception's message there)."""
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=_redacted_attributes(span.attributes),
        events=[_redacted_event(event) for event in span.events],
        links=span.links,
        kind=span.kind,
        status=Status(span.status.status_code),
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingSpanExporter(SpanExporter):
    """Passes spans to the configured exporter with :func:`redacted` applied: one place that every span of every
    instrumentation goes through, so a new instrumentation cannot leak what the others were taught not to."""

    def __init__(self, exporter: SpanExporter) -> None:
        self.exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.exporter.export([redacted(span) for span in spans])

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.exporter.force_flush(timeout_millis)


def _exporter_from_env() -> tuple[SpanExporter, bool] | None:
    exporter = os.environ.get(
        "OTEL_TRACES_EXPORTER", "otlp" if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") else "none"
    )
    if exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(), True
    if exporter == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter(), False
    return None


def setup_tracing(service_name: str) -> TracerProvider:
    """Install the global tracer provider once per process."""
    global _configured
    provider = trace.get_tracer_provider()
    if _configured and isinstance(provider, TracerProvider):
        return provider
    provider = TracerProvider(
        resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
    )
    configured = _exporter_from_env()
    if configured is not None:
        exporter, batch = configured
        safe = RedactingSpanExporter(exporter)
        provider.add_span_processor(BatchSpanProcessor(safe) if batch else SimpleSpanProcessor(safe))
    trace.set_tracer_provider(provider)
    _configured = True
    return provider


def instrument_fastapi(app: Any) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="livez,readyz,metrics")


def instrument_sqlalchemy(engine: Any) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine, enable_commenter=False)
