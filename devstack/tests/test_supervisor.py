"""The supervisor starts a crashed process again, backs off while it keeps crashing, says so in one line each
time, and leaves a process stopped on purpose alone. Real child processes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from varde_devstack.supervisor import Backoff, Supervisor, Watched


def wait_until(condition: Callable[[], bool], timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


class Child:
    """A process started again and again by the supervisor, with the command it is given."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.starts = 0
        self.process = self.start()

    def start(self) -> subprocess.Popen[bytes]:
        self.starts += 1
        self.process = subprocess.Popen([sys.executable, "-c", self.code])
        return self.process

    def restart(self) -> None:
        self.start()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def test_a_process_that_keeps_crashing_backs_off_to_the_cap_and_says_so(tmp_path: Path) -> None:
    lines: list[str] = []
    supervisor = Supervisor(lines.append, Backoff(first_s=0.1, cap_s=0.4, stable_s=60), tick_s=0.01)
    child = Child("import sys; sys.exit(3)")
    log_file = str(tmp_path / "c.log")
    supervisor.watch("crasher", Watched("crasher", lambda: child.process.poll(), child.restart, log_file))
    supervisor.start()
    try:
        wait_until(lambda: len(lines) >= 5)
    finally:
        supervisor.stop()
        child.stop()
    assert lines[0].startswith("crasher stoppet uventet (avslutningskode 3); startes igjen om 0.1 s.")
    assert "startes igjen om 0.2 s." in lines[1]
    assert "for 3. gang på rad; prøver igjen med 0.4 s mellomrom" in lines[2]
    assert "for 5. gang på rad; prøver igjen med 0.4 s mellomrom" in lines[4]
    assert child.starts >= 5


def test_a_killed_process_is_started_again_once_and_one_stopped_on_purpose_is_not(tmp_path: Path) -> None:
    lines: list[str] = []
    supervisor = Supervisor(lines.append, Backoff(first_s=0.1, cap_s=1), tick_s=0.01)
    killed = Child("import time; time.sleep(60)")
    stopped = Child("import time; time.sleep(60)")
    supervisor.watch("killed", Watched("killed", lambda: killed.process.poll(), killed.restart, "k.log"))
    supervisor.watch("stopped", Watched("stopped", lambda: stopped.process.poll(), stopped.restart, "s.log"))
    supervisor.start()
    try:
        with supervisor.lock:
            supervisor.forget("stopped")
            stopped.stop()
        killed.process.kill()
        wait_until(lambda: killed.starts == 2)
        time.sleep(0.5)
    finally:
        supervisor.stop()
        killed.stop()
    assert stopped.starts == 1
    assert lines == ["killed stoppet uventet (drept av signal 9); startes igjen om 0.1 s. Se k.log"]
    assert supervisor.restarts("killed") == 1
