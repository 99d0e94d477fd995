"""Settings of the risk service."""

from varde_common.settings import ServiceSettings


class RiskSettings(ServiceSettings):
    http_port: int = 8104
