"""The gateway holds when a service fails, when a path tries to climb out of its route, and when an internal token
is taken to a service it was not made for."""

from __future__ import annotations

import http.client
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from tests.conftest import DemoPerson, Roles, deviation_body, query
from varde_common.identity import INTERNAL_ISSUER, InternalTokenSigner, service_audience
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


def sent_as_written(stack: Stack, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> httpx.Response:
    """A request with its path exactly as written: httpx (like browsers) resolves ``..`` before it sends."""
    url = httpx.URL(stack.gateway_url)
    connection = http.client.HTTPConnection(url.host, url.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return httpx.Response(answer.status, headers=answer.getheaders(), content=answer.read())
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path", ["/api/v1/deviations/../../../metrics", "/api/v1/deviations/%2e%2e/%2e%2e/%2E%2E/metrics"]
)
def test_a_path_cannot_climb_from_a_route_to_a_services_metrics(
    stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]], path: str
) -> None:
    answer = sent_as_written(stack, "GET", path, login(roles.employee))
    assert answer.status_code == 400
    assert answer.json()["type"] == "urn:varde:problem:path-not-canonical"
    assert "# HELP" not in answer.text


def test_a_path_cannot_borrow_the_body_limit_of_the_import(
    stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    headers = {**login(roles.employee), "content-type": "application/json"}
    body = b'{"name": "' + b"x" * 2_000_000 + b'"}'  # above the 1 MB of other routes, below the import's 20 MB
    answer = sent_as_written(stack, "POST", "/api/v1/directory/imports/../people", headers, body)
    assert answer.status_code == 400
    assert answer.json()["type"] == "urn:varde:problem:path-not-canonical"
    assert sent_as_written(stack, "POST", "/api/v1/directory/importsandmore", headers, body).status_code == 413


def test_an_internal_token_opens_only_the_service_it_was_made_for_and_only_briefly(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    headers = login(roles.employee)
    me = gateway.get("/api/v1/directory/me", headers=headers).json()
    tenant = gateway.get("/api/v1/directory/tenant", headers=headers).json()
    assert stack.keys is not None
    key = stack.keys.internal_private.read_text()
    person = {"tenant_id": uuid.UUID(tenant["id"]), "tenant_slug": tenant["slug"], "person_id": uuid.UUID(me["id"])}
    for_deviations = InternalTokenSigner(key).for_person(to="deviations", not_after=int(time.time()) + 300, **person)

    def direct(service: str, token: str) -> httpx.Response:
        return httpx.get(
            f"{stack.service_url(service)}/api/v1/{service}",
            params={"limit": 1},
            headers={"authorization": f"Bearer {token}"},
        )

    assert direct("deviations", for_deviations).status_code == 200
    refused = direct("documents", for_deviations)
    assert refused.status_code == 401
    assert refused.json()["type"] == "urn:varde:problem:internal-identity-invalid"

    # What the probe was let in with: the gateway's own key, but a lifetime of ten years and no issue time.
    private = serialization.load_pem_private_key(key.encode(), password=None)
    claims = {
        "iss": INTERNAL_ISSUER,
        "aud": service_audience("deviations"),
        "sub": me["id"],
        "tid": tenant["id"],
        "tslug": tenant["slug"],
    }
    now = int(time.time())
    for lifetime in ({"exp": now + 10 * 365 * 86400}, {"iat": now, "exp": now + 10 * 365 * 86400}):
        kept = jwt.encode({**claims, **lifetime}, private, algorithm="EdDSA")  # type: ignore[arg-type]
        assert direct("deviations", kept).status_code == 401
