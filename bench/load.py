"""A closed-loop HTTP/1.1 load generator on raw asyncio streams (uvloop), run in its own process.

Each connection sends a request, reads the whole response, and sends the next: no HTTP client library in the
loop, so one core drives tens of thousands of requests per second; ``ceiling`` in the results shows how many.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class LoadResult:
    connections: int
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


def percentile(values: list[float], fraction: float) -> float:
    """The value ``fraction`` of the way up the sorted values (the nearest rank; the first for a short list)."""
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


async def _connection(
    host: str, port: int, request: bytes, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            status_ok = head[9:10] in (b"2", b"3")
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not status_ok:
                errors[0] += 1
    finally:
        writer.close()


async def _run(host: str, port: int, request: bytes, connections: int, seconds: float, warmup_s: float) -> LoadResult:
    if warmup_s:
        await asyncio.gather(
            *(_connection(host, port, request, time.perf_counter() + warmup_s, [], [0]) for _ in range(connections))
        )
    latencies: list[float] = []
    errors = [0]
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(host, port, request, started + seconds, latencies, errors) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return LoadResult(
        connections=connections,
        requests=len(ordered),
        errors=errors[0],
        seconds=round(elapsed, 2),
        requests_per_s=round(len(ordered) / elapsed, 1),
        p50_ms=round(statistics.median(ordered) * 1000, 3),
        p95_ms=round(percentile(ordered, 0.95) * 1000, 3),
        p99_ms=round(percentile(ordered, 0.99) * 1000, 3),
    )


def _worker(args: tuple[str, int, bytes, int, float, float], queue: Any) -> None:
    import uvloop

    queue.put(asdict(uvloop.run(_run(*args))))


def run_load(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    connections: int,
    seconds: float,
    warmup_s: float = 1.0,
    *,
    method: str = "GET",
    body: bytes = b"",
) -> dict[str, Any]:
    """Run the load in a separate process, so the measuring process is not the bottleneck."""
    if body:
        headers = {**headers, "content-length": str(len(body))}
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    request = "\r\n".join(lines).encode() + body
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_worker, args=((host, port, request, connections, seconds, warmup_s), queue))
    process.start()
    result: dict[str, Any] = queue.get(timeout=seconds + warmup_s + 60)
    process.join(10)
    return result


async def _static_server(port_holder: Any, ready: Any, stop_after_s: float) -> None:
    body = b'{"ok":true}'
    response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n" + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(response)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port_holder.value = server.sockets[0].getsockname()[1]
    ready.set()
    await asyncio.sleep(stop_after_s)
    server.close()


def _static_worker(port_holder: Any, ready: Any, stop_after_s: float) -> None:
    import uvloop

    uvloop.run(_static_server(port_holder, ready, stop_after_s))


def loader_ceiling(connections: int, seconds: float) -> dict[str, Any]:
    """What the load generator reaches against a server that does nothing: its own limit on this machine."""
    context = multiprocessing.get_context("spawn")
    port = context.Value("i", 0)
    ready = context.Event()
    server = context.Process(target=_static_worker, args=(port, ready, seconds + 10))
    server.start()
    ready.wait(10)
    try:
        return run_load("127.0.0.1", int(port.value), "/", {}, connections, seconds, warmup_s=0.5)
    finally:
        server.terminate()
        server.join(5)
