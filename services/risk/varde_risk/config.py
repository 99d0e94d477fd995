"""Settings of the risk service."""

from varde_common.settings import ServiceSettings


class RiskSettings(ServiceSettings):
    http_port: int = 8104
    # RiskAssessmentReviewDue is raised this many days before an active assessment's review date.
    review_lead_days: int = 30


def review_lead_days(settings: ServiceSettings) -> int:
    """The lead time of the review reminder, also when the runtime was given the common settings only."""
    return (
        settings.review_lead_days
        if isinstance(settings, RiskSettings)
        else RiskSettings.model_fields["review_lead_days"].default
    )
