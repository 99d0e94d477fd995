"""What a reader sees beside the ids: the names of people and units (never an anonymous reporter's), labels in
the målform they asked for, times in one form (UTC), and "late" decided by the day in Norway."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import Names, apply_tenant_changed
from varde_common.events import TenantChanged
from varde_common.identity import InternalTokenSigner
from varde_common.tenant_settings import TenantSettings
from varde_common.testing.factories import TinyOrg, bearer, grant_role
from varde_deviations import repository
from varde_deviations.access import CaseAccess, reach
from varde_deviations.models import Deviation, Measure
from varde_deviations.repository import ListFilters
from varde_deviations.views import case_public

API = "/api/v1/deviations"
UNIT, SECTOR = "Solsiden sykehjem", "Helse og omsorg"


def body(org: TinyOrg, **changes: object) -> dict[str, object]:
    return {
        "title": "Fall i korridor",
        "description": "Beboeren falt i korridoren ved spisesalen.",
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
        **changes,
    }


async def test_http_the_case_and_the_list_name_its_people_and_units(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    reporter, leader = bearer(token_signer, org, org.employee), bearer(token_signer, org, org.unit_leader)
    created = await client.post(API, json=body(org), headers=reporter)
    assert created.status_code == 201, created.text
    case = created.json()
    named = {k: case[k] for k in ("unit_name", "handling_unit_name", "assignee_name", "reported_by_name")}
    assert named == {
        "unit_name": UNIT,
        "handling_unit_name": UNIT,
        "assignee_name": org.name_of(org.unit_leader),
        "reported_by_name": org.name_of(org.employee),
    }

    measure = {"description": "Sklisikre matter", "owner_id": str(org.employee)}
    assert (await client.post(f"{API}/{case['id']}/measures", json=measure, headers=leader)).status_code == 201
    await client.post(f"{API}/{case['id']}/escalate", headers=leader)
    read = (await client.get(f"{API}/{case['id']}", headers=leader)).json()
    assert (read["handling_unit_name"], read["assignee_name"]) == (SECTOR, org.name_of(org.sector_leader))
    assert [m["owner_name"] for m in read["measures"]] == [org.name_of(org.employee)]
    line = (await client.get(API, headers=leader)).json()["items"][0]
    assert (line["unit_name"], line["handling_unit_name"], line["assignee_name"]) == (
        UNIT,
        SECTOR,
        org.name_of(org.sector_leader),
    )
    escalated = (await client.get(f"{API}/{case['id']}/timeline", headers=leader)).json()["items"][-1]
    assert escalated["action"] == "escalated"
    details = escalated["details"]
    assert (details["from_unit_name"], details["to_unit_name"]) == (UNIT, SECTOR)


async def test_http_an_anonymous_reporter_is_named_nowhere(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        allowed = TenantChanged(
            tenant_id=org.tenant_id, slug="testkommune", name="T", settings=TenantSettings(anonymous_reporting=True)
        )
        await apply_tenant_changed(session, allowed, datetime.now(UTC))
    created = await client.post(API, json=body(org, anonymous=True), headers=bearer(token_signer, org, org.employee))
    assert created.status_code == 201, created.text
    leader = bearer(token_signer, org, org.unit_leader)

    case = (await client.get(f"{API}/{created.json()['id']}", headers=leader)).json()
    timeline = (await client.get(f"{API}/{case['id']}/timeline", headers=leader)).json()["items"]

    assert (case["reported_by"], case["reported_by_name"]) == (None, None)
    assert created.json()["reported_by_name"] is None
    assert (timeline[0]["action"], timeline[0]["actor_id"], timeline[0]["actor_name"]) == ("reported", None, None)
    everything = str([created.json(), case, timeline])
    assert org.name_of(org.employee) not in everything


async def test_http_occurred_at_comes_back_in_utc_on_create_and_later(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    headers = bearer(token_signer, org, org.employee)

    created = await client.post(API, json=body(org, occurred_at="2026-11-01T10:00:00+01:00"), headers=headers)
    read = await client.get(f"{API}/{created.json()['id']}", headers=headers)

    assert created.json()["occurred_at"] == "2026-11-01T09:00:00Z"
    assert read.json()["occurred_at"] == "2026-11-01T09:00:00Z"
    listed = (await client.get(API, params={"view": "reported"}, headers=headers)).json()["items"][0]
    assert listed["occurred_at"] == "2026-11-01T09:00:00Z"


async def test_http_labels_and_problems_come_in_the_callers_malform(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    case = (await client.post(API, json=body(org, kind="uonsket_hendelse"), headers=leader)).json()
    nynorsk = {**leader, "accept-language": "nn"}

    taken = (await client.post(f"{API}/{case['id']}/acknowledge", headers=nynorsk)).json()
    refused = await client.post(f"{API}/{case['id']}/reopen", json={"reason": "Skjedde igjen"}, headers=nynorsk)
    bokmal = (await client.get(f"{API}/{case['id']}", headers=leader)).json()

    assert (taken["status_label"], taken["kind_label"]) == ("Under handsaming", "Uønskt hending")
    assert (bokmal["status_label"], bokmal["kind_label"]) == ("Under behandling", "Uønsket hendelse")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Dette kan ikkje gjerast med eit avvik som har status «under handsaming»."
    assert (refused.json()["case_status"], refused.json()["action"]) == ("under_treatment", "reopen")


async def test_http_the_access_logs_name_the_readers_page_by_page(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    adviser, verneombud = uuid.uuid4(), uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC))
        await grant_role(session, org.tenant_id, verneombud, org.unit_id, "verneombud", datetime.now(UTC))
    case_id = (
        await client.post(API, json=body(org, area="hms"), headers=bearer(token_signer, org, org.employee))
    ).json()["id"]
    for reader in (org.unit_leader, org.sector_leader, org.unit_leader):
        assert (await client.get(f"{API}/{case_id}", headers=bearer(token_signer, org, reader))).status_code == 200
    quality = bearer(token_signer, org, adviser)
    url = f"{API}/{case_id}/access-log"

    first = (await client.get(url, params={"limit": 2}, headers=quality)).json()
    rest = (await client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=quality)).json()

    readers = [(e["reader_id"], e["reader_name"]) for e in first["items"] + rest["items"]]
    assert readers == [  # newest first
        (str(org.unit_leader), org.name_of(org.unit_leader)),
        (str(org.sector_leader), org.name_of(org.sector_leader)),
        (str(org.unit_leader), org.name_of(org.unit_leader)),
    ]
    assert rest["next_cursor"] is None
    one_reader = await client.get(f"{API}/access-log", params={"reader_id": str(org.sector_leader)}, headers=quality)
    assert [e["reader_name"] for e in one_reader.json()["items"]] == [org.name_of(org.sector_leader)]
    assert [e["deviation_title"] for e in one_reader.json()["items"]] == [body(org)["title"]]
    # The quality role is offered the log with the case; the leader who handles it is not.
    offered = await client.get(f"{API}/{case_id}", headers=quality)
    assert "access_log" in offered.json()["allowed_actions"]
    leader_offered = await client.get(f"{API}/{case_id}", headers=bearer(token_signer, org, org.unit_leader))
    assert "access_log" not in leader_offered.json()["allowed_actions"]
    # The verneombud sees the HMS case but not who read it; a stranger is not told the case exists.
    forbidden = await client.get(url, headers=bearer(token_signer, org, verneombud))
    assert (forbidden.status_code, forbidden.json()["type"]) == (
        403,
        "urn:varde:problem:deviation-access-log-forbidden",
    )
    hidden = await client.get(url, headers=bearer(token_signer, org, uuid.uuid4()))
    assert (hidden.status_code, hidden.json()["type"]) == (404, "urn:varde:problem:deviation-not-found")
    nothing = await client.get(f"{API}/access-log", headers=bearer(token_signer, org, verneombud))
    assert nothing.json() == {"items": [], "next_cursor": None}
    bad = await client.get(url, params={"cursor": "not-ours"}, headers=quality)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "cursor")


@pytest.mark.parametrize(
    ("at", "late"),
    [
        (datetime(2030, 3, 31, 21, 30, tzinfo=UTC), False),  # 23:30 on 31 March in Oslo (summer time)
        (datetime(2030, 3, 31, 22, 30, tzinfo=UTC), True),  # 00:30 on 1 April in Oslo
        (datetime(2030, 10, 31, 22, 30, tzinfo=UTC), False),  # 23:30 on 31 October in Oslo (winter time)
        (datetime(2030, 10, 31, 23, 30, tzinfo=UTC), True),  # 00:30 on 1 November in Oslo
    ],
)
def test_the_case_shows_a_measure_late_once_its_day_is_over_in_oslo(at: datetime, late: bool) -> None:
    unit = uuid.uuid4()
    case = Deviation(
        tenant_id=uuid.uuid4(), area="hms", title="Fall", description="x", occurred_at=at, unit_id=unit,
        handling_unit_id=unit, reported_at=at,
    )  # fmt: skip
    measure = Measure(
        tenant_id=case.tenant_id, deviation_id=case.id, description="Ny rutine", owner_id=uuid.uuid4(),
        deadline=date(2030, at.month, 31), created_by=uuid.uuid4(),
    )  # fmt: skip

    reader = CaseAccess(read=True, restricted=False, handle=False, follow_up=False, measure_owner=False, reporter=False)
    shown = case_public(case, reader, at, [measure], None, Names(), "nb")

    assert shown.measures[0].overdue is late


@pytest.mark.parametrize(
    ("at", "late"),
    [
        (datetime(2030, 3, 31, 21, 30, tzinfo=UTC), False),  # 23:30 in Oslo: the deadline day is in time
        (datetime(2030, 3, 31, 22, 30, tzinfo=UTC), True),  # 00:30 on 1 April in Oslo
    ],
)
async def test_the_list_shows_a_case_with_a_measure_late_once_its_day_is_over_in_oslo(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
    at: datetime,
    late: bool,
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    case_id = (await client.post(API, json=body(org), headers=leader)).json()["id"]
    measure = {"description": "Ny rutine", "deadline": "2030-03-31"}
    assert (await client.post(f"{API}/{case_id}/measures", json=measure, headers=leader)).status_code == 201

    async with tenant_transaction(sessions, org.tenant_id) as session:
        leader_reach = await reach(session, org.unit_leader)
        rows = await repository.page(session, leader_reach, ListFilters(), after=None, limit=10, now=at)
        overdue = await repository.page(session, leader_reach, ListFilters(overdue=True), after=None, limit=10, now=at)

    assert [(str(r.id), r.overdue) for r in rows] == [(case_id, late)]
    assert [str(r.id) for r in overdue] == ([case_id] if late else [])
