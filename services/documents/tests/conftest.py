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
from varde_documents.reading import on_document_approved
from varde_documents.service import DocumentService

MIGRATIONS = Path(varde_documents.__file__).parent / "migrations"

database, engine, sessions, org, client = service_fixtures("documents", MIGRATIONS, create_app, DocumentsSettings)


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> DocumentService:
    return DocumentService(sessions)


@pytest.fixture
def worker(sessions: async_sessionmaker[AsyncSession]) -> Callable[[TinyOrg], Awaitable[None]]:
    """The documents worker, as Kafka would drive it: every approval in the kommune's outbox is delivered (again:
    the inbox makes a second delivery a no-op), with the event id the relay would publish it under."""
    handle = on_document_approved(sessions)

    async def deliver(org: TinyOrg) -> None:
        async with tenant_transaction(sessions, org.tenant_id) as session:
            rows = (
                await session.execute(
                    sa.select(outbox_table)
                    .where(outbox_table.c.type == DocumentApproved.type)
                    .order_by(outbox_table.c.seq)
                )
            ).all()
        for row in rows:
            await handle(
                Envelope(
                    id=row.id,
                    type=row.type,
                    source=row.source,
                    time=row.time,
                    tenant_id=row.tenant_id,
                    subject=row.subject,
                    data=row.data,
                )
            )

    return deliver
