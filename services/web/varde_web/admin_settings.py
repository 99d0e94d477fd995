"""The kommune's settings (the directory's: anonymous reporting, the deadline to acknowledge a case, its målform and
colour, the names of its unit types) and its risk acceptance criteria (risk's 5 × 5 zones). Every administering role
sees the settings; only the system administrator is offered the form (the directory refuses anyone else). The criteria
are changed by the quality roles and the system administrator at kommune level, as risk decides."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.roles import ROLE_TITLES
from varde_web.admin import AdminPowers, admin_page, show
from varde_web.api import ApiProblem
from varde_web.i18n import LANGUAGES
from varde_web.rendering import Page
from varde_web.risk import Failed, form_of, refused

router = APIRouter()
TENANT = "/api/v1/directory/tenant"
MATRIX = "/api/v1/risk/matrix"
SETTINGS_PAGE = "/administrasjon/innstillinger"
CRITERIA_PAGE = "/administrasjon/risikokriterier"
UNIT_TYPE_FIELD = "unit_type-"  # a unit type's name in the form: unit_type-virksomhet
LEVELS = range(1, 6)


def settings_values(settings: dict[str, Any]) -> dict[str, str]:
    """The form's fields as the kommune's settings are now."""
    values = {
        "anonymous_reporting": "ja" if settings.get("anonymous_reporting") else "nei",
        "acknowledge_deadline_hours": str(settings.get("acknowledge_deadline_hours", "")),
        "malform": str(settings.get("malform", "nb")),
        "colour": str(settings.get("colour", "")),
    }
    return values | {f"{UNIT_TYPE_FIELD}{t['key']}": t["name"] for t in settings.get("unit_types", [])}


def settings_change(form: dict[str, str], unit_types: list[dict[str, Any]]) -> dict[str, Any]:
    """The directory's change from the form: the hours as a number when they are one (a word goes as typed, so the
    API names it), the unit types whole with their new names."""
    hours = form.get("acknowledge_deadline_hours", "").strip()
    return {
        "settings": {
            "anonymous_reporting": form.get("anonymous_reporting") == "ja",
            "acknowledge_deadline_hours": int(hours) if hours.isdigit() else hours,
            "malform": form.get("malform", ""),
            "colour": form.get("colour", "").strip(),
            "unit_types": [
                {**unit_type, "name": form.get(f"{UNIT_TYPE_FIELD}{unit_type['key']}", "").strip()}
                for unit_type in unit_types
            ],
        }
    }


def settings_failed(form: dict[str, str], problem: ApiProblem, unit_types: list[dict[str, Any]]) -> Failed:
    """The refusal with each message at its field of the form: the API names them inside ``settings`` (and a unit
    type by its place in the list)."""
    failed = Failed("settings", form, problem)
    failed.fields, failed.labels = {}, {}
    for entry in problem.problem.get("errors", []):
        path = str(entry.get("field") or "").removeprefix("settings.").split(".")
        if not path[0]:
            continue
        name = path[0]
        if name == "unit_types" and len(path) > 1 and path[1].isdigit() and int(path[1]) < len(unit_types):
            name = f"{UNIT_TYPE_FIELD}{unit_types[int(path[1])]['key']}"
        failed.fields.setdefault(name, str(entry.get("message", "")))
        failed.labels.setdefault(name, str(entry.get("label") or name).split(" › ")[-1])
    return failed


def settings_page(page: Page, failed: Failed | None = None, saved: bool = False) -> HTMLResponse:
    settings = (page.tenant or {}).get("settings", {})
    values = failed.values if failed else settings_values(settings)
    return show(
        page,
        "admin/settings.html",
        status_code=422 if failed else 200,
        failed=failed,
        values=values,
        unit_types=settings.get("unit_types", []),
        malformer=LANGUAGES,
        role_titles={role.value: getattr(title, page.language) for role, title in ROLE_TITLES.items()},
        saved=saved,
    )


@router.get(SETTINGS_PAGE, response_class=HTMLResponse)
async def kommune_settings(request: Request, lagret: str = "") -> Response:
    page, instead = await admin_page(request, lambda powers: powers.any)
    return instead or settings_page(page, saved=lagret == "ja")


@router.post(SETTINGS_PAGE)
async def change_settings(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.any)
    if instead:
        return instead
    form = await form_of(request)
    unit_types = (page.tenant or {}).get("settings", {}).get("unit_types", [])
    try:
        await page.api.patch(TENANT, settings_change(form, unit_types))
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return settings_page(page, settings_failed(form, problem, unit_types))
    return RedirectResponse(f"{SETTINGS_PAGE}?lagret=ja", status_code=303)


def criteria_grid(form: dict[str, str], current: list[list[str]]) -> list[list[str]]:
    """The zones chosen, row by row (consequence 1 first, probability 1–5 in each); a cell left out keeps its zone."""
    return [[form.get(f"cell-{c}-{p}", current[c - 1][p - 1]) for p in LEVELS] for c in LEVELS]


async def criteria_page(page: Page, failed: Failed | None = None, saved: bool = False) -> HTMLResponse:
    matrix = await page.api.get(MATRIX)
    grid = criteria_grid(failed.values, matrix["grid"]) if failed else matrix["grid"]
    return show(
        page,
        "admin/criteria.html",
        status_code=422 if failed else 200,
        failed=failed,
        matrix=matrix,
        grid=grid,
        levels=list(LEVELS),
        may_change=AdminPowers.of(page.person).criteria,
        saved=saved,
    )


@router.get(CRITERIA_PAGE, response_class=HTMLResponse)
async def criteria(request: Request, lagret: str = "") -> Response:
    page, instead = await admin_page(request, lambda powers: powers.criteria)
    return instead or await criteria_page(page, saved=lagret == "ja")


@router.post(CRITERIA_PAGE)
async def change_criteria(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.criteria)
    if instead:
        return instead
    form = await form_of(request)
    matrix = await page.api.get(MATRIX)
    try:
        await page.api.put(MATRIX, {"grid": criteria_grid(form, matrix["grid"]), "colours": matrix["colours"]})
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return await criteria_page(page, Failed("criteria", form, problem))
    return RedirectResponse(f"{CRITERIA_PAGE}?lagret=ja", status_code=303)
