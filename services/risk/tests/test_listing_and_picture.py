"""The leader's list of assessments page by page, the approval queue, sending for approval, and the risk picture
of a unit that counts every risk of its active assessments per cell and draws the top list."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer

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
