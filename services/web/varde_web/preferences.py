"""Mine innstillinger: the signed-in person's own målform (bokmål, nynorsk, or their kommune's), kept in the
directory (``PUT /api/v1/directory/me/preferences``), so a mobile client and every browser of theirs show the
same. The målform switch at the foot of every page saves the choice there too; signed out, it is the browser's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.redirects import site_path
from varde_web.api import ApiProblem
from varde_web.i18n import LANGUAGES, remember_language
from varde_web.rendering import Page, page_for, signed_out
from varde_web.risk import Failed, form_of, refused

router = APIRouter()
PREFERENCES = "/api/v1/directory/me/preferences"
SETTINGS_PAGE = "/innstillinger"
FOLLOW_KOMMUNE = "kommune"  # the form's value for "as my kommune writes"
CHOICES = (FOLLOW_KOMMUNE, *LANGUAGES)


def preferences_page(page: Page, chosen: str, failed: Failed | None = None, saved: bool = False) -> HTMLResponse:
    kommune = (page.tenant or {}).get("settings", {}).get("malform", "nb")
    return page.render(
        "preferences.html",
        status_code=422 if failed else 200,
        failed=failed,
        chosen=chosen,
        choices=CHOICES,
        kommune_malform=kommune,
        saved=saved,
    )


@router.get(SETTINGS_PAGE, response_class=HTMLResponse)
async def my_settings(request: Request, lagret: str = "") -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    own = (page.person.get("preferences") or {}).get("malform")
    return preferences_page(page, own if own in LANGUAGES else FOLLOW_KOMMUNE, saved=lagret == "ja")


@router.post(SETTINGS_PAGE)
async def change_my_settings(request: Request) -> Response:
    page = await page_for(request, who=False)
    form = await form_of(request)
    chosen = form.get("malform", FOLLOW_KOMMUNE)
    try:
        # Anything but the kommune's choice goes as sent: the API names a value it does not know.
        answer = await page.api.put(PREFERENCES, {"malform": None if chosen == FOLLOW_KOMMUNE else chosen})
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return preferences_page(await page_for(request), chosen, Failed("preferences", form, problem))
    response = RedirectResponse(f"{SETTINGS_PAGE}?lagret=ja", status_code=303)
    remember_language(response, answer["language"])
    return response


@router.post("/malform")
async def choose_language(
    request: Request, malform: Annotated[str, Form()], tilbake: Annotated[str, Form()] = "/"
) -> Response:
    # Only a path on this site: "//host" and "/\\host" would send the browser elsewhere.
    response = RedirectResponse(site_path(tilbake), status_code=303)
    if malform not in LANGUAGES:
        return response
    page = await page_for(request, who=False)
    if page.api.signed_in:
        try:
            await page.api.put(PREFERENCES, {"malform": malform})
        except ApiProblem as problem:
            if problem.status != 401:  # a session that ended: the choice stays with the browser
                raise
    remember_language(response, malform)
    return response
