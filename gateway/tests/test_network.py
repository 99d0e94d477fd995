"""The gateway's pool of upstream connections: kept alive and reused, replaced when the service dropped them,
bounded, and never leaking a slot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from varde_gateway.network import upstream_transport


@dataclass
class Upstream:
    """A tiny HTTP/1.1 service on a socket that counts its connections and can drop the idle ones."""

    port: int = 0
    connections: int = 0
    delay_s: float = 0.0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                await asyncio.sleep(self.delay_s)
                body = b"x" * 100_000
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    def drop_all(self) -> None:
        for writer in self.writers:
            writer.close()
        self.writers.clear()


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    service = Upstream()
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
    service.port = server.sockets[0].getsockname()[1]
    async with server:
        yield service


def client(max_connections: int = 8, pool_timeout_s: float = 5.0) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=max_connections, keepalive_expiry=30)
    return httpx.AsyncClient(transport=upstream_transport(limits), timeout=httpx.Timeout(5.0, pool=pool_timeout_s))


async def test_connections_are_kept_alive_and_reused(upstream: Upstream) -> None:
    async with client() as http:
        for _ in range(20):
            assert (await http.get(f"http://127.0.0.1:{upstream.port}/")).status_code == 200
        assert upstream.connections == 1
        upstream.delay_s = 0.05
        answers = await asyncio.gather(*(http.get(f"http://127.0.0.1:{upstream.port}/") for _ in range(6)))
        assert [a.status_code for a in answers] == [200] * 6
        opened = upstream.connections
        assert opened <= 6
        await asyncio.gather(*(http.get(f"http://127.0.0.1:{upstream.port}/") for _ in range(6)))
        assert upstream.connections == opened  # the same six again, none new


async def test_a_connection_the_service_dropped_while_idle_is_replaced(upstream: Upstream) -> None:
    async with client() as http:
        assert (await http.get(f"http://127.0.0.1:{upstream.port}/")).status_code == 200
        upstream.drop_all()
        await asyncio.sleep(0.05)
        assert (await http.get(f"http://127.0.0.1:{upstream.port}/")).status_code == 200
        assert upstream.connections == 2


async def test_requests_beyond_the_limit_wait_then_time_out_and_free_no_slot_for_good(upstream: Upstream) -> None:
    upstream.delay_s = 0.5
    async with client(max_connections=2, pool_timeout_s=0.2) as http:
        outcomes = await asyncio.gather(
            *(http.get(f"http://127.0.0.1:{upstream.port}/") for _ in range(3)), return_exceptions=True
        )
        assert sorted(type(o).__name__ for o in outcomes) == ["PoolTimeout", "Response", "Response"]
        upstream.delay_s = 0.0
        # A response closed before its body was read gives its slot back too (its connection is not reused).
        async with http.stream("GET", f"http://127.0.0.1:{upstream.port}/") as response:
            assert response.status_code == 200
        answers = await asyncio.gather(*(http.get(f"http://127.0.0.1:{upstream.port}/") for _ in range(2)))
        assert [a.status_code for a in answers] == [200, 200]
