"""A worker and a relay answer an orchestrator's probes on a port of their own, and every role stops gracefully.

Each role runs as its own process (``python -m varde_deviations <role>``, as its pod would) against the embedded
PostgreSQL and Tansu: ``/livez`` answers, ``/readyz`` is 200 only when the database answers, the schema is the
code's and the broker (and for the worker its consumers) run, ``/metrics`` is Prometheus text. On SIGTERM an api
finishes the request in flight, takes no new one, and the process exits 0; a worker finishes the record in hand
and commits it, so the next worker of its group does not handle it again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from alembic.script import ScriptDirectory

from varde_common.embedded import free_port
from varde_common.migrations import alembic_config
from varde_common.runtime import Runtime
from varde_common.testing.databases import APP_ROLE, TestDatabase, create_migrated_database
from varde_deviations.__main__ import SPEC

pytestmark = pytest.mark.system

START_WITHIN_S = 90


@dataclass
class Role:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
            raise


def environment(database_url: str, kafka: str, **settings: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("VARDE_", "OTEL_"))}
    return {
        **kept,
        "PYTHONUNBUFFERED": "1",
        "VARDE_DATABASE_URL": database_url,
        "VARDE_DATABASE_APP_ROLE": APP_ROLE,
        "VARDE_KAFKA_BOOTSTRAP_SERVERS": kafka,
        "VARDE_KAFKA_ENABLE_IDEMPOTENCE": "false",  # Tansu does not support it
        "VARDE_HTTP_HOST": "127.0.0.1",
        **settings,
    }


@pytest.fixture
def started() -> Iterator[list[Role]]:
    roles: list[Role] = []
    yield roles
    for role in roles:
        if role.process.poll() is None:
            role.process.kill()
            role.process.wait(5)


def start(roles: list[Role], folder: Path, command: list[str], env: dict[str, str], port: int, name: str) -> Role:
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    role = Role(process, f"http://127.0.0.1:{port}", log)
    roles.append(role)
    return role


def wait_for(role: Role, path: str, status: int) -> httpx.Response:
    deadline = time.monotonic() + START_WITHIN_S
    last = "no answer"
    with httpx.Client(base_url=role.url, timeout=5) as client:
        while True:
            assert role.process.poll() is None, "exited:\n" + role.log_text()
            try:
                answer = client.get(path)
                if answer.status_code == status:
                    return answer
                last = f"{answer.status_code} {answer.text}"
            except httpx.HTTPError as exc:
                last = repr(exc)
            assert time.monotonic() < deadline, f"{path} never {status} (last: {last}):\n" + role.log_text()
            time.sleep(0.2)


def start_role(roles: list[Role], folder: Path, role: str, database_url: str, kafka: str, **settings: str) -> Role:
    port = free_port()
    env = environment(database_url, kafka, VARDE_PROBE_PORT=str(port), **settings)
    return start(roles, folder, [sys.executable, "-m", "varde_deviations", role], env, port, role)


@pytest.fixture(scope="module")
def database(postgres_admin_url: str) -> TestDatabase:
    return asyncio.run(create_migrated_database(postgres_admin_url, "deviations", SPEC.migrations_dir))


@pytest.fixture(scope="module")
def behind(postgres_admin_url: str) -> TestDatabase:
    """A database one migration behind the code: the migrate role has not run yet for this release."""
    script = ScriptDirectory.from_config(alembic_config(SPEC.migrations_dir, postgres_admin_url, APP_ROLE))
    head = script.get_revision(script.get_current_head())
    assert head is not None
    assert isinstance(head.down_revision, str)
    return asyncio.run(
        create_migrated_database(postgres_admin_url, "deviations", SPEC.migrations_dir, head.down_revision)
    )


@pytest.fixture(scope="module")
def kafka(kafka_bootstrap: str) -> str:
    from varde_common.topics import ensure_topics

    asyncio.run(ensure_topics(kafka_bootstrap))
    return kafka_bootstrap


@pytest.mark.parametrize("role", ["worker", "relay"])
def test_a_worker_and_a_relay_are_live_ready_and_measured_on_their_probe_port_and_stop_with_0(
    role: str, database: TestDatabase, kafka: str, started: list[Role], tmp_path: Path
) -> None:
    running = start_role(started, tmp_path, role, database.app_url, kafka)

    assert wait_for(running, "/livez", 200).json() == {"status": "ok"}
    ready = wait_for(running, "/readyz", 200).json()
    expected = {"database", "schema", "broker"} | ({"consumer"} if role == "worker" else set())
    assert set(ready["checks"]) == expected
    assert all(check["ok"] for check in ready["checks"].values())
    metrics = httpx.get(running.url + "/metrics", timeout=5)
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain; version=")  # the Prometheus text format
    assert "# TYPE process_cpu_seconds_total counter" in metrics.text
    assert "varde_outbox_pending" in metrics.text  # the service's own metrics, not a bare exporter's
    with httpx.Client(base_url=running.url, timeout=5) as client:
        assert client.get("/openapi.json").status_code == 404  # the probe port serves probes, nothing else

    assert running.stop() == 0, running.log_text()
    assert '"service stopped"' in running.log_text()


@pytest.mark.parametrize("role", ["worker", "relay"])
def test_a_worker_and_a_relay_are_not_ready_while_the_database_is_unreachable(
    role: str, kafka: str, started: list[Role], tmp_path: Path
) -> None:
    nowhere = f"postgresql+asyncpg://{APP_ROLE}@127.0.0.1:{free_port()}/varde"
    running = start_role(started, tmp_path, role, nowhere, kafka, VARDE_DATABASE_CONNECT_TIMEOUT_S="1")

    wait_for(running, "/livez", 200)  # alive: restarting it would not bring the database back
    not_ready = wait_for(running, "/readyz", 503).json()

    assert not_ready["type"] == "urn:varde:problem:not-ready"
    assert not_ready["checks"]["database"]["ok"] is False
    assert not_ready["checks"]["schema"]["ok"] is False
    assert not_ready["checks"]["broker"]["ok"] is True


@pytest.mark.parametrize("role", ["worker", "relay"])
def test_a_worker_and_a_relay_are_not_ready_while_the_schema_is_behind_the_code(
    role: str, behind: TestDatabase, kafka: str, started: list[Role], tmp_path: Path
) -> None:
    running = start_role(started, tmp_path, role, behind.app_url, kafka)

    not_ready = wait_for(running, "/readyz", 503).json()

    assert not_ready["checks"]["database"]["ok"] is True
    assert not_ready["checks"]["schema"]["ok"] is False
    assert "run the migrate role" in not_ready["checks"]["schema"]["error"]


@pytest.mark.parametrize("role", ["worker", "relay"])
def test_a_worker_and_a_relay_are_not_ready_while_the_broker_is_unreachable(
    role: str, database: TestDatabase, started: list[Role], tmp_path: Path
) -> None:
    running = start_role(started, tmp_path, role, database.app_url, f"127.0.0.1:{free_port()}")

    not_ready = wait_for(running, "/readyz", 503).json()

    assert not_ready["checks"]["database"]["ok"] is True
    assert not_ready["checks"]["broker"]["ok"] is False
    if role == "worker":
        assert not_ready["checks"]["consumer"]["ok"] is False  # no consumer runs without its broker
    assert running.stop() == 0, running.log_text()  # and it still stops cleanly


SLOW_API = """
import asyncio, dataclasses, sys
from varde_common.runner import main
from varde_deviations.__main__ import SPEC

