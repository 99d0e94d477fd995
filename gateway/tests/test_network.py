"""The gateway's pool of upstream connections: kept alive and reused, replaced when the service dropped them,
bounded, and never leaking a slot."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn

from varde_common.embedded import free_port
from varde_gateway.app import upstream_limits
from varde_gateway.config import GatewaySettings
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


@pytest.fixture
async def failing_service() -> AsyncIterator[tuple[str, list[bytes]]]:
    """A service on uvicorn, as every Varde service runs. ``/fail`` fails as an error nothing handles does in
    Starlette: the 500 goes out whole, then the error goes on up to uvicorn, which logs it (a traceback, some
    milliseconds) and then closes the connection, without having said ``Connection: close``, and with it any request
    that came in on it meanwhile. ``/reports`` keeps what is posted to it, after a little work of its own first (the
    token check, a transaction)."""
    stored: list[bytes] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/fail":
            await send({"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"5")]})
            await send({"type": "http.response.body", "body": b"feil!"})
            await asyncio.sleep(0.05)  # the traceback being written to the log
            raise RuntimeError("a bug in the service")
        await asyncio.sleep(0.1)
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        stored.append(body)
        await send({"type": "http.response.start", "status": 201, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}", stored
    server.should_exit = True
    await task


async def test_after_a_server_error_the_next_post_reaches_the_service(
    failing_service: tuple[str, list[bytes]],
) -> None:
    url, stored = failing_service
    async with client() as http:
        for i in range(10):
            assert (await http.get(f"{url}/fail")).status_code == 500
            assert (await http.post(f"{url}/reports", content=b"report %d" % i)).status_code == 201
    assert stored == [b"report %d" % i for i in range(10)]


class ThreadedService:
    """A service on a plain socket in its own thread, each connection in a thread of its own: what it does with
    the gateway's requests is up to :meth:`connection`, and it runs while the gateway's event loop does not."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []  # the method of each request read, in order
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as reader:
            self.connection(conn, reader)

    def read_request(self, reader: Any) -> bool:
        request_line: bytes = reader.readline()
        if not request_line:
            return False
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        reader.read(length)
        self.seen.append(request_line.split(b" ")[0])
        return True

    def connection(self, conn: socket.socket, reader: Any) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()


OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"


class AnswersOnce(ThreadedService):
    """Answers the first request on each connection; reads the second and closes the connection without a word:
    a kept-alive connection the service gave up on while a request was already on its way."""

    def connection(self, conn: socket.socket, reader: Any) -> None:
        if self.read_request(reader):
            conn.sendall(OK)
            self.read_request(reader)


class ClosesAfterEachAnswer(ThreadedService):
    """Answers each request and then closes the connection (its keep-alive time ran out, say), a moment later:
    the gateway's kernel has the FIN before the gateway's event loop has looked."""

    def connection(self, conn: socket.socket, reader: Any) -> None:
        if self.read_request(reader):
            conn.sendall(OK)
            time.sleep(0.05)  # the gateway is done with the answer before the service closes


@pytest.fixture
def answers_once() -> Iterator[AnswersOnce]:
    service = AnswersOnce()
    yield service
    service.close()


async def test_a_request_that_does_no_harm_twice_goes_again_on_a_new_connection(answers_once: AnswersOnce) -> None:
    async with client() as http:
        assert (await http.get(answers_once.url)).status_code == 200
        # The first connection closed on it; sent again on a second.
        assert (await http.get(answers_once.url)).status_code == 200
        assert (await http.post(answers_once.url, content=b"{}", headers={"idempotency-key": "k-1"})).status_code == 200
    assert answers_once.seen == [b"GET", b"GET", b"GET", b"POST", b"POST"]
    assert answers_once.connections == 3


async def test_a_post_without_an_idempotency_key_is_never_sent_twice(answers_once: AnswersOnce) -> None:
    async with client() as http:
        assert (await http.get(answers_once.url)).status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(answers_once.url, content=b"{}")
        assert (await http.post(answers_once.url, content=b"{}")).status_code == 200  # a new connection, answered
    assert answers_once.seen == [b"GET", b"POST", b"POST"]


async def test_a_connection_the_kernel_knows_is_closed_is_not_handed_out() -> None:
    service = ClosesAfterEachAnswer()
    try:
        async with client() as http:
            assert (await http.get(service.url)).status_code == 200
            time.sleep(0.2)  # noqa: ASYNC251 - on purpose: the FIN arrives while the event loop does not look
            assert (await http.post(service.url, content=b"{}")).status_code == 200
        assert service.seen == [b"GET", b"POST"]
    finally:
        service.close()


async def test_a_response_not_read_to_the_end_leaves_its_connection_out_of_the_pool(upstream: Upstream) -> None:
    async with client() as http:
        async with http.stream("GET", f"http://127.0.0.1:{upstream.port}/") as response:
            assert response.status_code == 200
        assert (await http.get(f"http://127.0.0.1:{upstream.port}/")).status_code == 200
        assert upstream.connections == 2


def test_the_gateway_gives_up_an_idle_connection_before_the_service_does() -> None:
    services_keep = uvicorn.Config(app=None).timeout_keep_alive  # the services run uvicorn with its default
    assert upstream_limits(GatewaySettings()).keepalive_expiry < services_keep
