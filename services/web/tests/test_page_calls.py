"""A page's own calls to the API go out beside the header's (the person, the kommune, the unread count), not after
them: the page waits for one round through the gateway, not two. When the person's målform turns out to differ
from the browser's (their first page in a new browser), the page's calls are made again in it, so no text of the
API reaches the page in the other form. The gateway is a stand-in that answers the person only once the page's own
call has arrived, so a web that waited for the header first would never get its answer."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from varde_web.app import create_app
from varde_web.config import WebSettings

SIGNED_IN = {"varde_session": "hemmelig"}
EMPTY_PAGE = {"items": [], "next_cursor": None}


class GatewayHoldingThePerson:
    """Holds /me until the list of cases is asked for; records the målform each call was made in."""

    def __init__(self, own_malform: str | None) -> None:
        self.own_malform = own_malform
        self.list_asked = asyncio.Event()
        self.list_languages: list[str] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        path, language = request.url.path, request.headers["accept-language"]
        if path == "/api/v1/deviations":
            self.list_languages.append(language)
            self.list_asked.set()
            return httpx.Response(200, json=EMPTY_PAGE)
        if path == "/api/v1/directory/me":
            await asyncio.wait_for(self.list_asked.wait(), timeout=10)
            preferences = {"malform": self.own_malform, "kommune_malform": "nb", "language": self.own_malform or "nb"}
            person = {"id": "p1", "name": "Kari Leder", "email": "kari@hustadvika.kommune.no", "roles": []}
            settings: dict[str, Any] = {"malform": "nb", "colour": "#00606e", "anonymous_reporting": False}
            kommune = {"id": "t1", "slug": "hustadvika", "name": "Hustadvika kommune", "organisation_number": None,
                       "settings": settings}  # fmt: skip
            return httpx.Response(200, json={**person, "preferences": preferences, "kommune": kommune})
        if path == "/api/v1/notifications/unread-count":
            return httpx.Response(200, json={"unread": 2})
        return httpx.Response(200, json=EMPTY_PAGE)  # the units and the catalogue


async def to_handle(gateway: GatewayHoldingThePerson, cookies: dict[str, str]) -> httpx.Response:
    app = create_app(WebSettings(gateway_url="http://gateway"))
    app.state.client = httpx.AsyncClient(base_url="http://gateway", transport=httpx.MockTransport(gateway))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://web", cookies=cookies
    ) as browser:
        return await browser.get("/behandling")


async def test_the_list_of_cases_is_asked_for_before_the_person_is_known() -> None:
    gateway = GatewayHoldingThePerson(own_malform=None)
    answer = await to_handle(gateway, SIGNED_IN)
    assert answer.status_code == 200, answer.text
    assert "Kari Leder" in answer.text
    assert gateway.list_languages == ["nb"]  # asked once: the browser's målform was the person's


async def test_a_person_whose_malform_is_not_the_browsers_gets_the_calls_again_in_their_own() -> None:
    gateway = GatewayHoldingThePerson(own_malform="nn")
    answer = await to_handle(gateway, {**SIGNED_IN, "varde_malform": "nb"})
    assert answer.status_code == 200, answer.text
    assert '<html lang="nn"' in answer.text
    assert gateway.list_languages == ["nb", "nn"]
