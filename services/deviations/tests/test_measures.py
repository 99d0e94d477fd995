"""Measures (tiltak): a deadline is a date in Norway and is today or later when it is set; who sees a case but may
not change its measures is told so (403), whatever state the measure is in."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, grant_role
from varde_deviations.errors import DeadlinePassed
from varde_deviations.measures import MeasureService, check_deadline
from varde_deviations.models import DeviationCreate, MeasureComplete, MeasureCreate
from varde_deviations.reporting import ReportingService

API = "/api/v1/deviations"


def report(org: TinyOrg, **changes: object) -> DeviationCreate:
    data: dict[str, object] = {
        "title": "Fall i korridor",
        "description": "Beboer falt på vei til spisesalen.",
        "unit_id": org.unit_id,
        "occurred_at": datetime(2026, 11, 1, 10, 0, tzinfo=UTC),
    }
    return DeviationCreate.model_validate({**data, **changes})


async def measure_rows(sessions: async_sessionmaker[AsyncSession], org: TinyOrg, case_id: uuid.UUID) -> int:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        found = await session.execute(sa.text("SELECT count(*) FROM measure WHERE deviation_id = :id"), {"id": case_id})
        count: int = found.scalar_one()
        return count


async def test_http_a_deadline_before_today_is_refused_on_add_and_on_change_naming_the_field(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = bearer(token_signer, org, org.unit_leader)
    today = oslo_today()
    yesterday = today - timedelta(days=1)
    url = f"{API}/{case.id}/measures"

    refused = await client.post(
        url, json={"description": "Ny rutine", "deadline": yesterday.isoformat()}, headers=leader
    )

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "urn:varde:problem:deviation-measure-deadline-passed"
    assert [(e["field"], e["label"]) for e in problem["errors"]] == [("deadline", "Frist")]
    assert problem["detail"] == (
        f"Fristen {yesterday:%d.%m.%Y} er allerede passert. "  # 01.04.2026, as every service writes a date
        "Velg dagens dato eller en senere dato."
    )
    assert await measure_rows(sessions, org, case.id) == 0
    unchanged = (await client.get(f"{API}/{case.id}", headers=leader)).json()
    assert unchanged["status"] == "registered"  # a refused measure does not take the case in

    added = await client.post(url, json={"description": "Ny rutine", "deadline": today.isoformat()}, headers=leader)
    assert added.status_code == 201, added.text  # today is in time
    measure_url = f"{url}/{added.json()['id']}"
    moved_back = await client.patch(measure_url, json={"deadline": yesterday.isoformat()}, headers=leader)
    assert moved_back.status_code == 422
    assert [e["field"] for e in moved_back.json()["errors"]] == ["deadline"]
    assert (await client.get(f"{API}/{case.id}", headers=leader)).json()["measures"][0]["deadline"] == today.isoformat()
    # A change that leaves the deadline alone is not held to it.
    reworded = await client.patch(measure_url, json={"description": "Ny rutine for nattevakt"}, headers=leader)
    assert reworded.status_code == 200, reworded.text


@pytest.mark.parametrize(
    ("deadline", "at", "passed"),
    [
        # 22:30 UTC on 31 March 2026 is 00:30 on 1 April in Oslo (summer time): the 31st is over there.
        (date(2026, 3, 31), datetime(2026, 3, 31, 22, 30, tzinfo=UTC), True),
        (date(2026, 3, 31), datetime(2026, 3, 31, 21, 30, tzinfo=UTC), False),
        # 23:30 UTC on 31 October is 00:30 on 1 November in Oslo (winter time).
        (date(2026, 10, 31), datetime(2026, 10, 31, 23, 30, tzinfo=UTC), True),
        (date(2026, 10, 31), datetime(2026, 10, 31, 22, 30, tzinfo=UTC), False),
    ],
)
def test_a_deadline_has_passed_when_its_day_is_over_in_oslo(deadline: date, at: datetime, passed: bool) -> None:
    if passed:
        with pytest.raises(DeadlinePassed):
            check_deadline(deadline, at)
    else:
        check_deadline(deadline, at)


def test_a_passed_deadline_is_written_as_every_service_writes_a_date() -> None:
    with pytest.raises(DeadlinePassed, match=r"^Fristen 01\.04\.2026 er allerede passert\."):
        check_deadline(date(2026, 4, 1), datetime(2026, 4, 2, 10, 0, tzinfo=UTC))


async def test_http_who_sees_the_case_but_does_not_handle_it_is_told_403_for_a_measure_done_or_not(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    reporting: ReportingService,
    measures: MeasureService,
    sessions: async_sessionmaker[AsyncSession],
    org: TinyOrg,
) -> None:
    verneombud = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, verneombud, org.unit_id, "verneombud", datetime.now(UTC))
    case = (await reporting.report(org.as_(org.employee), report(org, area="hms"))).deviation
    leader = org.as_(org.unit_leader)
    deadline = oslo_today() + timedelta(days=30)
    open_one = await measures.add(leader, case.id, MeasureCreate(description="Ny rutine", deadline=deadline))
    done_one = await measures.add(leader, case.id, MeasureCreate(description="Verneutstyr", owner_id=org.employee))
    await measures.complete(org.as_(org.employee), case.id, done_one.id, MeasureComplete())
    safety = bearer(token_signer, org, verneombud)  # sees the HMS case, handles nothing in it
    assert (await client.get(f"{API}/{case.id}", headers=safety)).status_code == 200

    for measure_id in (open_one.id, done_one.id):
        url = f"{API}/{case.id}/measures/{measure_id}"
        changed = await client.patch(url, json={"deadline": deadline.isoformat()}, headers=safety)
        assert (changed.status_code, changed.json()["type"]) == (
            403,
            "urn:varde:problem:deviation-measure-change-forbidden",
        )
        completed = await client.post(f"{url}/complete", headers=safety)
        assert (completed.status_code, completed.json()["type"]) == (
            403,
            "urn:varde:problem:deviation-measure-completion-forbidden",
        )
    # Its owner changes nothing either; the handler is told the done one is done.
    owner = bearer(token_signer, org, org.employee)
    done_url = f"{API}/{case.id}/measures/{done_one.id}"
    assert (await client.patch(done_url, json={"deadline": deadline.isoformat()}, headers=owner)).status_code == 403
    handler = bearer(token_signer, org, org.unit_leader)
    again = await client.patch(done_url, json={"deadline": deadline.isoformat()}, headers=handler)
    assert (again.status_code, again.json()["type"]) == (409, "urn:varde:problem:deviation-measure-done")
    # A measure of another case is not this case's: 404, as for a stranger to the case.
    other = (await reporting.report(org.as_(org.employee), report(org))).deviation
    elsewhere = await client.patch(
        f"{API}/{other.id}/measures/{open_one.id}", json={"deadline": deadline.isoformat()}, headers=handler
    )
    assert (elsewhere.status_code, elsewhere.json()["type"]) == (404, "urn:varde:problem:deviation-measure-not-found")
    stranger = await client.post(f"{url}/complete", headers=bearer(token_signer, org, uuid.uuid4()))
    assert (stranger.status_code, stranger.json()["type"]) == (404, "urn:varde:problem:deviation-not-found")


async def test_http_a_measure_keeps_its_description_and_owner_null_is_refused_naming_the_field(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, reporting: ReportingService, org: TinyOrg
) -> None:
    case = (await reporting.report(org.as_(org.employee), report(org))).deviation
    leader = bearer(token_signer, org, org.unit_leader)
    added = await client.post(f"{API}/{case.id}/measures", json={"description": "Ny rutine"}, headers=leader)
    url = f"{API}/{case.id}/measures/{added.json()['id']}"

    for name, label in (("description", "Tiltak"), ("owner_id", "Ansvarlig")):
        refused = await client.patch(url, json={name: None}, headers=leader)
        assert refused.status_code == 422, refused.text
        assert [(e["field"], e["label"]) for e in refused.json()["errors"]] == [(name, label)]
        assert refused.json()["errors"][0]["message"] == f"«{label}» kan ikke fjernes, bare endres."
    cleared = await client.patch(url, json={"deadline": None}, headers=leader)  # a deadline may be taken away
    assert (cleared.status_code, cleared.json()["deadline"]) == (200, None)
