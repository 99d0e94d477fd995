"""OpenTelemetry: one trace from the gateway through the service, the outbox, Kafka and the consumer.

Exporters are chosen by the standard ``OTEL_*`` variables; with none set, spans are still made (so trace ids
propagate into logs and events) but not exported.
"""

from __future__ import annotations

import os
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

_configured = False


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
        provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _configured = True
    return provider


def instrument_fastapi(app: Any) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="livez,readyz,metrics")


def instrument_sqlalchemy(engine: Any) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine, enable_commenter=False)
