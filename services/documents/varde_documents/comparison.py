"""Comparing two versions away from the event loop: the line diff and its JSON are made in a worker process.

A thread would not do: the diff is pure Python, so it holds the GIL, and every other request of the api would share
a core with it for as long as it runs (docs/decisions.md, "The version diff has a bounded cost"). The worker also
writes the JSON document of the answer, since building and serialising a model of a quarter of a million lines
would block the loop nearly as long as the diff itself.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from varde_documents.difference import DEFAULT_WORK_LIMIT, line_diff


def difference_json(header: dict[str, Any], old: str, new: str, work_limit: int) -> bytes:
    """The ``VersionDiff`` document: ``header`` (every member but ``lines``) with the lines from ``old`` to
    ``new``. Runs in the worker process; raises ``DifferenceTooLarge`` beyond ``work_limit``."""
    lines = [
        {"op": line.op, "text": line.text, "old_line": line.old_line, "new_line": line.new_line}
        for line in line_diff(old, new, work_limit=work_limit)
    ]
    # The same encoding as FastAPI's own JSON answers.
    return json.dumps({**header, "lines": lines}, ensure_ascii=False, separators=(",", ":")).encode()


class ComparerBusy(Exception):
    """As many comparisons as the worker may queue are waiting, or the worker died during this one."""


class Comparer:
    """One worker process (started on first use, started again if it dies) that compares versions in turn.

    At most ``max_in_flight`` comparisons wait for it: a comparison may take half a second of the worker's CPU, and
    a queue without a bound would let one person's requests make everybody else's wait past the gateway's timeout.
    """

    def __init__(self, *, work_limit: int = DEFAULT_WORK_LIMIT, workers: int = 1, max_in_flight: int = 8) -> None:
        self.work_limit = work_limit
        self.workers = workers
        self.max_in_flight = max_in_flight
        self._in_flight = 0
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Spawned, not forked: a fork of a process with an event loop and threads copies their locks mid-use.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def difference_json(self, header: dict[str, Any], old: str, new: str) -> bytes:
        if self._in_flight >= self.max_in_flight:
            raise ComparerBusy()
        loop = asyncio.get_running_loop()
        self._in_flight += 1
        try:
            return await loop.run_in_executor(self._executor(), difference_json, header, old, new, self.work_limit)
        except BrokenProcessPool:
            self.close()  # the worker died (killed, out of memory): the next comparison gets a new one
            raise ComparerBusy() from None
        finally:
            self._in_flight -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