def create_app(runtime, probes):
    app = SPEC.create_app(runtime, probes)

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(float(sys.argv[1]))
        return {"done": "yes"}

    return app

main(dataclasses.replace(SPEC, create_app=create_app), ["api"])
"""


def test_sigterm_lets_an_api_finish_the_request_in_flight_take_no_new_one_and_exit_0(
    database: TestDatabase, kafka: str, internal_public_key: str, started: list[Role], tmp_path: Path
) -> None:
    program = tmp_path / "slow_api.py"
    program.write_text(SLOW_API)
    port = free_port()
    env = environment(
        database.app_url, kafka, VARDE_HTTP_PORT=str(port), VARDE_INTERNAL_TOKEN_PUBLIC_KEY=internal_public_key
    )
    api = start(started, tmp_path, [sys.executable, str(program), "3"], env, port, "api")
    wait_for(api, "/readyz", 200)

    answers: list[httpx.Response | Exception] = []

    def slow_request() -> None:
        try:
            answers.append(httpx.get(api.url + "/slow", timeout=30))
        except httpx.HTTPError as exc:
            answers.append(exc)

    in_flight = threading.Thread(target=slow_request)
    in_flight.start()
    time.sleep(1.0)  # the request is being handled (it takes 3 s)
    api.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    with pytest.raises(httpx.ConnectError):
        httpx.get(api.url + "/livez", timeout=2)  # stopped taking new requests
    in_flight.join(30)

    assert len(answers) == 1
    answer = answers[0]
    assert isinstance(answer, httpx.Response), f"{answer!r}\n{api.log_text()}"
    assert answer.status_code == 200
    assert answer.json() == {"done": "yes"}
    assert api.process.wait(30) == 0, api.log_text()


SLOW_WORKER = """
import asyncio, dataclasses, sys
from pathlib import Path
from varde_common.runner import main
from varde_deviations.__main__ import SPEC

