"""The leader's pages: "Til behandling" and the case page, with the actions the API says are allowed now.

The case page is also what a reporter sees of their own report: its status and, once closed, the conclusion.
Each action is a form posting to ``/saker/{id}/<action>``; the answer is a redirect back to the case, or the case
page again with the API's Norwegian message at the form that failed.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from varde_web.api import ApiProblem
from varde_web.i18n import translator
from varde_web.norwegian_time import parse_day
from varde_web.rendering import Page, PageCalls, follows_up, page_for, page_with, signed_out

router = APIRouter()

# A form's action on the page, and the API call with the body fields it takes from the form.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "acknowledge": ("acknowledge", ()),
    "close": ("close", ("conclusion",)),
    "reject": ("reject", ("reason",)),
    "reopen": ("reopen", ("reason",)),
    "add_measure": ("measures", ("description", "deadline", "effectiveness_check")),
    "escalate": ("escalate", ("comment",)),
    "forward": ("forward", ("unit_id", "comment")),
}
STATUSES = ("registered", "under_treatment", "measures", "closed", "rejected")
KINDS = ("avvik", "uonsket_hendelse", "nestenuhell", "forbedringsforslag")
VIEWS = ("to_handle", "unit", "all")
NOT_A_DATE = "ikke-en-dato"  # sent for a date the web could not read, so that the API refuses the change


def form_body(form: FormData, fields: tuple[str, ...], language: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's body from a form's fields (empty ones left out), and the web's own message for a date a
    Norwegian wrote that is not one. Such a date is sent as one no API reads: the API refuses it, so nothing
    changes, and the page shows every field's message at once, the date's in the words of the form."""
    body: dict[str, Any] = {name: str(form[name]).strip() for name in fields if str(form.get(name, "")).strip()}
    mine: dict[str, str] = {}
    if "deadline" in body:
        day = parse_day(body["deadline"])
        if day is None:
            mine["deadline"] = translator(language)("date.format")
            body["deadline"] = NOT_A_DATE
        else:
            body["deadline"] = day.isoformat()
    return body, mine


def with_messages(problem: ApiProblem, mine: dict[str, str]) -> ApiProblem:
    """The API's problem with the web's own message in place of the API's for the fields it names."""
    if not mine:
        return problem
    labels = {name: label for name, (label, _) in problem.field_problems.items()}
    errors = [e for e in problem.problem.get("errors", []) if str(e.get("field", "")).split(".")[0] not in mine]
    errors += [{"field": name, "label": labels.get(name, name), "message": text} for name, text in mine.items()]
    return ApiProblem(problem.status, {**problem.problem, "errors": errors})


@router.get("/behandling", response_class=HTMLResponse)
async def to_handle(
    request: Request,
    q: str | None = None,
    cursor: str | None = None,
    visning: str = "to_handle",
    status: list[str] = Query(default=[]),
    kind: list[str] = Query(default=[]),
    area: str | None = None,
    unit_id: str | None = None,
    overdue: str | None = None,
) -> Response:
    chosen: dict[str, Any] = {
        "visning": visning if visning in VIEWS else "to_handle",
        "status": [s for s in status if s in STATUSES],
        "kind": [k for k in kind if k in KINDS],
        "area": area or "",
        "unit_id": unit_id or "",
        "overdue": overdue == "ja",
        "q": (q or "").strip(),
    }
    params: dict[str, Any] = {
        "view": chosen["visning"],
        "limit": 25,
        "status": chosen["status"],
        "kind": chosen["kind"],
    }
    for name in ("q", "area", "unit_id"):
        if chosen[name]:
            params[name] = chosen[name]
    if chosen["overdue"]:
        params["overdue"] = "true"
    if cursor:
        params["cursor"] = cursor
    page, answers = await page_with(
        request,
        lambda api: [
            api.get("/api/v1/deviations", params),
            api.every_item("/api/v1/directory/units"),
            api.every_item("/api/v1/deviations/catalogue"),
        ],
    )
    if page.person is None:
        return signed_out(request)
    cases, units, areas = answers
    return page.render(
        "to_handle.html",
        cases=cases["items"],
        next_cursor=cases["next_cursor"],
        chosen=chosen,
        query=[(name, value) for name, value in request.query_params.multi_items() if name != "cursor"],
        statuses=STATUSES,
        kinds=KINDS,
        views=VIEWS,
        units=[u for u in units if not u.get("closed")],
        areas=areas,
        follows_up=follows_up(page.person),
        q=chosen["q"],
    )


