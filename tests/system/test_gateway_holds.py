"""The gateway holds when a service fails, when a path tries to climb out of its route, and when an internal token
is taken to a service it was not made for."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, deviation_body, query
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

FAULT_TITLE = "Rapporten som tjenesten feiler på"


@pytest.fixture
def deviations_fail_on_one_title(stack: Stack) -> Iterator[None]:
    """A fault inside the deviations service, as a bug would make one: storing a case with one title raises an
    error the service does not handle, so it answers 500 (and its server closes the connection after it)."""
    query(
        stack,
        "deviations",
        f"""CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.title = '{FAULT_TITLE}' THEN
                RAISE EXCEPTION 'a fault in the service' USING ERRCODE = 'XX000';
            END IF;
            RETURN NEW;
        END $$""",
    )
    query(
        stack,
        "deviations",
        "CREATE TRIGGER test_fault BEFORE INSERT ON deviation FOR EACH ROW EXECUTE FUNCTION test_fault()",
    )
    try:
        yield
    finally:
        query(stack, "deviations", "DROP TRIGGER test_fault ON deviation")
        query(stack, "deviations", "DROP FUNCTION test_fault()")


@pytest.mark.usefixtures("deviations_fail_on_one_title")
def test_a_server_error_does_not_cost_the_next_report_even_another_kommunes(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    hustadvika, lillestrom = login(roles.employee), login(roles.other_kommune_leader)
    lillestrom_unit = roles.other_kommune_leader.unit_where("virksomhetsleder")
    marker = uuid.uuid4().hex[:8]
    failed, answered = [], []
    for i in range(10):
        broken = gateway.post(
            "/api/v1/deviations", json=deviation_body(roles.nursing_home, title=FAULT_TITLE), headers=hustadvika
        )
        failed.append(broken.status_code)
        report = gateway.post(
            "/api/v1/deviations",
            json=deviation_body(lillestrom_unit, title=f"Rapport {marker} {i}"),
            headers=lillestrom,
        )
        answered.append(report.status_code)
    assert failed == [500] * 10
    assert answered == [201] * 10
    stored = query(
        stack, "deviations", "SELECT count(*) AS n FROM deviation WHERE title LIKE $1", f"Rapport {marker} %"
    )
    assert stored[0]["n"] == 10
