"""A person's inbox over HTTP: a page at a time, the newest first, with a cursor that holds while new
notifications arrive; how many are unread; marking some, one or all of them read, never someone else's nor
another kommune's."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import InternalTokenSigner
from varde_common.testing.factories import TinyOrg, bearer, seed_tiny_org
from varde_notifications.domain import NotificationKind
from varde_notifications.models import Notification

Inbox = Callable[..., Awaitable[list[dict[str, Any]]]]


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


async def unread_of(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.get("/api/v1/notifications/unread-count", headers=headers)
    assert response.status_code == 200, response.text
    unread: int = response.json()["unread"]
    return unread


def ids(notifications: list[dict[str, Any]]) -> list[str]:
    return [n["id"] for n in notifications]


async def test_reading_one_answers_it_as_the_list_shows_it_and_reading_it_again_keeps_the_first_time(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    inbox: Inbox,
) -> None:
    newer, older = await stored_for(sessions, org, org.unit_leader, 2)
    headers = {**bearer(token_signer, org, org.unit_leader), "accept-language": "nn"}
    read = await client.post(f"/api/v1/notifications/{older}/read", headers=headers)
    assert read.status_code == 200, read.text
    assert read.headers["content-language"] == "nn"
    first_read_at = read.json()["read_at"]
    assert first_read_at is not None
    listed = await inbox(org.unit_leader, "nn")
    assert ids(listed) == [str(newer), str(older)]
    assert listed[1] == read.json()  # the same model, in the same målform

    again = await client.post(f"/api/v1/notifications/{older}/read", headers=headers)
    assert again.status_code == 200, again.text
    assert again.json()["read_at"] == first_read_at
    assert ids(await inbox(org.unit_leader, unread_only="true")) == [str(newer)]
    assert await unread_of(client, headers) == 1


async def test_reading_someone_elses_or_a_missing_notification_is_not_found_and_changes_nothing(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    inbox: Inbox,
) -> None:
    [leaders] = await stored_for(sessions, org, org.unit_leader, 1)
    [own] = await stored_for(sessions, org, org.employee, 1)
    nynorsk = {**bearer(token_signer, org, org.employee), "accept-language": "nn"}
    for other in (leaders, uuid.uuid4()):
        response = await client.post(f"/api/v1/notifications/{other}/read", headers=nynorsk)
        assert response.status_code == 404
        problem = response.json()
        assert problem["type"] == "urn:varde:problem:notification-not-found"
        assert problem["detail"] == f"Du har ikkje noko varsel med id {other}. Hent lista over varsla dine på nytt."
    assert ids(await inbox(org.unit_leader, unread_only="true")) == [str(leaders)]
    assert ids(await inbox(org.employee, unread_only="true")) == [str(own)]


async def test_another_kommunes_notification_is_not_found_even_for_the_same_person_and_stays_unread(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    inbox: Inbox,
) -> None:
    # The same person id in two kommuner: only row-level security tells the rows apart.
    other = await seed_tiny_org(sessions, slug="nabokommune")
    [theirs] = await stored_for(sessions, other, org.employee, 1)
    [own] = await stored_for(sessions, org, org.employee, 1)
    here = bearer(token_signer, org, org.employee)
    response = await client.post(f"/api/v1/notifications/{theirs}/read", headers=here)
    assert response.status_code == 404
    assert response.json()["type"] == "urn:varde:problem:notification-not-found"
    assert await unread_of(client, here) == 1
    assert (await client.post("/api/v1/notifications/read-all", headers=here)).json() == {"marked": 1}
    assert ids(await inbox(org.employee)) == [str(own)]

    there = bearer(token_signer, other, org.employee)
    assert await unread_of(client, there) == 1
    unread = await client.get("/api/v1/notifications", params={"unread_only": "true"}, headers=there)
    assert ids(unread.json()["items"]) == [str(theirs)]


async def test_read_all_marks_the_callers_unread_ones_says_how_many_and_keeps_when_one_was_first_read(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
    inbox: Inbox,
) -> None:
    newest, _, oldest = await stored_for(sessions, org, org.unit_leader, 3)
    await stored_for(sessions, org, org.employee, 2)
    leader = bearer(token_signer, org, org.unit_leader)
    assert await unread_of(client, leader) == 3
    first_read_at = (await client.post(f"/api/v1/notifications/{oldest}/read", headers=leader)).json()["read_at"]
    assert await unread_of(client, leader) == 2

    marked = await client.post("/api/v1/notifications/read-all", headers=leader)
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 2}
    assert await unread_of(client, leader) == 0
    assert await inbox(org.unit_leader, unread_only="true") == []
    read_at = {n["id"]: n["read_at"] for n in await inbox(org.unit_leader)}
    assert read_at[str(oldest)] == first_read_at
    assert read_at[str(newest)] is not None

    assert (await client.post("/api/v1/notifications/read-all", headers=leader)).json() == {"marked": 0}
    assert await unread_of(client, bearer(token_signer, org, org.employee)) == 2


async def test_the_unread_list_pages_with_a_cursor_past_the_ones_read(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
) -> None:
    newest_first = await stored_for(sessions, org, org.employee, 6)
    headers = bearer(token_signer, org, org.employee)
    for read in (newest_first[1], newest_first[2], newest_first[4]):
        assert (await client.post(f"/api/v1/notifications/{read}/read", headers=headers)).status_code == 200
    params: dict[str, str | int] = {"limit": 2, "unread_only": "true"}
    pages = [(await client.get("/api/v1/notifications", params=params, headers=headers)).json()]
    while pages[-1]["next_cursor"]:
        params["cursor"] = pages[-1]["next_cursor"]
        pages.append((await client.get("/api/v1/notifications", params=params, headers=headers)).json())
    unread = [newest_first[0], newest_first[3], newest_first[5]]
    assert [n["id"] for page in pages for n in page["items"]] == [str(i) for i in unread]
    assert [len(page["items"]) for page in pages] == [2, 1]
    assert all(n["read_at"] is None for page in pages for n in page["items"])
