"""Interactive API documentation for developers at ``/api/v1/docs``: Swagger UI on the public OpenAPI document,
served by the gateway from local files only.

Swagger UI's built files come from the ``fastapi-offline`` wheel (pinned in ``gateway/pyproject.toml``, so a
new Swagger UI is a version bump and ``uv lock``); the page and its start-up script are ours. Nothing is fetched
from elsewhere at run time, and the Content-Security-Policy holds the page to that.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

from varde_common.errors import RouteNotFound
from varde_common.inputs import InputText

DOCS_PATH = "/api/v1/docs"

_OURS = Path(__file__).parent / "static"
_SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui-bundle.js": (_SWAGGER_UI / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": (_SWAGGER_UI / "swagger-ui.css", "text/css; charset=utf-8"),
    "api-docs.js": (_OURS / "api-docs.js", "text/javascript; charset=utf-8"),
    "api-docs.css": (_OURS / "api-docs.css", "text/css; charset=utf-8"),
}

# Swagger UI's stylesheet draws a few icons (the select arrow, the lock) as data: images; data: is no request.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def is_docs_path(path: str) -> bool:
    return path == DOCS_PATH or path.startswith(DOCS_PATH + "/")


def add_docs_routes(api: FastAPI) -> None:
    @api.get(DOCS_PATH, include_in_schema=False)
    async def api_docs() -> FileResponse:
        return FileResponse(_OURS / "api-docs.html", media_type="text/html; charset=utf-8", headers=HEADERS)

    @api.get(DOCS_PATH + "/{name}", include_in_schema=False)
    async def api_docs_asset(name: InputText) -> FileResponse:
        if name not in ASSETS:
            raise RouteNotFound()
        path, media_type = ASSETS[name]
        return FileResponse(path, media_type=media_type, headers={**HEADERS, "cache-control": "public, max-age=3600"})
