"""The documents pages in a real browser on the real stack. The journey: a kvalitetsrådgiver writes a procedure in
Markdown with a preview, the nursing home's leader sends it back with a comment and approves it once it is fixed,
it lands on an employee's reading list and is confirmed "Lest og forstått", and the leader sees who has not read
it. Beside it: what a new version changes, in words beside the colour; the library and search; the pages without
JavaScript. Every page passes axe-core's WCAG 2.1 AA rules in its empty, filled and error states; screenshots at
phone and desk size go to ``var/screenshots/web/``."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import DemoPerson, Roles, person, wait_until
from tests.system.browser import DESK, PHONE, accessible, follow_the_kommune, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

Login = Callable[[DemoPerson], dict[str, str]]
CONTENT = """# Formål
Hindre smitte mellom beboere.

## Slik gjør du
1. Vask hendene før og etter stell.
2. Bruk hanskar ved kontakt med kroppsvæsker.

<script>alert('x')</script>
"""


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


def both_sizes(page: Page, name: str) -> None:
    """The page as it is now, at phone and at desk size."""
    before = page.viewport_size or DESK
    for size in (PHONE, DESK):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        screenshot(page, name)
    page.set_viewport_size(before)


def published(
    gateway: httpx.Client, author: dict[str, str], leader: dict[str, str], unit_id: str, title: str, content: str
) -> dict[str, Any]:
    """A procedure of the unit, written, sent and approved through the API, for everyone in the unit to read."""
    created = gateway.post(
        "/api/v1/documents",
        json={"title": title, "owner_unit_id": unit_id, "content": content, "tags": ["smittevern"]},
        headers=author,
    )
    assert created.status_code == 201, created.text
    document = created.json()
    version = f"/api/v1/documents/{document['id']}/versions/{document['versions'][0]['id']}"
    audience = {"entries": [{"unit_id": unit_id}]}
    assert gateway.put(f"/api/v1/documents/{document['id']}/audience", json=audience, headers=author).status_code == 200
    assert gateway.post(f"{version}/submit", headers=author).status_code == 200
    approved = gateway.post(f"{version}/approve", headers=leader)
    assert approved.status_code == 200, approved.text
    return dict(approved.json())


def read_everything(gateway: httpx.Client, headers: dict[str, str]) -> None:
    """The reader has confirmed all they were asked to read so far: their reading list is empty."""
    lists = "/api/v1/documents/reading-list"
    while items := gateway.get(lists, params={"limit": 100}, headers=headers).json()["items"]:
        for item in items:
            url = f"/api/v1/documents/{item['document_id']}/versions/{item['version_id']}/confirm-read"
            assert gateway.post(url, headers=headers).status_code == 200


def decide_everything(gateway: httpx.Client, headers: dict[str, str]) -> None:
    """Whatever else waits for the approver goes back to its author: their queue is empty."""
    queue = "/api/v1/documents/approval-queue"
    while items := gateway.get(queue, params={"limit": 100}, headers=headers).json()["items"]:
        for item in items:
            url = f"/api/v1/documents/{item['document_id']}/versions/{item['version_id']}/reject"
            body = {"comment": "Sendt tilbake før testen av godkjenningskøen."}
            assert gateway.post(url, json=body, headers=headers).status_code == 200


def test_a_procedure_is_written_approved_lands_on_a_reading_list_and_is_confirmed(
    browser: Browser, stack: Stack, gateway: httpx.Client, people: list[DemoPerson], roles: Roles, login: Login
) -> None:
    author = person(people, "hustadvika", "kvalitetsradgiver")
    leader, reader = roles.nursing_home_leader, roles.employee
    title = unique("Håndhygiene ved stell")
    read_everything(gateway, login(reader))
    decide_everything(gateway, login(leader))
    contexts = [browser.new_context(viewport=size) for size in (DESK, DESK, PHONE)]  # type: ignore[arg-type]
    try:
        desk, approver, phone = (context.new_page() for context in contexts)

        # The author writes it, previews it, saves it and sends it for approval.
        sign_in(desk, stack, author)
        desk.get_by_role("link", name="Dokumenter").first.click()
        desk.get_by_role("link", name="Nytt dokument").click()
        desk.wait_for_url(stack.gateway_url + "/dokumenter/ny")
        assert desk.locator("html").get_attribute("lang") == "nb"
        accessible(desk, "editor, empty")
        desk.get_by_role("button", name="Lagre utkastet").click()
        assert "Tittel" in desk.get_by_role("alert").inner_text()
        assert desk.get_by_label("Tittel").get_attribute("aria-invalid") == "true"
        accessible(desk, "editor, refused")
        desk.get_by_label("Tittel").fill(title)
        desk.get_by_label("Eierenhet", exact=True).select_option(label="Hustadvika sjukeheim")
        desk.get_by_label("Stikkord").fill("smittevern, hms")
        desk.get_by_label("Lovhenvisninger").fill("Forskrift om smittevern i helse- og omsorgstjenesten § 2-1")
        desk.get_by_label("Innhold").fill(CONTENT)
        desk.get_by_role("button", name="Forhåndsvis").click()
        desk.wait_for_url(re.compile(r".*/dokumenter/ny#forhandsvisning$"))
        preview = desk.locator("#forhandsvisning")
        assert preview.get_by_role("heading", name="Formål").count() == 1
        assert "<script>alert('x')</script>" in preview.inner_text()  # shown as text, never run
        assert desk.get_by_label("Innhold").input_value().strip() == CONTENT.strip()
        accessible(desk, "editor, preview")
        both_sizes(desk, "dokument-editor")
        desk.get_by_role("button", name="Lagre utkastet").click()
        desk.wait_for_url(re.compile(r".*/rediger\?lagret=ja(#.*)?$"))
        assert "Utkastet er lagret." in desk.get_by_role("status").inner_text()
        accessible(desk, "draft editor, saved")
        document_url = desk.get_by_role("link", name=title).get_attribute("href")
        assert document_url is not None
        desk.get_by_role("button", name="Lagre og send til godkjenning").click()
        desk.wait_for_url(re.compile(r".*/dokumenter/[0-9a-f-]+\?gjort=sendt$"))
        assert "sendt til godkjenning" in desk.get_by_role("status").inner_text()
        accessible(desk, "document, only a draft")

        # The leader finds it in the queue; sending it back needs a comment.
        sign_in(approver, stack, leader)
        approver.goto(stack.gateway_url + "/dokumenter")
        approver.get_by_role("link", name="Til godkjenning").click()
        approver.wait_for_url(stack.gateway_url + "/dokumenter/godkjenning")
        assert approver.get_by_role("link", name=title).count() == 1
        accessible(approver, "approval queue, one waiting")
        both_sizes(approver, "dokument-godkjenning")
        approver.get_by_role("link", name=title).click()
        approver.wait_for_url(re.compile(r".*/versjoner/[0-9a-f-]+$"))
        assert approver.get_by_role("link", name=re.compile("^Se hva")).count() == 0  # a first version
        accessible(approver, "version, waiting for the decision")
        approver.get_by_role("button", name="Send tilbake til forfatteren").click()
        assert "Begrunnelse" in approver.get_by_role("alert").inner_text()
        assert approver.get_by_label("Begrunnelse for å sende den tilbake").get_attribute("aria-invalid") == "true"
        accessible(approver, "version, sending back refused")
        approver.get_by_label("Begrunnelse for å sende den tilbake").fill("Legg til når hanskene skal skiftes.")
        approver.get_by_role("button", name="Send tilbake til forfatteren").click()
        approver.wait_for_url(re.compile(r".*/godkjenning\?gjort=avvist$"))
        assert "Ingen versjoner venter på deg." in approver.locator("main").inner_text()
        accessible(approver, "approval queue, empty")

        # The author reads the comment, fixes the draft and sends it again; the leader approves it.
        desk.goto(stack.gateway_url + document_url)
        assert "Legg til når hanskene skal skiftes." in desk.locator(".rejection").inner_text()
        desk.get_by_role("link", name="Rediger utkastet").click()
        fixed = CONTENT.replace("kroppsvæsker.", "kroppsvæsker.\n3. Skift hansker mellom hver beboer.")
        desk.get_by_label("Innhold").fill(fixed)
        desk.get_by_role("button", name="Lagre og send til godkjenning").click()
        desk.wait_for_url(re.compile(r".*\?gjort=sendt$"))
        approver.goto(stack.gateway_url + "/dokumenter/godkjenning")
        approver.get_by_role("link", name=title).click()
        approver.get_by_role("button", name="Godkjenn og publiser").click()
        approver.wait_for_url(re.compile(r".*/godkjenning\?gjort=godkjent$"))

        # The employee, on a phone: the reading list, the procedure, "Lest og forstått".
        sign_in(phone, stack, reader)
        phone.goto(stack.gateway_url + "/dokumenter/leseliste")
        asked = phone.get_by_role("link", name=title)

        def on_the_list() -> bool:
            if asked.count() == 1:
                return True
            time.sleep(0.5)  # the worker asks the readers when the approval's event comes back
            phone.reload()
            return False

        wait_until(on_the_list, what="the procedure on the reader's list")
        accessible(phone, "reading list, one to read")
        both_sizes(phone, "dokument-leseliste")
        asked.click()
        phone.wait_for_url(re.compile(r".*/dokumenter/[0-9a-f-]+$"))
        text = phone.get_by_role("article")
        assert text.get_by_role("heading", level=2, name="Formål").count() == 1  # under the page's own title
        assert "Skift hansker mellom hver beboer." in text.inner_text()
        assert "<script>alert('x')</script>" in text.inner_text()
        facts = phone.locator("dl.facts").inner_text()
        for fact in ("Hustadvika sjukeheim", author.name, "smittevern", "Forskrift om smittevern", "hver 12. måned"):
            assert fact in facts
        assert "Du er bedt om å lese dette dokumentet innen" in phone.locator("main").inner_text()
        accessible(phone, "procedure")
        both_sizes(phone, "dokument")
        phone.go_back()
        phone.locator("li", has=asked).get_by_role("button", name="Lest og forstått").click()
        phone.wait_for_url(stack.gateway_url + "/dokumenter/leseliste?lest=ja")
        assert asked.count() == 0
        assert "Du har ingenting å lese nå." in phone.locator("main").inner_text()
        accessible(phone, "reading list, all read")
        phone.get_by_role("link", name="Vis også dem du har bekreftet").click()
        assert "Bekreftet" in phone.locator("li", has=phone.get_by_role("link", name=title)).inner_text()

        # The leader sees who has not read it, and the unit's overview.
        approver.goto(stack.gateway_url + document_url)
        approver.get_by_role("link", name="Hvem har lest").click()
        not_read = approver.locator("section[aria-labelledby=ikke-lest]")
        assert reader.name not in not_read.inner_text()
        assert not_read.locator("li").count() >= 1
        assert re.search(r"1 av \d+ har bekreftet", approver.locator("main").inner_text())
        accessible(approver, "coverage of the procedure")
        both_sizes(approver, "dokument-lesestatus")
        approver.get_by_role("link", name="Lesestatus", exact=True).click()
        approver.wait_for_url(stack.gateway_url + "/dokumenter/lesestatus")
        assert approver.get_by_role("link", name=title).count() == 1
        accessible(approver, "coverage of the unit")
        screenshot(approver, "dokument-lesestatus-enhet")
        phone.goto(stack.gateway_url + document_url + "/lesestatus")
        assert phone.get_by_role("heading", level=1).inner_text() == "Du kan ikke se lesestatus her"
        accessible(phone, "coverage, refused")
        phone.goto(stack.gateway_url + "/dokumenter/lesestatus")
        assert "Lesestatus er for ledere og kvalitetsroller." in phone.locator("main").inner_text()
        accessible(phone, "coverage of a unit, nothing to follow")
    finally:
        for context in contexts:
            context.close()


def test_what_a_new_version_changes_is_shown_line_by_line_in_words_beside_the_colour(
    browser: Browser, stack: Stack, gateway: httpx.Client, people: list[DemoPerson], roles: Roles, login: Login
) -> None:
    author, leader = login(person(people, "hustadvika", "kvalitetsradgiver")), login(roles.nursing_home_leader)
    title = unique("Smittevern i kjøkkenet")
    first = published(gateway, author, leader, roles.nursing_home, title, CONTENT)
    draft = gateway.post(
        f"/api/v1/documents/{first['id']}/versions",
        json={"content": CONTENT.replace("Bruk hanskar", "Bruk alltid hansker"), "change_summary": "Hansker alltid"},
        headers=author,
    ).json()
    assert gateway.post(f"/api/v1/documents/{first['id']}/versions/{draft['id']}/submit", headers=author).is_success
    context = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        sign_in(page, stack, roles.nursing_home_leader)
        page.goto(f"{stack.gateway_url}/dokumenter/{first['id']}/forskjell?til=1")
        assert "Ingen tidligere versjon" in page.get_by_role("alert").inner_text()
        accessible(page, "difference, nothing before the first version")
        page.goto(f"{stack.gateway_url}/dokumenter/{first['id']}/versjoner/{draft['id']}")
        assert "Hansker alltid" in page.locator("dl.facts").inner_text()
        page.get_by_role("link", name="Se hva versjon 2 endrer").click()
        rows = page.locator("table.diff tbody tr")
        removed = rows.filter(has_text="Bruk hanskar ved kontakt")
        added = rows.filter(has_text="Bruk alltid hansker ved kontakt")
        assert "Fjernet" in removed.inner_text()
        assert removed.locator("del").count() == 1
        assert "Lagt til" in added.inner_text()
        assert added.locator("ins").count() == 1
        assert "Linjer lagt til: 1. Linjer fjernet: 1." in page.locator("main").inner_text()
        accessible(page, "difference between two versions")
        both_sizes(page, "dokument-forskjell")
        page.get_by_label("Sammenlign fra").select_option("2")
        page.get_by_label("til", exact=True).select_option("1")
        page.get_by_role("button", name="Vis forskjellen").click()
        page.wait_for_url(re.compile(r".*\?fra=2&til=1$"))
        assert "Fra versjon 2 til versjon 1" in page.locator("main").inner_text()
        accessible(page, "difference, the other way round")
    finally:
        context.close()


def test_the_library_by_unit_and_folder_search_with_the_hit_words_marked_and_who_reads_it(
    browser: Browser, stack: Stack, gateway: httpx.Client, people: list[DemoPerson], roles: Roles, login: Login
) -> None:
    writer = person(people, "hustadvika", "kvalitetsradgiver")
    author, leader = login(writer), login(roles.nursing_home_leader)
    title = unique("Renhold av sengebunner")
    found = published(gateway, author, leader, roles.nursing_home, title, "# Renhold\nSengebunnene vaskes hver uke.")
    folder = gateway.post("/api/v1/documents/folders", json={"name": unique("Tom mappe")}, headers=author).json()
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        sign_in(page, stack, writer)
        page.goto(stack.gateway_url + "/dokumenter")
        page.get_by_label("Eierenhet").select_option(label="Hustadvika sjukeheim")
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url(re.compile(r".*\?enhet=[0-9a-f-]+&mappe=$"))
        assert page.get_by_role("link", name=title).count() == 1
        accessible(page, "library, the nursing home's documents")
        both_sizes(page, "dokumenter")
        page.get_by_label("Mappe").select_option(label=folder["name"])
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url(re.compile(r".*&mappe=[0-9a-f-]+$"))
        assert "Ingen dokumenter her ennå." in page.locator("main").inner_text()
        accessible(page, "library, an empty folder")

        page.get_by_role("link", name="Søk", exact=True).click()
        page.wait_for_url(stack.gateway_url + "/dokumenter/sok")
        accessible(page, "search, nothing asked")
        page.get_by_label("Søk i titler og tekst").fill("å")
        page.get_by_role("button", name="Søk", exact=True).click()
        page.get_by_role("alert").wait_for()
        assert page.get_by_label("Søk i titler og tekst").get_attribute("aria-invalid") == "true"
        accessible(page, "search, too short")
        page.get_by_label("Søk i titler og tekst").fill("zqxjvwk <b>fet</b>")
        page.get_by_role("button", name="Søk", exact=True).click()
        page.wait_for_url(re.compile(r".*\?q=zqxjvwk.*"))
        assert "Ingen gjeldende dokumenter inneholder «zqxjvwk <b>fet</b>»." in page.locator("main").inner_text()
        assert page.locator("main b").count() == 0  # what was typed is text, never markup
        accessible(page, "search, no hits")
        page.get_by_label("Søk i titler og tekst").fill("sengebunnene")
        page.get_by_role("button", name="Søk", exact=True).click()
        page.wait_for_url(re.compile(r".*\?q=sengebunnene$"))
        hit = page.locator("ol.hits li", has=page.get_by_role("link", name=title))
        marked = [text.casefold() for text in hit.locator("mark").all_inner_texts()]
        assert marked
        assert all("sengebunn" in text for text in marked)
        accessible(page, "search, hits")
        both_sizes(page, "dokument-sok")

        # Who must read it: a line refused, a line added and removed again.
        page.goto(f"{stack.gateway_url}/dokumenter/{found['id']}/lesere")
        assert "Hustadvika sjukeheim" in page.locator("section[aria-labelledby=hvem]").inner_text()
        accessible(page, "audience")
        page.get_by_label("Enhet", exact=True).select_option("")
        page.get_by_role("button", name="Legg til").click()
        page.get_by_role("alert").wait_for()
        accessible(page, "audience, a line refused")
        page.get_by_label("Enhet", exact=True).select_option(label="Eide skule")
        page.get_by_role("button", name="Legg til").click()
        page.wait_for_url(re.compile(r".*/lesere\?lagret=ja$"))
        lines = page.locator("section[aria-labelledby=hvem] li")
        assert lines.count() == 2
        lines.filter(has_text="Eide skule").get_by_role("button", name="Fjern").click()
        lines.filter(has_text="Eide skule").wait_for(state="detached")
        assert lines.count() == 1

        # A document that is not there, and the pages in nynorsk.
        page.goto(f"{stack.gateway_url}/dokumenter/{uuid.uuid4()}")
        assert page.get_by_role("heading", level=1).inner_text() == "Dokumentet finnes ikke"
        accessible(page, "a document that is not there")
        page.get_by_label("Målform").select_option("nn")
        page.get_by_role("button", name="Bytt").click()
        page.wait_for_function("document.documentElement.lang === 'nn'")
        try:
            page.goto(stack.gateway_url + "/dokumenter/leseliste")
            assert page.locator("html").get_attribute("lang") == "nn"
            assert page.get_by_role("heading", level=1).inner_text() == "Mi leseliste"
            accessible(page, "reading list in nynorsk")
        finally:
            follow_the_kommune(page, stack)  # the switch saved nynorsk as the person's own choice
    finally:
        context.close()


def test_the_editor_and_the_read_confirmation_work_without_javascript(
    browser: Browser, stack: Stack, gateway: httpx.Client, people: list[DemoPerson], roles: Roles, login: Login
) -> None:
    writer = person(people, "hustadvika", "kvalitetsradgiver")
    title = unique("Melding av smitte")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, stack, writer)
        page.goto(stack.gateway_url + "/dokumenter/ny")
        page.get_by_label("Tittel").fill(title)
        page.get_by_label("Eierenhet", exact=True).select_option(label="Hustadvika sjukeheim")
        page.get_by_label("Innhold").fill("# Melding\nRing **smittevernlegen** samme dag.")
        page.get_by_role("button", name="Forhåndsvis").click()
        assert page.locator("#forhandsvisning strong").inner_text() == "smittevernlegen"
        page.get_by_role("button", name="Lagre utkastet").click()
        page.wait_for_url(re.compile(r".*/rediger\?lagret=ja(#.*)?$"))
        document_url = page.get_by_role("link", name=title).get_attribute("href")
        page.get_by_role("button", name="Lagre og send til godkjenning").click()
        page.wait_for_url(re.compile(r".*\?gjort=sendt$"))
        document_id = str(document_url).rsplit("/", 1)[-1]
        version = gateway.get(f"/api/v1/documents/{document_id}", headers=login(writer)).json()["versions"][0]
        approve = f"/api/v1/documents/{document_id}/versions/{version['id']}/approve"
        assert gateway.post(approve, headers=login(roles.nursing_home_leader)).status_code == 200

        page.goto(stack.gateway_url + str(document_url))
        page.get_by_role("button", name="Lest og forstått").click()
        page.wait_for_url(re.compile(r".*\?gjort=lest$"))
        assert "lest og forstått" in page.get_by_role("status").inner_text()
        # Confirmed once, the page says so instead of asking again.
        assert page.get_by_role("button", name="Lest og forstått").count() == 0
        assert "at du har lest og forstått versjon 1" in page.locator("main").inner_text()
        mine = gateway.get(
            "/api/v1/documents/reading-list", params={"include_confirmed": True, "limit": 100}, headers=login(writer)
        ).json()["items"]
        assert [item["confirmed_at"] is not None for item in mine if item["document_id"] == document_id] == [True]
    finally:
        context.close()
