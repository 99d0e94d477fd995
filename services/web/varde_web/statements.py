"""The accessibility statement (/tilgjengelighet) and the privacy statement (/personvern), open to everyone,
signed in or not.

The accessibility statement is rendered from ``accessibility_status.json``, which the browser tests write
(``tests/system/accessibility_record.py``): the pages axe-core found without a violation of WCAG 2.1 AA, the
version of axe-core and its rules, the success criteria those rules cover, and the checks the tests make
themselves (the keyboard only, 320 px, 200 % zoom). What no test covers is said as well.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from varde_common.settings import ServiceSettings
from varde_web.rendering import page_for

router = APIRouter()

STATUS_FILE = Path(__file__).parent / "accessibility_status.json"
COMPLAINTS = "https://www.uutilsynet.no/"
WCAG_OVERVIEW = "https://www.uutilsynet.no/wcag-standarden/wcag-standarden/86"
DATATILSYNET = "https://www.datatilsynet.no/"
# The success criteria of WCAG 2.1 at levels A and AA: the standard itself, against which the tests are held.
WCAG_21_AA = (
    "1.1.1",
    "1.2.1",
    "1.2.2",
    "1.2.3",
    "1.2.4",
    "1.2.5",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "1.3.4",
    "1.3.5",
    "1.4.1",
    "1.4.2",
    "1.4.3",
    "1.4.4",
    "1.4.5",
    "1.4.10",
    "1.4.11",
    "1.4.12",
    "1.4.13",
    "2.1.1",
    "2.1.2",
    "2.1.4",
    "2.2.1",
    "2.2.2",
    "2.3.1",
    "2.4.1",
    "2.4.2",
    "2.4.3",
    "2.4.4",
    "2.4.5",
    "2.4.6",
    "2.4.7",
    "2.5.1",
    "2.5.2",
    "2.5.3",
    "2.5.4",
    "3.1.1",
    "3.1.2",
    "3.2.1",
    "3.2.2",
    "3.2.3",
    "3.2.4",
    "3.3.1",
    "3.3.2",
    "3.3.3",
    "3.3.4",
    "4.1.1",
    "4.1.2",
    "4.1.3",
)
# Pages no browser test runs axe-core on, each with the catalogue key of the reason the statement gives: none today
# (``tests/contracts/test_accessibility_status.py`` asks for a reason here for a page added without a test).
NOT_TESTED: dict[str, str] = {}
PARAMETER = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True)
class TestedPage:
    path: str  # as a person reads it: /saker/… for /saker/{deviation_id}
    states: int


@dataclass(frozen=True)
class ManualCheck:
    kind: str
    criteria: list[str]
    pages: list[str]


@dataclass(frozen=True)
class AccessibilityStatus:
    tested_on: date
    axe_core: str
    rules: list[str]
    criteria: list[str]
    pages: list[TestedPage]
    manual: list[ManualCheck]
    not_covered: list[str]
    tested_patterns: frozenset[str]


def readable(pattern: str) -> str:
    return PARAMETER.sub("…", pattern)


@cache
def accessibility_status() -> AccessibilityStatus:
    recorded: dict[str, Any] = json.loads(STATUS_FILE.read_text())
    checks: list[dict[str, str]] = recorded["checks"]
    states: dict[str, set[str]] = {}
    for check in checks:
        if check["kind"] == "axe":
            states.setdefault(check["page"], set()).add(check["state"])
    manual = [
        ManualCheck(kind, criteria, sorted({readable(c["page"]) for c in checks if c["kind"] == kind}))
        for kind, criteria in recorded["manual_criteria"].items()
    ]
    shown = set(recorded["criteria"]) | {criterion for check in manual for criterion in check.criteria}
    return AccessibilityStatus(
        tested_on=date.fromisoformat(recorded["tested_on"]),
        axe_core=recorded["axe_core"],
        rules=recorded["rules"],
        criteria=[criterion for criterion in WCAG_21_AA if criterion in recorded["criteria"]],
        pages=[TestedPage(readable(page), len(states[page])) for page in sorted(states)],
        manual=manual,
        not_covered=[criterion for criterion in WCAG_21_AA if criterion not in shown],
        tested_patterns=frozenset(states),
    )


def responsible(request: Request, tenant: dict[str, Any] | None) -> dict[str, str]:
    """Who answers for the statements: the signed-in person's kommune, else the installation's."""
    settings = request.app.state
    return {
        "name": (tenant or {}).get("name") or settings.responsible_name,
        "installation": settings.responsible_name,
        "contact_email": settings.contact_email,
        "privacy_officer_email": settings.privacy_officer_email,
    }


@router.get("/tilgjengelighet", response_class=HTMLResponse)
async def accessibility(request: Request) -> Response:
    page = await page_for(request)
    status = accessibility_status()
    return page.render(
        "accessibility.html",
        responsible=responsible(request, page.tenant),
        status=status,
        not_tested=NOT_TESTED,
        readable=readable,
        complaints=COMPLAINTS,
        wcag_overview=WCAG_OVERVIEW,
    )


@router.get("/personvern", response_class=HTMLResponse)
async def privacy(request: Request) -> Response:
    page = await page_for(request)
    defaults = ServiceSettings.model_fields
    return page.render(
        "privacy.html",
        responsible=responsible(request, page.tenant),
        outbox_days=defaults["outbox_retention_days"].default,
        inbox_days=defaults["inbox_retention_days"].default,
        datatilsynet=DATATILSYNET,
    )
