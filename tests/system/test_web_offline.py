"""The report form without a network, in a real browser (Debian's Chromium) on the real stack: the service worker is
registered for the whole site and keeps the form's shell; a report sent with the network gone is kept on the phone
with its Idempotency-Key, the page says it waits ("Venter på nett"), and it is sent once when the network returns
("Sendt 14:32"). A report whose first delivery reached the service while its answer was lost is sent again with the
same key and is still one case; a report whose session ended while it waited says so and goes only when its author
has signed in again; a report the service refuses goes back into the form.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.conftest import DemoPerson, person
from tests.system.browser import PHONE, accessible, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

SENT = re.compile(r"Sendt \d{2}:\d{2}")
# Asks the worker for a round of sending and resolves when it says what it has kept changed.
A_ROUND_OF_SENDING = """() => new Promise((done) => {
  navigator.serviceWorker.addEventListener("message", () => done(true), { once: true });
  navigator.serviceWorker.controller.postMessage({ type: "flush" });
})"""
# Resolves once the service worker controls the page: from then on the form's posts go through it.
CONTROLLED = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((done) => navigator.serviceWorker.addEventListener("controllerchange", done, { once: true }));
  }
  return registration.scope;
}"""


def phone(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport=PHONE, locale="nb-NO", service_workers="allow")  # type: ignore[arg-type]


