"""The report form as an installable web app that works without a network: the web app manifest and the service
worker, both served from the site's root, so the worker's scope is the whole site and it sees the form's posts.

The worker keeps the report page's shell (its styles, font and scripts) in a cache whose name carries a version
made from those files and the worker itself: any change to them is a new cache, and the new worker removes the old
one when it takes over. The version is fixed for a build (the same on every replica) and changes only with it.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from varde_web.i18n import LANGUAGE_COOKIE, language_of, translator

router = APIRouter()
PACKAGE = Path(__file__).parent
WORKER = PACKAGE / "worker" / "sw.js"
# What the report page needs to be shown without a network, under /static/: the page itself is kept apart, for the
# person it was shown to, when it is opened with a network.
SHELL = (
    "vendor/inter/fonts.css",
    "vendor/inter/inter-latin-wght-normal.woff2",
    "vendor/designsystemet/theme/designsystemet.css",
    "vendor/designsystemet/css/index.css",
    "varde.css",
    "outbox.js",
    "varde.js",
    "icons/varde.svg",
)
THEME_COLOUR = "#0b5a8a"  # varde.css --varde-accent
ICONS = (
    {"src": "/static/icons/varde.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
    {"src": "/static/icons/varde-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "/static/icons/varde-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "/static/icons/varde-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
)


@cache
def shell_version() -> str:
    """A digest of the worker and every file it keeps: the version in the cache's name."""
    digest = hashlib.sha256(WORKER.read_bytes())
    for name in SHELL:
        digest.update(name.encode())
        digest.update((PACKAGE / "static" / name).read_bytes())
    return digest.hexdigest()[:12]


@cache
def worker_script() -> bytes:
    settings = {"version": shell_version(), "shell": [f"/static/{name}" for name in SHELL]}
    return b"self.VARDE = " + json.dumps(settings).encode() + b";\n" + WORKER.read_bytes()


@router.get("/sw.js", include_in_schema=False)
async def service_worker() -> Response:
    # The browser asks for the worker again at most daily on its own; no-cache makes it ask on every visit, so a new
    # release is taken up at once.
    return Response(worker_script(), media_type="text/javascript", headers={"cache-control": "no-cache"})


def manifest(language: str) -> dict[str, object]:
    _ = translator(language)
    return {
        "name": _("app.name"),
        "short_name": "Varde",
        "description": _("app.description"),
        "lang": language,
        "start_url": "/meld",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": list(ICONS),
    }


@router.get("/manifest.webmanifest", include_in_schema=False)
async def web_app_manifest(request: Request) -> Response:
    language = language_of(request.cookies.get(LANGUAGE_COOKIE))
    body = json.dumps(manifest(language), ensure_ascii=False).encode()
    return Response(body, media_type="application/manifest+json", headers={"cache-control": "no-cache"})
