"""Prometheus metrics of the delivery machinery. Labels carry service and event type, never personal data."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

OUTBOX_PUBLISHED = Counter("varde_outbox_published_total", "Outbox events published to Kafka", ["service"])
OUTBOX_PENDING = Gauge("varde_outbox_pending", "Outbox events waiting to be published (last batch read)", ["service"])
EVENTS_HANDLED = Counter("varde_events_handled_total", "Events whose handler succeeded", ["service", "type"])
EVENTS_RETRIED = Counter("varde_events_retried_total", "Failed handler attempts that were retried", ["service", "type"])
EVENTS_DEAD_LETTERED = Counter("varde_events_dead_lettered_total", "Events sent to the dead-letter topic", ["service"])
# ``type`` is a catalogued type this service handles and ``reason`` one of two words: both bounded, whatever a forger
# writes in the headers.
EVENTS_REFUSED = Counter(
    "varde_events_refused_total",
    "Events refused because they did not come from their owner's topic and source",
    ["service", "type", "reason"],
)
