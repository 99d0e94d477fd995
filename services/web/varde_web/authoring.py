"""Writing documents: a new document with its first draft, editing a draft in Markdown, sending it for approval, a
new draft of a document in force, and who must read it.

"Forhåndsvis" is a submit button: the server asks the API to render the text as a reader would see it and shows
the form again with the preview under it, so it works without JavaScript and nothing is saved until "Lagre".
Every change answers with a redirect (post/redirect/get); a refusal shows the form again with the API's messages
summarised at the top and at each field.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_common.authz import Action
from varde_web.api import ApiProblem
from varde_web.document_pages import (
    KINDS,
    comma_list,
    folder_paths,
    form_fields,
    form_text,
    line_list,
    show_form,
    units_and_folders,
)
from varde_web.document_roles import own_units_first, units_where
from varde_web.rendering import Page, page_for, signed_out

router = APIRouter()
FORM_REFUSALS = (400, 403, 409, 422)
NEW_FIELDS = ("title", "kind", "owner_unit_id", "folder_id", "content", "change_summary")


async def _preview(page: Page, content: str) -> str:
    return str((await page.api.post("/api/v1/documents/preview", {"content": content}))["html"])


# ---- a new document ----------------------------------------------------------------------------------------------


async def _new_form(
    page: Page, values: dict[str, str], *, preview: str | None = None, problem: ApiProblem | None = None
) -> Response:
    units, folders = await units_and_folders(page)
    return show_form(
        page,
        "new_document.html",
        problem,
        values=values,
        preview=preview,
        units=own_units_first(page.person, units_where(page.person, Action.WRITE_DOCUMENT, units)),
        folders=folder_paths(folders),
        kinds=KINDS,
    )


@router.get("/dokumenter/ny", response_class=HTMLResponse)
async def new_document(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _new_form(page, {"kind": "prosedyre", "revision_interval_months": "12", "audience": "ja"})


def _new_body(form: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {name: form[name].strip() for name in NEW_FIELDS if form.get(name, "").strip()}
    body["tags"] = comma_list(form.get("tags", ""))
    body["law_references"] = line_list(form.get("law_references", ""))
    interval = form.get("revision_interval_months", "").strip()
    if interval:
        body["revision_interval_months"] = int(interval) if interval.isdigit() else interval  # the API names "tolv"
    return body


@router.post("/dokumenter/ny")
async def create_document(request: Request) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    form = await form_fields(request)
    if form.get("handling") == "forhandsvis":
        return await _new_form(page, form, preview=await _preview(page, form_text(form, "content")))
    try:
        created = await page.api.post("/api/v1/documents", _new_body(form))
    except ApiProblem as problem:
        if problem.status not in FORM_REFUSALS:
            raise
        return await _new_form(page, form, problem=problem)
    if form.get("audience") == "ja":
        # Everyone in the owning unit and below it reads it: what a unit's procedure is for, changed on its own page.
        audience = {"entries": [{"unit_id": created["owner_unit_id"], "include_subtree": True}]}
        await page.api.put(f"/api/v1/documents/{created['id']}/audience", audience)
    draft = created["versions"][0]["id"]
    return RedirectResponse(f"/dokumenter/{created['id']}/versjoner/{draft}/rediger?lagret=ja", status_code=303)


# ---- editing a draft ---------------------------------------------------------------------------------------------


async def _edit_form(
    page: Page,
    document_id: uuid.UUID,
    version_id: uuid.UUID,
    values: dict[str, str] | None = None,
    *,
    preview: str | None = None,
    problem: ApiProblem | None = None,
    saved: bool = False,
) -> Response:
    document = await page.api.get(f"/api/v1/documents/{document_id}")
    version = await page.api.get(f"/api/v1/documents/{document_id}/versions/{version_id}")
    if values is None:
        values = {
            "title": version["title"],
            "content": version["content"],
            "change_summary": version.get("change_summary") or "",
            "significant": "ja" if version["significant"] else "",
            "tags": ", ".join(document["tags"]),
            "law_references": "\n".join(document["law_references"]),
        }
    shown = {"document": document, "version": version, "values": values, "preview": preview, "saved": saved}
    return show_form(page, "edit_draft.html", problem, **shown)


@router.get("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}/rediger", response_class=HTMLResponse)
async def edit_draft(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    return await _edit_form(page, document_id, version_id, saved=request.query_params.get("lagret") == "ja")


async def _save_draft(page: Page, document_id: uuid.UUID, version_id: uuid.UUID, form: dict[str, str]) -> None:
    """The draft's text, and the document's stikkord and lovhenvisninger when they changed."""
    edit: dict[str, Any] = {
        "title": form_text(form, "title"),
        "content": form_text(form, "content"),
        "change_summary": form_text(form, "change_summary") or None,
        "significant": form.get("significant") == "ja",
    }
    await page.api.patch(f"/api/v1/documents/{document_id}/versions/{version_id}", edit)
    if "tags" not in form and "law_references" not in form:
        return
    document = await page.api.get(f"/api/v1/documents/{document_id}")
    # The form has these only for those who may change the document's details.
    details = {
        name: read(form[name]) for name, read in (("tags", comma_list), ("law_references", line_list)) if name in form
    }
    changed = {name: value for name, value in details.items() if value != document[name]}
    if changed:
        await page.api.patch(f"/api/v1/documents/{document_id}", changed)


@router.post("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}/rediger")
async def save_draft(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    form = await form_fields(request)
    action = form.get("handling")
    if action == "forhandsvis":
        preview = await _preview(page, form_text(form, "content"))
        return await _edit_form(page, document_id, version_id, form, preview=preview)
    try:
        await _save_draft(page, document_id, version_id, form)
        if action == "send":
            await page.api.post(f"/api/v1/documents/{document_id}/versions/{version_id}/submit", {})
    except ApiProblem as problem:
        if problem.status not in FORM_REFUSALS:
            raise
        return await _edit_form(page, document_id, version_id, form, problem=problem)
    if action == "send":
        return RedirectResponse(f"/dokumenter/{document_id}?gjort=sendt", status_code=303)
    return RedirectResponse(f"/dokumenter/{document_id}/versjoner/{version_id}/rediger?lagret=ja", status_code=303)


@router.post("/dokumenter/{document_id:uuid}/utkast")
async def new_draft(request: Request, document_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    draft = await page.api.post(f"/api/v1/documents/{document_id}/versions", {})
    return RedirectResponse(f"/dokumenter/{document_id}/versjoner/{draft['id']}/rediger", status_code=303)


@router.post("/dokumenter/{document_id:uuid}/versjoner/{version_id:uuid}/trekk")
async def withdraw(request: Request, document_id: uuid.UUID, version_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    await page.api.post(f"/api/v1/documents/{document_id}/versions/{version_id}/withdraw", {})
    return RedirectResponse(f"/dokumenter/{document_id}/versjoner/{version_id}/rediger", status_code=303)
