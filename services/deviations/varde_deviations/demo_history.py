"""``python -m varde_deviations demo-history``: two years of cases for every demo kommune, made through the
service's own use cases, each step at its own instant (``simulated_now``), so timelines, events and the figures
made from them are true. One transaction per kommune, marked by ``first_run``: a second run adds nothing.

The plan is drawn from a fixed seed per kommune over its units and people (by name), so the same kommune gets
the same history every time. Every case is planned to its end and cut at the start of today: the last weeks'
cases are still open, older ones mostly closed with measures.

Each kommune's employees write in its målform (``MALFORM``): the same plan, drawn by the same seed, in bokmål or
nynorsk words.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date, simulated_now
from varde_common.demo_kommuner import (
    DemoKommune,
    DemoUnit,
    load_every_demo_kommune,
    load_once,
    working,
)
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.pages import PageRequest
from varde_common.runtime import Runtime
from varde_deviations import demo_texts as texts
from varde_deviations import demo_texts_nn as texts_nn
from varde_deviations.catalogue import CatalogueService
from varde_deviations.demo_texts import CaseText, MeasureText, Phrases
from varde_deviations.handling import HandlingService
from varde_deviations.measures import MeasureService
from varde_deviations.models import (
    CloseBody,
    Comment,
    DeviationCreate,
    DeviationPublic,
    ForwardBody,
    MeasureComplete,
    MeasureCreate,
    RejectBody,
    ReopenBody,
)
from varde_deviations.reporting import ReportingService

log = logging.getLogger("varde.deviations.demo_history")
COMMAND = "demo-history"
MONTHS = 24
# The målform a demo kommune's employees write in, by slug. Hustadvika writes nynorsk although the directory's
# demo leaves its pages' default (``TenantSettings.malform``) at bokmål, which its browser tests read.
MALFORM: dict[str, Language] = {"hustadvika": "nn"}


def malform_of(kommune: DemoKommune) -> Language:
    """The demo's own choice, else the kommune's målform."""
    return MALFORM.get(kommune.slug, kommune.settings.malform)


def phrases_for(language: Language) -> Phrases:
    return texts_nn.PHRASES if language == "nn" else texts.PHRASES


def worded(text: CaseText, language: Language) -> CaseText:
    """The case as the kommune's employees write it; everything the plan draws from stays the same."""
    return texts_nn.in_nynorsk(text) if language == "nn" else text


# ---- the plan ---------------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One planned case and, while it is made, what the use cases answered."""

    number: int
    text: CaseText
    unit: DemoUnit
    reporter: uuid.UUID | None  # None: anonymous
    occurred_at: datetime
    room: int
    actual: int
    potential: int
    id: uuid.UUID | None = None
    assignee: uuid.UUID | None = None
    measures: list[uuid.UUID] = field(default_factory=list)
    measure_owners: list[uuid.UUID | None] = field(default_factory=list)


Act = Callable[["Maker", Case], Awaitable[None]]


@dataclass(order=True)
class Step:
    at: datetime
    case: int
    order: int
    act: Act = field(compare=False)


def setting_of(unit: DemoUnit) -> tuple[str, float]:
    for setting, words, weight in texts.SETTINGS:
        if any(word.lower() in unit.name.lower() for word in words):
            return setting, weight
    return texts.OFFICE


def leader_unit(kommune: DemoKommune, unit_id: uuid.UUID | None) -> DemoUnit | None:
    """The nearest unit at or above this one that has a leader: who handles what happens there."""
    for _ in range(20):
        if unit_id is None:
            return None
        unit = kommune.unit(unit_id)
        if unit.leader_id is not None:
            return unit
        unit_id = unit.parent_id
    return None


