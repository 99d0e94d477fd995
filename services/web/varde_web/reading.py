"""Reading (lesing): "Min leseliste" with one "Lest og forstått" button per document, and for leaders and the
quality roles who has read what: a unit's documents the least read first, and one document's readers by unit with
the names of who has not read it yet."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.authz import Action
from varde_web.api import ApiProblem
from varde_web.document_pages import an_id, paged, show
from varde_web.document_roles import own_units_first, units_where
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()


@router.get("/dokumenter/leseliste", response_class=HTMLResponse)
async def reading_list(request: Request, bekreftede: str = "", cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    listed = await page.api.get("/api/v1/documents/reading-list", paged(cursor, include_confirmed=bekreftede == "ja"))
    return show(
        page,
        "reading_list.html",
        items=listed["items"],
        next_cursor=listed["next_cursor"],
        with_confirmed=bekreftede == "ja",
        confirmed=request.query_params.get("lest") == "ja",
    )


@router.post("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}/lest")
async def confirm_read(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    await page.api.post(f"/api/v1/documents/{document_id}/versions/{version_id}/confirm-read", {})
    form = await request.form()
    if form.get("fra") == "dokument":
        return RedirectResponse(f"/dokumenter/{document_id}?gjort=lest", status_code=303)
    return RedirectResponse("/dokumenter/leseliste?lest=ja", status_code=303)


async def _statistics_units(page: Page) -> list[dict[str, Any]]:
    """The units whose reading the person may follow, the units of their roles first."""
    units = await page.api.every_item("/api/v1/directory/units")
    return own_units_first(page.person, units_where(page.person, Action.VIEW_STATISTICS, units))


@router.get("/dokumenter/lesestatus", response_class=HTMLResponse)
async def unit_coverage(request: Request, enhet: str = "", cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    units = await _statistics_units(page)
    chosen = an_id(enhet) or ""
    if not any(str(unit["id"]) == chosen for unit in units):
        chosen = str(units[0]["id"]) if units else ""
    overview = None
    if chosen:
        overview = await page.api.get("/api/v1/documents/reading-coverage", paged(cursor, unit_id=chosen))
    return show(page, "unit_coverage.html", units=units, chosen=chosen, overview=overview)


@router.get("/dokumenter/{document_id:uuid}/lesestatus", response_class=HTMLResponse)
async def document_coverage(
    request: Request, document_id: uuid.UUID, enhet: str = "", cursor: str | None = None
) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    found = await page.api.get(f"/api/v1/documents/{document_id}")
    units = await _statistics_units(page)
    enhet = an_id(enhet) or ""
    try:
        coverage = await page.api.get(f"/api/v1/documents/{document_id}/coverage", paged(cursor, unit_id=enhet))
    except ApiProblem as problem:
        # A leader who neither writes nor approves the document follows it for their own units only.
        if problem.status != 403 or enhet or not units:
            raise
        return RedirectResponse(f"/dokumenter/{document_id}/lesestatus?enhet={units[0]['id']}", status_code=303)
    return show(page, "document_coverage.html", document=found, coverage=coverage, units=units, chosen=enhet)
