"""Administration for the quality roles and the system administrator: the entry page, the refusal others get, and
the kommune's deviation catalogue (areas and their categories: add, rename, take out of use, put back).

What a person may administer is read from their roles (``varde_common.authz.ROLE_ACTIONS``) only to decide what a
page offers; the services decide every change. Each form posts to a path of its own and redirects back; a form the
API refuses shows the page again with the API's Norwegian messages at the top of that form, linked to its fields.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.authz import Action
from varde_web.api import Api, ApiProblem
from varde_web.document_roles import may
from varde_web.rendering import Page, page_for, signed_out
from varde_web.risk import Failed, filled, form_of, refused

router = APIRouter()
CATALOGUE = "/api/v1/deviations/catalogue"
CATALOGUE_PAGE = "/administrasjon/katalog"


@dataclass(frozen=True)
class AdminPowers:
    """The parts of Administrasjon a person is offered."""

    catalogue: bool  # quality roles and the system administrator
    directory: bool  # the system administrator: the kommune's settings and the HR import
    criteria: bool  # the risk acceptance criteria: the same roles as the catalogue (at kommune level, says risk)

    @classmethod
    def of(cls, person: dict[str, Any] | None) -> AdminPowers:
        catalogue = may(person, Action.ADMINISTER_CATALOGUE)
        return cls(catalogue=catalogue, directory=may(person, Action.ADMINISTER_DIRECTORY), criteria=catalogue)

    @property
    def any(self) -> bool:
        return self.catalogue or self.directory


def show(page: Page, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """An administration page, with the part's menu of what the person may administer."""
    return page.render(template, status_code=status_code, admin_powers=AdminPowers.of(page.person), **values)


def refusal(page: Page) -> HTMLResponse:
    """The page someone gets who may not administer this: in Norwegian, saying who may."""
    return show(page, "admin/refused.html", status_code=403)


async def admin_page(request: Request, allowed: Callable[[AdminPowers], bool]) -> tuple[Page, Response | None]:
    """The page for this request, or the answer instead of it: to the sign-in page, or refused."""
    page = await page_for(request)
    if page.person is None:
        return page, signed_out(request)
    if not allowed(AdminPowers.of(page.person)):
        return page, refusal(page)
    return page, None


@router.get("/administrasjon", response_class=HTMLResponse)
async def administration(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.any)
    return instead or show(page, "admin/index.html")


async def catalogue_page(page: Page, failed: Failed | None = None) -> HTMLResponse:
    areas = await page.api.every_item(CATALOGUE)
    return show(page, "admin/catalogue.html", status_code=422 if failed else 200, areas=areas, failed=failed)


@router.get(CATALOGUE_PAGE, response_class=HTMLResponse)
async def catalogue(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.catalogue)
    return instead or await catalogue_page(page)


Change = Callable[[Api, dict[str, str]], Awaitable[Any]]


async def _change(request: Request, form_name: str, change: Change, anchor: str) -> Response:
    page = await page_for(request, who=False)
    form = await form_of(request)
    try:
        await change(page.api, form)
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return await catalogue_page(await page_for(request), Failed(form_name, form, problem))
    return RedirectResponse(f"{CATALOGUE_PAGE}#{anchor}", status_code=303)


def in_use(form: dict[str, str]) -> bool:
    return form.get("active") == "ja"


@router.post(f"{CATALOGUE_PAGE}/fagomrader")
async def add_area(request: Request) -> Response:
    async def change(api: Api, form: dict[str, str]) -> Any:
        return await api.post(f"{CATALOGUE}/areas", filled(form, ("key", "name")))

    return await _change(request, "area-new", change, "nytt-fagomrade")


@router.post(CATALOGUE_PAGE + "/fagomrader/{key}")
async def rename_area(request: Request, key: str) -> Response:
    async def change(api: Api, form: dict[str, str]) -> Any:
        return await api.patch(f"{CATALOGUE}/areas/{key}", {"name": form.get("name", "").strip()})

    return await _change(request, f"area-{key}", change, f"fagomrade-{key}")


@router.post(CATALOGUE_PAGE + "/fagomrader/{key}/i-bruk")
async def area_in_use(request: Request, key: str) -> Response:
    async def change(api: Api, form: dict[str, str]) -> Any:
        return await api.patch(f"{CATALOGUE}/areas/{key}", {"active": in_use(form)})

    return await _change(request, f"area-{key}", change, f"fagomrade-{key}")


@router.post(f"{CATALOGUE_PAGE}/kategorier")
async def add_category(request: Request) -> Response:
    form = await form_of(request)
    area = form.get("area", "")

    async def change(api: Api, form: dict[str, str]) -> Any:
        return await api.post(f"{CATALOGUE}/categories", filled(form, ("area", "name")))

    return await _change(request, f"category-new-{area}", change, f"fagomrade-{area}")


@router.post(CATALOGUE_PAGE + "/kategorier/{category_id}")
async def rename_category(request: Request, category_id: UUID) -> Response:
    async def change(api: Api, form: dict[str, str]) -> Any:
        return await api.patch(f"{CATALOGUE}/categories/{category_id}", {"name": form.get("name", "").strip()})

    return await _change(request, f"category-{category_id}", change, f"kategori-{category_id}")


@router.post(CATALOGUE_PAGE + "/kategorier/{category_id}/i-bruk")
async def category_in_use(request: Request, category_id: UUID) -> Response:
    async def change(api: Api, form: dict[str, str]) -> Any:
        return await api.patch(f"{CATALOGUE}/categories/{category_id}", {"active": in_use(form)})

    return await _change(request, f"category-{category_id}", change, f"kategori-{category_id}")
