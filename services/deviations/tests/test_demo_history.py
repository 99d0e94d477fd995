"""The demo history of ``make run``: two years of cases for a demo kommune, made through the use cases, with
timelines in order, a mix of closed and open cases, once per kommune and the same every time."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.demo_kommuner import demo_id, demo_kommuner
from varde_common.directory_replica import apply_org_unit_changed, apply_person_changed, apply_tenant_changed
from varde_common.events import OrgUnitChanged, PersonChanged, TenantChanged
from varde_common.tenant_settings import TenantSettings
from varde_common.testing.demo_history import Found, rolled_back, rows_of, without_ids
from varde_common.testing.factories import grant_role
from varde_deviations.demo_history import load_kommune

UNTIL = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # the start of 1 December in Oslo
SLUG = "tonsberg"
TENANT = demo_id(SLUG)
# (name, unit type, parent, leader role): a small Tønsberg, every workplace the history writes about.
TREE = [
    ("Tønsberg kommune", "kommune", None, "kommunedirektor"),
    ("Helse og velferd", "kommunalsjefsomrade", "Tønsberg kommune", "kommunalsjef"),
    ("Oppvekst", "kommunalsjefsomrade", "Tønsberg kommune", "kommunalsjef"),
    ("Tønsberg helsehus", "virksomhet", "Helse og velferd", "virksomhetsleder"),
    ("Helsehuset – Korttid", "avdeling", "Tønsberg helsehus", "avdelingsleder"),
    ("Helsehuset – Kjøkken", "avdeling", "Tønsberg helsehus", "avdelingsleder"),
    ("Hjemmetjenester – Sone nord", "tjeneste", "Helse og velferd", "tjenesteleder"),
    ("Presterød skole", "virksomhet", "Oppvekst", "virksomhetsleder"),
    ("Nøtterøy barnehage", "virksomhet", "Oppvekst", "virksomhetsleder"),
    ("Eiendom", "virksomhet", "Tønsberg kommune", "virksomhetsleder"),
    ("Digitalisering", "virksomhet", "Tønsberg kommune", "virksomhetsleder"),
]


async def seed_kommune(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The kommune in the service's copy of the directory, with the same ids every time."""
    at = UNTIL - timedelta(days=800)
    async with tenant_transaction(sessions, TENANT) as session:
        settings = TenantSettings(anonymous_reporting=True)
        await apply_tenant_changed(session, TenantChanged(tenant_id=TENANT, slug=SLUG, name="Tønsberg",
                                                          settings=settings), at)  # fmt: skip
        for depth, (name, unit_type, parent, leader_role) in enumerate(TREE):
            unit, leader = demo_id(SLUG, name), demo_id(SLUG, name, "leder")
            event = OrgUnitChanged(unit_id=unit, parent_id=demo_id(SLUG, parent) if parent else None, name=name,
                                   unit_type=unit_type, leader_person_id=leader)  # fmt: skip
            await apply_org_unit_changed(session, TENANT, event, at)
            staff = [(leader, leader_role, f"Leder {depth}")]
            staff += [(demo_id(SLUG, name, str(i)), "ansatt", f"Ansatt {depth}-{i}") for i in range(2) if depth >= 3]
            for person, role, person_name in staff:
                await apply_person_changed(session, TENANT, PersonChanged(person_id=person, name=person_name), at)
                await grant_role(session, TENANT, person, unit, role, at)


QUERIES = {
    "cases": "SELECT id, kind, area, title, status, unit_id, assignee_id, anonymous, reported_by, severity, "
    "occurred_at, reported_at, acknowledged_at, closed_at, conclusion, rejection_reason FROM deviation "
    "ORDER BY reported_at, title",
    "history": "SELECT d.reported_at, d.title, h.at, h.action, h.actor_id FROM deviation_history h "
    "JOIN deviation d ON d.id = h.deviation_id ORDER BY d.reported_at, d.title, h.id",
    "measures": "SELECT d.reported_at, m.description, m.owner_id, m.deadline, m.done_at, "
    "m.effectiveness_result FROM measure m JOIN deviation d ON d.id = m.deviation_id "
    "ORDER BY d.reported_at, m.created_at",
}


async def content(connection: AsyncConnection) -> Found:
    """What a person would see of the kommune's cases, without the ids the database draws."""
    return await rows_of(connection, TENANT, QUERIES)


async def test_a_demo_kommune_gets_two_years_of_true_cases_once_and_the_same_every_time(engine: AsyncEngine) -> None:
    async with rolled_back(engine, seed_kommune) as (connection, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        made = await load_kommune(connection, kommune, UNTIL)
        first = await content(connection)
        again = await load_kommune(connection, kommune, UNTIL)
        assert again is None
        assert await content(connection) == first

    cases = first["cases"]
    assert made == len(cases)
    assert 150 <= len(cases) <= 200
    statuses = Counter(case["status"] for case in cases)
    assert statuses["closed"] > len(cases) / 2
    assert statuses["registered"] + statuses["under_treatment"] + statuses["measures"] >= 10
    assert min(statuses["under_treatment"], statuses["measures"], statuses["rejected"]) >= 1
    closed = [case for case in cases if case["status"] == "closed"]
    assert all(case["conclusion"] for case in closed)
    with_measures = {m["reported_at"] for m in first["measures"]}
    assert sum(1 for case in closed if case["reported_at"] in with_measures) > len(closed) / 2
    assert all(m["effectiveness_result"] for m in first["measures"] if m["done_at"] is not None)
    assert any(case["anonymous"] and case["reported_by"] is None for case in cases)
    assert len({case["kind"] for case in cases}) == 4
    assert len({case["area"] for case in cases}) >= 4

    # Every timeline in order: nothing before the report, a closed case acknowledged before it was closed.
    for case in cases:
        assert case["occurred_at"] <= case["reported_at"] < UNTIL
        if case["closed_at"] is not None:
            assert case["acknowledged_at"] is not None
            assert case["acknowledged_at"] <= case["closed_at"]
    steps: dict[tuple[datetime, str], list[datetime]] = {}
    for line in first["history"]:
        steps.setdefault((line["reported_at"], line["title"]), []).append(line["at"])
    reported = {(case["reported_at"], case["title"]): case["reported_at"] for case in cases}
    for key, instants in steps.items():
        assert instants == sorted(instants)
        assert instants[0] == reported[key]
        assert instants[-1] < UNTIL
    actions = Counter(line["action"] for line in first["history"])
    for action in ("acknowledged", "measure_added", "measure_completed", "closed", "rejected", "forwarded"):
        assert actions[action] > 0, action

    # Spread over two years, more lately; the last weeks mostly still open.
    months = Counter((case["reported_at"].year, case["reported_at"].month) for case in cases)
    assert len(months) >= 22
    assert min(case["reported_at"] for case in cases) < UNTIL - timedelta(days=690)
    first_year = sum(1 for case in cases if case["reported_at"] < UNTIL - timedelta(days=365))
    assert first_year < len(cases) - first_year
    recent = [case for case in cases if case["reported_at"] > UNTIL - timedelta(days=21)]
    assert recent
    assert sum(1 for case in recent if case["status"] != "closed") > len(recent) / 2

    async with rolled_back(engine, seed_kommune) as (connection, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        await load_kommune(connection, kommune, UNTIL)
        assert without_ids(await content(connection)) == without_ids(first)
