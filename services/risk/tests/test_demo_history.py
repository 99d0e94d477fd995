"""The demo history of ``make run``: two years of ROS analyses for a demo kommune, made through the use cases, in
every status, with risks across the matrix, once per kommune and the same every time."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import oslo_date
from varde_common.demo_kommuner import demo_id, demo_kommuner
from varde_common.identity import Identity
from varde_common.testing.demo_kommune import rolled_back, rows_of, seed_demo_kommune, without_ids
from varde_risk.demo_history import load_kommune
from varde_risk.picture import PictureService

UNTIL = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # the start of 1 December in Oslo
TODAY = date(2026, 12, 1)
SLUG = "tonsberg"
TENANT = demo_id(SLUG)
# (name, unit type, parent, leader role): a small Tønsberg, every workplace the analyses are made for.
TREE = [
    ("Tønsberg kommune", "kommune", None, "kommunedirektor"),
    ("Helse og velferd", "kommunalsjefsomrade", "Tønsberg kommune", "kommunalsjef"),
    ("Oppvekst", "kommunalsjefsomrade", "Tønsberg kommune", "kommunalsjef"),
    ("Tønsberg helsehus", "virksomhet", "Helse og velferd", "virksomhetsleder"),
    ("Helsehuset – Korttid", "avdeling", "Tønsberg helsehus", "avdelingsleder"),
    ("Helsehuset – Legevakt", "avdeling", "Tønsberg helsehus", "avdelingsleder"),
    ("Hjemmetjenester – Sone nord", "tjeneste", "Helse og velferd", "tjenesteleder"),
    ("Presterød skole", "virksomhet", "Oppvekst", "virksomhetsleder"),
    ("Nøtterøy barnehage", "virksomhet", "Oppvekst", "virksomhetsleder"),
    ("Digitalisering", "virksomhet", "Tønsberg kommune", "virksomhetsleder"),
]
# Who the analyses take as participants besides the employees: (name, role, unit).
ROLES = [("Verneombud", "verneombud", "Tønsberg helsehus"), ("Kvalitet", "kvalitetsradgiver", "Tønsberg kommune")]


@asynccontextmanager
async def seeded(engine: AsyncEngine) -> AsyncIterator[tuple[AsyncConnection, async_sessionmaker[AsyncSession]]]:
    async with rolled_back(engine) as (connection, sessions):
        await seed_demo_kommune(sessions, SLUG, TREE, UNTIL - timedelta(days=800), holders=ROLES)
        yield connection, sessions


async def content(connection: AsyncConnection) -> dict[str, list[dict[str, Any]]]:
    """What a person would see of the kommune's analyses, without the ids the database draws."""
    return await rows_of(
        connection,
        TENANT,
        {
            "analyses": "SELECT id, number, title, kind, scope_kind, status, unit_id, owner_id, participants, "
            "review_due, created_by, created_at, submitted_at, approved_by, approved_at, updated_at "
            "FROM risk_assessment ORDER BY number",
            "risks": "SELECT a.number AS analysis, r.number, r.title, r.causes, r.probability, r.consequence, "
            "r.consequences, r.zone, r.target_probability, r.target_consequence, a.status "
            "FROM risk r JOIN risk_assessment a ON a.id = r.assessment_id ORDER BY a.number, r.number",
            "measures": "SELECT a.number AS analysis, m.title, m.owner_id, m.deadline, m.created_at, m.done_at, "
            "m.done_by, a.status FROM risk_measure m JOIN risk_assessment a ON a.id = m.assessment_id "
            "ORDER BY a.number, m.created_at",
            "history": "SELECT a.number AS analysis, h.at, h.action, h.actor_id FROM risk_history h "
            "JOIN risk_assessment a ON a.id = h.assessment_id ORDER BY a.number, h.id",
        },
    )


def leader(name: str) -> Any:
    return demo_id(SLUG, name, "leder")