marks = Path(sys.argv[1])

def create_worker(runtime):
    events = SPEC.create_worker(runtime)
    handle = events.process

    async def slowly(record):
        with marks.open("a") as out:
            out.write(f"started {record.key.decode()}\\n")
        await asyncio.sleep(3)
        await handle(record)
        with marks.open("a") as out:
            out.write(f"finished {record.key.decode()}\\n")

    events.process = slowly
    return events

main(dataclasses.replace(SPEC, create_worker=create_worker), ["worker"])
"""


def test_sigterm_lets_a_worker_finish_and_commit_the_batch_in_hand_so_it_is_not_handled_again(
    database: TestDatabase, kafka: str, started: list[Role], tmp_path: Path
) -> None:
    program = tmp_path / "slow_worker.py"
    program.write_text(SLOW_WORKER)
    marks = tmp_path / "marks.txt"
    marks.touch()
    key = uuid.uuid4().hex
    topic = sorted(SPEC.create_worker(Runtime.create("deviations", SPEC.settings_factory())).topics)[0]  # type: ignore[union-attr]

    def run_worker() -> Role:
        port = free_port()
        env = environment(database.app_url, kafka, VARDE_PROBE_PORT=str(port))
        worker = start(started, tmp_path, [sys.executable, str(program), str(marks)], env, port, "worker")
        wait_for(worker, "/readyz", 200)
        return worker

    first = run_worker()
    asyncio.run(produce(kafka, topic, key))
    deadline = time.monotonic() + START_WITHIN_S
    while f"started {key}" not in marks.read_text():
        assert time.monotonic() < deadline, "never handled:\n" + first.log_text()
        time.sleep(0.1)
    assert first.stop() == 0, first.log_text()  # SIGTERM while the record is being handled
    assert marks.read_text().count(f"finished {key}") == 1, first.log_text()

    # The same consumer group again, and a record behind the first on the same partition: by the time it is handled,
    # the first would have been delivered again had its offset not been committed.
    second = run_worker()
    later = uuid.uuid4().hex
    asyncio.run(produce(kafka, topic, later))
    deadline = time.monotonic() + START_WITHIN_S
    while f"finished {later}" not in marks.read_text():
        assert time.monotonic() < deadline, "never handled:\n" + second.log_text()
        time.sleep(0.1)
    assert second.stop() == 0, second.log_text()
    assert marks.read_text().count(f"started {key}") == 1, marks.read_text()


async def produce(bootstrap: str, topic: str, key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, key=key.encode(), value=b"{}", partition=0)
    finally:
        await producer.stop()