def _case_calls(deviation_id: uuid.UUID) -> PageCalls:
    return lambda api: [
        api.get(f"/api/v1/deviations/{deviation_id}"),
        api.every_item(f"/api/v1/deviations/{deviation_id}/timeline", most=200),
    ]


async def _case_page(
    page: Page,
    deviation_id: uuid.UUID,
    failed: str | None = None,
    problem: ApiProblem | None = None,
    answers: Sequence[Any] | None = None,
) -> Response:
    case, timeline = answers or await asyncio.gather(*_case_calls(deviation_id)(page.api))
    return page.render(
        "case.html",
        status_code=422 if problem else 200,
        case=case,
        timeline=timeline,
        failed=failed,
        errors=problem.field_messages if problem else {},
        error_labels={name: label for name, (label, _) in problem.field_problems.items()} if problem else {},
        problem=problem.problem if problem else None,
    )


async def case_page_with_problem(
    request: Request, deviation_id: uuid.UUID, failed: str, problem: ApiProblem
) -> Response:
    """The case page again, with ``problem`` at the form ``failed``."""
    return await _case_page(await page_for(request), deviation_id, failed, problem)


@router.get("/saker/{deviation_id}", response_class=HTMLResponse)
async def case_page(request: Request, deviation_id: uuid.UUID) -> Response:
    page, answers = await page_with(request, _case_calls(deviation_id))
    if page.person is None:
        return signed_out(request)
    return await _case_page(page, deviation_id, answers=answers)


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
        return await case_page_with_problem(request, deviation_id, f"complete-{measure_id}", problem)
    return RedirectResponse(f"/saker/{deviation_id}", status_code=303)


@router.get("/saker/{deviation_id}/videresend", response_class=HTMLResponse)
async def forward_form(request: Request, deviation_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _forward_page(page, deviation_id, {})


async def _forward_page(
    page: Page, deviation_id: uuid.UUID, values: dict[str, str], problem: ApiProblem | None = None
) -> Response:
    case, units = await asyncio.gather(
        page.api.get(f"/api/v1/deviations/{deviation_id}"), page.api.every_item("/api/v1/directory/units")
    )
    return page.render(
        "forward.html",
        status_code=422 if problem else 200,
        case=case,
        units=[u for u in units if not u.get("closed") and u["id"] != case["handling_unit_id"]],
        values=values,
        errors=problem.field_messages if problem else {},
        problem=problem.problem if problem else None,
    )


@router.post("/saker/{deviation_id}/{action}")
async def act(request: Request, deviation_id: uuid.UUID, action: str) -> Response:
    if action not in ACTIONS:
        return RedirectResponse(f"/saker/{deviation_id}", status_code=303)
    page = await page_for(request, who=False)
    path, fields = ACTIONS[action]
    form = await request.form()
    body, mine = form_body(form, fields, page.language)
    try:
        await page.api.post(f"/api/v1/deviations/{deviation_id}/{path}", body)
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        problem = with_messages(problem, mine)
        if action == "forward":
            values = {name: str(form.get(name, "")) for name in fields}
            return await _forward_page(await page_for(request), deviation_id, values, problem)
        return await case_page_with_problem(request, deviation_id, action, problem)
    return RedirectResponse(f"/saker/{deviation_id}", status_code=303)
