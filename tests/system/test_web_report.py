"""The web client in a real browser (Debian's Chromium) on the real stack, through the gateway: an employee signs in
on the development sign-in page, reports an avvik from a phone, reads the receipt and finds the report under
"Mine meldinger". Every page passes axe-core's WCAG 2.1 AA rules, empty, with errors and filled in; the form works
without JavaScript; a double submit makes one case. Screenshots at phone and desk size go to ``var/screenshots/``."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import DemoPerson, deviation_body, person, wait_until
from tests.system.browser import DESK, PHONE, accessible, png, screenshot, sign_in
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

        when = page.get_by_label("Når skjedde det?")
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", when.input_value())  # now, as a Norwegian writes it
        when.fill("11/30/2026, 08:15 AM")  # as an English browser would show it
        page.get_by_role("button", name="Send meldingen").click()  # nothing else filled in
        summary = page.get_by_role("alert")
        assert "Tittel" in summary.inner_text() or "tittel" in summary.inner_text()
        assert "Skriv tidspunktet som dd.mm.åååå tt:mm" in summary.inner_text()
        assert page.get_by_label("Hva skjedde? (kort tittel)").get_attribute("aria-invalid") == "true"
        assert page.get_by_label("Når skjedde det?").get_attribute("aria-invalid") == "true"
        accessible(page, "report form with errors")
        screenshot(page, "meld-feil")

        title = f"Våt gulvflate ved heisen {size['width']}"
        page.get_by_label("Hva skjedde? (kort tittel)").fill(title)
        page.get_by_label("Beskriv hendelsen").fill("Beboer skled nesten; gulvet var nyvasket uten skilt.")
        page.get_by_label("Når skjedde det?").fill("01.12.2026 14:30")
        page.get_by_label("2 – Lav").first.check()
        # Not a photo: refused before anything is sent, with the API's own words for it.
        page.get_by_label("Bilder (valgfritt)").set_input_files(
            files=[{"name": "notat.txt", "mimeType": "image/png", "buffer": b"ikke et bilde"}]
        )
        page.get_by_role("button", name="Send meldingen").click()
        assert "«notat.txt» kan ikke legges ved: Filtypen er ikke tillatt" in page.get_by_role("alert").inner_text()
        assert "Velg bildene på nytt" in page.locator("#photos-again").inner_text()
        accessible(page, "report form, a file that is not a photo")
        assert page.get_by_label("Hva skjedde? (kort tittel)").input_value() == title
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
            "occurred_at": "30.11.2026 08:15",
        }
        # A photo from the camera with it: the form is sent twice, as on a bad network; one case, one copy.
        photo = {"photos": ("IMG_0001.png", png(20, 20, (30, 90, 160)), "image/png")}
        cookies = {c["name"]: c["value"] for c in context.cookies() if c["name"] == "varde_session"}
        # A report with a photo is several calls behind the page (the person, the case, the photo): on this shared
        # machine that can take longer than httpx's 5 s default, as it may on a phone's network.
        with httpx.Client(
            base_url=stack.gateway_url, cookies=cookies, headers={"origin": stack.gateway_url}, timeout=30
        ) as client:
            first = client.post("/meld", data=form, files=photo)
            second = client.post("/meld", data=form, files=photo)
            elsewhere = client.post("/meld", data=form, headers={"origin": "https://angriper.example"})
            case_id = first.headers["location"].split("/")[2]
            case = client.get(f"/api/v1/deviations/{case_id}").json()
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert elsewhere.status_code == 403
        assert case["occurred_at"] == "2026-11-30T07:15:00Z"  # 08:15 in Norway, winter time
        assert [a["filename"] for a in case["restricted"]["attachments"]] == ["IMG_0001.png"]

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


def test_a_page_asked_for_comes_back_after_signing_in_and_never_another_site(
    browser: Browser, stack: Stack, people: list[DemoPerson], gateway: httpx.Client
) -> None:
    leader = person(people, "hustadvika", "virksomhetsleder", "Hustadvika sjukeheim")
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        sign_in(page, stack, leader, asked="/behandling?visning=all&overdue=ja")
        assert page.get_by_label("Alle saker jeg har tilgang til").is_checked()
        assert page.get_by_label("Bare saker over fristen").is_checked()
    finally:
        context.close()
    email = {"tenant": leader.tenant, "email": leader.email}
    for elsewhere in (
        "//angriper.example/",
        "/\\angriper.example/",
        "https://angriper.example/",
        "/\t/angriper.example",
    ):
        answer = gateway.post("/dev/session", data={**email, "return_to": elsewhere}, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/"), elsewhere
    back = gateway.post("/dev/session", data={**email, "return_to": "/saker?x=1"}, follow_redirects=False)
    assert back.headers["location"] == "/saker?x=1"


def test_an_anonymous_report_shows_its_receipt_code_once_and_the_code_tells_status_and_conclusion(
    browser: Browser,
    stack: Stack,
    people: list[DemoPerson],
    gateway: httpx.Client,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    # Tønsberg allows anonymous reports from here on: set by its system administrator, as the admin page would.
    admin = login(person(people, "tonsberg", "systemadministrator"))
    settings = gateway.get("/api/v1/directory/tenant", headers=admin).json()["settings"]
    changed = gateway.patch(
        "/api/v1/directory/tenant", json={"settings": {**settings, "anonymous_reporting": True}}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    employee = person(people, "tonsberg", "ansatt")
    # The deviations service learns it from the directory's event: an anonymous report to a unit that does not
    # exist is then refused for the unit, no longer for being anonymous (and makes no case).
    probe = {**deviation_body(str(uuid.uuid4())), "anonymous": True}
    wait_until(
        lambda: (
            gateway.post("/api/v1/deviations", json=probe, headers=login(employee))
            .json()["type"]
            .endswith("unknown-unit")
            or None
        ),
        what="the kommune's setting to reach deviations",
    )
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        sign_in(page, stack, employee)
        page.goto(stack.gateway_url + "/meld")
        page.get_by_label("Hva skjedde? (kort tittel)").fill("Kollega kommenterer utseendet mitt")
        page.get_by_label("Beskriv hendelsen").fill("Gjentatte kommentarer i pausen.")
        page.get_by_label("Meld anonymt").check()
        page.get_by_label("Bilder (valgfritt)").set_input_files(
            files=[{"name": "pause.png", "mimeType": "image/png", "buffer": png(8, 8, (0, 0, 0))}]
        )
        page.get_by_role("button", name="Send meldingen").click()
        assert "En anonym melding kan ikke ha bilder" in page.get_by_role("alert").inner_text()
        accessible(page, "report form, anonymous with a photo")
        page.get_by_role("button", name="Send meldingen").click()  # the photo is not chosen again
        page.wait_for_url(stack.gateway_url + "/meld/anonym/kvittering")
        assert page.locator(".receipt-code").count() == 1, page.locator("main").inner_text()
        code = page.locator(".receipt-code .code").inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert "Registrert" in page.locator("main").inner_text()
        accessible(page, "anonymous receipt")
        screenshot(page, "anonym-kvittering")
        page.get_by_role("button", name="Jeg har tatt vare på koden").click()
        page.goto(stack.gateway_url + "/meld/anonym/kvittering")
        assert code not in page.locator("main").inner_text()

        page.goto(stack.gateway_url + "/kvittering")
        accessible(page, "receipt lookup, empty")
        page.get_by_label("Kvitteringskode").fill("AAAA-BBBB-CCCC")
        page.get_by_role("button", name="Slå opp").click()
        assert page.get_by_label("Kvitteringskode").get_attribute("aria-invalid") == "true"
        accessible(page, "receipt lookup, unknown code")
        screenshot(page, "kvittering-feil")
        page.get_by_label("Kvitteringskode").fill(code.lower())
        page.get_by_role("button", name="Slå opp").click()
        assert page.locator(".lookup-answer .status").inner_text() == "Registrert"
        assert "AAAA" not in page.url
        assert code not in page.url
        accessible(page, "receipt lookup, found")

        # The kommune's quality adviser handles it to its close; the code then tells what was concluded.
        adviser = login(person(people, "tonsberg", "kvalitetsradgiver"))
        found = gateway.get(
            "/api/v1/deviations", params={"view": "all", "q": "kommenterer utseendet"}, headers=adviser
        ).json()["items"]
        case_id = found[0]["id"]
        assert gateway.post(f"/api/v1/deviations/{case_id}/acknowledge", headers=adviser).status_code == 200
        conclusion = {"conclusion": "Tatt opp med kollegaen; rutine for varsling gjennomgått."}
        assert gateway.post(f"/api/v1/deviations/{case_id}/close", json=conclusion, headers=adviser).status_code == 200
        page.get_by_label("Kvitteringskode").fill(code)
        page.get_by_role("button", name="Slå opp").click()
        assert page.locator(".lookup-answer .status").inner_text() == "Lukket"
        assert page.locator(".lookup-answer .conclusion").inner_text() == conclusion["conclusion"]
        accessible(page, "receipt lookup, closed with a conclusion")
        screenshot(page, "kvittering")
    finally:
        context.close()
        gateway.patch("/api/v1/directory/tenant", json={"settings": settings}, headers=admin)
