"""No personal data in any log line or exported span: a run with failing inserts, searches and e-mail filters.

The stack runs with every span exported to the console (``OTEL_TRACES_EXPORTER=console``: each process writes its
spans into its own log) and the SQL spans on, so the log files hold everything the processes would send to a
collector. Then every log file (the services', the gateway's and PostgreSQL's own) is searched for the values the
run sent: names, a fødselsnummer, e-mail addresses and search words. None may appear.

The failing inserts: a person whose e-mail address the kommune already has (a unique index), and a case the
database refuses. The API checks what it can before it writes, so a refused case is by nature one the code did not
foresee; the test makes the database refuse it with a check constraint added for the test, the way a constraint the
code does not know of would, with the name and the fødselsnummer in the row (the restricted ``persons_involved``
too). Each failure's error, traceback and span go to the logs; none may carry the row.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DemoPerson, person, query, wait_until
from varde_devstack.stack import Stack, StackConfig

pytestmark = pytest.mark.system

MARK = uuid.uuid4().hex[:8]
NAME = f"Torunn Pii{MARK}sen"
FODSELSNUMMER = f"1703{int(MARK, 16) % 10**7:07d}"
EMAIL = f"torunn.{MARK}@pii.example.no"
SEARCH_WORD = f"brannalarm{MARK}"
REFUSED_TITLE = f"Avvist av databasen {MARK}"
REFUSED = "ck_refuse_for_the_personal_data_test"


@pytest.fixture(scope="module")
def traced_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    config = StackConfig.with_free_ports(
        tmp_path_factory.mktemp("traced-stack"),
        extra_env={"OTEL_TRACES_EXPORTER": "console", "VARDE_TRACE_SQL": "true"},
    )
    with Stack(config) as running:
        yield running


@pytest.fixture(scope="module")
def client(traced_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=traced_stack.gateway_url, timeout=20) as gateway:
        yield gateway


def people_of(client: httpx.Client) -> list[DemoPerson]:
    response = client.get("/dev/people")
    assert response.status_code == 200
    return [DemoPerson(p["tenant"], p["email"], p["name"], p["roles"]) for p in response.json()]


def bearer(client: httpx.Client, who: DemoPerson) -> dict[str, str]:
    response = client.post("/dev/token", json={"tenant": who.tenant, "email": who.email})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


def log_files(stack: Stack) -> list[Path]:
    files = sorted(stack.log_dir.glob("*.log"))
    server_log = stack.config.var_dir / "postgres" / "server.log"
    return [*files, server_log] if server_log.exists() else files


def found_in_logs(stack: Stack, values: dict[str, str]) -> dict[str, list[str]]:
    """Where each value appears, as ``file: line`` (the line cut short), over every log file of the stack."""
    found: dict[str, list[str]] = {}
    for file in log_files(stack):
        for line in file.read_text(errors="replace").splitlines():
            lowered = line.lower()
            for what, value in values.items():
                if value.lower() in lowered:
                    found.setdefault(what, []).append(f"{file.name}: {line.strip()[:300]}")
    return found


def test_no_personal_data_in_logs_or_spans_after_failing_inserts_and_searches(
    traced_stack: Stack, client: httpx.Client
) -> None:
    stack = traced_stack
    people = people_of(client)
    admin = person(people, "hustadvika", "systemadministrator")
    employee = person(people, "hustadvika", "ansatt", "Hustadvika sjukeheim")
    nursing_home = employee.unit_where("ansatt")
    as_admin, as_employee = bearer(client, admin), bearer(client, employee)

    # A person is made, and made again with the same e-mail address: the unique index refuses the second.
    new_person = {"name": NAME, "email": EMAIL}
    assert client.post("/api/v1/directory/people", json=new_person, headers=as_admin).status_code == 201
    again = client.post("/api/v1/directory/people", json={"name": NAME, "email": EMAIL.upper()}, headers=as_admin)
    assert again.status_code == 409, again.text

    # A case the database refuses, with a name and a fødselsnummer in its text and in the restricted part.
    query(stack, "deviations", f"ALTER TABLE deviation ADD CONSTRAINT {REFUSED} CHECK (title <> '{REFUSED_TITLE}')")
    try:
        refused = client.post(
            "/api/v1/deviations",
            json={
                "title": REFUSED_TITLE,
                "description": f"{NAME} ({FODSELSNUMMER}) falt i trappa.",
                "persons_involved": f"{NAME}, fødselsnummer {FODSELSNUMMER}",
                "unit_id": nursing_home,
                "occurred_at": "2026-11-01T10:00:00+01:00",
            },
            headers=as_employee,
        )
    finally:
        query(stack, "deviations", f"ALTER TABLE deviation DROP CONSTRAINT {REFUSED}")
    assert refused.status_code == 500, refused.text
    refused_trace = refused.json()["trace_id"]

    # Searches with words, filters with e-mail addresses, in the query string.
    searches = [
        ("/api/v1/deviations", {"q": SEARCH_WORD}, as_employee),
        ("/api/v1/documents/search", {"q": SEARCH_WORD}, as_employee),
        ("/api/v1/directory/people", {"q": EMAIL}, as_admin),
        ("/api/v1/directory/people", {"q": NAME}, as_admin),
    ]
    for path, params, headers in searches:
        answer = client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, f"{path}: {answer.text}"

    # The spans of the run are in the logs (the test would pass on logs without them), and so is the failure.
    wait_until(lambda: any(refused_trace in f.read_text() for f in log_files(stack)), what="the refusal's log")
    wait_until(lambda: any(re.search(r'"http\.route"', f.read_text()) for f in log_files(stack)), what="exported spans")
    wait_until(lambda: any('"db.statement"' in f.read_text() for f in log_files(stack)), what="exported SQL spans")

    personal = {
        "name": NAME,
        "name (as any encoding of it)": f"Pii{MARK}sen",
        "fødselsnummer": FODSELSNUMMER,
        "e-mail address": EMAIL,
        "e-mail address (escaped)": EMAIL.replace("@", "%40"),
        "search word": SEARCH_WORD,
        "the admin's e-mail address": admin.email,
        "the employee's e-mail address": employee.email,
    }
    assert found_in_logs(stack, personal) == {}