def cases_titled(gateway: httpx.Client, headers: dict[str, str], title: str) -> list[dict[str, Any]]:
    """The reporter's cases with exactly this title, through the API."""
    answer = gateway.get("/api/v1/deviations", params={"view": "reported", "q": title, "limit": 50}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [case for case in answer.json()["items"] if case["title"] == title]


def write_report(page: Page, title: str) -> None:
    page.get_by_label("Hva skjedde? (kort tittel)").fill(title)
    page.get_by_label("Beskriv hendelsen").fill("Vann på gulvet i kjelleren ved vaskeriet; ingen dekning der nede.")
    page.get_by_label("2 – Lav").first.check()
    page.get_by_role("button", name="Send meldingen").click()


def entry(page: Page, title: str) -> Any:
    return page.locator("#utboks li", has_text=title)


def test_a_report_written_without_network_waits_on_the_phone_and_is_sent_once_when_the_network_returns(
    browser: Browser, stack: Stack, people: list[DemoPerson], gateway: httpx.Client, login: Any
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    context = phone(browser)
    page = context.new_page()
    title = f"Vannlekkasje i kjelleren {uuid.uuid4().hex[:6]}"
    try:
        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        assert page.evaluate(CONTROLLED) == stack.gateway_url + "/"
        version = page.evaluate("fetch('/sw.js').then((r) => r.text())").split('"version": "', 1)[1][:12]
        assert f"varde-meld-{version}" in page.evaluate("caches.keys()")
        manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())")
        assert (manifest["start_url"], manifest["display"]) == ("/meld", "standalone")
        assert page.locator("#utboks").is_hidden()  # nothing kept yet

        context.set_offline(True)
        write_report(page, title)
        page.wait_for_url(stack.gateway_url + "/meld#utboks")
        expect(entry(page, title)).to_contain_text("Venter på nett")
        expect(page.locator("#utboks-tittel")).to_be_focused()
        assert cases_titled(gateway, login(employee), title) == []
        accessible(page, "report form, a report waiting for the network")
        screenshot(page, "meld-venter")
        # Kept on the phone, not in the page: the form shown again without a network still lists it, with a new key.
        used_key = page.locator("input[name=idempotency_key]").input_value()
        page.reload()
        expect(entry(page, title)).to_contain_text("Venter på nett")
        expect(page.locator("input[name=idempotency_key]")).not_to_have_value(used_key)

        context.set_offline(False)
        expect(entry(page, title)).to_contain_text(SENT, timeout=30_000)
        accessible(page, "report form, a report sent when the network returned")
        screenshot(page, "meld-sendt")
        assert len(cases_titled(gateway, login(employee), title)) == 1

        entry(page, title).get_by_role("link", name="Se kvitteringen").click()
        page.wait_for_url(re.compile(r".*/meld/[0-9a-f-]+/kvittering$"))
        assert title in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_report_whose_answer_was_lost_is_sent_again_with_its_key_and_stays_one_case(
    browser: Browser, stack: Stack, people: list[DemoPerson], gateway: httpx.Client, login: Any
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    context = phone(browser)
    page = context.new_page()
    title = f"Svar borte på dårlig nett {uuid.uuid4().hex[:6]}"
    delivered: list[int] = []

    def reaches_the_service_but_the_answer_is_lost(route: Route) -> None:
        delivered.append(route.fetch(max_redirects=0).status)
        route.abort("internetdisconnected")

    try:
        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        page.evaluate(CONTROLLED)
        context.route(stack.gateway_url + "/meld", reaches_the_service_but_the_answer_is_lost, times=1)
        write_report(page, title)
        # The service made the case; the phone saw the network fail, kept the report and sends it again at once.
        expect(entry(page, title)).to_contain_text(SENT, timeout=30_000)
        assert delivered == [303]
        assert len(cases_titled(gateway, login(employee), title)) == 1
    finally:
        context.close()


def test_a_report_that_waited_past_the_end_of_the_session_waits_for_its_author_to_sign_in_again(
    browser: Browser, stack: Stack, people: list[DemoPerson], gateway: httpx.Client, login: Any
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    colleague = next(p for p in people if p.tenant == "hustadvika" and p.name != employee.name)
    context = phone(browser)
    page = context.new_page()
    title = f"Venter over utlogging {uuid.uuid4().hex[:6]}"
    try:
        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        page.evaluate(CONTROLLED)
        context.set_offline(True)
        write_report(page, title)
        expect(entry(page, title)).to_contain_text("Venter på nett")
        # The session ends on the server while the phone is offline (it expired, or was ended elsewhere).
        session = next(c["value"] for c in context.cookies() if c["name"] == "varde_session")
        ended = gateway.post(
            "/auth/logout", headers={"cookie": f"varde_session={session}", "origin": stack.gateway_url}
        )
        assert ended.status_code == 200

        context.set_offline(False)
        expect(entry(page, title)).to_contain_text("Venter: du er logget ut", timeout=30_000)
        accessible(page, "report form, a report waiting for a new sign-in")
        screenshot(page, "meld-logg-inn")
        assert cases_titled(gateway, login(employee), title) == []

        # Someone else signs in on the same phone: the report is neither shown to them nor sent in their name.
        sign_in(page, stack, colleague)
        page.goto(stack.gateway_url + "/meld")
        assert page.evaluate(A_ROUND_OF_SENDING)
        expect(entry(page, title)).to_have_count(0)
        assert cases_titled(gateway, login(employee), title) == []
        assert cases_titled(gateway, login(colleague), title) == []
        page.get_by_role("button", name="Logg ut").click()
        page.wait_for_url(re.compile(r".*/logg-inn"))

        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        expect(entry(page, title)).to_contain_text(SENT, timeout=30_000)
        assert len(cases_titled(gateway, login(employee), title)) == 1
    finally:
        context.close()


def test_a_report_the_service_refuses_when_it_is_sent_goes_back_into_the_form_to_be_fixed(
    browser: Browser, stack: Stack, people: list[DemoPerson], gateway: httpx.Client, login: Any
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    context = phone(browser)
    page = context.new_page()
    description = f"Skrevet uten nett og uten tittel {uuid.uuid4().hex[:6]}"
    try:
        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        page.evaluate(CONTROLLED)
        context.set_offline(True)
        page.get_by_label("Beskriv hendelsen").fill(description)
        page.get_by_role("button", name="Send meldingen").click()
        expect(entry(page, "Melding uten tittel")).to_contain_text("Venter på nett")

        context.set_offline(False)
        expect(entry(page, "Melding uten tittel")).to_contain_text("Ikke sendt", timeout=30_000)
        accessible(page, "report form, a report the service refused")
        entry(page, "Melding uten tittel").get_by_role("button", name="Rett meldingen").click()
        expect(page.get_by_label("Hva skjedde? (kort tittel)")).to_be_focused()
        expect(page.get_by_label("Beskriv hendelsen")).to_have_value(description)
        expect(page.locator("#utboks li")).to_have_count(0)

        title = f"Rettet etter nettet kom {description[-6:]}"
        page.get_by_label("Hva skjedde? (kort tittel)").fill(title)
        page.get_by_role("button", name="Send meldingen").click()
        page.wait_for_url(re.compile(r".*/meld/[0-9a-f-]+/kvittering$"))
        assert [case["title"] for case in cases_titled(gateway, login(employee), title)] == [title]
    finally:
        context.close()
