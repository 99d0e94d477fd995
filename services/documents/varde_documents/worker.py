"""Composition of the documents consumers and scheduled jobs."""

from varde_common.kafka import EventRouter, create_broker
from varde_common.runtime import Runtime
from varde_common.scheduler import Scheduler
from varde_documents import subscribers
from varde_documents.config import DocumentsSettings
from varde_documents.jobs import jobs
from varde_documents.reading import ReadingService


def create_worker(runtime: Runtime) -> EventRouter:
    broker = create_broker(runtime.settings, runtime.service)
    events = EventRouter(broker, service=runtime.service, settings=runtime.settings)
    subscribers.register(events, ReadingService(runtime.sessions))
    events.subscribe()
    return events


def create_scheduler(runtime: Runtime) -> Scheduler:
    settings = runtime.settings
    lead_days = settings.revision_lead_days if isinstance(settings, DocumentsSettings) else 30
    return Scheduler(runtime.sessions, jobs(lead_days), interval_s=settings.scheduler_interval_s)
