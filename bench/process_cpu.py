"""What each process of the stack spends in CPU on one unit of work, counted from the processes themselves.

A report costs the gateway, the deviations api, its relay, every consumer of DeviationReported, the broker and
PostgreSQL. Their CPU time is read before a load and again once the chain has gone quiet after it (the consumers
work on after the last answer), less what the same processes spend idle over as long.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import psutil

T = TypeVar("T")

QUIET_FACTOR = 1.5  # the stack counts as quiet again below this many times its idle CPU rate
IDLE_SAMPLE_S = 8.0
DRAIN_LIMIT_S = 90.0


def _role(process: psutil.Process, var_dir: Path) -> str | None:
    """The stack's name for one of its processes (``deviations``, ``gateway``, ``broker``, ``postgresql``), or
    None for a process not of this stack (the load generator, the bench, anything else on the machine)."""
    try:
        command = process.cmdline()
        name = process.name()
        parent = process.parent()
        parent_command = parent.cmdline() if parent is not None else []
    except psutil.Error:
        return None
    if "-m" in command and (module := command[command.index("-m") + 1 :][:1]):
        if module[0] == "varde_devstack.gate":
            return "broker"  # the dev stack's proxy in front of the broker: part of every event's way
        if module[0].startswith("varde_") and module[0] != "varde_devstack":
            return module[0].removeprefix("varde_")
        return None
    if name.startswith("tansu"):
        return "broker"
    if name.startswith("postgres") and any(str(var_dir) in part for part in [*command, *parent_command]):
        return "postgresql"
    return None


def _cpu_by_pid(var_dir: Path) -> dict[int, tuple[str, float]]:
    found: dict[int, tuple[str, float]] = {}
    for process in psutil.process_iter():
        role = _role(process, var_dir)
        if role is None:
            continue
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        found[process.pid] = (role, times.user + times.system)
    return found


def _spent(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds by role between two readings; a process new since ``before`` counts from its start, and one that
    ended meanwhile (a PostgreSQL backend) is missing: a small undercount."""
    spent: dict[str, float] = defaultdict(float)
    for pid, (role, cpu) in after.items():
        spent[role] += cpu - before.get(pid, (role, 0.0))[1]
    return spent


def settle(var_dir: Path, window_s: float = 2.0, limit_s: float = 90.0) -> None:
    """Wait until the stack's CPU rate holds steady over two windows: the consumers may still be working through
    what an earlier load sent, and that is not what the stack costs idle."""
    rates: list[float] = []
    previous = _cpu_by_pid(var_dir)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        time.sleep(window_s)
        now = _cpu_by_pid(var_dir)
        rates.append(sum(_spent(previous, now).values()) / window_s)
        previous = now
        if len(rates) >= 2 and abs(rates[-1] - rates[-2]) <= 0.15 * max(rates[-2], 0.05):
            return


def cpu_per_unit(var_dir: Path, work: Callable[[], T], units: Callable[[T], int]) -> tuple[T, dict[str, Any]]:
    """Run ``work`` and say what each process of the stack spent in CPU per unit of it (``units`` of its result),
    counting until the stack is quiet again."""
    settle(var_dir)
    idle_from = _cpu_by_pid(var_dir)
    time.sleep(IDLE_SAMPLE_S)
    before = _cpu_by_pid(var_dir)
    idle_rate = {role: cpu / IDLE_SAMPLE_S for role, cpu in _spent(idle_from, before).items()}
    started = time.monotonic()
    result = work()
    previous, previous_at = _cpu_by_pid(var_dir), time.monotonic()
    while previous_at - started < DRAIN_LIMIT_S:
        time.sleep(1.0)
        now, now_at = _cpu_by_pid(var_dir), time.monotonic()
        quiet = sum(_spent(previous, now).values()) < QUIET_FACTOR * sum(idle_rate.values()) * (now_at - previous_at)
        previous, previous_at = now, now_at
        if quiet:
            break
    elapsed = previous_at - started
    count = max(1, units(result))
    per_unit = {
        role: round((cpu - idle_rate.get(role, 0.0) * elapsed) / count * 1000, 2)
        for role, cpu in sorted(_spent(before, previous).items())
    }
    total = round(sum(per_unit.values()), 2)
    cores = psutil.cpu_count() or 1
    return result, {
        "cpu_ms_per_unit_by_process": per_unit,
        "cpu_ms_per_unit_whole_chain": total,
        "units": count,
        "chain_quiet_after_s": round(elapsed, 1),
        # What the cores could carry if the chain were alone on them and nothing ever waited.
        "units_per_s_if_cpu_bound": round(cores * 1000 / total, 1) if total > 0 else None,
    }
