"""Composition of the deviations consumers and scheduled jobs."""

from varde_common.kafka import EventRouter, create_broker
from varde_common.runtime import Runtime
from varde_common.scheduler import Scheduler
from varde_deviations import subscribers
from varde_deviations.jobs import JOBS


def create_worker(runtime: Runtime) -> EventRouter:
    broker = create_broker(runtime.settings, runtime.service)
    events = EventRouter(broker, service=runtime.service, settings=runtime.settings)
    subscribers.register(events, runtime.sessions)
    events.subscribe()
    return events


def create_scheduler(runtime: Runtime) -> Scheduler:
    return Scheduler(runtime.sessions, JOBS, interval_s=runtime.settings.scheduler_interval_s)
