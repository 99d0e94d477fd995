"""Risk's dates are Norwegian dates: a measure's deadline, "overdue", the review date and its reminders follow the
day in Europe/Oslo, in summer time (UTC+2) and winter time (UTC+1) alike. Each instant below is one where the date
in UTC is another than in Oslo, or where a fixed offset would be wrong half the year."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer
from varde_risk.approval import ApprovalService
from varde_risk.assessments import AssessmentService
from varde_risk.errors import MeasureDeadlinePassed
from varde_risk.jobs import measures_overdue, review_overdue
from varde_risk.models import AssessmentCreate, AssessmentPublic, MeasureCreate, RiskAssessment, RiskCreate
from varde_risk.risks import RiskService

SUMMER_NIGHT = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in Oslo
WINTER_EVENING = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 23:30 on 30 November in Oslo


async def a_risk(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> tuple[uuid.UUID, uuid.UUID]:
    body = AssessmentCreate(title="ROS legemidler", kind="hms", unit_id=org.unit_id)
    assessment = await AssessmentService(sessions).create(org.as_(org.unit_leader), body, "nb")
    rated = RiskCreate(title="Feil dose", probability=3, consequence=3)
    risk = await RiskService(sessions).register(org.as_(org.unit_leader), assessment.id, rated, "nb")
    return assessment.id, risk.id


async def test_a_deadline_before_today_in_oslo_is_refused_naming_the_field(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    assessment_id, risk_id = await a_risk(sessions, org)
    leader = org.as_(org.unit_leader)
    summer = RiskService(sessions, clock=lambda: SUMMER_NIGHT)
    with pytest.raises(MeasureDeadlinePassed) as refused:  # 30 June is yesterday in Oslo, though still today in UTC
        await summer.add_measure(
            leader, assessment_id, risk_id, MeasureCreate(title="Opplæring", deadline=date(2026, 6, 30))
        )
    assert [f.field for f in refused.value.fields] == ["deadline"]
    today = await summer.add_measure(
        leader, assessment_id, risk_id, MeasureCreate(title="Opplæring", deadline=date(2026, 7, 1))
    )
    assert today.overdue is False

    winter = RiskService(sessions, clock=lambda: WINTER_EVENING)
    same_day = await winter.add_measure(
        leader, assessment_id, risk_id, MeasureCreate(title="Dobbeltkontroll", deadline=date(2026, 11, 30))
    )
    assert same_day.deadline == date(2026, 11, 30)  # still 30 November in Oslo (UTC+1 in winter)


async def test_a_measure_is_overdue_from_the_day_after_its_deadline_in_oslo(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    assessment_id, risk_id = await a_risk(sessions, org)
    leader = org.as_(org.unit_leader)
    early = RiskService(sessions, clock=lambda: datetime(2026, 6, 1, 12, tzinfo=UTC))
    june = await early.add_measure(
        leader, assessment_id, risk_id, MeasureCreate(title="Tiltak A", deadline=date(2026, 6, 30))
    )
    november = await early.add_measure(
        leader, assessment_id, risk_id, MeasureCreate(title="Tiltak B", deadline=date(2026, 11, 30))
    )

    def overdue(read: AssessmentPublic) -> dict[uuid.UUID, bool]:
        return {m.id: m.overdue for m in read.risk_list[0].measures}

    read_summer = await AssessmentService(sessions, clock=lambda: SUMMER_NIGHT).get(leader, assessment_id, "nb")
    assert overdue(read_summer)[june.id] is True  # 1 July in Oslo
    read_winter = await AssessmentService(sessions, clock=lambda: WINTER_EVENING).get(leader, assessment_id, "nb")
    assert overdue(read_winter)[november.id] is False  # 30 November in Oslo still

    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert await measures_overdue(session, org.tenant_id, WINTER_EVENING) == 1  # June's, not November's
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert await measures_overdue(session, org.tenant_id, datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == 1


async def test_the_review_falls_due_by_the_oslo_date_and_is_set_from_it(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    body = AssessmentCreate(title="ROS vann", kind="hms", unit_id=org.unit_id)
    created = await AssessmentService(sessions).create(org.as_(org.unit_leader), body, "nb")
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January 2027 in Oslo
    approved = await ApprovalService(sessions, clock=lambda: new_year).approve(
        org.as_(org.sector_leader), created.id, "nb"
    )
    assert approved.review_due == date(2028, 1, 1)

    async with tenant_transaction(sessions, org.tenant_id) as session:
        stored = await session.get(RiskAssessment, created.id)
        assert stored is not None
        stored.review_due = date(2026, 3, 31)
        session.add(stored)
    async with tenant_transaction(sessions, org.tenant_id) as session:  # 23:30 on 31 March in Oslo: not yet
        assert await review_overdue(session, org.tenant_id, datetime(2026, 3, 31, 21, 30, tzinfo=UTC)) == 0
    async with tenant_transaction(sessions, org.tenant_id) as session:  # 01:30 on 1 April in Oslo (summer time)
        assert await review_overdue(session, org.tenant_id, datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == 1


async def test_a_past_deadline_over_http_is_a_422_on_the_deadline_field(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    body = {"title": "ROS brann", "kind": "hms", "unit_id": str(org.unit_id)}
    created = await client.post("/api/v1/risk/assessments", json=body, headers=leader)
    url = f"/api/v1/risk/assessments/{created.json()['id']}"
    risk = (
        await client.post(f"{url}/risks", json={"title": "Brann", "probability": 2, "consequence": 4}, headers=leader)
    ).json()
    refused = await client.post(
        f"{url}/risks/{risk['id']}/measures", json={"title": "Røykvarsler", "deadline": "2020-01-31"}, headers=leader
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "urn:varde:problem:risk-measure-deadline-passed"
    assert [(e["field"], e["label"]) for e in problem["errors"]] == [("deadline", "Frist")]
    assert "31.01.2020" in problem["detail"]
