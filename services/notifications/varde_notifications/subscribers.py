"""Event adapters of notifications: deviation events to tell people about, and the local copy of the directory."""

from varde_common.directory_replica import register_directory_replica
from varde_common.events import (
    DeviationAssigned,
    DeviationClosed,
    DeviationRejected,
    MeasureAdded,
    MeasureChanged,
    MeasureOverdue,
)
from varde_common.kafka import EventRouter
from varde_notifications.service import NotificationService


def register(router: EventRouter, service: NotificationService) -> None:
    register_directory_replica(router, service.sessions)
    router.on(DeviationAssigned.type, DeviationAssigned.topic)(service.on_deviation_assigned)
    router.on(DeviationClosed.type, DeviationClosed.topic)(service.on_deviation_closed)
    router.on(DeviationRejected.type, DeviationRejected.topic)(service.on_deviation_rejected)
    router.on(MeasureAdded.type, MeasureAdded.topic)(service.on_measure_added)
    router.on(MeasureChanged.type, MeasureChanged.topic)(service.on_measure_changed)
    router.on(MeasureOverdue.type, MeasureOverdue.topic)(service.on_measure_overdue)
