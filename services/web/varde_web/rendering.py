"""One page being answered: the person and kommune it is for, their målform, and the templates."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from varde_common.authz import Action, roles_granting
from varde_common.roles import LEADER_ROLES, QUALITY_ROLES
from varde_web.api import Api, ApiProblem
from varde_web.i18n import LANGUAGE_COOKIE, language_of, page_language, remember_language, translator

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
OSLO = ZoneInfo("Europe/Oslo")


def _oslo(instant: str) -> str:
    """An instant from the API (ISO, UTC) as a Norwegian reads it: the Oslo date and time."""
    return datetime.fromisoformat(instant).astimezone(OSLO).strftime("%d.%m.%Y %H:%M")


def _oslo_day(instant: str) -> str:
    """An instant from the API as the Oslo date alone, for a line in a list."""
    return datetime.fromisoformat(instant).astimezone(OSLO).strftime("%d.%m.%Y")


def _day(day: str) -> str:
    return date.fromisoformat(day).strftime("%d.%m.%Y")


TEMPLATES.env.filters["oslo"] = _oslo
TEMPLATES.env.filters["day"] = _day
TEMPLATES.env.filters["oslo_day"] = _oslo_day
# Who handles cases: they get "Til behandling"; everyone has their own reports under "Mine meldinger".
HANDLING_ROLES = frozenset(role.value for role in LEADER_ROLES | QUALITY_ROLES)


# Who reads or owns risk assessments by a role: they get "Risiko" (a participant is shown theirs there too).
RISK_ROLES = frozenset(roles_granting(Action.READ_RISK) + roles_granting(Action.OWN_RISK))


# Who administers something of the kommune (its catalogue, settings, risk criteria, HR import): "Administrasjon".
ADMIN_ROLES = frozenset(roles_granting(Action.ADMINISTER_CATALOGUE) + roles_granting(Action.ADMINISTER_DIRECTORY))


def kommune_colour(tenant: dict[str, Any] | None) -> str | None:
    """The kommune's colour for the header, only as the directory checked it (#rrggbb): it goes into a style."""
    colour = str(((tenant or {}).get("settings") or {}).get("colour") or "")
    return colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else None


def administers(person: dict[str, Any] | None) -> bool:
    return person is not None and any(role["role"] in ADMIN_ROLES for role in person.get("roles", []))


def handles_cases(person: dict[str, Any] | None) -> bool:
    return person is not None and any(role["role"] in HANDLING_ROLES for role in person.get("roles", []))


def sees_risk(person: dict[str, Any] | None) -> bool:
    return person is not None and any(role["role"] in RISK_ROLES for role in person.get("roles", []))


@dataclass
class Page:
    request: Request
    api: Api
    language: str
    dev: bool
    person: dict[str, Any] | None = None
    tenant: dict[str, Any] | None = None
    unread: int = 0
    context: dict[str, Any] = field(default_factory=dict)

    def render(self, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        context = {
            "_": translator(self.language),
            "language": self.language,
            "person": self.person,
            "handles_cases": handles_cases(self.person),
            "sees_risk": sees_risk(self.person),
            "administers": administers(self.person),
            "unread": self.unread,
            "tenant": self.tenant,
            "kommune_colour": kommune_colour(self.tenant),
            "dev": self.dev,
            "path": self.request.url.path,
            **values,
        }
        response = TEMPLATES.TemplateResponse(self.request, template, context, status_code=status_code)
        # Pages carry a person's cases: never kept by a shared cache, nor by the browser after sign-out.
        response.headers["cache-control"] = "no-store"
        if self.person is not None and self.request.cookies.get(LANGUAGE_COOKIE) != self.language:
            remember_language(response, self.language)
        return response


def follows_up(person: dict[str, Any] | None) -> bool:
    """A quality role: offered the kommune's access log (the API shows each only what is in their scope)."""
    quality = {role.value for role in QUALITY_ROLES}
    return person is not None and any(role["role"] in quality for role in person.get("roles", []))


def signed_out(request: Request) -> RedirectResponse:
    """To the sign-in page, saying which page was asked for (with its query: a filtered list comes back filtered);
    signing in returns there."""
    asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/logg-inn?tilbake={quote(asked, safe='/')}", status_code=303)


HEADER_CALLS = 2


def _header_calls(api: Api) -> list[Awaitable[Any]]:
    """What every signed-in page shows in its header: the person with their kommune, their unread notifications."""
    return [api.get("/api/v1/directory/me"), api.get("/api/v1/notifications/unread-count")]


def _take_header(page: Page, header: Sequence[Any]) -> None:
    me, count = header
    page.person, page.tenant, page.unread = me, me["kommune"], int(count["unread"])


def _in_persons_language(page: Page) -> None:
    language = page_language(page.person, page.tenant, page.request.cookies.get(LANGUAGE_COOKIE))
    page.language = page.api.language = language


def _bare_page(request: Request) -> Page:
    language = language_of(request.cookies.get(LANGUAGE_COOKIE))
    return Page(request, Api(request.app.state.client, request, language), language, dev=request.app.state.dev)


async def page_for(request: Request, *, who: bool = True) -> Page:
    """The page for this browser; with ``who``, the signed-in person and their kommune (None when signed out), and
    the page in the person's målform (the calls above carry the browser's: they answer with no text to read)."""
    page = _bare_page(request)
    if who and page.api.signed_in:
        try:
            _take_header(page, await asyncio.gather(*_header_calls(page.api)))
        except ApiProblem as problem:
            if problem.status != 401:
                raise
        _in_persons_language(page)
    return page


PageCalls = Callable[[Api], Sequence[Awaitable[Any]]]


async def page_with(request: Request, calls: PageCalls) -> tuple[Page, list[Any]]:
    """The signed-in page and the answers of its own ``calls``, made side by side with the header's: the page
    waits for one round of calls through the gateway, not two. The calls go in the browser's målform (the
    cookie, which follows the person's); when the person's turns out to be another (their first page in a new
    browser), they are made again in it. Signed out, or the session ended: the page has no person, and no answers."""
    page = _bare_page(request)
    if not page.api.signed_in:
        return page, []
    asked_in = page.api.language
    try:
        answers = await asyncio.gather(*_header_calls(page.api), *calls(page.api))
    except ApiProblem as problem:
        if problem.status != 401:
            raise
        return page, []
    _take_header(page, answers[:HEADER_CALLS])
    _in_persons_language(page)
    if page.language != asked_in:
        return page, list(await asyncio.gather(*calls(page.api)))
    return page, list(answers[HEADER_CALLS:])
