"""Events produced by the deviations service (avvik)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from varde_common.events.base import Event

DEVIATION_TOPIC = "varde.deviations.deviation"


class DeviationReported(Event):
    """An employee reported a deviation (avvik registrert). Title and description stay in the service."""

    type: ClassVar[str] = "no.varde.deviation.reported.v1"
    topic: ClassVar[str] = DEVIATION_TOPIC
    key_field: ClassVar[str] = "deviation_id"

    deviation_id: uuid.UUID
    unit_id: uuid.UUID
    status: str
    occurred_at: datetime
    reported_at: datetime
