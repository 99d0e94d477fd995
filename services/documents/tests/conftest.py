from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_documents
from varde_common.testing.service import service_fixtures
from varde_documents.app import create_app
from varde_documents.config import DocumentsSettings
from varde_documents.service import DocumentService

MIGRATIONS = Path(varde_documents.__file__).parent / "migrations"

database, engine, sessions, org, client = service_fixtures("documents", MIGRATIONS, create_app, DocumentsSettings)


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> DocumentService:
    return DocumentService(sessions)
