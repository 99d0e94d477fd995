"""Anonymous reports: the receipt code shown once, and "Slå opp kvittering", where whoever holds a code sees the
report's status and conclusion.

The API answers the code once, to the report itself. The web keeps it for the receipt page in a cookie of its
own (HttpOnly, SameSite=Strict, ten minutes, only for that page's path), never in a URL: a URL is kept in the
browser's history, in logs and in a Referer. The page shows it with what it is for; "Ferdig" removes it, and so
does signing out, so a shared phone does not show it to the next person.

Who may look a code up: anyone signed in to the kommune, not only the one who reported. The API takes the tenant
from the signed-in identity (the gateway lets no one call it unsigned); a code is 12 characters of a 32-letter
alphabet (60 bits), and the gateway counts lookups per person and per address. The answer tells status and
conclusion, nothing about who reported. The lookup is a POST answered with the page itself, so the code stays out
of the address bar; it changes nothing, so a reload that sends it again does no harm.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_web.api import ApiProblem
from varde_web.rendering import page_for, signed_out

router = APIRouter()

RECEIPT_PATH = "/meld/anonym"
RECEIPT_COOKIE = "varde_kvittering"
RECEIPT_SECONDS = 600
LOOKUP = "/api/v1/deviations/receipts/lookup"


def anonymous_receipt_redirect(code: str | None) -> RedirectResponse:
    """To the anonymous receipt, with the code the API answered kept for that page alone."""
    response = RedirectResponse(f"{RECEIPT_PATH}/kvittering", status_code=303)
    if code:
        response.set_cookie(
            RECEIPT_COOKIE,
            code,
            max_age=RECEIPT_SECONDS,
            path=RECEIPT_PATH,
            secure=True,
            httponly=True,
            samesite="strict",
        )
    return response


@router.get(f"{RECEIPT_PATH}/kvittering", response_class=HTMLResponse)
async def anonymous_receipt(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    code = request.cookies.get(RECEIPT_COOKIE)
    status = await page.api.post(LOOKUP, {"receipt_code": code}) if code else None
    return page.render("anonymous_receipt.html", code=code, status=status)


@router.post(f"{RECEIPT_PATH}/ferdig")
async def forget_code(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(RECEIPT_COOKIE, path=RECEIPT_PATH, secure=True, httponly=True, samesite="strict")
    return response


@router.get("/kvittering", response_class=HTMLResponse)
async def lookup_form(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return page.render("lookup.html", code="", status=None, errors={}, problem=None)


@router.post("/kvittering", response_class=HTMLResponse)
async def look_up(request: Request, receipt_code: Annotated[str, Form()] = "") -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    code = receipt_code.strip().upper()
    try:
        status = await page.api.post(LOOKUP, {"receipt_code": code})
    except ApiProblem as problem:
        if problem.status not in (404, 422):
            raise
        errors = problem.field_messages or {"receipt_code": str(problem.problem.get("detail", ""))}
        return page.render(
            "lookup.html", status_code=problem.status, code=code, status=None, errors=errors, problem=problem.problem
        )
    return page.render("lookup.html", code=code, status=status, errors={}, problem=None)
