"""Composition of the web client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from varde_common.cookies import NoCookies
from varde_common.settings import Environment
from varde_web import (
    access_log,
    admin,
    admin_hr,
    admin_settings,
    approval,
    audience,
    authoring,
    handling,
    inbox,
    library,
    measures,
    offline,
    pages,
    photos,
    posters,
    preferences,
    reading,
    receipts,
    risk,
    risk_forms,
    risk_picture,
)
from varde_web.api import ApiProblem
from varde_web.config import WebSettings
from varde_web.i18n import translator
from varde_web.rendering import page_for, signed_out
from varde_web.timing import ServerTiming

STATIC = Path(__file__).parent / "static"
UNCOMPRESSED_TYPES = ("text/event-stream", "font/woff2", "image/png", "image/jpeg", "image/webp")


def create_app(settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.client.aclose()

    app = FastAPI(title="Varde web", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    # No cookie jar: each call carries the one person's cookie it is made for, and nothing a response sets is kept.
    app.state.client = httpx.AsyncClient(
        base_url=settings.gateway_url, timeout=settings.api_timeout_s, cookies=NoCookies(), follow_redirects=False
    )
    app.state.dev = settings.env == Environment.DEV
    app.state.public_url = settings.public_url or settings.gateway_url
    app.state.attachment_max_bytes = settings.attachment_max_bytes
    # Before pages: "/meld/anonym/kvittering" would otherwise be taken by "/meld/{deviation_id}/kvittering".
    app.include_router(receipts.router)
    app.include_router(pages.router)
    app.include_router(preferences.router)
    app.include_router(photos.router)
    app.include_router(measures.router)
    app.include_router(access_log.router)
    for documents in (library, reading, authoring, approval, audience):
        app.include_router(documents.router)
    # Last: its "/saker/{id}/{action}" would otherwise take the posts of the routers above.
    app.include_router(handling.router)
    app.include_router(inbox.router)
    app.include_router(offline.router)
    app.include_router(posters.router)
    # The unit's picture before the assessments: /risiko/bilde is no assessment's id.
    app.include_router(risk_picture.router)
    app.include_router(risk.router)
    app.include_router(risk_forms.router)
    for administration in (admin, admin_settings, admin_hr):
        app.include_router(administration.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # A phone on a poor network gets the pages and the stylesheets compressed (147 KB of CSS are 21 KB gzipped);
    # fonts (woff2) and photos are compressed already.
    app.add_middleware(GZipMiddleware, minimum_size=1000, exclude_content_types=UNCOMPRESSED_TYPES)
    app.add_middleware(ServerTiming)

    @app.get("/livez", include_in_schema=False)
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, problem: ApiProblem) -> Response:
        if problem.status == 401:  # the session ended: a page comes back after signing in, a form's post cannot
            return signed_out(request) if request.method == "GET" else RedirectResponse("/logg-inn", status_code=303)
        page = await page_for(request, who=False)
        status = problem.status if problem.status in (403, 404, 429, 503) else 502
        return page.render("problem.html", status_code=status, problem=problem.problem, status=problem.status)

    @app.exception_handler(StarletteHTTPException)
    async def no_such_page(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        page = await page_for(request, who=False)
        missing = error.status_code == 404
        return page.render("missing.html" if missing else "problem.html", status_code=error.status_code, problem={})

    @app.exception_handler(RequestValidationError)
    async def unreadable_request(request: Request, error: RequestValidationError) -> HTMLResponse:
        """A person who edits an address (/saker/abc) finds no such page; a form the web itself did not make (a
        hand-made post) is refused in words, never with FastAPI's JSON."""
        page = await page_for(request, who=False)
        if any(detail.get("loc", ("",))[0] == "path" for detail in error.errors()):
            return page.render("missing.html", status_code=404, problem={})
        unreadable = {"detail": translator(page.language)("problem.unreadable")}
        return page.render("problem.html", status_code=400, problem=unreadable, status=400)

    @app.exception_handler(httpx.HTTPError)
    async def api_unreachable(request: Request, error: httpx.HTTPError) -> HTMLResponse:
        page = await page_for(request, who=False)
        return page.render("problem.html", status_code=503, problem={}, status=503)

    return app
