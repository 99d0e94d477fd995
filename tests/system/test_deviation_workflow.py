"""The whole avvik workflow through the gateway, on the real broker and databases: a report from a phone
(retried on a bad network), the leader's inbox, measures, closing, the reporter told; the deadline job
escalating a case nobody took; an attachment; the events as an outside system reads them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event

from tests.conftest import DemoPerson, Roles, deviation_body, person, query, wait_until
from tests.system.kafka_reader import read_topic
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

TOPIC = "varde.deviations.deviation"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def inbox(gateway: httpx.Client, headers: dict[str, str], deviation_id: str, kind: str) -> list[dict[str, Any]]:
    response = gateway.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["subject_id"] == deviation_id and n["kind"] == kind]


def test_from_a_phone_to_a_closed_case(
    gateway: httpx.Client, stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    reporter, leader = login(roles.employee), login(roles.nursing_home_leader)
    body = {**deviation_body(roles.nursing_home), "area": "pasient_brukersikkerhet", "actual_consequence": 2}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = gateway.post("/api/v1/deviations", json=body, headers={**reporter, **key})
    assert first.status_code == 201, first.text
    again = gateway.post("/api/v1/deviations", json=body, headers={**reporter, **key})  # the phone retried
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    case_id = first.json()["id"]
    assert query(stack, "deviations", "SELECT count(*) FROM deviation WHERE id = $1", uuid.UUID(case_id))[0][0] == 1

    # The leader finds it in their inbox and in "mine to handle".
    wait_until(lambda: inbox(gateway, leader, case_id, "deviation.to_handle"), what="the leader's notification")
    to_handle = gateway.get("/api/v1/deviations", params={"view": "to_handle"}, headers=leader).json()["items"]
    assert case_id in [item["id"] for item in to_handle]

    employee_id = gateway.get("/api/v1/directory/me", headers=reporter).json()["id"]
    measure = gateway.post(
        f"/api/v1/deviations/{case_id}/measures",
        json={"description": "Sklisikre matter i korridoren", "owner_id": employee_id, "deadline": "2030-01-31"},
        headers=leader,
    )
    assert measure.status_code == 201, measure.text
    wait_until(lambda: inbox(gateway, reporter, case_id, "measure.assigned"), what="the measure owner's notification")

    early = gateway.post(f"/api/v1/deviations/{case_id}/close", json={"conclusion": "Ferdig."}, headers=leader)
    assert early.status_code == 409  # a measure is still open
    done = gateway.post(f"/api/v1/deviations/{case_id}/measures/{measure.json()['id']}/complete", headers=reporter)
    assert done.status_code == 200, done.text
    closed = gateway.post(f"/api/v1/deviations/{case_id}/close", json={"conclusion": "Matter lagt."}, headers=leader)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    wait_until(lambda: inbox(gateway, reporter, case_id, "deviation.closed"), what="the reporter told of the close")

    timeline = gateway.get(f"/api/v1/deviations/{case_id}/timeline", headers=leader).json()["items"]
    assert [entry["action"] for entry in timeline] == [
        "reported",
        "assigned",
        "acknowledged",
        "measure_added",
        "measure_completed",
        "closed",
    ]

    # An outside system reads the case's events with a CloudEvents reader; none carries what happened.
    key = case_id.encode()
    records = read_topic(stack.bootstrap, TOPIC, lambda rs: sum(r.key == key for r in rs) >= 6)
    events = [
        from_binary_event(KafkaMessage(headers=dict(r.headers), key=r.key, value=r.value))
        for r in records
        if r.key == key
    ]
    assert [e.get_type() for e in events] == [
        "no.varde.deviation.reported.v1",
        "no.varde.deviation.assigned.v1",
        "no.varde.deviation.acknowledged.v1",
        "no.varde.deviation.measureadded.v1",
        "no.varde.deviation.measurecompleted.v1",
        "no.varde.deviation.closed.v1",
    ]
    assert all(e.get_data()["area"] == "pasient_brukersikkerhet" for e in events)
    assert all("Fall i korridor" not in json.dumps(e.get_data()) for e in events)


def test_a_case_nobody_takes_escalates_to_the_leader_above(
    gateway: httpx.Client,
    stack: Stack,
    roles: Roles,
    people: list[DemoPerson],
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    created = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=login(roles.employee))
    case_id = created.json()["id"]
    # The kommune's deadline passes (the test moves the clock of this one case, not the machine's).
    query(
        stack,
        "deviations",
        "UPDATE deviation SET acknowledge_due_at = now() - interval '1 minute' WHERE id = $1",
        uuid.UUID(case_id),
    )
    leader = login(roles.nursing_home_leader)

    def escalated() -> dict[str, Any] | None:
        case = gateway.get(f"/api/v1/deviations/{case_id}", headers=leader).json()
        return case if case["handling_unit_id"] != roles.nursing_home else None

    case = wait_until(escalated, what="the deadline job to escalate the case")
    assert case["status"] == "registered"
    assert case["assignee_id"] != case["reported_by"]
    above = [
        p for p in people if p.tenant == "hustadvika" and any(r["unit_id"] == case["handling_unit_id"] for r in p.roles)
    ]
    chief = next(p for p in above if any(r["role"] in ("kommunalsjef", "kommunedirektor") for r in p.roles))
    wait_until(lambda: inbox(gateway, login(chief), case_id, "deviation.to_handle"), what="the leader above told")
    timeline = gateway.get(f"/api/v1/deviations/{case_id}/timeline", headers=leader).json()["items"]
    assert (timeline[-1]["action"], timeline[-1]["actor_id"], timeline[-1]["details"]["automatic"]) == (
        "escalated",
        None,
        True,
    )
    assert case["assignee_name"] in {p.name for p in above}  # the name the directory published


def test_a_photo_travels_through_the_gateway_and_a_fake_one_is_refused(
    gateway: httpx.Client, roles: Roles, people: list[DemoPerson], login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    reporter = login(roles.employee)
    case_id = gateway.post("/api/v1/deviations", json=deviation_body(roles.nursing_home), headers=reporter).json()["id"]
    photo = gateway.post(
        f"/api/v1/deviations/{case_id}/attachments", files={"file": ("fall.png", PNG, "image/png")}, headers=reporter
    )
    assert photo.status_code == 201, photo.text
    fake = gateway.post(
        f"/api/v1/deviations/{case_id}/attachments",
        files={"file": ("fall.png", b"<html><script>alert(1)</script>", "image/png")},
        headers=reporter,
    )
    assert fake.status_code == 422
    assert fake.json()["errors"][0]["field"] == "file"
    download = gateway.get(f"/api/v1/deviations/{case_id}/attachments/{photo.json()['id']}", headers=reporter)
    assert download.content == PNG
    assert download.headers["x-content-type-options"] == "nosniff"
    verneombud = login(person(people, "hustadvika", "verneombud"))
    refused = gateway.get(f"/api/v1/deviations/{case_id}/attachments/{photo.json()['id']}", headers=verneombud)
    assert refused.status_code == 404
