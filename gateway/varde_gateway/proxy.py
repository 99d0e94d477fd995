"""The streaming reverse proxy: ``/api/v1/<service>/…`` to the owning service, on one shared httpx client.

Raw ASGI on purpose: this is the hot path of every request, and it needs no routing framework.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpcore
import httpx
import orjson
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from varde_common.errors import (
    PROBLEM_CONTENT_TYPE,
    PayloadTooLarge,
    ProblemError,
    RouteNotFound,
    Unauthenticated,
    current_trace_id,
)
from varde_common.language import Language, language_of
from varde_gateway.auth import Authenticator
from varde_gateway.errors import (
    CrossOriginRefused,
    PathNotCanonical,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from varde_gateway.login import SESSION_COOKIE, BrowserLogin
from varde_gateway.network import UpstreamPool
from varde_gateway.paths import BodyLimits, is_canonical

if TYPE_CHECKING:
    from varde_gateway.ratelimits import RateLimiter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

API_PREFIX = "/api/v1/"
# Which kommune a request is for, when a provider (ID-porten, Feide) serves several with one audience.
TENANT_HEADER = b"x-varde-tenant"
_HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"proxy-authenticate",
    b"proxy-authorization",
    b"te",
    b"trailer",
    b"transfer-encoding",
    b"upgrade",
    b"host",
    b"content-length",
    b"authorization",
    b"x-request-id",
    b"traceparent",
    b"tracestate",
    # The gateway states the client address itself; a caller may not claim one.
    b"x-forwarded-for",
    # Services accept only the internal token; browser cookies (the session) never reach them.
    b"cookie",
}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Methods that say how long their body is even when it is empty (as httpx does).
_BODY_METHODS = {"POST", "PUT", "PATCH"}


@dataclass(frozen=True, slots=True)
class Upstream:
    """A service's base URL, taken apart once: the proxy builds each request's URL from the parts, without the
    parsing and re-quoting that ``httpx.Request`` did per request (cProfile: a sixth of the proxy's time)."""

    scheme: bytes
    host: bytes
    port: int | None
    prefix: bytes
    host_header: bytes

    @classmethod
    def of(cls, base_url: str) -> Upstream:
        url = httpx.URL(base_url)
        return cls(url.raw_scheme, url.raw_host, url.port, url.raw_path.rstrip(b"/"), url.netloc)


def _cookie(header: bytes, name: str) -> str | None:
    for part in header.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


_RESPONSE_DROP = {b"connection", b"keep-alive", b"transfer-encoding", b"server", b"date"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,128}$")
_tracer = trace.get_tracer("varde.gateway")


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    for key, value in headers:
        if key == b"x-request-id":
            candidate = value.decode("latin-1")
            if _REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


async def send_problem(
    send: Send,
    problem: ProblemError,
    request_id: str,
    path: str,
    language: Language,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = orjson.dumps(problem.body(language, instance=path))
    status = problem.status
    headers = [
        (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
        *((k.encode(), v.encode()) for k, v in problem.own_headers().items()),
        *(extra_headers or []),
    ]
    trace_id = current_trace_id()
    if trace_id:
        headers.append((b"x-trace-id", trace_id.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:.3g}".replace(".", ",")


class BodyTooLargeError(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class Proxy:
    def __init__(
        self,
        *,
        routes: dict[str, str],
        pool: UpstreamPool,
        timeout: httpx.Timeout,
        authenticator: Authenticator,
        login: BrowserLogin,
        max_body_bytes: int,
        body_limits: dict[str, int] | None = None,
        limiter: RateLimiter | None = None,
        web: str | None = None,
    ) -> None:
        self.routes = {name: Upstream.of(base_url) for name, base_url in routes.items()}
        self.web = Upstream.of(web) if web else None
        # The pool, not a client: a client's cookie jar would carry one user's Set-Cookie into the next user's
        # request, and its auth, redirect and cookie layers cost a tenth of the gateway's time; nor httpx's
        # transport, whose request and response models cost a fifth of the proxy's time more.
        self.pool = pool
        self.timeout_extension = timeout.as_dict()
        self.authenticator = authenticator
        self.login = login
        self.body_limits = BodyLimits(max_body_bytes, body_limits or {})
        self.limiter = limiter

    @staticmethod
    def service_of(path: str) -> str:
        return path[len(API_PREFIX) :].split("/", 1)[0]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One server span per proxied request, by hand: the generic ASGI and httpx instrumentations made three
        spans and cost a third of the gateway's time per request. The trace context goes on in ``traceparent``."""
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers if k in (b"traceparent", b"tracestate")}
        service = self.service_of(scope["path"])
        status_holder = [0]

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
            await send(message)

        with _tracer.start_as_current_span(
            f"{scope['method']} /api/v1/{service}",
            context=propagate.extract(carrier),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": scope["path"], "varde.service": service},
        ) as span:
            await self._forward(scope, receive, observed_send)
            span.set_attribute("http.response.status_code", status_holder[0])
            if status_holder[0] >= 500:
                span.set_status(Status(StatusCode.ERROR))

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        request_id = request_id_from(headers)
        language = language_of(next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None))
        if not is_canonical(path, scope.get("raw_path")):
            await send_problem(send, PathNotCanonical(), request_id, path, language)
            return
        service = self.service_of(path)
        upstream = self.routes.get(service)
        if upstream is None:
            await send_problem(send, RouteNotFound(), request_id, path, language)
            return

        authorization = b""
        tenant_hint: str | None = None
        session_cookie: str | None = None
        origin = host = b""
        content_length = -1
        for key, value in headers:
            if key == b"authorization":
                authorization = value
            elif key == TENANT_HEADER:
                tenant_hint = value.decode("latin-1").strip().lower() or None
            elif key == b"cookie":
                session_cookie = session_cookie or _cookie(value, SESSION_COOKIE)
            elif key == b"origin":
                origin = value
            elif key == b"host":
                host = value
            elif key == b"content-length":
                content_length = int(value) if value.isdigit() else -1
        scheme, _, bearer = authorization.decode("latin-1").partition(" ")
        if not authorization and session_cookie is not None:
            # A browser with a session. A cross-site page cannot use it to change anything: SameSite=Lax keeps the
            # cookie off cross-site POSTs, and a state-changing request must come from this site's own origin.
            if scope["method"] not in _SAFE_METHODS and origin.split(b"://", 1)[-1] != host:
                await send_problem(send, CrossOriginRefused(), request_id, path, language)
                return
            try:
                internal = await self.login.internal_token(session_cookie, service)
            except ProblemError as exc:
                await send_problem(send, exc, request_id, path, language)
                return
        elif scheme.lower() != "bearer" or not bearer:
            await send_problem(
                send, Unauthenticated(), request_id, path, language, [(b"www-authenticate", b'Bearer realm="varde"')]
            )
            return
        else:
            try:
                # Made for this one service: a token that leaks from it opens no other.
                internal = await self.authenticator.internal_token(bearer.strip(), service, tenant_hint)
            except ProblemError as exc:
                challenge = [(b"www-authenticate", b'Bearer realm="varde", error="invalid_token"')]
                await send_problem(send, exc, request_id, path, language, challenge if exc.status == 401 else None)
                return

        if self.limiter is not None:
            refusal = await self.limiter.check(scope, internal)
            if refusal is not None:
                await send_problem(send, refusal.problem, request_id, path, language, refusal.headers)
                return

        credentials = [(b"authorization", b"Bearer " + internal.encode())]
        await self._relay(scope, receive, send, upstream, credentials, content_length, request_id, language)

    async def forward_to_web(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A page: to the web client, with the browser's cookies (the web calls /api/v1 back through the gateway
        as this person). The gateway authenticates nothing here; it refuses a change sent from another site's
        page with the session, as it does for the API."""
        path: str = scope["path"]
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        request_id = request_id_from(headers)
        language = language_of(next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None))
        if self.web is None:
            await send_problem(send, RouteNotFound(), request_id, path, language)
            return
        if not is_canonical(path, scope.get("raw_path")):
            await send_problem(send, PathNotCanonical(), request_id, path, language)
            return
        found = dict(headers)
        if (
            scope["method"] not in _SAFE_METHODS
            and b"cookie" in found
            and _cookie(found[b"cookie"], SESSION_COOKIE) is not None
            and found.get(b"origin", b"").split(b"://", 1)[-1] != found.get(b"host", b"")
        ):
            await send_problem(send, CrossOriginRefused(), request_id, path, language)
            return
        length = found.get(b"content-length", b"")
        cookies = [(b"cookie", found[b"cookie"])] if b"cookie" in found else []
        content_length = int(length) if length.isdigit() else -1
        await self._relay(scope, receive, send, self.web, cookies, content_length, request_id, language)

    async def _relay(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        upstream: Upstream,
        credentials: list[tuple[bytes, bytes]],
        content_length: int,
        request_id: str,
        language: Language,
    ) -> None:
        """Send the request on to ``upstream`` with ``credentials`` as its only ones, and stream the answer back."""
        path: str = scope["path"]
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        limit = self.body_limits.for_path(path)
        if content_length > limit:
            await send_problem(send, PayloadTooLarge(limit_mb=_megabytes(limit)), request_id, path, language)
            return
        try:
            body = await read_body(receive, limit)
        except BodyTooLargeError:
            await send_problem(send, PayloadTooLarge(limit_mb=_megabytes(limit)), request_id, path, language)
            return
        except ConnectionError:
            return

        forward = [(k, v) for k, v in headers if k not in _HOP_BY_HOP]
        forward.extend(credentials)
        forward.append((b"x-request-id", request_id.encode()))
        context_headers: dict[str, str] = {}
        propagate.inject(context_headers)
        forward.extend((k.encode(), v.encode()) for k, v in context_headers.items())
        client_host = scope.get("client")
        if client_host:
            forward.append((b"x-forwarded-for", str(client_host[0]).encode()))
        target = (scope.get("raw_path") or path.encode()).partition(b"?")[0]
        query = scope.get("query_string", b"")
        if query:
            target += b"?" + query
        if body or scope["method"] in _BODY_METHODS:
            forward.append((b"content-length", str(len(body)).encode()))
        forward.append((b"host", upstream.host_header))
        request = httpcore.Request(
            scope["method"].encode("ascii"),
            httpcore.URL(
                scheme=upstream.scheme, host=upstream.host, port=upstream.port, target=upstream.prefix + target
            ),
            headers=forward,
            content=body,
            extensions={"timeout": self.timeout_extension},
        )
        try:
            response = await self.pool.handle_async_request(request)
        except (httpcore.ConnectError, httpcore.ConnectTimeout):
            await send_problem(send, UpstreamUnavailable(), request_id, path, language)
            return
        except httpcore.TimeoutException:
            await send_problem(send, UpstreamTimeout(), request_id, path, language)
            return
        except (httpcore.NetworkError, httpcore.ProtocolError):
            await send_problem(send, UpstreamBadResponse(), request_id, path, language)
            return

        try:
            response_headers = [(k, v) for k, v in response.headers if k.lower() not in _RESPONSE_DROP]
            response_headers.append((b"x-request-id", request_id.encode()))
            span_context = trace.get_current_span().get_span_context()
            if span_context.is_valid:
                response_headers.append((b"x-trace-id", format(span_context.trace_id, "032x").encode()))
            await send({"type": "http.response.start", "status": response.status, "headers": response_headers})
            async for chunk in response.aiter_stream():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()
