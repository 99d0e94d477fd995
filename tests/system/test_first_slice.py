"""The first slice through the gateway: report → event → the leader's notification, read; and who sees what."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, deviation_body, person, query, wait_until
from tests.system.blocking import run_blocking
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system


def notifications_about(gateway: httpx.Client, headers: dict[str, str], deviation_id: str) -> list[dict[str, object]]:
    response = gateway.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["subject_id"] == deviation_id]


def test_report_reaches_the_leader_and_no_one_else(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    reporter = login(roles.employee)
    created = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=reporter)
    assert created.status_code == 201, created.text
    deviation = created.json()
    assert created.headers["x-request-id"]

    leader = login(roles.nursing_home_leader)
    found = wait_until(lambda: notifications_about(gateway, leader, deviation["id"]), what="the leader's notification")
    assert len(found) == 1
    assert found[0]["kind"] == "deviation.to_handle"

    # The reporter reads their own report; the leader can read it too.
    assert gateway.get(f"/api/v1/deviations/{deviation['id']}", headers=reporter).json()["title"] == "Fall i korridor"
    assert gateway.get(f"/api/v1/deviations/{deviation['id']}", headers=leader).status_code == 200

    # Nobody else is told, and a leader elsewhere in the kommune does not see it.
    assert notifications_about(gateway, reporter, deviation["id"]) == []
    elsewhere = login(roles.school_leader)
    assert notifications_about(gateway, elsewhere, deviation["id"]) == []
    assert gateway.get(f"/api/v1/deviations/{deviation['id']}", headers=elsewhere).status_code == 404


def unread(gateway: httpx.Client, headers: dict[str, str]) -> int:
    response = gateway.get("/api/v1/notifications/unread-count", headers=headers)
    assert response.status_code == 200, response.text
    count: int = response.json()["unread"]
    return count


def test_the_leaders_unread_count_rises_with_a_report_and_falls_when_the_notification_is_read(
    gateway: httpx.Client, people: list[DemoPerson], login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    # A unit no other test reports into, so that nothing else arrives for its leader meanwhile.
    unit_name = "Helsehuset – Rehabilitering"
    leader = login(person(people, "tonsberg", "avdelingsleder", unit_name))
    employee = person(people, "tonsberg", "ansatt", unit_name)
    gateway.post("/api/v1/notifications/read-all", headers=leader)  # whatever earlier tests of the session left
    assert unread(gateway, leader) == 0

    unit_id = employee.unit_where("ansatt")
    created = gateway.post("/api/v1/deviations", json=deviation_body(unit_id), headers=login(employee))
    assert created.status_code == 201, created.text
    [told] = wait_until(lambda: notifications_about(gateway, leader, created.json()["id"]), what="the notification")
    assert told["read_at"] is None
    assert unread(gateway, leader) == 1

    read = gateway.post(f"/api/v1/notifications/{told['id']}/read", headers=leader)
    assert read.status_code == 200, read.text
    assert read.json()["id"] == told["id"]
    assert read.json()["read_at"] is not None
    assert unread(gateway, leader) == 0
    unread_list = gateway.get("/api/v1/notifications", params={"unread_only": "true"}, headers=leader)
    assert unread_list.json()["items"] == []


def test_another_kommune_sees_nothing(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    created = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=login(roles.employee))
    deviation_id = created.json()["id"]
    wait_until(
        lambda: notifications_about(gateway, login(roles.nursing_home_leader), deviation_id), what="notification"
    )

    outsider = login(roles.other_kommune_leader)
    response = gateway.get(f"/api/v1/deviations/{deviation_id}", headers=outsider)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert notifications_about(gateway, outsider, deviation_id) == []
    # Reporting into a unit of another kommune is refused as an unknown unit.
    refused = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=outsider)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "unit_id"


def test_the_application_role_sees_no_rows_without_a_tenant(
    stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]], gateway: httpx.Client
) -> None:
    gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=login(roles.employee))
    assert query(stack, "deviations", "SELECT count(*) AS n FROM deviation")[0]["n"] > 0

    import asyncpg

    async def as_application() -> tuple[int, int]:
        url = stack.databases["deviations"].app_url.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(url)
        try:
            without = await connection.fetchval("SELECT count(*) FROM deviation")
            async with connection.transaction():
                await connection.execute(
                    "SELECT set_config('varde.tenant_id', $1, true)", "00000000-0000-0000-0000-000000000000"
                )
                unknown = await connection.fetchval("SELECT count(*) FROM deviation")
            return without, unknown
        finally:
            await connection.close()

    assert run_blocking(as_application()) == (0, 0)
