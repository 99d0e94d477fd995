"""Settings of the directory service."""

from varde_common.settings import ServiceSettings


class DirectorySettings(ServiceSettings):
    http_port: int = 8101
