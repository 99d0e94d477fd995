"""The demo history of ``make run``: two years of cases for a demo kommune, made through the use cases, with
timelines in order, a mix of closed and open cases, once per kommune and the same every time, in the kommune's
målform."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.demo_kommuner import DemoKommune, demo_id, demo_kommuner
from varde_common.tenant_settings import TenantSettings
from varde_common.testing.demo_kommune import Tree, rolled_back, rows_of, seed_demo_kommune, without_ids
from varde_deviations import demo_history
from varde_deviations.demo_history import Planner, load_kommune
from varde_deviations.demo_texts import CASES
from varde_deviations.demo_texts_nn import CASES as CASES_NN
from varde_deviations.demo_texts_nn import in_nynorsk

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
# A small Hustadvika, which writes nynorsk.
NN_SLUG = "hustadvika"
NN_TREE = [
    ("Hustadvika kommune", "kommune", None, "kommunedirektor"),
    ("Helse og omsorg", "kommunalsjefsomrade", "Hustadvika kommune", "kommunalsjef"),
    ("Hustadvika sjukeheim", "virksomhet", "Helse og omsorg", "virksomhetsleder"),
    ("Sjukeheimen – Avdeling 1", "avdeling", "Hustadvika sjukeheim", "avdelingsleder"),
    ("Heimetenesta", "virksomhet", "Helse og omsorg", "virksomhetsleder"),
    ("Heimetenesta – Sone Eide", "tjeneste", "Heimetenesta", "tjenesteleder"),
    ("Eigedom", "virksomhet", "Hustadvika kommune", "virksomhetsleder"),
]


@asynccontextmanager
async def seeded(
    engine: AsyncEngine, slug: str = SLUG, tree: Tree = TREE
) -> AsyncIterator[tuple[AsyncConnection, async_sessionmaker[AsyncSession]]]:
    async with rolled_back(engine) as (connection, sessions):
        await seed_demo_kommune(
            sessions, slug, tree, UNTIL - timedelta(days=800), settings=TenantSettings(anonymous_reporting=True)
        )
        yield connection, sessions


async def content(connection: AsyncConnection, tenant: uuid.UUID = TENANT) -> dict[str, list[dict[str, Any]]]:
    """What a person would see of the kommune's cases, without the ids the database draws."""
    return await rows_of(
        connection,
        tenant,
        {
            "cases": "SELECT id, kind, area, title, description, status, unit_id, assignee_id, anonymous, reported_by, "
            "severity, occurred_at, reported_at, acknowledged_at, closed_at, conclusion, rejection_reason "
            "FROM deviation ORDER BY reported_at, title",
            "history": "SELECT d.reported_at, d.title, h.at, h.action, h.actor_id, h.details ->> 'comment' AS comment, "
            "h.details ->> 'reason' AS reason FROM deviation_history h "
            "JOIN deviation d ON d.id = h.deviation_id ORDER BY d.reported_at, d.title, h.id",
            "measures": "SELECT d.reported_at, m.description, m.owner_id, m.deadline, m.done_at, "
            "m.effectiveness_result FROM measure m JOIN deviation d ON d.id = m.deviation_id "
            "ORDER BY d.reported_at, m.created_at",
        },
    )


def words(found: dict[str, list[dict[str, Any]]]) -> str:
    """Everything people wrote in the kommune's cases, as one text."""
    fields = ("title", "description", "conclusion", "rejection_reason", "comment", "reason", "effectiveness_result")
    written = [row.get(name) for rows in found.values() for row in rows for name in fields]
    return " ".join(str(text) for text in written if text)


BOKMAL_MARKERS = (" ikke ", "beboer", "Beboer", " ble ", "ansatte", "sykepleier", "behandling", " fra ", " hver ")


async def test_a_demo_kommune_gets_two_years_of_true_cases_once_and_the_same_every_time(engine: AsyncEngine) -> None:
    async with seeded(engine) as (connection, sessions):
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
    written = words(first)
    assert " ikke " in written
    assert " ble " in written
    assert not any(word in written for word in (" ikkje ", " vart ", "tilsett", "bebuar"))

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

    async with seeded(engine) as (connection, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == SLUG]
        await load_kommune(connection, kommune, UNTIL)
        assert without_ids(await content(connection)) == without_ids(first)


async def test_a_nynorsk_kommune_gets_its_cases_in_nynorsk(engine: AsyncEngine) -> None:
    async with seeded(engine, NN_SLUG, NN_TREE) as (connection, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == NN_SLUG]
        made = await load_kommune(connection, kommune, UNTIL)
        found = await content(connection, demo_id(NN_SLUG))

    assert made is not None
    assert made >= 150
    written = words(found)
    for word in (" ikkje ", " vart ", "Bebuar", "tilsett", "Teke til handsaming", "brukaren", " frå "):
        assert word in written, word
    for word in BOKMAL_MARKERS:
        assert word not in written, word
    measures = " ".join(m["description"] for m in found["measures"])
    assert "tilsette" in measures
    assert "ansatte" not in measures


async def test_the_plan_is_the_same_in_either_malform(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    async with seeded(engine, NN_SLUG, NN_TREE) as (_, sessions):
        [kommune] = [k for k in await demo_kommuner(sessions) if k.slug == NN_SLUG]
    nynorsk = Planner(kommune, UNTIL)
    nn_cases = nynorsk.plan()
    monkeypatch.setitem(demo_history.MALFORM, NN_SLUG, "nb")
    bokmal = Planner(kommune, UNTIL)
    nb_cases = bokmal.plan()

    assert len(nn_cases) == len(nb_cases) > 0
    for nn, nb in zip(nn_cases, nb_cases, strict=True):
        assert (nn.unit, nn.reporter, nn.occurred_at, nn.room, nn.actual, nn.potential) == (
            nb.unit, nb.reporter, nb.occurred_at, nb.room, nb.actual, nb.potential)  # fmt: skip
        assert nn.text == in_nynorsk(nb.text) != nb.text
    assert [(s.at, s.case) for s in nynorsk.steps] == [(s.at, s.case) for s in bokmal.steps]


def test_a_kommune_without_a_demo_choice_writes_in_its_own_malform() -> None:
    kommune = DemoKommune(tenant_id=TENANT, slug=SLUG, settings=TenantSettings(), units=())
    assert demo_history.malform_of(kommune) == "nb"
    assert demo_history.malform_of(replace(kommune, settings=TenantSettings(malform="nn"))) == "nn"
    assert demo_history.malform_of(replace(kommune, slug=NN_SLUG)) == "nn"


def test_every_case_has_nynorsk_words_of_the_same_shape() -> None:
    assert set(CASES_NN) == {case.title for case in CASES}
    for case in CASES:
        nn = in_nynorsk(case)
        assert [m.check is None for m in nn.measures] == [m.check is None for m in case.measures], case.title
        for field in ("immediate_action", "persons", "location"):
            nb_text, nn_text = getattr(case, field), getattr(nn, field)
            assert (nb_text is None) == (nn_text is None), (case.title, field)
            assert ("{rom}" in (nb_text or "")) == ("{rom}" in (nn_text or "")), (case.title, field)
        written = " ".join([nn.title, nn.description, nn.conclusion, nn.immediate_action or "", nn.persons or ""]
                           + [f"{m.description} {m.check or ''} {m.result}" for m in nn.measures])  # fmt: skip
        for word in BOKMAL_MARKERS:
            assert word not in f" {written} ", (case.title, word)
