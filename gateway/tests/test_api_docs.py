"""The developers' API documentation at /api/v1/docs, as a browser shows it: Debian's Chromium opens the page from
a running gateway; the page and everything it loads come from the gateway, the operations of the public document
show up, the Content-Security-Policy is not broken by the page itself, and no request goes anywhere else."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.async_api import Request as BrowserRequest
from playwright.async_api import Route as BrowserRoute
from playwright.async_api import async_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from varde_common.embedded import free_port
from varde_common.identity import generate_private_key_pem
from varde_common.settings import Environment
from varde_gateway.apidocs import ASSETS, CONTENT_SECURITY_POLICY
from varde_gateway.app import Gateway
from varde_gateway.config import SERVICES, GatewaySettings

CHROMIUM = shutil.which("chromium")


def notifications_document() -> dict[str, Any]:
    page = {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "notifications", "version": "1"},
        "paths": {
            "/api/v1/notifications": {
                "get": {"operationId": "notifications.mine", "summary": "Mine varsler, nyeste først", "responses": page}
            },
            "/api/v1/notifications/read": {
                "post": {"operationId": "notifications.markRead", "summary": "Merk varsler som lest", "responses": page}
            },
        },
    }


async def serve(app: Any, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.01)
    return server, task


@pytest.fixture(scope="module")
async def gateway_url() -> AsyncIterator[str]:
    """A real gateway on a socket, with one service that answers for its OpenAPI document."""

    async def document(request: Request) -> JSONResponse:
        return JSONResponse(notifications_document())

    upstream_port, gateway_port = free_port(), free_port()
    upstream = await serve(Starlette(routes=[Route("/openapi.json", document)]), upstream_port)
    nowhere = {f"upstream_{name}": f"http://127.0.0.1:{free_port()}" for name in SERVICES}
    settings = GatewaySettings(
        **{**nowhere, "upstream_notifications": f"http://127.0.0.1:{upstream_port}"},
        env=Environment.DEV,
        internal_token_private_key=generate_private_key_pem(),
        dev_idp_private_key=generate_private_key_pem(),
    )
    gateway = Gateway(settings)
    running = await serve(gateway, gateway_port)
    yield f"http://127.0.0.1:{gateway_port}"
    for server, task in (running, upstream):
        server.should_exit = True
        await task
    await gateway.client.aclose()


async def test_the_page_and_its_assets_come_from_the_gateway_with_a_policy_that_allows_only_it(
    gateway_url: str,
) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as client:
        page = await client.get("/api/v1/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        for name in ASSETS:
            asset = await client.get(f"/api/v1/docs/{name}")
            assert asset.status_code == 200, name
            assert asset.headers["x-content-type-options"] == "nosniff"
        # Only the files the page uses: the rest of the wheel's folder is not served.
        assert (await client.get("/api/v1/docs/redoc.standalone.js")).status_code == 404


async def test_chromium_shows_every_operation_and_asks_nothing_of_any_other_host(
    gateway_url: str, tmp_path: Path
) -> None:
    assert CHROMIUM, "Debian's chromium is needed for this test: `make test` installs it"
    requested: list[str] = []
    failed: list[str] = []
    refused_by_policy: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})

            async def only_the_gateway(route: BrowserRoute) -> None:
                if route.request.url.startswith(gateway_url + "/"):
                    await route.continue_()
                else:
                    await route.abort()  # recorded below; it never leaves this machine

            await context.route("**/*", only_the_gateway)
            page = await context.new_page()

            def on_request(request: BrowserRequest) -> None:
                requested.append(request.url)

            page.on("request", on_request)
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.on(
                "console",
                lambda message: (
                    refused_by_policy.append(message.text) if "Content Security Policy" in message.text else None
                ),
            )
            response = await page.goto(f"{gateway_url}/api/v1/docs", wait_until="networkidle")
            assert response is not None
            assert response.status == 200
            await page.wait_for_selector(".opblock", timeout=15_000)
            operations = await page.locator(".opblock-summary-operation-id").all_inner_texts()
            summaries = await page.locator(".opblock-summary-description").all_inner_texts()
            # Opened, an operation shows its responses with a media type to choose (drawn with Swagger UI's icons).
            await page.locator(".opblock-summary", has_text="notifications.mine").click()
            await page.wait_for_selector(".responses-wrapper select", timeout=5_000)
            await page.wait_for_load_state("networkidle")
            await page.screenshot(path=str(tmp_path / "api-docs.png"), full_page=True)
        finally:
            await browser.close()
    assert sorted(operations) == ["notifications.markRead", "notifications.mine"]
    assert "Mine varsler, nyeste først" in summaries
    assert [url for url in requested if not url.startswith(gateway_url + "/")] == []
    assert {url.removeprefix(gateway_url) for url in requested} >= {
        "/api/v1/docs",
        "/api/v1/docs/swagger-ui.css",
        "/api/v1/docs/swagger-ui-bundle.js",
        "/api/v1/docs/api-docs.js",
        "/api/v1/openapi.json",
    }
    assert failed == []
    assert refused_by_policy == []
