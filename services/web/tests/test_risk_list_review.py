"""The ROS list marks an active analysis whose review date has passed in Norway as overdue ("forfalt"), and no
other: not one due today or later, not one under preparation or archived with an old date. The gateway is a
stand-in answering the person and one page of analyses, so the dates can lie on either side of today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from varde_web.app import create_app
from varde_web.config import WebSettings

from varde_common.calendar import now_utc, oslo_date

SIGNED_IN = {"varde_session": "hemmelig", "varde_malform": "nb"}
TODAY = oslo_date(now_utc())


def assessment(number: int, status: str, review_due: str | None) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "title": f"Analyse {number}",
        "status": status,
        "status_label": {"active": "Aktiv", "draft": "Under arbeid", "archived": "Arkivert"}[status],
        "awaiting_approval": False,
        "number": number,
        "kind": "hms",
        "scope_kind": "unit",
        "scope_name": None,
        "unit_name": "Solsiden sykehjem",
        "review_due": review_due,
        "risks": 2,
        "above_acceptance": 0,
    }


ASSESSMENTS = [
    assessment(1, "active", (TODAY - timedelta(days=1)).isoformat()),
    assessment(2, "active", TODAY.isoformat()),
    assessment(3, "active", (TODAY + timedelta(days=30)).isoformat()),
    assessment(4, "draft", (TODAY - timedelta(days=90)).isoformat()),
    assessment(5, "archived", (TODAY - timedelta(days=400)).isoformat()),
    assessment(6, "active", None),
]


async def gateway(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/api/v1/directory/me":
        kommune = {"id": "t1", "slug": "hustadvika", "name": "Hustadvika kommune", "organisation_number": None,
                   "settings": {"malform": "nb", "colour": "#00606e", "anonymous_reporting": False}}  # fmt: skip
        preferences = {"malform": None, "kommune_malform": "nb", "language": "nb"}
        roles = [{"role": "virksomhetsleder", "unit_id": "u1", "unit_name": "Solsiden sykehjem"}]
        person = {"id": "p1", "name": "Kari Leder", "email": "kari@hustadvika.kommune.no", "roles": roles}
        return httpx.Response(200, json={**person, "preferences": preferences, "kommune": kommune})
    if path == "/api/v1/notifications/unread-count":
        return httpx.Response(200, json={"unread": 0})
    if path == "/api/v1/risk/assessments":
        return httpx.Response(200, json={"items": ASSESSMENTS, "next_cursor": None})
    return httpx.Response(404, json={"type": "about:blank", "title": "Ikke funnet", "status": 404, "detail": ""})


def review_line(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[html.index('class="ds-paragraph hint"', start) : html.index("</p>", html.index("hint", start))]


async def test_only_an_active_analysis_past_its_review_date_is_marked_overdue() -> None:
    app = create_app(WebSettings(gateway_url="http://gateway"))
    app.state.client = httpx.AsyncClient(base_url="http://gateway", transport=httpx.MockTransport(gateway))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://web", cookies=SIGNED_IN
    ) as browser:
        answer = await browser.get("/risiko")
    assert answer.status_code == 200, answer.text
    overdue = {
        title for title in (f"Analyse {n}" for n in range(1, 7)) if "(forfalt)" in review_line(answer.text, title)
    }
    assert overdue == {"Analyse 1"}
