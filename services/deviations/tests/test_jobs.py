"""The deviations' scheduled jobs: a case nobody acknowledged in time escalates up the line by itself, a measure
past its deadline is flagged once per deadline, and several replicas running the scheduler do each thing once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import create_engine, create_session_factory, tenant_transaction
from varde_common.outbox import outbox_table
from varde_common.scheduler import Job, Scheduler
from varde_common.testing.databases import TestDatabase
from varde_common.testing.factories import TinyOrg, seed_tiny_org
from varde_deviations.cases import CaseService
from varde_deviations.domain import DeviationStatus, acknowledge_deadline
from varde_deviations.handling import HandlingService
from varde_deviations.jobs import JOBS, escalate_unacknowledged, flag_overdue_measures
from varde_deviations.measures import MeasureService
from varde_deviations.models import Comment, DeviationCreate, MeasureComplete, MeasureCreate
from varde_deviations.reporting import ReportingService

WHEN = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
DEADLINE_HOURS = 72  # the kommune's default deadline to acknowledge
MINUTE = timedelta(minutes=1)


def report(org: TinyOrg) -> DeviationCreate:
    return DeviationCreate(
        title="Fall i korridor", description="Beboer falt på vei til spisesalen.", unit_id=org.unit_id, occurred_at=WHEN
    )


@dataclass(frozen=True)
class Sent:
    type: str
    data: dict[str, Any]


async def sent(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, case_id: uuid.UUID) -> list[Sent]:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        rows = await session.execute(
            sa.select(outbox_table.c.type, outbox_table.c.data)
            .where(outbox_table.c.key == str(case_id))
            .order_by(outbox_table.c.seq)
        )
        return [Sent(row.type.split(".")[3], row.data) for row in rows]


def types(events: list[Sent]) -> list[str]:
    return [e.type for e in events]


async def escalate(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, at: datetime | None = None) -> int:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        done: int = await escalate_unacknowledged(session, org.tenant_id, at=at)
        return done


async def flag(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, at: datetime) -> int:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        done: int = await flag_overdue_measures(session, org.tenant_id, at=at)
        return done


# ---- acknowledgement deadline ---------------------------------------------------------------------------------


async def test_an_unacknowledged_case_escalates_to_the_leader_above_once(
    reporting: ReportingService, cases: CaseService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    first_due = case.acknowledge_due_at
    assert first_due is not None
    assert await escalate(sessions, org, at=first_due - MINUTE) == 0  # not yet due: nothing happens
    assert types(await sent(sessions, org, case.id)) == ["reported", "assigned"]

    late = first_due + MINUTE
    assert await escalate(sessions, org, at=late) == 1

    moved = await cases.get(org.as_(org.sector_leader), case.id)
    assert (moved.handling_unit_id, moved.assignee_id) == (org.sector_id, org.sector_leader)
    assert moved.status == DeviationStatus.REGISTERED
    # The sector leader gets the kommune's deadline anew.
    assert moved.acknowledge_due_at == acknowledge_deadline(late, DEADLINE_HOURS)
    events = await sent(sessions, org, case.id)
    assert types(events) == ["reported", "assigned", "acknowledgementoverdue", "escalated", "assigned"]
    overdue, escalated, assigned = events[2:]
    assert overdue.data["assignee_id"] == str(org.unit_leader)  # who let it pass
    assert datetime.fromisoformat(overdue.data["acknowledge_due_at"]) == first_due
    assert escalated.data["automatic"] is True
    assert escalated.data["from_unit_id"] == str(org.unit_id)
    assert escalated.data["handling_unit_id"] == str(org.sector_id)
    assert (assigned.data["reason"], assigned.data["assignee_id"]) == ("escalated", str(org.sector_leader))
    assert assigned.data["automatic"] is True  # the sector leader is told nobody took it in time
    history = (await cases.timeline(org.as_(org.sector_leader), case.id)).items
    assert (history[-1].action, history[-1].actor_id, history[-1].details["automatic"]) == ("escalated", None, True)

    assert await escalate(sessions, org, at=late) == 0  # the next round right after: its new deadline is ahead
    assert await escalate(sessions, org, at=late + timedelta(hours=1)) == 0
    assert len(await sent(sessions, org, case.id)) == 5


async def test_at_the_top_the_overdue_case_is_flagged_once_and_its_clock_stops(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    await handling.escalate(org.as_(org.unit_leader), case.id, Comment(comment="Gjelder sektoren"))
    at_sector = await cases.get(org.as_(org.sector_leader), case.id)
    assert at_sector.acknowledge_due_at is not None
    before = len(await sent(sessions, org, case.id))

    late = at_sector.acknowledge_due_at + MINUTE
    assert await escalate(sessions, org, at=late) == 1

    events = await sent(sessions, org, case.id)
    assert types(events)[before:] == ["acknowledgementoverdue"]  # nobody above the sector to escalate to
    assert events[-1].data["assignee_id"] == str(org.sector_leader)
    stopped = await cases.get(org.as_(org.sector_leader), case.id)
    assert stopped.acknowledge_due_at is None
    assert (stopped.handling_unit_id, stopped.assignee_id) == (org.sector_id, org.sector_leader)
    assert stopped.status == DeviationStatus.REGISTERED  # still waiting for the sector leader
    history = (await cases.timeline(org.as_(org.sector_leader), case.id)).items
    assert (history[-1].action, history[-1].actor_id) == ("acknowledgement_overdue", None)

    assert await escalate(sessions, org, at=late + timedelta(days=30)) == 0
    assert len(await sent(sessions, org, case.id)) == before + 1


async def test_a_deadline_passed_by_the_clock_escalates_without_a_given_time(
    reporting: ReportingService, cases: CaseService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.text("UPDATE deviation SET acknowledge_due_at = now() - interval '1 hour' WHERE id = :id"),
            {"id": case.id},
        )

    before = datetime.now(UTC)
    assert await escalate(sessions, org) == 1

    moved = await cases.get(org.as_(org.sector_leader), case.id)
    assert moved.assignee_id == org.sector_leader
    assert moved.acknowledge_due_at is not None
    after = datetime.now(UTC)
    assert acknowledge_deadline(before, DEADLINE_HOURS) <= moved.acknowledge_due_at
    assert moved.acknowledge_due_at <= acknowledge_deadline(after, DEADLINE_HOURS)
    assert await escalate(sessions, org) == 0


@pytest.mark.parametrize(
    ("escalated_at", "new_deadline"),
    [
        # Saturday 10:00 in Oslo; summer time begins on Sunday: Tuesday 10:00 is 71 hours later, at 08:00 UTC.
        (datetime(2026, 3, 28, 9, 0, tzinfo=UTC), datetime(2026, 3, 31, 8, 0, tzinfo=UTC)),
        # Saturday 10:00 in Oslo; summer time ends on Sunday: Tuesday 10:00 is 73 hours later, at 09:00 UTC.
        (datetime(2026, 10, 24, 8, 0, tzinfo=UTC), datetime(2026, 10, 27, 9, 0, tzinfo=UTC)),
    ],
)
async def test_the_new_deadline_to_acknowledge_is_the_same_time_of_day_in_oslo_across_summer_time(
    reporting: ReportingService,
    cases: CaseService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    escalated_at: datetime,
    new_deadline: datetime,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.text("UPDATE deviation SET acknowledge_due_at = :due WHERE id = :id"),
            {"id": case.id, "due": escalated_at - MINUTE},
        )

    assert await escalate(sessions, org, at=escalated_at) == 1

    moved = await cases.get(org.as_(org.sector_leader), case.id)
    assert moved.acknowledge_due_at == new_deadline  # "72 timer" from Saturday 10:00 is Tuesday 10:00 in Norway


async def test_an_acknowledged_case_never_escalates(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    taken = (await reporting.report(org.as_(org.employee), report(org))).deviation
    await handling.acknowledge(org.as_(org.unit_leader), taken.id, Comment())
    with_measure = (await reporting.report(org.as_(org.employee), report(org))).deviation
    await measures.add(org.as_(org.unit_leader), with_measure.id, MeasureCreate(description="Ny rutine"))

    assert await escalate(sessions, org, at=datetime.now(UTC) + timedelta(days=365)) == 0

    for case_id in (taken.id, with_measure.id):
        case = await cases.get(org.as_(org.unit_leader), case_id)
        assert (case.handling_unit_id, case.assignee_id) == (org.unit_id, org.unit_leader)
        events = types(await sent(sessions, org, case_id))
        assert "escalated" not in events
        assert "acknowledgementoverdue" not in events


# ---- measures past their deadline -----------------------------------------------------------------------------


async def test_a_measure_past_its_deadline_is_flagged_once_per_deadline(
    reporting: ReportingService,
    cases: CaseService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    late = await measures.add(
        leader, case.id, MeasureCreate(description="Ny rutine", owner_id=org.employee, deadline=date(2030, 1, 1))
    )
    done = await measures.add(leader, case.id, MeasureCreate(description="Sklisikre matter", deadline=date(2030, 1, 1)))
    await measures.complete(leader, case.id, done.id, MeasureComplete())

    def overdue_flags(events: list[Sent]) -> list[tuple[str, str]]:
        return [(e.data["measure_id"], e.data["deadline"]) for e in events if e.type == "measureoverdue"]

    # The deadline day is in time until it ends in Norway: 23:30 UTC on 1 January is already 2 January there.
    assert await flag(sessions, org, at=datetime(2030, 1, 1, 22, 30, tzinfo=UTC)) == 0
    assert await flag(sessions, org, at=datetime(2030, 1, 1, 23, 30, tzinfo=UTC)) == 1
    assert await flag(sessions, org, at=datetime(2030, 1, 3, 8, 0, tzinfo=UTC)) == 0  # said once
    events = await sent(sessions, org, case.id)
    assert overdue_flags(events) == [(str(late.id), "2030-01-01")]  # never the measure that is done
    assert [e.data["owner_id"] for e in events if e.type == "measureoverdue"] == [str(org.employee)]

    # The leader gives it a new deadline (no API for that yet); when that one passes it is flagged again.
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(sa.text("UPDATE measure SET deadline = '2030-02-01' WHERE id = :id"), {"id": late.id})
    assert await flag(sessions, org, at=datetime(2030, 1, 20, 8, 0, tzinfo=UTC)) == 0
    assert await flag(sessions, org, at=datetime(2030, 2, 2, 8, 0, tzinfo=UTC)) == 1
    assert await flag(sessions, org, at=datetime(2030, 3, 1, 8, 0, tzinfo=UTC)) == 0
    assert overdue_flags(await sent(sessions, org, case.id)) == [
        (str(late.id), "2030-01-01"),
        (str(late.id), "2030-02-01"),
    ]

    # Once it is done, no deadline makes it overdue.
    await measures.complete(org.as_(org.employee), case.id, late.id, MeasureComplete())
    assert await flag(sessions, org, at=datetime(2031, 1, 1, tzinfo=UTC)) == 0
    history = (await cases.timeline(leader, case.id)).items
    assert [e.action for e in history].count("measure_overdue") == 2


@pytest.mark.parametrize(
    ("deadline", "last_minute_in_time", "first_minute_late"),
    [
        # The night summer time has begun: Oslo is UTC+2, the day ends at 22:00 UTC.
        (date(2030, 3, 31), datetime(2030, 3, 31, 21, 30, tzinfo=UTC), datetime(2030, 3, 31, 22, 30, tzinfo=UTC)),
        # The day summer time ends: Oslo is UTC+1 again by evening, the day ends at 23:00 UTC.
        (date(2030, 10, 27), datetime(2030, 10, 27, 22, 30, tzinfo=UTC), datetime(2030, 10, 27, 23, 30, tzinfo=UTC)),
    ],
)
async def test_a_measure_is_late_when_its_day_is_over_in_oslo_across_summer_time(
    reporting: ReportingService,
    cases: CaseService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
    deadline: date,
    last_minute_in_time: datetime,
    first_minute_late: datetime,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    measure = await measures.add(
        org.as_(org.unit_leader), case.id, MeasureCreate(description="Ny rutine", deadline=deadline)
    )

    assert await flag(sessions, org, at=last_minute_in_time) == 0
    assert await flag(sessions, org, at=first_minute_late) == 1

    flagged = [e.data for e in await sent(sessions, org, case.id) if e.type == "measureoverdue"]
    assert [(f["measure_id"], f["deadline"]) for f in flagged] == [(str(measure.id), deadline.isoformat())]


# ---- several replicas -----------------------------------------------------------------------------------------


@pytest.fixture
async def replicas(database: TestDatabase) -> AsyncIterator[list[AsyncEngine]]:
    """Two scheduler replicas, each with its own pool, on committed data (no rolled-back test transaction)."""
    engines = [create_engine(database.app_url, pool_size=2, max_overflow=0) for _ in range(2)]
    yield engines
    for engine in engines:
        await engine.dispose()


async def test_two_replicas_escalate_an_overdue_case_exactly_once(replicas: list[AsyncEngine]) -> None:
    first, second = (create_session_factory(engine) for engine in replicas)
    org = await seed_tiny_org(first, slug=f"replicas-{uuid.uuid4().hex[:6]}")  # committed
    case = (await ReportingService(first).report(org.as_(org.employee), report(org))).deviation
    async with tenant_transaction(first, org.tenant_id) as session:
        await session.execute(
            sa.text("UPDATE deviation SET acknowledge_due_at = now() - interval '1 hour' WHERE id = :id"),
            {"id": case.id},
        )

    await asyncio.gather(
        Scheduler(first, JOBS, interval_s=60).run_once(),
        Scheduler(second, JOBS, interval_s=60).run_once(),
    )

    events = types(await sent(first, org, case.id))
    assert events.count("escalated") == 1
    assert events.count("acknowledgementoverdue") == 1
    assert events == ["reported", "assigned", "acknowledgementoverdue", "escalated", "assigned"]
    moved = await CaseService(first).get(org.as_(org.sector_leader), case.id)
    assert (moved.handling_unit_id, moved.assignee_id) == (org.sector_id, org.sector_leader)
    history = [e.action for e in (await CaseService(first).timeline(org.as_(org.sector_leader), case.id)).items]
    assert history.count("escalated") == 1

    # Another round of both replicas finds nothing more to do for this case.
    await asyncio.gather(
        Scheduler(first, JOBS, interval_s=60).run_once(),
        Scheduler(second, JOBS, interval_s=60).run_once(),
    )
    assert len(await sent(first, org, case.id)) == 5


async def test_a_replica_that_comes_while_another_is_mid_round_leaves_the_case_alone(
    database: TestDatabase, replicas: list[AsyncEngine]
) -> None:
    """The same race, made certain: replica 1 has escalated the case but not yet committed when replica 2 runs its
    whole round. Replica 2 must neither wait for replica 1 nor escalate the case a second time."""
    first = create_session_factory(replicas[0])
    # Replica 2 gives up on a row lock at once instead of waiting: waiting here would mean a missing SKIP LOCKED.
    guarded = create_async_engine(
        database.app_url, pool_size=2, max_overflow=0, connect_args={"server_settings": {"lock_timeout": "1s"}}
    )
    second = create_session_factory(guarded)
    try:
        org = await seed_tiny_org(first, slug=f"replicas-{uuid.uuid4().hex[:6]}")  # committed
        case = (await ReportingService(first).report(org.as_(org.employee), report(org))).deviation
        async with tenant_transaction(first, org.tenant_id) as session:
            await session.execute(
                sa.text("UPDATE deviation SET acknowledge_due_at = now() - interval '1 hour' WHERE id = :id"),
                {"id": case.id},
            )

        taken, release = asyncio.Event(), asyncio.Event()
        escalate_job = JOBS[0]

        async def escalate_then_hold(session: AsyncSession, tenant_id: uuid.UUID) -> int:
            done: int = await escalate_job.run(session, tenant_id)
            if tenant_id == org.tenant_id:
                taken.set()
                await release.wait()  # replica 1 is in the middle of this kommune's round, uncommitted
            return done

        replica_1 = asyncio.create_task(
            Scheduler(first, [Job(escalate_job.name, escalate_then_hold)], interval_s=60).run_once()
        )
        await asyncio.wait([replica_1, asyncio.create_task(taken.wait())], return_when=asyncio.FIRST_COMPLETED)
        assert taken.is_set(), replica_1.exception() if replica_1.done() else "replica 1 never took the case"

        await Scheduler(second, JOBS, interval_s=60).run_once()  # replica 2's whole round, meanwhile
        assert types(await sent(first, org, case.id)) == ["reported", "assigned"]  # nothing committed yet

        release.set()
        await replica_1
        assert types(await sent(first, org, case.id)) == [
            "reported",
            "assigned",
            "acknowledgementoverdue",
            "escalated",
            "assigned",
        ]
        await Scheduler(second, JOBS, interval_s=60).run_once()  # and after: its new deadline is ahead
        assert len(await sent(first, org, case.id)) == 5
    finally:
        await guarded.dispose()
