"""Settings of the deviations service."""

from varde_common.settings import ServiceSettings


class DeviationsSettings(ServiceSettings):
    http_port: int = 8103
    attachment_max_bytes: int = 10 * 1_048_576
