"""Events as other systems see them, and a consumer that survives duplicates, poison and lost brokers."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

import httpx
import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event

from tests.conftest import DemoPerson, Roles, deviation_body, query, wait_until
from tests.system.kafka_reader import publish, read_topic
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

TOPIC = "varde.deviations.deviation"
DLQ = "varde.dlq.notifications"


def report(gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]) -> httpx.Response:
    response = gateway.post(
        "/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=login(roles.employee)
    )
    assert response.status_code == 201, response.text
    return response


def notification_count(stack: Stack, deviation_ids: list[str]) -> int:
    rows = query(
        stack,
        "notifications",
        "SELECT count(*) AS n FROM notification WHERE subject_id = ANY($1::uuid[])",
        deviation_ids,
    )
    return int(rows[0]["n"])


def test_an_outside_reader_decodes_the_event_with_the_cloudevents_sdk(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    deviation = report(gateway, roles, login).json()
    key = deviation["id"].encode()
    records = read_topic(stack.bootstrap, TOPIC, lambda rs: any(r.key == key for r in rs))
    record = next(r for r in records if r.key == key)

    event = from_binary_event(KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value))
    assert event.get_type() == "no.varde.deviation.reported.v1"
    assert event.get_source() == "/varde/deviations"
    assert event.get_extension("tenantid") == str(
        uuid.uuid5(uuid.UUID("6f1d4c1e-6a57-4c1b-9a8e-3c1f5b0d7a21"), "hustadvika")
    )
    headers = dict(record.headers)
    assert headers["traceparent"].startswith(b"00-")
    data = event.get_data()
    assert data["deviation_id"] == deviation["id"]
    assert data["unit_id"] == roles.nursing_home
    # No personal data: what happened and who reported it stay in the deviations service.
    text = json.dumps(data)
    for personal in (deviation["title"], deviation["description"], deviation["reported_by"], roles.employee.name):
        assert personal not in text


def test_one_trace_runs_from_the_gateway_to_the_stored_notification(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    response = report(gateway, roles, login)
    trace_id = response.headers["x-trace-id"]
    deviation_id = response.json()["id"]

    def stored_line() -> dict[str, object] | None:
        for line in (stack.log_dir / "notifications.log").read_text().splitlines():
            if line.startswith("{") and deviation_id in line:
                entry: dict[str, object] = json.loads(line)
                if entry.get("message") == "notification stored":
                    return entry
        return None

    entry = wait_until(stored_line, what="the notification to be stored")
    assert entry["trace_id"] == trace_id


def test_a_duplicate_event_gives_one_notification(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    deviation_id = report(gateway, roles, login).json()["id"]
    wait_until(lambda: notification_count(stack, [deviation_id]) == 1, what="the first notification")
    key = deviation_id.encode()
    original = next(
        r for r in read_topic(stack.bootstrap, TOPIC, lambda rs: any(r.key == key for r in rs)) if r.key == key
    )

    # The same event twice more, then a marker on the same partition: when the marker is dead-lettered,
    # the consumer has processed both copies before it.
    marker = f"marker-{uuid.uuid4()}".encode()
    publish(
        stack.bootstrap,
        TOPIC,
        [
            (original.key, original.value, list(original.headers)),
            (original.key, original.value, list(original.headers)),
            (original.key, marker, []),
        ],
    )
    read_topic(stack.bootstrap, DLQ, lambda rs: any(r.value == marker for r in rs))
    assert notification_count(stack, [deviation_id]) == 1


def test_a_poison_message_goes_to_the_dead_letter_topic_and_the_consumer_goes_on(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    poison = f'{{"deviation_id": "not-a-uuid", "n": "{uuid.uuid4()}"}}'.encode()
    # From the owner, as a buggy deviations service would send it: one from elsewhere is refused before its data
    # is read (tests/system/test_broker_trust.py).
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", str(uuid.uuid4()).encode()),
        ("ce_type", b"no.varde.deviation.assigned.v1"),
        ("ce_source", b"/varde/deviations"),
        ("ce_tenantid", str(uuid.uuid4()).encode()),
        ("content-type", b"application/json"),
    ]
    publish(stack.bootstrap, TOPIC, [(b"poison", poison, headers)])

    dead = read_topic(stack.bootstrap, DLQ, lambda rs: any(r.value == poison for r in rs))
    record = next(r for r in dead if r.value == poison)
    reason = dict(record.headers)["varde_dlq_reason"].decode()
    assert "malformed" in reason

    deviation_id = report(gateway, roles, login).json()["id"]
    wait_until(lambda: notification_count(stack, [deviation_id]) == 1, what="the consumer to go on")


def test_broker_outage_loses_nothing_and_doubles_nothing(
    stack: Stack, gateway: httpx.Client, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    headers = login(roles.employee)
    stack.cut_broker()
    try:
        ids = []
        for i in range(50):
            response = gateway.post(
                "/api/v1/deviations", json=deviation_body(roles.nursing_home, f"Under brudd {i}"), headers=headers
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        time.sleep(1)
        assert notification_count(stack, ids) == 0
    finally:
        stack.restore_broker()

    wait_until(lambda: notification_count(stack, ids) >= 50, timeout_s=90, what="50 notifications after the outage")
    keys = {i.encode() for i in ids}
    # Two events per case (reported, assigned to the leader), each published exactly once.
    delivered = read_topic(stack.bootstrap, TOPIC, lambda rs: sum(r.key in keys for r in rs) >= 100)
    ours = [r for r in delivered if r.key in keys]
    assert len(ours) == 100
    assert len({dict(r.headers)["ce_id"] for r in ours}) == 100
    time.sleep(1)
    rows = query(
        stack,
        "notifications",
        "SELECT subject_id, count(*) AS n FROM notification WHERE subject_id = ANY($1::uuid[]) GROUP BY 1",
        ids,
    )
    assert len(rows) == 50
    assert all(row["n"] == 1 for row in rows)
