"""Tenant administration through the HTTP API: who may change what, history, events, and clear errors."""

from __future__ import annotations

from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.outbox import outbox_table


async def events_of(sessions: async_sessionmaker[AsyncSession], kommune: Any, event_type: str) -> list[dict[str, Any]]:
    async with tenant_transaction(sessions, kommune.tenant_id) as session:
        rows = await session.execute(sa.select(outbox_table.c.data).where(outbox_table.c.type == event_type))
        return [row[0] for row in rows]


async def unit_by_name(client: httpx.AsyncClient, kommune: Any, name: str) -> dict[str, Any]:
    found = await client.get("/api/v1/directory/units", params={"q": name}, headers=kommune.headers("E5"))
    return next(u for u in found.json()["items"] if u["name"] == name)


async def test_an_administrator_creates_moves_and_closes_a_unit_and_its_history_is_kept(
    client: httpx.AsyncClient, kommune: Any, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = kommune.headers("E4")
    home = await unit_by_name(client, kommune, "Solsiden")
    sector = await unit_by_name(client, kommune, "Helse")

    created = await client.post(
        "/api/v1/directory/units",
        json={"name": "Solsiden C", "unit_type": "avdeling", "parent_id": home["id"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    unit_id = created.json()["id"]
    moved = await client.patch(
        f"/api/v1/directory/units/{unit_id}",
        json={"parent_id": sector["id"], "leader_person_id": str(kommune.people["E5"])},
        headers=admin,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["parent_id"] == sector["id"]
    closed = await client.post(f"/api/v1/directory/units/{unit_id}/close", headers=admin)
    assert closed.json()["closed"] is True

    history = (await client.get(f"/api/v1/directory/units/{unit_id}/history", headers=admin)).json()["items"]
    assert [(p["parent_id"], p["closed"]) for p in history] == [
        (home["id"], False),
        (sector["id"], False),
        (sector["id"], True),
    ]
    assert history[1]["leader_person_id"] == str(kommune.people["E5"])
    assert history[1]["leader_name"] == "Ane Ansatt"
    assert (history[1]["parent_name"], history[1]["changed_by_name"]) == ("Helse", "Sam Admin")
    assert all(p["valid_to"] is not None for p in history[:-1])

    published = [
        e for e in await events_of(sessions, kommune, "no.varde.orgunit.changed.v1") if e["unit_id"] == unit_id
    ]
    assert [e["closed"] for e in published] == [False, False, True]
    # The new leader held avdelingsleder there until the unit closed; the role ended and was published.
    roles = [
        e for e in await events_of(sessions, kommune, "no.varde.roleassignment.changed.v1") if e["unit_id"] == unit_id
    ]
    assert [r["role"] for r in roles] == ["avdelingsleder", "avdelingsleder"]
    assert roles[0]["ends_on"] is None
    assert roles[1]["ends_on"] is not None


async def test_an_employee_may_read_the_tree_but_not_change_it(client: httpx.AsyncClient, kommune: Any) -> None:
    employee = kommune.headers("E5")
    home = await unit_by_name(client, kommune, "Solsiden")
    assert (await client.get(f"/api/v1/directory/units/{home['id']}", headers=employee)).status_code == 200
    response = await client.patch(f"/api/v1/directory/units/{home['id']}", json={"name": "Mitt navn"}, headers=employee)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:varde:problem:directory-administration-forbidden"
    assert response.json()["detail"].startswith("Du har ikke tilgang til å endre dette i katalogen.")
    assert (
        await client.patch("/api/v1/directory/tenant", json={"name": "X kommune"}, headers=employee)
    ).status_code == 403


async def test_a_leader_administers_nothing_by_being_a_leader(client: httpx.AsyncClient, kommune: Any) -> None:
    home = await unit_by_name(client, kommune, "Solsiden A")
    response = await client.patch(
        f"/api/v1/directory/units/{home['id']}", json={"name": "Omdøpt"}, headers=kommune.headers("E3")
    )
    assert response.status_code == 403


async def test_a_unit_cannot_move_under_itself_nor_close_with_open_units_below(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    sector = await unit_by_name(client, kommune, "Helse")
    below = await unit_by_name(client, kommune, "Solsiden A")
    loop = await client.patch(f"/api/v1/directory/units/{sector['id']}", json={"parent_id": below["id"]}, headers=admin)
    assert loop.status_code == 422
    assert loop.json()["errors"] == [
        {
            "field": "parent_id",
            "label": "Overordnet enhet",
            "message": "En enhet kan ikke flyttes under seg selv eller en av sine egne underenheter.",
            "code": "unit-move-cycle",
            "pointer": "/parent_id",
        }
    ]
    closing = await client.post(f"/api/v1/directory/units/{sector['id']}/close", headers=admin)
    assert closing.status_code == 409
    assert closing.json()["type"] == "urn:varde:problem:unit-has-open-units"


async def test_roles_are_given_and_ended_and_both_are_published(
    client: httpx.AsyncClient, kommune: Any, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = kommune.headers("E4")
    home = await unit_by_name(client, kommune, "Solsiden")
    employee = kommune.people["E5"]
    given = await client.post(
        f"/api/v1/directory/people/{employee}/roles", json={"role": "verneombud", "unit_id": home["id"]}, headers=admin
    )
    assert given.status_code == 201, given.text
    ended = await client.post(f"/api/v1/directory/role-assignments/{given.json()['id']}/end", headers=admin)
    assert ended.status_code == 200
    assert ended.json()["ends_on"] is not None
    me = (await client.get("/api/v1/directory/me", headers=kommune.headers("E5"))).json()
    assert any(r["role"] == "verneombud" and r["ends_on"] for r in me["roles"])  # kept as history
    published = [
        e
        for e in await events_of(sessions, kommune, "no.varde.roleassignment.changed.v1")
        if e["assignment_id"] == given.json()["id"]
    ]
    assert [e["ends_on"] is None for e in published] == [True, False]

    wrong = await client.post(
        f"/api/v1/directory/people/{employee}/roles",
        json={"role": "kommunalsjef", "unit_id": home["id"]},
        headers=admin,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "role"
    unknown = await client.post(
        f"/api/v1/directory/people/{employee}/roles", json={"role": "keiser", "unit_id": home["id"]}, headers=admin
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["label"] == "Rolle"


async def test_kommune_settings_are_validated_and_published(
    client: httpx.AsyncClient, kommune: Any, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = kommune.headers("E4")
    current = (await client.get("/api/v1/directory/tenant", headers=admin)).json()
    settings = {**current["settings"], "acknowledge_deadline_hours": 48, "anonymous_reporting": True}
    changed = await client.patch("/api/v1/directory/tenant", json={"settings": settings}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["settings"]["anonymous_reporting"] is True
    published = await events_of(sessions, kommune, "no.varde.tenant.changed.v1")
    assert published[-1]["settings"]["acknowledge_deadline_hours"] == 48

    twice = [*settings["unit_types"], settings["unit_types"][0]]
    refused = await client.patch("/api/v1/directory/tenant", json={"settings": {"unit_types": twice}}, headers=admin)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "settings.unit_types"
    assert refused.json()["errors"][0]["message"] == "Hver enhetstype må ha sin egen nøkkel."

    # Reading settings is tolerant (a newer directory may add one); what an administrator sends is not.
    for unknown in (
        {"acknowledge_deadline_days": 3},
        {"unit_types": [{**settings["unit_types"][0], "icon": "house"}]},
    ):
        typo = await client.patch("/api/v1/directory/tenant", json={"settings": unknown}, headers=admin)
        assert typo.status_code == 422, unknown
        assert typo.json()["errors"][0]["code"] == "extra_forbidden"


async def test_fields_a_caller_may_not_set_are_rejected_not_stored(client: httpx.AsyncClient, kommune: Any) -> None:
    admin = kommune.headers("E4")
    home = await unit_by_name(client, kommune, "Solsiden")
    for extra in (
        {"tenant_id": "00000000-0000-0000-0000-000000000001"},
        {"id": home["id"]},
        {"closed_at": "2020-01-01"},
    ):
        response = await client.post(
            "/api/v1/directory/units",
            json={"name": "Smugler", "unit_type": "avdeling", "parent_id": home["id"], **extra},
            headers=admin,
        )
        assert response.status_code == 422, extra
        assert response.json()["errors"][0]["code"] == "extra_forbidden"


async def test_the_import_endpoint_reports_bad_rows_as_a_problem(client: httpx.AsyncClient, kommune: Any) -> None:
    csv = "type;key;name;unit_type;parent;leader;email;unit;role\nenhet;K9;Ny;planet;K1;;;;\n"
    response = await client.post(
        "/api/v1/directory/imports", content=csv, headers={**kommune.headers("E4"), "content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:varde:problem:hr-import-invalid"
    assert response.json()["rows"] == [
        {"line": 2, "record": None, "field": "unit_type", "message": "Ukjent enhetstype «planet»."}
    ]
    dry = await client.post(
        "/api/v1/directory/imports?dry_run=true",
        content=csv.replace("planet", "avdeling"),
        headers={**kommune.headers("E4"), "content-type": "text/csv"},
    )
    assert dry.status_code == 200
    assert dry.json()["changes"] == [{"kind": "unit", "action": "create", "key": "K9", "detail": "Ny"}]
    in_nynorsk = await client.post(
        "/api/v1/directory/imports",
        content=csv,
        headers={**kommune.headers("E4"), "content-type": "text/csv", "accept-language": "nn"},
    )
    assert in_nynorsk.json()["rows"][0]["message"] == "Ukjend einingstype «planet»."
    assert in_nynorsk.json()["detail"].startswith("Importfila har 1 feil. Ingenting er endra.")
    unreadable = await client.post(
        "/api/v1/directory/imports", content=b"<xml/>", headers={**kommune.headers("E4"), "content-type": "text/xml"}
    )
    assert unreadable.status_code == 415
    for who in ("E5", "E3"):  # an employee, a leader: neither administers the directory, whatever the file
        forbidden = await client.post(
            "/api/v1/directory/imports", content=csv, headers={**kommune.headers(who), "content-type": "text/csv"}
        )
        assert forbidden.status_code == 403


async def test_giving_a_leader_the_leader_role_they_hold_changes_nothing(
    client: httpx.AsyncClient, kommune: Any, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = kommune.headers("E4")
    home = await unit_by_name(client, kommune, "Solsiden")
    leader = kommune.people["E3"]
    before = await events_of(sessions, kommune, "no.varde.roleassignment.changed.v1")
    again = await client.post(
        f"/api/v1/directory/people/{leader}/roles",
        json={"role": "virksomhetsleder", "unit_id": home["id"]},
        headers=admin,
    )
    assert again.status_code == 201, again.text
    roles = (await client.get(f"/api/v1/directory/people/{leader}", headers=admin)).json()["roles"]
    assert [(r["role"], r["unit_name"], r["ends_on"]) for r in roles] == [("virksomhetsleder", "Solsiden", None)]
    assert again.json()["id"] == roles[0]["id"]
    assert await events_of(sessions, kommune, "no.varde.roleassignment.changed.v1") == before


async def test_an_address_or_number_in_use_and_an_unknown_provider_are_each_named(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    answers = {}
    for case, body in (
        ("email", {"name": "Ane Igjen", "email": "ANE@testvik.no"}),
        ("number", {"name": "Ny Person", "email": "ny@testvik.no", "employee_number": "E5"}),
        (
            "provider",
            {
                "name": "Ny Person",
                "email": "ny@testvik.no",
                "identities": [{"provider_id": "00000000-0000-0000-0000-000000000001", "subject": "x"}],
            },
        ),
    ):
        response = await client.post("/api/v1/directory/people", json=body, headers=admin)
        problem = response.json()
        answers[case] = (response.status_code, problem["type"], [(e["field"], e["label"]) for e in problem["errors"]])
    assert answers == {
        "email": (409, "urn:varde:problem:person-email-taken", [("email", "E-postadresse")]),
        "number": (409, "urn:varde:problem:person-employee-number-taken", [("employee_number", "Ansattnummer")]),
        "provider": (
            422,
            "urn:varde:problem:person-identity-provider-unknown",
            [("identities.0.provider_id", "Identiteter › Identitetsleverandør")],
        ),
    }
