"""An address or a form the web cannot read is answered with a Norwegian page, never with FastAPI's JSON."""

from __future__ import annotations

import httpx
import pytest
from varde_web.app import create_app
from varde_web.config import WebSettings


def web(cookies: dict[str, str] | None = None) -> httpx.AsyncClient:
    # The gateway's address is a closed port: these pages must be answered without asking the API anything.
    app = create_app(WebSettings(gateway_url="http://127.0.0.1:9"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web", cookies=cookies)


@pytest.mark.parametrize("path", ["/saker/ikke-en-sak", "/saker/123/tilgangslogg", "/risiko/abc", "/plakater/x"])
@pytest.mark.parametrize(("language", "heading"), [("nb", "Siden finnes ikke"), ("nn", "Sida finst ikkje")])
async def test_an_edited_address_with_no_id_in_it_is_a_missing_page_in_the_persons_malform(
    path: str, language: str, heading: str
) -> None:
    async with web({"varde_malform": language}) as client:
        answer = await client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert heading in answer.text
    assert f'lang="{language}"' in answer.text


async def test_a_hand_made_form_the_web_did_not_make_is_refused_in_words() -> None:
    async with web() as client:
        answer = await client.post("/malform", data={"tilbake": "/"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "Adressen eller skjemaet inneholdt noe Varde ikke kunne lese" in answer.text
