"""Running a coroutine to its end from a synchronous test, wherever the test runs.

Playwright's sync API keeps an event loop running in the test thread from the first browser test to the end of the
session, and ``asyncio.run`` cannot start inside a running loop: a synchronous test that reads a database or a topic
after a browser test would fail for that alone (seen: the risk and document workflows, saved only by the order of
the files). Then the coroutine runs in a thread of its own, with a loop of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-blocking") as thread:
        return thread.submit(asyncio.run, coroutine).result()
