from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_deviations
from varde_common.testing.service import service_fixtures
from varde_deviations.app import create_app
from varde_deviations.config import DeviationsSettings
from varde_deviations.service import DeviationService

MIGRATIONS = Path(varde_deviations.__file__).parent / "migrations"

database, engine, sessions, org, client = service_fixtures("deviations", MIGRATIONS, create_app, DeviationsSettings)


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> DeviationService:
    return DeviationService(sessions)
