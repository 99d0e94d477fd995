"""A service's copy of the directory learns people's names from PersonChanged, keeps the latest, and shows them
only inside the kommune they belong to."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from faststream.kafka import KafkaBroker, TestKafkaBroker
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import person_names, register_directory_replica, unit_names
from varde_common.envelope import encode_data, encode_headers
from varde_common.events import PersonChanged
from varde_common.kafka import EventRouter
from varde_common.settings import ServiceSettings
from varde_common.testing.factories import TinyOrg, seed_tiny_org


def published(org: TinyOrg, event: PersonChanged, at: datetime) -> tuple[bytes, dict[str, str]]:
    headers = encode_headers(
        event_id=uuid.uuid4(),
        event_type=event.type,
        source="/varde/directory",
        time=at,
        tenant_id=org.tenant_id,
        subject=None,
        traceparent=None,
    )
    return encode_data(event), {k: v.decode() for k, v in headers}


async def test_the_latest_name_is_kept_and_an_older_event_changes_nothing(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="test", settings=ServiceSettings(consumer_retry_delays_s=[0.01]))
    register_directory_replica(router, sessions)
    router.subscribe()
    now = datetime.now(UTC)
    async with TestKafkaBroker(broker) as test_broker:
        for name, at in (
            ("Lars Leder-Hansen", now + timedelta(seconds=2)),
            ("Lars Gammel", now + timedelta(seconds=1)),
        ):
            body, headers = published(org, PersonChanged(person_id=org.unit_leader, name=name), at)
            await test_broker.publish(body, topic=PersonChanged.topic, headers=headers)
    async with tenant_transaction(sessions, org.tenant_id) as session:
        names = await person_names(session, [org.unit_leader, org.employee, uuid.uuid4(), None])
        units = await unit_names(session, [org.unit_id])
    assert names == {org.unit_leader: "Lars Leder-Hansen", org.employee: "Ane Ansatt"}
    assert units == {org.unit_id: "Solsiden sykehjem"}


async def test_another_kommunes_people_are_not_named(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> None:
    other = await seed_tiny_org(sessions, slug="nabokommune")
    async with tenant_transaction(sessions, other.tenant_id) as session:
        assert await person_names(session, [org.employee]) == {}
        assert await unit_names(session, [org.unit_id]) == {}
