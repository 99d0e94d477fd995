"""Events produced by the deviations service (avvik).

Every event carries ids, unit, kind, area, category, severity and times: enough for other systems and for the
statistics, never the restricted content (what happened, who was involved) and never the reporter of an anonymous
report. Person ids appear only where a consumer must tell that person something (assignee, measure owner,
reporter on close or reject).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from varde_common.events.base import Event

DEVIATION_TOPIC = "varde.deviations.deviation"


class DeviationKind(StrEnum):
    """What was reported; the deviations service's domain uses the same values."""

    DEVIATION = "avvik"  # avvik: brudd på krav eller prosedyre
    ADVERSE_EVENT = "uonsket_hendelse"  # uønsket hendelse
    NEAR_MISS = "nestenuhell"  # nestenuhell
    IMPROVEMENT = "forbedringsforslag"  # forbedringsforslag


class DeviationStatus(StrEnum):
    """Where a case stands in its handling (the state after the change an event reports)."""

    REGISTERED = "registered"  # registrert: meldt, ikke tatt til behandling
    UNDER_TREATMENT = "under_treatment"  # under behandling
    MEASURES = "measures"  # tiltak iverksatt
    CLOSED = "closed"  # lukket
    REJECTED = "rejected"  # avvist


class AssignmentReason(StrEnum):
    """Why a case was given to its assignee."""

    REPORTED = "reported"
    FORWARDED = "forwarded"
    ESCALATED = "escalated"
    REOPENED = "reopened"


class DeviationEvent(Event):
    """What every deviation event says about the case; fields added after v1 have defaults (additive)."""

    topic: ClassVar[str] = DEVIATION_TOPIC
    key_field: ClassVar[str] = "deviation_id"

    deviation_id: uuid.UUID
    unit_id: uuid.UUID
    status: DeviationStatus
    handling_unit_id: uuid.UUID | None = None
    kind: DeviationKind = DeviationKind.DEVIATION
    area: str | None = None
    category_id: uuid.UUID | None = None
    severity: int = 0
    occurred_at: datetime | None = None
    reported_at: datetime | None = None
    at: datetime | None = None


class DeviationReported(DeviationEvent):
    """An employee reported a deviation (avvik registrert). Title and description stay in the service."""

    type: ClassVar[str] = "no.varde.deviation.reported.v1"

    anonymous: bool = False


class DeviationAssigned(DeviationEvent):
    """The case was given to a person to acknowledge and handle (normally the leader of the handling unit)."""

    type: ClassVar[str] = "no.varde.deviation.assigned.v1"

    assignee_id: uuid.UUID
    acknowledge_due_at: datetime | None = None
    reason: AssignmentReason = AssignmentReason.REPORTED
    # Escalated by the deadline job (nobody took it in time) rather than by a person.
    automatic: bool = False


class DeviationAcknowledged(DeviationEvent):
    """The assignee took the case into treatment (tatt til behandling): the time to acknowledge ends here."""

    type: ClassVar[str] = "no.varde.deviation.acknowledged.v1"


class DeviationForwarded(DeviationEvent):
    """The case was sent to another unit (videresendt) to be handled there."""

    type: ClassVar[str] = "no.varde.deviation.forwarded.v1"

    from_unit_id: uuid.UUID


class DeviationEscalated(DeviationEvent):
    """The case was lifted to the unit above (løftet i linjen), by a person or by the deadline job."""

    type: ClassVar[str] = "no.varde.deviation.escalated.v1"

    from_unit_id: uuid.UUID
    automatic: bool = False


class DeviationAcknowledgementOverdue(DeviationEvent):
    """Nobody took the case into treatment within the kommune's deadline."""

    type: ClassVar[str] = "no.varde.deviation.acknowledgementoverdue.v1"

    assignee_id: uuid.UUID | None = None
    acknowledge_due_at: datetime


class DeviationClosed(DeviationEvent):
    """The case was closed with a conclusion (lukket)."""

    type: ClassVar[str] = "no.varde.deviation.closed.v1"

    reporter_id: uuid.UUID | None = None


class DeviationRejected(DeviationEvent):
    """The case was rejected with a reason (avvist)."""

    type: ClassVar[str] = "no.varde.deviation.rejected.v1"

    reporter_id: uuid.UUID | None = None


class DeviationReopened(DeviationEvent):
    """A closed or rejected case was opened again (gjenåpnet)."""

    type: ClassVar[str] = "no.varde.deviation.reopened.v1"

    assignee_id: uuid.UUID | None = None


class SeriousEventRegistered(DeviationEvent):
    """Serious harm to a patient or user: the patient/user safety committee must know."""

    type: ClassVar[str] = "no.varde.deviation.seriouseventregistered.v1"


class PersonalDataBreachRegistered(DeviationEvent):
    """A personal-data breach: the 72-hour clock to notify the data-protection authority runs from ``aware_at``."""

    type: ClassVar[str] = "no.varde.deviation.personaldatabreachregistered.v1"

    aware_at: datetime
    notify_authority_by: datetime


class MeasureEvent(DeviationEvent):
    """A measure (tiltak) of a case."""

    measure_id: uuid.UUID
    owner_id: uuid.UUID
    deadline: date | None = None


class MeasureAdded(MeasureEvent):
    """A measure (tiltak) was added to a case, with its owner and deadline."""

    type: ClassVar[str] = "no.varde.deviation.measureadded.v1"


class MeasureCompleted(MeasureEvent):
    """A measure was done (utført)."""

    type: ClassVar[str] = "no.varde.deviation.measurecompleted.v1"


class MeasureChanged(MeasureEvent):
    """A measure's description, owner or deadline was changed; ``owner_changed`` when it has a new owner."""

    type: ClassVar[str] = "no.varde.deviation.measurechanged.v1"

    owner_changed: bool = False


class MeasureOverdue(MeasureEvent):
    """A measure passed its deadline without being done; raised once per measure and deadline."""

    type: ClassVar[str] = "no.varde.deviation.measureoverdue.v1"
