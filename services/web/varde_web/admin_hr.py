"""The HR import: the system administrator uploads the HR file (CSV or JSON, as the directory reads it), sees the dry
run (what would be added, changed and ended, or every bad row with its line and the directory's Norwegian reason),
and then applies it. Nothing is kept in the web between the two steps: the dry run's page carries the file back in
a hidden field, so the file applied is the file that was checked, and the page works without script."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from varde_web.admin import admin_page, show
from varde_web.api import ApiProblem
from varde_web.rendering import Page

router = APIRouter()
IMPORTS = "/api/v1/directory/imports"
HR_PAGE = "/administrasjon/hr-import"
JSON = "application/json"
CSV = "text/csv"
# The directory answers a file it cannot take with these: shown on the page, with what the file was.
FILE_REFUSALS = (413, 415, 422)
ACTIONS = ("create", "update", "end")
# The fields the directory names in a row's error, in the page's words.
HR_FIELDS = ("key", "name", "unit_type", "parent", "leader", "email", "unit", "role")


def content_type_of(filename: str, declared: str) -> str:
    """What the directory is told the file is: JSON by its name or the browser's word for it, otherwise CSV."""
    return JSON if filename.lower().endswith(".json") or declared == JSON else CSV


def grouped(changes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The planned changes by what would happen: added, changed, ended (the import never deletes)."""
    return {action: [c for c in changes if c["action"] == action] for action in ACTIONS}


def hr_page(page: Page, status_code: int = 200, **values: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {"report": None, "problem": None, "rows": [], "carried": "", "kind": CSV, "name": ""}
    defaults["hr_fields"] = HR_FIELDS
    return show(page, "admin/hr_import.html", status_code=status_code, **(defaults | values))


async def _run(page: Page, content: bytes, kind: str, name: str, *, dry_run: bool) -> HTMLResponse:
    params = {"dry_run": "true"} if dry_run else None
    try:
        report = await page.api.post_content(IMPORTS, content, kind, params)
    except ApiProblem as problem:
        if problem.status not in FILE_REFUSALS:
            raise
        rows = problem.problem.get("rows", [])
        return hr_page(page, 422, problem=problem.problem, rows=rows if isinstance(rows, list) else [], name=name)
    carried = base64.b64encode(content).decode() if dry_run and report["changes"] else ""
    return hr_page(page, report=report, changes=grouped(report["changes"]), carried=carried, kind=kind, name=name)


@router.get(HR_PAGE, response_class=HTMLResponse)
async def hr_import(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.directory)
    return instead or hr_page(page)


@router.post(f"{HR_PAGE}/provekjoring")
async def dry_run(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.directory)
    if instead:
        return instead
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return hr_page(page, 422, missing_file=True)
    content = await upload.read()
    kind = content_type_of(upload.filename, upload.content_type or "")
    return await _run(page, content, kind, upload.filename, dry_run=True)


@router.post(f"{HR_PAGE}/bruk")
async def apply(request: Request) -> Response:
    page, instead = await admin_page(request, lambda powers: powers.directory)
    if instead:
        return instead
    form = await request.form()
    try:
        content = base64.b64decode(str(form.get("content", "")), validate=True)
    except binascii.Error:
        content = b""
    if not content:
        return hr_page(page, 422, missing_file=True)
    kind = JSON if form.get("kind") == JSON else CSV
    return await _run(page, content, kind, str(form.get("name", "")), dry_run=False)
