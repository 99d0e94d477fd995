"""Administrasjon in the browser, on the real stack (Tønsberg, so the other kommuner's pages are left as they were):
the quality adviser keeps the deviation catalogue and a category added is offered on the report form, one taken out
of use is not; the system administrator's settings take effect (anonymous reporting shows and hides the choice on
/meld) and wrong ones are refused in Norwegian at their field; the acceptance criteria are changed and refused when
they do not rise; an HR file's dry run lists a new person without adding them, applying adds them, and a bad file's
rows are listed with their Norwegian reasons; an ordinary employee is not offered Administrasjon and is refused it.
Every page passes axe-core in its empty, filled and refused states."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import DemoPerson, person
from tests.system.browser import DESK, PHONE, accessible, context, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system
__all__ = ["context"]  # a browser of its own, a fixture

KOMMUNE = "tonsberg"
HMS = "HMS (helse, miljø og sikkerhet)"
CATEGORY = "Fall i trapp"
RENAMED = "Fall i trapp eller rampe"
NEW_PERSON = "Solveig Nyansatt"


def at_both_sizes(page: Page, name: str) -> None:
    for size in (PHONE, DESK):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        screenshot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name}: wider than the page"
        )
    page.set_viewport_size(DESK)  # type: ignore[arg-type]


def report_categories(page: Page, stack: Stack) -> list[str]:
    page.goto(stack.gateway_url + "/meld")
    return [text.strip() for text in page.locator("#category_id option").all_text_contents()]


def test_a_quality_adviser_keeps_the_catalogue_and_the_report_form_offers_what_is_in_use(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    adviser = person(people, KOMMUNE, "kvalitetsradgiver")
    page = context.new_page()
    sign_in(page, stack, adviser)
    page.get_by_role("link", name="Administrasjon", exact=True).click()
    page.wait_for_url(stack.gateway_url + "/administrasjon")
    accessible(page, "administration")
    assert page.get_by_role("link", name="HR-import").count() == 0  # the system administrator's
    page.get_by_role("link", name="Avvikskatalog").first.click()
    page.wait_for_url(stack.gateway_url + "/administrasjon/katalog")
    accessible(page, "catalogue")
    at_both_sizes(page, "admin-katalog")
    hms = page.locator("section.area", has=page.get_by_role("heading", name=HMS, exact=True))
    assert hms.count() == 1

    hms.get_by_role("button", name="Legg til kategori").click()  # no name: the API's message at that form
    summary = page.get_by_role("alert")
    assert "Navn" in summary.inner_text()
    link = summary.get_by_role("link").first
    target = page.locator(str(link.get_attribute("href")))
    assert target.get_attribute("aria-invalid") == "true"
    accessible(page, "catalogue, refused")
    at_both_sizes(page, "admin-katalog-feil")

    hms = page.locator("section.area", has=page.get_by_role("heading", name=HMS, exact=True))
    hms.get_by_label(f"Ny kategori i {HMS}").fill(CATEGORY)
    hms.get_by_role("button", name="Legg til kategori").click()
    page.wait_for_url(re.compile(r".*/administrasjon/katalog#fagomrade-hms$"))
    assert page.get_by_text(CATEGORY, exact=True).count() == 1
    accessible(page, "catalogue, filled")
    assert CATEGORY in report_categories(page, stack)

    page.goto(stack.gateway_url + "/administrasjon/katalog")
    item = page.locator("li", has=page.get_by_text(CATEGORY, exact=True))
    item.get_by_text("Endre navn").click()  # folded until asked for
    item.get_by_label(f"Nytt navn på «{CATEGORY}»").fill(RENAMED)
    item.get_by_role("button", name="Lagre navnet").click()
    page.wait_for_url(re.compile(r".*/administrasjon/katalog#kategori-.*"))
    offered = report_categories(page, stack)
    assert RENAMED in offered
    assert CATEGORY not in offered

    page.goto(stack.gateway_url + "/administrasjon/katalog")
    item = page.locator("li", has=page.get_by_text(RENAMED, exact=True))
    item.get_by_role("button", name="Ta ut av bruk").click()
    page.wait_for_url(re.compile(r".*/administrasjon/katalog#kategori-.*"))
    assert page.locator("li.out-of-use", has=page.get_by_text(RENAMED)).count() == 1
    assert RENAMED not in report_categories(page, stack)

    page.goto(stack.gateway_url + "/administrasjon/katalog")  # a key that is not one: refused at its field
    new_area = page.locator("#nytt-fagomrade")
    new_area.get_by_label("Navn på fagområdet").fill("Beredskap")
    new_area.get_by_label("Nøkkel").fill("Beredskap!")
    new_area.get_by_role("button", name="Legg til fagområde").click()
    assert page.locator("#area-new-key").get_attribute("aria-invalid") == "true"
    accessible(page, "new area, refused")

    page.goto(stack.gateway_url + "/administrasjon/innstillinger")  # seen, not changed, by a quality role
    assert page.get_by_role("button", name="Lagre innstillingene").count() == 0
    assert "systemadministratoren" in page.locator("main").inner_text()
    accessible(page, "settings, read only")
    page.goto(stack.gateway_url + "/administrasjon/hr-import")
    assert page.get_by_role("heading", name="Ingen tilgang til administrasjon").count() == 1
    accessible(page, "refused")


def test_the_system_administrator_changes_the_settings_and_the_report_form_follows(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    admin = person(people, KOMMUNE, "systemadministrator")
    page = context.new_page()
    sign_in(page, stack, admin, "/administrasjon/innstillinger")
    accessible(page, "settings")
    at_both_sizes(page, "admin-innstillinger")
    was_anonymous = page.locator("#anonymous_reporting-ja").is_checked()
    hours = page.get_by_label("Frist for å ta avvik til behandling (timer)")
    hours_before = hours.input_value()

    hours.fill("to døgn")
    page.get_by_role("button", name="Lagre innstillingene").click()
    summary = page.get_by_role("alert")
    assert "Frist for å ta avvik til behandling" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#acknowledge_deadline_hours"
    assert page.locator("#acknowledge_deadline_hours").get_attribute("aria-invalid") == "true"
    assert page.locator("#acknowledge_deadline_hours").input_value() == "to døgn"  # what was typed is kept
    accessible(page, "settings, refused")
    at_both_sizes(page, "admin-innstillinger-feil")

    try:
        for allowed in (True, False):
            page.goto(stack.gateway_url + "/administrasjon/innstillinger")
            page.locator(f"#anonymous_reporting-{'ja' if allowed else 'nei'}").check()
            page.get_by_label("Frist for å ta avvik til behandling (timer)").fill("48")
            page.get_by_role("button", name="Lagre innstillingene").click()
            page.wait_for_url(stack.gateway_url + "/administrasjon/innstillinger?lagret=ja")
            assert page.get_by_role("status").inner_text().strip() == "Innstillingene er lagret."
            assert page.get_by_label("Frist for å ta avvik til behandling (timer)").input_value() == "48"
            page.goto(stack.gateway_url + "/meld")
            assert page.locator("#anonymous").count() == (1 if allowed else 0)
    finally:
        page.goto(stack.gateway_url + "/administrasjon/innstillinger")
        page.locator(f"#anonymous_reporting-{'ja' if was_anonymous else 'nei'}").check()
        page.get_by_label("Frist for å ta avvik til behandling (timer)").fill(hours_before)
        page.get_by_role("button", name="Lagre innstillingene").click()
        page.wait_for_url(stack.gateway_url + "/administrasjon/innstillinger?lagret=ja")


def test_the_acceptance_criteria_are_changed_and_refused_when_they_do_not_rise(
    context: BrowserContext, stack: Stack, people: list[DemoPerson]
) -> None:
    adviser = person(people, KOMMUNE, "kvalitetsradgiver")
    page = context.new_page()
    sign_in(page, stack, adviser, "/administrasjon/risikokriterier")
    accessible(page, "criteria")
    at_both_sizes(page, "admin-risikokriterier")
    lowest = page.locator("#cell-1-1")
    highest = page.locator("#cell-5-5")
    before = {cell: page.locator(f"#{cell}").input_value() for cell in ("cell-1-1", "cell-5-5", "cell-1-5")}
    try:
        lowest.select_option("red")  # the lowest cell above the highest one: not rising
        highest.select_option("green")
        page.get_by_role("button", name="Lagre akseptkriteriene").click()
        assert page.get_by_role("alert").count() == 1
        assert page.locator("#cell-1-1").input_value() == "red"  # the choice is kept to be corrected
        accessible(page, "criteria, refused")
        at_both_sizes(page, "admin-risikokriterier-feil")

        page.goto(stack.gateway_url + "/administrasjon/risikokriterier")
        page.locator("#cell-1-5").select_option("green")  # still rising: 1-4 is acceptable, 2-5 is not
        page.get_by_role("button", name="Lagre akseptkriteriene").click()
        page.wait_for_url(stack.gateway_url + "/administrasjon/risikokriterier?lagret=ja")
        assert page.locator("#cell-1-5").input_value() == "green"
        assert page.locator("td.zone-green", has=page.locator("#cell-1-5")).count() == 1
        accessible(page, "criteria, saved")
    finally:
        page.goto(stack.gateway_url + "/administrasjon/risikokriterier")
        for cell, zone in before.items():
            page.locator(f"#{cell}").select_option(zone)
        page.get_by_role("button", name="Lagre akseptkriteriene").click()
        page.wait_for_url(stack.gateway_url + "/administrasjon/risikokriterier?lagret=ja")


def found_people(gateway: httpx.Client, headers: dict[str, str], name: str) -> list[str]:
    answer = gateway.get("/api/v1/directory/people", params={"q": name}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [found["name"] for found in answer.json()["items"]]


def test_an_hr_dry_run_lists_a_new_person_without_adding_them_and_applying_adds_them(
    context: BrowserContext,
    stack: Stack,
    people: list[DemoPerson],
    gateway: httpx.Client,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    admin = person(people, KOMMUNE, "systemadministrator")
    headers = login(admin)
    units = gateway.get("/api/v1/directory/units", params={"limit": 100}, headers=headers).json()["items"]
    top = next(unit for unit in units if unit["parent_id"] is None)
    page = context.new_page()
    sign_in(page, stack, admin, "/administrasjon/hr-import")
    accessible(page, "hr import")
    at_both_sizes(page, "admin-hr-import")

    page.get_by_role("button", name="Prøvekjør").click()  # no file
    assert page.get_by_role("alert").get_by_role("link").first.get_attribute("href") == "#file"
    accessible(page, "hr import, no file")

    bad = (
        "type;key;name;unit_type;parent;leader;email;unit;role\n"
        "person;TO9901;Feil Epost;;;;ikke-en-adresse;TO-INGEN;ansatt\n"
    )
    page.get_by_label("HR-fil", exact=True).set_input_files(
        {"name": "hr-feil.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    page.get_by_role("button", name="Prøvekjør").click()
    rows = page.locator("table.hr-rows tbody tr")
    assert rows.count() == 2
    text = page.locator("table.hr-rows").inner_text()
    assert "Ugyldig e-postadresse «ikke-en-adresse»." in text
    assert "Ukjent enhet «TO-INGEN»." in text
    assert "E-post" in text  # the field in the page's words, not the file's column name
    assert page.get_by_role("button", name="Gjennomfør importen").count() == 0
    accessible(page, "hr import, bad rows")
    at_both_sizes(page, "admin-hr-import-feil")

    good = (
        "type;key;name;unit_type;parent;leader;email;unit;role\n"
        f"person;TO9902;{NEW_PERSON};;;;solveig.nyansatt@tonsberg.kommune.no;{top['external_key']};ansatt\n"
    )
    page.get_by_label("HR-fil", exact=True).set_input_files(
        {"name": "hr.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    page.get_by_role("button", name="Prøvekjør").click()
    assert "Prøvekjøring" in page.get_by_role("heading", level=2).first.inner_text()
    added = page.locator("ul.changes").first.inner_text()
    assert "TO9902" in added
    assert NEW_PERSON in added
    assert found_people(gateway, headers, NEW_PERSON) == []  # a dry run adds nobody
    accessible(page, "hr import, dry run")
    at_both_sizes(page, "admin-hr-provekjoring")

    page.get_by_role("button", name="Gjennomfør importen").click()
    assert page.get_by_role("heading", name="Importen er gjennomført").count() == 1
    assert found_people(gateway, headers, NEW_PERSON) == [NEW_PERSON]
    accessible(page, "hr import, applied")


def test_an_ordinary_employee_is_not_offered_administration_and_is_refused_it(
    browser: Browser, stack: Stack, people: list[DemoPerson]
) -> None:
    employee = person(people, KOMMUNE, "ansatt")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        sign_in(page, stack, employee, "/meld")
        assert page.get_by_role("link", name="Administrasjon").count() == 0
        for path in ("/administrasjon", "/administrasjon/katalog", "/administrasjon/innstillinger"):
            answer = page.goto(stack.gateway_url + path)
            assert answer is not None
            assert answer.status == 403
            assert page.get_by_role("heading", name="Ingen tilgang til administrasjon").count() == 1
        screenshot(page, "admin-ingen-tilgang")
    finally:
        context.close()
