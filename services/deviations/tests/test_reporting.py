"""Reporting a deviation (avvik) and reading it back: use cases on the real database, HTTP through ASGI."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.outbox import outbox_table
from varde_common.testing.factories import TinyOrg, bearer, identity, person_with_role, seed_tiny_org
from varde_deviations.cases import CaseService
from varde_deviations.errors import DeviationNotFound, UnknownUnit
from varde_deviations.models import DeviationCreate
from varde_deviations.reporting import ReportingService

WHEN = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def report(org: TinyOrg, **changes: object) -> DeviationCreate:
    data: dict[str, object] = {
        "title": "Fall i korridor",
        "description": "Beboer falt på vei til spisesalen.",
        "unit_id": org.unit_id,
        "occurred_at": WHEN,
    }
    data.update(changes)
    return DeviationCreate.model_validate(data)


async def test_report_stores_the_deviation_and_its_events_in_one_transaction(
    reporting: ReportingService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    created = (await reporting.report(org.as_(org.employee), report(org, persons_involved="Ola Nordmann"))).deviation

    async with tenant_transaction(sessions, org.tenant_id) as session:
        rows = (await session.execute(sa.select(outbox_table).where(outbox_table.c.key == str(created.id)))).all()
    assert [row.type for row in rows] == ["no.varde.deviation.reported.v1", "no.varde.deviation.assigned.v1"]
    event = rows[0]
    assert event.topic == "varde.deviations.deviation"
    assert event.tenant_id == org.tenant_id
    assert event.data["unit_id"] == str(org.unit_id)
    assert rows[1].data["assignee_id"] == str(org.unit_leader)
    # What happened, who was involved and who reported it stay in the service.
    for row in rows:
        text = str(row.data)
        for personal in ("Fall i korridor", "Ola Nordmann", str(org.employee)):
            assert personal not in text
    # Assigned at once to the leader of the unit, with the kommune's deadline (72 hours by default).
    assert created.assignee_id == org.unit_leader
    assert created.acknowledge_due_at is not None
    assert timedelta(hours=71) < created.acknowledge_due_at - created.reported_at <= timedelta(hours=72)


async def test_an_unknown_unit_is_refused_and_nothing_is_stored(
    reporting: ReportingService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    with pytest.raises(UnknownUnit):
        await reporting.report(org.as_(org.employee), report(org, unit_id=uuid.uuid4()))
    async with tenant_transaction(sessions, org.tenant_id) as session:
        count = (await session.execute(sa.select(sa.func.count()).select_from(outbox_table))).scalar_one()
    assert count == 0


async def test_a_unit_of_another_kommune_is_unknown(
    reporting: ReportingService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    other = await seed_tiny_org(sessions, "annenkommune")
    with pytest.raises(UnknownUnit):
        await reporting.report(org.as_(org.employee), report(org, unit_id=other.unit_id))


async def test_reporter_and_leaders_up_the_line_see_it_others_do_not(
    reporting: ReportingService, cases: CaseService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    created = (await reporting.report(org.as_(org.employee), report(org))).deviation

    for person in (org.employee, org.unit_leader, org.sector_leader):
        assert (await cases.get(org.as_(person), created.id)).id == created.id
    with pytest.raises(DeviationNotFound):
        await cases.get(org.as_(uuid.uuid4()), created.id)
    other = await seed_tiny_org(sessions, "annenkommune")
    with pytest.raises(DeviationNotFound):
        await cases.get(identity(other.tenant_id, org.employee), created.id)


async def test_http_report_and_read(client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg) -> None:
    body = {
        "title": "Feil medisin gitt",
        "description": "Beboer fikk feil dose.",
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
    }
    created = await client.post("/api/v1/deviations", json=body, headers=bearer(token_signer, org, org.employee))
    assert created.status_code == 201, created.text
    deviation = created.json()
    assert deviation["status"] == "registered"
    assert deviation["reported_by"] == str(org.employee)

    read = await client.get(f"/api/v1/deviations/{deviation['id']}", headers=bearer(token_signer, org, org.unit_leader))
    assert read.status_code == 200
    assert read.json()["title"] == "Feil medisin gitt"


async def test_http_refuses_fields_the_server_owns(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    body = {
        "title": "Fall",
        "description": "x",
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
        "tenant_id": str(uuid.uuid4()),
        "status": "closed",
        "reported_by": str(uuid.uuid4()),
    }
    response = await client.post("/api/v1/deviations", json=body, headers=bearer(token_signer, org, org.employee))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {"tenant_id", "status", "reported_by"}


async def test_http_validation_names_the_fields(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    headers = bearer(token_signer, org, org.employee)
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    response = await client.post(
        "/api/v1/deviations", json={"title": "Fall", "occurred_at": future, "unit_id": "not-a-uuid"}, headers=headers
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:varde:problem:validation-error"
    assert {e["field"] for e in problem["errors"]} == {"description", "unit_id", "occurred_at"}

    unknown_unit = await client.post(
        "/api/v1/deviations",
        json={"title": "Fall", "description": "x", "unit_id": str(uuid.uuid4()), "occurred_at": "2026-11-01T10:00:00Z"},
        headers=headers,
    )
    assert unknown_unit.status_code == 422
    assert unknown_unit.json()["errors"][0]["field"] == "unit_id"


async def test_http_without_a_gateway_token_is_401(client: httpx.AsyncClient, org: TinyOrg) -> None:
    assert (await client.get(f"/api/v1/deviations/{uuid.uuid4()}")).status_code == 401
    forged = {"authorization": "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln"}
    response = await client.get(f"/api/v1/deviations/{uuid.uuid4()}", headers=forged)
    assert response.status_code == 401
    assert response.json()["status"] == 401


async def test_a_leader_who_reports_in_their_own_unit_is_offered_the_handling_at_once(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    body = {
        "title": "Vannlekkasje på lageret",
        "description": "Vann fra taket over hyllene.",
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
    }
    by_leader = await client.post("/api/v1/deviations", json=body, headers=bearer(token_signer, org, org.unit_leader))
    assert by_leader.status_code == 201, by_leader.text
    case = by_leader.json()
    assert case["assignee_id"] == str(org.unit_leader)
    read = await client.get(f"/api/v1/deviations/{case['id']}", headers=bearer(token_signer, org, org.unit_leader))
    assert case["allowed_actions"] == read.json()["allowed_actions"]
    assert "acknowledge" in case["allowed_actions"]
    by_employee = await client.post("/api/v1/deviations", json=body, headers=bearer(token_signer, org, org.employee))
    assert by_employee.json()["allowed_actions"] == ["attach"]


async def test_a_leader_above_the_unit_and_a_quality_role_are_offered_at_once_what_they_may_do(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    adviser, _ = await person_with_role(sessions, org, org.sector_id, "kvalitetsradgiver")
    body = {
        "title": "Vannlekkasje på lageret",
        "description": "Vann fra taket over hyllene.",
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
    }

    # The kommunalsjef above the nursing home, and a quality adviser of the sector, report in the nursing home:
    # the case is the unit leader's, but both may handle it, and the answer offers them what a read offers.
    for reporter in (org.sector_leader, adviser):
        headers = bearer(token_signer, org, reporter)
        created = await client.post("/api/v1/deviations", json=body, headers=headers)
        assert created.status_code == 201, created.text
        case = created.json()
        assert case["assignee_id"] == str(org.unit_leader)
        read = await client.get(f"/api/v1/deviations/{case['id']}", headers=headers)
        assert case["allowed_actions"] == read.json()["allowed_actions"]
        assert {"acknowledge", "forward", "attach"} <= set(case["allowed_actions"])
