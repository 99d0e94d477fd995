from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

import varde_notifications
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer
from varde_common.testing.service import service_fixtures
from varde_notifications.app import create_app
from varde_notifications.config import NotificationsSettings
from varde_notifications.service import NotificationService

MIGRATIONS = Path(varde_notifications.__file__).parent / "migrations"

database, engine, sessions, org, client, token_signer = service_fixtures(
    "notifications", MIGRATIONS, create_app, NotificationsSettings
)


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> NotificationService:
    return NotificationService(sessions)


Inbox = Callable[..., Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def inbox(client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg) -> Inbox:
    """What a person of ``org`` finds in their inbox (the first page of 100), in the målform they ask for."""

    async def read(person: uuid.UUID, language: str | None = None, **params: Any) -> list[dict[str, Any]]:
        headers = bearer(token_signer, org, person) | ({"accept-language": language} if language else {})
        response = await client.get("/api/v1/notifications", params={"limit": 100, **params}, headers=headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    return read
