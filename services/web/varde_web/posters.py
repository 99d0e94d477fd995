"""QR posters: a printable A4 page per unit, and per named place in it (a room, a corridor, the kitchen), whose code
opens the report form with the place filled in (``/meld?enhet=<unit id>&sted=<place>``).

The directory has no register of places; the leader names the place on the poster page, as the reporter would
write it in the form's "Sted" field. The code is drawn on the server as SVG (segno, pure Python), so the page
prints sharp at any size and works without JavaScript.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote, unquote, urlencode

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from varde_web.i18n import translator
from varde_web.rendering import HANDLING_ROLES, page_for, signed_out

router = APIRouter()
PLACE_MAX = 200  # the report's "Sted" takes 200 characters
# Quartile: a quarter of the code may be soiled or torn and it still reads; a poster on a wall lives long.
ERROR_LEVEL = "q"


def report_address(public_url: str, unit_id: str, place: str = "") -> str:
    """Where the poster's code leads: the report form, for this unit and place, on the site's public address."""
    query = {"enhet": unit_id, **({"sted": place} if place else {})}
    return f"{public_url.rstrip('/')}/meld?{urlencode(query, quote_via=quote)}"


def qr_svg(address: str, label: str) -> Markup:
    """The code for ``address`` as inline SVG that scales to its box, dark on white, named for a screen reader."""
    code = segno.make(address, error=ERROR_LEVEL, micro=False)
    svg = code.svg_inline(border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000", light="#fff")
    # segno's own title would be shown as a tooltip; a label is enough for an image without text of its own.
    named = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" ', 1)
    return Markup(named)  # noqa: S704 - segno writes only the path of the code; the label is escaped


def poster_units(person: dict[str, Any], units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open units where the person leads or follows up quality, with their whole subtree, in tree order."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for unit in units:
        children.setdefault(unit.get("parent_id"), []).append(unit)
    reach = {role["unit_id"] for role in person.get("roles", []) if role["role"] in HANDLING_ROLES}
    found: list[dict[str, Any]] = []
    seen: set[str] = set()

    def walk(unit: dict[str, Any], depth: int, inside: bool) -> None:
        inside = inside or unit["id"] in reach
        if inside and not unit.get("closed") and unit["id"] not in seen:
            seen.add(unit["id"])
            found.append({**unit, "depth": depth})
        for child in sorted(children.get(unit["id"], []), key=lambda u: str(u["name"])):
            walk(child, depth + 1, inside)

    known = {unit["id"] for unit in units}
    for root in sorted((u for u in units if u.get("parent_id") not in known), key=lambda u: str(u["name"])):
        walk(root, 0, False)
    return found


@router.get("/plakater", response_class=HTMLResponse)
async def posters(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    units = poster_units(page.person, await page.api.every_item("/api/v1/directory/units"))
    return page.render("posters.html", units=units)


@router.get("/plakater/{unit_id}", response_class=HTMLResponse)
async def poster(request: Request, unit_id: uuid.UUID, sted: str = "") -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    units = poster_units(page.person, await page.api.every_item("/api/v1/directory/units"))
    unit = next((u for u in units if u["id"] == str(unit_id)), None)
    if unit is None:
        return page.render("missing.html", status_code=404)
    place = " ".join(sted.split())[:PLACE_MAX]
    address = report_address(request.app.state.public_url, unit["id"], place)
    _ = translator(page.language)
    label = (
        _("poster.code_label_place", unit=unit["name"], place=place)
        if place
        else _("poster.code_label", unit=unit["name"])
    )
    # Printed for a person to type: "Rom 214", not "Rom%20214" (a browser encodes it again).
    shown = unquote(address)
    return page.render("poster.html", unit=unit, place=place, address=shown, code=qr_svg(address, label))
