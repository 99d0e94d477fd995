"""Event adapters of notifications: the deviation, document and risk events to tell people about, and the local
copy of the directory."""

from varde_common.directory_replica import register_directory_replica
from varde_common.events import (
    DeviationAssigned,
    DeviationClosed,
    DeviationRejected,
    DocumentApproved,
    DocumentRejected,
    DocumentSubmitted,
    MeasureAdded,
    MeasureChanged,
    MeasureOverdue,
    ProcedureDueForRevision,
    ProcedureRevisionOverdue,
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
    router.on(DeviationAssigned.type, DeviationAssigned.topic)(service.on_deviation_assigned)
    router.on(DeviationClosed.type, DeviationClosed.topic)(service.on_deviation_closed)
    router.on(DeviationRejected.type, DeviationRejected.topic)(service.on_deviation_rejected)
    router.on(MeasureAdded.type, MeasureAdded.topic)(service.on_measure_added)
    router.on(MeasureChanged.type, MeasureChanged.topic)(service.on_measure_changed)
    router.on(MeasureOverdue.type, MeasureOverdue.topic)(service.on_measure_overdue)
    router.on(DocumentSubmitted.type, DocumentSubmitted.topic)(service.on_document_submitted)
    router.on(DocumentRejected.type, DocumentRejected.topic)(service.on_document_rejected)
    router.on(DocumentApproved.type, DocumentApproved.topic)(service.on_document_approved)
    router.on(ProcedureDueForRevision.type, ProcedureDueForRevision.topic)(service.on_due_for_revision)
    router.on(ProcedureRevisionOverdue.type, ProcedureRevisionOverdue.topic)(service.on_revision_overdue)
    router.on(ReadingRequested.type, ReadingRequested.topic)(service.on_reading_requested)
    for event_class, handler in (
        (RiskAssessmentCreated, service.on_risk_assessment_created),
        (RiskAssessmentSubmitted, service.on_risk_assessment_submitted),
        (RiskAssessmentApproved, service.on_risk_assessment_approved),
        (RiskAssessmentArchived, service.on_risk_assessment_archived),
        (RiskAssessmentReviewDue, service.on_risk_review_due),
        (RiskAboveAcceptance, service.on_risk_above_acceptance),
        (RiskMeasureAdded, service.on_risk_measure_added),
        (RiskMeasureCompleted, service.on_risk_measure_completed),
        (RiskMeasureOverdue, service.on_risk_measure_overdue),
    ):
        router.on(event_class.type, event_class.topic)(handler)
