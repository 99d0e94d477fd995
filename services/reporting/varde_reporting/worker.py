"""Composition of the reporting consumers."""

from varde_common.kafka import EventRouter, create_broker
from varde_common.runtime import Runtime
from varde_reporting import subscribers


def create_worker(runtime: Runtime) -> EventRouter:
    broker = create_broker(runtime.settings, runtime.service)
    events = EventRouter(broker, service=runtime.service, settings=runtime.settings)
    subscribers.register(events, runtime.sessions)
    events.subscribe()
    return events
