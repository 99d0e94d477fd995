"""The leader's journey in the browser, on the real stack: an employee reports from a phone with a photo from the
camera; the leader it went to finds it under "Til behandling", sees the photo, takes it, adds a measure, marks it
done and closes the case with a conclusion; the reporter then sees it closed, and what was concluded. Every state
of the case page passes axe-core."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import DemoPerson, person
from tests.system.browser import DESK, PHONE, accessible, png, screenshot, sign_in
from varde_devstack.stack import Stack

OSLO = ZoneInfo("Europe/Oslo")

pytestmark = pytest.mark.system

TITLE = "Manglende dobbeltkontroll av insulin"
PHOTO = png(48, 32, (200, 40, 40))


def report(page: Page, stack: Stack) -> str:
    """The employee's report through the form; the name of the leader the receipt says has it."""
    page.goto(stack.gateway_url + "/meld")
    page.get_by_label("Uønsket hendelse").check()
    page.get_by_label("Hva skjedde? (kort tittel)").fill(TITLE)
    page.get_by_label("Beskriv hendelsen").fill("Insulin gitt uten at en kollega kontrollerte dosen.")
    page.get_by_label("3 – Medium").first.check()
    page.get_by_label("Involverte personer").fill("Beboer på rom 12")
    page.get_by_label("Bilder (valgfritt)").set_input_files(
        files=[{"name": "medisinvogn.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    page.get_by_role("button", name="Send meldingen").click()
    page.wait_for_url(re.compile(r".*/kvittering$"))
    assert page.locator("dt:has-text('Bilder') + dd").inner_text() == "1 lagt ved"
    handled_by = page.locator("dt:has-text('Behandles av') + dd").inner_text()
    return handled_by.rsplit(" – ", 1)[-1]


def test_a_leader_handles_a_report_to_its_close_and_the_reporter_sees_the_conclusion(
    browser: Browser, stack: Stack, people: list[DemoPerson]
) -> None:
    employee = person(people, "hustadvika", "ansatt")
    reporter = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    leader_browser = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    try:
        phone = reporter.new_page()
        sign_in(phone, stack, employee)
        leader_name = report(phone, stack)
        leader = next(p for p in people if p.tenant == "hustadvika" and p.name == leader_name)

        desk = leader_browser.new_page()
        sign_in(desk, stack, leader)
        # The leader is told: the header counts the unread notification, and opening it leads to the case.
        desk.get_by_role("link", name=re.compile(r"^Varsler \d+ uleste")).click()
        desk.wait_for_url(stack.gateway_url + "/varsler")
        accessible(desk, "inbox")
        screenshot(desk, "varsler")
        unread_before = int(desk.locator("header .badge").inner_text())
        # The newest first: the report just sent (a notification names the unit, not what happened).
        notice = desk.locator("li.unread", has_text="Nytt avvik å behandle").first
        notice.get_by_role("button").click()
        desk.wait_for_url(re.compile(r".*/saker/[0-9a-f-]+$"))
        assert desk.get_by_role("heading", level=1).inner_text() == TITLE
        badge = desk.locator("header .badge")
        assert (int(badge.inner_text()) if badge.count() else 0) == unread_before - 1
        desk.get_by_role("link", name="Til behandling").click()
        desk.wait_for_url(stack.gateway_url + "/behandling")
        accessible(desk, "to handle")
        screenshot(desk, "behandling")
        # Each line says when the case was reported: today, in Norway.
        line = desk.locator(".cases li", has_text=TITLE).first.inner_text()
        assert f"Meldt {datetime.now(OSLO):%d.%m.%Y}" in line
        desk.get_by_role("link", name=TITLE).first.click()
        desk.wait_for_url(re.compile(r".*/saker/[0-9a-f-]+$"))
        assert "Beboer på rom 12" in desk.locator(".restricted").inner_text()
        assert "logges" in desk.locator(".restricted").inner_text()
        # The photo, fetched by the web as the leader: shown, and never kept by a cache.
        photo = desk.get_by_role("img", name="Bilde lagt ved saken: medisinvogn.png")
        photo.scroll_into_view_if_needed()
        assert photo.evaluate("image => image.complete && image.naturalWidth") == 48
        relayed = desk.request.get(stack.gateway_url + str(photo.get_attribute("src")))
        assert (relayed.status, relayed.body()) == (200, PHOTO)
        assert relayed.headers["cache-control"] == "no-store"
        assert relayed.headers["x-content-type-options"] == "nosniff"
        assert httpx.get(relayed.url, follow_redirects=False).status_code == 303  # signed out: to sign in
        accessible(desk, "case, registered")

        desk.get_by_role("button", name="Ta saken til behandling").click()
        desk.get_by_role("button", name="Legg til tiltaket").click()  # no description: the API's message
        assert desk.get_by_role("alert").count() == 1
        accessible(desk, "case, a measure refused")
        desk.get_by_label("Hva skal gjøres?").fill("Innfør dobbeltkontroll ved all insulin")
        desk.get_by_role("button", name="Legg til tiltaket").click()
        assert "Innfør dobbeltkontroll ved all insulin" in desk.locator("main").inner_text()
        desk.get_by_role("button", name="Marker som utført").click()
        assert "Utført" in desk.locator("#tiltak + ul, section[aria-labelledby=tiltak]").first.inner_text()
        desk.get_by_label("Konklusjon").fill("Rutinen er endret og gjennomgått med alle på avdelingen.")
        desk.get_by_role("button", name="Lukk saken").click()
        assert desk.locator("dt:has-text('Status') + dd").inner_text() == "Lukket"
        accessible(desk, "case, closed")
        screenshot(desk, "sak")
        timeline = desk.locator(".timeline").inner_text()
        assert leader.name in timeline
        assert employee.name in timeline

        phone.goto(stack.gateway_url + "/mine")
        closed = phone.locator("li", has=phone.get_by_role("link", name=TITLE)).first
        assert "Lukket" in closed.inner_text()
        assert "Konklusjon: Rutinen er endret" in closed.inner_text()  # in the list, before opening it
        closed.get_by_role("link", name=TITLE).click()
        assert "Rutinen er endret" in phone.locator(".conclusion").inner_text()
        accessible(phone, "case, as its reporter")
        screenshot(phone, "sak")
    finally:
        reporter.close()
        leader_browser.close()
