"""Every service and the gateway installs alone and starts, as its own image would.

Each package is installed into an empty environment with the line an image uses
(`uv sync --frozen --no-dev --no-editable --compile-bytecode --package varde-<name>`): only what it and
varde_common declare, nothing another package of the workspace happens to bring in. A service then runs its
`migrate` role against a fresh database on the test session's PostgreSQL and its `api` role, which must be live,
ready (database and schema) and serve its OpenAPI document; the gateway, installed alone too, serves the public
document merged from those services.

A system test rather than a contract test: it installs packages and runs processes. With uv's cache warm it costs
about 66 s of CPU (202 s wall on two cores at a load average of 22); uv links the wheels from its cache, and
compiling each environment's bytecode is most of it.
`tests/contracts/test_dependencies.py` is the quick, static half: every import declared by its own package.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from varde_common.embedded import free_port
from varde_devstack.database import APP_ROLE, provision

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")
START_WITHIN_S = 180


def uv() -> str:
    found = ROOT / ".tools" / "bin" / "uv"
    if found.exists():
        return str(found)
    on_path = shutil.which("uv")
    assert on_path, "uv is not installed: `make test` installs it into .tools/"
    return on_path


def clean_env(**settings: str) -> dict[str, str]:
    """What an image's process starts with: no VARDE_* of the caller, no virtual environment, no PYTHONPATH."""
    kept = {k: os.environ[k] for k in ("PATH", "HOME", "TMPDIR", "LANG") if k in os.environ}
    return {**kept, "PYTHONUNBUFFERED": "1", **settings}


def install_alone(package: str, environment: Path) -> Path:
    """Install one workspace package with only its own dependencies; the environment's python."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["UV_PROJECT_ENVIRONMENT"] = str(environment)
    command = [uv(), "sync", "--frozen", "--no-dev", "--no-editable", "--compile-bytecode", "--package", package]
    command += ["--python", sys.executable, "--quiet"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    python = environment / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = sorted(p.name.split("-")[0] for p in Path(site).glob("varde_*.dist-info"))
    assert ours == sorted({"varde_common", package.replace("-", "_")}), "installed beside it: " + ", ".join(ours)
    return python


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


def wait_until_ready(running: Running) -> None:
    deadline = time.monotonic() + START_WITHIN_S
    with httpx.Client(timeout=2) as client:
        while True:
            assert running.process.poll() is None, "exited:\n" + running.log_text()
            try:
                if client.get(running.url + "/readyz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "not ready:\n" + running.log_text()
            time.sleep(0.2)


class Standalone:
    """The services and the gateway of this module, each installed alone and started once."""

    def __init__(self, folder: Path, admin_url: str, public_key: str, private_key: str) -> None:
        self.folder = folder
        self.admin_url = admin_url
        self.public_key = public_key
        self.private_key = private_key
        self.running: dict[str, Running] = {}

    def service(self, name: str) -> Running:
        if name in self.running:
            return self.running[name]
        python = install_alone(f"varde-{name}", self.folder / f"env-{name}")
        database = asyncio.run(provision(self.admin_url, [name], prefix=f"alone_{uuid.uuid4().hex[:8]}"))[name]
        settings = clean_env(
            VARDE_DATABASE_URL=database.app_url,
            VARDE_MIGRATIONS_DATABASE_URL=database.owner_url,
            VARDE_DATABASE_APP_ROLE=APP_ROLE,
            VARDE_INTERNAL_TOKEN_PUBLIC_KEY=self.public_key,
        )
        migrated = subprocess.run(
            [str(python), "-m", f"varde_{name}", "migrate"],
            env=settings,
            capture_output=True,
            text=True,
            timeout=START_WITHIN_S,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        port = free_port()
        settings["VARDE_HTTP_PORT"] = str(port)
        return self._start(name, [str(python), "-m", f"varde_{name}", "api"], settings, port)

    def gateway(self, upstreams: dict[str, str]) -> Running:
        python = install_alone("varde-gateway", self.folder / "env-gateway")
        port = free_port()
        settings = clean_env(
            VARDE_GATEWAY_PORT=str(port),
            VARDE_INTERNAL_TOKEN_PRIVATE_KEY=self.private_key,
            **{f"VARDE_UPSTREAM_{name.upper()}": url for name, url in upstreams.items()},
        )
        return self._start("gateway", [str(python), "-m", "varde_gateway"], settings, port)

    def _start(self, name: str, command: list[str], env: dict[str, str], port: int) -> Running:
        log = self.folder / f"{name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        running = Running(process, f"http://127.0.0.1:{port}", log)
        self.running[name] = running
        wait_until_ready(running)
        return running

    def stop(self) -> None:
        for running in self.running.values():
            running.process.terminate()
        for running in self.running.values():
            try:
                running.process.wait(15)
            except subprocess.TimeoutExpired:
                running.process.kill()
                running.process.wait(5)


@pytest.fixture(scope="module")
def standalone(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_admin_url: str,
    internal_public_key: str,
    internal_private_key: str,
) -> Iterator[Standalone]:
    started = Standalone(
        tmp_path_factory.mktemp("standalone"), postgres_admin_url, internal_public_key, internal_private_key
    )
    try:
        yield started
    finally:
        started.stop()


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_installed_alone_migrates_a_fresh_database_and_serves(standalone: Standalone, service: str) -> None:
    running = standalone.service(service)

    with httpx.Client(base_url=running.url, timeout=10) as client:
        assert client.get("/livez").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["schema"]["ok"] is True
        document = client.get("/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"]
    assert running.process.poll() is None, running.log_text()


@pytest.mark.timeout(900)  # run on its own, it installs and starts every service first
def test_the_gateway_installed_alone_serves_the_document_of_every_service(standalone: Standalone) -> None:
    upstreams = {name: standalone.service(name).url for name in SERVICES}
    gateway = standalone.gateway(upstreams)

    with httpx.Client(base_url=gateway.url, timeout=30) as client:
        assert client.get("/livez").status_code == 200
        assert client.get("/readyz").status_code == 200
        document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert "x-varde-unavailable-services" not in document.json()
    services_with_routes = {path.split("/")[3] for path in document.json()["paths"] if path.startswith("/api/v1/")}
    # reporting has no routes of its own yet (it serves probes and metrics only)
    assert services_with_routes == set(SERVICES) - {"reporting"}
