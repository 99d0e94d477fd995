"""Settings of the risk service."""

from varde_common.settings import ServiceSettings


class RiskSettings(ServiceSettings):
    http_port: int = 8104
    # RiskAssessmentReviewDue is raised this many days before an active assessment's review date.
    review_lead_days: int = 30
