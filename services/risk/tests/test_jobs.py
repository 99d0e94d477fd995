"""Risk's deadlines: the owner is told before an active assessment's review date, the owner and the leader above
once it has passed, a measure past its deadline is raised — each once; an approval starts the next review cycle;
the scheduler runs the jobs for every kommune."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import add_months, oslo_today
from varde_common.db import tenant_transaction
from varde_common.pages import PageRequest
from varde_common.scheduler import Scheduler
from varde_common.testing.factories import TinyOrg, outbox_events
from varde_risk.approval import ApprovalService
from varde_risk.assessments import AssessmentService
from varde_risk.jobs import jobs
from varde_risk.models import AssessmentChange, AssessmentCreate, MeasureCreate, RiskAssessment, RiskCreate
from varde_risk.risks import RiskService

LEAD_DAYS = 30


async def run_jobs(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, on: date) -> dict[str, int]:
    at = datetime.combine(on, datetime.min.time(), UTC)
    done: dict[str, int] = {}
    for job in jobs(LEAD_DAYS):
        async with tenant_transaction(sessions, org.tenant_id) as session:
            done[job.name] = await job.run(session, org.tenant_id, at)  # type: ignore[call-arg]
    return done


async def test_the_review_is_told_before_and_after_its_date_once_each_and_approval_starts_a_new_cycle(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    assessments, approval = AssessmentService(sessions), ApprovalService(sessions, review_lead_days=LEAD_DAYS)
    body = AssessmentCreate(title="ROS brann", kind="hms", unit_id=org.unit_id)
    created = await assessments.create(org.as_(org.unit_leader), body, "nb")
    today = oslo_today()
    due = add_months(today, 12)
    assert (await run_jobs(sessions, org, due))["risk.review_due"] == 0  # in preparation: no review yet
    await approval.submit(org.as_(org.unit_leader), created.id, "nb")
    approved = await approval.approve(org.as_(org.sector_leader), created.id, "nb")
    assert approved.review_due == due

    nothing = {"risk.review_due": 0, "risk.review_overdue": 0, "risk.measures_overdue": 0}
    assert await run_jobs(sessions, org, today) == nothing
    near = due - timedelta(days=LEAD_DAYS - 1)
    assert (await run_jobs(sessions, org, near))["risk.review_due"] == 1
    assert (await run_jobs(sessions, org, near))["risk.review_due"] == 0
    after = due + timedelta(days=2)
    assert await run_jobs(sessions, org, after) == {**nothing, "risk.review_overdue": 1}
    assert await run_jobs(sessions, org, after) == nothing

    said = await outbox_events(sessions, org, created.id, but=("created", "submitted", "approved"))
    assert [(e["type"], e["overdue"], e["leader_id"]) for e in said] == [
        ("reviewdue", False, None),
        ("reviewdue", True, str(org.sector_leader)),  # the leader above the owner, who leads the nursing home
    ]
    assert said[0]["review_due"] == due.isoformat()

    # Reviewed: taken back, sent and approved again. A review date still a year off stays; one inside the lead
    # time is moved a year on from the approval.
    await approval.reopen(org.as_(org.unit_leader), created.id, "nb")
    await approval.submit(org.as_(org.unit_leader), created.id, "nb")
    assert (await approval.approve(org.as_(org.sector_leader), created.id, "nb")).review_due == due
    await approval.reopen(org.as_(org.unit_leader), created.id, "nb")
    await assessments.change(
        org.as_(org.unit_leader), created.id, AssessmentChange(review_due=today + timedelta(days=5)), "nb"
    )
    assert (await approval.approve(org.as_(org.sector_leader), created.id, "nb")).review_due == due
    near_again = due - timedelta(days=LEAD_DAYS - 1)
    assert (await run_jobs(sessions, org, near_again))["risk.review_due"] == 1  # the new cycle is told again


async def test_a_measure_past_its_deadline_is_raised_once_and_not_for_an_archived_assessment(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    assessments, approval, risks = AssessmentService(sessions), ApprovalService(sessions), RiskService(sessions)
    leader = org.as_(org.unit_leader)
    deadline = oslo_today() + timedelta(days=10)
    measures = []
    for title in ("ROS legemidler", "ROS gammel"):
        body = AssessmentCreate(title=title, kind="hms", unit_id=org.unit_id)
        created = await assessments.create(leader, body, "nb")
        rated = RiskCreate(title="Feil dose", probability=3, consequence=4)
        risk = await risks.register(leader, created.id, rated, "nb")
        measure = await risks.add_measure(
            leader,
            created.id,
            risk.id,
            MeasureCreate(title="Dobbeltkontroll", owner_id=org.employee, deadline=deadline),
        )
        measures.append((created.id, risk.id, measure.id))
    await approval.archive(leader, measures[1][0], "nb")
    done_early = await risks.add_measure(
        leader, measures[0][0], measures[0][1], MeasureCreate(title="Opplæring", deadline=deadline)
    )
    await risks.complete_measure(org.as_(org.unit_leader), measures[0][0], measures[0][1], done_early.id)

    assert (await run_jobs(sessions, org, deadline))["risk.measures_overdue"] == 0  # the deadline day itself
    assert (await run_jobs(sessions, org, deadline + timedelta(days=1)))["risk.measures_overdue"] == 1
    assert (await run_jobs(sessions, org, deadline + timedelta(days=2)))["risk.measures_overdue"] == 0

    said = await outbox_events(sessions, org, measures[0][0])
    overdue = [e for e in said if e["type"] == "overdue"]
    assert [(e["measure_id"], e["measure_owner_id"], e["owner_id"]) for e in overdue] == [
        (str(measures[0][2]), str(org.employee), str(org.unit_leader))
    ]
    history = (await assessments.history(leader, measures[0][0], PageRequest(limit=100), "nb")).items
    assert [(h.action_label, h.actor_id, h.risk_id) for h in history if h.action == "measure_overdue"] == [
        ("Tiltak over fristen", None, measures[0][1])
    ]
    assert (
        await outbox_events(
            sessions, org, measures[1][0], but=("created", "registered", "aboveacceptance", "added", "archived")
        )
        == []
    )


async def test_the_scheduler_runs_risk_jobs_for_each_kommune(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    body = AssessmentCreate(title="ROS vann", kind="hms", unit_id=org.unit_id)
    created = await AssessmentService(sessions).create(org.as_(org.unit_leader), body, "nb")
    await ApprovalService(sessions).approve(org.as_(org.sector_leader), created.id, "nb")
    async with tenant_transaction(sessions, org.tenant_id) as session:
        stored = await session.get(RiskAssessment, created.id)
        assert stored is not None
        stored.review_due = oslo_today() - timedelta(days=3)
        session.add(stored)
    done = await Scheduler(sessions, jobs(LEAD_DAYS), interval_s=60).run_once()
    assert done["risk.review_overdue"] >= 1
    said = await outbox_events(sessions, org, created.id, but=("created", "approved"))
    assert [(e["type"], e["overdue"]) for e in said] == [("reviewdue", True)]
