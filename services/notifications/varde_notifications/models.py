"""Tables and API models of notifications (the in-app inbox)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


class Notification(SQLModel, table=True):
    """Something a person must act on, in their in-app inbox."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    recipient_id: uuid.UUID
    kind: str
    title: str
    body: str
    subject_type: str
    subject_id: uuid.UUID
    source_event_id: uuid.UUID
    created_at: datetime = Field(default_factory=now, sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]
    read_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]


class NotificationPublic(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    subject_type: str
    subject_id: uuid.UUID
    created_at: datetime
    read_at: datetime | None
