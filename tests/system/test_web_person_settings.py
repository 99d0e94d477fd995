"""Målform and kommune in the browser, on the real stack: a person chooses nynorsk in Mine innstillinger and the next
page is nynorsk (``lang="nn"``), the switch at the foot of a page saves the choice in the directory too, a demo
person in Hustadvika who chose nynorsk gets it at once, every kommune's header shows its own name and colour, and
the system administrator sets the kommune's colour, refused in Norwegian when it is too light to read. Each test puts
back what it changed (the stack is shared); every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.conftest import DemoPerson, person
from tests.system.browser import DESK, PHONE, accessible, context, follow_the_kommune, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system
__all__ = ["context"]  # a browser of its own, a fixture


def header_colour(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.querySelector('header.top')).borderBottomColor"))


def test_a_person_chooses_nynorsk_in_mine_innstillinger_and_the_pages_follow(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    who = person(people, "hustadvika", "tillitsvalgt")
    page = context.new_page()
    sign_in(page, stack, who)
    assert page.locator("html").get_attribute("lang") == "nb"  # Hustadvika's pages are bokmål by default
    page.get_by_role("link", name="Mine innstillinger").click()
    page.wait_for_url(stack.gateway_url + "/innstillinger")
    assert page.get_by_label("Som kommunen (Hustadvika kommune: Bokmål)").is_checked()
    accessible(page, "mine innstillinger")
    for size in (PHONE, DESK):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        screenshot(page, "mine-innstillinger")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    try:
        page.get_by_label("Nynorsk", exact=True).check()
        page.get_by_role("button", name="Lagre").click()
        page.wait_for_url(stack.gateway_url + "/innstillinger?lagret=ja")
        assert page.locator("html").get_attribute("lang") == "nn"
        assert page.get_by_role("status").inner_text().strip() == "Valet ditt er lagra."
        accessible(page, "innstillingane mine, saved")

        page.goto(stack.gateway_url + "/mine")
        assert page.locator("html").get_attribute("lang") == "nn"
        assert page.get_by_role("link", name="Meldingane mine").count() == 1
        assert page.get_by_role("link", name="Innstillingane mine").count() == 1
        accessible(page, "my reports in nynorsk")

        # Another browser of the same person (a phone, say) is in nynorsk too: the choice is in the directory.
        other = context.browser.new_context(viewport=PHONE) if context.browser else None
        assert other is not None
        try:
            phone = other.new_page()
            sign_in(phone, stack, who, "/mine")
            assert phone.locator("html").get_attribute("lang") == "nn"
        finally:
            other.close()
    finally:
        follow_the_kommune(page, stack)
    assert page.locator("html").get_attribute("lang") == "nb"


def test_the_switch_at_the_foot_of_a_page_saves_the_choice_and_each_kommune_has_its_own_header(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    hustadvika = context.new_page()
    sign_in(hustadvika, stack, person(people, "hustadvika", "revisjonsansvarlig"))
    assert hustadvika.locator("header .kommune").inner_text() == "Hustadvika kommune"
    assert header_colour(hustadvika) == "rgb(0, 96, 110)"

    lillestrom_context = context.browser.new_context(viewport=DESK) if context.browser else None
    assert lillestrom_context is not None
    try:
        page = lillestrom_context.new_page()
        sign_in(page, stack, person(people, "lillestrom", "tillitsvalgt"))
        assert page.locator("header .kommune").inner_text() == "Lillestrøm kommune"
        assert header_colour(page) == "rgb(138, 21, 56)"  # its own colour, beside its own name
        accessible(page, "Lillestrøm's start page")
        try:
            page.get_by_label("Målform").select_option("nn")
            page.get_by_role("button", name="Bytt").click()
            page.wait_for_function("document.documentElement.lang === 'nn'")
            page.goto(stack.gateway_url + "/innstillinger")
            assert page.get_by_label("Nynorsk", exact=True).is_checked()  # saved as the person's own choice
            assert page.get_by_label("Som kommunen (Lillestrøm kommune: Bokmål)").count() == 1
        finally:
            follow_the_kommune(page, stack)
    finally:
        lillestrom_context.close()


def test_a_demo_person_in_hustadvika_who_chose_nynorsk_gets_it_at_once(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    page = context.new_page()
    sign_in(page, stack, person(people, "hustadvika", "tilrettelegger"))
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("navigation").get_by_role("link", name="Meldingane mine").count() == 1
    accessible(page, "start page in nynorsk")


def test_the_system_administrator_sets_the_kommunes_colour_and_a_light_one_is_refused(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    page = context.new_page()
    sign_in(page, stack, person(people, "tonsberg", "systemadministrator"), "/administrasjon/innstillinger")
    colour = page.get_by_label("Kommunens farge")
    before = colour.input_value()
    assert page.locator("#malform-nb").is_checked()

    colour.fill("#ffd700")
    page.get_by_role("button", name="Lagre innstillingene").click()
    summary = page.get_by_role("alert")
    assert "Kommunens farge" in summary.inner_text()
    assert "for lys" in summary.inner_text()
    assert page.locator("#colour").get_attribute("aria-invalid") == "true"
    accessible(page, "settings, colour refused")
    try:
        page.goto(stack.gateway_url + "/administrasjon/innstillinger")
        page.get_by_label("Kommunens farge").fill("#5B2C83")
        page.get_by_role("button", name="Lagre innstillingene").click()
        page.wait_for_url(stack.gateway_url + "/administrasjon/innstillinger?lagret=ja")
        assert page.get_by_label("Kommunens farge").input_value() == "#5b2c83"
        assert header_colour(page) == "rgb(91, 44, 131)"
        accessible(page, "settings, new colour")
    finally:
        page.goto(stack.gateway_url + "/administrasjon/innstillinger")
        page.get_by_label("Kommunens farge").fill(before)
        page.get_by_role("button", name="Lagre innstillingene").click()
        page.wait_for_url(stack.gateway_url + "/administrasjon/innstillinger?lagret=ja")
