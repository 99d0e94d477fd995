"""Who must read a document (målgruppe): the lines of its audience, each removed with its own button, a line added
(a unit with the units below it, optionally only those holding a role there), and the days they have to read.

The API takes the whole audience at once (PUT), so each form sends the lines the page showed with its one change.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.roles import ROLE_TITLES, Role
from varde_web.api import ApiProblem
from varde_web.document_pages import form_fields, form_text, show_form
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()


def entry_body(line: dict[str, Any]) -> dict[str, Any]:
    """An audience line as the API shows it, back into what it takes."""
    return {
        name: line[name]
        for name in ("unit_id", "role", "person_id", "include_subtree")
        if line.get(name) is not None and not (name == "include_subtree" and line.get("person_id"))
    }


async def _audience_page(
    page: Page,
    document_id: uuid.UUID,
    *,
    problem: ApiProblem | None = None,
    values: dict[str, str] | None = None,
    saved: bool = False,
) -> Response:
    document = await page.api.get(f"/api/v1/documents/{document_id}")
    audience = await page.api.get(f"/api/v1/documents/{document_id}/audience")
    units = [unit for unit in await page.api.every_item("/api/v1/directory/units") if not unit.get("closed")]
    return show_form(
        page,
        "audience.html",
        problem,
        document=document,
        audience=audience,
        units=units,
        roles=[(role.value, ROLE_TITLES[role].nn if page.language == "nn" else ROLE_TITLES[role].nb) for role in Role],
        saved=saved,
        values=values,
    )


@router.get("/dokumenter/{document_id:uuid}/lesere", response_class=HTMLResponse)
async def audience(request: Request, document_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _audience_page(page, document_id, saved=request.query_params.get("lagret") == "ja")


@router.post("/dokumenter/{document_id:uuid}/lesere")
async def change_audience(request: Request, document_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    form = await form_fields(request)
    current = await page.api.get(f"/api/v1/documents/{document_id}/audience")
    entries = [entry_body(line) for line in current["entries"]]
    body: dict[str, Any] = {"entries": entries}
    action = form.get("handling", "")
    if action.startswith("fjern-") and action[6:].isdigit():
        index = int(action[6:])
        body["entries"] = [entry for number, entry in enumerate(entries) if number != index]
    elif action == "legg-til":
        added: dict[str, Any] = {"include_subtree": form.get("include_subtree") == "ja"}
        if form_text(form, "unit_id"):
            added["unit_id"] = form_text(form, "unit_id")
        if form_text(form, "role"):
            added["role"] = form_text(form, "role")
        body["entries"] = [*entries, added]
    elif action == "frist":
        days = form_text(form, "reading_days")
        body["reading_days"] = int(days) if days.isdigit() else days  # the API names what is wrong with "to uker"
    try:
        await page.api.put(f"/api/v1/documents/{document_id}/audience", body)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return await _audience_page(page, document_id, problem=problem, values=form)
    return RedirectResponse(f"/dokumenter/{document_id}/lesere?lagret=ja", status_code=303)
