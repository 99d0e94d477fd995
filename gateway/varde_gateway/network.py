# ruff: noqa: ASYNC109 - these signatures are httpcore's network backend interface
"""An asyncio-native network backend for httpcore, for the gateway's upstream connections.

httpcore's default AnyIO backend rebuilt a dictionary of socket attributes on every pool check
(``has_expired`` → ``get_extra_info("is_readable")``) and wrapped every read and write in cancel scopes: together
about a fifth of the gateway's CPU per proxied request (py-spy). This backend does the same job with plain
asyncio streams and ``asyncio.timeout``. Upstreams are plain HTTP inside the cluster; TLS is refused clearly.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        # What the service has sent since the pool last set it to 0 (as it does before each request).
        self.received = 0

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                data = await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc
        self.received += len(data)
        return data

    def closed_by_service(self) -> bool:
        """Whether an idle keep-alive connection can no longer carry a request: it can be read (the service's end
        of the stream, or bytes nobody asked for) or is closing. The kernel is asked, not only the event loop: the
        loop learns of the service's FIN only when it next polls, and a request written in between is lost."""
        if self._reader.at_eof() or self._writer.transport.is_closing():
            return True
        sock = self._writer.get_extra_info("socket")
        if sock is None:
            return True
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN)
        return bool(poller.poll(0))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the gateway reaches its services over plain HTTP inside the cluster")

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return self.closed_by_service()
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncioStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, limit=2**20)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return AsyncioStream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


Origin = tuple[bytes, bytes, int | None]  # scheme, host, port

# RFC 9110 §9.2.2: methods a client may send again after the connection failed, whatever the first one did.
IDEMPOTENT_METHODS = frozenset({b"GET", b"HEAD", b"OPTIONS", b"TRACE", b"PUT", b"DELETE"})
IDEMPOTENCY_KEY = b"idempotency-key"


@dataclass(slots=True, eq=False)
class UpstreamConnection:
    """One HTTP/1.1 connection to a service, with the stream under it (what it received, whether it was closed)."""

    http: httpcore.AsyncHTTP11Connection
    stream: AsyncioStream

    def usable(self) -> bool:
        return self.http.is_idle() and not self.http.has_expired()

    async def aclose(self) -> None:
        await self.http.aclose()


# Bodies held in memory, which can be sent again: httpx's (the gateway's own calls) and httpcore's (the proxy's).
_REPLAYABLE_BODIES = (httpx.ByteStream, type(httpcore.Request(b"GET", "http://upstream/", content=b"").stream))


def may_send_again(request: httpcore.Request) -> bool:
    """A request that may have reached the service goes again only when doing it twice does no harm: an idempotent
    method, or a create the service deduplicates by its ``Idempotency-Key``; and only with its body still at hand."""
    replayable_body = isinstance(request.stream, _REPLAYABLE_BODIES)
    if request.method in IDEMPOTENT_METHODS:
        return replayable_body
    return replayable_body and any(key.lower() == IDEMPOTENCY_KEY for key, _ in request.headers)