async def test_a_demo_kommune_gets_two_years_of_ros_analyses_once_and_the_same_every_time(engine: AsyncEngine) -> None:
    async with seeded(engine) as (connection, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        made = await load_kommune(connection, kommune, UNTIL)
        first = await content(connection)
        again = await load_kommune(connection, kommune, UNTIL)
        assert again is None
        assert await content(connection) == first
        identity = Identity(tenant_id=TENANT, tenant_slug=SLUG, person_id=leader("Tønsberg kommune"),
                            expires_at=2**31 - 1)  # fmt: skip
        picture = await PictureService(sessions).of_unit(identity, demo_id(SLUG, "Tønsberg kommune"), "nb")

    analyses, risks, measures = first["analyses"], first["risks"], first["measures"]
    assert made is not None
    assert (made.analyses, made.risks) == (len(analyses), len(risks))
    assert 12 <= len(analyses) <= 15
    assert len(risks) >= 3 * len(analyses)

    # Every status: drafts, sent and waiting, active, archived.
    statuses = Counter(a["status"] for a in analyses)
    assert statuses["active"] >= 5
    assert statuses["archived"] >= 2
    waiting = [a for a in analyses if a["status"] == "preparation" and a["submitted_at"] is not None]
    drafts = [a for a in analyses if a["status"] == "preparation" and a["submitted_at"] is None]
    assert len(waiting) >= 2
    assert len(drafts) >= 2
    assert len({a["kind"] for a in analyses}) == 5
    assert len({a["scope_kind"] for a in analyses}) == 4
    assert len({a["unit_id"] for a in analyses}) >= 6

    # Approved by the leader above the owner, never by the owner; the kommune's own by the kommunedirektør.
    parents = {demo_id(SLUG, name): parent for name, _, parent, _ in TREE}
    names = {demo_id(SLUG, name): name for name, *_ in TREE}
    for analysis in analyses:
        assert analysis["participants"]
        if analysis["approved_by"] is not None:
            above = parents[analysis["unit_id"]] or names[analysis["unit_id"]]
            assert analysis["approved_by"] == leader(above) != analysis["owner_id"]

    # Review dates: some past, one coming within the lead time, the rest ahead.
    active = [a for a in analyses if a["status"] == "active"]
    assert all(a["review_due"] is not None for a in active)
    assert sum(1 for a in active if a["review_due"] < TODAY) >= 2
    assert any(TODAY <= a["review_due"] <= TODAY + timedelta(days=30) for a in active)
    assert any(a["review_due"] > TODAY + timedelta(days=30) for a in active)

    # Risks across the matrix, with causes and target cells; measures done and overdue.
    assert all(r["causes"] and r["consequences"] and r["target_probability"] for r in risks)
    assert all(r["consequence"] == max(r["consequences"].values()) for r in risks)
    assert len({(r["probability"], r["consequence"]) for r in risks}) >= 8
    assert len({r["zone"] for r in risks}) == 3
    done = [m for m in measures if m["done_at"] is not None]
    overdue = [m for m in measures if m["done_at"] is None and m["deadline"] < TODAY and m["status"] != "archived"]
    assert len(done) > len(measures) / 3
    assert overdue
    assert all(m["done_by"] == m["owner_id"] for m in done)
    assert sum(sum(row) for row in picture.cells) == sum(1 for r in risks if r["status"] == "active")
    assert sum(1 for row in picture.cells for n in row if n) >= 6

    # Every timeline in order, from its start to before today, over two years; the jobs told what fell due.
    lines: dict[int, list[datetime]] = {}
    for line in first["history"]:
        lines.setdefault(line["analysis"], []).append(line["at"])
    for instants in lines.values():
        assert instants == sorted(instants)
        assert instants[-1] < UNTIL
    assert min(a["created_at"] for a in analyses) < UNTIL - timedelta(days=650)
    assert max(a["created_at"] for a in analyses) > UNTIL - timedelta(days=40)
    actions = Counter(line["action"] for line in first["history"])
    for action in ("created", "risk_registered", "measure_added", "measure_completed", "submitted", "approved",
                   "reopened", "risk_rated", "changed", "archived", "above_acceptance", "measure_overdue",
                   "review_due", "review_overdue"):  # fmt: skip
        assert actions[action] > 0, action
    assert all(oslo_date(m["created_at"]) <= m["deadline"] for m in measures)

    async with seeded(engine) as (connection, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        await load_kommune(connection, kommune, UNTIL)
        assert without_ids(await content(connection)) == without_ids(first)
