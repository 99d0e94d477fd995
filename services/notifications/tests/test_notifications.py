"""From the deviation events to notifications in the inboxes of the people who must act: handler on the real database,
the event router through FastStream's TestKafkaBroker, and the inbox over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from faststream.kafka import KafkaBroker, TestKafkaBroker
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.envelope import Envelope, encode_data, encode_headers
from varde_common.events import (
    DeviationAssigned,
    DeviationClosed,
    MeasureAdded,
    MeasureChanged,
    MeasureOverdue,
)
from varde_common.identity import InternalTokenSigner
from varde_common.kafka import EventRouter
from varde_common.settings import ServiceSettings
from varde_common.testing.factories import TinyOrg, bearer, envelope_of
from varde_notifications.models import Notification
from varde_notifications.service import NotificationService, UnitNotKnownYetError
from varde_notifications.subscribers import register

Inbox = Callable[..., Awaitable[list[dict[str, Any]]]]


def reported(org: TinyOrg, unit_id: uuid.UUID | None = None) -> tuple[DeviationAssigned, Envelope]:
    """The case assigned to the unit's leader when it is reported."""
    now = datetime.now(UTC)
    event = DeviationAssigned(
        deviation_id=uuid.uuid4(),
        unit_id=unit_id or org.unit_id,
        handling_unit_id=unit_id or org.unit_id,
        status="registered",
        occurred_at=now,
        reported_at=now,
        assignee_id=org.unit_leader,
    )
    return event, envelope_of(org, event)


