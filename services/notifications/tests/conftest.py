from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_notifications
from varde_common.testing.service import service_fixtures
from varde_notifications.app import create_app
from varde_notifications.config import NotificationsSettings
from varde_notifications.service import NotificationService

MIGRATIONS = Path(varde_notifications.__file__).parent / "migrations"

database, engine, sessions, org, client = service_fixtures(
    "notifications", MIGRATIONS, create_app, NotificationsSettings
)


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> NotificationService:
    return NotificationService(sessions)
