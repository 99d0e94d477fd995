"""Tables and API models of deviations (avvik)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from varde_deviations.domain import DeviationStatus


def _now() -> datetime:
    return datetime.now(UTC)


class Deviation(SQLModel, table=True):
    """An avvik: what happened, where and when, and who reported it."""

    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = SQLField(index=True)
    unit_id: uuid.UUID = SQLField(index=True)
    title: str
    description: str
    occurred_at: datetime = SQLField(sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]
    reported_by: uuid.UUID
    status: str = DeviationStatus.REGISTERED
    reported_at: datetime = SQLField(default_factory=_now, sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]


class DeviationCreate(BaseModel):
    """What an employee reports. Unknown fields (``tenant_id``, ``status``, …) are rejected, never stored."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "title": "Fall i korridor",
                    "description": "Beboer falt på vei til spisesalen; ingen brudd.",
                    "unit_id": "{unit_id}",
                    "occurred_at": "2026-11-01T10:00:00+01:00",
                }
            ]
        },
    )

    title: str = Field(min_length=3, max_length=200, description="Kort tittel på hendelsen")
    description: str = Field(min_length=1, max_length=20_000, description="Hva skjedde")
    unit_id: uuid.UUID = Field(description="Enheten der hendelsen skjedde")
    occurred_at: AwareDatetime = Field(description="Når hendelsen skjedde (med tidssone)")

    @field_validator("occurred_at")
    @classmethod
    def not_in_future(cls, value: datetime) -> datetime:
        if value > datetime.now(UTC) + timedelta(minutes=5):
            raise ValueError("tidspunktet kan ikke være i fremtiden")
        return value


class DeviationPublic(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    title: str
    description: str
    occurred_at: datetime
    reported_at: datetime
    reported_by: uuid.UUID
    status: DeviationStatus
