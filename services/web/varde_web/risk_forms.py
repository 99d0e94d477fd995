"""What is posted for one risk of an assessment: register it (title, causes, barriers, its first rating), rate it
again (probability and consequence 1–5, the consequence overall or per dimension), set its target cell after
measures (X → Y), add a measure (owner, deadline) and mark one done.

The API takes a rating whole, its target cell included (``PUT …/rating``), so rating again keeps the target the
risk has, and setting the target keeps its rating: each is read from the assessment just before.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from varde_web.api import Api, ApiProblem
from varde_web.rendering import page_for
from varde_web.risk import API, DIMENSION_FIELD, Failed, assessment_page, filled, form_of, refused

router = APIRouter()
RATING_FIELDS = ("probability", "consequence")
TARGET_FIELDS = ("target_probability", "target_consequence")


def levels(form: dict[str, str], names: tuple[str, ...]) -> dict[str, int]:
    """The chosen levels; one left open is left out (the API says whether it may be, and a target left out is
    none)."""
    return {name: int(form[name]) for name in names if form.get(name, "").isdigit()}


def rating(form: dict[str, str]) -> dict[str, Any]:
    """Probability and consequence from the form, the consequence per dimension where one is chosen."""
    per_dimension = {
        name.removeprefix(DIMENSION_FIELD): int(value)
        for name, value in form.items()
        if name.startswith(DIMENSION_FIELD) and value.isdigit()
    }
    return {**levels(form, RATING_FIELDS), "consequences": per_dimension}


def rating_of(risk: dict[str, Any]) -> dict[str, Any]:
    return {
        "probability": risk["probability"],
        "consequence": risk["consequence"],
        "consequences": risk["consequences"],
    }


def target_of(risk: dict[str, Any]) -> dict[str, Any]:
    return {name: risk[name] for name in TARGET_FIELDS}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


Call = Callable[[Api, dict[str, str]], Awaitable[None]]


async def _send(request: Request, assessment_id: uuid.UUID, form_name: str, call: Call, anchor: str) -> Response:
    """Run one call of the API for a form; its refusal is shown at that form, with what was typed."""
    page = await page_for(request, who=False)
    form = await form_of(request)
    try:
        await call(page.api, form)
    except ApiProblem as problem:
        if not refused(problem):
            raise
        return await assessment_page(await page_for(request), assessment_id, Failed(form_name, form, problem))
    return RedirectResponse(f"/risiko/{assessment_id}#{anchor}", status_code=303)


async def _risk(api: Api, assessment_id: uuid.UUID, risk_id: uuid.UUID) -> dict[str, Any]:
    assessment = await api.get(f"{API}/assessments/{assessment_id}")
    found: dict[str, Any] | None = next((r for r in assessment["risk_list"] if r["id"] == str(risk_id)), None)
    if found is None:
        raise ApiProblem(404, {})
    return found


@router.post("/risiko/{assessment_id}/risikoer")
async def add_risk(request: Request, assessment_id: uuid.UUID) -> Response:
    async def call(api: Api, form: dict[str, str]) -> None:
        body = {
            **filled(form, ("title", "description")),
            "causes": lines(form.get("causes", "")),
            "barriers": lines(form.get("barriers", "")),
            **rating(form),
        }
        await api.post(f"{API}/assessments/{assessment_id}/risks", body)

    return await _send(request, assessment_id, "add_risk", call, "risikoer")


@router.post("/risiko/{assessment_id}/risikoer/{risk_id}/vurdering")
async def rate_risk(request: Request, assessment_id: uuid.UUID, risk_id: uuid.UUID) -> Response:
    async def call(api: Api, form: dict[str, str]) -> None:
        risk = await _risk(api, assessment_id, risk_id)
        body = {**rating(form), **target_of(risk)}
        await api.put(f"{API}/assessments/{assessment_id}/risks/{risk_id}/rating", body)

    return await _send(request, assessment_id, f"rate-{risk_id}", call, f"risiko-{risk_id}")


@router.post("/risiko/{assessment_id}/risikoer/{risk_id}/mal")
async def set_target(request: Request, assessment_id: uuid.UUID, risk_id: uuid.UUID) -> Response:
    async def call(api: Api, form: dict[str, str]) -> None:
        risk = await _risk(api, assessment_id, risk_id)
        body = {**rating_of(risk), **levels(form, TARGET_FIELDS)}
        await api.put(f"{API}/assessments/{assessment_id}/risks/{risk_id}/rating", body)

    return await _send(request, assessment_id, f"target-{risk_id}", call, f"risiko-{risk_id}")


@router.post("/risiko/{assessment_id}/risikoer/{risk_id}/tiltak")
async def add_measure(request: Request, assessment_id: uuid.UUID, risk_id: uuid.UUID) -> Response:
    async def call(api: Api, form: dict[str, str]) -> None:
        body = filled(form, ("title", "owner_id", "deadline"))
        await api.post(f"{API}/assessments/{assessment_id}/risks/{risk_id}/measures", body)

    return await _send(request, assessment_id, f"measure-{risk_id}", call, f"risiko-{risk_id}")


@router.post("/risiko/{assessment_id}/risikoer/{risk_id}/tiltak/{measure_id}/utfort")
async def complete_measure(
    request: Request, assessment_id: uuid.UUID, risk_id: uuid.UUID, measure_id: uuid.UUID
) -> Response:
    async def call(api: Api, form: dict[str, str]) -> None:
        path = f"{API}/assessments/{assessment_id}/risks/{risk_id}/measures/{measure_id}/complete"
        await api.post(path, {})

    return await _send(request, assessment_id, f"complete-{measure_id}", call, f"risiko-{risk_id}")
