"""Issue 16's figures: what each page of the web client costs on the demo data, through the gateway.

The demo history is loaded first (each service's ``demo-history``, as ``make run`` does in the background), so the
lists, the case page, the library and the risk pages carry two years of a kommune's work, as a user finds them.

Per page: the time a browser waits for the HTML (sequential requests, one signed-in person, after a warm-up), the
web's own share of it from its ``Server-Timing`` header (the page's calls to /api/v1 and the rendering around
them), and how many API calls it made. For the report page also what a phone downloads besides the HTML: the bytes
of CSS, script and fonts as Chromium received them (compressed where the server compressed them).
"""

from __future__ import annotations

import re
import shutil
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.sync_api import Request, sync_playwright

from bench.load import percentile
from bench.process_cpu import settle
from varde_devstack.stack import HISTORY_COMMAND, Stack

SESSION_COOKIE = "varde_session"
SERVER_TIMING = re.compile(r'api;dur=([0-9.]+);desc="(\d+) calls", total;dur=([0-9.]+)')
UUID = "[0-9a-f-]{36}"
CASE_LINK = re.compile(rf'href="(/saker/{UUID})"')
DOCUMENT_LINK = re.compile(rf'href="(/dokumenter/{UUID})"')
ASSESSMENT_LINK = re.compile(rf'href="(/risiko/{UUID})"')
WARMUP = 5
REQUESTS = 60
DOWNLOADED_TYPES = ("stylesheet", "script", "font")


@dataclass(frozen=True)
class Visitor:
    """A demo person of Hustadvika with a browser session."""

    role: str
    name: str
    cookie: str


def visitors(stack: Stack, role: str) -> Iterator[Visitor]:
    """The demo people of Hustadvika who hold ``role``, each signed in when asked for."""
    people = httpx.get(stack.gateway_url + "/dev/people").json()
    for holder in people:
        if holder["tenant"] != "hustadvika" or all(r["role"] != role for r in holder["roles"]):
            continue
        form = {"tenant": "hustadvika", "email": holder["email"]}
        response = httpx.post(stack.gateway_url + "/dev/session", data=form)
        if response.status_code != 303:
            raise RuntimeError(f"no session for {role}: {response.status_code} {response.text}")
        yield Visitor(role, holder["name"], response.cookies[SESSION_COOKIE])


def busy_leader(client: httpx.Client, stack: Stack) -> tuple[Visitor, str | None]:
    """The first unit leader with a case waiting in "Til behandling" (a history spreads its open cases thinly), and
    that case; the first leader and None when no one has one."""
    first: Visitor | None = None
    for leader in visitors(stack, "virksomhetsleder"):
        first = first or leader
        case = first_link(client, leader, "/behandling", CASE_LINK)
        if case is not None:
            return leader, case
    if first is None:
        raise RuntimeError("Hustadvika has no virksomhetsleder")
    return first, None


def page_cost(client: httpx.Client, who: Visitor, path: str) -> dict[str, Any]:
    """``REQUESTS`` sequential GETs of one page as ``who``; the round trips and the web's share of each."""
    headers = {"cookie": f"{SESSION_COOKIE}={who.cookie}", "accept-encoding": "gzip"}
    for _ in range(WARMUP):
        client.get(path, headers=headers).raise_for_status()
    waited, in_web, in_api, calls, sizes = [], [], [], set(), []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        waited.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        timing = SERVER_TIMING.search(response.headers.get("server-timing", ""))
        if timing is None:
            raise AssertionError(f"{path} has no Server-Timing of the web")
        in_api.append(float(timing.group(1)))
        calls.add(int(timing.group(2)))
        in_web.append(float(timing.group(3)))
        sizes.append(int(response.headers.get("content-length", len(response.content))))
    return {
        "as": who.role,
        "p50_ms": round(statistics.median(waited), 1),
        "p95_ms": round(percentile(waited, 0.95), 1),
        "web_p50_ms": round(statistics.median(in_web), 1),
        "api_time_summed_p50_ms": round(statistics.median(in_api), 1),
        "api_calls": sorted(calls)[0] if len(calls) == 1 else sorted(calls),
        "html_bytes_compressed": round(statistics.median(sizes)),
    }


