"""Event adapters of notifications: the deviation, document and risk events to tell people about, and the local
copy of the directory."""

from varde_common.directory_replica import register_directory_replica
from varde_common.events import (
    DeviationAcknowledged,
    DeviationAssigned,
    DeviationClosed,
    DeviationRejected,
    DocumentApproved,
    DocumentArchived,
    DocumentRejected,
    DocumentSubmitted,
    MeasureAdded,
    MeasureChanged,
    MeasureCompleted,
    MeasureOverdue,
    ProcedureConfirmedValid,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
    ReadingConfirmed,
    ReadingRequested,
    RiskAboveAcceptance,
    RiskAssessmentApproved,
    RiskAssessmentArchived,
    RiskAssessmentCreated,
    RiskAssessmentReviewDue,
    RiskAssessmentSubmitted,
    RiskMeasureAdded,
    RiskMeasureCompleted,
    RiskMeasureOverdue,
)
from varde_common.kafka import EventRouter
from varde_notifications.service import NotificationService


def register(router: EventRouter, service: NotificationService) -> None:
    register_directory_replica(router, service.sessions)
    router.on(DeviationAssigned)(service.on_deviation_assigned)
    router.on(DeviationAcknowledged)(service.on_deviation_acknowledged)
    router.on(DeviationClosed)(service.on_deviation_closed)
    router.on(DeviationRejected)(service.on_deviation_rejected)
    router.on(MeasureAdded)(service.on_measure_added)
    router.on(MeasureChanged)(service.on_measure_changed)
    router.on(MeasureOverdue)(service.on_measure_overdue)
    router.on(MeasureCompleted)(service.on_measure_completed)
    router.on(DocumentSubmitted)(service.on_document_submitted)
    router.on(DocumentRejected)(service.on_document_rejected)
    router.on(DocumentApproved)(service.on_document_approved)
    router.on(DocumentArchived)(service.on_document_archived)
    router.on(ProcedureConfirmedValid)(service.on_confirmed_valid)
    router.on(ProcedureDueForRevision)(service.on_due_for_revision)
    router.on(ProcedureRevisionOverdue)(service.on_revision_overdue)
    router.on(ReadingRequested)(service.on_reading_requested)
    router.on(ReadingConfirmed)(service.on_reading_confirmed)
    router.on(RiskAssessmentCreated)(service.on_risk_assessment_created)
    router.on(RiskAssessmentSubmitted)(service.on_risk_assessment_submitted)
    router.on(RiskAssessmentApproved)(service.on_risk_assessment_approved)
    router.on(RiskAssessmentArchived)(service.on_risk_assessment_archived)
    router.on(RiskAssessmentReviewDue)(service.on_risk_review_due)
    router.on(RiskAboveAcceptance)(service.on_risk_above_acceptance)
    router.on(RiskMeasureAdded)(service.on_risk_measure_added)
    router.on(RiskMeasureCompleted)(service.on_risk_measure_completed)
    router.on(RiskMeasureOverdue)(service.on_risk_measure_overdue)
