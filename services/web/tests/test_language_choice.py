"""Choosing the målform: a cookie for a year, and back to the page it was chosen on, never to another site."""

from __future__ import annotations

import httpx
import pytest
from varde_web.app import create_app
from varde_web.config import WebSettings


@pytest.mark.parametrize(
    ("back", "location"),
    [
        ("/mine", "/mine"),
        ("//angriper.example/", "/"),
        ("/\\angriper.example/", "/"),
        ("https://angriper.example/", "/"),
    ],
)
async def test_the_choice_of_malform_returns_only_to_a_page_of_this_site(back: str, location: str) -> None:
    app = create_app(WebSettings(gateway_url="http://127.0.0.1:9"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as client:
        answer = await client.post("/malform", data={"malform": "nn", "tilbake": back})
    assert answer.status_code == 303
    assert answer.headers["location"] == location
    assert answer.cookies["varde_malform"] == "nn"