class Planner:
    def __init__(self, kommune: DemoKommune, until: datetime) -> None:
        self.kommune = kommune
        self.until = until
        self.rng = random.Random(f"varde-demo-history/deviations/{kommune.slug}")
        self.start = until - timedelta(days=round(MONTHS * 30.44))
        self.steps: list[Step] = []
        self.language = malform_of(kommune)
        self.phrases = phrases_for(self.language)

    def working(self, at: datetime) -> datetime:
        return working(at, self.rng)

    def later(self, after: datetime, hours: float) -> datetime:
        return self.working(after + timedelta(hours=hours, minutes=self.rng.randint(5, 55)))

    def plan(self) -> list[Case]:
        rng = self.rng
        reporting = [(u, *setting_of(u)) for u in self.kommune.units if u.employees]
        if not reporting:
            return []
        days = (self.until - self.start).days
        # More cases lately (the kommune took the system into use two years ago), fewer in July.
        weights = [(0.45 + day / days) * (0.55 if (self.start + timedelta(days=day)).month == 7 else 1.0)
                   for day in range(days)]  # fmt: skip
        count = rng.randint(165, 195)
        dates = sorted(rng.choices(range(days), weights=weights, k=count))
        cases = []
        for number, day in enumerate(dates):
            occurred = self.start + timedelta(days=day, hours=rng.choice((7, 8, 9, 10, 11, 13, 14, 16, 19, 21, 2)),
                                              minutes=rng.randint(0, 59))  # fmt: skip
            unit, setting = self.unit_for(reporting, occurred.month)
            text = worded(self.text_for(setting, occurred.month), self.language)
            anonymous = self.kommune.settings.anonymous_reporting and rng.random() < 0.05
            reporter = None if anonymous else rng.choice(unit.employees)
            actual, potential = rng.randint(*text.actual), rng.randint(*text.potential)
            case = Case(number, text, unit, reporter, occurred, rng.randint(1, 30), actual, max(actual, potential))
            cases.append(case)
            self.plan_case(case)
        return cases

    def unit_for(self, reporting: list[tuple[DemoUnit, str, float]], month: int) -> tuple[DemoUnit, str]:
        weights = [w * (0.1 if setting == "skole" and month == 7 else 1.0) for _, setting, w in reporting]
        unit, setting, _ = self.rng.choices(reporting, weights=weights)[0]
        return unit, setting

    def text_for(self, setting: str, month: int) -> CaseText:
        fitting = [
            t for t in texts.CASES if t.setting in (setting, "alle") and (month in t.months or not t.season_only)
        ]
        weights = [t.weight * (3 if month in t.months else 1) for t in fitting]
        return self.rng.choices(fitting, weights=weights)[0]

    def add(self, case: Case, at: datetime, act: Act) -> datetime:
        self.steps.append(Step(at, case.number, len(self.steps), act))
        return at

    def forward_target(self, case: Case, handling: DemoUnit) -> DemoUnit | None:
        for unit in self.kommune.units:
            if any(word.lower() in unit.name.lower() for word in case.text.forward_to):
                target = leader_unit(self.kommune, unit.id)
                if target is not None and target.id != handling.id:
                    return unit
        return None

    def plan_case(self, case: Case) -> None:
        rng, text = self.rng, case.text
        reported = self.add(case, case.occurred_at + timedelta(minutes=rng.randint(10, 300)), report)
        handling = leader_unit(self.kommune, case.unit.id)
        if handling is None:
            return
        at = reported
        target = self.forward_target(case, handling) if text.forward_to and rng.random() < 0.5 else None
        if target is not None:
            at = self.add(case, self.later(at, rng.uniform(0.5, 20)), forward(target.id))
        at = self.add(
            case, self.later(at, rng.lognormvariate(2.6, 0.9)), acknowledge(rng.choice(self.phrases.acknowledge))
        )
        if rng.random() < 0.06:
            at = self.add(case, self.later(at, rng.uniform(1, 30)), reject(rng.choice(self.phrases.reject)))
            if rng.random() < 0.3:
                self.plan_reopening(case, at)
            return
        above = leader_unit(self.kommune, handling.parent_id) if target is None else None
        if above is not None and max(text.potential) >= 4 and rng.random() < 0.12:
            at = self.add(case, self.later(at, rng.uniform(2, 48)), escalate)
            at = self.add(
                case, self.later(at, rng.lognormvariate(2.3, 0.7)), acknowledge(rng.choice(self.phrases.acknowledge))
            )
        stalled = rng.random() < 0.07
        completed = at
        for index, measure in enumerate(text.measures):
            added = self.later(at, rng.uniform(0.2, 72))
            deadline_days = rng.randint(10, 45)
            owner = rng.choice(case.unit.employees) if rng.random() < 0.4 else None
            at = self.add(case, added, add_measure(measure, owner, deadline_days))
            if stalled and index == len(text.measures) - 1:
                return  # a measure nobody got round to: open past its deadline
            done = self.later(added, deadline_days * 24 * rng.uniform(0.3, 1.25))
            completed = max(completed, self.add(case, done, complete_measure(index, measure)))
        closed = self.add(case, self.later(completed, rng.uniform(4, 24 * 12)), close(text.conclusion))
        if rng.random() < 0.04:
            self.plan_reopening(case, self.later(closed, rng.uniform(24 * 10, 24 * 40)))

    def plan_reopening(self, case: Case, after: datetime) -> None:
        """It happened again: reopened, a new measure, done, closed."""
        rng, phrases = self.rng, self.phrases
        at = self.add(case, self.later(after, rng.uniform(48, 300)), reopen)
        added = self.add(case, self.later(at, rng.uniform(2, 48)), add_measure(phrases.reopen, None, 30))
        done = self.add(case, self.later(added, rng.uniform(24 * 7, 24 * 25)), complete_last_measure)
        self.add(case, self.later(done, rng.uniform(4, 24 * 5)), close(phrases.reopen_conclusion))


