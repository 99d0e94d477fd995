"""The database stopped for 10 s during reports: 503s while it lasts, none hangs, and afterwards rows and outbox
agree one to one.

The embedded PostgreSQL is really stopped (``pg_ctl stop -m fast``) and started again, rather than cut off by a
gate as the broker outage test does: what is tested is what a database restart does to the services. PostgreSQL
rolls back the transactions in flight and closes every connection; the pools hold connections that are dead when
it comes back; readiness has to notice both. A gate would leave the server's side of each transaction running
and test a network fault instead.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import DemoPerson, Roles, deviation_body, query, wait_until
from varde_devstack.stack import Stack
from varde_gateway.config import GatewaySettings

pytestmark = pytest.mark.system

OUTAGE_S = 10.0
REPORTERS = 4
# "None hangs": every request is answered within the gateway's upstream timeout (what the gateway itself waits
# for a service), with a second of slack for the way there and back.
ANSWER_BOUND_S = GatewaySettings.model_fields["upstream_read_timeout_s"].default + 1.0
DATABASE_PROBLEMS = {
    "urn:varde:problem:database-unavailable",
    "urn:varde:problem:database-connection-lost",
    "urn:varde:problem:database-busy",
}
# The directory's database is the same server: a gateway that has to ask the directory about a caller meanwhile
# answers its own 503. The test warms the gateway's caches first, so these are the exception, not the rule.
GATEWAY_PROBLEMS = {"urn:varde:problem:directory-unavailable", "urn:varde:problem:login-unavailable"}


@dataclass(frozen=True)
class Answer:
    title: str
    status: int
    problem_type: str | None
    retry_after: str | None
    deviation_id: str | None
    sent: float
    answered: float


def report_until(
    stop: threading.Event, gateway_url: str, headers: dict[str, str], unit_id: str, run: str, worker: int
) -> list[Answer]:
    answers: list[Answer] = []
    with httpx.Client(base_url=gateway_url, timeout=ANSWER_BOUND_S, headers=headers) as client:
        number = 0
        while not stop.is_set():
            title = f"Databasebrudd {run} {worker}-{number}"
            number += 1
            sent = time.monotonic()
            # A timeout here (httpx.TimeoutException) is a hang, and fails the test.
            response = client.post("/api/v1/deviations", json=deviation_body(unit_id, title))
            body = response.json()
            answers.append(
                Answer(
                    title=title,
                    status=response.status_code,
                    problem_type=body.get("type") if response.status_code >= 400 else None,
                    retry_after=response.headers.get("retry-after"),
                    deviation_id=body.get("id") if response.status_code == 201 else None,
                    sent=sent,
                    answered=time.monotonic(),
                )
            )
    return answers


def readiness(stack: Stack, service: str) -> int:
    try:
        return httpx.get(stack.service_url(service) + "/readyz", timeout=5).status_code
    except httpx.HTTPError:
        return 0


def test_database_stopped_for_10_s_during_reports(
    stack: Stack, roles: Roles, login: Callable[[DemoPerson], dict[str, str]]
) -> None:
    assert stack.postgres is not None, "the test stops the embedded PostgreSQL"
    headers = login(roles.employee)
    run = uuid.uuid4().hex[:8]
    stop = threading.Event()
    readiness_during: list[int] = []

    # One report first: the gateway has checked the token and found the person before the database goes.
    first_title = f"Databasebrudd {run} first"
    with httpx.Client(base_url=stack.gateway_url, timeout=ANSWER_BOUND_S, headers=headers) as client:
        first = client.post("/api/v1/deviations", json=deviation_body(roles.nursing_home, first_title))
        assert first.status_code == 201, first.text

    with ThreadPoolExecutor(REPORTERS) as pool:
        reporters = [
            pool.submit(report_until, stop, stack.gateway_url, headers, roles.nursing_home, run, worker)
            for worker in range(REPORTERS)
        ]
        try:
            time.sleep(1.0)
            stack.postgres.stop()
            stopped_at = time.monotonic()
            while time.monotonic() - stopped_at < OUTAGE_S:
                readiness_during.append(readiness(stack, "deviations"))
                time.sleep(0.5)
            stack.postgres.start()
            started_at = time.monotonic()
            wait_until(lambda: readiness(stack, "deviations") == 200, timeout_s=30, what="deviations ready again")
            ready_at = time.monotonic()
            time.sleep(3.0)  # reports after the database came back: the services recover, not just fail
        finally:
            stop.set()
        answers = [answer for reporter in reporters for answer in reporter.result()]

    longest = max(a.answered - a.sent for a in answers)
    causes = Counter(str(a.problem_type).rsplit(":", 1)[-1] for a in answers if a.status == 503)
    print(  # the figures of the run (pytest -s), not asserted
        f"\n{len(answers)} reports: {sum(a.status == 201 for a in answers)} stored, 503: {dict(causes)}; "
        f"longest answer {longest:.2f} s; ready {ready_at - started_at:.2f} s after the database started"
    )
    # Sent while the database was down (and answered before it was back): none of them can have been stored.
    during = [a for a in answers if a.sent > stopped_at and a.answered < started_at]
    after = [a for a in answers if a.sent > ready_at]
    assert {a.status for a in answers} <= {201, 503}, sorted({(a.status, a.problem_type) for a in answers})
    assert during
    assert all(a.status == 503 for a in during)
    assert any(a.status == 201 for a in after)
    unavailable = [a for a in answers if a.status == 503]
    assert {a.problem_type for a in unavailable} <= DATABASE_PROBLEMS | GATEWAY_PROBLEMS
    assert any(a.problem_type in DATABASE_PROBLEMS for a in during)  # the service's own answer, passed through
    assert all(a.retry_after is not None and int(a.retry_after) > 0 for a in unavailable)
    assert readiness_during
    assert all(status == 503 for status in readiness_during)

    # Rows and outbox agree one to one: every 201 has its case and its events, no 503 left a case behind.
    rows = query(
        stack,
        "deviations",
        "SELECT d.id::text AS id, d.title, (SELECT count(*) FROM outbox o WHERE o.key = d.id::text) AS events "
        "FROM deviation d WHERE d.title LIKE $1",
        f"Databasebrudd {run} %",
    )
    accepted = {a.title: a.deviation_id for a in answers if a.status == 201} | {first_title: first.json()["id"]}
    assert {row["title"]: row["id"] for row in rows} == accepted
    events_per_report = {row["events"] for row in rows}
    assert events_per_report == {2}, events_per_report  # DeviationReported and DeviationAssigned
