"""Keeps the stack's long-running processes up: one that exits unasked is started again after a delay that
doubles while it keeps crashing, up to a cap, with one line saying so each time.

A laptop kills processes (the OOM killer, a stray ``kill``, a crash in a native library); one dead service must
not take the other five, the gateway, the broker and the database down with it.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    first_s: float = 0.5
    cap_s: float = 30.0
    # A process that stayed up this long has recovered: its next crash waits first_s again.
    stable_s: float = 60.0

    def delay(self, crashes_in_a_row: int) -> float:
        return float(min(self.first_s * 2 ** (crashes_in_a_row - 1), self.cap_s))


@dataclass
class Watched:
    """One supervised process: how to tell its exit code (None while it runs) and how to start it again."""

    label: str
    exit_code: Callable[[], int | None]
    restart: Callable[[], None]
    log_file: str
    crashes_in_a_row: int = 0
    started_at: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    restart_failed: bool = False


class Supervisor:
    def __init__(self, say: Callable[[str], None], backoff: Backoff | None = None, tick_s: float = 0.1) -> None:
        self.say = say
        self.backoff = backoff or Backoff()
        self.tick_s = tick_s
        self.lock = threading.RLock()  # held by the stack while it starts or stops a process on purpose
        self._watched: dict[str, Watched] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, name: str, watched: Watched) -> None:
        """Supervise a process; a process started again by the supervisor keeps its count of crashes."""
        with self.lock:
            if name not in self._watched:
                watched.started_at = time.monotonic()
                self._watched[name] = watched

    def forget(self, name: str) -> None:
        """A process stopped on purpose is not started again."""
        with self.lock:
            self._watched.pop(name, None)

    def restarts(self, name: str) -> int:
        with self.lock:
            watched = self._watched.get(name)
            return watched.restarts if watched else 0

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="varde-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.wait(self.tick_s):
            with self.lock:
                for name in list(self._watched):
                    if self._stopping.is_set():
                        return
                    self._check(self._watched[name])

    def _check(self, watched: Watched) -> None:
        now = time.monotonic()
        if watched.restart_at is None:
            code = -1 if watched.restart_failed else watched.exit_code()
            watched.restart_failed = False
            if code is None:
                if watched.crashes_in_a_row and now - watched.started_at > self.backoff.stable_s:
                    watched.crashes_in_a_row = 0
                return
            watched.crashes_in_a_row += 1
            delay = self.backoff.delay(watched.crashes_in_a_row)
            watched.restart_at = now + delay
            if delay < self.backoff.cap_s:
                self.say(
                    f"{watched.label} stoppet uventet ({_how(code)}); startes igjen om {delay:.1f} s."
                    f" Se {watched.log_file}"
                )
            else:
                self.say(
                    f"{watched.label} stoppet uventet ({_how(code)}) for {watched.crashes_in_a_row}."
                    f" gang på rad; prøver igjen med {self.backoff.cap_s:g} s mellomrom. Se {watched.log_file}"
                )
            return
        if now < watched.restart_at:
            return
        watched.restart_at = None
        watched.started_at = now
        watched.restarts += 1
        try:
            watched.restart()
        except Exception as exc:  # a failed restart counts as one more crash; the next try waits longer
            with open(watched.log_file, "a") as log:
                log.write("".join(traceback.format_exception(exc)))
            watched.restart_failed = True


def _how(code: int) -> str:
    if code == -1:
        return "kunne ikke startes"
    return f"drept av signal {-code}" if code < 0 else f"avslutningskode {code}"
