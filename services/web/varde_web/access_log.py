"""The access log (tilgangslogg) for the quality roles: who read the restricted part of a case, and when; one
case's (offered on the case where its ``allowed_actions`` hold ``access_log``) or every case's in the person's
scope. The API decides who sees which: the kommune's log is empty for anyone without a quality role."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from varde_web.rendering import page_for, signed_out

router = APIRouter()


def _page_params(cursor: str | None) -> dict[str, Any]:
    return {"limit": 50, **({"cursor": cursor} if cursor else {})}


@router.get("/tilgangslogg", response_class=HTMLResponse)
async def kommune_log(request: Request, cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    entries = await page.api.get("/api/v1/deviations/access-log", _page_params(cursor))
    return page.render("access_log.html", entries=entries["items"], next_cursor=entries["next_cursor"], case=None)


@router.get("/saker/{deviation_id}/tilgangslogg", response_class=HTMLResponse)
async def case_log(request: Request, deviation_id: uuid.UUID, cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    # The case without its restricted part would be the same read: the title comes from the log's own lines,
    # so looking at who read the case is not itself a read of it.
    entries = await page.api.get(f"/api/v1/deviations/{deviation_id}/access-log", _page_params(cursor))
    title = next((e["deviation_title"] for e in entries["items"] if e.get("deviation_title")), None)
    return page.render(
        "access_log.html",
        entries=entries["items"],
        next_cursor=entries["next_cursor"],
        case={"id": str(deviation_id), "title": title},
    )
