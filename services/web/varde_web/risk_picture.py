"""A unit's risk picture (risikobildet): every risk of the active assessments of a unit and the units below it,
counted in its cell of the matrix, the highest ones drawn and listed with a link to their assessment. For those
who read risk in the unit; the choice of unit offers the units their roles reach."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from varde_common.authz import Action
from varde_web.api import ApiProblem
from varde_web.rendering import page_for, signed_out
from varde_web.risk import API, units_where
from varde_web.svg_inline import inline_svg

router = APIRouter()


def _unit_id(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


@router.get("/risiko/bilde", response_class=HTMLResponse)
async def unit_picture(request: Request, enhet: str = "") -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    own, below = await units_where(page, Action.READ_RISK)
    chosen = _unit_id(enhet) or (own[0]["id"] if own else None)
    picture: dict[str, Any] | None = None
    drawing: str | None = None
    problem: ApiProblem | None = None
    if chosen is not None:
        params = {"unit_id": chosen}
        try:
            found, svg = await asyncio.gather(
                page.api.get(f"{API}/picture", params), page.api.get_text(f"{API}/picture.svg", params)
            )
            picture, drawing = found, inline_svg(svg)
        except ApiProblem as refused:
            if refused.status != 403:
                raise
            problem = refused
    return page.render(
        "risk_picture.html",
        status_code=problem.status if problem else 200,
        own_units=own,
        other_units=below,
        chosen=chosen,
        picture=picture,
        drawing=drawing,
        problem=problem.problem if problem else None,
    )
