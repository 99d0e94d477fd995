"""Photos on a case: read from a form, checked as the deviations API checks them, sent to its attachment API, and
shown again through the web as the person who asks.

The checks before a case is made are the API's own (``varde_common.attachments``: the type from the bytes, never
the name; at most the API's size), so a report with a photo the API would refuse is not sent at all, and the form
says why in Norwegian. A photo the API refuses after all (its limit set lower than the web's) leaves the case
made; the receipt says so and the case page takes photos again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from varde_common.attachments import GIF, HEIC, JPEG, PNG, WEBP, checked_content_type
from varde_common.errors import ProblemError
from varde_common.language import language_of
from varde_web.api import Api, ApiProblem
from varde_web.handling import case_page_with_problem
from varde_web.i18n import translator
from varde_web.rendering import page_for, signed_out

router = APIRouter()

PHOTO_FIELD = "photos"
MOST_PHOTOS = 4  # the gateway's body limit for the forms that carry them is 4 × the API's size and a margin
PHOTO_TYPES: dict[str, str] = {JPEG: "JPEG", PNG: "PNG", HEIC: "HEIC", WEBP: "WebP", GIF: "GIF"}
# What a browser shows in <img>; a HEIC photo (an iPhone's own) is listed as a file to download.
SHOWN_INLINE = frozenset({JPEG, PNG, WEBP, GIF})


@dataclass(frozen=True)
class Photo:
    filename: str
    content: bytes
    content_type: str


async def photos_of(form: FormData, max_bytes: int, language: str) -> tuple[list[Photo], str | None]:
    """The photos chosen in the form and checked, or the message for the first that would be refused. A file input
    left empty sends one part without a name or bytes: that is no photo."""
    chosen = [part for part in form.getlist(PHOTO_FIELD) if isinstance(part, UploadFile) and part.filename]
    _ = translator(language)
    if len(chosen) > MOST_PHOTOS:
        return [], _("photos.too_many", most=MOST_PHOTOS)
    photos: list[Photo] = []
    for part in chosen:
        content = await part.read(max_bytes + 1)
        try:
            content_type = checked_content_type(content, max_bytes, PHOTO_TYPES)
        except ProblemError as refused:
            reason = refused.detail.render(language_of(language), **refused.params)
            return [], _("photos.refused", name=part.filename, reason=reason)
        photos.append(Photo(str(part.filename), content, content_type))
    return photos, None


async def send_photos(api: Api, deviation_id: uuid.UUID | str, photos: list[Photo]) -> list[str]:
    """Each photo to the case; the API's message for each it refused. The same bytes sent again (the form sent
    twice) are the attachment they made the first time, so a retry leaves one copy of each."""
    refused: list[str] = []
    for photo in photos:
        try:
            await api.post_file(
                f"/api/v1/deviations/{deviation_id}/attachments", photo.filename, photo.content, photo.content_type
            )
        except ApiProblem as problem:
            if problem.status not in (403, 409, 422):
                raise
            refused.append(f"{photo.filename}: {problem.problem.get('detail', '')}")
    return refused


@router.get("/saker/{deviation_id}/vedlegg/{attachment_id}")
async def attachment(request: Request, deviation_id: uuid.UUID, attachment_id: uuid.UUID) -> Response:
    """The file, fetched as the person who asks (the API decides whether they may, and logs the read). Never kept
    by a cache; never run as a page of this site: the API's own type, no sniffing, and a sandbox."""
    page = await page_for(request, who=False)
    if not page.api.signed_in:
        return signed_out(request)
    answer = await page.api.get_file(f"/api/v1/deviations/{deviation_id}/attachments/{attachment_id}")
    content_type = answer.headers.get("content-type", "application/octet-stream")
    disposition = answer.headers.get("content-disposition", "attachment")
    if content_type in SHOWN_INLINE:
        disposition = disposition.replace("attachment", "inline", 1)
    return Response(
        answer.content,
        media_type=content_type,
        headers={
            "cache-control": "no-store",
            "content-disposition": disposition,
            "x-content-type-options": "nosniff",
            "content-security-policy": "default-src 'none'; img-src 'self'; sandbox",
        },
    )


@router.post("/saker/{deviation_id}/vedlegg")
async def add_photos(request: Request, deviation_id: uuid.UUID) -> Response:
    """More photos on a case from its page (or again, those that did not come with the report)."""
    page = await page_for(request, who=False)
    form = await request.form()
    photos, refusal = await photos_of(form, request.app.state.attachment_max_bytes, page.language)
    if refusal is None and not photos:
        refusal = translator(page.language)("photos.none_chosen")
    if refusal is not None:
        problem = ApiProblem(422, {"title": translator(page.language)("photos.not_added"), "detail": refusal})
        return await case_page_with_problem(request, deviation_id, "attach", problem)
    refused = await send_photos(page.api, deviation_id, photos)
    if refused:
        problem = ApiProblem(422, {"title": translator(page.language)("photos.not_added"), "detail": " ".join(refused)})
        return await case_page_with_problem(request, deviation_id, "attach", problem)
    return RedirectResponse(f"/saker/{deviation_id}#vedlegg", status_code=303)
