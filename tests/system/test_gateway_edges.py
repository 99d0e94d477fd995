"""What a client meets at the edge: problem details for bad input, bad tokens, big bodies and missing services."""

from __future__ import annotations

import importlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from tests.conftest import DemoPerson, Roles, deviation_body
from varde_common.migrations import head_revision
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, object] = response.json()
    assert problem["status"] == status
    assert str(problem["type"]).startswith("urn:varde:problem:")
    assert problem["title"]
    assert problem["detail"]
    return problem


def test_malformed_json_and_missing_fields_name_the_problem(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    headers = {**login(roles.employee), "content-type": "application/json"}
    malformed = assert_problem(gateway.post("/api/v1/deviations", content=b'{"title": "Fall', headers=headers), 422)
    assert malformed["errors"] == [
        {
            "field": "",
            "label": "Innhold",
            "message": "Innholdet er ikke gyldig JSON.",
            "code": "json_invalid",
            "pointer": "",
        }
    ]

    missing = assert_problem(gateway.post("/api/v1/deviations", json={"title": "Fall"}, headers=headers), 422)
    assert {e["field"] for e in missing["errors"]} == {"description", "unit_id", "occurred_at"}  # type: ignore[attr-defined]
    assert missing["trace_id"]


def test_a_services_problem_comes_back_through_the_gateway_in_the_form_the_caller_reads(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    nynorsk = {**login(roles.employee), "accept-language": "nn"}
    problem = assert_problem(gateway.get("/api/v1/notifications", params={"limit": 0}, headers=nynorsk), 422)
    assert problem["detail"] == "Sjekk felta: Tal."  # the field named in nynorsk too
    marked = gateway.post("/api/v1/notifications/read", json={"notification_ids": [str(uuid.uuid4())]}, headers=nynorsk)
    unknown = assert_problem(marked, 422)
    assert unknown["type"] == "urn:varde:problem:notification-unknown"
    assert str(unknown["detail"]).startswith("Du har ikkje noko varsel")


def test_unknown_routes_are_404_problems(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    assert_problem(gateway.get("/api/v1/nosuchservice/things", headers=login(roles.employee)), 404)
    page = gateway.get("/nowhere")  # not the API: the web client's page, in Norwegian
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Siden finnes ikke" in page.text
    assert_problem(gateway.get(f"/api/v1/deviations/{uuid.uuid4()}/nothing", headers=login(roles.employee)), 404)


def test_oversized_bodies_are_refused(
    gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    body = deviation_body(roles.nursing_home)
    body["description"] = "x" * 2_000_000
    assert_problem(gateway.post("/api/v1/deviations", json=body, headers=login(roles.employee)), 413)

    def chunks() -> object:
        for _ in range(20):
            yield b"y" * 100_000

    chunked = gateway.post(
        "/api/v1/deviations", content=chunks(), headers={**login(roles.employee), "content-type": "application/json"}
    )
    assert_problem(chunked, 413)


def test_missing_expired_and_forged_tokens_are_401(gateway: httpx.Client, stack: Stack, roles: Roles) -> None:
    url = f"/api/v1/deviations/{uuid.uuid4()}"
    assert_problem(gateway.get(url), 401)
    assert_problem(gateway.get(url, headers={"authorization": "Basic dXNlcjpwYXNz"}), 401)
    assert_problem(gateway.get(url, headers={"authorization": "Bearer not-a-jwt"}), 401)

    assert stack.keys is not None
    real_key = serialization.load_pem_private_key(stack.keys.dev_idp_private.read_bytes(), password=None)
    now = int(time.time())
    claims = {
        "iss": "urn:varde:dev-idp",
        "aud": "urn:varde:api:hustadvika",
        "sub": roles.employee.email,
        "iat": now - 7200,
        "nbf": now - 7200,
        "exp": now - 3600,
    }
    expired = jwt.encode(claims, real_key, algorithm="EdDSA")  # type: ignore[arg-type]
    problem = assert_problem(gateway.get(url, headers={"authorization": f"Bearer {expired}"}), 401)
    assert "utløpt" in str(problem["detail"])

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = jwt.encode({**claims, "exp": now + 3600}, Ed25519PrivateKey.generate(), algorithm="EdDSA")
    assert_problem(gateway.get(url, headers={"authorization": f"Bearer {forged}"}), 401)
    unsigned = jwt.encode({**claims, "exp": now + 3600}, None, algorithm="none")
    assert_problem(gateway.get(url, headers={"authorization": f"Bearer {unsigned}"}), 401)


def test_a_stopped_service_is_503_within_the_timeout(
    gateway: httpx.Client, stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    headers = login(roles.employee)
    stack.stop_process("deviations")
    try:
        started = time.monotonic()
        problem = assert_problem(gateway.get(f"/api/v1/deviations/{uuid.uuid4()}", headers=headers), 503)
        assert time.monotonic() - started < 2.0
        assert problem["instance"] == f"/api/v1/deviations/{problem['instance'].split('/')[-1]}"  # type: ignore[union-attr]
        # The rest of the system keeps working.
        assert gateway.get("/api/v1/notifications", headers=login(roles.nursing_home_leader)).status_code == 200
    finally:
        stack.start_service("deviations")
        stack.wait_ready()
    created = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=headers)
    assert created.status_code == 201


def test_openapi_lists_every_public_route(gateway: httpx.Client) -> None:
    document = gateway.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/deviations",
        "/api/v1/deviations/{deviation_id}",
        "/api/v1/notifications",
        "/api/v1/directory/me",
    } <= set(document["paths"])
    assert not [p for p in document["paths"] if not p.startswith("/api/v1/")]
    assert "x-varde-unavailable-services" not in document


def test_probes(gateway: httpx.Client, stack: Stack) -> None:
    assert gateway.get("/livez").status_code == 200
    assert gateway.get("/readyz").status_code == 200
    for service in ("directory", "deviations", "notifications", "documents", "risk", "reporting"):
        ready = httpx.get(stack.service_url(service) + "/readyz", timeout=5)
        assert ready.status_code == 200, ready.text
        migrations = Path(importlib.import_module(f"varde_{service}").__file__ or "").parent / "migrations"
        assert ready.json()["checks"]["schema"]["revision"] == head_revision(migrations)


def test_metrics_count_the_delivery(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    created = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=login(roles.employee))
    assert created.status_code == 201

    def handled() -> float:
        text = httpx.get(stack.service_url("notifications") + "/metrics").text
        line = next(
            (
                x
                for x in text.splitlines()
                if x.startswith(
                    'varde_events_handled_total{service="notifications",type="no.varde.deviation.assigned.v1"}'
                )
            ),
            None,
        )
        return float(line.rsplit(" ", 1)[1]) if line else 0.0

    from tests.conftest import wait_until

    wait_until(lambda: handled() >= 1, what="the handled-events counter")
    published = httpx.get(stack.service_url("deviations") + "/metrics").text
    assert 'varde_outbox_published_total{service="deviations"}' in published
    assert gateway.get("/metrics").status_code == 200
