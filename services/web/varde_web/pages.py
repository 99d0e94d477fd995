"""The pages: sign-in, the start page, reporting an avvik and its receipt, and my reports.

Every page is a plain HTML form or link: each flow works without JavaScript. A change is a POST that answers
with a redirect (post/redirect/get), so a reload never sends it twice; a report carries an ``Idempotency-Key``
made when the form was shown, so a double tap or a retry on a bad network makes one case.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_web.api import SESSION_COOKIE, ApiProblem
from varde_web.i18n import LANGUAGE_COOKIE, LANGUAGES
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()
OSLO = ZoneInfo("Europe/Oslo")
KINDS = ("avvik", "uonsket_hendelse", "nestenuhell", "forbedringsforslag")
CONSEQUENCES = (1, 2, 3, 4, 5)
REPORT_TEXT_FIELDS = (
    "kind",
    "area",
    "title",
    "description",
    "unit_id",
    "location",
    "immediate_action",
    "persons_involved",
)


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return page.render("start.html")


@router.get("/logg-inn", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    page = await page_for(request, who=False)
    kommuner: dict[str, dict[str, Any]] = {}
    if page.dev:
        for person in await page.api.get("/dev/people"):
            kommune = kommuner.setdefault(person["tenant"], {"name": person["tenant_name"], "people": []})
            kommune["people"].append(person)
    return page.render("sign_in.html", kommuner=kommuner)


@router.post("/logg-ut")
async def sign_out(request: Request) -> Response:
    page = await page_for(request, who=False)
    await page.api.post_raw("/auth/logout")
    response = RedirectResponse("/logg-inn", status_code=303)
    # As the gateway set it (Secure, HttpOnly, Lax): a browser removes a cookie only for the same attributes.
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


@router.post("/malform")
async def choose_language(
    request: Request, malform: Annotated[str, Form()], tilbake: Annotated[str, Form()] = "/"
) -> Response:
    # Only a path on this site: "//host" and "/\\host" would send the browser elsewhere.
    back = tilbake if tilbake.startswith("/") and not tilbake.startswith("//") and "\\" not in tilbake else "/"
    response = RedirectResponse(back, status_code=303)
    if malform in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, malform, max_age=365 * 24 * 3600, path="/", samesite="lax")
    return response


async def _report_form(page: Page, values: dict[str, str], problem: ApiProblem | None = None) -> Response:
    me = page.person or {}
    mine = {role["unit_id"]: role["unit_name"] for role in me.get("roles", [])}
    units, areas = await asyncio.gather(
        page.api.every_item("/api/v1/directory/units"), page.api.every_item("/api/v1/deviations/catalogue")
    )
    others = [unit for unit in units if unit["id"] not in mine and not unit.get("closed")]
    tenant = page.tenant or {}
    return page.render(
        "report.html",
        status_code=422 if problem else 200,
        values=values,
        errors=problem.field_messages if problem else {},
        error_labels={name: label for name, (label, _) in problem.field_problems.items()} if problem else {},
        problem=problem.problem if problem else None,
        my_units=mine,
        other_units=others,
        areas=[area for area in areas if area["active"]],
        kinds=KINDS,
        consequences=CONSEQUENCES,
        anonymous_allowed=bool(tenant.get("settings", {}).get("anonymous_reporting")),
    )


@router.get("/meld", response_class=HTMLResponse)
async def report_form(request: Request, enhet: str = "", sted: str = "") -> Response:
    """The empty form; a QR poster's address fills in the unit and the place (``?enhet=<unit id>&sted=<place>``)."""
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    now = datetime.now(OSLO).strftime("%Y-%m-%dT%H:%M")
    values = {"occurred_at": now, "kind": "avvik", "idempotency_key": str(uuid.uuid4())}
    if enhet:
        values["unit_id"] = enhet  # selected only if it is one of the form's units
    if sted.strip():
        values["location"] = " ".join(sted.split())[:200]
    return await _report_form(page, values)


def _report_body(form: dict[str, str]) -> dict[str, Any]:
    """The API's report from the form's fields: empty fields left out, the local time given its Oslo offset."""
    body: dict[str, Any] = {name: form[name].strip() for name in REPORT_TEXT_FIELDS if form.get(name, "").strip()}
    for name in ("actual_consequence", "potential_consequence"):
        if form.get(name, "").isdigit():
            body[name] = int(form[name])
    if form.get("occurred_at"):
        try:
            body["occurred_at"] = datetime.fromisoformat(form["occurred_at"]).replace(tzinfo=OSLO).isoformat()
        except ValueError:
            body["occurred_at"] = form["occurred_at"]  # the API names what is wrong with it
    body["anonymous"] = form.get("anonymous") == "ja"
    body["personal_data_breach"] = form.get("personal_data_breach") == "ja"
    return body


@router.post("/meld")
async def send_report(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    form = {key: str(value) for key, value in (await request.form()).items()}
    key = form.get("idempotency_key") or str(uuid.uuid4())
    try:
        created = await page.api.post("/api/v1/deviations", _report_body(form), {"idempotency-key": key})
    except ApiProblem as problem:
        if problem.status not in (400, 409, 422):
            raise
        return await _report_form(page, {**form, "idempotency_key": key}, problem)
    return RedirectResponse(f"/meld/{created['id']}/kvittering", status_code=303)


@router.get("/meld/{deviation_id}/kvittering", response_class=HTMLResponse)
async def receipt(request: Request, deviation_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    deviation = await page.api.get(f"/api/v1/deviations/{deviation_id}")
    return page.render("receipt.html", deviation=deviation)


@router.get("/mine", response_class=HTMLResponse)
async def my_reports(request: Request, cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    params: dict[str, Any] = {"view": "reported", "limit": 25}
    if cursor:
        params["cursor"] = cursor
    reports = await page.api.get("/api/v1/deviations", params)
    return page.render("mine.html", reports=reports["items"], next_cursor=reports["next_cursor"])
