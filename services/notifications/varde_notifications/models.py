"""Tables and API models of notifications (the in-app inbox)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from pydantic import Field as ApiField
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from varde_common.calendar import now_utc
from varde_common.pages import Page


def now() -> datetime:
    return now_utc()


class Notification(SQLModel, table=True):
    """Something a person must act on, in their in-app inbox: what it says is a catalogue key and its facts
    (``varde_notifications.domain``), put into words in the reader's målform when it is read."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    recipient_id: uuid.UUID
    kind: str
    text_key: str
    text_params: dict[str, str] = Field(default_factory=dict, sa_type=JSONB)
    subject_type: str
    subject_id: uuid.UUID
    # The part of the subject it is about (a measure), so that settling that part settles only its notices.
    detail_id: uuid.UUID | None = None
    source_event_id: uuid.UUID
    created_at: datetime = Field(default_factory=now, sa_type=sa.DateTime(timezone=True))
    read_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class NotificationPublic(BaseModel):
    id: uuid.UUID
    kind: str = ApiField(description="Hva varselet gjelder, fast nøkkel (deviation.to_handle, document.to_read, …)")
    title: str = ApiField(description="Overskrift, i målformen som ble bedt om (Accept-Language: nb eller nn)")
    body: str = ApiField(description="Hva du skal gjøre, i målformen som ble bedt om")
    subject_type: str = ApiField(description="Hva det gjelder: deviation, document eller risk_assessment")
    subject_id: uuid.UUID
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationPublic]):
    """A person's notifications, the newest first."""


class MarkRead(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"notification_ids": ["0b6f3a52-1d2c-4f7e-9a51-6e0d1c2b3a49"]}]}
    )

    notification_ids: list[uuid.UUID] = ApiField(
        min_length=1, max_length=100, title="Varsler", description="Varslene som skal merkes som lest (høyst 100)"
    )


class MarkedRead(BaseModel):
    marked: int = ApiField(
        description="Hvor mange varsler som ble merket som lest nå (de som alt var lest, telles ikke)"
    )


class UnreadCount(BaseModel):
    unread: int = ApiField(description="Hvor mange av varslene dine du ikke har lest")
