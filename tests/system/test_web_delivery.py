"""How the pages travel: compressed where it helps a phone on a poor network, and each page saying in
``Server-Timing`` how many calls to /api/v1 it made (what ``make bench`` reports per page)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import Roles

pytestmark = pytest.mark.system

API_CALLS = re.compile(r'api;dur=[0-9.]+;desc="(\d+) calls", total;dur=[0-9.]+')


def session_cookie(gateway: httpx.Client, tenant: str, email: str) -> str:
    response = gateway.post("/dev/session", data={"tenant": tenant, "email": email})
    assert response.status_code == 303, response.text
    return str(response.cookies["varde_session"])


def api_calls(response: httpx.Response) -> int:
    found = API_CALLS.fullmatch(response.headers["server-timing"])
    assert found, response.headers["server-timing"]
    return int(found.group(1))


def test_the_stylesheets_arrive_compressed_and_the_font_as_it_is(gateway: httpx.Client) -> None:
    page = gateway.get("/logg-inn", headers={"accept-encoding": "gzip"})
    stylesheet = gateway.get("/static/vendor/designsystemet/css/index.css", headers={"accept-encoding": "gzip"})
    font_css = gateway.get("/static/vendor/inter/fonts.css").text
    font_path = re.search(r'url\("?([^")]+\.woff2)"?\)', font_css)
    assert font_path
    font_url = "/static/vendor/inter/" + font_path.group(1)
    font = gateway.get(font_url, headers={"accept-encoding": "gzip"})

    assert page.headers["content-encoding"] == "gzip"
    assert stylesheet.headers["content-encoding"] == "gzip"
    assert len(stylesheet.content) > 100_000  # httpx has unpacked it: the whole stylesheet came
    assert font.status_code == 200
    assert "content-encoding" not in font.headers


def test_every_page_says_how_many_api_calls_it_made(gateway: httpx.Client, roles: Roles) -> None:
    signed_out = gateway.get("/logg-inn")  # the development sign-in page asks for the demo people, once
    cookie = session_cookie(gateway, roles.employee.tenant, roles.employee.email)
    report_form = gateway.get("/meld", headers={"cookie": f"varde_session={cookie}"})

    assert api_calls(signed_out) == 1
    assert report_form.status_code == 200
    # The header's two (me with the kommune, the unread count) and the form's own: units and the catalogue.
    assert api_calls(report_form) == 4
