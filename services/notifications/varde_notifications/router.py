"""HTTP adapters of notifications."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from varde_common.identity import CurrentIdentity
from varde_common.openapi import problems
from varde_common.pages import PageQuery
from varde_common.problem_handlers import request_language
from varde_notifications.errors import NotificationNotFound
from varde_notifications.inbox import InboxService
from varde_notifications.models import NotificationPage, NotificationPublic

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

NotificationId = Annotated[uuid.UUID, Path(title="Varsel", description="Varselets id")]


def _inbox(request: Request) -> InboxService:
    inbox: InboxService = request.app.state.inbox
    return inbox


@router.get(
    "",
    response_model=NotificationPage,
    summary="Mine varsler, nyeste først",
    description="Tekstene kommer på bokmål eller nynorsk etter `Accept-Language` (nb, nn).",
    responses=problems(),
)
async def mine(
    request: Request,
    response: Response,
    identity: CurrentIdentity,
    page: PageQuery,
    unread_only: Annotated[bool, Query(title="Bare uleste", description="Bare varsler du ikke har lest")] = False,
) -> NotificationPage:
    language = request_language(request)
    response.headers["content-language"] = language
    return await _inbox(request).mine(identity, page, language, unread_only=unread_only)


@router.post(
    "/{notification_id}/read",
    response_model=NotificationPublic,
    summary="Merk et varsel som lest",
    responses=problems(NotificationNotFound),
)
async def mark_read(
    request: Request, response: Response, identity: CurrentIdentity, notification_id: NotificationId
) -> NotificationPublic:
    language = request_language(request)
    response.headers["content-language"] = language
    return await _inbox(request).mark_read(identity, notification_id, language)
