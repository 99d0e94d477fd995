"""Settings of the reporting service."""

from varde_common.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    http_port: int = 8106
