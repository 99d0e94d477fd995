"""Event adapters of risk: the local copy of the directory (kommuner, units, leaders), and the deviations and
documents a risk may link to."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import register_directory_replica
from varde_common.envelope import Envelope, payload_as
from varde_common.events import CATALOGUE, DeviationEvent, DocumentEvent, Event, ReadingConfirmed, ReadingRequested
from varde_common.kafka import EventRouter
from varde_risk.links import remember_deviation, remember_document

# A reader's request or confirmation says nothing about the document itself, and there are thousands of them.
_NOT_ABOUT_THE_DOCUMENT = (ReadingRequested, ReadingConfirmed)

Remember = Callable[[AsyncSession, Any, Any, datetime], Awaitable[None]]


def _remembering(
    sessions: async_sessionmaker[AsyncSession], event_class: type[Event], remember: Remember
) -> Callable[[Envelope], Awaitable[None]]:
    async def handle(envelope: Envelope) -> None:
        event = payload_as(envelope, event_class)
        async with tenant_transaction(sessions, envelope.tenant_id) as session:
            await remember(session, envelope.tenant_id, event, envelope.time)

    return handle


def register(router: EventRouter, sessions: async_sessionmaker[AsyncSession]) -> None:
    register_directory_replica(router, sessions)
    for event_type, event_class in sorted(CATALOGUE.items()):
        if issubclass(event_class, DeviationEvent):
            router.on(event_type, event_class.topic)(_remembering(sessions, event_class, remember_deviation))
        elif issubclass(event_class, DocumentEvent) and not issubclass(event_class, _NOT_ABOUT_THE_DOCUMENT):
            router.on(event_type, event_class.topic)(_remembering(sessions, event_class, remember_document))
