"""The leader's list of assessments page by page, the approval queue, sending for approval, and the risk picture
of a unit that counts every risk of its active assessments per cell and draws the top list."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.db import tenant_transaction
from varde_common.directory_replica import apply_role_assignment_changed
from varde_common.events import RoleAssignmentChanged
from varde_common.identity import InternalTokenSigner
from varde_common.roles import Role
from varde_common.testing.factories import TinyOrg, bearer, person_with_role

API = "/api/v1/risk"
SVG = "{http://www.w3.org/2000/svg}"


async def test_the_list_comes_in_pages_and_the_approval_queue_shows_what_was_sent(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    ids = []
    for n in range(5):
        body = {"title": f"ROS {n}", "kind": "hms", "unit_id": str(org.unit_id)}
        ids.append((await client.post(f"{API}/assessments", json=body, headers=leader)).json()["id"])

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"{API}/assessments", params=params, headers=above)).json()
        seen += [a["id"] for a in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert (seen, pages) == (ids, 3)
    bad = await client.get(f"{API}/assessments", params={"cursor": "ikke-en-markør"}, headers=above)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"

    employee = bearer(token_signer, org, org.employee)
    assert (await client.post(f"{API}/assessments/{ids[1]}/submit", headers=employee)).status_code == 404
    sent = await client.post(f"{API}/assessments/{ids[1]}/submit", headers=leader)
    assert sent.status_code == 200, sent.text
    assert (sent.json()["awaiting_approval"], "submit" in sent.json()["allowed_actions"]) == (True, False)
    assert (await client.post(f"{API}/assessments/{ids[1]}/submit", headers=leader)).status_code == 409
    queue = (await client.get(f"{API}/assessments", params={"awaiting_approval": "true"}, headers=above)).json()
    assert [a["id"] for a in queue["items"]] == [ids[1]]
    approved = (await client.post(f"{API}/assessments/{ids[1]}/approve", headers=above)).json()
    assert (approved["status"], approved["awaiting_approval"]) == ("active", False)
    assert (await client.post(f"{API}/assessments/{ids[1]}/submit", headers=leader)).status_code == 409
    queue = (await client.get(f"{API}/assessments", params={"awaiting_approval": "true"}, headers=above)).json()
    assert queue["items"] == []
    history = (await client.get(f"{API}/assessments/{ids[1]}/history", headers=leader)).json()["items"]
    submitted = next(h for h in history if h["action"] == "submitted")
    assert submitted["details"]["approver_id"] == str(org.sector_leader)
    assert submitted["details"]["approver_name"] == org.name_of(org.sector_leader)


async def test_a_units_picture_counts_every_risk_per_cell_and_draws_the_top_list(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    expected = [[0] * 5 for _ in range(5)]
    for title, active in (("ROS A", True), ("ROS B", True), ("ROS under arbeid", False)):
        body = {"title": title, "kind": "hms", "unit_id": str(org.unit_id)}
        assessment = (await client.post(f"{API}/assessments", json=body, headers=leader)).json()
        for n in range(7):
            probability, consequence = 1 + n % 5, 1 + (n * 2) % 5
            risk = {"title": f"{title} risiko {n}", "probability": probability, "consequence": consequence}
            assert (
                await client.post(f"{API}/assessments/{assessment['id']}/risks", json=risk, headers=leader)
            ).status_code == 201
            if active:
                expected[consequence - 1][probability - 1] += 1
        if active:
            await client.post(f"{API}/assessments/{assessment['id']}/approve", headers=above)

    picture = (await client.get(f"{API}/picture", params={"unit_id": str(org.sector_id)}, headers=above)).json()
    assert (picture["total"], picture["cells"]) == (14, expected)  # the assessment in preparation is not in it
    assert len(picture["risks"]) == len(picture["top"]) == 10
    scores = [r["probability"] * r["consequence"] for r in picture["top"]]
    assert scores == sorted(scores, reverse=True)
    assert picture["scope"] == "Risikobilde for Helse og omsorg"

    drawn = await client.get(f"{API}/picture.svg", params={"unit_id": str(org.sector_id)}, headers=above)
    svg = ET.fromstring(drawn.text)  # noqa: S314 (our own service's answer, not untrusted input)
    counts = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "count"]
    assert sorted(int(c or 0) for c in counts) == sorted(n for row in expected for n in row if n)
    description = svg.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert description.startswith("Risikoer i en 5×5-matrise, sannsynlighet bortover og konsekvens oppover: 14 i alt.")
    assert "Merkene viser de 10 høyeste risikoene." in description
    assert "sannsynlighet 5, konsekvens 4: 2" in description


async def test_a_list_as_long_as_a_whole_number_of_pages_ends_on_a_full_page(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    leader = bearer(token_signer, org, org.unit_leader)
    ids = []
    for n in range(3):
        body = {"title": f"ROS {n}", "kind": "hms", "unit_id": str(org.unit_id)}
        ids.append((await client.post(f"{API}/assessments", json=body, headers=leader)).json()["id"])
    url = f"{API}/assessments/{ids[0]}"
    await client.post(f"{url}/risks", json={"title": "Brann", "probability": 1, "consequence": 1}, headers=leader)

    for path, length in ((f"{API}/assessments", 3), (f"{url}/history", 2)):
        whole = await client.get(path, params={"limit": length}, headers=leader)
        assert (len(whole.json()["items"]), whole.json()["next_cursor"]) == (length, None)
        first = (await client.get(path, params={"limit": 1}, headers=leader)).json()
        assert first["next_cursor"] is not None  # a page of one, with more behind it


async def test_the_one_who_made_an_assessment_finds_it_in_the_list_as_long_as_she_may_open_it(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A stand-in leader makes an assessment for the unit's leader; her role ends, but she made it: access.py lets
    # her open it, and the list shows it to her.
    stand_in, role = await person_with_role(sessions, org, org.unit_id, "virksomhetsleder")
    made_by = bearer(token_signer, org, stand_in)
    body = {"title": "ROS smitte", "kind": "hms", "unit_id": str(org.unit_id), "owner_id": str(org.unit_leader)}
    created = (await client.post(f"{API}/assessments", json=body, headers=made_by)).json()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        ended = RoleAssignmentChanged(
            assignment_id=role,
            person_id=stand_in,
            unit_id=org.unit_id,
            role=Role.VIRKSOMHETSLEDER,
            ends_on=oslo_today() - timedelta(days=1),
        )
        await apply_role_assignment_changed(session, org.tenant_id, ended, datetime.now(UTC))
    assert (await client.get(f"{API}/assessments/{created['id']}", headers=made_by)).status_code == 200

    listed = (await client.get(f"{API}/assessments", headers=made_by)).json()

    assert [a["id"] for a in listed["items"]] == [created["id"]]


async def test_the_list_says_what_each_assessment_covers_and_the_matrix_names_the_consequence_dimensions(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    """A list of ROS-analyser shows what each is of (the unit, or the project or system it names), so a client need
    not open each; and a rating form lists the dimensions a consequence may be given in, in the reader's målform."""
    leader = bearer(token_signer, org, org.unit_leader)
    bodies = [
        {"title": "ROS for sjukeheimen", "kind": "hms", "unit_id": str(org.unit_id)},
        {
            "title": "ROS for nytt journalsystem",
            "kind": "informasjonssikkerhet",
            "scope_kind": "information_system",
            "scope_name": "Fagsystem for pleie",
            "unit_id": str(org.unit_id),
        },
    ]
    for body in bodies:
        assert (await client.post(f"{API}/assessments", json=body, headers=leader)).status_code == 201
    listed = (await client.get(f"{API}/assessments", headers=leader)).json()["items"]
    assert [(a["title"], a["scope_kind"], a["scope_name"]) for a in listed] == [
        ("ROS for nytt journalsystem", "information_system", "Fagsystem for pleie"),
        ("ROS for sjukeheimen", "unit", None),
    ]
    nynorsk = (await client.get(f"{API}/matrix", headers={**leader, "accept-language": "nn"})).json()
    assert nynorsk["dimension_labels"] == {
        "liv_og_helse": "Liv og helse",
        "tjenesteleveranse": "Tenesteleveranse",
        "okonomi": "Økonomi",
        "omdomme": "Omdøme",
        "miljo": "Miljø",
    }
