"""Stored notifications as a person reads them: put into words in their målform."""

from __future__ import annotations

from varde_common.language import Language
from varde_notifications.domain import render
from varde_notifications.models import Notification, NotificationPublic


def notification_public(notification: Notification, language: Language) -> NotificationPublic:
    title, body = render(notification.text_key, notification.text_params, language)
    return NotificationPublic(
        id=notification.id,
        kind=notification.kind,
        title=title,
        body=body,
        subject_type=notification.subject_type,
        subject_id=notification.subject_id,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )
