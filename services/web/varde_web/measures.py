"""Changing a measure (tiltak) of a case: a handler moves its deadline, or gives it to someone else, picked from
the kommune's people by a search (a plain form: the list of matches is a page of its own, so it works without
JavaScript). Only offered where the case's ``allowed_actions`` hold ``change_measure``; the API decides."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_web.api import ApiProblem
from varde_web.handling import NOT_A_DATE, case_page_with_problem, form_body, with_messages
from varde_web.i18n import translator
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()


def _measure_path(deviation_id: uuid.UUID, measure_id: uuid.UUID) -> str:
    return f"/api/v1/deviations/{deviation_id}/measures/{measure_id}"


@router.post("/saker/{deviation_id}/tiltak/{measure_id}/frist")
async def move_deadline(request: Request, deviation_id: uuid.UUID, measure_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    form = await request.form()
    body, mine = form_body(form, ("deadline",), page.language)
    if "deadline" not in body:  # an empty field is a slip, not "no deadline": refused as a date not written
        body["deadline"], mine = NOT_A_DATE, {"deadline": translator(page.language)("date.format")}
    try:
        await page.api.patch(_measure_path(deviation_id, measure_id), body)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return await case_page_with_problem(
            request, deviation_id, f"deadline-{measure_id}", with_messages(problem, mine)
        )
    return RedirectResponse(f"/saker/{deviation_id}#tiltak-{measure_id}", status_code=303)


async def _owner_page(
    page: Page, deviation_id: uuid.UUID, measure_id: uuid.UUID, q: str, cursor: str | None, problem: ApiProblem | None
) -> Response:
    params: dict[str, Any] = {"limit": 25}
    if q:
        params["q"] = q
    if cursor:
        params["cursor"] = cursor
    case, people = await asyncio.gather(
        page.api.get(f"/api/v1/deviations/{deviation_id}"), page.api.get("/api/v1/directory/people", params)
    )
    measure = next((m for m in case["measures"] if m["id"] == str(measure_id)), None)
    if measure is None:
        raise ApiProblem(404, {})
    return page.render(
        "pick_owner.html",
        status_code=422 if problem else 200,
        case=case,
        measure=measure,
        people=[p for p in people["items"] if p["active"] and p["id"] != measure["owner_id"]],
        next_cursor=people["next_cursor"],
        q=q,
        errors=problem.field_messages if problem else {},
        problem=problem.problem if problem else None,
    )


@router.get("/saker/{deviation_id}/tiltak/{measure_id}/ansvarlig", response_class=HTMLResponse)
async def pick_owner(
    request: Request, deviation_id: uuid.UUID, measure_id: uuid.UUID, q: str = "", cursor: str | None = None
) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _owner_page(page, deviation_id, measure_id, q.strip(), cursor, None)


@router.post("/saker/{deviation_id}/tiltak/{measure_id}/ansvarlig")
async def change_owner(request: Request, deviation_id: uuid.UUID, measure_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    form = await request.form()
    owner = str(form.get("owner_id", "")).strip()
    _ = translator(page.language)
    try:
        if not owner:  # nobody picked: said in the form's words, not as the API's "cannot be removed"
            raise ApiProblem(
                422, {"title": _("owner.title"), "errors": [{"field": "owner_id", "message": _("owner.pick")}]}
            )
        await page.api.patch(_measure_path(deviation_id, measure_id), {"owner_id": owner})
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        page = await page_for(request)
        return await _owner_page(page, deviation_id, measure_id, str(form.get("q", "")).strip(), None, problem)
    return RedirectResponse(f"/saker/{deviation_id}#tiltak-{measure_id}", status_code=303)
