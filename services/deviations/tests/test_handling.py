"""Handling a case: acknowledge, measures, close, reject, reopen, forward, escalate; the transition table; the
history; the alarms (serious patient harm, personal-data breach); who sees what."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from varde_common.outbox import outbox_table
from varde_common.testing.factories import TinyOrg, grant_role
from varde_deviations.domain import TRANSITIONS, DeviationStatus, HandlingAction, IllegalTransitionError, next_status
from varde_deviations.jobs import escalate_unacknowledged, flag_overdue_measures
from varde_deviations.models import (
    CloseBody,
    Comment,
    DeviationClassify,
    DeviationCreate,
    ForwardBody,
    MeasureComplete,
    MeasureCreate,
    RejectBody,
    ReopenBody,
)
from varde_deviations.service import DeviationService

WHEN = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def report(org: TinyOrg, **changes: object) -> DeviationCreate:
    data: dict[str, object] = {
        "title": "Fall i korridor",
        "description": "Beboer falt på vei til spisesalen.",
        "unit_id": org.unit_id,
        "occurred_at": WHEN,
        "persons_involved": "Beboer rom 214",
    }
    data.update(changes)
    return DeviationCreate.model_validate(data)


async def events_of(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, case_id: uuid.UUID) -> list[str]:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        rows = await session.execute(
            sa.select(outbox_table.c.type).where(outbox_table.c.key == str(case_id)).order_by(outbox_table.c.seq)
        )
        return [t.split(".")[3] for t in rows.scalars()]


async def test_every_pair_outside_the_table_is_illegal() -> None:
    for status in DeviationStatus:
        for action in HandlingAction:
            if (status, action) in TRANSITIONS:
                assert next_status(status, action) == TRANSITIONS[(status, action)]
            else:
                with pytest.raises(IllegalTransitionError):
                    next_status(status, action)


async def test_from_report_to_closed_case(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await service.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    with pytest.raises(ForbiddenError):  # the reporter sees it but does not handle it
        await service.acknowledge(org.as_(org.employee), case.id, Comment())
    with pytest.raises(NotFoundError):  # a stranger in the kommune does not know it exists
        await service.acknowledge(org.as_(uuid.uuid4()), case.id, Comment())
    with pytest.raises(ConflictError):  # a registered case cannot be closed
        await service.close(leader, case.id, CloseBody(conclusion="Ferdig"))

    taken = await service.acknowledge(leader, case.id, Comment(comment="Ser på det"))
    assert taken.status == DeviationStatus.UNDER_TREATMENT
    assert taken.acknowledged_at is not None
    measure = await service.add_measure(
        leader, case.id, MeasureCreate(description="Sklisikre matter", owner_id=org.employee, deadline=date(2030, 1, 1))
    )
    with pytest.raises(ConflictError):  # an open measure keeps the case open
        await service.close(leader, case.id, CloseBody(conclusion="Ferdig"))
    # The measure's owner completes it, though they do not handle the case.
    await service.complete_measure(org.as_(org.employee), case.id, measure.id, MeasureComplete())
    with pytest.raises(ConflictError):
        await service.complete_measure(leader, case.id, measure.id, MeasureComplete())
    closed = await service.close(leader, case.id, CloseBody(conclusion="Matter lagt i korridoren."))
    assert closed.status == DeviationStatus.CLOSED
    reopened = await service.reopen(leader, case.id, ReopenBody(reason="Skjedde igjen"))
    assert reopened.status == DeviationStatus.UNDER_TREATMENT
    assert reopened.closed_at is None

    assert await events_of(sessions, org, case.id) == [
        "reported",
        "assigned",
        "acknowledged",
        "measureadded",
        "measurecompleted",
        "closed",
        "reopened",
        "assigned",
    ]
    timeline = await service.timeline(org.as_(org.employee), case.id)
    assert [entry.action for entry in timeline] == [
        "reported",
        "assigned",
        "acknowledged",
        "measure_added",
        "measure_completed",
        "closed",
        "reopened",
    ]
    assert timeline[2].actor_id == org.unit_leader


async def test_the_closed_event_names_the_reporter_and_a_rejection_its_reason(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await service.report(org.as_(org.employee), report(org))).deviation
    rejected = await service.reject(org.as_(org.unit_leader), case.id, RejectBody(reason="Meldt to ganger"))
    assert rejected.status == DeviationStatus.REJECTED
    assert rejected.rejection_reason == "Meldt to ganger"
    async with tenant_transaction(sessions, org.tenant_id) as session:
        data = (
            await session.execute(
                sa.select(outbox_table.c.data).where(outbox_table.c.type == "no.varde.deviation.rejected.v1")
            )
        ).scalar_one()
    assert data["reporter_id"] == str(org.employee)
    assert "Meldt to ganger" not in str(data)  # the reason is content; it stays in the service


async def test_forward_and_escalate_move_the_case_and_its_clock(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await service.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    with pytest.raises(InvalidInputError):
        await service.forward(leader, case.id, ForwardBody(unit_id=uuid.uuid4()))
    escalated = await service.escalate(leader, case.id, Comment(comment="Gjelder hele sektoren"))
    assert (escalated.handling_unit_id, escalated.assignee_id) == (org.sector_id, org.sector_leader)
    assert escalated.status == DeviationStatus.REGISTERED
    with pytest.raises(ConflictError):  # nothing above the sector
        await service.escalate(org.as_(org.sector_leader), case.id, Comment())
    forwarded = await service.forward(org.as_(org.sector_leader), case.id, ForwardBody(unit_id=org.unit_id))
    assert (forwarded.handling_unit_id, forwarded.assignee_id) == (org.unit_id, org.unit_leader)
    assert await events_of(sessions, org, case.id) == [
        "reported",
        "assigned",
        "escalated",
        "assigned",
        "forwarded",
        "assigned",
    ]


async def test_history_and_access_log_are_append_only(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await service.report(org.as_(org.employee), report(org))).deviation
    await service.get(org.as_(org.unit_leader), case.id)  # one access-log row
    for statement in (
        "UPDATE deviation_history SET action = 'nothing' WHERE deviation_id = :id",
        "DELETE FROM deviation_history WHERE deviation_id = :id",
        "UPDATE restricted_access SET reader_id = gen_random_uuid() WHERE deviation_id = :id",
        "DELETE FROM restricted_access WHERE deviation_id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with tenant_transaction(sessions, org.tenant_id) as session:
                await session.execute(sa.text(statement), {"id": case.id})


async def test_alarms_serious_patient_harm_and_personal_data_breach(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    serious = (
        await service.report(org.as_(org.employee), report(org, area="pasient_brukersikkerhet", actual_consequence=4))
    ).deviation
    mild = (
        await service.report(org.as_(org.employee), report(org, area="pasient_brukersikkerhet", actual_consequence=2))
    ).deviation
    assert "seriouseventregistered" in await events_of(sessions, org, serious.id)
    assert "seriouseventregistered" not in await events_of(sessions, org, mild.id)

    leader = org.as_(org.unit_leader)
    marked = await service.classify(leader, mild.id, DeviationClassify(personal_data_breach=True))
    assert marked.breach_clock is not None
    assert marked.breach_clock.notify_authority_by - marked.breach_clock.aware_at == timedelta(hours=72)
    await service.classify(leader, mild.id, DeviationClassify(personal_data_breach=True))
    assert (await events_of(sessions, org, mild.id)).count("personaldatabreachregistered") == 1
    with pytest.raises(ForbiddenError):
        await service.classify(org.as_(org.employee), mild.id, DeviationClassify(actual_consequence=5))


async def test_who_sees_the_restricted_part_and_the_access_log(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    verneombud, adviser = uuid.uuid4(), uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, verneombud, org.unit_id, "verneombud", datetime.now(UTC))
        await grant_role(session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC))
    hms = (await service.report(org.as_(org.employee), report(org, area="hms"))).deviation
    other = (await service.report(org.as_(org.employee), report(org))).deviation

    seen_by_safety_rep = await service.get(org.as_(verneombud), hms.id)
    assert seen_by_safety_rep.restricted is None
    with pytest.raises(NotFoundError):  # not an HMS case
        await service.get(org.as_(verneombud), other.id)
    seen_by_leader = await service.get(org.as_(org.unit_leader), hms.id)
    assert seen_by_leader.restricted is not None
    assert seen_by_leader.restricted.persons_involved == "Beboer rom 214"
    assert (await service.get(org.as_(adviser), hms.id)).restricted is not None

    async with tenant_transaction(sessions, org.tenant_id) as session:
        readers = (
            (
                await session.execute(
                    sa.text("SELECT reader_id FROM restricted_access WHERE deviation_id = :id ORDER BY id"),
                    {"id": hms.id},
                )
            )
            .scalars()
            .all()
        )
    assert readers == [org.unit_leader, adviser]  # the verneombud read nothing restricted


async def test_an_unacknowledged_case_escalates_once_and_stops_at_the_top(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await service.report(org.as_(org.employee), report(org))).deviation
    later = datetime.now(UTC) + timedelta(hours=73)
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert await escalate_unacknowledged(session, org.tenant_id, at=later) == 1
        assert await escalate_unacknowledged(session, org.tenant_id, at=later) == 0  # its new deadline is ahead
    moved = await service.get(org.as_(org.sector_leader), case.id)
    assert (moved.handling_unit_id, moved.assignee_id) == (org.sector_id, org.sector_leader)
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert await escalate_unacknowledged(session, org.tenant_id, at=later + timedelta(hours=73)) == 1
        assert await escalate_unacknowledged(session, org.tenant_id, at=later + timedelta(days=30)) == 0
    assert await events_of(sessions, org, case.id) == [
        "reported",
        "assigned",
        "acknowledgementoverdue",
        "escalated",
        "assigned",
        "acknowledgementoverdue",  # at the top: said once, and the clock stops
    ]


async def test_an_overdue_measure_is_flagged_once_per_deadline(
    service: DeviationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await service.report(org.as_(org.employee), report(org))).deviation
    await service.add_measure(
        org.as_(org.unit_leader), case.id, MeasureCreate(description="Ny rutine", deadline=date(2026, 1, 1))
    )
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert await flag_overdue_measures(session, org.tenant_id) == 1
        assert await flag_overdue_measures(session, org.tenant_id) == 0
        await session.execute(
            sa.text("UPDATE measure SET deadline = '2026-02-01' WHERE deviation_id = :id"), {"id": case.id}
        )
        assert await flag_overdue_measures(session, org.tenant_id) == 1  # a new deadline that also passed
    assert (await events_of(sessions, org, case.id)).count("measureoverdue") == 2
