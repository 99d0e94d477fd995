"""The proxy against a real upstream on a socket: what it forwards, what it strips, and how it fails."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import unquote

import httpx
import orjson
import pytest
import uvicorn
from fastapi import FastAPI, Query
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from varde_common.embedded import free_port
from varde_common.errors import InternalIdentityInvalid
from varde_common.identity import InternalTokenVerifier, generate_private_key_pem
from varde_common.problem_handlers import install_problem_handlers
from varde_common.settings import Environment
from varde_gateway.app import Gateway
from varde_gateway.auth import DEV_ISSUER, dev_audience
from varde_gateway.config import GatewaySettings
from varde_gateway.paths import BodyLimits


async def echo(request: Request) -> JSONResponse:
    return JSONResponse(
        {
            "headers": dict(request.headers),
            "body": (await request.body()).decode(),
            "path": request.url.path,
            "query": request.url.query,
        }
    )


async def set_cookie(request: Request) -> JSONResponse:
    response = JSONResponse({})
    response.set_cookie("session", "one-users-secret")
    return response


async def slow(request: Request) -> JSONResponse:
    await asyncio.sleep(3)
    return JSONResponse({})


TENANT = uuid.UUID("0b6f3a52-1d2c-4f7e-9a51-6e0d1c2b3a49")
DEV_PROVIDER = uuid.UUID("5d1e7c0a-9b3f-4a8e-b2c1-0f9e8d7c6b5a")


async def directory_providers(request: Request) -> JSONResponse:
    """The directory's answer for one kommune that signs in with the development provider."""
    provider = {
        "id": str(DEV_PROVIDER),
        "name": "dev",
        "kind": "dev",
        "issuer": DEV_ISSUER,
        "audience": dev_audience("t"),
        "jwks_url": "http://unused.invalid/jwks",
        "algorithms": ["EdDSA"],
        "subject_claim": "sub",
    }
    return JSONResponse([{"tenant_id": str(TENANT), "tenant_slug": "t", "providers": [provider]}])


async def directory_resolve(request: Request) -> JSONResponse:
    # In these proxy tests a person's subject is their id; "stranger" is nobody the kommune knows.
    subject = request.query_params["subject"]
    if subject == "stranger":
        return JSONResponse({"detail": "Ingen aktiv person med denne identiteten."}, status_code=404)
    return JSONResponse({"tenant_id": request.query_params["tenant_id"], "tenant_slug": "t", "person_id": subject})


