"""The stack's gateways count rate limits in the one Valkey the dev stack starts: two gateway processes with a low
quota let it through once between them, and answer the rest 429 with the fields that say when to come back."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import DemoPerson, Roles
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

LOW_WRITES = json.dumps(
    [
        {
            "name": "writes",
            "methods": ["POST"],
            "paths": ["/api/v1/*"],
            "per_person": "3/minute",
            "per_kommune": "50/minute",
        }
    ]
)


@pytest.fixture(scope="module")
def two_gateways(stack: Stack) -> Iterator[list[str]]:
    names = ["gateway-limits-a", "gateway-limits-b"]
    try:
        yield [stack.start_extra_gateway(name, {"VARDE_RATE_LIMITS": LOW_WRITES}) for name in names]
    finally:
        for name in names:
            stack.stop_process(name)


def test_two_gateway_processes_share_one_quota_in_the_stacks_valkey(
    two_gateways: list[str], roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    headers = login(roles.school_leader)
    statuses = []
    for url in [*two_gateways, *two_gateways]:
        response = httpx.post(url + "/api/v1/notifications/read", json={"notification_ids": []}, headers=headers)
        statuses.append(response.status_code)
    assert [status == 429 for status in statuses] == [False, False, False, True]
    assert response.headers["ratelimit-policy"] == '"writes.person";q=3;w=60'
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["type"] == "urn:varde:problem:rate-limited-person"
