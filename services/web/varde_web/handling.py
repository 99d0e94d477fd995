"""The leader's pages: "Til behandling" and the case page, with the actions the API says are allowed now.

The case page is also what a reporter sees of their own report: its status and, once closed, the conclusion.
Each action is a form posting to ``/saker/{id}/<action>``; the answer is a redirect back to the case, or the case
page again with the API's Norwegian message at the form that failed.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_web.api import ApiProblem
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()

# A form's action on the page, and the API call with the body fields it takes from the form.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "acknowledge": ("acknowledge", ()),
    "close": ("close", ("conclusion",)),
    "reject": ("reject", ("reason",)),
    "reopen": ("reopen", ("reason",)),
    "add_measure": ("measures", ("description", "deadline", "effectiveness_check")),
}


@router.get("/behandling", response_class=HTMLResponse)
async def to_handle(request: Request, q: str | None = None, cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    params: dict[str, Any] = {"view": "to_handle", "limit": 25}
    if q:
        params["q"] = q
    if cursor:
        params["cursor"] = cursor
    cases = await page.api.get("/api/v1/deviations", params)
    return page.render("to_handle.html", cases=cases["items"], next_cursor=cases["next_cursor"], q=q or "")


async def _case_page(
    page: Page, deviation_id: uuid.UUID, failed: str | None = None, problem: ApiProblem | None = None
) -> Response:
    case, timeline = await asyncio.gather(
        page.api.get(f"/api/v1/deviations/{deviation_id}"),
        page.api.every_item(f"/api/v1/deviations/{deviation_id}/timeline", most=200),
    )
    return page.render(
        "case.html",
        status_code=422 if problem else 200,
        case=case,
        timeline=timeline,
        failed=failed,
        errors=problem.field_messages if problem else {},
        problem=problem.problem if problem else None,
    )


@router.get("/saker/{deviation_id}", response_class=HTMLResponse)
async def case_page(request: Request, deviation_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _case_page(page, deviation_id)


@router.post("/saker/{deviation_id}/tiltak/{measure_id}/utfort")
async def complete_measure(request: Request, deviation_id: uuid.UUID, measure_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    form = await request.form()
    result = str(form.get("effectiveness_result", "")).strip()
    try:
        await page.api.post(
            f"/api/v1/deviations/{deviation_id}/measures/{measure_id}/complete",
            {"effectiveness_result": result} if result else {},
        )
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        return await _case_page(await page_for(request), deviation_id, f"complete-{measure_id}", problem)
    return RedirectResponse(f"/saker/{deviation_id}", status_code=303)


@router.post("/saker/{deviation_id}/{action}")
async def act(request: Request, deviation_id: uuid.UUID, action: str) -> Response:
    if action not in ACTIONS:
        return RedirectResponse(f"/saker/{deviation_id}", status_code=303)
    page = await page_for(request, who=False)
    path, fields = ACTIONS[action]
    form = await request.form()
    body = {name: str(form[name]).strip() for name in fields if str(form.get(name, "")).strip()}
    try:
        await page.api.post(f"/api/v1/deviations/{deviation_id}/{path}", body)
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        return await _case_page(await page_for(request), deviation_id, action, problem)
    return RedirectResponse(f"/saker/{deviation_id}", status_code=303)
