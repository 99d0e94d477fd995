"""A database that is away answers 503 with ``Retry-After`` and a problem type per cause, never 500 "Intern feil":
a refused connection, a connection lost in the middle of a transaction, a pool with no connection free in time."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from varde_common.db import create_engine
from varde_common.embedded import free_port
from varde_common.http import Probes, create_http_app
from varde_common.identity import InternalTokenVerifier
from varde_common.problem_handlers import install_problem_handlers
from varde_common.runtime import Runtime
from varde_common.settings import ServiceSettings


def _asyncpg_url(admin_url: str) -> str:
    return admin_url.replace("postgresql://", "postgresql+asyncpg://", 1)


def _nowhere() -> str:
    """A database address where nothing listens: a stopped server."""
    return f"postgresql+asyncpg://varde_app@127.0.0.1:{free_port()}/varde"


async def _terminate(admin_url: str, pid: int) -> None:
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await connection.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await connection.close()


def _app(engine: AsyncEngine, admin_url: str, verifier: InternalTokenVerifier, probes: Probes) -> httpx.AsyncClient:
    router = APIRouter()

    @router.get("/count")
    async def count() -> dict[str, int]:
        async with engine.begin() as connection:
            return {"n": (await connection.execute(text("SELECT 1"))).scalar_one()}

    @router.post("/half-done")
    async def half_done() -> dict[str, str]:
        async with engine.begin() as connection:
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            await _terminate(admin_url, pid)  # the server goes away between two statements of the transaction
            await connection.execute(text("SELECT 2"))
        return {"done": "yes"}

    @router.get("/broken")
    async def broken() -> dict[str, str]:
        async with engine.begin() as connection:
            await connection.execute(text("SELECT 1 / 0"))
        return {"done": "no"}

    app = create_http_app(service="test", routers=[router], verifier=verifier, probes=probes)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
async def engine(postgres_admin_url: str) -> AsyncIterator[AsyncEngine]:
    running = create_engine(_asyncpg_url(postgres_admin_url))
    yield running
    await running.dispose()


@pytest.fixture
async def stopped() -> AsyncIterator[Runtime]:
    runtime = Runtime.create("test", ServiceSettings(database_url=_nowhere()))
    yield runtime
    await runtime.close()


async def test_a_stopped_database_is_503_database_unavailable_and_not_ready(
    stopped: Runtime, postgres_admin_url: str, token_verifier: InternalTokenVerifier
) -> None:
    probes = Probes(checks={"database": stopped.database_check})
    async with _app(stopped.engine, postgres_admin_url, token_verifier, probes) as client:
        answer = await client.get("/count", headers={"accept-language": "nn"})
        ready = await client.get("/readyz")

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:varde:problem:database-unavailable"
    assert problem["title"] == "Tenesta er ikkje tilgjengeleg"
    assert ready.status_code == 503
    assert ready.json()["type"] == "urn:varde:problem:not-ready"
    assert ready.json()["checks"]["database"]["ok"] is False


async def test_a_connection_lost_in_the_middle_of_a_transaction_is_503_connection_lost(
    engine: AsyncEngine, postgres_admin_url: str, token_verifier: InternalTokenVerifier
) -> None:
    async with _app(engine, postgres_admin_url, token_verifier, Probes()) as client:
        answer = await client.post("/half-done")
        after = await client.get("/count")

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["type"] == "urn:varde:problem:database-connection-lost"
    assert answer.json()["detail"] == "Forbindelsen til databasen ble brutt underveis. Prøv igjen om litt."
    assert after.status_code == 200  # the broken connection was thrown away, not handed to the next request


async def test_no_free_connection_in_the_pool_in_time_is_503_database_busy(
    postgres_admin_url: str, token_verifier: InternalTokenVerifier
) -> None:
    engine = create_engine(_asyncpg_url(postgres_admin_url), pool_size=1, max_overflow=0, pool_timeout_s=0.2)
    try:
        async with _app(engine, postgres_admin_url, token_verifier, Probes()) as client, engine.connect() as held:
            await held.execute(text("SELECT 1"))
            answer = await client.get("/count")
    finally:
        await engine.dispose()

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "2"
    assert answer.json()["type"] == "urn:varde:problem:database-busy"


async def test_a_statement_the_database_refuses_is_still_an_internal_error(
    engine: AsyncEngine, postgres_admin_url: str, token_verifier: InternalTokenVerifier
) -> None:
    async with _app(engine, postgres_admin_url, token_verifier, Probes()) as client:
        answer = await client.get("/broken")

    assert answer.status_code == 500
    assert answer.json()["type"] == "urn:varde:problem:internal-error"
    assert "retry-after" not in answer.headers


async def test_an_app_without_a_database_does_not_call_its_own_connection_errors_a_database_outage() -> None:
    app = FastAPI()
    install_problem_handlers(app, has_database=False)

    @app.get("/elsewhere")
    async def elsewhere() -> None:
        raise ConnectionRefusedError("the identity provider refused")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.get("/elsewhere")
    assert response.status_code == 500
    assert response.json()["type"] != "urn:varde:problem:database-unavailable"
