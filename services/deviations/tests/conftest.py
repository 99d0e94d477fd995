from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_deviations
from varde_common.testing.service import service_fixtures
from varde_deviations.app import create_app
from varde_deviations.cases import CaseService
from varde_deviations.config import DeviationsSettings
from varde_deviations.handling import HandlingService
from varde_deviations.measures import MeasureService
from varde_deviations.reporting import ReportingService

MIGRATIONS = Path(varde_deviations.__file__).parent / "migrations"

database, engine, sessions, org, client, token_signer = service_fixtures(
    "deviations", MIGRATIONS, create_app, DeviationsSettings
)


@pytest.fixture
def reporting(sessions: async_sessionmaker[AsyncSession]) -> ReportingService:
    return ReportingService(sessions)


@pytest.fixture
def cases(sessions: async_sessionmaker[AsyncSession]) -> CaseService:
    return CaseService(sessions)


@pytest.fixture
def handling(sessions: async_sessionmaker[AsyncSession]) -> HandlingService:
    return HandlingService(sessions)


@pytest.fixture
def measures(sessions: async_sessionmaker[AsyncSession]) -> MeasureService:
    return MeasureService(sessions)
