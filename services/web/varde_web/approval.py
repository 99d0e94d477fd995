"""Approving (godkjenning): the queue of versions waiting for the leader's decision, the longest waiting first, and
the decision on one: approve it into force, or send it back to its author with a comment. The version's page
(``library.version``) carries both forms; a refusal shows it again with the API's message at the form."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_web.api import ApiProblem
from varde_web.document_pages import form_fields, form_text, paged, show, show_form
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()


@router.get("/dokumenter/godkjenning", response_class=HTMLResponse)
async def approval_queue(request: Request, cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    queue = await page.api.get("/api/v1/documents/approval-queue", paged(cursor))
    return show(
        page,
        "approvals.html",
        items=queue["items"],
        next_cursor=queue["next_cursor"],
        decided=request.query_params.get("gjort"),
    )


async def _refused(
    page: Page, document_id: uuid.UUID, version_id: uuid.UUID, problem: ApiProblem, values: dict[str, str]
) -> Response:
    document, version = await asyncio.gather(
        page.api.get(f"/api/v1/documents/{document_id}"),
        page.api.get(f"/api/v1/documents/{document_id}/versions/{version_id}"),
    )
    return show_form(page, "version.html", problem, document=document, version=version, values=values)


@router.post("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}/godkjenn")
async def approve(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    try:
        await page.api.post(f"/api/v1/documents/{document_id}/versions/{version_id}/approve", {})
    except ApiProblem as problem:
        if problem.status not in (403, 409):
            raise
        return await _refused(page, document_id, version_id, problem, {})
    return RedirectResponse("/dokumenter/godkjenning?gjort=godkjent", status_code=303)


@router.post("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}/avvis")
async def reject(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    form = await form_fields(request)
    comment = form_text(form, "comment")
    try:
        await page.api.post(
            f"/api/v1/documents/{document_id}/versions/{version_id}/reject", {"comment": comment} if comment else {}
        )
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return await _refused(page, document_id, version_id, problem, form)
    return RedirectResponse("/dokumenter/godkjenning?gjort=avvist", status_code=303)
