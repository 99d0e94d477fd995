"""Rate limits at the edge, counted in a real Valkey (the embedded one of the dev stack) that gateways share.

The quotas here are set low so a handful of requests reaches them; the upstream is one small server that stands
in for the directory (two kommuner sign in with the development provider) and echoes every service call.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
import valkey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from varde_common.embedded import free_port
from varde_common.embedded_valkey import EmbeddedValkey
from varde_common.identity import generate_private_key_pem
from varde_common.settings import Environment
from varde_gateway.app import Gateway
from varde_gateway.auth import DEV_ISSUER, dev_audience
from varde_gateway.config import GatewaySettings
from varde_gateway.openapi import merge_openapi
from varde_gateway.ratepolicies import CHANGING, RatePolicy, default_policies

KOMMUNER = {"hustadvika": uuid.uuid4(), "tonsberg": uuid.uuid4()}
WRITES = "/api/v1/deviations"
RECEIPTS = "/api/v1/deviations/receipts/lookup"


async def directory_providers(request: Request) -> JSONResponse:
    return JSONResponse(
        [
            {
                "tenant_id": str(tenant_id),
                "tenant_slug": slug,
                "providers": [
                    {
                        "id": str(uuid.uuid5(tenant_id, "dev")),
                        "name": "dev",
                        "kind": "dev",
                        "issuer": DEV_ISSUER,
                        "audience": dev_audience(slug),
                        "jwks_url": "http://unused.invalid/jwks",
                        "algorithms": ["EdDSA"],
                        "subject_claim": "sub",
                    }
                ],
            }
            for slug, tenant_id in KOMMUNER.items()
        ]
    )


async def directory_resolve(request: Request) -> JSONResponse:
    # A person's subject is their id here.
    tenant_id = uuid.UUID(request.query_params["tenant_id"])
    slug = next(slug for slug, known in KOMMUNER.items() if known == tenant_id)
    return JSONResponse(
        {"tenant_id": str(tenant_id), "tenant_slug": slug, "person_id": request.query_params["subject"]}
    )


async def dev_people(request: Request) -> JSONResponse:
    return JSONResponse({"detail": "ingen"}, status_code=404)


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"path": request.url.path}, status_code=201 if request.method == "POST" else 200)


@pytest.fixture(scope="module")
async def upstream() -> AsyncIterator[str]:
    app = Starlette(
        routes=[
            Route("/internal/identity-providers", directory_providers),
            Route("/internal/identities/resolve", directory_resolve),
            Route("/internal/people/lookup", dev_people),
            Route("/api/v1/{rest:path}", echo, methods=["GET", "POST", "PATCH"]),
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
def counters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedValkey]:
    server = EmbeddedValkey(free_port(), log_file=tmp_path_factory.mktemp("valkey") / "valkey.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fresh_counts(counters: EmbeddedValkey) -> None:
    """Each test counts from zero (the kommuner are the same in every test)."""
    client = valkey.Valkey.from_url(counters.url)
    client.flushall()
    client.close()


@pytest.fixture(scope="module")
def keys() -> dict[str, str]:
    return {"internal": generate_private_key_pem(), "dev_idp": generate_private_key_pem()}


LOW = [
    RatePolicy(
        name="receipts", methods=frozenset({"POST"}), paths=(RECEIPTS,), per_person="5/minute", per_address="4/minute"
    ),
    RatePolicy(name="writes", methods=CHANGING, paths=("/api/v1/*",), per_person="3/minute", per_kommune="5/minute"),
    RatePolicy(name="login", methods=frozenset({"POST"}), paths=("/dev/token",), per_address="2/minute"),
]


def make_gateway(upstream: str, keys: dict[str, str], storage_url: str, **overrides: Any) -> Gateway:
    settings = GatewaySettings(
        env=Environment.DEV,
        **{f"upstream_{name}": upstream for name in ("directory", "deviations", "documents", "risk")},
        internal_token_private_key=keys["internal"],
        dev_idp_private_key=keys["dev_idp"],
        rate_limit_storage_url=storage_url,
        **{"rate_limits": LOW, **overrides},
    )
    return Gateway(settings)


@pytest.fixture
async def gateways(
    upstream: str, keys: dict[str, str], counters: EmbeddedValkey
) -> AsyncIterator[list[tuple[Gateway, httpx.AsyncClient]]]:
    """Two replicas of the gateway on the same counters."""
    pairs = []
    for _ in range(2):
        gateway = make_gateway(upstream, keys, counters.url)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gw")
        pairs.append((gateway, client))
    yield pairs
    for gateway, client in pairs:
        await client.aclose()
        await gateway.client.aclose()


def bearer(gateway: Gateway, kommune: str, person: uuid.UUID) -> dict[str, str]:
    assert gateway.dev_idp is not None
    return {"authorization": "Bearer " + gateway.dev_idp.issue(tenant_slug=kommune, subject=str(person))}


async def post(client: httpx.AsyncClient, headers: dict[str, str], path: str = WRITES) -> httpx.Response:
    return await client.post(path, json={}, headers=headers)


async def test_a_burst_over_the_persons_quota_is_429_with_retry_after_and_the_ratelimit_fields(
    gateways: list[tuple[Gateway, httpx.AsyncClient]],
) -> None:
    gateway, client = gateways[0]
    headers = {**bearer(gateway, "hustadvika", uuid.uuid4()), "accept-language": "nn"}
    assert [(await post(client, headers)).status_code for _ in range(3)] == [201, 201, 201]

    refused = await post(client, headers)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == "urn:varde:problem:rate-limited-person"
    assert problem["violated-policies"] == ["writes.person"]
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert "førespurnader" in problem["detail"]  # nynorsk, as asked for
    assert f"Vent {retry_after} s og prøv igjen" in problem["detail"]
    # draft-ietf-httpapi-ratelimit-headers-10: the policy that ran out, and what is left of it.
    assert refused.headers["ratelimit-policy"] == '"writes.person";q=3;w=60'
    assert re.fullmatch(r'"writes\.person";r=0;t=(\d+)', refused.headers["ratelimit"])
    # Reads that cost little are not counted.
    assert (await client.get("/api/v1/deviations", headers=headers)).status_code == 200


async def test_two_gateways_sharing_the_counters_let_the_quota_through_once_not_twice(
    gateways: list[tuple[Gateway, httpx.AsyncClient]],
) -> None:
    (first, one), (_, other) = gateways
    headers = bearer(first, "hustadvika", uuid.uuid4())  # the same key signs for both replicas
    statuses = [(await post(client, headers)).status_code for client in (one, other, one, other, one)]
    assert statuses == [201, 201, 201, 429, 429]


async def test_a_redis_url_reaches_the_same_counters(
    upstream: str, keys: dict[str, str], counters: EmbeddedValkey
) -> None:
    """Production may run Redis rather than Valkey: ``redis://`` is counted in the same place."""
    pair = [make_gateway(upstream, keys, url) for url in (counters.url, counters.url.replace("valkey://", "redis://"))]
    headers = bearer(pair[0], "hustadvika", uuid.uuid4())
    statuses = []
    for gateway in [*pair, *pair]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gw") as client:
            statuses.append((await post(client, headers)).status_code)
    assert statuses == [201, 201, 201, 429]


