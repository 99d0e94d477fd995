"""System tests: the whole stack as processes, on the embedded PostgreSQL and the Tansu broker."""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.system.blocking import run_blocking
from varde_devstack.stack import Stack, StackConfig
from varde_gateway.ratepolicies import scaled_policies_json

T = TypeVar("T")


@dataclass(frozen=True)
class DemoPerson:
    tenant: str
    email: str
    name: str
    roles: list[dict[str, Any]]

    def unit_where(self, role: str) -> str:
        return next(r["unit_id"] for r in self.roles if r["role"] == role)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # The gateway reloads identity providers every second here, so a provider a test registers is seen at once;
    # the deadline jobs run every second, so a case made overdue in a test escalates at once. The broker is reached
    # through a gate the outage test closes. The fault tests send hundreds of reports a second as one person, far
    # beyond a person's quota: here the quotas are a thousand times larger, and still counted (test_rate_limits
    # starts gateways of its own with low ones).
    config = StackConfig.with_free_ports(
        tmp_path_factory.mktemp("stack"),
        extra_env={
            "VARDE_PROVIDERS_MAX_AGE_S": "1",
            "VARDE_SCHEDULER_INTERVAL_S": "1",
            "VARDE_RATE_LIMITS": scaled_policies_json(1000),
        },
        broker_gate=True,
    )
    with Stack(config) as running:
        yield running


@pytest.fixture(scope="session")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def people(gateway: httpx.Client) -> list[DemoPerson]:
    response = gateway.get("/dev/people")
    assert response.status_code == 200
    return [DemoPerson(p["tenant"], p["email"], p["name"], p["roles"]) for p in response.json()]


def person(people: list[DemoPerson], tenant: str, role: str, unit_name: str | None = None) -> DemoPerson:
    return next(
        p
        for p in people
        if p.tenant == tenant
        and any(r["role"] == role and (unit_name is None or r["unit_name"] == unit_name) for r in p.roles)
    )


@pytest.fixture(scope="session")
def login(gateway: httpx.Client) -> Callable[[DemoPerson], dict[str, str]]:
    def headers_for(who: DemoPerson) -> dict[str, str]:
        response = gateway.post("/dev/token", json={"tenant": who.tenant, "email": who.email})
        assert response.status_code == 200, response.text
        return {"authorization": f"Bearer {response.json()['access_token']}"}

    return headers_for


@dataclass(frozen=True)
class Roles:
    """Who is who in the demo kommuner, as the tests use them."""

    employee: DemoPerson  # ansatt at Hustadvika sjukeheim
    nursing_home_leader: DemoPerson  # virksomhetsleder of that unit
    school_leader: DemoPerson  # a leader elsewhere in the same kommune
    other_kommune_leader: DemoPerson  # Lillestrøm

    @property
    def nursing_home(self) -> str:
        return self.nursing_home_leader.unit_where("virksomhetsleder")


@pytest.fixture(scope="session")
def roles(people: list[DemoPerson]) -> Roles:
    return Roles(
        employee=person(people, "hustadvika", "ansatt", "Hustadvika sjukeheim"),
        nursing_home_leader=person(people, "hustadvika", "virksomhetsleder", "Hustadvika sjukeheim"),
        school_leader=person(people, "hustadvika", "virksomhetsleder", "Eide skule"),
        other_kommune_leader=person(people, "lillestrom", "virksomhetsleder"),
    )


def deviation_body(unit_id: str, title: str = "Fall i korridor") -> dict[str, str]:
    return {
        "title": title,
        "description": "Beboer falt på vei til spisesalen; ingen brudd.",
        "unit_id": unit_id,
        "occurred_at": "2026-11-01T10:00:00+01:00",
    }


def wait_until(condition: Callable[[], T | None], timeout_s: float = 20, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout_s
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(0.05)


def query(stack: Stack, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Read a service's database as superuser (past row-level security), for assertions."""

    async def run() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(stack.database_admin_url(service))
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return run_blocking(run())


def run(coroutine: Awaitable[T]) -> T:
    async def wrapper() -> T:
        return await coroutine

    return run_blocking(wrapper())


@pytest.fixture(scope="session")
def browser(stack: Stack) -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (a browser download does not work on these machines). Started after
    the stack: Playwright's sync API keeps an event loop running in this thread, and starting the stack runs its
    own (``asyncio.run``), which cannot start inside another."""
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed for the browser tests: `make test` installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()
