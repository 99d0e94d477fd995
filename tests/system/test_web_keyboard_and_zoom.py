"""Keyboard only and zoom, in a real browser on the real stack. An employee signs in, reports and finds the report
under "Mine meldinger" with Tab, Space, Enter and typing only (no click), and every element Tab reaches shows that
it has the focus. The report form, the leader's list, a case page, the posters, the inbox, the documents' and the
risk pages' lists and forms fit 320 CSS px and 200 % zoom
(a 1280 px wide window at device scale 2: 640 CSS px) without scrolling sideways (WCAG 1.4.10 Reflow)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Roles, deviation_body
from tests.system.browser import screenshot, sign_in
from varde_devstack.stack import Stack

pytestmark = pytest.mark.system

# The focused element, and whether its focus can be seen: an outline of 2 px or more, or a focus ring (box-shadow).
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    type: element.getAttribute("type") || "",
    name: (element.labels && element.labels[0] ? element.labels[0].innerText : element.innerText || "").trim(),
    visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
  };
}"""
# What sticks out to the right of the window, or whose text runs out of its box, to name in a failure.
WIDER_THAN_THE_WINDOW = """() => [...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5
    || element.scrollWidth > element.clientWidth + 1)
  .slice(0, 8)
  .map((element) => `${element.tagName.toLowerCase()}.${element.className}#${element.id}`)"""


def tab_to(page: Page, wanted: Callable[[dict[str, Any]], bool], most: int = 250) -> dict[str, Any]:
    """Press Tab until ``wanted`` holds for the focused element; each element on the way must show its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused: dict[str, Any] = page.evaluate(FOCUSED)
        assert focused["visible"], f"the focus cannot be seen on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab did not reach it in {most} presses")


def named(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda focused: focused["name"] == name


def test_an_employee_reports_with_the_keyboard_only_and_always_sees_where_the_focus_is(
    browser: Browser, stack: Stack, roles: Roles
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    page = context.new_page()
    title = f"Nødutgang sperret av tralle {uuid.uuid4().hex[:6]}"
    try:
        page.goto(stack.gateway_url + "/logg-inn")
        tab_to(page, named(f"Logg inn som {roles.employee.name}"))
        page.keyboard.press("Enter")
        page.wait_for_url(stack.gateway_url + "/")

        tab_to(page, named("Meld et avvik eller et forslag"))
        page.keyboard.press("Enter")
        page.wait_for_url(stack.gateway_url + "/meld")
        # The first Tab reaches the skip link, and Enter on it puts the focus on the page's content.
        assert tab_to(page, lambda _: True)["name"] == "Hopp til innholdet"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "innhold"

        tab_to(page, named("Hva skjedde? (kort tittel)"))
        page.keyboard.type(title)
        tab_to(page, named("Beskriv hendelsen"))
        page.keyboard.type("Trallen med skittentøy stod foran nødutgangen i andre etasje hele kvelden.")
        tab_to(page, named("1 – Svært lav"))  # the first consequence: actual
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.id") == "actual_consequence-2"
        assert page.locator("#actual_consequence-2").is_checked()
        tab_to(page, named("1 – Svært lav"))  # potential
        page.keyboard.press("Space")
        assert page.locator("#potential_consequence-1").is_checked()
        tab_to(page, named("Send meldingen"))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/meld/[0-9a-f-]+/kvittering$"))
        assert title in page.locator("main").inner_text()

        tab_to(page, named("Til mine meldinger"))
        page.keyboard.press("Enter")
        page.wait_for_url(stack.gateway_url + "/mine")
        assert page.get_by_role("heading", name=title).count() == 1
    finally:
        context.close()


@pytest.mark.parametrize(
    ("viewport", "scale"),
    [({"width": 320, "height": 800}, 1), ({"width": 640, "height": 400}, 2)],
    ids=["320px", "zoom-200"],
)
def test_the_form_the_leaders_list_a_case_and_the_posters_fit_the_width_without_scrolling_sideways(
    browser: Browser,
    stack: Stack,
    roles: Roles,
    gateway: httpx.Client,
    login: Any,
    viewport: dict[str, int],
    scale: int,
) -> None:
    body = deviation_body(roles.nursing_home, "Langt ord: Legemiddelhåndteringsrutinegjennomgangsmøteprotokoll")
    body["description"] = "Lenke uten mellomrom: https://kommune.example/rutiner/legemiddelhandtering/dobbeltkontroll"
    created = gateway.post("/api/v1/deviations", json=body, headers=login(roles.employee))
    assert created.status_code == 201, created.text
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="nb-NO")  # type: ignore[arg-type]
    page = context.new_page()
    try:
        sign_in(page, stack, roles.nursing_home_leader)
        for name, path in [
            ("meld", "/meld"),
            ("behandling", "/behandling"),
            ("sak", f"/saker/{created.json()['id']}"),
            ("plakater", "/plakater"),
            ("plakat", f"/plakater/{roles.nursing_home}?sted=Rom 214"),
            ("mine", "/mine"),
            ("varsler", "/varsler"),
            ("dokumenter", "/dokumenter"),
            ("leseliste", "/dokumenter/leseliste"),
            ("godkjenning", "/dokumenter/godkjenning"),
            ("nytt-dokument", "/dokumenter/ny"),
            ("risiko", "/risiko"),
            ("risikobilde", "/risiko/bilde"),
            ("ny-ros", "/risiko/ny"),
        ]:
            page.goto(stack.gateway_url + path)
            fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert fits, f"{path} at {viewport['width']} CSS px: {page.evaluate(WIDER_THAN_THE_WINDOW)}"
            screenshot(page, f"{name}-zoom{scale}")
    finally:
        context.close()
