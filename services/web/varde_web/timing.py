"""What a page cost, in a ``Server-Timing`` header: the API calls it made through the gateway (how many, and how
long they took together) and the whole answer. Browsers show it beside the request; ``make bench`` reads it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class ApiCalls:
    """The calls of one page to /api/v1 (also those a failed action makes before it shows the form again)."""

    count: int = 0
    seconds: float = 0.0

    def add(self, seconds: float) -> None:
        self.count += 1
        self.seconds += seconds


def api_calls_of(request: Request) -> ApiCalls:
    """This request's tally, shared by every ``Api`` the page makes (``request.state`` lives in the scope)."""
    calls = getattr(request.state, "api_calls", None)
    if calls is None:
        calls = request.state.api_calls = ApiCalls()
    return calls


def server_timing(calls: ApiCalls, total_s: float) -> str:
    return f'api;dur={calls.seconds * 1000:.1f};desc="{calls.count} calls", total;dur={total_s * 1000:.1f}'


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        calls = ApiCalls()
        scope.setdefault("state", {})["api_calls"] = calls

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                header = server_timing(calls, time.perf_counter() - started).encode()
                message["headers"] = [*message.get("headers", []), (b"server-timing", header)]
            await send(message)

        await self.app(scope, receive, timed)