class UpstreamPool:
    """Keep-alive HTTP/1.1 connections to the services, handed out in constant time.

    httpcore's pool looks at every connection and every waiting request each time one starts or ends, so its
    cost per request grows with concurrency: the gateway's CPU per proxied report went from 2.4 ms at 16
    concurrent requests to 4.2 ms at 32 (py-spy: ``_assign_requests_to_connections``). Here a request takes a
    slot (at most ``max_connections`` in flight, waiting up to the pool timeout), then the most recently used
    idle connection to its service, or a new one; the connection goes back when the response is closed.

    A connection goes back only when its response was read to the end, the service kept it alive (no
    ``Connection: close``) and the answer was not a server error: after an error nothing handled, uvicorn closes
    the connection once it has logged the traceback, without saying so first, and takes with it the request the
    gateway sent on it meanwhile (issue 15: 6 of 10 reports from another kommune lost). An idle connection the
    service has closed is never handed out (the kernel is asked, :meth:`AsyncioStream.closed_by_service`): that
    request is not sent on it, but on the next idle connection or a new one. A request sent on a kept-alive
    connection that the service closed without answering goes once more, on a new connection, if sending it
    twice does no harm (:func:`may_send_again`); a POST without an ``Idempotency-Key`` is never sent again.
    """

    def __init__(self, *, max_connections: int, keepalive_expiry: float | None, backend: AsyncioBackend) -> None:
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: dict[Origin, list[UpstreamConnection]] = {}
        self._keepalive_expiry = keepalive_expiry
        self._backend = backend

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if request.url.scheme != b"http":
            raise httpcore.UnsupportedProtocol("the gateway reaches its services over plain HTTP inside the cluster")
        timeouts = request.extensions.get("timeout", {})
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise httpcore.PoolTimeout("every upstream connection is busy") from exc
        origin = (request.url.scheme, request.url.host, request.url.port)
        try:
            connection, response = await self._send(origin, request)
        except BaseException:
            self._slots.release()
            raise
        keep = response.status < 500
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_GivenBackOnClose(response.stream, lambda: self._give_back(origin, connection, keep=keep)),
            extensions=response.extensions,
        )

    async def _send(self, origin: Origin, request: httpcore.Request) -> tuple[UpstreamConnection, httpcore.Response]:
        kept = self._take_idle(origin)
        if kept is not None:
            kept.stream.received = 0
            try:
                return kept, await kept.http.handle_async_request(request)
            except (httpcore.NetworkError, httpcore.RemoteProtocolError):
                await kept.aclose()
                if kept.stream.received or not may_send_again(request):
                    raise
            except BaseException:
                await kept.aclose()
                raise
        connection = await self._connect(request)
        try:
            return connection, await connection.http.handle_async_request(request)
        except BaseException:
            await connection.aclose()
            raise

    async def _connect(self, request: httpcore.Request) -> UpstreamConnection:
        url = request.url
        stream = await self._backend.connect_tcp(
            url.host.decode("ascii"), url.port or 80, timeout=request.extensions.get("timeout", {}).get("connect")
        )
        http = httpcore.AsyncHTTP11Connection(origin=url.origin, stream=stream, keepalive_expiry=self._keepalive_expiry)
        return UpstreamConnection(http, stream)

    def _take_idle(self, origin: Origin) -> UpstreamConnection | None:
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection
            self._close_soon(connection)  # the service closed it, or it rested too long
        return None

    async def _give_back(self, origin: Origin, connection: UpstreamConnection, *, keep: bool) -> None:
        self._slots.release()
        if keep and connection.http.is_idle():
            self._idle.setdefault(origin, []).append(connection)
        else:
            await connection.aclose()

    def _close_soon(self, connection: UpstreamConnection) -> None:
        task = asyncio.get_running_loop().create_task(connection.aclose())
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def __aenter__(self) -> UpstreamPool:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                await connection.aclose()
        self._idle.clear()


class _GivenBackOnClose:
    """A response body that hands its connection back to the pool when it is closed."""

    def __init__(self, stream: Any, give_back: Callable[[], Awaitable[None]]) -> None:
        self._stream = stream
        self._give_back: Callable[[], Awaitable[None]] | None = give_back

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        give_back, self._give_back = self._give_back, None
        try:
            await self._stream.aclose()
        finally:
            if give_back is not None:
                await give_back()


class UpstreamTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on :class:`UpstreamPool` with :class:`AsyncioBackend`, for the gateway's own calls (the
    OpenAPI documents, the directory); the proxy hands its requests to :attr:`pool` directly."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx 0.28 takes neither a network backend nor a pool: the one it made is replaced.
        assert isinstance(self._pool, httpcore.AsyncConnectionPool)
        self.pool = UpstreamPool(
            max_connections=limits.max_connections or 256,
            keepalive_expiry=limits.keepalive_expiry,
            backend=AsyncioBackend(),
        )
        self._pool = self.pool  # type: ignore[assignment]


def upstream_transport(limits: httpx.Limits) -> UpstreamTransport:
    return UpstreamTransport(limits)
