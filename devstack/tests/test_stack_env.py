"""What a process of `make run` is started with: the caller's VARDE_* settings, except where the stack's own
ports, URLs and keys must win."""

from __future__ import annotations

from pathlib import Path

import pytest

from varde_common.embedded import TansuBroker
from varde_devstack.database import ServiceDatabase
from varde_devstack.keys import ensure_keys
from varde_devstack.stack import SERVICES, Stack, StackConfig


@pytest.fixture
def stack(tmp_path: Path) -> Stack:
    stack = Stack(StackConfig(var_dir=tmp_path, gateway_port=18080))
    stack.keys = ensure_keys(tmp_path / "keys")
    stack.bootstrap = "127.0.0.1:19092"
    stack.databases = {
        name: ServiceDatabase(
            name=f"varde_{name}",
            owner_url=f"postgresql+asyncpg://varde_owner@127.0.0.1:55432/varde_{name}",
            app_url=f"postgresql+asyncpg://varde_app@127.0.0.1:55432/varde_{name}",
        )
        for name in SERVICES
    }
    return stack


def test_the_settings_the_readme_documents_reach_every_service_and_the_gateway(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VARDE_SCHEDULER_INTERVAL_S", "5")
    monkeypatch.setenv("VARDE_REVISION_LEAD_DAYS", "7")
    monkeypatch.setenv("VARDE_KAFKA_FETCH_MAX_WAIT_MS", "100")
    monkeypatch.setenv("VARDE_LOG_LEVEL", "DEBUG")

    for env in [*(stack.service_env(name) for name in SERVICES), stack.gateway_env()]:
        assert env["VARDE_SCHEDULER_INTERVAL_S"] == "5"
        assert env["VARDE_REVISION_LEAD_DAYS"] == "7"
        assert env["VARDE_KAFKA_FETCH_MAX_WAIT_MS"] == "100"
        assert env["VARDE_LOG_LEVEL"] == "DEBUG"


def test_the_stacks_own_ports_urls_and_keys_win_over_the_callers(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in {
        "VARDE_HTTP_PORT": "1",
        "VARDE_DATABASE_URL": "postgresql+asyncpg://postgres@db.example:5432/postgres",
        "VARDE_MIGRATIONS_DATABASE_URL": "postgresql+asyncpg://postgres@db.example:5432/postgres",
        "VARDE_DATABASE_URL_FILE": "/elsewhere-uri",
        "VARDE_MIGRATIONS_DATABASE_URL_FILE": "/elsewhere-owner-uri",
        "VARDE_DATABASE_APP_ROLE": "postgres",
        "VARDE_KAFKA_BOOTSTRAP_SERVERS": "kafka.example:9092",
        "VARDE_INTERNAL_TOKEN_PUBLIC_KEY_FILE": "/elsewhere.pub",
        "VARDE_INTERNAL_TOKEN_PRIVATE_KEY_FILE": "/elsewhere.key",
        "VARDE_PUBLIC_URL": "https://elsewhere.example",
        "VARDE_UPSTREAM_DEVIATIONS": "http://elsewhere.example",
        "VARDE_GATEWAY_PORT": "1",
        "VARDE_ENV": "prod",
    }.items():
        monkeypatch.setenv(name, value)

    deviations = stack.service_env("deviations")
    assert deviations["VARDE_HTTP_PORT"] == str(stack.config.service_ports["deviations"])
    assert deviations["VARDE_DATABASE_URL"] == stack.databases["deviations"].app_url
    assert deviations["VARDE_MIGRATIONS_DATABASE_URL"] == stack.databases["deviations"].owner_url
    assert "VARDE_DATABASE_URL_FILE" not in deviations
    assert "VARDE_MIGRATIONS_DATABASE_URL_FILE" not in deviations
    assert deviations["VARDE_DATABASE_APP_ROLE"] == "varde_app"
    assert deviations["VARDE_KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:19092"
    assert deviations["VARDE_INTERNAL_TOKEN_PUBLIC_KEY_FILE"] == str(tmp_path / "keys" / "internal-token.pub")
    assert deviations["VARDE_ENV"] == "dev"

    gateway = stack.gateway_env()
    assert gateway["VARDE_GATEWAY_PORT"] == "18080"
    assert gateway["VARDE_PUBLIC_URL"] == "http://127.0.0.1:18080"
    assert gateway["VARDE_INTERNAL_TOKEN_PRIVATE_KEY_FILE"] == str(tmp_path / "keys" / "internal-token.key")
    assert gateway["VARDE_UPSTREAM_DEVIATIONS"] == f"http://127.0.0.1:{stack.config.service_ports['deviations']}"
    # The caller's outside database is the stack's to use: the gateway, which has none, is not given its URL.
    assert "VARDE_DATABASE_URL" not in gateway


def test_services_on_the_embedded_broker_hold_fetches_briefly_and_on_an_outside_broker_as_configured(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tansu answers a held fetch late: the dev stack's consumers hold theirs 50 ms (Apache Kafka answers at once).
    monkeypatch.delenv("VARDE_KAFKA_FETCH_MAX_WAIT_MS", raising=False)
    assert "VARDE_KAFKA_FETCH_MAX_WAIT_MS" not in stack.service_env("notifications")  # outside broker: the default
    stack.broker = TansuBroker(19092, log_file=tmp_path / "tansu.log")
    assert stack.service_env("notifications")["VARDE_KAFKA_FETCH_MAX_WAIT_MS"] == "50"
    monkeypatch.setenv("VARDE_KAFKA_FETCH_MAX_WAIT_MS", "100")
    assert stack.service_env("notifications")["VARDE_KAFKA_FETCH_MAX_WAIT_MS"] == "100"