async def test_one_persons_burst_limits_neither_another_kommune_nor_another_person_until_the_kommunes_quota(
    gateways: list[tuple[Gateway, httpx.AsyncClient]],
) -> None:
    gateway, client = gateways[0]
    busy = bearer(gateway, "hustadvika", uuid.uuid4())
    for _ in range(3):
        await post(client, busy)
    assert (await post(client, busy)).status_code == 429

    elsewhere = bearer(gateway, "tonsberg", uuid.uuid4())
    assert [(await post(client, elsewhere)).status_code for _ in range(3)] == [201, 201, 201]

    # A colleague in the same kommune has a quota of their own, until the kommune's (5) is used up.
    colleague = bearer(gateway, "hustadvika", uuid.uuid4())
    assert [(await post(client, colleague)).status_code for _ in range(2)] == [201, 201]
    refused = await post(client, colleague)
    assert refused.status_code == 429
    assert refused.json()["type"] == "urn:varde:problem:rate-limited-kommune"
    assert refused.headers["ratelimit-policy"] == '"writes.kommune";q=5;w=60'
    assert (await post(client, bearer(gateway, "tonsberg", uuid.uuid4()))).status_code == 201


async def test_the_receipt_lookup_is_limited_per_address_whoever_asks(
    gateways: list[tuple[Gateway, httpx.AsyncClient]],
) -> None:
    gateway, client = gateways[0]
    people = [bearer(gateway, "hustadvika", uuid.uuid4()) for _ in range(5)]
    statuses = [(await post(client, headers, RECEIPTS)).status_code for headers in people]
    assert statuses == [201, 201, 201, 201, 429]


