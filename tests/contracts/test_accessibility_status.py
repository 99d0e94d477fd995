"""The accessibility statement says what the browser tests found: ``services/web/varde_web/accessibility_status.json``
is written by them (``tests/system/accessibility_record.py``), and fails here when it is behind what they do.

Every state a browser test runs axe-core in is in the file, for that test file, and nothing else is; every page of
the web is in it or is listed as not tested with a reason (``varde_web.statements.NOT_TESTED``); axe-core and its
rules are the ones the tests run. A failure here is fixed by running the browser tests (``make test``, or the
``tests/system/test_web_*.py`` a change touched) and committing the file they write."""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from axe_playwright_python.base import AXE_FILE_PATH
from varde_web.statements import NOT_TESTED, WCAG_21_AA

from tests.system.accessibility_record import ROOT, STATUS_FILE, page_routes
from tests.system.browser import WCAG_21_AA as AXE_OPTIONS

BROWSER_TESTS = sorted((ROOT / "tests" / "system").glob("test_web_*.py"))
RERUN = "run the browser tests and commit services/web/varde_web/accessibility_status.json"


def recorded() -> dict[str, Any]:
    status: dict[str, Any] = json.loads(STATUS_FILE.read_text())
    return status


def states_in_the_tests() -> set[tuple[str, str]]:
    """Each ``accessible(page, "state")`` of the browser tests, by test file."""
    states: set[tuple[str, str]] = set()
    for path in BROWSER_TESTS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "accessible":
                state = node.args[1]
                assert isinstance(state, ast.Constant), f"{path.name}:{node.lineno}: name the state in plain words"
                states.add((path.relative_to(ROOT).as_posix(), str(state.value)))
    return states


def axe_checks() -> list[dict[str, str]]:
    return [check for check in recorded()["checks"] if check["kind"] == "axe"]


def test_every_state_the_browser_tests_check_with_axe_is_recorded_and_nothing_else() -> None:
    in_the_file = {(check["test"].split("::")[0], check["state"]) for check in axe_checks()}
    in_the_tests = states_in_the_tests()
    assert len(in_the_tests) > 100
    assert sorted(in_the_tests - in_the_file) == [], f"not recorded: {RERUN}"
    assert sorted(in_the_file - in_the_tests) == [], f"no longer in the tests: {RERUN}"


def test_every_page_of_the_web_is_tested_or_said_not_to_be() -> None:
    routes = page_routes()
    pages = {route.pattern for route in routes if route.page}
    tested = {check["page"] for check in axe_checks()}
    assert sorted(pages - tested - NOT_TESTED.keys()) == [], "a page no browser test runs axe on: test it, or say why"
    assert sorted(NOT_TESTED.keys() & tested) == [], "tested now: take it off NOT_TESTED"
    assert sorted(NOT_TESTED.keys() - pages) == [], "not a page of the web"
    # A state is kept by its route's pattern, never by an address with an id in it (which changes each run).
    patterns = {route.pattern for route in routes}
    assert sorted(tested - patterns) == []


def test_the_recorded_axe_core_and_rules_are_the_ones_the_tests_run() -> None:
    status = recorded()
    bundled = re.match(r"/\*! axe v(\S+)", AXE_FILE_PATH.read_text()[:100])
    assert bundled is not None
    assert status["axe_core"] == bundled.group(1), RERUN
    assert status["rules"] == AXE_OPTIONS["runOnly"]["values"], RERUN
    # What the rules of wcag2a, wcag2aa, wcag21a and wcag21aa cover at A and AA (a rule may name a AAA one too).
    assert len(set(status["criteria"]) & set(WCAG_21_AA)) > 15


def test_the_checks_the_tests_make_themselves_are_recorded_with_their_criteria() -> None:
    status = recorded()
    assert sorted(status["manual_criteria"]) == ["keyboard", "reflow_320", "zoom_200"], RERUN
    for kind, criteria in status["manual_criteria"].items():
        assert set(criteria) <= set(WCAG_21_AA), kind
        assert any(check["kind"] == kind for check in status["checks"]), kind
