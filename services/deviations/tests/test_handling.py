"""Handling a case (sak): acknowledge, measures, close, reject, reopen, forward, escalate; illegal transitions;
the history; the alarms (serious patient harm, personal-data breach); what each person may do with it now.

Through the use cases (``HandlingService``, ``MeasureService``, ``CaseService``) on the real database, and the
answers a user gets through HTTP."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import apply_org_unit_changed
from varde_common.events import OrgUnitChanged
from varde_common.identity import InternalTokenSigner
from varde_common.outbox import outbox_table
from varde_common.testing.factories import TinyOrg, bearer, grant_role, person_with_role, seed_tiny_org
from varde_deviations.cases import CaseService
from varde_deviations.domain import TRANSITIONS, DeviationStatus, HandlingAction, IllegalTransitionError, next_status
from varde_deviations.errors import (
    DeviationNotFound,
    HandlingForbidden,
    IllegalDeviationTransition,
    MeasureAlreadyDone,
    NothingAbove,
    OpenMeasuresRemain,
    UnknownPerson,
)
from varde_deviations.handling import HandlingService
from varde_deviations.jobs import escalate_unacknowledged
from varde_deviations.measures import MeasureService
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
from varde_deviations.reporting import ReportingService

WHEN = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
API = "/api/v1/deviations"
PROBLEM = "application/problem+json"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
HANDLING = {"acknowledge", "forward", "escalate", "add_measure", "close", "reject", "reopen", "classify"}


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


@dataclass(frozen=True)
class Sent:
    """One event of the case in the outbox: its short type ("acknowledged", "assigned", …) and its data."""

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


async def another_unit(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> tuple[uuid.UUID, uuid.UUID]:
    """A school beside the nursing home in the same sector, with its own leader: a stranger to the home's cases."""
    unit_id, leader = uuid.uuid4(), uuid.uuid4()
    at = datetime.now(UTC)
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await apply_org_unit_changed(
            session,
            org.tenant_id,
            OrgUnitChanged(
                unit_id=unit_id,
                parent_id=org.sector_id,
                name="Byskogen skole",
                unit_type="virksomhet",
                leader_person_id=leader,
            ),
            at,
        )
        await grant_role(session, org.tenant_id, leader, unit_id, "virksomhetsleder", at)
    return unit_id, leader


async def leaderless_unit(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, parent_id: uuid.UUID) -> uuid.UUID:
    """A kitchen without a leader of its own under ``parent_id``: its cases are for the leader above it."""
    unit_id = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await apply_org_unit_changed(
            session,
            org.tenant_id,
            OrgUnitChanged(
                unit_id=unit_id,
                parent_id=parent_id,
                name="Sentralkjøkkenet",
                unit_type="avdeling",
                leader_person_id=None,
            ),
            datetime.now(UTC),
        )
    return unit_id


async def colleague(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> uuid.UUID:
    """Another employee of the nursing home: neither the reporter nor a handler of the case."""
    person = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, person, org.unit_id, "ansatt", datetime.now(UTC))
    return person


# ---- acknowledge ----------------------------------------------------------------------------------------------


