"""QR posters in a real browser on the real stack: a leader lists the units they may print a poster for, makes one
for a place in their nursing home, and prints it on one A4 page; the code, read from the printed page by an
independent decoder, opens the report form with the unit and the place filled in, and an employee's report from it
lands in that unit with that place. Every state of the pages passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import Roles
from tests.system.browser import DESK, PHONE, accessible, screenshot, sign_in
from tests.system.qr_reading import read_qr_codes
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def test_a_leader_prints_a_poster_whose_code_opens_the_form_for_that_place(
    browser: Browser, stack: Stack, roles: Roles, gateway: httpx.Client, login: Any
) -> None:
    leader_browser = browser.new_context(viewport=DESK, locale="nb-NO")  # type: ignore[arg-type]
    employee_browser = browser.new_context(viewport=PHONE, locale="nb-NO")  # type: ignore[arg-type]
    unit = roles.nursing_home
    try:
        employee = employee_browser.new_page()
        sign_in(employee, stack, roles.employee)
        employee.goto(stack.gateway_url + "/plakater")
        assert "ingen plakater" in employee.locator("main").inner_text()
        accessible(employee, "posters, none to print")

        desk = leader_browser.new_page()
        sign_in(desk, stack, roles.nursing_home_leader)
        desk.get_by_role("link", name="QR-plakater for å melde avvik").click()
        desk.wait_for_url(stack.gateway_url + "/plakater")
        accessible(desk, "posters, the leader's units")
        screenshot(desk, "plakater")
        desk.get_by_role("link", name="Hustadvika sjukeheim").click()
        desk.wait_for_url(f"{stack.gateway_url}/plakater/{unit}")
        accessible(desk, "poster for the unit")

        desk.get_by_label("Sted i enheten (valgfritt)").fill("Rom 214")
        desk.get_by_role("button", name="Lag plakat for stedet").click()
        desk.wait_for_url(f"{stack.gateway_url}/plakater/{unit}?sted=Rom+214")
        assert "Rom 214" in desk.locator(".poster").inner_text()
        accessible(desk, "poster for a place in the unit")
        screenshot(desk, "plakat")

        # Printed: the menus and the form stay off the paper, the poster fills one A4 page, and its code reads.
        desk.emulate_media(media="print")
        assert desk.locator("header.top").is_hidden()
        assert desk.locator(".poster-tools").is_hidden()
        assert len(PDF_PAGE.findall(desk.pdf(prefer_css_page_size=True))) == 1
        screenshot(desk, "plakat-utskrift")
        address = f"{stack.gateway_url}/meld?enhet={unit}&sted=Rom%20214"
        assert read_qr_codes(desk.locator(".poster-code svg").screenshot()) == [address]

        # A unit the leader does not lead has no poster for them.
        desk.emulate_media(media="screen")
        elsewhere = desk.goto(f"{stack.gateway_url}/plakater/{roles.school_leader.unit_where('virksomhetsleder')}")
        assert elsewhere is not None
        assert elsewhere.status == 404
        accessible(desk, "poster for a unit that is not the leader's")

        employee.goto(address)
        assert employee.locator("#unit_id").input_value() == unit
        assert employee.get_by_label("Sted (for eksempel rom 214)").input_value() == "Rom 214"
        employee.get_by_label("Hva skjedde? (kort tittel)").fill("Sklitt på våt flis ved plakaten")
        employee.get_by_label("Beskriv hendelsen").fill("Flisene på rom 214 var våte etter dusjing.")
        employee.get_by_role("button", name="Send meldingen").click()
        employee.wait_for_url(re.compile(r".*/meld/[0-9a-f-]+/kvittering$"))
        case_id = employee.url.rsplit("/", 2)[-2]
        case = gateway.get(f"/api/v1/deviations/{case_id}", headers=login(roles.employee)).json()
        assert (case["unit_id"], case["location"]) == (unit, "Rom 214")
    finally:
        leader_browser.close()
        employee_browser.close()
