"""HTTP adapters of notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from varde_common.identity import CurrentIdentity
from varde_notifications.models import NotificationPublic
from varde_notifications.service import NotificationService

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])


def _service(request: Request) -> NotificationService:
    service: NotificationService = request.app.state.notifications
    return service


@router.get("", response_model=list[NotificationPublic], summary="Mine varsler, nyeste først")
async def mine(
    request: Request,
    identity: CurrentIdentity,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    unread_only: Annotated[bool, Query(description="Bare uleste")] = False,
) -> list[NotificationPublic]:
    return await _service(request).mine(identity, limit, unread_only)