async def test_the_unit_leader_acknowledges_the_case_the_reporter_and_strangers_cannot(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    _, school_leader = await another_unit(sessions, org)

    with pytest.raises(HandlingForbidden):  # the reporter sees the case but does not handle it
        await handling.acknowledge(org.as_(org.employee), case.id, Comment())
    with pytest.raises(DeviationNotFound):  # a leader elsewhere in the kommune is not told it exists
        await handling.acknowledge(org.as_(school_leader), case.id, Comment())
    with pytest.raises(DeviationNotFound):  # nor is someone with no role at all
        await handling.acknowledge(org.as_(uuid.uuid4()), case.id, Comment())
    untouched = await cases.get(org.as_(org.unit_leader), case.id)
    assert untouched.status == DeviationStatus.REGISTERED
    assert untouched.acknowledged_at is None
    assert types(await sent(sessions, org, case.id)) == ["reported", "assigned"]

    taken = await handling.acknowledge(org.as_(org.unit_leader), case.id, Comment(comment="Ser på det"))

    assert taken.status == DeviationStatus.UNDER_TREATMENT
    assert taken.status_label == "Under behandling"
    assert taken.acknowledged_at is not None
    assert taken.acknowledge_due_at is None  # the deadline to acknowledge is met: nothing left to escalate
    assert taken.assignee_id == org.unit_leader
    events = await sent(sessions, org, case.id)
    assert types(events) == ["reported", "assigned", "acknowledged"]
    assert events[-1].data["deviation_id"] == str(case.id)
    assert events[-1].data["status"] == "under_treatment"


async def test_http_acknowledge_answers_403_to_the_reporter_404_to_a_stranger_and_200_to_the_leader(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    _, school_leader = await another_unit(sessions, org)
    url = f"{API}/{case.id}/acknowledge"

    as_reporter = await client.post(url, headers=bearer(token_signer, org, org.employee))
    assert as_reporter.status_code == 403
    assert as_reporter.headers["content-type"] == PROBLEM
    assert as_reporter.json()["type"] == "urn:varde:problem:deviation-handling-forbidden"
    as_stranger = await client.post(url, headers=bearer(token_signer, org, school_leader))
    assert as_stranger.status_code == 404
    assert as_stranger.json()["type"] == "urn:varde:problem:deviation-not-found"
    assert as_stranger.json()["detail"] == "Avviket finnes ikke, eller du har ikke tilgang til det."

    as_leader = await client.post(url, json={"comment": "Tar den"}, headers=bearer(token_signer, org, org.unit_leader))
    assert as_leader.status_code == 200, as_leader.text
    assert as_leader.json()["status"] == "under_treatment"
    assert as_leader.json()["acknowledged_at"] is not None


# ---- illegal transitions --------------------------------------------------------------------------------------


async def test_every_pair_outside_the_table_is_illegal() -> None:
    for status in DeviationStatus:
        for action in HandlingAction:
            if (status, action) in TRANSITIONS:
                assert next_status(status, action) == TRANSITIONS[(status, action)]
            else:
                with pytest.raises(IllegalTransitionError):
                    next_status(status, action)


async def test_illegal_transitions_are_refused_and_change_nothing(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    with pytest.raises(IllegalDeviationTransition, match="registrert"):  # a registered case cannot be closed
        await handling.close(leader, case.id, CloseBody(conclusion="Ferdig"))
    with pytest.raises(IllegalDeviationTransition):
        await handling.reopen(leader, case.id, ReopenBody(reason="Skjedde igjen"))
    await handling.acknowledge(leader, case.id, Comment())
    before_events = await sent(sessions, org, case.id)
    before_history = (await cases.timeline(leader, case.id)).items

    with pytest.raises(IllegalDeviationTransition, match="under behandling"):  # an open case cannot be reopened
        await handling.reopen(leader, case.id, ReopenBody(reason="Skjedde igjen"))
    with pytest.raises(IllegalDeviationTransition):  # nor acknowledged twice
        await handling.acknowledge(leader, case.id, Comment())

    after = await cases.get(leader, case.id)
    assert after.status == DeviationStatus.UNDER_TREATMENT
    assert after.closed_at is None
    assert await sent(sessions, org, case.id) == before_events
    assert len((await cases.timeline(leader, case.id)).items) == len(before_history)


async def test_http_illegal_transition_is_409_with_a_norwegian_detail(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, reporting: ReportingService, org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = bearer(token_signer, org, org.unit_leader)

    response = await client.post(f"{API}/{case.id}/close", json={"conclusion": "Ferdig behandlet"}, headers=leader)

    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:varde:problem:illegal-deviation-transition"
    assert problem["status"] == 409  # the HTTP status, as RFC 9457 has it; the case's own is case_status
    assert problem["detail"] == "Dette kan ikke gjøres med et avvik som har status «registrert»."
    assert (problem["case_status"], problem["action"]) == ("registered", "close")
    unchanged = (await client.get(f"{API}/{case.id}", headers=leader)).json()
    assert (unchanged["status"], unchanged["conclusion"], unchanged["closed_at"]) == ("registered", None, None)

    reopen_open = await client.post(f"{API}/{case.id}/reopen", json={"reason": "Skjedde igjen"}, headers=leader)
    assert reopen_open.status_code == 409
    assert reopen_open.json()["detail"] == "Dette kan ikke gjøres med et avvik som har status «registrert»."


# ---- measures, close, reopen, reject --------------------------------------------------------------------------


async def test_measures_keep_the_case_open_until_done_then_it_closes_and_reopens(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    owner = await colleague(sessions, org)

    measure = await measures.add(
        leader, case.id, MeasureCreate(description="Sklisikre matter", owner_id=owner, deadline=date(2030, 1, 1))
    )
    # Setting a measure on a registered case takes it in: it is acknowledged and will not escalate.
    with_measure = await cases.get(leader, case.id)
    assert with_measure.status == DeviationStatus.MEASURES
    assert with_measure.acknowledged_at is not None
    assert with_measure.acknowledge_due_at is None
    assert [(m.id, m.owner_id, m.done_at) for m in with_measure.measures] == [(measure.id, owner, None)]

    with pytest.raises(OpenMeasuresRemain, match="1 tiltak som ikke er utført"):
        await handling.close(leader, case.id, CloseBody(conclusion="Matter lagt i korridoren."))
    with pytest.raises(HandlingForbidden):  # the owner does their measure, but does not handle the case
        await handling.close(org.as_(owner), case.id, CloseBody(conclusion="Matter lagt i korridoren."))

    done = await measures.complete(
        org.as_(owner), case.id, measure.id, MeasureComplete(effectiveness_result="Ingen nye fall")
    )
    assert done.done_at is not None
    with pytest.raises(MeasureAlreadyDone):  # done once is done
        await measures.complete(leader, case.id, measure.id, MeasureComplete())

    closed = await handling.close(leader, case.id, CloseBody(conclusion="Matter lagt i korridoren."))
    assert closed.status == DeviationStatus.CLOSED
    assert closed.conclusion == "Matter lagt i korridoren."
    assert closed.closed_at is not None

    reopened = await handling.reopen(leader, case.id, ReopenBody(reason="Skjedde igjen"))
    assert reopened.status == DeviationStatus.UNDER_TREATMENT
    assert reopened.closed_at is None

    events = await sent(sessions, org, case.id)
    assert types(events) == [
        "reported",
        "assigned",
        "acknowledged",
        "measureadded",
        "measurecompleted",
        "closed",
        "reopened",
        "assigned",
    ]
    by_type = {e.type: e.data for e in events}
    assert by_type["measureadded"]["owner_id"] == str(owner)
    assert by_type["measurecompleted"]["measure_id"] == str(measure.id)
    assert by_type["closed"]["reporter_id"] == str(org.employee)  # so the reporter can be told
    assert by_type["closed"]["status"] == "closed"
    assert by_type["reopened"]["assignee_id"] == str(org.unit_leader)
    assert (events[-1].data["reason"], events[-1].data["assignee_id"]) == ("reopened", str(org.unit_leader))


async def test_a_measure_owner_finishes_their_measure_after_the_case_was_forwarded(
    reporting: ReportingService,
    handling: HandlingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    owner = await colleague(sessions, org)
    measure = await measures.add(
        org.as_(org.unit_leader), case.id, MeasureCreate(description="Ny rutine", owner_id=owner)
    )
    forwarded = await handling.forward(org.as_(org.unit_leader), case.id, ForwardBody(unit_id=org.sector_id))
    assert forwarded.status == DeviationStatus.REGISTERED

    done = await measures.complete(org.as_(owner), case.id, measure.id, MeasureComplete())

    assert done.done_at is not None


async def test_http_a_handler_moves_a_deadline_and_gives_a_measure_to_someone_else(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    first, second = await colleague(sessions, org), await colleague(sessions, org)
    measure = await measures.add(
        org.as_(org.unit_leader),
        case.id,
        MeasureCreate(description="Ny rutine", owner_id=first, deadline=date(2030, 1, 1)),
    )
    url = f"{API}/{case.id}/measures/{measure.id}"
    leader = bearer(token_signer, org, org.unit_leader)

    moved = await client.patch(url, json={"deadline": "2030-03-01"}, headers=leader)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["deadline"], moved.json()["owner_id"]) == ("2030-03-01", str(first))
    handed = await client.patch(url, json={"owner_id": str(second)}, headers=leader)
    assert handed.json()["owner_id"] == str(second)

    # The owner does the measure but does not decide over it; nothing to change is 422; a stranger gets 422 too.
    refused = await client.patch(url, json={"deadline": "2031-01-01"}, headers=bearer(token_signer, org, second))
    assert refused.status_code == 403
    assert (await client.patch(url, json={}, headers=leader)).status_code == 422
    stranger = await client.patch(url, json={"owner_id": str(uuid.uuid4())}, headers=leader)
    assert (stranger.status_code, stranger.json()["errors"][0]["field"]) == (422, "owner_id")

    events = await sent(sessions, org, case.id)
    changed = [e.data for e in events if e.type == "measurechanged"]
    assert [(c["deadline"], c["owner_id"], c["owner_changed"]) for c in changed] == [
        ("2030-03-01", str(first), False),
        ("2030-03-01", str(second), True),
    ]
    timeline = (await client.get(f"{API}/{case.id}/timeline", headers=leader)).json()["items"]
    moved_line, handed_line = [line for line in timeline if line["action"] == "measure_changed"]
    assert moved_line["details"]["deadline_before"] == "2030-01-01"
    assert handed_line["details"]["owner_id_before"] == str(first)

    await measures.complete(org.as_(second), case.id, measure.id, MeasureComplete())
    done = await client.patch(url, json={"deadline": "2031-01-01"}, headers=leader)
    assert done.status_code == 409


async def test_http_close_with_an_open_measure_is_409_and_names_it(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, reporting: ReportingService, org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = bearer(token_signer, org, org.unit_leader)
    added = await client.post(
        f"{API}/{case.id}/measures",
        json={"description": "Ny rutine for nattevakt", "owner_id": str(org.employee), "deadline": "2030-06-01"},
        headers=leader,
    )
    assert added.status_code == 201, added.text
    assert added.json()["owner_name"] == org.name_of(org.employee)
    measure_id = added.json()["id"]

    refused = await client.post(f"{API}/{case.id}/close", json={"conclusion": "Ferdig"}, headers=leader)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["open_measures"] == [measure_id]
    assert "tiltak" in refused.json()["detail"]

    # The reporter was given the measure: they complete it, though they do not handle the case.
    completed = await client.post(
        f"{API}/{case.id}/measures/{measure_id}/complete", headers=bearer(token_signer, org, org.employee)
    )
    assert completed.status_code == 200, completed.text
    closed = await client.post(f"{API}/{case.id}/close", json={"conclusion": "Rutinen er endret."}, headers=leader)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"


async def test_a_fresh_case_is_rejected_with_its_reason(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)

    rejected = await handling.reject(leader, case.id, RejectBody(reason="Meldt to ganger"))

    assert rejected.status == DeviationStatus.REJECTED
    assert rejected.rejection_reason == "Meldt to ganger"
    assert rejected.closed_at is not None
    assert rejected.acknowledge_due_at is None
    assert (await cases.get(org.as_(org.employee), case.id)).rejection_reason == "Meldt to ganger"
    events = await sent(sessions, org, case.id)
    assert types(events) == ["reported", "assigned", "rejected"]
    assert events[-1].data["reporter_id"] == str(org.employee)
    assert "Meldt to ganger" not in str(events[-1].data)  # the reason is content: it stays in the service
    with pytest.raises(IllegalDeviationTransition):  # a rejected case takes no measures
        await measures.add(leader, case.id, MeasureCreate(description="Ny rutine"))


# ---- forward and escalate -------------------------------------------------------------------------------------


async def test_forward_to_the_sector_gives_the_case_to_its_leader(
    reporting: ReportingService, handling: HandlingService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    await handling.acknowledge(leader, case.id, Comment())
    before = datetime.now(UTC)

    forwarded = await handling.forward(leader, case.id, ForwardBody(unit_id=org.sector_id, comment="Gjelder sektoren"))

    assert (forwarded.handling_unit_id, forwarded.assignee_id) == (org.sector_id, org.sector_leader)
    assert forwarded.status == DeviationStatus.REGISTERED  # the new leader must acknowledge it, on a new clock
    assert forwarded.acknowledge_due_at is not None
    assert forwarded.acknowledge_due_at >= before + timedelta(hours=72)
    events = await sent(sessions, org, case.id)
    assert types(events)[-2:] == ["forwarded", "assigned"]
    assert events[-2].data["from_unit_id"] == str(org.unit_id)
    assert events[-2].data["handling_unit_id"] == str(org.sector_id)
    assert (events[-1].data["reason"], events[-1].data["assignee_id"]) == ("forwarded", str(org.sector_leader))

    with pytest.raises(HandlingForbidden):  # the unit leader still sees it, but it is no longer theirs to handle
        await handling.acknowledge(leader, case.id, Comment())
    taken = await handling.acknowledge(org.as_(org.sector_leader), case.id, Comment())
    assert taken.status == DeviationStatus.UNDER_TREATMENT


async def test_forwarded_to_a_unit_without_a_leader_the_case_is_handled_where_its_leader_is(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    kitchen = await leaderless_unit(sessions, org, org.sector_id)

    forwarded = await handling.forward(org.as_(org.unit_leader), case.id, ForwardBody(unit_id=kitchen))

    # The kitchen has no leader: the sector's leader has the case, and the sector is where it is handled, as when
    # a case is reported in a unit without a leader.
    assert (forwarded.handling_unit_id, forwarded.assignee_id) == (org.sector_id, org.sector_leader)
    events = await sent(sessions, org, case.id)
    assert events[-2].data["handling_unit_id"] == str(org.sector_id)
    line = (await cases.timeline(org.as_(org.sector_leader), case.id)).items[-1]
    assert (line.action, line.details["to_unit_id"], line.details["chosen_unit_id"]) == (
        "forwarded",
        str(org.sector_id),
        str(kitchen),
    )
    assert line.details["chosen_unit_name"] == "Sentralkjøkkenet"  # the history still tells where it was sent
    # So nothing is above it to lift it to: the sector leader is not handed their own case again.
    with pytest.raises(NothingAbove):
        await handling.escalate(org.as_(org.sector_leader), case.id, Comment())
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert forwarded.acknowledge_due_at is not None
        await escalate_unacknowledged(session, org.tenant_id, at=forwarded.acknowledge_due_at + timedelta(minutes=1))
    assert types(await sent(sessions, org, case.id))[len(events) :] == ["acknowledgementoverdue"]
    after = await cases.get(org.as_(org.sector_leader), case.id)
    assert (after.handling_unit_id, after.assignee_id, after.acknowledge_due_at) == (
        org.sector_id,
        org.sector_leader,
        None,
    )

    # A kitchen without a leader under the unit handling the case would send it back where it is: refused.
    own_kitchen = await leaderless_unit(sessions, org, org.sector_id)
    response = await client.post(
        f"{API}/{case.id}/forward",
        json={"unit_id": str(own_kitchen)},
        headers=bearer(token_signer, org, org.sector_leader),
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:varde:problem:deviation-already-with-leader"


async def test_http_forward_to_an_unknown_unit_is_422_on_unit_id(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    other = await seed_tiny_org(sessions, "annenkommune")
    leader = bearer(token_signer, org, org.unit_leader)

    for unit_id in (uuid.uuid4(), other.unit_id):  # made up, and another kommune's
        response = await client.post(f"{API}/{case.id}/forward", json={"unit_id": str(unit_id)}, headers=leader)
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM
        assert [e["field"] for e in response.json()["errors"]] == ["unit_id"]

    unchanged = (await client.get(f"{API}/{case.id}", headers=leader)).json()
    assert (unchanged["handling_unit_id"], unchanged["assignee_id"]) == (str(org.unit_id), str(org.unit_leader))
    assert types(await sent(sessions, org, case.id)) == ["reported", "assigned"]


async def test_escalate_lifts_the_case_to_the_sector_and_no_further(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation

    escalated = await handling.escalate(org.as_(org.unit_leader), case.id, Comment(comment="Gjelder hele sektoren"))

    assert (escalated.handling_unit_id, escalated.assignee_id) == (org.sector_id, org.sector_leader)
    assert escalated.status == DeviationStatus.REGISTERED
    events = await sent(sessions, org, case.id)
    assert types(events) == ["reported", "assigned", "escalated", "assigned"]
    assert events[2].data["automatic"] is False
    assert events[2].data["from_unit_id"] == str(org.unit_id)
    assert (events[3].data["reason"], events[3].data["assignee_id"]) == ("escalated", str(org.sector_leader))
    # A person lifted it: the new assignee must not be told that nobody took it in time.
    assert events[3].data["automatic"] is False

    with pytest.raises(NothingAbove):  # nothing above the sector
        await handling.escalate(org.as_(org.sector_leader), case.id, Comment())
    response = await client.post(f"{API}/{case.id}/escalate", headers=bearer(token_signer, org, org.sector_leader))
    assert response.status_code == 409
    assert response.json()["type"] == "urn:varde:problem:deviation-nothing-above"
    assert response.json()["detail"] == "Det finnes ingen enhet over denne å løfte avviket til."
    assert len(await sent(sessions, org, case.id)) == 4
    still = await cases.get(org.as_(org.sector_leader), case.id)
    assert (still.handling_unit_id, still.assignee_id) == (org.sector_id, org.sector_leader)


# ---- measure owner --------------------------------------------------------------------------------------------


async def test_a_measure_owner_must_hold_a_role_in_the_kommune(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    other = await seed_tiny_org(sessions, "annenkommune")
    leader = bearer(token_signer, org, org.unit_leader)

    with pytest.raises(UnknownPerson):
        await measures.add(
            org.as_(org.unit_leader), case.id, MeasureCreate(description="Ny rutine", owner_id=uuid.uuid4())
        )
    for owner in (uuid.uuid4(), other.employee):  # nobody, and an employee of another kommune
        response = await client.post(
            f"{API}/{case.id}/measures", json={"description": "Ny rutine", "owner_id": str(owner)}, headers=leader
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM
        assert [e["field"] for e in response.json()["errors"]] == ["owner_id"]

    unchanged = (await client.get(f"{API}/{case.id}", headers=leader)).json()
    assert (unchanged["status"], unchanged["measures"], unchanged["acknowledged_at"]) == ("registered", [], None)
    assert types(await sent(sessions, org, case.id)) == ["reported", "assigned"]


# ---- history --------------------------------------------------------------------------------------------------


async def test_http_timeline_lists_every_action_in_order_with_its_actor(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    handling: HandlingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = org.as_(org.unit_leader)
    await handling.acknowledge(leader, case.id, Comment(comment="Ser på det"))
    measure = await measures.add(leader, case.id, MeasureCreate(description="Sklisikre matter", owner_id=org.employee))
    await measures.complete(org.as_(org.employee), case.id, measure.id, MeasureComplete())
    await handling.close(leader, case.id, CloseBody(conclusion="Matter lagt i korridoren."))

    response = await client.get(f"{API}/{case.id}/timeline", headers=bearer(token_signer, org, org.employee))

    assert response.status_code == 200, response.text
    entries = response.json()["items"]
    assert response.json()["next_cursor"] is None
    employee, leader_name = org.name_of(org.employee), org.name_of(org.unit_leader)
    assert [(e["action"], e["action_label"], e["actor_id"], e["actor_name"]) for e in entries] == [
        ("reported", "Meldt", str(org.employee), employee),
        ("assigned", "Tildelt behandler", None, None),  # the system assigned it
        ("acknowledged", "Tatt til behandling", str(org.unit_leader), leader_name),
        ("measure_added", "Tiltak lagt til", str(org.unit_leader), leader_name),
        ("measure_completed", "Tiltak utført", str(org.employee), employee),
        ("closed", "Lukket", str(org.unit_leader), leader_name),
    ]
    assert entries[1]["details"]["assignee_id"] == str(org.unit_leader)
    assert entries[1]["details"]["assignee_name"] == leader_name
    assert entries[2]["details"]["comment"] == "Ser på det"
    assert entries[3]["details"]["measure_id"] == str(measure.id)
    assert entries[3]["details"]["owner_name"] == employee
    times = [datetime.fromisoformat(e["at"]) for e in entries]
    assert times == sorted(times)

    # In nynorsk when asked for, and page by page.
    headers = {**bearer(token_signer, org, org.employee), "accept-language": "nn"}
    first = (await client.get(f"{API}/{case.id}/timeline", params={"limit": 4}, headers=headers)).json()
    assert [e["action_label"] for e in first["items"]] == [
        "Meldt",
        "Tildelt handsamar",
        "Teke til handsaming",
        "Tiltak lagt til",
    ]
    rest = await client.get(f"{API}/{case.id}/timeline", params={"cursor": first["next_cursor"]}, headers=headers)
    assert [e["action_label"] for e in rest.json()["items"]] == ["Tiltak utført", "Lukka"]
    assert rest.json()["next_cursor"] is None

    _, school_leader = await another_unit(sessions, org)
    hidden = await client.get(f"{API}/{case.id}/timeline", headers=bearer(token_signer, org, school_leader))
    assert hidden.status_code == 404


async def test_http_who_does_not_see_the_restricted_part_is_not_told_in_the_timeline_of_an_attachment(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org, area="hms"))).deviation
    verneombud, _ = await person_with_role(sessions, org, org.unit_id, "verneombud")
    reporter, leader = bearer(token_signer, org, org.employee), bearer(token_signer, org, org.unit_leader)
    photo = await client.post(f"{API}/{case.id}/attachments", files={"file": ("bilde.png", PNG)}, headers=reporter)
    assert photo.status_code == 201, photo.text
    await client.post(f"{API}/{case.id}/acknowledge", headers=leader)

    for_leader = (await client.get(f"{API}/{case.id}/timeline", headers=leader)).json()["items"]
    assert [e["action"] for e in for_leader] == ["reported", "assigned", "attachment_added", "acknowledged"]
    assert for_leader[2]["details"]["attachment_id"] == photo.json()["id"]

    safety = bearer(token_signer, org, verneombud)  # sees the HMS case, not its restricted part
    first = (await client.get(f"{API}/{case.id}/timeline", params={"limit": 2}, headers=safety)).json()
    rest = await client.get(f"{API}/{case.id}/timeline", params={"cursor": first["next_cursor"]}, headers=safety)
    shown = first["items"] + rest.json()["items"]
    assert [e["action"] for e in shown] == ["reported", "assigned", "acknowledged"]
    assert photo.json()["id"] not in str(shown)
    download = await client.get(f"{API}/{case.id}/attachments/{photo.json()['id']}", headers=safety)
    assert download.status_code == 404


async def test_the_history_and_the_access_log_are_append_only(
    reporting: ReportingService,
    cases: CaseService,
    handling: HandlingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    await handling.acknowledge(org.as_(org.unit_leader), case.id, Comment())
    await cases.get(org.as_(org.unit_leader), case.id)  # one access-log row
    history = [(e.action, e.actor_id) for e in (await cases.timeline(org.as_(org.unit_leader), case.id)).items]

    for statement, table in (
        ("UPDATE deviation_history SET actor_id = NULL WHERE deviation_id = :id", "deviation_history"),
        ("DELETE FROM deviation_history WHERE deviation_id = :id", "deviation_history"),
        ("UPDATE restricted_access SET reader_id = gen_random_uuid() WHERE deviation_id = :id", "restricted_access"),
        ("DELETE FROM restricted_access WHERE deviation_id = :id", "restricted_access"),
    ):
        with pytest.raises(DBAPIError, match=f"{table} is append-only"):
            async with tenant_transaction(sessions, org.tenant_id) as session:
                await session.execute(sa.text(statement), {"id": case.id})

    assert [(e.action, e.actor_id) for e in (await cases.timeline(org.as_(org.unit_leader), case.id)).items] == history
    assert history == [("reported", org.employee), ("assigned", None), ("acknowledged", org.unit_leader)]


# ---- alarms ---------------------------------------------------------------------------------------------------


async def test_http_marking_a_personal_data_breach_starts_one_72_hour_clock(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org, area="informasjonssikkerhet"))).deviation
    assert case.breach_clock is None
    leader = bearer(token_signer, org, org.unit_leader)

    marked = await client.patch(f"{API}/{case.id}", json={"personal_data_breach": True}, headers=leader)
    assert marked.status_code == 200, marked.text
    again = await client.patch(f"{API}/{case.id}", json={"personal_data_breach": True}, headers=leader)
    assert again.status_code == 200, again.text

    breaches = [e for e in await sent(sessions, org, case.id) if e.type == "personaldatabreachregistered"]
    assert len(breaches) == 1  # marking it again starts no second clock
    aware_at = datetime.fromisoformat(breaches[0].data["aware_at"])
    notify_by = datetime.fromisoformat(breaches[0].data["notify_authority_by"])
    assert notify_by - aware_at == timedelta(hours=72)

    shown = (await client.get(f"{API}/{case.id}", headers=leader)).json()
    assert shown["personal_data_breach"] is True
    clock = shown["breach_clock"]
    assert clock is not None
    # The case shows the same deadline the event tells the data-protection officer.
    assert datetime.fromisoformat(clock["notify_authority_by"]) == notify_by
    assert datetime.fromisoformat(clock["aware_at"]) == aware_at
    assert 71 < clock["hours_left"] <= 72


async def test_serious_harm_to_a_patient_alerts_the_committee_once(
    reporting: ReportingService, handling: HandlingService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    patient = "pasient_brukersikkerhet"
    serious = (await reporting.report(org.as_(org.employee), report(org, area=patient, actual_consequence=4))).deviation
    mild = (await reporting.report(org.as_(org.employee), report(org, area=patient, actual_consequence=2))).deviation
    staff = (await reporting.report(org.as_(org.employee), report(org, area="hms", actual_consequence=5))).deviation

    assert types(await sent(sessions, org, serious.id)).count("seriouseventregistered") == 1
    assert "seriouseventregistered" not in types(await sent(sessions, org, mild.id))
    assert "seriouseventregistered" not in types(await sent(sessions, org, staff.id))  # staff injury: HMS, not this

    # The leader finds the harm was worse than reported: the committee is told then, and only once.
    leader = org.as_(org.unit_leader)
    await handling.classify(leader, mild.id, DeviationClassify(actual_consequence=5))
    await handling.classify(leader, mild.id, DeviationClassify(actual_consequence=4))
    assert types(await sent(sessions, org, mild.id)).count("seriouseventregistered") == 1
    with pytest.raises(HandlingForbidden):  # the reporter cannot reclassify
        await handling.classify(org.as_(org.employee), mild.id, DeviationClassify(actual_consequence=1))


async def test_http_a_classification_that_cannot_be_emptied_refuses_null_naming_the_field(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, reporting: ReportingService, org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org, actual_consequence=3))).deviation
    leader = bearer(token_signer, org, org.unit_leader)

    for name, label in (
        ("kind", "Type"),
        ("area", "Fagområde"),
        ("personal_data_breach", "Brudd på personopplysningssikkerheten"),
    ):
        refused = await client.patch(f"{API}/{case.id}", json={name: None}, headers=leader)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["type"] == "urn:varde:problem:validation-error"
        assert [(e["field"], e["label"]) for e in problem["errors"]] == [(name, label)]
        assert problem["errors"][0]["message"] == f"«{label}» kan ikke fjernes, bare endres."
    nynorsk = await client.patch(
        f"{API}/{case.id}", json={"personal_data_breach": None}, headers={**leader, "accept-language": "nn"}
    )
    assert nynorsk.json()["errors"][0]["label"] == "Brot på personopplysningstryggleiken"
    assert (
        nynorsk.json()["errors"][0]["message"]
        == "«Brot på personopplysningstryggleiken» kan ikkje fjernast, berre endrast."
    )

    # What may be left open is emptied as before.
    cleared = await client.patch(f"{API}/{case.id}", json={"actual_consequence": None}, headers=leader)
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["actual_consequence"], cleared.json()["kind"]) == (None, "avvik")


# ---- what a person may do now ---------------------------------------------------------------------------------


async def test_http_allowed_actions_follow_the_person_and_the_status(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, reporting: ReportingService, org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = bearer(token_signer, org, org.unit_leader)
    reporter = bearer(token_signer, org, org.employee)

    for_leader = (await client.get(f"{API}/{case.id}", headers=leader)).json()["allowed_actions"]
    assert {"acknowledge", "forward", "escalate", "reject", "add_measure", "classify"} <= set(for_leader)
    assert "close" not in for_leader
    assert "reopen" not in for_leader
    for_reporter = (await client.get(f"{API}/{case.id}", headers=reporter)).json()["allowed_actions"]
    assert not HANDLING & set(for_reporter)

    await client.post(f"{API}/{case.id}/acknowledge", headers=leader)
    after = (await client.get(f"{API}/{case.id}", headers=leader)).json()["allowed_actions"]
    assert "close" in after
    assert "acknowledge" not in after
    assert "change_measure" not in after  # nothing to change yet

    measure = await client.post(f"{API}/{case.id}/measures", json={"description": "Ny rutine"}, headers=leader)
    with_measure = (await client.get(f"{API}/{case.id}", headers=leader)).json()["allowed_actions"]
    assert {"change_measure", "complete_measure"} <= set(with_measure)
    by_reporter = (await client.get(f"{API}/{case.id}", headers=reporter)).json()["allowed_actions"]
    assert "change_measure" not in by_reporter
    await client.post(f"{API}/{case.id}/measures/{measure.json()['id']}/complete", headers=leader)
    done = (await client.get(f"{API}/{case.id}", headers=leader)).json()["allowed_actions"]
    assert "change_measure" not in done


# ---- who sees the restricted part -----------------------------------------------------------------------------


async def test_who_sees_the_restricted_part_and_the_access_log(
    reporting: ReportingService, cases: CaseService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    verneombud, adviser = uuid.uuid4(), uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, verneombud, org.unit_id, "verneombud", datetime.now(UTC))
        await grant_role(session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC))
    hms = (await reporting.report(org.as_(org.employee), report(org, area="hms"))).deviation
    other = (await reporting.report(org.as_(org.employee), report(org))).deviation

    seen_by_safety_rep = await cases.get(org.as_(verneombud), hms.id)
    assert seen_by_safety_rep.restricted is None
    with pytest.raises(DeviationNotFound):  # not an HMS case
        await cases.get(org.as_(verneombud), other.id)
    seen_by_leader = await cases.get(org.as_(org.unit_leader), hms.id)
    assert seen_by_leader.restricted is not None
    assert seen_by_leader.restricted.persons_involved == "Beboer rom 214"
    assert (await cases.get(org.as_(adviser), hms.id)).restricted is not None

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
