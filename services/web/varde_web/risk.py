"""Risk assessments (ROS-analyser): the list a person may see, starting one, and an assessment's own page with its
matrix inline, its risks, participants and history, and the steps the API allows now (send for approval, approve,
take back for revision, archive).

What a risk itself takes (rating, target cell, measures) is posted from the same page: ``risk_forms``. A form that
the API refuses shows the assessment page again, with the API's Norwegian messages summarised at the top of that
form and linked to its fields, and what was typed kept.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.authz import Action, roles_granting
from varde_common.calendar import now_utc, oslo_date
from varde_web.api import ApiProblem
from varde_web.rendering import Page, page_for, signed_out
from varde_web.svg_inline import inline_svg

router = APIRouter()
API = "/api/v1/risk"
KINDS = ("virksomhetsstyring", "hms", "informasjonssikkerhet", "prosjekt", "overordnet_ros")
SCOPES = ("unit", "plan_goal", "project", "information_system")
# The list's filter: a status of the API, or those sent and not yet approved.
SHOWN = ("preparation", "active", "archived", "awaiting")
STEPS = ("submit", "approve", "reopen", "archive")
# The answers a form shows at itself rather than as a page of its own: not allowed, not now, not like this.
REFUSALS = (403, 409, 422)
CREATE_FIELDS = ("title", "description", "kind", "scope_kind", "scope_name", "unit_id", "review_due")
FOUND_PEOPLE = 10
DIMENSION_FIELD = "consequence_"  # a form's consequence in one dimension: consequence_liv_og_helse
RATED = ("probability", "consequence", "target_probability", "target_consequence")


@dataclass
class Failed:
    """A form the API refused: which one, what was typed, and the API's answer."""

    form: str
    values: dict[str, str]
    problem: ApiProblem
    fields: dict[str, str] = field(init=False)
    labels: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        problems = self.problem.field_problems
        self.fields = {name: message for name, (_, message) in problems.items()}
        self.labels = {name: label for name, (label, _) in problems.items()}


def refused(problem: ApiProblem) -> bool:
    return problem.status in REFUSALS


async def form_of(request: Request) -> dict[str, str]:
    return {key: str(value) for key, value in (await request.form()).items()}


def filled(form: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: form[name].strip() for name in names if form.get(name, "").strip()}


def holds(page: Page, action: Action) -> bool:
    """Whether one of the person's roles grants ``action`` somewhere."""
    granting = set(roles_granting(action))
    return any(role["role"] in granting for role in (page.person or {}).get("roles", []))


