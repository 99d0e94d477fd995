"""Settings of the documents service."""

from varde_common.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    http_port: int = 8102
