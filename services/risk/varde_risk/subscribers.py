"""Event adapters of risk: the local copy of the directory (kommuner, units, people, leaders), and the deviations
and documents a risk may link to."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import register_directory_replica
from varde_common.envelope import Envelope
from varde_common.events import CATALOGUE, DeviationEvent, DocumentEvent, ReadingConfirmed, ReadingRequested
from varde_common.kafka import EventRouter
from varde_risk.links import remember_deviation, remember_document

# A reader's request or confirmation says nothing about the document itself, and there are thousands of them.
_NOT_ABOUT_THE_DOCUMENT = (ReadingRequested, ReadingConfirmed)


def register(router: EventRouter, sessions: async_sessionmaker[AsyncSession]) -> None:
    register_directory_replica(router, sessions)

    async def on_deviation(envelope: Envelope, event: DeviationEvent) -> None:
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await remember_deviation(session, envelope.tenant_id, event, envelope.time)

    async def on_document(envelope: Envelope, event: DocumentEvent) -> None:
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await remember_document(session, envelope.tenant_id, event, envelope.time)

    for event_class in sorted(CATALOGUE.values(), key=lambda c: c.type):
        if issubclass(event_class, DeviationEvent):
            router.on(event_class)(on_deviation)
        elif issubclass(event_class, DocumentEvent) and not issubclass(event_class, _NOT_ABOUT_THE_DOCUMENT):
            router.on(event_class)(on_document)
