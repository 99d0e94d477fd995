"""The event catalogue: one module per producing service, every payload class registered by its CloudEvents type."""

from varde_common.events.base import CATALOGUE, Event, event_class_for
from varde_common.events.deviations import (
    DeviationAcknowledged,
    DeviationAcknowledgementOverdue,
    DeviationAssigned,
    DeviationClosed,
    DeviationEscalated,
    DeviationEvent,
    DeviationForwarded,
    DeviationRejected,
    DeviationReopened,
    DeviationReported,
    MeasureAdded,
    MeasureChanged,
    MeasureCompleted,
    MeasureEvent,
    MeasureOverdue,
    PersonalDataBreachRegistered,
    SeriousEventRegistered,
)
from varde_common.events.directory import OrgUnitChanged, RoleAssignmentChanged, TenantChanged

__all__ = [
    "CATALOGUE",
    "DeviationAcknowledged",
    "DeviationAcknowledgementOverdue",
    "DeviationAssigned",
    "DeviationClosed",
    "DeviationEscalated",
    "DeviationEvent",
    "DeviationForwarded",
    "DeviationRejected",
    "DeviationReopened",
    "DeviationReported",
    "Event",
    "MeasureAdded",
    "MeasureChanged",
    "MeasureCompleted",
    "MeasureEvent",
    "MeasureOverdue",
    "OrgUnitChanged",
    "PersonalDataBreachRegistered",
    "RoleAssignmentChanged",
    "SeriousEventRegistered",
    "TenantChanged",
    "event_class_for",
]
