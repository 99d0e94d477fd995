"""The whole Varde stack on one machine: embedded PostgreSQL, Tansu, every service (role ``all``) and the
gateway, as child processes. Used by ``make run``, the system tests and the benchmarks.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from varde_common.embedded import (
    EmbeddedPostgres,
    TansuBroker,
    ensure_port_free,
    free_port,
    ports_for_children,
    wait_for_port,
)
from varde_common.embedded_valkey import EmbeddedValkey
from varde_common.topics import ensure_topics
from varde_devstack.database import APP_ROLE, ServiceDatabase, provision
from varde_devstack.guide import busiest_handler_line
from varde_devstack.keys import KeyFiles, ensure_keys
from varde_devstack.object_store import broker_environment
from varde_devstack.replay import republish_outboxes
from varde_devstack.supervisor import Backoff, Supervisor, Watched

SERVICES = ("directory", "documents", "deviations", "risk", "notifications", "reporting")
# Services that keep a local copy of the directory; demo data is ready when every copy has every unit.
REPLICA_SERVICES = ("documents", "deviations", "risk", "notifications", "reporting")
# The services whose demo kommuner get a history (their ``demo-history`` command), in this order, and its name.
HISTORIES = (("deviations", "avvik"), ("documents", "dokumenter"), ("risk", "risiko"))
HISTORY_COMMAND = "demo-history"
# What the stack itself is configured with (README): read by the stack, never handed to the processes it runs,
# which get their own ports, databases and broker from it instead.
TANSU_FETCH_MAX_WAIT_MS = 50

STACK_VARIABLES = frozenset(
    {
        "VARDE_DATABASE_URL",
        "VARDE_KAFKA_BOOTSTRAP_SERVERS",
        "VARDE_VAR_DIR",
        "VARDE_GATEWAY_PORT",
        "VARDE_WEB_PORT",
        "VARDE_EMBEDDED_POSTGRES_PORT",
        "VARDE_EMBEDDED_KAFKA_PORT",
        "VARDE_EMBEDDED_VALKEY_PORT",
        "VARDE_RATE_LIMIT_STORAGE_URL",
        "VARDE_SERVICE_PORTS_FROM",
        "VARDE_START_TIMEOUT_S",
        # Not read by the stack, but never handed on either: a URL file would win over each service's own database.
        "VARDE_DATABASE_URL_FILE",
        "VARDE_MIGRATIONS_DATABASE_URL_FILE",
    }
)

MORE_TIME = "(VARDE_START_TIMEOUT_S gir mer tid)"
OBJECT_STORE_BUCKET = "tansu"


class StartFailed(RuntimeError):
    """A step of starting the stack failed: one line in Norwegian saying which, and the log that says why."""

    def __init__(self, what: str, log_file: Path) -> None:
        super().__init__(f"{what}; se {log_file}")
        self.log_file = log_file


@dataclass
class StackConfig:
    var_dir: Path
    gateway_port: int = 8080
    # The web client, behind the gateway (browsers go to the gateway's address).
    web_port: int = 8100
    postgres_port: int = 55432
    kafka_port: int = 19092
    service_ports: dict[str, int] = field(default_factory=lambda: {name: 8101 + i for i, name in enumerate(SERVICES)})
    database_url: str | None = None  # an outside PostgreSQL (admin URL) instead of the embedded one
    kafka_bootstrap_servers: str | None = None  # an outside Kafka instead of Tansu
    # The gateway's rate-limit counters: the embedded Valkey on this port, or an outside Valkey/Redis by URL.
    valkey_port: int = 16379
    rate_limit_storage_url: str | None = None
    database_prefix: str = "varde"
    extra_env: dict[str, str] = field(default_factory=dict)
    load_demo: bool = True
    # Two years of cases, procedures and ROS analyses for the demo kommuner, loaded in the background once the
    # stack is ready (make run; VARDE_DEMO_HISTORY=0 turns it off). The tests make their own data.
    load_history: bool = False
    # The system tests reach the broker through a gate they can close (varde_devstack.gate): a broker outage.
    broker_gate: bool = False
    # Where the broker keeps its log: "memory" (inside the broker process: a restart loses it, and the stack has
    # every service publish its outbox again), or "object-store" (a local S3 store beside it, so the log outlives
    # the broker, at a cost the bench measures: decisions.md).
    broker_storage: str = "memory"
    # How a crashed process is started again (varde_devstack.supervisor).
    restart_backoff: Backoff = field(default_factory=Backoff)
    # How long each step of starting (migrations, readiness, demo data) may take: a guard against a hang, not a
    # measure of speed. A busy two-core machine needed over a minute for the migrations alone (measured: 65 s).
    start_timeout_s: float = 300.0

    @classmethod
    def with_free_ports(cls, var_dir: Path, **kwargs: object) -> StackConfig:
        gateway, web, postgres, kafka, valkey, *services = ports_for_children(5 + len(SERVICES))
        return cls(
            var_dir=var_dir,
            gateway_port=gateway,
            web_port=web,
            postgres_port=postgres,
            kafka_port=kafka,
            valkey_port=valkey,
            service_ports=dict(zip(SERVICES, services, strict=True)),
            **kwargs,  # type: ignore[arg-type]
        )


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.log_dir = config.var_dir / "log"
        self.stack_log = self.log_dir / "stack.log"
        self.postgres: EmbeddedPostgres | None = None
        self.broker: TansuBroker | None = None
        self.valkey: EmbeddedValkey | None = None
        self.rate_limit_storage_url = ""
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.databases: dict[str, ServiceDatabase] = {}
        self.keys: KeyFiles | None = None
        self.admin_url = ""
        self.bootstrap = ""
        self.started_at = 0.0
        self.ready_after_s = 0.0
        self.progress = False
        self.supervisor = Supervisor(self.say, config.restart_backoff)
        self.history_loader: threading.Thread | None = None
        self.histories_stopping = threading.Event()

    def say(self, line: str) -> None:
        """One line about the running stack (a process that crashed and is started again): in the stack's log,
        and on the terminal of ``make run``."""
        with contextlib.suppress(OSError), self.stack_log.open("a") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")
        if self.progress:
            print(line, flush=True)

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self, progress: bool = False) -> None:
        self.started_at = time.monotonic()
        self.progress = progress
        say = print if progress else (lambda *_: None)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.keys = ensure_keys(self.config.var_dir / "keys")
        # Refuse before touching anything: a second stack on the same ports or data would stop the first one's
        # database. With these ports free, a PostgreSQL still running on var/ is an orphan of a crashed run.
        ports = [
            *self.config.service_ports.items(),
            ("gateway", self.config.gateway_port),
            ("web", self.config.web_port),
        ]
        if not self.config.kafka_bootstrap_servers:
            ports.append(("Kafka", self.config.kafka_port))
        if not self.config.rate_limit_storage_url:
            ports.append(("Valkey", self.config.valkey_port))
        for name, port in ports:
            ensure_port_free(port, name)
        try:
            with self._step("PostgreSQL startet ikke"):
                if self.config.database_url:
                    self.admin_url = self.config.database_url
                    say(f"• PostgreSQL: bruker {self._redacted(self.admin_url)}")
                else:
                    say("• Starter PostgreSQL (embedded-postgres)…")
                    self.postgres = EmbeddedPostgres(self.config.var_dir / "postgres", self.config.postgres_port)
                    self.postgres.start()
                    self.admin_url = self.postgres.url()
            with self._step("kunne ikke opprette databasene til tjenestene"):
                self.databases = asyncio.run(
                    provision(self.admin_url, list(SERVICES), prefix=self.config.database_prefix)
                )
            with self._step("Kafka-megleren startet ikke", self.log_dir / "tansu.log"):
                if self.config.kafka_bootstrap_servers:
                    self.bootstrap = self.config.kafka_bootstrap_servers
                    say(f"• Kafka: bruker {self.bootstrap}")
                else:
                    in_store = self.config.broker_storage == "object-store"
                    where = "loggen i et lokalt S3-lager" if in_store else "i minnet"
                    say(f"• Starter Kafka-megleren (Tansu, {where})…")
                    self.start_broker()
            with self._step("Valkey (tellerne for fartsgrensene) startet ikke", self.log_dir / "valkey.log"):
                self.start_counters(say)
            with self._step("kunne ikke opprette Kafka-emnene"):
                asyncio.run(ensure_topics(self.bootstrap))
            say("• Kjører databasemigreringer…")
            with self._step("migreringene feilet"):
                compile_own_modules()
                self.migrate()
            say("• Starter tjenestene og gatewayen…")
            with self._step("tjenestene startet ikke"):
                for name in SERVICES:
                    self.start_service(name)
                self.start_gateway()
                self.start_web()
                self.wait_ready()
            if self.config.load_demo:
                say("• Laster demokommuner…")
                with self._step("demokommunene ble ikke lastet"):
                    self.run_once("directory", "demo")
                    asyncio.run(self.wait_for_replicas())
            self.ready_after_s = time.monotonic() - self.started_at
            self.supervisor.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self.stop_histories()
        self.supervisor.stop()
        # The broker gate last: services that are stopping still commit their consumers' offsets through it.
        # The broker's log store after the broker.
        infrastructure = ("broker-gate", "object-store")
        names = [name for name in self.processes if name not in infrastructure]
        for name in names:
            self._signal(name, signal.SIGTERM)
        for name in [*names, "broker-gate"]:
            self.stop_process(name)
        self.supervisor.forget("broker")
        if self.broker is not None:
            self.broker.stop()
        if self.valkey is not None:
            self.valkey.stop()
        self.stop_process("object-store")
        if self.postgres is not None:
            self.postgres.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- the demo history ------------------------------------------------------------------------------------

    def histories(self) -> list[tuple[str, str]]:
        """The services of this version that make a demo history (a service offers it in its ``demo_history``)."""
        return [(name, label) for name, label in HISTORIES if importlib.util.find_spec(f"varde_{name}.demo_history")]

    def load_histories(self) -> None:
        """Each service's demo history, one after the other, in the background: the stack is in use meanwhile, and
        each says in one line when it is done. A service whose history is there already is done at once."""
        self.histories_stopping.clear()
        self.history_loader = threading.Thread(target=self._load_histories, name="demo-history", daemon=True)
        self.history_loader.start()

    def _load_histories(self) -> None:
        for name, label in self.histories():
            if self.histories_stopping.is_set():
                return
            started = time.monotonic()
            try:
                self.run_once(name, HISTORY_COMMAND, no_deadline=True)
            except StartFailed as failed:
                if not self.histories_stopping.is_set():
                    self.say(f"• Demohistorikken for {label} ble ikke lastet: {failed}")
                continue
            if not self.histories_stopping.is_set():
                self.say(f"• Demohistorikk lastet: {label} ({time.monotonic() - started:.0f} s)")
                if name == "deviations" and (line := busiest_handler_line(self.gateway_url)):
                    self.say(line)

    def stop_histories(self) -> None:
        """Stop a history being loaded: its transaction is rolled back, and the next start loads it whole."""
        self.histories_stopping.set()
        if self.history_loader is None:
            return
        for name, _ in HISTORIES:
            self._signal(f"{name}-{HISTORY_COMMAND}", signal.SIGTERM)
        self.history_loader.join(30)
        self.history_loader = None

    # -- parts -----------------------------------------------------------------------------------------------

    def start_broker(self) -> None:
        """Tansu (its log in the object store beside it, or in memory), behind the gate when the tests want one;
        supervised like every process, and a restarted broker gets every declared topic before anything else."""
        log_file = self.log_dir / "tansu.log"
        storage_engine, environment = self._broker_storage()
        gate = self.config.broker_gate
        self.broker = TansuBroker(
            free_port() if gate else self.config.kafka_port,
            log_file=log_file,
            advertised_port=self.config.kafka_port if gate else None,
            storage_engine=storage_engine,
            environment=environment,
        )
        self.broker.start()
        if gate:
            command = [sys.executable, "-m", "varde_devstack.gate", str(self.config.kafka_port), str(self.broker.port)]
            self._spawn("broker-gate", command, os.environ.copy(), supervised=True)
            wait_for_port("127.0.0.1", self.config.kafka_port, 30, self.processes["broker-gate"])
        self.bootstrap = self.broker.bootstrap
        broker = self.broker
        self.supervisor.watch(
            "broker", Watched("Kafka-megleren", lambda: broker.exit_code, self.restart_broker, str(log_file))
        )

    def restart_broker(self, log_lost: bool | None = None) -> None:
        """Start the broker again on its port with every declared topic, before any service can reach it: the
        first client to ask for a missing topic makes Tansu create it with its default of four partitions (seen:
        the consumers never read the fourth). A broker that kept its log in memory lost it: every service's
        outbox, which holds every event the broker had acknowledged, is published again."""
        assert self.broker is not None
        if log_lost is None:
            log_lost = self.config.broker_storage == "memory"
        urls = {name: self.database_admin_url(name) for name in self.databases}
        replayed: int | None = None
        with self._services_paused():
            self.broker.stop()
            self.broker.start()
            asyncio.run(ensure_topics(self.bootstrap))
            if log_lost:
                with contextlib.suppress(asyncpg.LockNotAvailableError):
                    replayed = asyncio.run(republish_outboxes(urls))
        if log_lost:
            if replayed is None:  # a relay was stopped while it marked rows; running again, it lets go of them
                replayed = asyncio.run(republish_outboxes(urls, lock_timeout_s=30))
            self.say(f"Kafka-megleren mistet loggen sin; {replayed} hendelser publiseres på nytt fra utboksene.")

    @contextlib.contextmanager
    def _services_paused(self) -> Iterator[None]:
        """The services stand still (SIGSTOP) meanwhile: their requests wait in the kernel, none fails."""
        paused = [p for name, p in self.processes.items() if name in SERVICES and p.poll() is None]
        for process in paused:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for process in paused:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGCONT)

    def _broker_storage(self) -> tuple[str, dict[str, str]]:
        if self.config.broker_storage == "memory":
            return "memory://tansu/", {}
        port = free_port()
        command = [sys.executable, "-m", "varde_devstack.object_store", str(port), OBJECT_STORE_BUCKET]
        self._spawn("object-store", command, os.environ.copy(), supervised=False)
        self._wait_object_store(port)
        self.supervisor.watch(
            "object-store",
            Watched(
                "Objektlageret til Kafka-megleren",
                lambda: self._exit_code("object-store"),
                lambda: self._restart_object_store(command, port),
                str(self.log_dir / "object-store.log"),
            ),
        )
        return f"s3://{OBJECT_STORE_BUCKET}/", broker_environment(port)

    def _restart_object_store(self, command: list[str], port: int) -> None:
        # The store kept the broker's log in memory: it is gone, and the broker must start from an empty store.
        self._spawn("object-store", command, os.environ.copy(), supervised=False)
        self._wait_object_store(port)
        self.say("Loggen til Kafka-megleren gikk tapt med objektlageret; megleren startes igjen.")
        self.restart_broker(log_lost=True)

    def _wait_object_store(self, port: int, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.head(f"http://127.0.0.1:{port}/{OBJECT_STORE_BUCKET}", timeout=2).status_code == 200:
                    return
            if time.monotonic() > deadline or self._exit_code("object-store") is not None:
                raise RuntimeError(f"the broker's object store did not start; see {self.log_dir / 'object-store.log'}")
            time.sleep(0.1)

    def start_counters(self, say: Callable[[str], object]) -> None:
        """Where the gateways count their rate limits: shared, so the extra gateways agree with the first."""
        if self.config.rate_limit_storage_url:
            self.rate_limit_storage_url = self.config.rate_limit_storage_url
            say(f"• Fartsgrenser: teller i {self._redacted(self.rate_limit_storage_url)}")
            return
        say("• Starter Valkey (tellere for fartsgrensene)…")
        self.valkey = EmbeddedValkey(self.config.valkey_port, log_file=self.log_dir / "valkey.log")
        self.valkey.start()
        self.rate_limit_storage_url = self.valkey.url

    def cut_broker(self) -> None:
        """A broker outage: every connection to the broker is reset and new ones are refused until
        :meth:`restore_broker`; the broker keeps its log and consumer groups, as Apache Kafka would."""
        assert "broker-gate" in self.processes, "start the stack with broker_gate=True"
        self._signal("broker-gate", signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while _accepts(self.config.kafka_port):
            if time.monotonic() > deadline:
                raise RuntimeError("the broker gate did not close")
            time.sleep(0.05)

    def restore_broker(self) -> None:
        self._signal("broker-gate", signal.SIGUSR2)
        wait_for_port("127.0.0.1", self.config.kafka_port, 10, self.processes["broker-gate"])

    def base_env(self) -> dict[str, str]:
        """The caller's environment, its ``VARDE_*`` settings included (the README's
        ``VARDE_SCHEDULER_INTERVAL_S``, ``VARDE_REVISION_LEAD_DAYS``, …), then the stack's own; only the stack's
        ports, URLs and keys (set per process after this) win over the caller's."""
        assert self.keys is not None
        env = {"VARDE_LOG_LEVEL": "INFO"}
        env.update({k: v for k, v in os.environ.items() if k not in STACK_VARIABLES})
        env.update(self.config.extra_env)
        env.update(
            {
                "VARDE_ENV": "dev",
                "VARDE_INTERNAL_TOKEN_PUBLIC_KEY_FILE": str(self.keys.internal_public),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def service_env(self, name: str) -> dict[str, str]:
        database = self.databases[name]
        env = self.base_env()
        env.update(
            {
                "VARDE_HTTP_PORT": str(self.config.service_ports[name]),
                "VARDE_DATABASE_URL": database.app_url,
                "VARDE_MIGRATIONS_DATABASE_URL": database.owner_url,
                "VARDE_DATABASE_APP_ROLE": APP_ROLE,
                "VARDE_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
                # Tansu does not support idempotent producing; an outside Apache Kafka does.
                "VARDE_KAFKA_ENABLE_IDEMPOTENCE": os.environ.get(
                    "VARDE_KAFKA_ENABLE_IDEMPOTENCE", "false" if self.broker is not None else "true"
                ),
            }
        )
        if self.broker is not None:
            # Tansu answers a held fetch late when records arrive meanwhile, often only when the wait is over (Apache
            # Kafka answers at once): measured with 250 ms, a notification came 69 ms (p50) and 131 ms (p99) after its
            # event was published; with 50 ms, 10 and 37 ms, for 7 % of a core more across the idle stack.
            env.setdefault("VARDE_KAFKA_FETCH_MAX_WAIT_MS", str(TANSU_FETCH_MAX_WAIT_MS))
        return env

    def gateway_env(self) -> dict[str, str]:
        assert self.keys is not None
        env = self.base_env()
        env.update(
            {
                "VARDE_GATEWAY_PORT": str(self.config.gateway_port),
                "VARDE_PUBLIC_URL": self.gateway_url,
                "VARDE_INTERNAL_TOKEN_PRIVATE_KEY_FILE": str(self.keys.internal_private),
                "VARDE_DEV_IDP_PRIVATE_KEY_FILE": str(self.keys.dev_idp_private),
                "VARDE_RATE_LIMIT_STORAGE_URL": self.rate_limit_storage_url,
            }
        )
        for name, port in self.config.service_ports.items():
            env[f"VARDE_UPSTREAM_{name.upper()}"] = f"http://127.0.0.1:{port}"
        env["VARDE_UPSTREAM_WEB"] = self.web_url
        return env

    def web_env(self) -> dict[str, str]:
        env = self.base_env()
        env.update({"VARDE_HTTP_PORT": str(self.config.web_port), "VARDE_GATEWAY_URL": self.gateway_url})
        # The statements name who answers for the installation; here a demo kommune, at addresses that reach no one.
        env.setdefault("VARDE_RESPONSIBLE_NAME", "Hustadvika kommune")
        env.setdefault("VARDE_CONTACT_EMAIL", "postmottak@hustadvika.kommune.example")
        env.setdefault("VARDE_PRIVACY_OFFICER_EMAIL", "personvernombud@hustadvika.kommune.example")
        return env

    def migrate(self) -> None:
        """Every service's ``migrate`` role, side by side, each writing to ``var/log/<service>-migrate.log``."""
        deadline = time.monotonic() + self.config.start_timeout_s
        for name in SERVICES:
            self._spawn(f"{name}-migrate", [sys.executable, "-m", f"varde_{name}", "migrate"], self.service_env(name))
        try:
            for name in SERVICES:
                self._wait_for_exit(f"{name}-migrate", f"migreringen av {name}", deadline)
        finally:
            for name in SERVICES:
                self.stop_process(f"{name}-migrate")

    def run_once(self, name: str, role: str, *, no_deadline: bool = False) -> None:
        """A one-off command of a service (``demo``), writing to ``var/log/<service>-<role>.log``. A step of starting
        must end within the start timeout; a demo history (loaded while Varde is in use) has ``no_deadline``: on a
        busy machine it takes minutes more (seen: 167 s for one kommune that takes 12 s on a quiet one), and
        stopping the stack stops it."""
        deadline = None if no_deadline else time.monotonic() + self.config.start_timeout_s
        self._spawn(f"{name}-{role}", [sys.executable, "-m", f"varde_{name}", role], self.service_env(name))
        try:
            self._wait_for_exit(f"{name}-{role}", f"kommandoen «{role}» i {name}", deadline)
        finally:
            self.stop_process(f"{name}-{role}")

    def _wait_for_exit(self, process_name: str, what: str, deadline: float | None) -> None:
        log_file = self.log_dir / f"{process_name}.log"
        try:
            code = self.processes[process_name].wait(
                None if deadline is None else max(0.0, deadline - time.monotonic())
            )
        except subprocess.TimeoutExpired:
            raise StartFailed(
                f"{what} ble ikke ferdig på {self.config.start_timeout_s:.0f} s {MORE_TIME}",
                log_file,
            ) from None
        if code != 0:
            raise StartFailed(f"{what} feilet (avslutningskode {code})", log_file)

    @contextlib.contextmanager
    def _step(self, what: str, log_file: Path | None = None) -> Iterator[None]:
        """One step of starting; whatever goes wrong in it ends as :class:`StartFailed`, its details in the log."""
        try:
            yield
        except StartFailed as failed:
            self._record(failed)
            raise
        except Exception as exc:
            self._record(exc)
            raise StartFailed(what, log_file or self.stack_log) from exc

    def _record(self, exc: BaseException) -> None:
        with self.stack_log.open("a") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} starting failed\n")
            log.write("".join(traceback.format_exception(exc)))
            stderr = getattr(exc.__cause__ or exc, "stderr", None)
            if stderr:
                log.write(stderr.decode(errors="replace") if isinstance(stderr, bytes) else str(stderr))

    def _spawn(self, name: str, command: list[str], env: dict[str, str], *, supervised: bool = False) -> None:
        """Start a child process writing to ``var/log/<name>.log``; a supervised one is started again (with the
        same command and environment) when it exits without being asked to."""
        with self.supervisor.lock:
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it until it exits
            self.processes[name] = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            log.close()
            if supervised:
                self.supervisor.watch(
                    name,
                    Watched(
                        name,
                        lambda: self._exit_code(name),
                        lambda: self._spawn(name, command, env, supervised=True),
                        str(self.log_dir / f"{name}.log"),
                    ),
                )

    def _exit_code(self, name: str) -> int | None:
        process = self.processes.get(name)
        return process.poll() if process is not None else None

    def start_service(self, name: str) -> None:
        self._spawn(name, [sys.executable, "-m", f"varde_{name}", "all"], self.service_env(name), supervised=True)

    def start_gateway(self) -> None:
        self._spawn("gateway", [sys.executable, "-m", "varde_gateway"], self.gateway_env(), supervised=True)

    def start_web(self) -> None:
        self._spawn("web", [sys.executable, "-m", "varde_web"], self.web_env(), supervised=True)

    def start_extra_gateway(self, name: str, overrides: dict[str, str], timeout_s: float = 30) -> str:
        """Another gateway on the same services with other settings (benchmarks compare them); its URL."""
        port = free_port()
        env = {**self.gateway_env(), **overrides, "VARDE_GATEWAY_PORT": str(port)}
        self._spawn(name, [sys.executable, "-m", "varde_gateway"], env)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    return url
            if time.monotonic() > deadline or self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} did not start; see {self.log_dir / name}.log")
            time.sleep(0.1)

    def _signal(self, name: str, sig: signal.Signals) -> None:
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)

    def stop_process(self, name: str, timeout_s: float = 15) -> None:
        """Stop a process on purpose: the supervisor does not start it again (``start_service`` does)."""
        with self.supervisor.lock:
            self.supervisor.forget(name)
            self._signal(name, signal.SIGTERM)
            process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    # -- readiness -------------------------------------------------------------------------------------------

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.config.gateway_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.config.web_port}"

    def service_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.config.service_ports[name]}"

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                log_file = self.log_dir / f"{name}.log"
                raise StartFailed(f"{name} stoppet (avslutningskode {process.returncode})", log_file)

    def wait_ready(self, timeout_s: float | None = None) -> None:
        timeout_s = self.config.start_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout_s
        pending = {name: self.service_url(name) + "/readyz" for name in SERVICES}
        pending["gateway"] = self.gateway_url + "/readyz"
        pending["web"] = self.web_url + "/livez"
        with httpx.Client(timeout=2) as client:
            while pending:
                for name, url in list(pending.items()):
                    process = self.processes.get(name)
                    if process is not None and process.poll() is not None:
                        raise StartFailed(
                            f"{name} stoppet under oppstart (avslutningskode {process.returncode})",
                            self.log_dir / f"{name}.log",
                        )
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(url).status_code == 200:
                            del pending[name]
                if pending and time.monotonic() > deadline:
                    first = next(iter(pending))
                    ready = "klare" if len(pending) > 1 else "klar"
                    raise StartFailed(
                        f"{', '.join(pending)} ble ikke {ready} på {timeout_s:.0f} s {MORE_TIME}",
                        self.log_dir / f"{first}.log",
                    )
                time.sleep(0.1)

    def wait_service_ready(self, name: str, timeout_s: float = 60) -> None:
        wait_for_port("127.0.0.1", self.config.service_ports[name], timeout_s, self.processes.get(name))

    def database_admin_url(self, service: str) -> str:
        """A superuser URL to a service's database (for checks that must see past row-level security)."""
        base = self.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        return base.rsplit("/", 1)[0] + "/" + self.databases[service].name

    async def wait_for_replicas(self, timeout_s: float | None = None) -> None:
        """Until every service's copy of the directory holds every kommune, unit, role and person the directory
        has (a demo history is made from the copy)."""
        timeout_s = self.config.start_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout_s
        copies = {
            "tenant": "replica_tenant",
            "org_unit": "replica_org_unit",
            "role_assignment": "replica_role_assignment",
            "person": "replica_person",
        }
        what = {
            "tenant": "kommunene",
            "org_unit": "enhetene",
            "role_assignment": "rolletildelingene",
            "person": "personene",
        }
        directory = await asyncpg.connect(self.database_admin_url("directory"))
        try:
            expected = {table: await directory.fetchval(f"SELECT count(*) FROM {table}") for table in copies}  # noqa: S608 - fixed names
        finally:
            await directory.close()
        for service in REPLICA_SERVICES:
            connection = await asyncpg.connect(self.database_admin_url(service))
            try:
                for table, replica in copies.items():
                    while await connection.fetchval(f"SELECT count(*) FROM {replica}") < expected[table]:  # noqa: S608
                        self.check_alive()
                        if time.monotonic() > deadline:
                            raise StartFailed(
                                f"{service} har ikke fått {what[table]} fra katalogen på {timeout_s:.0f} s",
                                self.log_dir / f"{service}.log",
                            )
                        await asyncio.sleep(0.1)
            finally:
                await connection.close()

    @staticmethod
    def _redacted(url: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port}{parts.path}"


def compile_own_modules() -> None:
    """Compile Varde's own modules once, before a dozen processes import them at the same time. The installed
    packages are compiled when ``make`` installs them (uv's ``--compile-bytecode``); the workspace's own code is
    installed editable, and with ``PYTHONDONTWRITEBYTECODE=1`` in the environment every process would compile all
    of it again on every start (about a second of CPU each, measured)."""
    for name in ("common", *SERVICES, "gateway", "devstack"):
        spec = importlib.util.find_spec(f"varde_{name}")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=2)
