"""Searching the list of cases finds what people write, in both målformer, and shows which words matched."""

from __future__ import annotations

import httpx

from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer


async def test_a_search_in_bokmål_finds_a_nynorsk_report_and_marks_the_words(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    employee, leader = bearer(token_signer, org, org.employee), bearer(token_signer, org, org.unit_leader)
    report = {
        "title": "Røykvarslarane på sjukeheimen",
        "description": (
            "Røykvarslarane på medisinrommet var ikkje testa. <script>alert(1)</script>Handvasken var øydelagd."
        ),
        "unit_id": str(org.unit_id),
        "occurred_at": "2026-11-01T10:00:00+01:00",
    }
    created = await client.post("/api/v1/deviations", json=report, headers=employee)
    other = await client.post(
        "/api/v1/deviations",
        json={**report, "title": "Glatt føre", "description": "Is ved inngangen."},
        headers=employee,
    )
    assert created.status_code == other.status_code == 201

    response = await client.get("/api/v1/deviations", params={"q": "håndvask sykehjem medisin"}, headers=leader)
    assert response.status_code == 200, response.text
    (hit,) = response.json()["items"]
    assert hit["id"] == created.json()["id"]
    assert [part["text"] for part in hit["title_highlight"] if part["match"]] == ["sjukeheimen"]
    assert [part["text"] for part in hit["highlight"] if part["match"]] == ["medisinrommet", "Handvasken"]
    # Markup in an author's text is left out of the excerpt, and what is left is text for the client to render as
    # text: the marks are the parts, never markup.
    excerpt = "".join(part["text"] for part in hit["highlight"])
    assert "<" not in excerpt
    assert "alert(1) Handvasken" in excerpt

    plain = (await client.get("/api/v1/deviations", headers=leader)).json()["items"]
    assert {item["highlight"] is None for item in plain} == {True}  # no search, no excerpt