def downloads(stack: Stack, who: Visitor, path: str) -> dict[str, Any]:
    """What Chromium fetched besides the HTML for one page, by kind, in bytes as they came over the wire."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("the web section needs Debian's chromium (make test installs it)")
    by_kind: dict[str, int] = dict.fromkeys(DOWNLOADED_TYPES, 0)
    files: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 360, "height": 800})
            context.add_cookies(
                [{"name": SESSION_COOKIE, "value": who.cookie, "url": stack.gateway_url, "secure": True}]
            )
            page = context.new_page()
            fetched: list[Request] = []
            page.on("requestfinished", lambda request: fetched.append(request))
            page.goto(stack.gateway_url + path, wait_until="networkidle")
            for request in fetched:
                if request.resource_type in by_kind:
                    size = request.sizes()["responseBodySize"]
                    by_kind[request.resource_type] += size
                    files[request.url.removeprefix(stack.gateway_url)] = size
        finally:
            browser.close()
    return {
        "page": path,
        "bytes": by_kind,
        "total_kb": round(sum(by_kind.values()) / 1000, 1),
        "files": files,
    }


def load_histories(stack: Stack) -> dict[str, float]:
    """Every service's demo history, one after the other, then until the consumers have taken in its events; the
    seconds each took."""
    took: dict[str, float] = {}
    for name, _ in stack.histories():
        started = time.perf_counter()
        stack.run_once(name, HISTORY_COMMAND, no_deadline=True)
        took[name] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    settle(stack.config.var_dir, limit_s=600)
    took["consumers_caught_up"] = round(time.perf_counter() - started, 1)
    return took


def first_link(client: httpx.Client, who: Visitor, path: str, link: re.Pattern[str]) -> str | None:
    found = link.search(client.get(path, headers={"cookie": f"{SESSION_COOKIE}={who.cookie}"}).text)
    return found.group(1) if found else None


def measure(stack: Stack) -> dict[str, Any]:
    history_s = load_histories(stack)
    employee = next(visitors(stack, "ansatt"))
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        leader, case = busy_leader(client, stack)
        pages: dict[str, tuple[Visitor, str]] = {
            "report form (/meld)": (employee, "/meld"),
            "my reports (/mine)": (employee, "/mine"),
            "inbox (/varsler)": (leader, "/varsler"),
            "to handle (/behandling)": (leader, "/behandling"),
            "library (/dokumenter)": (employee, "/dokumenter"),
            "reading list (/dokumenter/leseliste)": (employee, "/dokumenter/leseliste"),
            "assessments (/risiko)": (leader, "/risiko"),
        }
        found = {
            "case page (/saker/…)": (leader, case),
            "document (/dokumenter/…)": (employee, first_link(client, employee, "/dokumenter", DOCUMENT_LINK)),
            "assessment (/risiko/…)": (leader, first_link(client, leader, "/risiko", ASSESSMENT_LINK)),
        }
        pages |= {name: (who, path) for name, (who, path) in found.items() if path is not None}
        figures: dict[str, Any] = {
            "note": f"on the demo history; {REQUESTS} sequential requests per page after {WARMUP}, one person; "
            "p50/p95 is the browser's wait for the HTML through the gateway, web_p50 the web's own time of it "
            "(Server-Timing); a page makes its API calls side by side, so their summed time can exceed the page's",
            "demo_history_s": history_s,
            "pages": {name: page_cost(client, who, path) for name, (who, path) in pages.items()},
            "not_measured": [name for name, (_, path) in found.items() if path is None],
        }
    figures["report_page_downloads"] = downloads(stack, employee, "/meld")
    return figures
