"""Composition of the risk consumers and scheduled jobs."""

from varde_common.kafka import EventRouter, create_broker
from varde_common.runtime import Runtime
from varde_common.scheduler import Scheduler
from varde_risk import subscribers
from varde_risk.config import review_lead_days
from varde_risk.jobs import jobs


def create_worker(runtime: Runtime) -> EventRouter:
    broker = create_broker(runtime.settings, runtime.service)
    events = EventRouter(broker, service=runtime.service, settings=runtime.settings)
    subscribers.register(events, runtime.sessions)
    events.subscribe()
    return events


def create_scheduler(runtime: Runtime) -> Scheduler:
    lead_days = review_lead_days(runtime.settings)
    return Scheduler(runtime.sessions, jobs(lead_days), interval_s=runtime.settings.scheduler_interval_s)
