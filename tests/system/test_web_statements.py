"""The accessibility statement and the privacy statement in a real browser on the real stack: open to someone who is
not signed in, on a phone, in bokmål and nynorsk, linked from the footer of every page, and naming the kommune of
whoever is signed in. The accessibility statement lists what the browser tests recorded."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.conftest import Roles
from tests.system.browser import PHONE, accessible, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

INSTALLATION = "Hustadvika kommune"  # the devstack's VARDE_RESPONSIBLE_NAME


def test_both_statements_are_open_to_everyone_on_a_phone_in_both_malformer(browser: Browser, stack: Stack) -> None:
    context = browser.new_context(viewport=PHONE, locale="nb-NO")  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(stack.gateway_url + "/logg-inn")
        page.get_by_role("link", name="Tilgjengelighetserklæring").click()
        page.wait_for_url(stack.gateway_url + "/tilgjengelighet")
        accessible(page, "accessibility statement, signed out")
        screenshot(page, "tilgjengelighet")
        main = page.locator("main")
        assert f"{INSTALLATION} er ansvarlig for at Varde" in main.inner_text()
        assert "Varde er delvis i samsvar med WCAG 2.1" in main.inner_text()
        tested = page.locator("ul.tested-pages li code").all_inner_texts()
        assert {"/meld", "/behandling", "/saker/…", "/dokumenter/leseliste"} <= set(tested)
        assert "axe-core 4." in main.inner_text()
        feedback = page.get_by_role("link", name="postmottak@hustadvika.kommune.example")
        assert (feedback.get_attribute("href") or "").startswith("mailto:postmottak@hustadvika.kommune.example?")
        assert page.get_by_role("link", name="Meld fra om brudd på uutilsynet.no").get_attribute("href") == (
            "https://www.uutilsynet.no/"
        )

        page.locator("footer").get_by_role("link", name="Personvernerklæring").click()
        page.wait_for_url(stack.gateway_url + "/personvern")
        accessible(page, "privacy statement, signed out")
        screenshot(page, "personvern")
        text = page.locator("main").inner_text()
        assert f"{INSTALLATION} er behandlingsansvarlig" in text
        assert "kommuneloven § 25-1" in text
        officer = page.get_by_role("link", name="personvernombud@hustadvika.kommune.example")
        assert officer.get_attribute("href") == "mailto:personvernombud@hustadvika.kommune.example"

        page.get_by_label("Målform").select_option("nn")
        page.get_by_role("button", name="Bytt").click()
        page.wait_for_url(stack.gateway_url + "/personvern")
        assert page.locator("html").get_attribute("lang") == "nn"
        assert f"{INSTALLATION} er behandlingsansvarleg" in page.locator("main").inner_text()
        accessible(page, "privacy statement in nynorsk")
        page.get_by_role("link", name="Tilgjengeerklæring").first.click()
        page.wait_for_url(stack.gateway_url + "/tilgjengelighet")
        assert f"{INSTALLATION} er ansvarleg for at Varde" in page.locator("main").inner_text()
        accessible(page, "accessibility statement in nynorsk")
    finally:
        context.close()


def test_signed_in_the_statements_name_the_persons_own_kommune(browser: Browser, stack: Stack, roles: Roles) -> None:
    context = browser.new_context(viewport=PHONE, locale="nb-NO")  # type: ignore[arg-type]
    page = context.new_page()
    try:
        sign_in(page, stack, roles.other_kommune_leader)
        accessible(page, "start page")
        page.locator("footer").get_by_role("link", name="Personvernerklæring").click()
        page.wait_for_url(stack.gateway_url + "/personvern")
        text = page.locator("main").inner_text()
        assert "Lillestrøm kommune er behandlingsansvarlig" in text
        assert f"drives av {INSTALLATION}" in text
        accessible(page, "privacy statement, signed in")
        page.locator("footer").get_by_role("link", name="Tilgjengelighetserklæring").click()
        page.wait_for_url(stack.gateway_url + "/tilgjengelighet")
        assert "Lillestrøm kommune er ansvarlig for at Varde" in page.locator("main").inner_text()
        accessible(page, "accessibility statement, signed in")
    finally:
        context.close()
