"""The event catalogue: one module per producing service, every payload class registered by its CloudEvents type."""

from varde_common.events.base import CATALOGUE, Event, event_class_for
from varde_common.events.deviations import DeviationReported
from varde_common.events.directory import OrgUnitChanged, RoleAssignmentChanged, TenantChanged

__all__ = [
    "CATALOGUE",
    "DeviationReported",
    "Event",
    "OrgUnitChanged",
    "RoleAssignmentChanged",
    "TenantChanged",
    "event_class_for",
]
