"""Events of the risk service: risk assessments (ROS-analyser), their risks and their measures.

One topic for the assessment aggregate, keyed by the assessment id, so an assessment's events stay in order.
Titles, causes and descriptions stay in the risk service; events carry ids, the unit, cells of the matrix and
dates, and person ids only where someone must be told (the owner, the leader above, a measure's owner).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar, Literal

from varde_common.events.base import Event

RISK_ASSESSMENT_TOPIC = "varde.risk.assessment"

RiskAssessmentKind = Literal["overordnet_ros", "virksomhetsstyring", "hms", "informasjonssikkerhet", "prosjekt"]
"""Overall ROS for the kommune, governance, HSE, information security, a project."""
RiskZone = Literal["green", "yellow", "red"]
"""The cell's zone in the kommune's acceptance criteria: acceptable, measures considered, above the line."""
RatingReason = Literal["rated", "criteria_changed"]
"""Why a risk's cell or zone changed: someone rated it again, or the kommune changed its acceptance criteria."""


class RiskAssessmentEvent(Event):
    """What every risk event says about its assessment; fields added after v1 have defaults (additive)."""

    topic: ClassVar[str] = RISK_ASSESSMENT_TOPIC
    key_field: ClassVar[str] = "assessment_id"

    assessment_id: uuid.UUID
    kind: RiskAssessmentKind
    unit_id: uuid.UUID
    owner_id: uuid.UUID
    at: datetime


class RiskAssessmentCreated(RiskAssessmentEvent):
    """A risk assessment was started (under arbeid)."""

    type: ClassVar[str] = "no.varde.riskassessment.created.v1"

    created_by: uuid.UUID
    review_due: date | None = None


class RiskAssessmentSubmitted(RiskAssessmentEvent):
    """The assessment was sent for approval: ``approver_id`` is the leader nearest above the owner who is asked
    (none if the line above has no leader)."""

    type: ClassVar[str] = "no.varde.riskassessment.submitted.v1"

    submitted_by: uuid.UUID
    approver_id: uuid.UUID | None = None


class RiskAssessmentApproved(RiskAssessmentEvent):
    """The owner's leader level approved the assessment: it is active until it is reviewed or archived."""

    type: ClassVar[str] = "no.varde.riskassessment.approved.v1"

    approved_by: uuid.UUID
    review_due: date


class RiskAssessmentArchived(RiskAssessmentEvent):
    """The assessment is no longer in use; it and its risks are kept for the record."""

    type: ClassVar[str] = "no.varde.riskassessment.archived.v1"

    archived_by: uuid.UUID


class RiskAssessmentReviewDue(RiskAssessmentEvent):
    """The assessment's review date is near (the kommune's lead time), or has passed (``overdue``): the owner must
    review it; once overdue, the leader above is told as well. Raised once each per review date."""

    type: ClassVar[str] = "no.varde.riskassessment.reviewdue.v1"

    review_due: date
    overdue: bool = False
    leader_id: uuid.UUID | None = None


class RiskEvent(RiskAssessmentEvent):
    """An event about one risk (uønsket hendelse) of the assessment, with its cell of the matrix."""

    risk_id: uuid.UUID
    probability: int
    consequence: int
    zone: RiskZone


class RiskRegistered(RiskEvent):
    """A risk (uønsket hendelse) was registered in the assessment, in its cell and with its target cell."""

    type: ClassVar[str] = "no.varde.risk.registered.v1"

    target_probability: int | None = None
    target_consequence: int | None = None


class RiskRated(RiskEvent):
    """A risk's cell changed: rated again, or re-evaluated when the kommune changed its acceptance criteria."""

    type: ClassVar[str] = "no.varde.risk.rated.v1"

    previous_probability: int
    previous_consequence: int
    previous_zone: RiskZone
    target_probability: int | None = None
    target_consequence: int | None = None
    reason: RatingReason = "rated"


class RiskAboveAcceptance(RiskEvent):
    """A risk's current cell lies above the acceptance line: the owner and the leader above (``leader_id``) must
    know. Raised when it comes there, not again while it stays."""

    type: ClassVar[str] = "no.varde.risk.aboveacceptance.v1"

    leader_id: uuid.UUID | None = None


class RiskMeasureEvent(RiskAssessmentEvent):
    risk_id: uuid.UUID
    measure_id: uuid.UUID
    measure_owner_id: uuid.UUID
    deadline: date | None = None


class RiskMeasureAdded(RiskMeasureEvent):
    """A measure (tiltak) was set on a risk, with its owner and deadline."""

    type: ClassVar[str] = "no.varde.riskmeasure.added.v1"


class RiskMeasureCompleted(RiskMeasureEvent):
    """A measure was done."""

    type: ClassVar[str] = "no.varde.riskmeasure.completed.v1"

    completed_by: uuid.UUID


class RiskMeasureOverdue(RiskMeasureEvent):
    """A measure passed its deadline without being done: its owner and the assessment's owner are told, once."""

    type: ClassVar[str] = "no.varde.riskmeasure.overdue.v1"
