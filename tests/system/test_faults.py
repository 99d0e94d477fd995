"""What a laptop does to the stack: a service killed, the broker killed in the middle of reports, the broker away.
Real processes, killed with SIGKILL; the stack's supervisor brings them back."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from tests.conftest import DemoPerson, Roles, deviation_body, query, wait_until
from tests.system.blocking import run_blocking
from varde_common.topics import required_topics
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

REPORTS = 500


def kill(pid: int | None) -> None:
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)


def stack_log_lines(stack: Stack) -> list[str]:
    return stack.stack_log.read_text().splitlines() if stack.stack_log.exists() else []


def notifications_per_case(stack: Stack, ids: list[str]) -> dict[str, int]:
    rows = query(
        stack,
        "notifications",
        "SELECT subject_id::text AS id, count(*) AS n FROM notification WHERE subject_id = ANY($1::uuid[]) GROUP BY 1",
        ids,
    )
    return {row["id"]: int(row["n"]) for row in rows}


def test_one_service_killed_is_503_for_that_service_only_and_the_stack_brings_it_back(
    gateway: httpx.Client, stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    employee, leader = login(roles.employee), login(roles.nursing_home_leader)
    restarts_before = stack.supervisor.restarts("deviations")
    killed_at = time.monotonic()
    kill(stack.processes["deviations"].pid)
    wait_until(lambda: stack.processes["deviations"].poll() is not None, what="the killed process to be gone")

    started = time.monotonic()
    response = gateway.get(f"/api/v1/deviations/{uuid.uuid4()}", headers=employee)
    # The gateway's connect timeout to a service is 1 s; a dead one is answered at once.
    assert time.monotonic() - started < 2.0
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert gateway.get("/api/v1/notifications", headers=leader).status_code == 200
    assert gateway.get("/api/v1/directory/me", headers=employee).status_code == 200
    assert gateway.get("/api/v1/documents", headers=employee).status_code == 200

    def reports_again() -> bool:
        with_body = deviation_body(roles.nursing_home, "Etter omstart")
        return gateway.post("/api/v1/deviations", json=with_body, headers=employee).status_code == 201

    wait_until(reports_again, timeout_s=180, what="deviations to be started again")
    back_after_s = time.monotonic() - killed_at
    print(f"\ndeviations answered again {back_after_s:.1f} s after kill -9")
    assert stack.supervisor.restarts("deviations") == restarts_before + 1
    assert any(
        "deviations stoppet uventet (drept av signal 9); startes igjen om" in line for line in stack_log_lines(stack)
    )


@pytest.mark.timeout(900)
def test_the_broker_killed_during_500_reports_loses_no_accepted_report(
    gateway: httpx.Client, stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    assert stack.broker is not None
    headers = login(roles.employee)
    restarts_before = stack.supervisor.restarts("broker")

    def report(i: int) -> httpx.Response:
        if i == REPORTS // 2:
            kill(stack.broker.pid if stack.broker else None)
        body = deviation_body(roles.nursing_home, f"Megleren drept {i}")
        return gateway.post("/api/v1/deviations", json=body, headers=headers, timeout=30)

    # Notifications is stopped for the first half, so that the broker holds events it acknowledged and nobody has
    # consumed yet when it is killed: what the in-memory broker used to lose.
    stack.stop_process("notifications")
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            responses = list(pool.map(report, range(REPORTS // 2)))
            first_half = [r.json()["id"] for r in responses if r.status_code == 201]
            wait_until(lambda: unpublished(stack, first_half) == 0, timeout_s=120, what="the first half published")
            responses += list(pool.map(report, range(REPORTS // 2, REPORTS)))
    finally:
        stack.start_service("notifications")

    statuses = {response.status_code for response in responses}
    assert statuses <= {201, 503}, statuses
    for response in responses:
        if response.status_code == 503:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers.get("retry-after")
    accepted = [response.json()["id"] for response in responses if response.status_code == 201]
    assert len(accepted) > REPORTS // 2

    wait_until(lambda: stack.supervisor.restarts("broker") > restarts_before, what="the broker to be started again")
    wait_until(
        lambda: len(notifications_per_case(stack, accepted)) == len(accepted),
        timeout_s=240,
        what=f"a notification for each of {len(accepted)} accepted reports",
    )
    time.sleep(2)  # a duplicate would arrive in this time
    counts = notifications_per_case(stack, accepted)
    assert sorted(set(counts.values())) == [1]
    assert run_blocking(partitions_of(stack.bootstrap)) == {
        name: spec.partitions for name, spec in required_topics().items()
    }


def unpublished(stack: Stack, deviation_ids: list[str]) -> int:
    rows = query(
        stack,
        "deviations",
        "SELECT count(*) AS n FROM outbox WHERE key = ANY($1::text[]) AND published_at IS NULL",
        deviation_ids,
    )
    return int(rows[0]["n"])


async def partitions_of(bootstrap: str) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(list(required_topics()))
        return {topic["topic"]: len(topic["partitions"]) for topic in described}
    finally:
        await admin.close()


def log_records_since(log_file: Path, offset: int) -> list[dict[str, object]]:
    with log_file.open("rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            records.append({"message": line, "logger": "?"})
    return records


def test_while_the_broker_is_away_a_service_says_so_in_one_line_and_once_when_it_is_back(stack: Stack) -> None:
    log_file = stack.log_dir / "deviations.log"
    offset = log_file.stat().st_size
    stack.cut_broker()
    try:
        time.sleep(8)
    finally:
        stack.restore_broker()

    def said_back() -> bool:
        return any(r["message"] == "broker reachable again" for r in log_records_since(log_file, offset))

    wait_until(said_back, timeout_s=60, what="deviations to say the broker is back")
    records = log_records_since(log_file, offset)
    kafka_lines = [
        r for r in records if str(r.get("logger", "")).startswith(("aiokafka", "varde.kafka", "varde.relay"))
    ]
    assert [r["message"] for r in kafka_lines] == [
        "broker unreachable; retrying quietly until it is back",
        "broker reachable again",
    ], records
