"""What the browser tests share: Debian's Chromium through Playwright, axe-core's WCAG 2.1 AA rules, screenshots
at phone and desk size in ``var/screenshots/web/``, and signing in on the development sign-in page."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import DemoPerson
from varde_devstack.stack import Stack

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "web"
PHONE = {"width": 360, "height": 800}
DESK = {"width": 1280, "height": 800}
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A browser of its own at desk size, for a module's tests (``__all__ = ["context"]`` to use it)."""
    opened = browser.new_context(viewport=DESK)  # type: ignore[arg-type]
    try:
        yield opened
    finally:
        opened.close()


def accessible(page: Page, state: str) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{state}:\n{results.generate_report()}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def sign_in(page: Page, stack: Stack, who: DemoPerson, asked: str = "/") -> None:
    """Sign in as ``who`` from the page ``asked`` for; the browser is back on it afterwards."""
    page.goto(stack.gateway_url + asked)
    assert page.url.startswith(stack.gateway_url + "/logg-inn")
    # Within the person's kommune: two kommuner may each have someone of the same name.
    kommune = page.locator(f"section[aria-labelledby=kommune-{who.tenant}]")
    kommune.get_by_role("button", name=f"Logg inn som {who.name}").first.click()
    page.wait_for_url(stack.gateway_url + asked)


def follow_the_kommune(page: Page, stack: Stack) -> None:
    """Back to the kommune's målform: a signed-in person's choice is kept in the directory, for every later test."""
    page.goto(stack.gateway_url + "/innstillinger")
    page.locator("#malform-kommune").check()
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(stack.gateway_url + "/innstillinger?lagret=ja")


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small real PNG of one colour, as a phone's camera would send a photo (made here, not read from a file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
