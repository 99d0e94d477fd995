"""A kommune's settings: a change names only what it changes, and the acceptance matrix belongs to risk."""

from __future__ import annotations

from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.outbox import outbox_table

TENANT = "/api/v1/directory/tenant"


async def published_settings(sessions: async_sessionmaker[AsyncSession], kommune: Any) -> dict[str, Any]:
    async with tenant_transaction(sessions, kommune.tenant_id) as session:
        rows = await session.execute(
            sa.select(outbox_table.c.data)
            .where(outbox_table.c.type == "no.varde.tenant.changed.v1")
            .order_by(outbox_table.c.seq.desc())
        )
        latest: dict[str, Any] = rows.scalars().first()
    return dict(latest["settings"])


async def test_a_partial_settings_object_changes_only_what_it_names(
    client: httpx.AsyncClient, kommune: Any, sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = kommune.headers("E4")
    first = await client.patch(
        TENANT, json={"settings": {"acknowledge_deadline_hours": 24, "anonymous_reporting": True}}, headers=admin
    )
    assert first.status_code == 200, first.text

    second = await client.patch(TENANT, json={"settings": {"anonymous_reporting": False}}, headers=admin)

    assert second.status_code == 200, second.text
    settings = second.json()["settings"]
    assert settings["acknowledge_deadline_hours"] == 24  # kept, not back to the default 72
    assert settings["anonymous_reporting"] is False
    assert (await published_settings(sessions, kommune))["acknowledge_deadline_hours"] == 24
    renamed = await client.patch(TENANT, json={"name": "Testvik herad"}, headers=admin)
    assert renamed.json()["settings"] == settings
    back = await client.patch(TENANT, json={"settings": {"acknowledge_deadline_hours": None}}, headers=admin)
    assert back.json()["settings"] == {**settings, "acknowledge_deadline_hours": 72}  # null: the default again


async def test_unit_types_given_replace_the_list_and_a_type_in_use_cannot_go(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    types = (await client.get(TENANT, headers=admin)).json()["settings"]["unit_types"]
    with_team = [*types, {"key": "team", "name": "Team", "leader_role": "avdelingsleder"}]
    added = await client.patch(TENANT, json={"settings": {"unit_types": with_team}}, headers=admin)
    assert added.status_code == 200, added.text
    assert [t["key"] for t in added.json()["settings"]["unit_types"]] == [t["key"] for t in with_team]

    without_team = await client.patch(TENANT, json={"settings": {"unit_types": types}}, headers=admin)
    assert [t["key"] for t in without_team.json()["settings"]["unit_types"]] == [t["key"] for t in types]

    in_use = [t for t in types if t["key"] != "avdeling"]  # Solsiden A and B are avdelinger
    refused = await client.patch(TENANT, json={"settings": {"unit_types": in_use}}, headers=admin)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "urn:varde:problem:tenant-unit-type-in-use"
    assert problem["errors"][0]["field"] == "settings.unit_types"
    assert "avdeling" in problem["detail"]


async def test_the_acceptance_matrix_is_set_in_risk_and_the_directory_says_so(
    client: httpx.AsyncClient, kommune: Any
) -> None:
    admin = kommune.headers("E4")
    assert "risk_acceptance" not in (await client.get(TENANT, headers=admin)).json()["settings"]

    refused = await client.patch(
        TENANT, json={"settings": {"risk_acceptance": [["green"] * 5] * 5}}, headers={**admin, "accept-language": "nn"}
    )

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "urn:varde:problem:tenant-risk-acceptance-moved"
    assert "/api/v1/risk/matrix" in problem["detail"]
    assert problem["errors"][0]["field"] == "settings.risk_acceptance"
    assert "ikkje" in problem["detail"]  # in the caller's nynorsk
