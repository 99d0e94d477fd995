"""Settings of the documents service."""

from varde_common.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    http_port: int = 8102
    # ProcedureDueForRevision is raised this many days before a document's revision date.
    revision_lead_days: int = 30
    # Procedures refer to forms and scanned manuals: larger than a phone's photo.
    attachment_max_bytes: int = 20 * 1_048_576
