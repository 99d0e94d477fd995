"""Many concurrent requests, alternating kommuner, over a small pool, some failing mid-transaction: nobody sees
another kommune's rows, and no connection goes back to the pool with a kommune set."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from varde_common import db
from varde_common.db import create_engine, create_session_factory
from varde_common.http import Probes
from varde_common.identity import InternalTokenSigner
from varde_common.runtime import Runtime
from varde_common.testing.databases import TestDatabase
from varde_common.testing.factories import TinyOrg, seed_tiny_org
from varde_deviations.app import create_app
from varde_deviations.config import DeviationsSettings

POOL_SIZE = 3


@pytest.fixture
async def small_pool(database: TestDatabase) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database.app_url, pool_size=POOL_SIZE, max_overflow=0)
    yield engine
    await engine.dispose()


def headers(signer: InternalTokenSigner, org: TinyOrg, person: uuid.UUID) -> dict[str, str]:
    token = signer.for_person(
        to="deviations", tenant_id=org.tenant_id, tenant_slug="t", person_id=person, not_after=2_000_000_000
    )
    return {"authorization": f"Bearer {token}"}


async def test_alternating_kommuner_over_a_small_pool_never_leak(
    small_pool: AsyncEngine, database: TestDatabase, internal_public_key: str, token_signer: InternalTokenSigner
) -> None:
    sessions = create_session_factory(small_pool)
    orgs = [await seed_tiny_org(sessions, slug=f"pool-{i}") for i in range(2)]  # committed: a real pool test
    settings = DeviationsSettings(database_url=database.app_url, internal_token_public_key=internal_public_key)
    app = create_app(Runtime(service="deviations", settings=settings, engine=small_pool, sessions=sessions), Probes())
    body = {"title": "Fall", "description": "Falt.", "occurred_at": "2026-11-01T10:00:00+01:00"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://deviations") as client:
        created: dict[uuid.UUID, list[str]] = {org.tenant_id: [] for org in orgs}
        for org in orgs:
            for _ in range(5):
                response = await client.post(
                    "/api/v1/deviations",
                    json={**body, "unit_id": str(org.unit_id)},
                    headers=headers(token_signer, org, org.employee),
                )
                assert response.status_code == 201
                created[org.tenant_id].append(response.json()["id"])

        async def one(index: int) -> tuple[str, int, uuid.UUID, uuid.UUID | None]:
            org, other = orgs[index % 2], orgs[(index + 1) % 2]
            kind = random.choice(["own", "other", "bad-unit"])
            if kind == "own":
                target = random.choice(created[org.tenant_id])
                response = await client.get(
                    f"/api/v1/deviations/{target}", headers=headers(token_signer, org, org.unit_leader)
                )
                seen = uuid.UUID(response.json()["id"]) if response.status_code == 200 else None
                return kind, response.status_code, org.tenant_id, seen
            if kind == "other":
                # Fails inside the transaction, after the kommune was set: the row is not there for this kommune.
                target = random.choice(created[other.tenant_id])
                response = await client.get(
                    f"/api/v1/deviations/{target}", headers=headers(token_signer, org, org.unit_leader)
                )
                return kind, response.status_code, org.tenant_id, None
            # Fails mid-transaction: another kommune's unit is unknown here, and nothing is stored.
            response = await client.post(
                "/api/v1/deviations",
                json={**body, "unit_id": str(other.unit_id)},
                headers=headers(token_signer, org, org.employee),
            )
            return kind, response.status_code, org.tenant_id, None

        results = await asyncio.gather(*(one(i) for i in range(300)))

    expected = {"own": 200, "other": 404, "bad-unit": 422}
    assert [(kind, status) for kind, status, _, _ in results] == [(kind, expected[kind]) for kind, *_ in results]
    for kind, _, tenant_id, seen in results:
        if kind == "own":
            assert str(seen) in created[tenant_id]

    # Every pooled connection is clean: check out all of them at once and ask each.
    connections = [await small_pool.connect() for _ in range(POOL_SIZE)]
    try:
        for connection in connections:
            setting = (await connection.execute(sa.text("SELECT current_setting('varde.tenant_id', true)"))).scalar()
            assert setting in (None, "")
            rows = (await connection.execute(sa.text("SELECT count(*) FROM deviation"))).scalar()
            assert rows == 0  # no kommune set: no rows, never all rows
            await connection.rollback()
    finally:
        for connection in connections:
            await connection.close()


async def test_connections_the_database_dropped_while_they_rested_are_replaced(
    small_pool: AsyncEngine,
    database: TestDatabase,
    internal_public_key: str,
    token_signer: InternalTokenSigner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A restart or fail-over of PostgreSQL between two quiet moments: the next report still goes through."""
    sessions = create_session_factory(small_pool)
    org = await seed_tiny_org(sessions, slug="rested")
    settings = DeviationsSettings(database_url=database.app_url, internal_token_public_key=internal_public_key)
    app = create_app(Runtime(service="deviations", settings=settings, engine=small_pool, sessions=sessions), Probes())
    body = {"title": "Fall", "description": "Falt.", "occurred_at": "2026-11-01T10:00:00+01:00"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://deviations") as client:

        async def report() -> int:
            response = await client.post(
                "/api/v1/deviations",
                json={**body, "unit_id": str(org.unit_id)},
                headers=headers(token_signer, org, org.employee),
            )
            return response.status_code

        assert await asyncio.gather(*(report() for _ in range(POOL_SIZE))) == [201] * POOL_SIZE
        admin = await asyncpg.connect(database.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            dropped = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> "
                "pg_backend_pid()",
                database.name,
            )
        finally:
            await admin.close()
        assert dropped >= 1
        monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 0.0)  # they have rested long enough
        assert await asyncio.gather(*(report() for _ in range(POOL_SIZE))) == [201] * POOL_SIZE