def service_with_problems() -> FastAPI:
    """A service as every Varde service answers: its problems in the målform the request asks for."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things")
    async def things(unit_id: Annotated[uuid.UUID, Query(title="Enhet")]) -> dict[str, str]:
        return {"unit_id": str(unit_id)}

    return app


@pytest.fixture(scope="module")
async def upstream() -> AsyncIterator[str]:
    """One server stands in for every upstream service here: the proxy's mechanics are under test, not them."""
    app = Starlette(
        routes=[
            Route("/internal/identity-providers", directory_providers),
            Route("/internal/identities/resolve", directory_resolve),
            Route("/api/v1/deviations/slow", slow),
            Route("/api/v1/deviations/set-cookie", set_cookie),
            Mount("/api/v1/risk", app=service_with_problems()),
            Route("/api/v1/{rest:path}", echo, methods=["GET", "POST"]),
        ]
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture(scope="module")
def internal_key() -> str:
    return generate_private_key_pem()


@pytest.fixture
async def gateway(upstream: str, internal_key: str) -> AsyncIterator[tuple[Gateway, httpx.AsyncClient]]:
    settings = GatewaySettings(
        env=Environment.DEV,
        upstream_deviations=upstream,
        upstream_directory=upstream,
        upstream_risk=upstream,
        upstream_notifications=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        upstream_read_timeout_s=0.5,
        max_body_bytes=1000,
        body_limits={"/api/v1/deviations/files": 5000},
        internal_token_private_key=internal_key,
        dev_idp_private_key=generate_private_key_pem(),
    )
    gateway = Gateway(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gw") as client:
        yield gateway, client
    await gateway.client.aclose()


def bearer(gateway: Gateway, tenant: uuid.UUID, person: uuid.UUID) -> dict[str, str]:
    assert gateway.dev_idp is not None
    assert tenant == TENANT
    return {"authorization": "Bearer " + gateway.dev_idp.issue(tenant_slug="t", subject=str(person))}


async def test_the_service_gets_an_internal_token_never_the_callers(
    gateway: tuple[Gateway, httpx.AsyncClient], internal_key: str
) -> None:
    gw, client = gateway
    tenant, person = TENANT, uuid.uuid4()
    headers = {
        **bearer(gw, tenant, person),
        "x-request-id": "req-123456789",
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    }
    response = await client.post("/api/v1/deviations/x?a=1&b=%C3%A6", content=b'{"k": 1}', headers=headers)
    assert response.status_code == 200
    seen = response.json()
    assert seen["path"] == "/api/v1/deviations/x"
    assert seen["query"] == "a=1&b=%C3%A6"
    assert seen["body"] == '{"k": 1}'
    forwarded = seen["headers"]["authorization"].removeprefix("Bearer ")
    assert forwarded != headers["authorization"].removeprefix("Bearer ")
    from varde_common.identity import public_key_pem

    identity = InternalTokenVerifier(public_key_pem(internal_key), service="deviations").identity(forwarded)
    assert (identity.tenant_id, identity.person_id) == (tenant, person)
    # Made for the service it went to, and for no other.
    with pytest.raises(InternalIdentityInvalid):
        InternalTokenVerifier(public_key_pem(internal_key), service="directory").identity(forwarded)
    to_directory = (await client.get("/api/v1/directory/x", headers=headers)).json()["headers"]["authorization"]
    verifier = InternalTokenVerifier(public_key_pem(internal_key), service="directory")
    assert verifier.identity(to_directory.removeprefix("Bearer ")).person_id == person
    assert seen["headers"]["x-request-id"] == "req-123456789"
    assert response.headers["x-request-id"] == "req-123456789"
    # The caller's trace goes on: same trace id, the gateway's span as parent.
    assert seen["headers"]["traceparent"].split("-")[1] == "0af7651916cd43dd8448eb211c80319c"
    assert response.headers["x-trace-id"] == "0af7651916cd43dd8448eb211c80319c"


async def test_a_bad_request_id_is_replaced(gateway: tuple[Gateway, httpx.AsyncClient]) -> None:
    gw, client = gateway
    headers = {**bearer(gw, TENANT, uuid.uuid4()), "x-request-id": "<script>"}
    response = await client.get("/api/v1/deviations/x", headers=headers)
    assert response.headers["x-request-id"] != "<script>"
    assert len(response.headers["x-request-id"]) == 32


async def test_a_slow_service_is_504_within_the_timeout(gateway: tuple[Gateway, httpx.AsyncClient]) -> None:
    gw, client = gateway
    started = time.monotonic()
    response = await client.get("/api/v1/deviations/slow", headers=bearer(gw, TENANT, uuid.uuid4()))
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert time.monotonic() - started < 1.5


async def test_a_service_nobody_answers_for_is_503_at_once(gateway: tuple[Gateway, httpx.AsyncClient]) -> None:
    gw, client = gateway
    started = time.monotonic()
    response = await client.get("/api/v1/notifications", headers=bearer(gw, TENANT, uuid.uuid4()))
    assert response.status_code == 503
    assert response.json()["type"] == "urn:varde:problem:upstream-unavailable"
    assert response.headers["retry-after"] == "5"
    assert time.monotonic() - started < 1.0


async def test_the_body_limit_holds_before_anything_is_forwarded(gateway: tuple[Gateway, httpx.AsyncClient]) -> None:
    gw, client = gateway
    response = await client.post("/api/v1/deviations/x", content=b"x" * 1001, headers=bearer(gw, TENANT, uuid.uuid4()))
    assert response.status_code == 413
    ok = await client.post("/api/v1/deviations/x", content=b"x" * 1000, headers=bearer(gw, TENANT, uuid.uuid4()))
    assert ok.status_code == 200
    # A route that takes files has its own, larger limit.
    upload = bearer(gw, TENANT, uuid.uuid4())
    assert (await client.post("/api/v1/deviations/files", content=b"x" * 5000, headers=upload)).status_code == 200
    assert (await client.post("/api/v1/deviations/files", content=b"x" * 5001, headers=upload)).status_code == 413


async def test_dev_routes_exist_only_in_dev_mode(upstream: str, internal_key: str) -> None:
    settings = GatewaySettings(
        env=Environment.PROD, internal_token_private_key=internal_key, upstream_directory=upstream
    )
    gateway = Gateway(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gw") as client:
        assert (await client.get("/dev/people")).status_code == 404
        token = await client.post("/dev/token", json={"tenant": "hustadvika", "email": "a@b.no"})
        assert token.status_code == 404
        # Without the dev provider a dev token is no token.
        dev = generate_private_key_pem()
        from varde_gateway.auth import DevIdentityProvider

        forged = DevIdentityProvider(dev).issue(tenant_slug="t", subject=str(uuid.uuid4()))
        response = await client.get("/api/v1/deviations/x", headers={"authorization": f"Bearer {forged}"})
        assert response.status_code == 401
    await gateway.client.aclose()


async def test_one_users_cookies_never_reach_another_users_request(gateway: tuple[Gateway, httpx.AsyncClient]) -> None:
    gw, client = gateway
    first = await client.get("/api/v1/deviations/set-cookie", headers=bearer(gw, TENANT, uuid.uuid4()))
    assert first.status_code == 200
    assert first.cookies["session"] == "one-users-secret"  # the caller's own browser gets it
    client.cookies.clear()  # another caller, without that cookie
    second = await client.get("/api/v1/deviations/x", headers=bearer(gw, TENANT, uuid.uuid4()))
    assert "cookie" not in second.json()["headers"]


async def test_a_services_problem_comes_back_in_the_form_the_caller_asked_for(
    gateway: tuple[Gateway, httpx.AsyncClient],
) -> None:
    gw, client = gateway
    headers = {**bearer(gw, TENANT, uuid.uuid4()), "accept-language": "nn"}
    seen = (await client.get("/api/v1/deviations/x", headers=headers)).json()
    assert seen["headers"]["accept-language"] == "nn"
    problem = await client.get("/api/v1/risk/things", headers=headers)
    assert problem.status_code == 422
    assert problem.json()["detail"] == "Sjekk felta: Eining."
    in_bokmal = await client.get("/api/v1/risk/things", headers={**headers, "accept-language": "nb"})
    assert in_bokmal.json()["detail"] == "Sjekk feltene: Enhet."


async def test_the_gateways_own_refusals_name_their_cause_in_the_form_asked_for(
    gateway: tuple[Gateway, httpx.AsyncClient],
) -> None:
    gw, client = gateway
    assert gw.dev_idp is not None
    expired = gw.dev_idp.issue(tenant_slug="t", subject=str(uuid.uuid4()), ttl_s=-120)
    response = await client.get(
        "/api/v1/deviations/x", headers={"authorization": f"Bearer {expired}", "accept-language": "nn"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="varde", error="invalid_token"'
    assert (response.json()["type"], response.json()["detail"]) == (
        "urn:varde:problem:token-expired",
        "Tokenet har gått ut. Logg inn på nytt.",
    )
    stranger = {"authorization": "Bearer " + gw.dev_idp.issue(tenant_slug="t", subject="stranger")}
    refused = await client.get("/api/v1/deviations/x", headers={**stranger, "accept-language": "nn"})
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:varde:problem:person-not-in-kommune"
    assert "ikkje registrert som tilsett" in refused.json()["detail"]


async def test_a_browser_login_that_cannot_start_or_finish_says_why(gateway: tuple[Gateway, httpx.AsyncClient]) -> None:
    _, client = gateway
    nynorsk = {"accept-language": "nn"}
    no_login = await client.get("/auth/login", params={"tenant": "t"}, headers=nynorsk)
    assert no_login.status_code == 422
    problem = no_login.json()
    assert problem["type"] == "urn:varde:problem:browser-login-not-offered"
    assert problem["errors"][0]["label"] == "Kommune"
    assert problem["errors"][0]["in"] == "query"
    assert problem["detail"].startswith("Kommunen «t» har inga innlogging for nettlesar")
    # A callback without the login this browser started (no login cookie): start again.
    callback = await client.get("/auth/callback", params={"code": "c", "state": "s"})
    assert (callback.status_code, callback.json()["type"]) == (401, "urn:varde:problem:login-expired")
    cancelled = await client.get("/auth/callback", params={"error": "access_denied"})
    assert cancelled.json()["type"] == "urn:varde:problem:login-cancelled"


async def as_uvicorn_passes_it(
    gw: Gateway, method: str, raw_path: bytes, headers: dict[str, str], body: bytes = b""
) -> tuple[int, dict[str, Any]]:
    """One request with its path exactly as a client wrote it (httpx would resolve ``..`` before sending), in the
    scope uvicorn makes of it: ``path`` percent-decoded once, ``raw_path`` as it came."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"gw"), *((k.encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 40000),
        "server": ("gw", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await gw(scope, receive, send)
    payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], orjson.loads(payload) if payload else {}


CLIMBING_PATHS = [
    b"/api/v1/deviations/../../../metrics",
    b"/api/v1/deviations/%2e%2e/%2E%2E/%2e%2e/metrics",
    b"/api/v1/deviations/x/..%2f..%2fmetrics",
    b"/api/v1/deviations%2f..%2f..%2fmetrics",
    b"/api/v1/deviations/x%5c..%5cmetrics",
    b"/api/v1/deviations/./x",
    b"/api/v1/deviations//x",
    b"/api/v1/deviations/x/..",
]


@pytest.mark.parametrize("raw_path", CLIMBING_PATHS)
async def test_a_path_that_can_name_another_route_is_refused_before_routing(
    gateway: tuple[Gateway, httpx.AsyncClient], raw_path: bytes
) -> None:
    gw, _ = gateway
    status, problem = await as_uvicorn_passes_it(gw, "GET", raw_path, bearer(gw, TENANT, uuid.uuid4()))
    assert status == 400
    assert problem["type"] == "urn:varde:problem:path-not-canonical"
    assert "«..»" in problem["detail"]
    assert (await as_uvicorn_passes_it(gw, "GET", raw_path, {}))[0] == 400  # before the token is looked at


async def test_the_body_limit_goes_by_whole_segments_of_a_canonical_path(
    gateway: tuple[Gateway, httpx.AsyncClient],
) -> None:
    gw, _ = gateway
    headers = bearer(gw, TENANT, uuid.uuid4())
    body = b"x" * 2000  # above the default limit (1000), below the file route's (5000)
    assert (await as_uvicorn_passes_it(gw, "POST", b"/api/v1/deviations/files/../x", headers, body))[0] == 400
    assert (await as_uvicorn_passes_it(gw, "POST", b"/api/v1/deviations/filesandmore", headers, body))[0] == 413
    assert (await as_uvicorn_passes_it(gw, "POST", b"/api/v1/deviations/files/x", headers, body))[0] == 200
    # A path that merely looks like a parent directory is a name like any other.
    assert (await as_uvicorn_passes_it(gw, "GET", b"/api/v1/deviations/%252e%252e", headers))[0] == 200


def test_a_star_in_a_body_limit_stands_for_one_segment() -> None:
    limits = BodyLimits(1000, {"/api/v1/deviations/*/attachments": 12_000})
    assert limits.for_path("/api/v1/deviations/d-1/attachments") == 12_000
    assert limits.for_path("/api/v1/deviations/d-1/attachments/a-1") == 12_000
    assert limits.for_path("/api/v1/deviations/d-1/more/attachments") == 1000
    assert limits.for_path("/api/v1/deviations/attachments") == 1000


def test_the_web_forms_that_carry_photos_take_four_of_the_apis_largest() -> None:
    settings = GatewaySettings()
    limits = BodyLimits(settings.max_body_bytes, settings.body_limits)
    photo = 10 * 1_048_576  # the deviations API's limit for one attachment
    assert limits.for_path("/meld") > 4 * photo
    assert limits.for_path("/saker/d-1/vedlegg") > 4 * photo
    assert limits.for_path("/saker/d-1/close") == settings.max_body_bytes
    assert limits.for_path("/kvittering") == settings.max_body_bytes
