"""The web client in a real browser (Debian's Chromium) on the real stack, through the gateway: an employee signs in
on the development sign-in page, reports an avvik from a phone, reads the receipt and finds the report under
"Mine meldinger". Every page passes axe-core's WCAG 2.1 AA rules, empty, with errors and filled in; the form works
without JavaScript; a double submit makes one case. Screenshots at phone and desk size go to ``var/screenshots/``."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import DemoPerson, person
from tests.system.browser import DESK, PHONE, accessible, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system


@pytest.mark.parametrize("size", [PHONE, DESK], ids=["phone", "desk"])
def test_an_employee_reports_from_the_browser_and_finds_it_under_my_reports(
    browser: Browser, stack: Stack, people: list[DemoPerson], size: dict[str, int]
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    context = browser.new_context(viewport=size, locale="nb-NO")  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(stack.gateway_url + "/logg-inn")
        assert page.locator("html").get_attribute("lang") == "nb"
        assert page.get_by_role("note").inner_text().startswith("Utviklingsmodus")
        accessible(page, "sign-in")
        screenshot(page, "logg-inn")
        sign_in(page, stack, employee)
        assert page.get_by_role("heading", level=1).inner_text() == f"Hei, {employee.name}"

        page.get_by_role("link", name="Meld avvik").first.click()
        page.wait_for_url(stack.gateway_url + "/meld")
        accessible(page, "report form, empty")
        screenshot(page, "meld")

        page.get_by_role("button", name="Send meldingen").click()  # nothing filled in
        summary = page.get_by_role("alert")
        assert "Tittel" in summary.inner_text() or "tittel" in summary.inner_text()
        assert page.get_by_label("Hva skjedde? (kort tittel)").get_attribute("aria-invalid") == "true"
        accessible(page, "report form with errors")
        screenshot(page, "meld-feil")

        title = f"Våt gulvflate ved heisen {size['width']}"
        page.get_by_label("Hva skjedde? (kort tittel)").fill(title)
        page.get_by_label("Beskriv hendelsen").fill("Beboer skled nesten; gulvet var nyvasket uten skilt.")
        page.get_by_label("2 – Lav").first.check()
        accessible(page, "report form, filled in")
        page.get_by_role("button", name="Send meldingen").click()
        page.wait_for_url(re.compile(r".*/meld/[0-9a-f-]+/kvittering$"))
        assert page.get_by_role("heading", level=1).inner_text() == "Takk, meldingen er sendt"
        assert title in page.locator("main").inner_text()
        accessible(page, "receipt")
        screenshot(page, "kvittering")

        page.get_by_role("link", name="Til mine meldinger").click()
        page.wait_for_url(stack.gateway_url + "/mine")
        assert page.get_by_role("heading", name=title).count() == 1
        accessible(page, "my reports")
        screenshot(page, "mine")

        page.get_by_role("button", name="Logg ut").click()
        page.wait_for_url(stack.gateway_url + "/logg-inn")
        assert [c for c in context.cookies() if c["name"] == "varde_session"] == []
        page.goto(stack.gateway_url + "/mine")
        assert page.url == stack.gateway_url + "/logg-inn?tilbake=/mine"
    finally:
        context.close()


def test_the_report_form_works_without_javascript_and_a_double_submit_makes_one_case(
    browser: Browser, stack: Stack, people: list[DemoPerson]
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        key = page.locator("input[name=idempotency_key]").get_attribute("value")
        assert key
        form = {
            "idempotency_key": key,
            "kind": "nestenuhell",
            "title": "Dobbelt trykk på send",
            "description": "Sendt to ganger på dårlig nett.",
            "unit_id": employee.unit_where("ansatt"),
            "occurred_at": "2026-11-30T08:15",
        }
        cookies = {c["name"]: c["value"] for c in context.cookies() if c["name"] == "varde_session"}
        with httpx.Client(base_url=stack.gateway_url, cookies=cookies, headers={"origin": stack.gateway_url}) as client:
            first = client.post("/meld", data=form)
            second = client.post("/meld", data=form)
            elsewhere = client.post("/meld", data=form, headers={"origin": "https://angriper.example"})
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert elsewhere.status_code == 403

        page.goto(stack.gateway_url + first.headers["location"])
        assert page.get_by_role("heading", level=1).inner_text() == "Takk, meldingen er sendt"
        page.goto(stack.gateway_url + "/mine")
        assert page.get_by_role("heading", name="Dobbelt trykk på send").count() == 1
    finally:
        context.close()


def test_a_page_asked_for_when_signed_out_sends_the_browser_to_sign_in(stack: Stack) -> None:
    answer = httpx.get(stack.gateway_url + "/mine", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/logg-inn?tilbake=/mine"
