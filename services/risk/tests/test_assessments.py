"""A ROS-analyse over HTTP: the nursing home's leader starts it with an employee taking part, registers risks rated
per dimension, one above the acceptance line is raised to the leader above, measures are added and completed,
the owner cannot approve it but the leader above can, the kommune's criteria change and every risk is
re-evaluated, the picture is drawn, and the history keeps every step."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, grant_role, outbox_events

API = "/api/v1/risk"
SVG = "{http://www.w3.org/2000/svg}"


async def test_an_assessment_from_first_risk_to_the_picture_on_the_wall(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    leader, above = bearer(token_signer, org, org.unit_leader), bearer(token_signer, org, org.sector_leader)
    employee = bearer(token_signer, org, org.employee)
    body = {
        "title": "ROS legemiddelhåndtering",
        "kind": "virksomhetsstyring",
        "unit_id": str(org.unit_id),
        "participants": [str(org.employee)],
    }
    refused = await client.post(f"{API}/assessments", json=body, headers=employee)
    assert refused.status_code == 403  # an employee takes part but does not own assessments
    created = await client.post(f"{API}/assessments", json=body, headers=leader)
    assert created.status_code == 201, created.text
    assessment = created.json()
    assert (assessment["status"], assessment["owner_id"]) == ("preparation", str(org.unit_leader))
    url = f"{API}/assessments/{assessment['id']}"

    wrong = await client.post(f"{url}/risks", json={"title": "Uten vurdering", "probability": 3}, headers=leader)
    assert wrong.status_code == 422  # no consequence given
    risk = {
        "title": "Feil legemiddel gis til beboer",
        "causes": ["Travle vakter", " Travle vakter "],
        "probability": 4,
        "consequences": {"liv_og_helse": 4, "omdomme": 2},
        "target_probability": 2,
        "target_consequence": 3,
    }
    high = await client.post(f"{url}/risks", json=risk, headers=employee)  # a participant registers it
    assert high.status_code == 201, high.text
    placed = high.json()
    assert (
        placed["marker"],
        placed["target_marker"],
        placed["consequence"],
        placed["zone"],
        placed["target_zone"],
    ) == (
        "X1",
        "Y1",
        4,
        "red",
        "yellow",
    )
    assert placed["causes"] == ["Travle vakter"]
    low = await client.post(
        f"{url}/risks", json={"title": "Nøkkel borte", "probability": 2, "consequence": 2}, headers=leader
    )
    assert low.json()["zone"] == "green"

    said = await outbox_events(sessions, org, uuid.UUID(assessment["id"]))
    above_line = [e for e in said if e["type"] == "aboveacceptance"]
    assert [e["leader_id"] for e in above_line] == [str(org.sector_leader)]
    for event in said:  # titles and causes stay in the service
        assert "legemiddel" not in str(event).lower()

    # Rated again while still red: no second alarm; rated down and up again: a new one.
    rating = f"{url}/risks/{placed['id']}/rating"
    await client.put(rating, json={"probability": 5, "consequence": 4}, headers=leader)
    await client.put(rating, json={"probability": 2, "consequence": 2}, headers=leader)
    back = {"probability": 4, "consequence": 4, "target_probability": 2, "target_consequence": 3}
    await client.put(rating, json=back, headers=leader)
    said = await outbox_events(sessions, org, uuid.UUID(assessment["id"]))
    assert [e["type"] for e in said].count("aboveacceptance") == 2
    assert [e["type"] for e in said].count("rated") == 3

    measure = await client.post(
        f"{url}/risks/{placed['id']}/measures",
        json={"title": "Strekkodeskanning", "owner_id": str(org.employee), "deadline": "2027-03-01"},
        headers=leader,
    )
    assert measure.status_code == 201, measure.text
    done = await client.post(f"{url}/risks/{placed['id']}/measures/{measure.json()['id']}/complete", headers=employee)
    assert done.json()["done_at"] is not None
    again = await client.post(f"{url}/risks/{placed['id']}/measures/{measure.json()['id']}/complete", headers=leader)
    assert again.status_code == 409

    own = await client.post(f"{url}/approve", headers=leader)
    assert own.status_code == 403  # the owner's leader level approves, not the owner
    approved = await client.post(f"{url}/approve", headers=above)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["review_due"] is not None) == ("active", True)

    # The kommune's quality adviser at the top tightens the criteria: the green risk turns yellow, is recorded.
    adviser = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC))
    matrix = (await client.get(f"{API}/matrix", headers=employee)).json()
    assert (matrix["is_default"], matrix["level_labels"][4]) == (True, "Svært høy")
    grid = matrix["grid"]
    grid[1][1] = "yellow"
    assert (await client.put(f"{API}/matrix", json={"grid": grid}, headers=leader)).status_code == 403
    changed = await client.put(f"{API}/matrix", json={"grid": grid}, headers=bearer(token_signer, org, adviser))
    assert changed.status_code == 200, changed.text
    now_read = (await client.get(url, headers=employee)).json()
    assert [r["zone"] for r in now_read["risk_list"]] == ["red", "yellow"]
    backwards = [[*row] for row in grid]
    backwards[4][4] = "green"
    assert (
        await client.put(f"{API}/matrix", json={"grid": backwards}, headers=bearer(token_signer, org, adviser))
    ).status_code == 422

    picture = (await client.get(f"{API}/picture", params={"unit_id": str(org.sector_id)}, headers=above)).json()
    assert (picture["total"], picture["cells"][3][3], picture["target_cells"][2][1]) == (2, 1, 1)
    assert (picture["top"][0]["marker"], picture["top"][0]["target_marker"]) == ("X1.1", "Y1.1")  # ROS 1, risk 1
    assert (
        await client.get(f"{API}/picture", params={"unit_id": str(org.unit_id)}, headers=employee)
    ).status_code == 403
    drawn = await client.get(f"{url}/matrix.svg", headers=employee)
    assert drawn.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(drawn.text)  # noqa: S314 (our own service's answer, not untrusted input)
    assert svg.find(f"{SVG}title").text == "ROS legemiddelhåndtering"  # type: ignore[union-attr]
    description = svg.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "X1 Feil legemiddel gis til beboer: sannsynlighet 4, konsekvens 4" in description
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"X1", "X2", "Sannsynlighet", "Konsekvens", "5 Svært høy"} <= set(texts)
    assert sum(1 for _ in svg.iter(f"{SVG}polygon")) == 1  # X1's arrow to its target Y1; X2 has none

    listed = (await client.get(f"{API}/assessments", headers=employee)).json()["items"]  # a participant sees it
    assert [(a["id"], a["risks"], a["above_acceptance"]) for a in listed] == [(assessment["id"], 2, 1)]

    history = (await client.get(f"{url}/history", params={"limit": 100}, headers=leader)).json()["items"]
    actions = [h["action"] for h in history]
    for expected in (
        "created",
        "risk_registered",
        "above_acceptance",
        "risk_rated",
        "measure_added",
        "measure_completed",
        "approved",
        "criteria_changed",
    ):
        assert expected in actions, expected
    stranger = bearer(token_signer, org, uuid.uuid4())
    assert (await client.get(url, headers=stranger)).status_code == 404
