"""Risk owns the kommune's acceptance criteria: one source for ``GET /matrix``, the SVG's colours and every risk's
level. The directory's kommune settings once carried a matrix of their own that disagreed (probability 5 ×
consequence 2 red there, yellow here); whatever the directory's copy still says, risk does not read it."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import replica_tenant
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, grant_role
from varde_risk.domain import DEFAULT_COLOURS, DEFAULT_GRID, Zone
from varde_risk.svg_layout import cell_box

API = "/api/v1/risk"
NS = "{http://www.w3.org/2000/svg}"


def cell_colour(svg_text: str, probability: int, consequence: int) -> str:
    svg = ET.fromstring(svg_text)  # noqa: S314 (our own service's answer, not untrusted input)
    box = cell_box(probability, consequence)
    for rect in svg.iter(f"{NS}rect"):
        if rect.get("class") == "cell" and (float(rect.get("x", 0)), float(rect.get("y", 0))) == (box.x, box.y):
            return rect.get("fill", "")
    raise AssertionError("no such cell")


def cell_level(svg_text: str, probability: int, consequence: int) -> str:
    """The level a cell says in words (the text in its top band), so colour is not its only carrier."""
    svg = ET.fromstring(svg_text)  # noqa: S314 (our own service's answer, not untrusted input)
    box = cell_box(probability, consequence)
    for text in svg.iter(f"{NS}text"):
        if text.get("class") == "level" and box.contains((float(text.get("x", 0)), float(text.get("y", 0)))):
            return text.text or ""
    raise AssertionError("no level in the cell")


async def test_the_default_and_the_kommunes_own_criteria_are_what_the_matrix_the_svg_and_the_levels_use(
    client: httpx.AsyncClient,
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # The directory's copy of the kommune still carries its old matrix, red at probability 5 × consequence 2.
    red_row = ["red"] * 5
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.update(replica_tenant)
            .where(replica_tenant.c.tenant_id == org.tenant_id)
            .values(settings={"risk_acceptance": [red_row] * 5})
        )
    leader = bearer(token_signer, org, org.unit_leader)
    matrix = (await client.get(f"{API}/matrix", headers=leader)).json()
    assert matrix["is_default"] is True
    assert matrix["grid"] == [[zone.value for zone in row] for row in DEFAULT_GRID]
    assert matrix["grid"][1][4] == "yellow"  # [consequence 2][probability 5]

    body = {"title": "ROS strøm", "kind": "hms", "unit_id": str(org.unit_id)}
    url = f"{API}/assessments/{(await client.post(f'{API}/assessments', json=body, headers=leader)).json()['id']}"
    risk = await client.post(
        f"{url}/risks", json={"title": "Strømbrudd", "probability": 5, "consequence": 2}, headers=leader
    )
    assert (risk.json()["zone"], risk.json()["level_label"]) == ("yellow", "Tiltak skal vurderes")
    drawn = await client.get(f"{url}/matrix.svg", headers=leader)
    assert cell_colour(drawn.text, 5, 2) == DEFAULT_COLOURS[Zone.MEASURES]
    assert cell_level(drawn.text, 5, 2) == "Vurder tiltak"

    # The kommune's quality adviser sets its own criteria: the same three places follow them.
    adviser = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC))
    own = [[zone.value for zone in row] for row in DEFAULT_GRID]
    own[1][4] = "red"
    colours = {"red": "#b00020", "yellow": "#ffd54f", "green": "#1b5e20"}
    changed = await client.put(
        f"{API}/matrix", json={"grid": own, "colours": colours}, headers=bearer(token_signer, org, adviser)
    )
    assert changed.status_code == 200, changed.text
    matrix = (await client.get(f"{API}/matrix", headers=leader)).json()
    assert (matrix["is_default"], matrix["grid"], matrix["colours"]["red"]) == (False, own, "#b00020")
    read = (await client.get(url, headers=leader)).json()
    assert [(r["zone"], r["above_acceptance"]) for r in read["risk_list"]] == [("red", True)]
    drawn = await client.get(f"{url}/matrix.svg", headers=leader)
    assert cell_colour(drawn.text, 5, 2) == "#b00020"
    assert cell_colour(drawn.text, 4, 2) == "#ffd54f"
    assert (cell_level(drawn.text, 5, 2), cell_level(drawn.text, 4, 2)) == ("Uakseptabel", "Vurder tiltak")
    history = (await client.get(f"{url}/history", headers=leader)).json()["items"]
    assert [h["details"]["zone"] for h in history if h["action"] == "criteria_changed"] == ["red"]
