"""What the browser tests found accessible, written to ``services/web/varde_web/accessibility_status.json``, from
which the web's accessibility statement (/tilgjengelighet) is rendered: the statement says what the tests showed,
never what someone wrote by hand.

Each check is kept with the test that made it. A run writes the checks of the tests it ran and that passed,
removes those of the tests it ran that failed (a page is not said to pass what it did not), keeps those of the
tests it did not run (one test file run alone does not empty the statement) and drops those of tests that no
longer exist. The date is the day of a run that changed what is recorded, and at least once a month: two branches
running the browser tests on different days then do not conflict on that one line each time.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.routing import compile_path
from varde_web.app import create_app
from varde_web.config import WebSettings

from varde_common.calendar import oslo_today

ROOT = Path(__file__).resolve().parents[2]
STATUS_FILE = ROOT / "services" / "web" / "varde_web" / "accessibility_status.json"
AXE = "axe"
WCAG_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")  # axe's tag of a success criterion: wcag1410 is 1.4.10


@dataclass(frozen=True, order=True)
class Check:
    test: str  # the test's node id, as pytest names it
    kind: str  # "axe", or a check the test makes itself ("keyboard", "reflow_320", "zoom_200")
    page: str  # the route's path pattern (/saker/{deviation_id}), or the path when no route has it
    state: str


@dataclass(frozen=True)
class Route:
    pattern: str
    regex: re.Pattern[str]
    get: bool
    page: bool  # a GET answering a page (HTML), not a photo, the manifest or the service worker


def page_routes() -> list[Route]:
    """The web's routes with their patterns, in the order the web matches them."""
    app = create_app(WebSettings(gateway_url="http://127.0.0.1:9"))
    asyncio.run(app.state.client.aclose())  # nothing is sent: only the routes are read
    routes: list[Route] = []
    for route in app.routes:
        for context in getattr(route, "effective_route_contexts", list)():
            original = context.original_route
            if isinstance(original, APIRoute):
                get = "GET" in (original.methods or set())
                html = getattr(original.response_class, "value", original.response_class) is HTMLResponse
                routes.append(Route(context.path, compile_path(context.path)[0], get, get and html))
    return routes


class Recorder:
    def __init__(self) -> None:
        self.routes = page_routes()
        self.current: str | None = None
        self.checks: dict[str, set[Check]] = {}
        self.outcomes: dict[str, bool] = {}
        self.axe_core = ""
        self.rules: list[str] = []
        self.criteria: set[str] = set()
        self.manual_criteria: dict[str, list[str]] = {}

    def pattern(self, url: str) -> str:
        """The pattern of the route that answered: a page shown again after a refused form has the post's address,
        whose route may have no GET."""
        path = urlsplit(url).path
        matching = [route for route in self.routes if route.regex.match(path)]
        return next((route.pattern for route in sorted(matching, key=lambda route: not route.get)), path)

    def axe(self, url: str, state: str, response: dict[str, Any], rules: list[str]) -> None:
        """An axe run with no violation: its page and state, and what axe checked (its version, the success
        criteria its rules of the tags cover)."""
        self.axe_core = str(response["testEngine"]["version"])
        self.rules = rules
        for group in ("passes", "incomplete", "inapplicable", "violations"):
            for rule in response.get(group, []):
                self.criteria.update(criterion(tag) for tag in rule["tags"] if WCAG_TAG.match(tag))
        self._add(AXE, url, state)

    def check(self, url: str, kind: str, state: str, criteria: tuple[str, ...]) -> None:
        """A check a test makes itself on a page (the keyboard only, the width), with the criteria it covers."""
        self.manual_criteria[kind] = sorted(criteria, key=criterion_order)
        self._add(kind, url, state)

    def _add(self, kind: str, url: str, state: str) -> None:
        assert self.current is not None, "a check outside a test"
        self.checks.setdefault(self.current, set()).add(Check(self.current, kind, self.pattern(url), state))

    def write(self) -> None:
        if not self.outcomes or not any(self.checks.values()):
            return
        before = json.loads(STATUS_FILE.read_text()) if STATUS_FILE.exists() else {}
        kept = {
            Check(**check)
            for check in before.get("checks", [])
            if check["test"] not in self.outcomes and test_exists(check["test"])
        }
        for test, passed in self.outcomes.items():
            if passed:
                kept.update(self.checks.get(test, set()))
        manual = {**before.get("manual_criteria", {}), **self.manual_criteria}
        status: dict[str, Any] = {
            "axe_core": self.axe_core or before.get("axe_core", ""),
            "rules": self.rules or before.get("rules", []),
            "criteria": sorted(self.criteria or set(before.get("criteria", [])), key=criterion_order),
            "manual_criteria": {kind: manual[kind] for kind in sorted(manual) if any(c.kind == kind for c in kept)},
            "checks": [asdict(check) for check in sorted(kept)],
        }
        today = oslo_today().isoformat()
        unchanged = {key: value for key, value in before.items() if key != "tested_on"} == status
        same_month = str(before.get("tested_on", ""))[:7] == today[:7]
        status = {"tested_on": before["tested_on"] if unchanged and same_month else today, **status}
        STATUS_FILE.write_text(json.dumps(status, ensure_ascii=False, indent=1) + "\n")


def criterion(tag: str) -> str:
    match = WCAG_TAG.match(tag)
    assert match is not None
    return ".".join(match.groups())


def criterion_order(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def test_exists(node_id: str) -> bool:
    """Whether the test of a node id (``tests/system/test_x.py::test_y[param]``) is still in its file."""
    file, _, name = node_id.partition("::")
    path = ROOT / file
    if not path.exists():
        return False
    function = name.split("[")[0]
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.FunctionDef) and node.name == function for node in tree.body)


RECORDER = Recorder()
