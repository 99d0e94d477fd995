"""Comparing and rendering versions away from the event loop: the line diff and its JSON, and the HTML of a long
version, are made in a worker process.

A thread would not do: the diff is pure Python, so it holds the GIL, and every other request of the api would share
a core with it for as long as it runs (docs/decisions.md, "The version diff has a bounded cost"). The worker also
writes the JSON document of the answer, since building and serialising a model of a quarter of a million lines
would block the loop nearly as long as the diff itself.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from varde_documents.difference import DEFAULT_WORK_LIMIT, line_diff
from varde_documents.domain import render_markdown

# Rendering Markdown costs about 3 µs a character (measured: 5 000 characters 17 ms, 500 000 characters 1.4 s, on a
# busy two-core machine); up to this length it is cheaper on the loop than a trip to the worker.
RENDER_ON_LOOP_CHARS = 8_000

T = TypeVar("T")


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
    """As many comparisons or renderings as the worker may queue are waiting, or the worker died during this one."""


class Comparer:
    """One worker process (started on first use, started again if it dies) that compares versions, and renders
    long ones, in turn.

    At most ``max_in_flight`` comparisons or renderings wait for it: one may take a second of the worker's CPU, and a
    queue without a bound would let one person's requests make everybody else's wait past the gateway's timeout.
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
        return await self._in_worker(difference_json, header, old, new, self.work_limit)

    async def html(self, markdown: str) -> str:
        """The reader's HTML of a version (``render_markdown``): a long one is rendered in the worker."""
        if len(markdown) <= RENDER_ON_LOOP_CHARS:
            return render_markdown(markdown)
        return await self._in_worker(render_markdown, markdown)

    async def _in_worker(self, function: Callable[..., T], *args: Any) -> T:
        if self._in_flight >= self.max_in_flight:
            raise ComparerBusy()
        loop = asyncio.get_running_loop()
        self._in_flight += 1
        try:
            return await loop.run_in_executor(self._executor(), function, *args)
        except BrokenProcessPool:
            self.close()  # the worker died (killed, out of memory): the next comparison gets a new one
            raise ComparerBusy() from None
        finally:
            self._in_flight -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
