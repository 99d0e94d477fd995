"""Risk tells people what they must do: a new owner their assessment, the leader above one to approve and a risk
above the acceptance line, the owner an approval, a review that is due (and once overdue the leader too), a
measure's owner their measure and its deadline, the owner a measure done by someone else. Nobody is told what
they did themselves, and a redelivered event tells nobody twice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.events import (
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
from varde_common.testing.factories import TinyOrg, envelope_of
from varde_notifications.domain import render
from varde_notifications.models import Notification
from varde_notifications.service import NotificationService


async def stored(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> list[tuple[uuid.UUID, str, str]]:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        rows = await session.execute(
            sa.select(Notification).order_by(Notification.created_at, Notification.kind)  # type: ignore[arg-type]
        )
        return [(n.recipient_id, n.kind, render(n.text_key, n.text_params, "nb")[1]) for n in rows.scalars()]


async def test_the_people_a_risk_assessment_needs_are_told_once_each(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    owner, adviser = org.unit_leader, uuid.uuid4()
    facts = {
        "assessment_id": uuid.uuid4(),
        "kind": "hms",
        "unit_id": org.unit_id,
        "owner_id": owner,
        "at": datetime.now(UTC),
    }
    measure = {"risk_id": uuid.uuid4(), "measure_id": uuid.uuid4(), "measure_owner_id": org.employee}
    deadline = date(2027, 3, 1)
    cell = {"risk_id": measure["risk_id"], "probability": 4, "consequence": 5, "zone": "red"}
    steps = [
        (service.on_risk_assessment_created, RiskAssessmentCreated(**facts, created_by=adviser)),
        (service.on_risk_assessment_created, RiskAssessmentCreated(**facts, created_by=owner)),  # made it herself
        (
            service.on_risk_assessment_submitted,
            RiskAssessmentSubmitted(**facts, submitted_by=owner, approver_id=org.sector_leader),
        ),
        (service.on_risk_above_acceptance, RiskAboveAcceptance(**facts, **cell, leader_id=org.sector_leader)),
        (service.on_risk_measure_added, RiskMeasureAdded(**facts, **measure, deadline=deadline)),
        (service.on_risk_measure_completed, RiskMeasureCompleted(**facts, **measure, completed_by=org.employee)),
        (service.on_risk_measure_completed, RiskMeasureCompleted(**facts, **measure, completed_by=owner)),
        (service.on_risk_measure_overdue, RiskMeasureOverdue(**facts, **measure, deadline=deadline)),
        (
            service.on_risk_assessment_approved,
            RiskAssessmentApproved(**facts, approved_by=org.sector_leader, review_due=date(2027, 12, 1)),
        ),
        (service.on_risk_review_due, RiskAssessmentReviewDue(**facts, review_due=date(2027, 12, 1))),
        (
            service.on_risk_review_due,
            RiskAssessmentReviewDue(**facts, review_due=date(2027, 12, 1), overdue=True, leader_id=org.sector_leader),
        ),
        (service.on_risk_assessment_archived, RiskAssessmentArchived(**facts, archived_by=owner)),
        (service.on_risk_assessment_archived, RiskAssessmentArchived(**facts, archived_by=org.sector_leader)),
    ]
    for handle, event in steps:
        envelope = envelope_of(org, event, source="/varde/risk")
        await handle(envelope, event)
        await handle(envelope, event)  # redelivered

    told = await stored(sessions, org)
    assert sorted((who, kind) for who, kind, _ in told) == sorted(
        [
            (owner, "risk.assessment_owned"),
            (org.sector_leader, "risk.to_approve"),
            (owner, "risk.above_acceptance"),
            (org.sector_leader, "risk.above_acceptance"),
            (org.employee, "risk.measure_assigned"),
            (owner, "risk.measure_completed"),
            (org.employee, "risk.measure_overdue"),
            (owner, "risk.measure_overdue"),
            (owner, "risk.approved"),
            (owner, "risk.review_due"),
            (owner, "risk.review_overdue"),
            (org.sector_leader, "risk.review_overdue"),
            (owner, "risk.archived"),
        ]
    )
    bodies = {kind: body for _, kind, body in told}
    assert "sannsynlighet 4 og konsekvens 5" in bodies["risk.above_acceptance"]
    assert "01.03.2027" in bodies["risk.measure_assigned"]
    assert "01.12.2027" in bodies["risk.review_due"]
