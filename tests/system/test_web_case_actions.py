"""The case page's other actions in the browser, on the real stack, each offered only where the API's
``allowed_actions`` say so: "Til behandling" filtered; a measure's deadline moved (the date as a Norwegian
writes it, and a Norwegian message for one that is not a date) and the measure given to someone else, picked
with the directory's people search; a case forwarded to another unit and one escalated up the line; the access
log of restricted reads for the quality adviser, per case and for the kommune. Every state passes axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import DemoPerson, deviation_body, person
from tests.system.browser import DESK, PHONE, accessible, png, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system


def reported(gateway: httpx.Client, headers: dict[str, str], unit_id: str, title: str, kind: str = "avvik") -> str:
    body = {**deviation_body(unit_id, title), "kind": kind, "persons_involved": "Beboer på rom 7"}
    answer = gateway.post("/api/v1/deviations", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def open_case(page: Page, stack: Stack, case_id: str) -> None:
    page.goto(f"{stack.gateway_url}/saker/{case_id}")
    assert page.get_by_role("heading", level=1).is_visible()


def test_a_leader_filters_moves_a_deadline_gives_a_measure_away_forwards_and_escalates(
    browser: Browser,
    stack: Stack,
    people: list[DemoPerson],
    gateway: httpx.Client,
    login: Callable[..., dict[str, str]],
) -> None:
    employee = person(people, "hustadvika", "ansatt", "Hustadvika sjukeheim")
    leader = person(people, "hustadvika", "virksomhetsleder", "Hustadvika sjukeheim")
    school = person(people, "hustadvika", "virksomhetsleder", "Eide skule")
    home = employee.unit_where("ansatt")
    as_employee = login(employee)
    kept = reported(gateway, as_employee, home, "Nestenuhell med rullestol i trappa", kind="nestenuhell")
    elsewhere = reported(gateway, as_employee, home, "Skolebussen kom ikke til dagsenteret")

    context = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        sign_in(page, stack, leader, asked="/behandling")
        page.get_by_text("Filtre").click()
        page.get_by_label("Nestenuhell").check()
        page.get_by_role("button", name="Søk").click()
        page.wait_for_url(re.compile(r".*kind=nestenuhell.*"))
        titles = page.locator(".cases .case-title").all_inner_texts()
        assert "Nestenuhell med rullestol i trappa" in titles
        assert "Skolebussen kom ikke til dagsenteret" not in titles
        accessible(page, "to handle, filtered")
        screenshot(page, "behandling-filter")
        page.get_by_label("Forbedringsforslag").check()
        page.get_by_label("Nestenuhell").uncheck()
        page.get_by_label("Bare saker over fristen").check()
        page.get_by_role("button", name="Søk").click()
        assert page.get_by_text("Ingen saker venter på deg.").is_visible()
        accessible(page, "to handle, filtered to nothing")

        # A measure: its deadline moved, refused first for a date that is not one; then given to the employee.
        open_case(page, stack, kept)
        assert page.get_by_role("link", name="Tilgangslogg for saken").count() == 0  # not a quality role
        page.get_by_label("Hva skal gjøres?").fill("Sett opp grind øverst i trappa")
        page.get_by_label("Frist", exact=True).fill("01.12.2030")
        page.get_by_role("button", name="Legg til tiltaket").click()
        measure = page.locator(".measures li", has_text="Sett opp grind")
        assert "Frist 01.12.2030" in measure.inner_text()
        measure.get_by_label("Ny frist").fill("31.02.2031")
        measure.get_by_role("button", name="Flytt fristen").click()
        measure = page.locator(".measures li", has_text="Sett opp grind")
        assert "Skriv datoen som dd.mm.åååå" in measure.get_by_role("alert").inner_text()
        accessible(page, "case, a deadline that is not a date")
        measure.get_by_label("Ny frist").fill("15.12.2030")
        measure.get_by_role("button", name="Flytt fristen").click()
        measure = page.locator(".measures li", has_text="Sett opp grind")
        assert "Frist 15.12.2030" in measure.inner_text()

        measure.get_by_role("link", name="Gi tiltaket til en annen").click()
        page.wait_for_url(re.compile(r".*/tiltak/[0-9a-f-]+/ansvarlig$"))
        accessible(page, "new owner, before a search")
        page.get_by_label("Søk etter navn eller e-post").fill(employee.name)
        page.get_by_role("button", name="Søk").click()
        page.get_by_role("button", name="Gi tiltaket til personen").click()  # nobody chosen
        assert "Velg personen som skal ha tiltaket." in page.get_by_role("alert").inner_text()
        accessible(page, "new owner, nobody chosen")
        page.get_by_label(employee.name).first.check()
        accessible(page, "new owner, chosen")
        screenshot(page, "ansvarlig")
        page.get_by_role("button", name="Gi tiltaket til personen").click()
        page.wait_for_url(re.compile(r".*/saker/[0-9a-f-]+(#.*)?$"))
        measure = page.locator(".measures li", has_text="Sett opp grind")
        assert measure.inner_text().startswith("Sett opp grind")
        assert employee.name in measure.inner_text()
        accessible(page, "case, measure changed")
        screenshot(page, "sak-tiltak")

        # More photos on the case page: none chosen is said so; one chosen is shown with the case.
        page.get_by_role("button", name="Last opp bildene").click()
        assert "Velg minst ett bilde." in page.get_by_role("alert").inner_text()
        accessible(page, "case, no photo chosen")
        page.get_by_label("Legg ved bilder").set_input_files(
            files=[{"name": "trapp.png", "mimeType": "image/png", "buffer": png(30, 20, (10, 120, 60))}]
        )
        page.get_by_role("button", name="Last opp bildene").click()
        page.wait_for_url(re.compile(r".*/saker/[0-9a-f-]+#vedlegg$"))
        assert page.get_by_role("img", name="Bilde lagt ved saken: trapp.png").count() == 1

        # Escalated up the line: the case goes to the leader above and starts over as registered.
        page.get_by_label("Løft saken i linjen: kommentar (valgfritt)").fill("Gjelder flere enheter.")
        page.get_by_role("button", name="Løft saken i linjen").click()
        assert page.locator("dt:has-text('Status') + dd").inner_text() == "Registrert"
        assert leader.name not in page.locator("dt:has-text('Behandles av') + dd").inner_text()
        escalated = page.locator(".timeline li", has_text="Løftet i linjen").inner_text()
        assert "Gjelder flere enheter." in escalated  # what the leader wrote, in the line of the history

        # Forwarded: refused without a unit, then to the school, whose leader has it.
        open_case(page, stack, elsewhere)
        page.get_by_role("link", name="Videresend til en annen enhet").click()
        page.wait_for_url(re.compile(r".*/videresend$"))
        accessible(page, "forward, empty")
        page.get_by_role("button", name="Videresend").click()
        assert page.get_by_label("Til enhet").get_attribute("aria-invalid") == "true"
        accessible(page, "forward, no unit")
        screenshot(page, "videresend")
        page.get_by_label("Til enhet").select_option(label="Eide skule")
        page.get_by_label("Kommentar (valgfritt)").fill("Skoleskyss hører til skolen.")
        page.get_by_role("button", name="Videresend").click()
        page.wait_for_url(re.compile(r".*/saker/[0-9a-f-]+$"))
        assert page.locator("dt:has-text('Behandles av') + dd").inner_text() == f"Eide skule – {school.name}"
        forwarded = page.locator(".timeline li", has_text="Videresendt").inner_text()
        assert "→ Eide skule" in forwarded
        assert "Skoleskyss hører til skolen." in forwarded
        accessible(page, "case, forwarded")
    finally:
        context.close()


def test_the_quality_adviser_reads_who_saw_the_restricted_part(
    browser: Browser,
    stack: Stack,
    people: list[DemoPerson],
    gateway: httpx.Client,
    login: Callable[..., dict[str, str]],
) -> None:
    employee = person(people, "hustadvika", "ansatt", "Hustadvika sjukeheim")
    leader = person(people, "hustadvika", "virksomhetsleder", "Hustadvika sjukeheim")
    adviser = person(people, "hustadvika", "kvalitetsradgiver")
    case_id = reported(gateway, login(employee), employee.unit_where("ansatt"), "Feil medisin gitt til beboer")
    assert gateway.get(f"/api/v1/deviations/{case_id}", headers=login(leader)).status_code == 200  # a logged read

    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        sign_in(page, stack, adviser)
        open_case(page, stack, case_id)
        page.get_by_role("link", name="Tilgangslogg for saken").click()
        page.wait_for_url(re.compile(r".*/saker/[0-9a-f-]+/tilgangslogg$"))
        rows = page.locator("table.log tbody tr").all_inner_texts()
        assert any(leader.name in row and "Leste saken" in row for row in rows)
        assert "Feil medisin gitt til beboer" in page.locator("main").inner_text()
        accessible(page, "access log of a case")
        screenshot(page, "tilgangslogg-sak")

        page.goto(stack.gateway_url + "/behandling")
        page.get_by_role("link", name="Tilgangslogg").click()
        page.wait_for_url(stack.gateway_url + "/tilgangslogg")
        log = page.locator("table.log").inner_text()
        assert "Feil medisin gitt til beboer" in log
        assert adviser.name in log  # the adviser's own read of the case is in it too
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        accessible(page, "access log of the kommune")
        screenshot(page, "tilgangslogg")
    finally:
        context.close()
