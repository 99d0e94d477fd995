"""Use cases of risk assessments (ROS-analyser): start one, change it, approve it at the owner's leader level,
take it back for revision, archive it, and show it with its risks and history.

Each use case owns its transaction and writes its history and its events in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.calendar import add_months
from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit, nearest_leader
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError
from varde_common.events import (
    RiskAssessmentApproved,
    RiskAssessmentArchived,
    RiskAssessmentCreated,
    RiskAssessmentSubmitted,
)
from varde_common.identity import Identity
from varde_common.outbox import add_events
from varde_risk import repository
from varde_risk.access import AssessmentAccess, authorizer, visible, workable
from varde_risk.domain import (
    LEVEL_LABELS,
    STATUS_LABELS,
    ZONE_LABELS,
    AssessmentAction,
    AssessmentKind,
    AssessmentStatus,
    IllegalAssessmentTransitionError,
    Matrix,
    ScopeKind,
    Zone,
    next_assessment_status,
)
from varde_risk.links import linked
from varde_risk.models import (
    AssessmentChange,
    AssessmentCreate,
    AssessmentPublic,
    AssessmentSummary,
    HistoryEntry,
    LinkedDeviation,
    LinkedDocument,
    MatrixPublic,
    MeasurePublic,
    Risk,
    RiskAssessment,
    RiskMeasure,
    RiskPublic,
    now,
)
from varde_risk.records import SOURCE, facts, record

DEFAULT_REVIEW_MONTHS = 12


def _invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(message, extra={"errors": [{"field": field, "message": message, "code": "invalid"}]})


def matrix_public(matrix: Matrix, is_default: bool) -> MatrixPublic:
    return MatrixPublic(
        grid=[list(row) for row in matrix.grid],
        colours=dict(matrix.colours),
        zone_labels=ZONE_LABELS,
        level_labels=list(LEVEL_LABELS),
        is_default=is_default,
    )


def measure_public(measure: RiskMeasure, today: date) -> MeasurePublic:
    return MeasurePublic(
        id=measure.id,
        risk_id=measure.risk_id,
        title=measure.title,
        owner_id=measure.owner_id,
        deadline=measure.deadline,
        done_at=measure.done_at,
        overdue=measure.done_at is None and measure.deadline is not None and measure.deadline < today,
    )


def risk_public(
    risk: Risk,
    measures: Sequence[RiskMeasure],
    matrix: Matrix,
    links: tuple[Mapping[uuid.UUID, LinkedDeviation], Mapping[uuid.UUID, LinkedDocument]],
) -> RiskPublic:
    zone = Zone(risk.zone)
    has_target = risk.target_probability is not None and risk.target_consequence is not None
    today = now().date()
    deviations, documents = links
    return RiskPublic(
        id=risk.id,
        assessment_id=risk.assessment_id,
        number=risk.number,
        marker=f"R{risk.number}",
        title=risk.title,
        description=risk.description,
        causes=risk.causes,
        barriers=risk.barriers,
        probability=risk.probability,
        consequence=risk.consequence,
        consequences=risk.consequences,
        level_label=ZONE_LABELS[zone],
        zone=zone,
        above_acceptance=zone == Zone.UNACCEPTABLE,
        target_probability=risk.target_probability,
        target_consequence=risk.target_consequence,
        target_zone=matrix.zone(risk.target_probability, risk.target_consequence)  # type: ignore[arg-type]
        if has_target
        else None,
        deviation_ids=risk.deviation_ids,
        document_ids=risk.document_ids,
        deviations=[deviations[i] for i in risk.deviation_ids if i in deviations],
        documents=[documents[i] for i in risk.document_ids if i in documents],
        measures=[measure_public(m, today) for m in measures if m.risk_id == risk.id],
    )


def allowed(assessment: RiskAssessment, access: AssessmentAccess) -> list[str]:
    status = AssessmentStatus(assessment.status)
    if status == AssessmentStatus.ARCHIVED:
        return []
    actions: list[str] = []
    if access.work:
        actions += ["change", "add_risk", "rate", "add_measure"]
    if access.work and status == AssessmentStatus.PREPARATION and assessment.submitted_at is None:
        actions.append("submit")
    if access.approve and status == AssessmentStatus.PREPARATION:
        actions.append("approve")
    if access.work and status == AssessmentStatus.ACTIVE:
        actions.append("reopen")
    if access.archive:
        actions.append("archive")
    return actions


def summary(assessment: RiskAssessment, risks: int, above_acceptance: int) -> AssessmentSummary:
    status = AssessmentStatus(assessment.status)
    return AssessmentSummary(
        id=assessment.id,
        title=assessment.title,
        kind=AssessmentKind(assessment.kind),
        status=status,
        status_label=STATUS_LABELS[status],
        unit_id=assessment.unit_id,
        owner_id=assessment.owner_id,
        review_due=assessment.review_due,
        awaiting_approval=assessment.submitted_at is not None and status == AssessmentStatus.PREPARATION,
        risks=risks,
        above_acceptance=above_acceptance,
    )


async def assessment_public(
    session: AsyncSession, assessment: RiskAssessment, access: AssessmentAccess
) -> AssessmentPublic:
    risks = await repository.risks_of(session, assessment.id)
    measures = await repository.measures_of(session, assessment.id)
    matrix, _ = await repository.kommune_matrix(session)
    links = await linked(session, risks)
    return AssessmentPublic(
        **summary(assessment, len(risks), sum(1 for r in risks if r.zone == Zone.UNACCEPTABLE)).model_dump(),
        description=assessment.description,
        scope_kind=ScopeKind(assessment.scope_kind),
        scope_name=assessment.scope_name,
        participants=assessment.participants,
        submitted_at=assessment.submitted_at,
        approved_by=assessment.approved_by,
        approved_at=assessment.approved_at,
        created_at=assessment.created_at,
        risk_list=[risk_public(r, measures, matrix, links) for r in risks],
        allowed_actions=allowed(assessment, access),
    )


def _next_status(assessment: RiskAssessment, action: AssessmentAction) -> AssessmentStatus:
    try:
        return next_assessment_status(AssessmentStatus(assessment.status), action)
    except IllegalAssessmentTransitionError:
        label = STATUS_LABELS[AssessmentStatus(assessment.status)].lower()
        raise ConflictError(
            f"Dette kan ikke gjøres med en risikovurdering som er {label}.",
            extra={"status": assessment.status, "action": action.value},
        ) from None


class AssessmentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], review_lead_days: int = 30) -> None:
        self.sessions = sessions
        self.review_lead_days = review_lead_days

    async def create(self, identity: Identity, body: AssessmentCreate) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await find_unit(session, body.unit_id)
            if unit is None or unit.closed:
                raise _invalid("unit_id", "Enheten finnes ikke i kommunen.")
            if not await authorizer.may(session, identity.person_id, Action.OWN_RISK, body.unit_id):
                raise ForbiddenError("Du kan ikke eie risikovurderinger for denne enheten.")
            at = now()
            assessment = RiskAssessment(
                tenant_id=identity.tenant_id,
                title=body.title,
                description=body.description,
                kind=body.kind,
                scope_kind=body.scope_kind,
                scope_name=body.scope_name,
                unit_id=body.unit_id,
                owner_id=body.owner_id or identity.person_id,
                participants=list(dict.fromkeys(body.participants)),
                review_due=body.review_due,
                created_by=identity.person_id,
                created_at=at,
                updated_at=at,
            )
            session.add(assessment)
            await session.flush()
            record(session, assessment, identity.person_id, "created", at, kind=body.kind)
            event = RiskAssessmentCreated(
                **facts(assessment, at), created_by=identity.person_id, review_due=body.review_due
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            access = AssessmentAccess(read=True, work=True, approve=False, archive=True)
            return await assessment_public(session, assessment, access)

    async def get(self, identity: Identity, assessment_id: uuid.UUID) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await visible(session, identity.person_id, assessment_id)
            return await assessment_public(session, assessment, access)

    async def list_assessments(
        self,
        identity: Identity,
        *,
        status: AssessmentStatus | None = None,
        unit_id: uuid.UUID | None = None,
        awaiting_approval: bool | None = None,
        after: tuple[str, uuid.UUID] | None = None,
        limit: int = 50,
    ) -> tuple[list[AssessmentSummary], RiskAssessment | None]:
        """A page of the assessments the person may read, by title: in the units where they read risk (or below
        ``unit_id``), and those they own or take part in. With the last one when another page follows."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            reach = await authorizer.units_where(session, identity.person_id, Action.READ_RISK)
            statement = select(RiskAssessment).order_by(col(RiskAssessment.title), col(RiskAssessment.id))
            if status is not None:
                statement = statement.where(RiskAssessment.status == status.value)
            if awaiting_approval is not None:
                waiting = sa.and_(
                    col(RiskAssessment.status) == AssessmentStatus.PREPARATION.value,
                    col(RiskAssessment.submitted_at).is_not(None),
                )
                statement = statement.where(waiting if awaiting_approval else ~waiting)
            involved = (col(RiskAssessment.owner_id) == identity.person_id) | sa.literal(identity.person_id).op("=")(
                sa.func.any(col(RiskAssessment.participants))
            )
            statement = statement.where(col(RiskAssessment.unit_id).in_(reach) | involved)
            if unit_id is not None:
                scope = await repository.subtree(session, unit_id)
                statement = statement.where(col(RiskAssessment.unit_id).in_(scope))
            if after is not None:
                statement = statement.where(sa.tuple_(col(RiskAssessment.title), col(RiskAssessment.id)) > after)
            assessments = (await session.exec(statement.limit(limit))).all()
            counts = await repository.risk_counts(session, [a.id for a in assessments])
            last = assessments[-1] if len(assessments) == limit else None
            return [summary(a, *counts.get(a.id, (0, 0))) for a in assessments], last

    async def change(self, identity: Identity, assessment_id: uuid.UUID, body: AssessmentChange) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await workable(session, identity.person_id, assessment_id)
            changes = body.model_dump(exclude_unset=True)
            if "participants" in changes and changes["participants"] is not None:
                changes["participants"] = list(dict.fromkeys(changes["participants"]))
            at = now()
            for name, value in changes.items():
                setattr(assessment, name, value)
            assessment.updated_at = at
            session.add(assessment)
            record(session, assessment, identity.person_id, "changed", at, changed=sorted(changes))
            return await assessment_public(session, assessment, access)

    async def submit(self, identity: Identity, assessment_id: uuid.UUID) -> AssessmentPublic:
        """Send the assessment for approval: the leader nearest above the owner is asked (and told)."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await workable(session, identity.person_id, assessment_id)
            if assessment.status != AssessmentStatus.PREPARATION:
                raise ConflictError("Bare en risikovurdering under arbeid sendes til godkjenning.")
            if assessment.submitted_at is not None:
                raise ConflictError("Risikovurderingen er allerede sendt til godkjenning.")
            at = now()
            approver = await nearest_leader(session, assessment.unit_id, other_than=assessment.owner_id)
            assessment.submitted_by, assessment.submitted_at, assessment.updated_at = identity.person_id, at, at
            session.add(assessment)
            record(session, assessment, identity.person_id, "submitted", at, approver_id=approver)
            event = RiskAssessmentSubmitted(
                **facts(assessment, at), submitted_by=identity.person_id, approver_id=approver
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return await assessment_public(session, assessment, access)

    async def approve(self, identity: Identity, assessment_id: uuid.UUID) -> AssessmentPublic:
        """The owner's leader level approves: the assessment is active. Its review falls a year on unless a later
        date was set; an approval inside the review's lead time is that review."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await visible(session, identity.person_id, assessment_id, for_update=True)
            if not access.approve:
                if identity.person_id == assessment.owner_id:
                    raise ForbiddenError("Eieren kan ikke godkjenne sin egen risikovurdering; lederen over gjør det.")
                raise ForbiddenError("Bare ledere over enheten kan godkjenne risikovurderingen.")
            assessment.status = _next_status(assessment, AssessmentAction.APPROVE)
            at = now()
            lead_time_starts = at.date() + timedelta(days=self.review_lead_days)
            if assessment.review_due is None or assessment.review_due <= lead_time_starts:
                assessment.review_due = add_months(at.date(), DEFAULT_REVIEW_MONTHS)
            assessment.approved_by, assessment.approved_at, assessment.updated_at = identity.person_id, at, at
            assessment.submitted_by = assessment.submitted_at = None
            assessment.review_notified_for = assessment.review_overdue_notified_for = None
            session.add(assessment)
            record(session, assessment, identity.person_id, "approved", at, review_due=assessment.review_due)
            event = RiskAssessmentApproved(
                **facts(assessment, at), approved_by=identity.person_id, review_due=assessment.review_due
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return await assessment_public(session, assessment, access)

    async def reopen(self, identity: Identity, assessment_id: uuid.UUID) -> AssessmentPublic:
        """Take an active assessment back into preparation for its review; it is sent and approved again."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await workable(session, identity.person_id, assessment_id)
            assessment.status = _next_status(assessment, AssessmentAction.REOPEN)
            at = now()
            assessment.updated_at = at
            session.add(assessment)
            record(session, assessment, identity.person_id, "reopened", at)
            return await assessment_public(session, assessment, access)

    async def archive(self, identity: Identity, assessment_id: uuid.UUID) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await visible(session, identity.person_id, assessment_id, for_update=True)
            if not access.archive:
                raise ForbiddenError("Bare eieren eller ledere over enheten kan arkivere risikovurderingen.")
            assessment.status = _next_status(assessment, AssessmentAction.ARCHIVE)
            at = now()
            assessment.updated_at = at
            session.add(assessment)
            record(session, assessment, identity.person_id, "archived", at)
            event = RiskAssessmentArchived(**facts(assessment, at), archived_by=identity.person_id)
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return await assessment_public(session, assessment, access)

    async def history(self, identity: Identity, assessment_id: uuid.UUID) -> list[HistoryEntry]:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await visible(session, identity.person_id, assessment_id)
            return [
                HistoryEntry(at=h.at, actor_id=h.actor_id, action=h.action, risk_id=h.risk_id, details=h.details)
                for h in await repository.history(session, assessment_id)
            ]
