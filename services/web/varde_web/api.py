"""The public /api/v1, called through the gateway as the person whose browser asked: with their session cookie,
never with a credential of the web's own. What the web can do, a mobile client can do."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import Request

from varde_web.timing import api_calls_of

SESSION_COOKIE = "varde_session"


@dataclass
class ApiProblem(Exception):
    """An answer of the API that is not a success: its status and its RFC 9457 problem document."""

    status: int
    problem: dict[str, Any] = field(default_factory=dict)

    @property
    def field_messages(self) -> dict[str, str]:
        """The message for each field the API found wrong, by the field's name in the request body."""
        return {name: message for name, (_, message) in self.field_problems.items()}

    @property
    def field_problems(self) -> dict[str, tuple[str, str]]:
        """The label and the message for each field the API found wrong, by the field's name in the body."""
        found: dict[str, tuple[str, str]] = {}
        for entry in self.problem.get("errors", []):
            if isinstance(entry, dict) and entry.get("field"):
                name = str(entry["field"]).split(".")[0]
                found.setdefault(name, (str(entry.get("label") or name), str(entry.get("message", ""))))
        return found


class Api:
    """One browser request's view of the API. Every call carries the person's cookie and målform; a change is
    sent with the gateway's own origin, as a page of this site would."""

    def __init__(self, client: httpx.AsyncClient, request: Request, language: str) -> None:
        self._client = client
        self._cookie = request.cookies.get(SESSION_COOKIE)
        self.language = language  # the page's målform, once it is known who asks
        self._calls = api_calls_of(request)
        self.signed_in = self._cookie is not None

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"accept-language": self.language, "accept": "application/json"}
        if self._cookie is not None:
            headers["cookie"] = f"{SESSION_COOKIE}={self._cookie}"
        # The gateway refuses a change with a session from another origin; this call is the site's own.
        headers["origin"] = str(self._client.base_url).rstrip("/")
        return {**headers, **(extra or {})}

    async def _send(self, method: str, path: str, **arguments: Any) -> httpx.Response:
        started = time.perf_counter()
        try:
            return await self._client.request(method, path, **arguments)
        finally:
            self._calls.add(time.perf_counter() - started)

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = await self._send("GET", path, params=params, headers=self._headers())
        return self._answer(response)

    async def get_text(self, path: str, params: dict[str, Any] | None = None) -> str:
        """A document that is not JSON (the risk matrix as SVG), as its text."""
        response = await self._send("GET", path, params=params, headers=self._headers({"accept": "image/svg+xml"}))
        if response.status_code >= 400:
            self._answer(response)
        return response.text

    async def patch(self, path: str, body: dict[str, Any]) -> Any:
        response = await self._send("PATCH", path, json=body, headers=self._headers())
        return self._answer(response)

    async def put(self, path: str, body: dict[str, Any]) -> Any:
        response = await self._send("PUT", path, json=body, headers=self._headers())
        return self._answer(response)

    async def every_item(self, path: str, params: dict[str, Any] | None = None, most: int = 1000) -> list[Any]:
        """The items of a list, page after page, up to ``most``."""
        items: list[Any] = []
        query = {**(params or {}), "limit": 100}
        while len(items) < most:
            page = await self.get(path, query)
            items += page["items"]
            if not page.get("next_cursor"):
                break
            query["cursor"] = page["next_cursor"]
        return items[:most]

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        response = await self._send("POST", path, json=body, headers=self._headers(headers))
        return self._answer(response)

    async def post_file(self, path: str, filename: str, content: bytes, content_type: str) -> Any:
        """A file as the API's upload routes take it: a multipart form with the one field ``file``."""
        files = {"file": (filename, content, content_type)}
        response = await self._send("POST", path, files=files, headers=self._headers())
        return self._answer(response)

    async def post_content(
        self, path: str, content: bytes, content_type: str, params: dict[str, Any] | None = None
    ) -> Any:
        """A body sent as it is (an HR file as text/csv or application/json)."""
        headers = self._headers({"content-type": content_type})
        response = await self._send("POST", path, content=content, params=params, headers=headers)
        return self._answer(response)

    async def get_file(self, path: str) -> httpx.Response:
        """A file's bytes and headers as the API answered them; a problem is raised as for any other call."""
        response = await self._send("GET", path, headers={**self._headers(), "accept": "*/*"})
        if response.status_code >= 400:
            self._answer(response)
        return response

    async def post_raw(self, path: str) -> httpx.Response:
        return await self._send("POST", path, headers=self._headers())

    @staticmethod
    def _answer(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise ApiProblem(response.status_code, problem if isinstance(problem, dict) else {})
        return response.json() if response.content else None
