"""From the deviation events to notifications in the inboxes of the people who must act: handler on the real database,
the event router through FastStream's TestKafkaBroker, and the inbox over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

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


async def test_the_leader_of_the_unit_is_told(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    event, envelope = reported(org)
    await service.on_deviation_assigned(envelope)
    stored = await notifications_for(sessions, org)
    assert [(n.recipient_id, n.subject_id) for n in stored] == [(org.unit_leader, event.deviation_id)]
    assert "Solsiden sykehjem" in stored[0].body


async def test_the_same_event_twice_gives_one_notification(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    _, envelope = reported(org)
    await service.on_deviation_assigned(envelope)
    await service.on_deviation_assigned(envelope)
    assert len(await notifications_for(sessions, org)) == 1


async def test_an_unknown_unit_is_retried_not_swallowed(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    _, envelope = reported(org, unit_id=uuid.uuid4())
    with pytest.raises(UnitNotKnownYetError):
        await service.on_deviation_assigned(envelope)
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
    await service.on_deviation_assigned(envelope)

    mine = await client.get("/api/v1/notifications", headers=bearer(token_signer, org, org.unit_leader))
    assert mine.status_code == 200
    assert [n["subject_id"] for n in mine.json()] == [str(event.deviation_id)]
    theirs = await client.get("/api/v1/notifications", headers=bearer(token_signer, org, org.employee))
    assert theirs.json() == []
    bad_limit = await client.get("/api/v1/notifications?limit=0", headers=bearer(token_signer, org, org.unit_leader))
    assert bad_limit.status_code == 422
    assert bad_limit.json()["errors"][0]["field"] == "limit"


def case_facts(org: TinyOrg) -> dict[str, object]:
    return {"deviation_id": uuid.uuid4(), "unit_id": org.unit_id, "handling_unit_id": org.unit_id, "status": "closed"}


async def test_an_escalated_case_reaches_the_leader_above_with_why(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    event = DeviationAssigned(
        **{**case_facts(org), "handling_unit_id": org.sector_id, "status": "registered"},
        assignee_id=org.sector_leader,
        reason="escalated",
    )
    await service.on_deviation_assigned(envelope_of(org, event))
    [stored] = await notifications_for(sessions, org)
    assert stored.recipient_id == org.sector_leader
    assert stored.title == "Avvik løftet til deg"
    assert "Helse og omsorg" in stored.body


async def test_the_reporter_is_told_of_the_close_but_an_anonymous_reporter_is_not(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    named = DeviationClosed(**case_facts(org), reporter_id=org.employee)
    anonymous = DeviationClosed(**case_facts(org), reporter_id=None)
    await service.on_deviation_closed(envelope_of(org, named))
    await service.on_deviation_closed(envelope_of(org, anonymous))
    stored = await notifications_for(sessions, org)
    assert [(n.recipient_id, n.kind, n.subject_id) for n in stored] == [
        (org.employee, "deviation.closed", named.deviation_id)
    ]


async def test_measure_owners_are_told_of_new_and_overdue_measures_once(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    facts = {**case_facts(org), "status": "measures", "measure_id": uuid.uuid4(), "owner_id": org.employee}
    added = envelope_of(org, MeasureAdded(**facts, deadline=date(2030, 1, 31)))
    overdue = envelope_of(org, MeasureOverdue(**facts, deadline=date(2030, 1, 31)))
    await service.on_measure_added(added)
    await service.on_measure_overdue(overdue)
    await service.on_measure_overdue(overdue)  # redelivered
    stored = await notifications_for(sessions, org)
    assert sorted(n.kind for n in stored) == ["measure.assigned", "measure.overdue"]
    assert all(n.recipient_id == org.employee for n in stored)
    assert any("31.01.2030" in n.body for n in stored)


async def test_a_measure_given_to_someone_else_tells_the_new_owner_a_moved_deadline_tells_nobody(
    service: NotificationService, sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    facts = {**case_facts(org), "status": "measures", "measure_id": uuid.uuid4(), "deadline": date(2030, 3, 1)}
    await service.on_measure_changed(envelope_of(org, MeasureChanged(**facts, owner_id=org.employee)))
    handed = envelope_of(org, MeasureChanged(**facts, owner_id=org.unit_leader, owner_changed=True))
    await service.on_measure_changed(handed)
    await service.on_measure_changed(handed)  # redelivered
    stored = await notifications_for(sessions, org)
    assert [(n.recipient_id, n.kind) for n in stored] == [(org.unit_leader, "measure.assigned")]


async def test_unread_only_leaves_out_what_was_read(
    client: httpx.AsyncClient,
    service: NotificationService,
    sessions: async_sessionmaker[AsyncSession],
    token_signer: InternalTokenSigner,
    org: TinyOrg,
) -> None:
    first, second = reported(org), reported(org)
    await service.on_deviation_assigned(first[1])
    await service.on_deviation_assigned(second[1])
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await session.execute(
            sa.update(Notification)
            .where(Notification.subject_id == first[0].deviation_id)
            .values(read_at=datetime.now(UTC))  # type: ignore[arg-type]
        )
    headers = bearer(token_signer, org, org.unit_leader)
    unread = await client.get("/api/v1/notifications?unread_only=true", headers=headers)
    assert [n["subject_id"] for n in unread.json()] == [str(second[0].deviation_id)]
    everything = await client.get("/api/v1/notifications", headers=headers)
    assert len(everything.json()) == 2