# ---- the steps, each one use case called as the person who takes it ---------------------------------------------


class Maker:
    """The use cases the history is made through, for one kommune, on the sessions of its one transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], kommune: DemoKommune) -> None:
        self.kommune = kommune
        self.phrases = phrases_for(malform_of(kommune))
        self.reporting = ReportingService(sessions)
        self.handling = HandlingService(sessions)
        self.measures = MeasureService(sessions)
        self.catalogue = CatalogueService(sessions)
        self.categories: dict[tuple[str, str], uuid.UUID] = {}
        self.areas: set[str] = set()

    def as_(self, person: uuid.UUID | None) -> Identity:
        assert person is not None
        return Identity(tenant_id=self.kommune.tenant_id, tenant_slug=self.kommune.slug, person_id=person,
                        expires_at=2**31 - 1)  # fmt: skip

    async def load_catalogue(self, person: uuid.UUID) -> None:
        page = await self.catalogue.list(self.as_(person), PageRequest(limit=100))
        for area in page.items:
            if area.active:
                self.areas.add(area.key)
                self.categories.update({(area.key, c.name): c.id for c in area.categories if c.active})

    def handled(self, case: Case, public: DeviationPublic) -> None:
        case.id, case.assignee = public.id, public.assignee_id


async def report(maker: Maker, case: Case) -> None:
    text = case.text
    area = text.area if text.area in maker.areas else "tjenestekvalitet"
    body = DeviationCreate(
        kind=text.kind,
        area=area,
        category_id=maker.categories.get((area, text.category or "")),
        title=text.title,
        description=text.description,
        unit_id=case.unit.id,
        occurred_at=case.occurred_at,
        location=text.location.format(rom=case.room) if text.location else None,
        immediate_action=text.immediate_action,
        actual_consequence=case.actual,
        potential_consequence=case.potential,
        persons_involved=text.persons.format(rom=case.room) if text.persons else None,
        personal_data_breach=text.breach,
        anonymous=case.reporter is None,
    )
    reporter = case.reporter or case.unit.employees[0]  # an anonymous report is still sent by an employee
    created = await maker.reporting.report(maker.as_(reporter), body)
    maker.handled(case, created.deviation)


def acknowledge(comment: str | None) -> Act:
    async def act(maker: Maker, case: Case) -> None:
        assert case.id is not None
        maker.handled(
            case, await maker.handling.acknowledge(maker.as_(case.assignee), case.id, Comment(comment=comment))
        )

    return act


def forward(unit_id: uuid.UUID) -> Act:
    async def act(maker: Maker, case: Case) -> None:
        assert case.id is not None
        body = ForwardBody(unit_id=unit_id, comment=maker.phrases.forward)
        maker.handled(case, await maker.handling.forward(maker.as_(case.assignee), case.id, body))

    return act


async def escalate(maker: Maker, case: Case) -> None:
    assert case.id is not None
    body = Comment(comment=maker.phrases.escalate)
    maker.handled(case, await maker.handling.escalate(maker.as_(case.assignee), case.id, body))


def reject(reason: str) -> Act:
    async def act(maker: Maker, case: Case) -> None:
        assert case.id is not None
        maker.handled(case, await maker.handling.reject(maker.as_(case.assignee), case.id, RejectBody(reason=reason)))

    return act


def add_measure(text: MeasureText, owner: uuid.UUID | None, deadline_days: int) -> Act:
    async def act(maker: Maker, case: Case) -> None:
        assert case.id is not None
        deadline = oslo_date(now_utc()) + timedelta(days=deadline_days)
        body = MeasureCreate(description=text.description, owner_id=owner, deadline=deadline,
                             effectiveness_check=text.check)  # fmt: skip
        measure = await maker.measures.add(maker.as_(case.assignee), case.id, body)
        case.measures.append(measure.id)
        case.measure_owners.append(owner)

    return act


def complete_measure(index: int, text: MeasureText) -> Act:
    async def act(maker: Maker, case: Case) -> None:
        assert case.id is not None
        person = case.measure_owners[index] or case.assignee
        body = MeasureComplete(effectiveness_result=text.result)
        await maker.measures.complete(maker.as_(person), case.id, case.measures[index], body)

    return act


def close(conclusion: str) -> Act:
    async def act(maker: Maker, case: Case) -> None:
        assert case.id is not None
        body = CloseBody(conclusion=conclusion)
        maker.handled(case, await maker.handling.close(maker.as_(case.assignee), case.id, body))

    return act


async def reopen(maker: Maker, case: Case) -> None:
    assert case.id is not None
    body = ReopenBody(reason=maker.phrases.reopen_reason)
    maker.handled(case, await maker.handling.reopen(maker.as_(case.assignee), case.id, body))


async def complete_last_measure(maker: Maker, case: Case) -> None:
    await complete_measure(len(case.measures) - 1, maker.phrases.reopen)(maker, case)


# ---- the command ------------------------------------------------------------------------------------------------


async def make_history(sessions: async_sessionmaker[AsyncSession], kommune: DemoKommune, until: datetime) -> int:
    """Every planned step up to ``until``, in the order of time across the kommune, at its own instant."""
    planner = Planner(kommune, until)
    cases = planner.plan()
    if not cases:
        return 0
    maker = Maker(sessions, kommune)
    await maker.load_catalogue(cases[0].unit.employees[0])
    cut: set[int] = set()  # a case whose next step is after ``until`` takes no later step either
    for step in sorted(planner.steps):
        if step.at >= until or step.case in cut:
            cut.add(step.case)
            continue
        with simulated_now(step.at):
            await step.act(maker, cases[step.case])
    return sum(1 for case in cases if case.id is not None)


async def load_kommune(bind: AsyncEngine | AsyncConnection, kommune: DemoKommune, until: datetime) -> int | None:
    """The kommune's history in one transaction; None when it has one already."""
    return await load_once(bind, kommune, COMMAND, make_history, until)


async def load_demo_history(runtime: Runtime) -> None:
    await load_every_demo_kommune(runtime, COMMAND, make_history, lambda made: {"cases": made}, log)
