"""A ROS-analyse in the browser, on the real stack: the nursing home's leader starts one, adds a risk with its
causes, rates it again per consequence dimension, adds a measure and the target cell it should reach, takes an
employee in as a participant, and sends it for approval; the leader above finds it waiting and approves it, and
the unit's risk picture then counts it. The matrix is the risk service's SVG inline in the page: the risk is
found in it by its text (its description and its marks), never by its pixels. Every page passes axe-core in its
empty, filled and refused states."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page

from tests.conftest import DemoPerson, person
from tests.system.browser import DESK, PHONE, accessible, follow_the_kommune, screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

TITLE = "ROS legemiddelhåndtering på sjukeheimen"
SENT = "ROS for legemiddelrommet på sjukeheimen"
RISK = "Feil legemiddel gis til beboer"
MEASURE = "Innfør strekkodeskanning ved utdeling"
ASSESSMENT_URL = re.compile(r".*/risiko/[0-9a-f-]{36}(#.*)?$")


def at_both_sizes(page: Page, name: str) -> None:
    for size in (PHONE, DESK):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        screenshot(page, name)
    page.set_viewport_size(DESK)  # type: ignore[arg-type]


def risk_block(page: Page) -> Locator:
    return page.locator("article.risk", has=page.get_by_role("heading", name=re.compile(RISK)))


def matrix_text(page: Page) -> tuple[str, str, list[str]]:
    """What the inline matrix says: its name and description (a screen reader's words) and its marks."""
    svg = page.locator(".matrix svg[role=img]")
    assert svg.count() == 1
    title = svg.locator("#risk-picture-title").text_content() or ""
    description = svg.locator("#risk-picture-desc").text_content() or ""
    marks = svg.locator("g.marker text").all_text_contents()
    return title, description, marks


def picture_total(page: Page) -> int:
    found = re.search(r"Risikoer i alt: (\d+)", page.locator("main").inner_text())
    return int(found.group(1)) if found else 0


def test_a_leader_builds_an_assessment_and_sends_it_for_approval_with_its_matrix_in_the_page(
    browser: Browser, stack: Stack, people: list[DemoPerson]
) -> None:
    leader = person(people, "hustadvika", "virksomhetsleder", "Hustadvika sjukeheim")
    employee = person(people, "hustadvika", "ansatt", "Hustadvika sjukeheim")
    leader_context = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    try:
        desk = leader_context.new_page()
        sign_in(desk, stack, leader)
        desk.get_by_role("link", name="Risiko", exact=True).click()
        desk.wait_for_url(stack.gateway_url + "/risiko")
        accessible(desk, "list")
        desk.get_by_role("link", name="Ny ROS-analyse").click()
        accessible(desk, "new, empty")
        at_both_sizes(desk, "risiko-ny")

        desk.get_by_role("button", name="Opprett analysen").click()  # no title: the API's message, at the top
        summary = desk.get_by_role("alert")
        assert "Tittel" in summary.inner_text()
        assert summary.get_by_role("link").first.get_attribute("href") == "#title"
        accessible(desk, "new, refused")
        desk.get_by_label("Tittel").fill(TITLE)
        desk.get_by_label("Enhet", exact=True).select_option(label="Hustadvika sjukeheim")
        desk.get_by_role("button", name="Opprett analysen").click()
        desk.wait_for_url(ASSESSMENT_URL)
        assert desk.get_by_role("heading", level=1).inner_text() == TITLE
        assert desk.locator(".assessment-status").inner_text() == "Under arbeid"
        assert "Ingen risikoer er registrert ennå." in desk.locator("main").inner_text()
        title, description, marks = matrix_text(desk)
        assert (title, marks) == (TITLE, [])
        assert "0 i alt" in description
        accessible(desk, "assessment, no risks")

        desk.get_by_role("button", name="Legg til risikoen").click()  # nothing filled in
        assert "Uønsket hendelse: Må fylles ut." in desk.locator("#add_risk-feil").inner_text()
        assert desk.locator(".not-saved a").get_attribute("href") == "#add_risk-feil"
        accessible(desk, "assessment, a risk refused")
        desk.get_by_role("textbox", name="Uønsket hendelse").fill(RISK)
        desk.get_by_label("Årsaker").fill("Travle vakter\nLike pakninger")
        new_risk = desk.locator("section.new-risk")
        new_risk.get_by_role("group", name="Sannsynlighet").get_by_label("4 – Høy").check()
        new_risk.get_by_role("group", name="Konsekvens", exact=True).get_by_label("3 – Middels").check()
        desk.get_by_role("button", name="Legg til risikoen").click()
        desk.wait_for_url(ASSESSMENT_URL)
        risk = risk_block(desk)
        assert "X1" in risk.get_by_role("heading", level=3).inner_text()
        assert "sannsynlighet 4 – Høy, konsekvens 3 – Middels: Ikke akseptabel risiko" in risk.inner_text()
        assert risk.locator("ul").first.locator("li").all_inner_texts() == ["Travle vakter", "Like pakninger"]

        # Rated again per dimension: the worst dimension (liv og helse) places it.
        risk.get_by_text("Vurder på nytt").click()
        risk.get_by_role("group", name="Sannsynlighet").get_by_label("5 – Svært høy").check()
        risk.get_by_text("Konsekvens per område").click()
        risk.get_by_label("Liv og helse").select_option("5")
        risk.get_by_label("Omdømme").select_option("3")
        risk.get_by_role("button", name="Lagre vurderingen").click()
        risk = risk_block(desk)
        assert "sannsynlighet 5 – Svært høy, konsekvens 5 – Svært høy: Ikke akseptabel risiko" in risk.inner_text()
        assert risk.locator(".dimension-list li").all_inner_texts() == [
            "Liv og helse: 5 – Svært høy",
            "Omdømme: 3 – Middels",
        ]

        risk.get_by_text("Nytt tiltak").click()
        risk.get_by_role("button", name="Legg til tiltaket").click()  # no title
        risk = risk_block(desk)
        assert risk.get_by_role("alert").count() == 1
        assert risk.locator("details.more[open]").count() == 1  # the form that failed is open, with its message
        accessible(desk, "assessment, a measure refused")
        deadline = date.today() + timedelta(days=60)
        risk.get_by_label("Hva skal gjøres?").fill(MEASURE)
        risk.get_by_label("Frist").fill(deadline.isoformat())
        risk.get_by_role("button", name="Legg til tiltaket").click()
        risk = risk_block(desk)
        measure = risk.locator("ul.measures li", has_text=MEASURE)
        assert f"{leader.name} · Frist {deadline:%d.%m.%Y} · Ikke utført" in measure.inner_text()

        risk.get_by_text("Målcelle etter tiltak (Y)").click()
        risk.get_by_label("Sannsynlighet etter tiltak").select_option("2")
        risk.get_by_label("Konsekvens etter tiltak").select_option("3")
        risk.get_by_role("button", name="Lagre målcellen").click()
        risk = risk_block(desk)
        assert "Mål etter tiltak (Y1): sannsynlighet 2 – Lav, konsekvens 3 – Middels: Tiltak skal vurderes" in (
            risk.inner_text()
        )
        assert "sannsynlighet 5 – Svært høy, konsekvens 5" in risk.inner_text()  # the rating stayed

        # The matrix in the page: X1 in probability 5 × consequence 5, Y1 in 2 × 3, as a screen reader hears it.
        title, description, marks = matrix_text(desk)
        assert sorted(marks) == ["X1", "Y1"]
        assert (
            f"X1 {RISK}: sannsynlighet 5, konsekvens 5, ikke akseptabel risiko; "
            "mål Y1 etter tiltak: sannsynlighet 2, konsekvens 3, tiltak skal vurderes." in description
        )
        assert desk.get_by_role("img", name=re.compile(re.escape(TITLE))).count() == 1
        levels = desk.locator(".matrix svg text.level").all_text_contents()
        assert len(levels) == 25
        assert set(levels) == {"Akseptabel", "Vurder tiltak", "Uakseptabel"}  # the level in words, not colour alone

        desk.get_by_label("Finn en person å legge til").fill(employee.name)
        desk.get_by_role("button", name="Søk").click()
        desk.get_by_role("button", name=f"Legg til {employee.name}").click()
        assert employee.name in desk.locator("section[aria-labelledby=deltakere] ul.people").inner_text()

        desk.get_by_role("button", name="Send til godkjenning").click()
        desk.wait_for_url(ASSESSMENT_URL)
        assert desk.locator(".assessment-status").inner_text() == "Under arbeid – sendt til godkjenning"
        assert desk.get_by_role("button", name="Godkjenn analysen").count() == 0  # not the owner's to approve
        assert "Sendt til godkjenning" in desk.locator(".timeline").inner_text()
        accessible(desk, "assessment, sent")
        at_both_sizes(desk, "risiko-analyse")
    finally:
        leader_context.close()


def sent_assessment(gateway: httpx.Client, leader: dict[str, str], unit_id: str) -> str:
    """An assessment as the first test leaves one, made through the API: a risk at 5 × 5 aimed at 2 × 3, sent."""
    api = "/api/v1/risk/assessments"
    created = gateway.post(api, json={"title": SENT, "kind": "virksomhetsstyring", "unit_id": unit_id}, headers=leader)
    assert created.status_code == 201, created.text
    assessment_id = str(created.json()["id"])
    risk = {"title": RISK, "probability": 5, "consequences": {"liv_og_helse": 5}}
    risk |= {"target_probability": 2, "target_consequence": 3}
    answer = gateway.post(f"{api}/{assessment_id}/risks", json=risk, headers=leader)
    assert answer.status_code == 201, answer.text
    answer = gateway.post(f"{api}/{assessment_id}/submit", headers=leader)
    assert answer.status_code == 200, answer.text
    return assessment_id


def test_the_leader_above_finds_a_sent_assessment_approves_it_and_the_units_picture_counts_it(
    browser: Browser,
    stack: Stack,
    people: list[DemoPerson],
    gateway: httpx.Client,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    leader = person(people, "hustadvika", "virksomhetsleder", "Hustadvika sjukeheim")
    above = person(people, "hustadvika", "kommunalsjef", "Helse og omsorg")
    assessment_id = sent_assessment(gateway, login(leader), leader.unit_where("virksomhetsleder"))
    assessment_url = stack.gateway_url + f"/risiko/{assessment_id}"
    leader_context = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    above_context = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    try:
        approver = above_context.new_page()
        sign_in(approver, stack, above)
        approver.goto(stack.gateway_url + f"/risiko/bilde?enhet={leader.unit_where('virksomhetsleder')}")
        before = picture_total(approver)
        approver.goto(stack.gateway_url + "/risiko")
        approver.get_by_label("Vis", exact=True).select_option(label="Venter på godkjenning")
        approver.get_by_role("button", name="Vis").click()
        waiting = approver.locator("ul.assessments li", has=approver.get_by_role("link", name=SENT))
        assert "sendt til godkjenning" in waiting.inner_text()
        assert "Hustadvika sjukeheim" in waiting.inner_text()
        accessible(approver, "list, awaiting approval")
        at_both_sizes(approver, "risiko-liste")
        waiting.get_by_role("link", name=SENT).click()
        approver.wait_for_url(assessment_url)
        approver.get_by_role("button", name="Godkjenn analysen").click()
        approver.wait_for_url(ASSESSMENT_URL)
        assert approver.locator(".assessment-status").inner_text() == "Aktiv"
        approved = approver.locator("dt:has-text('Godkjent') + dd").inner_text()
        assert above.name in approved
        review = approver.locator("dt:has-text('Revisjonsdato') + dd").inner_text()
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", review)  # a year on, set by the approval
        accessible(approver, "assessment, approved")

        approver.get_by_role("link", name="Risikobildet for Hustadvika sjukeheim").click()
        assert picture_total(approver) == before + 1
        top = approver.locator("ol.top-risks").inner_text()
        assert RISK in top
        picture = approver.locator(".matrix svg[role=img]")
        assert picture.locator("#risk-picture-title").text_content() == "Risikobilde for Hustadvika sjukeheim"
        assert RISK in (picture.locator("#risk-picture-desc").text_content() or "")
        accessible(approver, "unit picture")
        at_both_sizes(approver, "risiko-bilde")

        # In nynorsk the matrix speaks nynorsk too: it is drawn for the reader's målform.
        approver.goto(assessment_url)
        approver.get_by_label("Målform").select_option("nn")
        approver.get_by_role("button", name="Bytt").click()
        approver.wait_for_function("document.documentElement.lang === 'nn'")
        try:
            _, description, _ = matrix_text(approver)
            assert description.startswith("Risikoar i ei 5×5-matrise")
            assert approver.locator(".assessment-status").inner_text() == "Aktiv"
        finally:
            follow_the_kommune(approver, stack)  # the switch saved nynorsk as the person's own choice

        # The leader below may not see the sector's picture: the page says so, in words.
        desk = leader_context.new_page()
        sign_in(desk, stack, leader)
        desk.goto(stack.gateway_url + f"/risiko/bilde?enhet={above.unit_where('kommunalsjef')}")
        assert desk.get_by_role("alert").count() == 1
        assert desk.locator(".matrix").count() == 0
        accessible(desk, "unit picture, not allowed")
    finally:
        leader_context.close()
        above_context.close()


def test_someone_without_assessments_sees_that_and_an_old_cursor_is_refused_in_words(
    browser: Browser,
    stack: Stack,
    people: list[DemoPerson],
    gateway: httpx.Client,
    login: Callable[[DemoPerson], dict[str, str]],
) -> None:
    def sees_none(candidate: DemoPerson) -> bool:
        answer = gateway.get("/api/v1/risk/assessments", headers=login(candidate))
        return answer.status_code == 200 and answer.json()["items"] == []

    nobody = next(
        p for p in people if p.tenant == "hustadvika" and {r["role"] for r in p.roles} == {"ansatt"} and sees_none(p)
    )
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        phone = context.new_page()
        sign_in(phone, stack, nobody)
        assert phone.locator("header").get_by_role("link", name="Risiko", exact=True).count() == 0
        phone.goto(stack.gateway_url + "/risiko")
        assert "Ingen ROS-analyser å vise her." in phone.locator("main").inner_text()
        assert phone.get_by_role("link", name="Ny ROS-analyse").count() == 0
        accessible(phone, "list, empty")
        screenshot(phone, "risiko-liste-tom")
        phone.goto(stack.gateway_url + "/risiko/bilde")
        assert "Du har ingen rolle som gir tilgang" in phone.locator("main").inner_text()
        accessible(phone, "unit picture, no units")
        answer = phone.goto(stack.gateway_url + "/risiko?cursor=ikke-en-markør")
        assert answer is not None
        assert answer.status == 422
        assert phone.get_by_role("alert").count() == 1
        accessible(phone, "list, refused")
    finally:
        context.close()
