"""Settings of the notifications service."""

from varde_common.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    http_port: int = 8105
