"""Whoever can write to the broker cannot hand themselves a role: a consumer applies an event only from its owner's
topic with its owner's ``ce_source`` (docs/architecture.md, "Who may write which topic"), and the dev broker is
reached from this machine only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, deviation_body, query, wait_until
from tests.system.kafka_reader import publish, read_topic
from varde_common.envelope import encode_data, encode_headers
from varde_common.events import PersonChanged, RoleAssignmentChanged
from varde_common.roles import Role
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

HUSTADVIKA = uuid.uuid5(uuid.UUID("6f1d4c1e-6a57-4c1b-9a8e-3c1f5b0d7a21"), "hustadvika")
DIRECTORY_SOURCE = "/varde/directory"
READING_SERVICES = ("deviations", "documents", "risk", "notifications", "reporting")


def an_employee_elsewhere(people: list[DemoPerson]) -> DemoPerson:
    """An employee of Hustadvika with no role but ``ansatt``, away from the nursing home (and from the teacher
    other tests give roles to)."""
    return next(
        p
        for p in people
        if p.tenant == "hustadvika"
        and all(r["role"] == "ansatt" for r in p.roles)
        and not any(r["unit_name"] in ("Hustadvika sjukeheim", "Eide skule – Barnetrinn") for r in p.roles)
    )


def role_event(
    person_id: str, unit_id: str, *, source: str, ends_on: date | None = None, assignment_id: uuid.UUID | None = None
) -> tuple[str, tuple[bytes, bytes, list[tuple[str, bytes]]]]:
    """A RoleAssignmentChanged making the person kvalitetsrådgiver over the unit: its ce_id and the record."""
    event = RoleAssignmentChanged(
        assignment_id=assignment_id or uuid.uuid4(),
        person_id=uuid.UUID(person_id),
        unit_id=uuid.UUID(unit_id),
        role=Role.KVALITETSRADGIVER,
        ends_on=ends_on,
    )
    event_id = uuid.uuid4()
    headers = encode_headers(
        event_id=event_id,
        event_type=event.type,
        source=source,
        time=datetime.now(UTC),
        tenant_id=HUSTADVIKA,
        subject=event.key(),
        traceparent=None,
    )
    return str(event_id), (event.key().encode(), encode_data(event), headers)


def dead_lettered(stack: Stack, service: str, event_ids: set[str], timeout_s: float = 30) -> dict[str, str]:
    """The reasons by event id of those of these events the service has dead-lettered, once it has dead-lettered
    all of them or the time is up."""
    wanted = {i.encode() for i in event_ids}
    try:
        records = read_topic(
            stack.bootstrap,
            f"varde.dlq.{service}",
            lambda rs: wanted <= {dict(r.headers).get("ce_id") for r in rs},
            timeout_s=timeout_s,
        )
    except AssertionError:
        return {}
    return {
        dict(r.headers)["ce_id"].decode(): dict(r.headers)["varde_dlq_reason"].decode()
        for r in records
        if dict(r.headers).get("ce_id") in wanted
    }


def test_a_forged_role_on_the_wrong_topic_or_with_the_wrong_source_opens_nothing_and_the_genuine_one_does(
    stack: Stack,
    gateway: httpx.Client,
    people: list[DemoPerson],
    roles: Roles,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    body = {**deviation_body(roles.nursing_home), "persons_involved": "Beboer på rom 12"}
    reported = gateway.post("/api/v1/deviations", json=body, headers=login(roles.employee))
    assert reported.status_code == 201, reported.text
    case = f"/api/v1/deviations/{reported.json()['id']}"
    intruder = an_employee_elsewhere(people)
    intruder_headers = login(intruder)
    intruder_id = gateway.get("/api/v1/directory/me", headers=intruder_headers).json()["id"]
    assert gateway.get(case, headers=intruder_headers).status_code == 404

    # A role assignment on another directory topic every reader consumes, and one on the right topic that says it
    # comes from another service (what a compromised deviations service could write).
    wrong_topic_id, wrong_topic = role_event(intruder_id, roles.nursing_home, source=DIRECTORY_SOURCE)
    wrong_source_id, wrong_source = role_event(intruder_id, roles.nursing_home, source="/varde/deviations")
    publish(stack.bootstrap, PersonChanged.topic, [wrong_topic])
    publish(stack.bootstrap, RoleAssignmentChanged.topic, [wrong_source])

    forged = {wrong_topic_id, wrong_source_id}

    def settled() -> str | None:
        if gateway.get(case, headers=intruder_headers).status_code == 200:
            return "the intruder reads the case"
        return "refused" if dead_lettered(stack, "deviations", forged, timeout_s=1) else None

    assert wait_until(settled, timeout_s=30, what="the forged events to be handled") == "refused"
    for service in READING_SERVICES:
        assert dead_lettered(stack, service, forged) == {
            wrong_topic_id: "refused: not on its owner's topic",
            wrong_source_id: "refused: ce_source is not its owner's",
        }, service
    assert gateway.get(case, headers=intruder_headers).status_code == 404
    stored = query(
        stack,
        "deviations",
        "SELECT count(*) AS n FROM replica_role_assignment WHERE person_id = $1 AND role = $2",
        uuid.UUID(intruder_id),
        Role.KVALITETSRADGIVER.value,
    )
    assert stored[0]["n"] == 0

    # The same assignment on the directory's topic with the directory's source is applied: the topic is what vouches
    # for an event, which is why only the directory may write it (ACLs in production).
    assignment = uuid.uuid4()
    _, genuine = role_event(intruder_id, roles.nursing_home, source=DIRECTORY_SOURCE, assignment_id=assignment)
    publish(stack.bootstrap, RoleAssignmentChanged.topic, [genuine])

    def readable() -> httpx.Response | None:
        response = gateway.get(case, headers=intruder_headers)
        return response if response.status_code == 200 else None

    try:
        opened = wait_until(readable, what="the genuine role to reach deviations")
        assert opened.json()["restricted"]["persons_involved"] == "Beboer på rom 12"
    finally:
        yesterday = datetime.now(UTC).date() - timedelta(days=2)
        _, ended = role_event(
            intruder_id, roles.nursing_home, source=DIRECTORY_SOURCE, ends_on=yesterday, assignment_id=assignment
        )
        publish(stack.bootstrap, RoleAssignmentChanged.topic, [ended])
    wait_until(lambda: gateway.get(case, headers=intruder_headers).status_code == 404, what="the ended role to reach")


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port`` (from /proc/net, as ``ss -ltn`` reads them)."""
    found = set()
    for table, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                assert len(address) == width
                found.add(_address(address))
    return found


def _address(little_endian_hex: str) -> str:
    words = [bytes.fromhex(little_endian_hex[i : i + 8])[::-1] for i in range(0, len(little_endian_hex), 8)]
    raw = b"".join(words)
    if len(raw) == 4:
        return ".".join(str(b) for b in raw)
    return ":".join(raw[i : i + 2].hex() for i in range(0, 16, 2))


def test_the_dev_broker_is_reached_from_this_machine_only(stack: Stack) -> None:
    # Tansu has no authentication here: on any other address the whole network could write to it. Given
    # ``tcp://localhost:…`` it listens on every interface (measured), so the address is 127.0.0.1, spelled out.
    assert stack.broker is not None
    for port in {stack.broker.port, stack.config.kafka_port}:
        assert listening_addresses(port) == {"127.0.0.1"}, port
