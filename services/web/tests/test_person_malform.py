"""The målform of a page: a signed-in person's own choice, else their kommune's, else bokmål; signed out, the
browser's. Choosing it in Mine innstillinger or with the switch at the foot of a page saves it in the directory, and
the header carries the kommune's name and colour. The API is a fake gateway that keeps what it is sent."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from varde_web.admin_settings import settings_change, settings_values
from varde_web.app import create_app
from varde_web.config import WebSettings
from varde_web.i18n import page_language

SIGNED_IN = {"varde_session": "hemmelig"}


class FakeGateway:
    """The directory's /me and /tenant as one person in one kommune sees them, and the choices they save."""

    def __init__(self, own: str | None, kommune: str, colour: str = "#8a1538") -> None:
        self.own, self.kommune, self.colour = own, kommune, colour
        self.saved: list[dict[str, Any]] = []
        self.languages: list[str] = []

    def preferences(self) -> dict[str, Any]:
        return {"malform": self.own, "kommune_malform": self.kommune, "language": self.own or self.kommune}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.languages.append(request.headers["accept-language"])
        path = request.url.path
        if path == "/api/v1/directory/me/preferences" and request.method == "PUT":
            body = json.loads(request.content)
            if body["malform"] not in (None, "nb", "nn"):
                problem = {
                    "type": "urn:varde:problem:validation",
                    "title": "Ugyldig",
                    "status": 422,
                    "detail": "",
                    "errors": [{"field": "malform", "label": "Målform", "message": "Må være en av nb, nn."}],
                }
                return httpx.Response(422, json=problem)
            self.saved.append(body)
            self.own = body["malform"]
            return httpx.Response(200, json=self.preferences())
        if path == "/api/v1/directory/me":
            person = {"id": "p1", "name": "Ola Nordmann", "email": "ola@lillestrom.kommune.no", "roles": []}
            settings = {"malform": self.kommune, "colour": self.colour, "anonymous_reporting": False}
            kommune = {
                "id": "t1",
                "slug": "lillestrom",
                "name": "Lillestrøm kommune",
                "organisation_number": None,
                "settings": settings,
            }
            return httpx.Response(200, json={**person, "preferences": self.preferences(), "kommune": kommune})
        if path == "/api/v1/notifications/unread-count":
            return httpx.Response(200, json={"unread": 0})
        return httpx.Response(404, json={"type": "about:blank", "title": "Ikke funnet", "status": 404, "detail": ""})


def client_for(gateway: FakeGateway, cookies: dict[str, str] | None = None) -> httpx.AsyncClient:
    app = create_app(WebSettings(gateway_url="http://gateway"))
    app.state.client = httpx.AsyncClient(base_url="http://gateway", transport=httpx.MockTransport(gateway))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web", cookies=cookies or {})


@pytest.mark.parametrize(
    ("own", "kommune", "cookie", "expected"),
    [("nn", "nb", "nb", "nn"), (None, "nn", "nb", "nn"), ("nb", "nn", "nn", "nb"), (None, None, "nn", "nb")],
)
def test_a_signed_in_persons_pages_follow_their_choice_then_their_kommune(
    own: str | None, kommune: str | None, cookie: str, expected: str
) -> None:
    person = {"name": "Ola", "preferences": {"malform": own}}
    assert page_language(person, {"settings": {"malform": kommune}}, cookie) == expected


def test_a_signed_out_page_keeps_the_browsers_malform() -> None:
    assert page_language(None, None, "nn") == "nn"
    assert page_language(None, None, "sv") == "nb"


async def test_the_kommunes_nynorsk_is_the_page_with_its_name_and_colour_and_the_browser_learns_it() -> None:
    gateway = FakeGateway(own=None, kommune="nn")
    async with client_for(gateway, {**SIGNED_IN, "varde_malform": "nb"}) as web:
        page = await web.get("/innstillinger")
    assert page.status_code == 200
    assert '<html lang="nn"' in page.text
    assert "Innstillingane mine" in page.text
    assert 'style="--varde-accent: #8a1538"' in page.text
    assert '<span class="kommune">Lillestrøm kommune</span>' in page.text
    assert 'id="malform-kommune" name="malform" value="kommune" checked' in page.text
    assert page.cookies["varde_malform"] == "nn"  # a form's post from this page is answered in nynorsk too


async def test_choosing_in_mine_innstillinger_saves_it_in_the_directory() -> None:
    gateway = FakeGateway(own=None, kommune="nb")
    async with client_for(gateway, SIGNED_IN) as web:
        saved = await web.post("/innstillinger", data={"malform": "nn"})
        assert saved.status_code == 303
        assert saved.headers["location"] == "/innstillinger?lagret=ja"
        assert saved.cookies["varde_malform"] == "nn"
        after = await web.get("/innstillinger?lagret=ja")
        assert '<html lang="nn"' in after.text
        assert "Valet ditt er lagra." in after.text
        back = await web.post("/innstillinger", data={"malform": "kommune"})
        assert back.cookies["varde_malform"] == "nb"
    assert gateway.saved == [{"malform": "nn"}, {"malform": None}]


async def test_a_malform_the_directory_does_not_know_is_shown_at_its_field() -> None:
    gateway = FakeGateway(own=None, kommune="nb")
    async with client_for(gateway, SIGNED_IN) as web:
        refused = await web.post("/innstillinger", data={"malform": "sv"})
    assert refused.status_code == 422
    assert 'href="#malform">Målform: Må være en av nb, nn.' in refused.text
    assert gateway.saved == []


async def test_the_switch_at_the_foot_of_a_page_saves_a_signed_in_persons_choice() -> None:
    gateway = FakeGateway(own="nb", kommune="nb")
    async with client_for(gateway, SIGNED_IN) as web:
        switched = await web.post("/malform", data={"malform": "nn", "tilbake": "/mine"})
    assert switched.status_code == 303
    assert switched.headers["location"] == "/mine"
    assert switched.cookies["varde_malform"] == "nn"
    assert gateway.saved == [{"malform": "nn"}]


async def test_mine_innstillinger_asks_a_signed_out_browser_to_sign_in() -> None:
    gateway = FakeGateway(own=None, kommune="nb")
    async with client_for(gateway) as web:
        answer = await web.get("/innstillinger")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/logg-inn?tilbake=/innstillinger"


def test_the_admin_form_sends_the_kommunes_malform_and_colour_as_typed() -> None:
    settings = {"anonymous_reporting": True, "acknowledge_deadline_hours": 72, "malform": "nn", "colour": "#1e6331"}
    values = settings_values({**settings, "unit_types": []})
    assert (values["malform"], values["colour"]) == ("nn", "#1e6331")
    change = settings_change({**values, "malform": "nb", "colour": " #FFD700 "}, [])["settings"]
    assert (change["malform"], change["colour"]) == ("nb", "#FFD700")  # the directory judges the colour