async def notifications_for(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> list[Notification]:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        return list((await session.exec(sa.select(Notification))).scalars())  # type: ignore[call-overload]


async def test_the_leader_of_the_unit_is_told(service: NotificationService, inbox: Inbox, org: TinyOrg) -> None:
    event, envelope = reported(org)
    await service.on_deviation_assigned(envelope, event)
    [told] = await inbox(org.unit_leader)
    assert told["subject_id"] == str(event.deviation_id)
    assert told["title"] == "Nytt avvik å behandle"
    assert "Solsiden sykehjem" in told["body"]


async def test_the_same_event_twice_gives_one_notification(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    event, envelope = reported(org)
    await service.on_deviation_assigned(envelope, event)
    await service.on_deviation_assigned(envelope, event)
    assert len(await notifications_for(sessions, org)) == 1


async def test_an_unknown_unit_is_retried_not_swallowed(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    event, envelope = reported(org, unit_id=uuid.uuid4())
    with pytest.raises(UnitNotKnownYetError):
        await service.on_deviation_assigned(envelope, event)
    assert await notifications_for(sessions, org) == []


async def test_router_routes_cloudevents_and_dead_letters_malformed_ones(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="notifications", settings=ServiceSettings(consumer_retry_delays_s=[0.01]))
    register(router, service)
    router.subscribe()
    dead: list[bytes] = []

    @broker.subscriber("varde.dlq.notifications")
    async def on_dead(body: bytes) -> None:
        dead.append(body)

    event, envelope = reported(org)
    headers = {
        k: v.decode()
        for k, v in encode_headers(
            event_id=envelope.id,
            event_type=event.type,
            source=envelope.source,
            time=envelope.time,
            tenant_id=org.tenant_id,
            subject=None,
            traceparent=None,
        )
    }
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(encode_data(event), topic=event.topic, key=event.key().encode(), headers=headers)
        await test_broker.publish(b"not json at all", topic=event.topic, headers={"content-type": "text/plain"})
    assert [n.subject_id for n in await notifications_for(sessions, org)] == [event.deviation_id]
    assert dead == [b"not json at all"]
    assert router.dead_lettered == 1


async def test_each_person_sees_only_their_own(
    client: httpx.AsyncClient, service: NotificationService, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    event, envelope = reported(org)
    await service.on_deviation_assigned(envelope, event)

    mine = await client.get("/api/v1/notifications", headers=bearer(token_signer, org, org.unit_leader))
    assert mine.status_code == 200
    assert [n["subject_id"] for n in mine.json()["items"]] == [str(event.deviation_id)]
    theirs = await client.get("/api/v1/notifications", headers=bearer(token_signer, org, org.employee))
    assert theirs.json() == {"items": [], "next_cursor": None}
    bad_limit = await client.get("/api/v1/notifications?limit=0", headers=bearer(token_signer, org, org.unit_leader))
    assert bad_limit.status_code == 422
    assert bad_limit.json()["errors"][0]["field"] == "limit"


def case_facts(org: TinyOrg) -> dict[str, object]:
    return {"deviation_id": uuid.uuid4(), "unit_id": org.unit_id, "handling_unit_id": org.unit_id, "status": "closed"}


def escalated(org: TinyOrg, *, automatic: bool) -> DeviationAssigned:
    return DeviationAssigned(
        **{**case_facts(org), "handling_unit_id": org.sector_id, "status": "registered"},
        assignee_id=org.sector_leader,
        reason="escalated",
        automatic=automatic,
    )


async def test_an_escalated_case_reaches_the_leader_above_with_why(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    event = escalated(org, automatic=True)
    await service.on_deviation_assigned(envelope_of(org, event), event)
    [told] = await inbox(org.sector_leader)
    assert told["title"] == "Avvik løftet til deg"
    assert "Helse og omsorg" in told["body"]


async def test_a_leaders_escalation_says_a_leader_lifted_it_and_only_the_deadline_jobs_says_nobody_took_it_in_time(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    by_leader, by_the_job = escalated(org, automatic=False), escalated(org, automatic=True)
    for event in (by_leader, by_the_job):
        await service.on_deviation_assigned(envelope_of(org, event), event)
    bodies = {n["subject_id"]: n["body"] for n in await inbox(org.sector_leader)}
    nynorsk = {n["subject_id"]: n["body"] for n in await inbox(org.sector_leader, "nn")}
    assert (
        bodies[str(by_leader.deviation_id)] == "En leder har løftet et avvik til Helse og omsorg. Du skal behandle det."
    )
    assert "i tide" not in nynorsk[str(by_leader.deviation_id)]
    assert "ikke tatt til behandling i tide" in bodies[str(by_the_job.deviation_id)]
    assert "ikkje teke til handsaming i tide" in nynorsk[str(by_the_job.deviation_id)]


async def test_a_person_reads_the_same_notification_in_bokmal_or_nynorsk(
    client: httpx.AsyncClient, service: NotificationService, token_signer: InternalTokenSigner, org: TinyOrg
) -> None:
    event, envelope = reported(org)
    await service.on_deviation_assigned(envelope, event)
    headers = bearer(token_signer, org, org.unit_leader)
    bokmal = await client.get("/api/v1/notifications", headers=headers)
    nynorsk = await client.get("/api/v1/notifications", headers={**headers, "accept-language": "nn-NO, nb;q=0.5"})
    assert (bokmal.headers["content-language"], nynorsk.headers["content-language"]) == ("nb", "nn")
    [in_bokmal], [in_nynorsk] = bokmal.json()["items"], nynorsk.json()["items"]
    assert in_bokmal["id"] == in_nynorsk["id"]
    assert (in_bokmal["title"], in_bokmal["body"]) == (
        "Nytt avvik å behandle",
        "Et nytt avvik er meldt i Solsiden sykehjem. Du skal ta det til behandling.",
    )
    assert (in_nynorsk["title"], in_nynorsk["body"]) == (
        "Nytt avvik å handsame",
        "Eit nytt avvik er meldt i Solsiden sykehjem. Du skal ta det til handsaming.",
    )


@pytest.mark.parametrize(
    ("due_at", "as_read_in_norway"),
    [
        ("2026-03-31T23:30:00Z", "01.04.2026 kl. 01.30"),  # summer time: UTC+2, already the next day
        ("2026-01-31T22:59:00Z", "31.01.2026 kl. 23.59"),  # winter time: UTC+1, still the same day
        ("2026-01-31T23:00:00Z", "01.02.2026 kl. 00.00"),
        ("2026-03-28T23:30:00Z", "29.03.2026 kl. 00.30"),  # the night the clocks go forward
        ("2026-03-29T23:30:00Z", "30.03.2026 kl. 01.30"),
        ("2026-10-24T23:30:00Z", "25.10.2026 kl. 01.30"),  # the night the clocks go back
        ("2026-10-25T23:30:00Z", "26.10.2026 kl. 00.30"),
    ],
)
async def test_the_deadline_to_acknowledge_is_told_as_the_date_and_time_in_norway(
    service: NotificationService, inbox: Inbox, org: TinyOrg, due_at: str, as_read_in_norway: str
) -> None:
    event, _ = reported(org)
    event = event.model_copy(update={"acknowledge_due_at": datetime.fromisoformat(due_at)})
    await service.on_deviation_assigned(envelope_of(org, event), event)
    [told] = await inbox(org.unit_leader)
    assert told["body"].endswith(f"Frist: {as_read_in_norway}.")


async def test_the_reporter_is_told_of_the_close_but_an_anonymous_reporter_is_not(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    named = DeviationClosed(**case_facts(org), reporter_id=org.employee)
    anonymous = DeviationClosed(**case_facts(org), reporter_id=None)
    await service.on_deviation_closed(envelope_of(org, named), named)
    await service.on_deviation_closed(envelope_of(org, anonymous), anonymous)
    stored = await notifications_for(sessions, org)
    assert [(n.recipient_id, n.kind, n.subject_id) for n in stored] == [
        (org.employee, "deviation.closed", named.deviation_id)
    ]


async def test_measure_owners_are_told_of_new_and_overdue_measures_once(
    service: NotificationService, inbox: Inbox, org: TinyOrg
) -> None:
    facts = {**case_facts(org), "status": "measures", "measure_id": uuid.uuid4(), "owner_id": org.employee}
    added = MeasureAdded(**facts, deadline=date(2030, 1, 31))
    overdue = MeasureOverdue(**facts, deadline=date(2030, 1, 31))
    overdue_envelope = envelope_of(org, overdue)
    await service.on_measure_added(envelope_of(org, added), added)
    await service.on_measure_overdue(overdue_envelope, overdue)
    await service.on_measure_overdue(overdue_envelope, overdue)  # redelivered
    told = await inbox(org.employee)
    assert sorted(n["kind"] for n in told) == ["measure.assigned", "measure.overdue"]
    assert all(n["body"].endswith("Frist: 31.01.2030.") for n in told)


async def test_a_measure_given_to_someone_else_tells_the_new_owner_a_moved_deadline_tells_nobody(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    facts = {**case_facts(org), "status": "measures", "measure_id": uuid.uuid4(), "deadline": date(2030, 3, 1)}
    moved = MeasureChanged(**facts, owner_id=org.employee)
    await service.on_measure_changed(envelope_of(org, moved), moved)
    handed = MeasureChanged(**facts, owner_id=org.unit_leader, owner_changed=True)
    handed_envelope = envelope_of(org, handed)
    await service.on_measure_changed(handed_envelope, handed)
    await service.on_measure_changed(handed_envelope, handed)  # redelivered
    stored = await notifications_for(sessions, org)
    assert [(n.recipient_id, n.kind) for n in stored] == [(org.unit_leader, "measure.assigned")]
