"""The library (dokumenter): the kommune's documents by unit and folder, search in Norwegian with the hit words
marked, reading a document in force with what a reader needs to know of it, one version, and what changed between
two versions. Everyone reads what is in force; drafts show to those who write or approve them (the API decides)."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from varde_web.api import ApiProblem
from varde_web.difference import difference
from varde_web.document_pages import (
    an_id,
    folder_paths,
    form_problem,
    paged,
    show,
    today_in_oslo,
    units_and_folders,
)
from varde_web.rendering import page_for, signed_out

router = APIRouter()


@router.get("/dokumenter", response_class=HTMLResponse)
async def library(
    request: Request, enhet: str | None = None, mappe: str | None = None, cursor: str | None = None
) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    units, folders = await units_and_folders(page)
    chosen = {"enhet": an_id(enhet), "mappe": an_id(mappe)}
    listed = await page.api.get("/api/v1/documents", paged(cursor, unit_id=chosen["enhet"], folder_id=chosen["mappe"]))
    my_units = {role["unit_id"]: role["unit_name"] for role in page.person.get("roles", [])}
    return show(
        page,
        "library.html",
        documents=listed["items"],
        next_cursor=listed["next_cursor"],
        chosen=chosen,
        units=units,
        my_units=my_units,
        folders=folder_paths(folders),
        folder_names=dict(folder_paths(folders)),
        today=today_in_oslo(),
    )


@router.get("/dokumenter/sok", response_class=HTMLResponse)
async def search(request: Request, q: str = "", cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    q = q.strip()
    if not q:
        return show(page, "search.html", q="", hits=None, next_cursor=None, problem=None)
    try:
        found = await page.api.get("/api/v1/documents/search", paged(cursor, q=q))
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        return show(page, "search.html", status_code=422, q=q, hits=None, next_cursor=None, problem=problem)
    return show(page, "search.html", q=q, hits=found["items"], next_cursor=found["next_cursor"], problem=None)


@router.get("/dokumenter/{document_id:uuid}", response_class=HTMLResponse)
async def document(request: Request, document_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    found = await page.api.get(f"/api/v1/documents/{document_id}")
    folder = None
    if found.get("folder_id"):
        folders = await page.api.every_item("/api/v1/documents/folders")
        folder = dict(folder_paths(folders)).get(str(found["folder_id"]))
    return show(
        page,
        "document.html",
        document=found,
        folder=folder,
        draft=next((v for v in found["versions"] if v["status"] in ("draft", "submitted")), None),
        today=today_in_oslo(),
        done=request.query_params.get("gjort"),
    )


@router.get("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}", response_class=HTMLResponse)
async def version(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    found, shown = await asyncio.gather(
        page.api.get(f"/api/v1/documents/{document_id}"),
        page.api.get(f"/api/v1/documents/{document_id}/versions/{version_id}"),
    )
    return show(page, "version.html", document=found, version=shown, values={}, **form_problem(None))


@router.get("/dokumenter/{document_id:uuid}/forskjell", response_class=HTMLResponse)
async def compare(request: Request, document_id: uuid.UUID, fra: str = "", til: str = "") -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    found = await page.api.get(f"/api/v1/documents/{document_id}")
    params = {name: value for name, value in (("from", fra), ("to", til)) if value.isdigit()}
    try:
        answer = await page.api.get(f"/api/v1/documents/{document_id}/diff", params)
    except ApiProblem as problem:
        if problem.status not in (404, 422, 503):
            raise
        # The document is there, the versions asked for are not (or too long to compare): its page says which.
        found_nothing = {"diff": None, "shown": None, "problem": problem.problem}
        return show(page, "diff.html", status_code=problem.status, document=found, **found_nothing)
    return show(
        page,
        "diff.html",
        document=found,
        diff=answer,
        shown=difference(answer["lines"]),
        problem=None,
    )
