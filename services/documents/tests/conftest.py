from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_documents
from varde_common.db import tenant_transaction
from varde_common.envelope import Envelope
from varde_common.events import DocumentApproved
from varde_common.outbox import outbox_table
from varde_common.testing.factories import TinyOrg
from varde_common.testing.service import service_fixtures
from varde_documents.app import create_app
from varde_documents.config import DocumentsSettings
from varde_documents.coverage import CoverageService
from varde_documents.documents import DocumentService
from varde_documents.reading import ReadingService
from varde_documents.revision import RevisionService
from varde_documents.versions import VersionService

MIGRATIONS = Path(varde_documents.__file__).parent / "migrations"

database, engine, sessions, org, client, token_signer = service_fixtures(
    "documents", MIGRATIONS, create_app, DocumentsSettings
)


@pytest.fixture
def documents(sessions: async_sessionmaker[AsyncSession]) -> DocumentService:
    return DocumentService(sessions)


@pytest.fixture
def versions(sessions: async_sessionmaker[AsyncSession]) -> VersionService:
    return VersionService(sessions)


@pytest.fixture
def revision(sessions: async_sessionmaker[AsyncSession]) -> RevisionService:
    return RevisionService(sessions)


@pytest.fixture
def reading(sessions: async_sessionmaker[AsyncSession]) -> ReadingService:
    return ReadingService(sessions)


@pytest.fixture
def coverage(sessions: async_sessionmaker[AsyncSession]) -> CoverageService:
    return CoverageService(sessions)


Worker = Callable[[TinyOrg], Awaitable[None]]


@pytest.fixture
def worker(reading: ReadingService) -> Worker:
    """The documents worker, as Kafka would drive it: every approval in the kommune's outbox is delivered (again:
    the inbox makes a second delivery a no-op), with the event id the relay would publish it under."""

    async def deliver(org: TinyOrg) -> None:
        async with tenant_transaction(reading.sessions, org.tenant_id) as session:
            rows = (
                await session.execute(
                    sa.select(outbox_table)
                    .where(outbox_table.c.type == DocumentApproved.type)
                    .order_by(outbox_table.c.seq)
                )
            ).all()
        for row in rows:
            envelope = Envelope(
                id=row.id,
                type=row.type,
                source=row.source,
                time=row.time,
                tenant_id=row.tenant_id,
                subject=row.subject,
                data=row.data,
            )
            await reading.ask_audience(envelope, DocumentApproved.model_validate(row.data))

    return deliver
