"""A ROS-analyse through the gateway, on the real broker and databases: the nursing home's leader starts it with
an employee taking part, links a risk to a deviation the employee has just reported (risk learns of it through
Kafka), the risk lies above the acceptance line and the leader above is told, a measure goes to the employee, the
leader above is asked to approve and does, the picture is drawn for the sector, and the scheduled jobs tell of an
overdue review and an overdue measure. An outside reader of the risk topic sees facts, never titles."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, deviation_body, query, wait_until
from tests.system.kafka_reader import read_topic
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

API = "/api/v1/risk"
TOPIC = "varde.risk.assessment"
LEADER_ROLES = {"kommunedirektor", "kommunalsjef", "virksomhetsleder", "tjenesteleder", "avdelingsleder"}


def told(gateway: httpx.Client, headers: dict[str, str], assessment_id: str, kind: str) -> list[dict[str, Any]]:
    response = gateway.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["subject_id"] == assessment_id and n["kind"] == kind]


def leader_above(gateway: httpx.Client, people: list[DemoPerson], leader: dict[str, str], unit_id: str) -> DemoPerson:
    parent = gateway.get(f"/api/v1/directory/units/{unit_id}", headers=leader).json()["parent_id"]
    return next(
        p
        for p in people
        if p.tenant == "hustadvika" and any(r["unit_id"] == parent and r["role"] in LEADER_ROLES for r in p.roles)
    )


def test_a_risk_assessment_from_a_deviation_to_the_picture_and_its_deadlines(
    gateway: httpx.Client,
    stack: Stack,
    people: list[DemoPerson],
    roles: Roles,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    leader, employee = login(roles.nursing_home_leader), login(roles.employee)
    above_person = leader_above(gateway, people, leader, roles.nursing_home)
    above = login(above_person)
    employee_id = gateway.get("/api/v1/directory/me", headers=employee).json()["id"]
    above_id = gateway.get("/api/v1/directory/me", headers=above).json()["id"]

    body = {
        "title": "ROS legemiddelhåndtering på sjukeheimen",
        "kind": "virksomhetsstyring",
        "unit_id": roles.nursing_home,
        "participants": [employee_id],
    }
    created = gateway.post(f"{API}/assessments", json=body, headers=leader)
    assert created.status_code == 201, created.text
    assessment_id = created.json()["id"]
    url = f"{API}/assessments/{assessment_id}"

    reported = gateway.post(
        "/api/v1/deviations", json=deviation_body(roles.nursing_home, "Feil dose"), headers=employee
    )
    assert reported.status_code == 201, reported.text
    deviation_id = reported.json()["id"]
    risk = {
        "title": "Feil legemiddel gis til beboer",
        "causes": ["Travle vakter"],
        "probability": 4,
        "consequences": {"liv_og_helse": 4},
        "target_probability": 2,
        "target_consequence": 3,
        "deviation_ids": [deviation_id],
    }
    unknown = gateway.post(f"{url}/risks", json={**risk, "deviation_ids": [str(uuid.uuid4())]}, headers=employee)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "deviation_ids"

    def registered() -> dict[str, Any] | None:
        # Risk knows the case once its DeviationReported has come through Kafka; until then the link is refused.
        response = gateway.post(f"{url}/risks", json=risk, headers=employee)
        if response.status_code == 422:
            return None
        assert response.status_code == 201, response.text
        return dict(response.json())

    placed = wait_until(registered, what="risk to learn of the deviation")
    assert (placed["zone"], placed["target_zone"]) == ("red", "yellow")
    assert [d["id"] for d in placed["deviations"]] == [deviation_id]
    wait_until(lambda: told(gateway, above, assessment_id, "risk.above_acceptance"), what="the leader above told")

    measure = gateway.post(
        f"{url}/risks/{placed['id']}/measures",
        json={"title": "Strekkodeskanning ved utdeling", "owner_id": employee_id, "deadline": "2030-01-31"},
        headers=leader,
    )
    assert measure.status_code == 201, measure.text
    wait_until(lambda: told(gateway, employee, assessment_id, "risk.measure_assigned"), what="the measure owner told")

    assert gateway.post(f"{url}/submit", headers=leader).status_code == 200
    wait_until(lambda: told(gateway, above, assessment_id, "risk.to_approve"), what="the approver told")
    assert gateway.post(f"{url}/approve", headers=leader).status_code == 403  # not the owner's own
    approved = gateway.post(f"{url}/approve", headers=above)
    assert approved.status_code == 200, approved.text
    wait_until(lambda: told(gateway, leader, assessment_id, "risk.approved"), what="the owner told")

    picture = gateway.get(f"{API}/picture", params={"unit_id": roles.nursing_home}, headers=above).json()
    assert placed["id"] in [r["id"] for r in picture["top"]]
    drawn = gateway.get(f"{API}/picture.svg", params={"unit_id": roles.nursing_home}, headers=above)
    assert drawn.status_code == 200
    assert drawn.headers["content-type"].startswith("image/svg+xml")
    assert "Feil legemiddel gis til beboer" in drawn.text
    assert gateway.get(f"{API}/picture", params={"unit_id": roles.nursing_home}, headers=employee).status_code == 403

    # A year passes: the review date and the measure's deadline are behind us; the worker's jobs (every second
    # here) tell the owner, the leader above and the measure's owner.
    query(
        stack,
        "risk",
        "UPDATE risk_assessment SET review_due = current_date - 2 WHERE id = $1",
        uuid.UUID(assessment_id),
    )
    query(
        stack,
        "risk",
        "UPDATE risk_measure SET deadline = current_date - 1 WHERE id = $1",
        uuid.UUID(measure.json()["id"]),
    )
    wait_until(lambda: told(gateway, above, assessment_id, "risk.review_overdue"), what="the overdue review told")
    wait_until(lambda: told(gateway, employee, assessment_id, "risk.measure_overdue"), what="the overdue measure told")
    assert len(told(gateway, leader, assessment_id, "risk.review_overdue")) == 1

    key = assessment_id.encode()

    def has_overdue(found: list[Any]) -> bool:
        return any(r.key == key and dict(r.headers)["ce_type"] == b"no.varde.riskmeasure.overdue.v1" for r in found)

    records = [r for r in read_topic(stack.bootstrap, TOPIC, has_overdue) if r.key == key]
    types = [dict(r.headers)["ce_type"].decode() for r in records]
    for expected in (
        "no.varde.riskassessment.created.v1",
        "no.varde.risk.registered.v1",
        "no.varde.risk.aboveacceptance.v1",
        "no.varde.riskmeasure.added.v1",
        "no.varde.riskassessment.submitted.v1",
        "no.varde.riskassessment.approved.v1",
        "no.varde.riskassessment.reviewdue.v1",
        "no.varde.riskmeasure.overdue.v1",
    ):
        assert types.count(expected) == 1, (expected, types)
    above_line = json.loads(next(r.value for r in records if b"aboveacceptance" in dict(r.headers)["ce_type"]))
    assert above_line["leader_id"] == above_id
    for record in records:
        assert "legemiddel" not in record.value.decode().lower()  # titles and causes stay in the service
