"""Event adapters of notifications: deviations to tell leaders about, and the local copy of the directory."""

from varde_common.directory_replica import register_directory_replica
from varde_common.events import DeviationReported
from varde_common.kafka import EventRouter
from varde_notifications.service import NotificationService


def register(router: EventRouter, service: NotificationService) -> None:
    register_directory_replica(router, service.sessions)
    router.on(DeviationReported.type, DeviationReported.topic)(service.on_deviation_reported)
