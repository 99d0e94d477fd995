"""The pages: sign-in, the start page, reporting an avvik (with photos) and its receipt, and my reports.

Every page is a plain HTML form or link: each flow works without JavaScript. A change is a POST that answers
with a redirect (post/redirect/get), so a reload never sends it twice; a report carries an ``Idempotency-Key``
made when the form was shown, so a double tap or a retry on a bad network makes one case.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.calendar import now_utc
from varde_common.redirects import site_path
from varde_web.api import SESSION_COOKIE, ApiProblem
from varde_web.handling import KINDS, NOT_A_DATE, with_messages
from varde_web.i18n import translator
from varde_web.norwegian_time import instant_text, parse_instant
from varde_web.photos import MOST_PHOTOS, PHOTO_FIELD, photos_of, send_photos
from varde_web.receipts import RECEIPT_COOKIE, RECEIPT_PATH, anonymous_receipt_redirect
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()
OSLO = ZoneInfo("Europe/Oslo")
CONSEQUENCES = (1, 2, 3, 4, 5)
REPORT_TEXT_FIELDS = (
    "kind",
    "area",
    "title",
    "description",
    "unit_id",
    "category_id",
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
async def sign_in(request: Request, tilbake: str | None = None) -> Response:
    page = await page_for(request, who=False)
    kommuner: dict[str, dict[str, Any]] = {}
    if page.dev:
        for person in await page.api.get("/dev/people"):
            kommune = kommuner.setdefault(person["tenant"], {"name": person["tenant_name"], "people": []})
            kommune["people"].append(person)
    # Where the sign-in returns to: the page that sent the browser here (the gateway checks it again).
    return page.render("sign_in.html", kommuner=kommuner, return_to=site_path(tilbake))


@router.post("/logg-ut")
async def sign_out(request: Request) -> Response:
    page = await page_for(request, who=False)
    await page.api.post_raw("/auth/logout")
    response = RedirectResponse("/logg-inn", status_code=303)
    # As the gateway set it (Secure, HttpOnly, Lax): a browser removes a cookie only for the same attributes.
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    # A receipt code still on a shared phone is not left for the next person who picks it up.
    response.delete_cookie(RECEIPT_COOKIE, path=RECEIPT_PATH, secure=True, httponly=True, samesite="strict")
    return response


async def _report_form(
    page: Page, values: dict[str, str], problem: ApiProblem | None = None, *, photos_again: bool = False
) -> Response:
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
        areas=[
            {**area, "categories": [c for c in area["categories"] if c["active"]]} for area in areas if area["active"]
        ],
        kinds=KINDS,
        consequences=CONSEQUENCES,
        anonymous_allowed=bool(tenant.get("settings", {}).get("anonymous_reporting")),
        most_photos=MOST_PHOTOS,
        photo_limit_mb=page.request.app.state.attachment_max_bytes // 1_048_576,
        photos_again=photos_again,
    )


@router.get("/meld", response_class=HTMLResponse)
async def report_form(request: Request, enhet: str = "", sted: str = "") -> Response:
    """The empty form; a QR poster's address fills in the unit and the place (``?enhet=<unit id>&sted=<place>``)."""
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    now = instant_text(now_utc().astimezone(OSLO))
    values = {"occurred_at": now, "kind": "avvik", "idempotency_key": str(uuid.uuid4())}
    if enhet:
        values["unit_id"] = enhet  # selected only if it is one of the form's units
    if sted.strip():
        values["location"] = " ".join(sted.split())[:200]
    return await _report_form(page, values)


def _report_body(form: dict[str, str], language: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's report from the form's fields: empty fields left out, the time as a Norwegian wrote it given its
    Oslo offset; and the web's own message for a time it cannot read (sent as one the API refuses, so nothing is
    made and every field's message shows at once)."""
    body: dict[str, Any] = {name: form[name].strip() for name in REPORT_TEXT_FIELDS if form.get(name, "").strip()}
    mine: dict[str, str] = {}
    for name in ("actual_consequence", "potential_consequence"):
        if form.get(name, "").isdigit():
            body[name] = int(form[name])
    if form.get("occurred_at", "").strip():
        moment = parse_instant(form["occurred_at"])
        if moment is None:
            mine["occurred_at"] = translator(language)("report.when_format")
        body["occurred_at"] = moment.isoformat() if moment else NOT_A_DATE
    body["anonymous"] = form.get("anonymous") == "ja"
    body["personal_data_breach"] = form.get("personal_data_breach") == "ja"
    return body, mine


@router.post("/meld")
async def send_report(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    submitted = await request.form()
    form = {key: str(value) for key, value in submitted.items() if isinstance(value, str)}
    key = form.get("idempotency_key") or str(uuid.uuid4())
    values = {**form, "idempotency_key": key}
    _ = translator(page.language)
    photos, refusal = await photos_of(submitted, request.app.state.attachment_max_bytes, page.language)
    anonymous_with_photos = refusal is None and bool(photos) and form.get("anonymous") == "ja"
    if anonymous_with_photos:
        refusal = _("photos.not_anonymous")
    if refusal is not None:
        error = {"field": PHOTO_FIELD, "label": _("report.photos"), "message": refusal}
        problem = ApiProblem(422, {"title": _("photos.not_sent"), "errors": [error]})
        return await _report_form(page, values, problem, photos_again=not anonymous_with_photos)
    body, mine = _report_body(form, page.language)
    try:
        created = await page.api.post("/api/v1/deviations", body, {"idempotency-key": key})
    except ApiProblem as problem:
        if problem.status not in (400, 409, 422):
            raise
        return await _report_form(page, values, with_messages(problem, mine), photos_again=bool(photos))
    refused = await send_photos(page.api, created["id"], photos) if photos else []
    if created.get("anonymous"):
        return anonymous_receipt_redirect(created.get("receipt_code"))
    missing = "?bilder=ikke-alle" if refused else ""
    return RedirectResponse(f"/meld/{created['id']}/kvittering{missing}", status_code=303)


@router.get("/meld/{deviation_id}/kvittering", response_class=HTMLResponse)
async def receipt(request: Request, deviation_id: uuid.UUID, bilder: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    deviation = await page.api.get(f"/api/v1/deviations/{deviation_id}")
    return page.render("receipt.html", deviation=deviation, photos_missing=bilder == "ikke-alle")


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
