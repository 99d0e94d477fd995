"""Every service's copy reads the kommune's settings tolerantly: those stored or published before the acceptance
matrix moved to risk, and those a newer directory publishes with a setting this version does not know."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from faststream.kafka import KafkaBroker, TestKafkaBroker

from varde_common.envelope import Envelope, encode_headers
from varde_common.events import TenantChanged
from varde_common.kafka import EventRouter
from varde_common.settings import ServiceSettings
from varde_common.tenant_settings import TenantSettings

BEFORE_THE_MOVE: dict[str, Any] = {
    "acknowledge_deadline_hours": 24,
    "anonymous_reporting": True,
    "risk_acceptance": [["green"] * 5] * 5,
    "unit_types": [{"key": "kommune", "name": "Kommune", "leader_role": "kommunedirektor"}],
}


def test_settings_stored_with_the_old_acceptance_matrix_are_read_without_it() -> None:
    settings = TenantSettings.model_validate(BEFORE_THE_MOVE)
    assert settings.acknowledge_deadline_hours == 24
    assert settings.anonymous_reporting is True
    assert "risk_acceptance" not in settings.model_dump()


def test_a_setting_a_newer_directory_added_is_left_out_not_refused() -> None:
    newer = {**BEFORE_THE_MOVE, "digest_hour": 7}
    newer["unit_types"] = [{**newer["unit_types"][0], "icon": "house"}]
    settings = TenantSettings.model_validate(newer)
    assert settings.acknowledge_deadline_hours == 24
    assert settings.unit_types[0].key == "kommune"
    assert "digest_hour" not in settings.model_dump()


async def test_an_old_tenant_event_on_the_compacted_topic_is_handled_not_dead_lettered() -> None:
    broker = KafkaBroker("127.0.0.1:1")
    router = EventRouter(broker, service="test", settings=ServiceSettings(consumer_retry_delays_s=[0.01]))
    seen: list[TenantSettings] = []

    @router.on(TenantChanged)
    async def remember(envelope: Envelope, event: TenantChanged) -> None:
        seen.append(event.settings)

    router.subscribe()
    tenant_id = uuid.uuid4()
    headers = encode_headers(
        event_id=uuid.uuid4(),
        event_type=TenantChanged.type,
        source="/varde/directory",
        time=datetime.now(UTC),
        tenant_id=tenant_id,
        subject=str(tenant_id),
        traceparent=None,
    )
    body = orjson.dumps({"tenant_id": str(tenant_id), "slug": "eldre", "name": "Eldre", "settings": BEFORE_THE_MOVE})
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(body, topic=TenantChanged.topic, headers={k: v.decode() for k, v in headers})
    assert [s.acknowledge_deadline_hours for s in seen] == [24]
    assert router.dead_lettered == 0
