"""A person's inbox over HTTP: a page at a time, the newest first, with a cursor that holds while new
notifications arrive; marking notifications read, never someone else's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer
from varde_notifications.domain import NotificationKind
from varde_notifications.models import Notification


async def stored_for(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg, person: uuid.UUID, count: int, *, ago_h: int = 1
) -> list[uuid.UUID]:
    """``count`` notifications for ``person``, one a minute from ``ago_h`` hours ago; their ids, the newest first."""
    start = datetime.now(UTC) - timedelta(hours=ago_h)
    notifications = [
        Notification(
            tenant_id=org.tenant_id,
            recipient_id=person,
            kind=NotificationKind.DEVIATION_CLOSED,
            text_key=NotificationKind.DEVIATION_CLOSED,
            subject_type="deviation",
            subject_id=uuid.uuid4(),
            source_event_id=uuid.uuid4(),
            created_at=start + timedelta(minutes=minute),
        )
        for minute in range(count)
    ]
    async with tenant_transaction(sessions, org.tenant_id) as session:
        session.add_all(notifications)
    return [n.id for n in reversed(notifications)]


async def test_the_inbox_comes_a_page_at_a_time_the_newest_first(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
) -> None:
    newest_first = await stored_for(sessions, org, org.employee, 5)
    headers = bearer(token_signer, org, org.employee)
    first = (await client.get("/api/v1/notifications", params={"limit": 2}, headers=headers)).json()
    assert [n["id"] for n in first["items"]] == [str(i) for i in newest_first[:2]]
    await stored_for(
        sessions, org, org.employee, 1, ago_h=0
    )  # arrives between two pages: not seen twice, nothing skipped
    pages = [first]
    while pages[-1]["next_cursor"]:
        params = {"limit": 2, "cursor": pages[-1]["next_cursor"]}
        pages.append((await client.get("/api/v1/notifications", params=params, headers=headers)).json())
    assert [n["id"] for page in pages for n in page["items"]] == [str(i) for i in newest_first]
    assert [len(page["items"]) for page in pages] == [2, 2, 1]


async def test_a_cursor_that_is_not_ours_is_a_problem_naming_the_cursor(
    client: httpx.AsyncClient, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    response = await client.get(
        "/api/v1/notifications",
        params={"cursor": "bm90LWEtY3Vyc29y"},
        headers={**bearer(token_signer, org, org.employee), "accept-language": "nn"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:varde:problem:invalid-cursor"
    assert problem["errors"][0]["field"] == "cursor"
    assert "ikkje gyldig" in problem["detail"]


async def test_notifications_marked_read_leave_the_unread_list_and_keep_when_they_were_first_read(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
) -> None:
    newest, newer, older = await stored_for(sessions, org, org.unit_leader, 3)
    headers = bearer(token_signer, org, org.unit_leader)

    async def unread() -> list[str]:
        response = await client.get("/api/v1/notifications", params={"unread_only": "true"}, headers=headers)
        return [n["id"] for n in response.json()["items"]]

    read = await client.post("/api/v1/notifications/read", json={"notification_ids": [str(older)]}, headers=headers)
    assert read.status_code == 204, read.text
    assert await unread() == [str(newest), str(newer)]
    everything = (await client.get("/api/v1/notifications", headers=headers)).json()["items"]
    first_read_at = {n["id"]: n["read_at"] for n in everything}[str(older)]
    assert first_read_at is not None

    both = {"notification_ids": [str(older), str(newer)]}
    assert (await client.post("/api/v1/notifications/read", json=both, headers=headers)).status_code == 204
    assert await unread() == [str(newest)]
    everything = (await client.get("/api/v1/notifications", headers=headers)).json()["items"]
    assert {n["id"]: n["read_at"] for n in everything}[str(older)] == first_read_at


async def test_someone_elses_notification_is_unknown_and_nothing_is_marked(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
) -> None:
    [leaders] = await stored_for(sessions, org, org.unit_leader, 1)
    [own] = await stored_for(sessions, org, org.employee, 1)
    for other in (leaders, uuid.uuid4()):
        response = await client.post(
            "/api/v1/notifications/read",
            json={"notification_ids": [str(own), str(other)]},
            headers={**bearer(token_signer, org, org.employee), "accept-language": "nn"},
        )
        assert response.status_code == 422
        problem = response.json()
        assert problem["type"] == "urn:varde:problem:notification-unknown"
        assert problem["detail"] == (
            f"Du har ikkje noko varsel med id {other}. Ingen av varsla er merkt som lesne. Hent lista på nytt, og "
            "prøv igjen."
        )
        assert problem["errors"][0]["label"] == "Varsel"  # the label in nynorsk too
    for person, notification_id in ((org.unit_leader, leaders), (org.employee, own)):
        unread = await client.get(
            "/api/v1/notifications", params={"unread_only": "true"}, headers=bearer(token_signer, org, person)
        )
        assert [n["id"] for n in unread.json()["items"]] == [str(notification_id)]
