"""Notifications (varsler): the inbox with the newest first, opening one (it is then read, and the page goes to
what it is about), and "mark all as read". The header shows the unread count on every page."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varde_web.rendering import page_for, signed_out

router = APIRouter()

# Where a notification leads, by what it is about; one without a page of its own stays in the inbox.
SUBJECT_PAGES = {"deviation": "/saker/{id}", "document": "/dokumenter/{id}", "risk_assessment": "/risiko/{id}"}


@router.get("/varsler", response_class=HTMLResponse)
async def inbox(request: Request, cursor: str | None = None) -> Response:
    page = await page_for(request)
    if page.person is None:
        return signed_out(request)
    params: dict[str, Any] = {"limit": 25}
    if cursor:
        params["cursor"] = cursor
    notifications = await page.api.get("/api/v1/notifications", params)
    return page.render("inbox.html", notifications=notifications["items"], next_cursor=notifications["next_cursor"])


@router.post("/varsler/{notification_id}/apne")
async def open_notification(request: Request, notification_id: uuid.UUID) -> Response:
    page = await page_for(request, who=False)
    notification = await page.api.post(f"/api/v1/notifications/{notification_id}/read", {})
    target = SUBJECT_PAGES.get(notification["subject_type"], "/varsler")
    return RedirectResponse(target.format(id=notification["subject_id"]), status_code=303)


@router.post("/varsler/les-alle")
async def read_all(request: Request) -> Response:
    page = await page_for(request, who=False)
    await page.api.post("/api/v1/notifications/read-all", {})
    return RedirectResponse("/varsler", status_code=303)
