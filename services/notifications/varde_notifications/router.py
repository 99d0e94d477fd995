"""HTTP adapters of notifications."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from varde_common.identity import CurrentIdentity
from varde_common.openapi import problems
from varde_common.pages import PageQuery
from varde_common.problem_handlers import request_language
from varde_notifications.errors import NotificationNotFound, UnknownNotification
from varde_notifications.inbox import InboxService
from varde_notifications.models import MarkedRead, MarkRead, NotificationPage, NotificationPublic, UnreadCount

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
    "/read",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Merk varsler som lest",
    description="Alle eller ingen: er ett av varslene ikke ditt, merkes ingen. Et varsel som alt er lest, beholder "
    "tidspunktet det først ble lest.",
    responses=problems(UnknownNotification),
)
async def mark_read(request: Request, identity: CurrentIdentity, body: MarkRead) -> None:
    await _inbox(request).mark_read(identity, body.notification_ids)


@router.post(
    "/{notification_id}/read",
    response_model=NotificationPublic,
    summary="Merk et varsel som lest",
    description="Svarer med varselet. Et varsel som alt er lest, beholder tidspunktet det først ble lest.",
    responses=problems(NotificationNotFound),
)
async def mark_one_read(
    request: Request, response: Response, identity: CurrentIdentity, notification_id: NotificationId
) -> NotificationPublic:
    language = request_language(request)
    response.headers["content-language"] = language
    return await _inbox(request).mark_one_read(identity, notification_id, language)


@router.post(
    "/read-all",
    response_model=MarkedRead,
    summary="Merk alle varslene mine som lest",
    description="Svarer med hvor mange som ble merket nå.",
    responses=problems(),
)
async def mark_all_read(request: Request, identity: CurrentIdentity) -> MarkedRead:
    return await _inbox(request).mark_all_read(identity)


@router.get(
    "/unread-count",
    response_model=UnreadCount,
    summary="Antall uleste varsler",
    responses=problems(),
)
async def unread_count(request: Request, identity: CurrentIdentity) -> UnreadCount:
    return await _inbox(request).unread_count(identity)