async def units_where(page: Page, action: Action) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The open units where the person's roles grant ``action``, and those below them: what a choice of unit
    offers (the API decides; a role reaches its unit's subtree)."""
    granting = set(roles_granting(action))
    held = {role["unit_id"] for role in (page.person or {}).get("roles", []) if role["role"] in granting}
    units = [unit for unit in await page.api.every_item("/api/v1/directory/units") if not unit.get("closed")]
    children: dict[str | None, list[str]] = {}
    for unit in units:
        children.setdefault(unit["parent_id"], []).append(unit["id"])
    reached, todo = set(held), list(held)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in reached:
                reached.add(child)
                todo.append(child)
    own = [unit for unit in units if unit["id"] in held]
    below = [unit for unit in units if unit["id"] in reached and unit["id"] not in held]
    return own, below


@router.get("/risiko", response_class=HTMLResponse)
async def assessments(request: Request, vis: str = "", cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    params: dict[str, Any] = {"limit": 25}
    if vis == "awaiting":
        params["awaiting_approval"] = "true"
    elif vis in SHOWN:
        params["status"] = vis
    if cursor:
        params["cursor"] = cursor
    problem: ApiProblem | None = None
    try:
        found = await page.api.get(f"{API}/assessments", params)
    except ApiProblem as refused_list:
        if refused_list.status != 422:  # a cursor from an old link, or one typed by hand
            raise
        found, problem = {"items": [], "next_cursor": None}, refused_list
    return page.render(
        "risk_list.html",
        status_code=422 if problem else 200,
        problem=problem.problem if problem else None,
        assessments=found["items"],
        next_cursor=found["next_cursor"],
        today=oslo_date(now_utc()).isoformat(),
        shown=vis if vis in SHOWN else "",
        choices=SHOWN,
        may_own=holds(page, Action.OWN_RISK),
        may_read=holds(page, Action.READ_RISK),
    )


async def _create_form(page: Page, values: dict[str, str], failed: Failed | None = None) -> Response:
    own, below = await units_where(page, Action.OWN_RISK)
    return page.render(
        "risk_new.html",
        status_code=422 if failed else 200,
        values=values,
        failed=failed,
        own_units=own,
        other_units=below,
        kinds=KINDS,
        scopes=SCOPES,
    )


@router.get("/risiko/ny", response_class=HTMLResponse)
async def new_assessment(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _create_form(page, {"kind": KINDS[0], "scope_kind": SCOPES[0]})


@router.post("/risiko/ny")
async def create_assessment(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    form = await form_of(request)
    try:
        created = await page.api.post(f"{API}/assessments", filled(form, CREATE_FIELDS))
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return await _create_form(page, form, Failed("create", form, problem))
    return RedirectResponse(f"/risiko/{created['id']}", status_code=303)


def rating_values(risk: dict[str, Any]) -> dict[str, str]:
    """A risk's rating and target as its forms show them when nothing was typed yet."""
    values = {name: str(risk[name]) for name in RATED if risk[name] is not None}
    values.update({f"{DIMENSION_FIELD}{key}": str(level) for key, level in risk["consequences"].items()})
    return values


async def _people_found(page: Page, query: str, assessment: dict[str, Any]) -> list[dict[str, Any]]:
    if not query.strip() or "change" not in assessment["allowed_actions"]:
        return []
    taken = {assessment["owner_id"], *(p["id"] for p in assessment["participants"])}
    found = await page.api.get("/api/v1/directory/people", {"q": query.strip(), "limit": FOUND_PEOPLE + len(taken)})
    return [person for person in found["items"] if person["id"] not in taken and person["active"]][:FOUND_PEOPLE]


async def assessment_page(
    page: Page, assessment_id: uuid.UUID, failed: Failed | None = None, people_query: str = ""
) -> Response:
    """The assessment with its matrix, risks and history; ``failed`` shows one form's refusal at that form."""
    url = f"{API}/assessments/{assessment_id}"
    assessment, svg, matrix, history = await asyncio.gather(
        page.api.get(url),
        page.api.get_text(f"{url}/matrix.svg"),
        page.api.get(f"{API}/matrix"),
        page.api.every_item(f"{url}/history", most=200),
    )
    owners = {assessment["owner_id"]: assessment["owner_name"]}
    owners.update({p["id"]: p["name"] for p in assessment["participants"]})
    return page.render(
        "risk_assessment.html",
        status_code=422 if failed else 200,
        assessment=assessment,
        picture=inline_svg(svg),
        matrix=matrix,
        levels=list(enumerate(matrix["level_labels"], start=1)),
        history=history,
        values_of=rating_values,
        failed=failed,
        owners=owners,
        people_query=people_query,
        people_found=await _people_found(page, people_query, assessment),
    )


@router.get("/risiko/{assessment_id}", response_class=HTMLResponse)
async def assessment(request: Request, assessment_id: uuid.UUID, deltaker: str = "") -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await assessment_page(page, assessment_id, people_query=deltaker)


@router.post("/risiko/{assessment_id}/steg/{step}")
async def take_step(request: Request, assessment_id: uuid.UUID, step: str) -> Response:
    if step not in STEPS:
        return RedirectResponse(f"/risiko/{assessment_id}", status_code=303)
    page = await page_for(request, who=False)
    try:
        await page.api.post(f"{API}/assessments/{assessment_id}/{step}", {})
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return await assessment_page(await page_for(request), assessment_id, Failed("steps", {}, problem))
    return RedirectResponse(f"/risiko/{assessment_id}", status_code=303)


async def _participants(request: Request, assessment_id: uuid.UUID, change: str, person_id: str) -> Response:
    """Add or remove one participant: the API takes the whole list, so the list is read just before."""
    page = await page_for(request, who=False)
    url = f"{API}/assessments/{assessment_id}"
    current = [p["id"] for p in (await page.api.get(url))["participants"]]
    wanted = [*current, person_id] if change == "add" else [p for p in current if p != person_id]
    try:
        await page.api.patch(url, {"participants": list(dict.fromkeys(wanted))})
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return await assessment_page(await page_for(request), assessment_id, Failed("participants", {}, problem))
    return RedirectResponse(f"/risiko/{assessment_id}#deltakere", status_code=303)


@router.post("/risiko/{assessment_id}/deltakere")
async def add_participant(request: Request, assessment_id: uuid.UUID) -> Response:
    form = await form_of(request)
    return await _participants(request, assessment_id, "add", form.get("person_id", ""))


@router.post("/risiko/{assessment_id}/deltakere/{person_id}/fjern")
async def remove_participant(request: Request, assessment_id: uuid.UUID, person_id: uuid.UUID) -> Response:
    return await _participants(request, assessment_id, "remove", str(person_id))