async def test_logins_are_limited_per_client_address_told_by_a_trusted_proxy_only(
    upstream: str, keys: dict[str, str], counters: EmbeddedValkey
) -> None:
    body = {"tenant": "hustadvika", "email": "nobody@hustadvika.kommune.no"}

    async def logins(gateway: Gateway, forwarded_for: list[str]) -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gw") as client:
            return [
                (await client.post("/dev/token", json=body, headers={"x-forwarded-for": address})).status_code
                for address in forwarded_for
            ]

    behind_proxy = make_gateway(upstream, keys, counters.url, trusted_proxies=["127.0.0.1"])
    statuses = await logins(behind_proxy, ["203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.8"])
    assert [status == 429 for status in statuses] == [False, False, True, False]

    # Without a trusted proxy in front, X-Forwarded-For is the caller's own claim: a new one each time gets nothing.
    exposed = make_gateway(upstream, keys, counters.url)
    statuses = await logins(exposed, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert [status == 429 for status in statuses] == [False, False, True]
    refused = await logins(exposed, ["198.51.100.4"])
    assert refused == [429]


async def test_requests_pass_uncounted_while_the_counter_storage_is_away(upstream: str, keys: dict[str, str]) -> None:
    nowhere = f"valkey://127.0.0.1:{free_port()}"
    gateway = make_gateway(upstream, keys, nowhere)
    headers = bearer(gateway, "hustadvika", uuid.uuid4())
    assert gateway.limiter is not None
    asked = 0
    hit = gateway.limiter.strategy.hit

    async def counting_hit(*args: Any, **kwargs: Any) -> bool:
        nonlocal asked
        asked += 1
        return await hit(*args, **kwargs)

    gateway.limiter.strategy.hit = counting_hit  # type: ignore[method-assign]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gw") as client:
        assert [(await post(client, headers)).status_code for _ in range(5)] == [201] * 5
    await gateway.client.aclose()
    # Asked once: the requests after it did not each wait for a storage that had just failed to answer.
    assert asked == 1


def test_the_openapi_document_lists_the_429_of_every_limited_operation_and_only_there(
    upstream: str, keys: dict[str, str]
) -> None:
    gateway = make_gateway(upstream, keys, "memory://", rate_limits=default_policies())
    document = {
        "paths": {
            "/api/v1/documents/{document_id}/diff": {"get": {"responses": {}}},
            "/api/v1/documents/search": {"get": {"responses": {}}},
            "/api/v1/documents": {"get": {"responses": {}}, "post": {"responses": {}}},
            "/api/v1/deviations/receipts/lookup": {"post": {"responses": {}}},
        }
    }
    merged, _ = merge_openapi({"documents": document}, dev=False, rate_limited=gateway.limiter.problems_for)
    paths = merged["paths"]
    diff = paths["/api/v1/documents/{document_id}/diff"]["get"]["responses"]["429"]
    assert diff["x-problem-types"] == [
        "urn:varde:problem:rate-limited-kommune",
        "urn:varde:problem:rate-limited-person",
    ]
    assert set(diff["headers"]) == {"Retry-After", "RateLimit-Policy", "RateLimit"}
    assert "429" in paths["/api/v1/documents/search"]["get"]["responses"]
    assert "429" in paths["/api/v1/documents"]["post"]["responses"]
    assert "429" not in paths["/api/v1/documents"]["get"]["responses"]
    receipts = paths["/api/v1/deviations/receipts/lookup"]["post"]["responses"]["429"]
    assert "urn:varde:problem:rate-limited-address" in receipts["x-problem-types"]
