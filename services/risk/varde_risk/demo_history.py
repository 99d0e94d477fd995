"""``python -m varde_risk demo-history``: two years of ROS analyses for every demo kommune, made through the
service's own use cases, each step at its own instant (``simulated_now``), so statuses, histories, the matrix and
the figures made from them are true. One transaction per kommune, marked by ``first_run``: a second run adds
nothing.

Every kommune gets each analysis of ``demo_texts.ANALYSES`` at the unit whose name fits it best: started by the
unit's leader with employees and a safety or quality role as participants, its risks registered and rated per
dimension with a target cell, measures with owners and deadlines, sent to and approved by the leader above, and
then, as its fate says, reviewed, taken back for revision or archived. A fixed seed per kommune draws the dates,
so the same kommune gets the same history every time; every step at or after the start of today is dropped. The
service's scheduled jobs run on each Monday morning of the history, so overdue measures and review dates are told
when they fell due.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import OSLO, add_months, now_utc, oslo_date, simulated_now
from varde_common.db import tenant_transaction
from varde_common.demo_kommuner import (
    DemoKommune,
    DemoUnit,
    load_every_demo_kommune,
    load_once,
    working,
)
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.roles import Role
from varde_common.runtime import Runtime
from varde_risk import demo_texts as texts
from varde_risk.approval import ApprovalService
from varde_risk.assessments import AssessmentService
from varde_risk.demo_texts import AnalysisText, Fate, RiskText
from varde_risk.domain import AssessmentKind
from varde_risk.jobs import jobs
from varde_risk.models import AssessmentChange, AssessmentCreate, MeasureCreate, Rating, RiskCreate
from varde_risk.risks import RiskService

log = logging.getLogger("varde.risk.demo_history")
COMMAND = "demo-history"
LANGUAGE: Language = DEFAULT_LANGUAGE
MONTHS = 24
REVIEW_LEAD_DAYS = 30


def leader_unit(kommune: DemoKommune, unit_id: uuid.UUID | None) -> DemoUnit | None:
    """The nearest unit at or above this one that has a leader."""
    while unit_id is not None:
        unit = kommune.unit(unit_id)
        if unit.leader_id is not None:
            return unit
        unit_id = unit.parent_id
    return None


# ---- the plan ---------------------------------------------------------------------------------------------------


@dataclass
class Analysis:
    """One planned analysis and, while it is made, what the use cases answered."""

    text: AnalysisText
    unit: DemoUnit
    creator: uuid.UUID
    owner: uuid.UUID
    approver: uuid.UUID
    participants: list[uuid.UUID]
    id: uuid.UUID | None = None
    risks: dict[int, uuid.UUID] = field(default_factory=dict)  # by its index in the text
    measures: dict[tuple[int, int], uuid.UUID] = field(default_factory=dict)


Act = Callable[["Maker"], Awaitable[None]]


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    act: Act = field(compare=False)


class Planner:
    def __init__(self, kommune: DemoKommune, until: datetime) -> None:
        self.kommune = kommune
        self.until = until
        self.rng = random.Random(f"varde-demo-history/risk/{kommune.slug}")
        self.start = until - timedelta(days=round(MONTHS * 30.44))
        self.steps: list[Step] = []

    def working(self, at: datetime) -> datetime:
        return working(at, self.rng)

    def ago(self, low: float, high: float) -> datetime:
        return self.working(self.until - timedelta(days=self.rng.uniform(low, high)))

    def later(self, after: datetime, low_days: float, high_days: float) -> datetime:
        return self.working(after + timedelta(days=self.rng.uniform(low_days, high_days)))

    def add(self, at: datetime, act: Act) -> datetime:
        self.steps.append(Step(at, len(self.steps), act))
        return at

    def plan(self) -> list[Analysis]:
        analyses = [self.analysis(text) for text in texts.ANALYSES]
        made = [analysis for analysis in analyses if analysis is not None]
        for analysis in made:
            self.plan_analysis(analysis)
        self.plan_job_rounds()
        return made

    def unit_for(self, text: AnalysisText) -> DemoUnit | None:
        """A unit whose name has the first word that fits any, and whose parent's has not (the school, not its
        after-school club); the kommune itself when none fits."""
        for word in text.units:
            fitting = {u.id for u in self.kommune.units if word.lower() in u.name.lower()}
            topmost = [u for u in self.kommune.units if u.id in fitting and u.parent_id not in fitting]
            if topmost:
                return self.rng.choice(topmost)
        return next((u for u in self.kommune.units if u.parent_id is None), None)

    def analysis(self, text: AnalysisText) -> Analysis | None:
        """Where the analysis is made and by whom: the unit's leader owns it and the leader above approves it; for
        the kommune itself the kommunedirektør starts it, a kommunalsjef owns it, and the kommunedirektør approves."""
        unit = self.unit_for(text)
        here = leader_unit(self.kommune, unit.id) if unit is not None else None
        if unit is None or here is None or here.leader_id is None:
            return None
        above = leader_unit(self.kommune, here.parent_id)
        if above is not None and above.leader_id is not None and above.leader_id != here.leader_id:
            creator, owner, approver = here.leader_id, here.leader_id, above.leader_id
        else:
            below = [u for u in self.kommune.units if u.parent_id == here.id and u.leader_id is not None]
            if not below:
                return None
            chosen = self.rng.choice(below).leader_id
            assert chosen is not None
            creator, owner, approver = here.leader_id, chosen, here.leader_id
        return Analysis(text, unit, creator, owner, approver, self.participants(text, unit, owner))

    def participants(self, text: AnalysisText, unit: DemoUnit, owner: uuid.UUID) -> list[uuid.UUID]:
        """The unit's employees, and the safety deputy for an HSE analysis or a quality adviser for the others."""
        role = Role.VERNEOMBUD if text.kind == AssessmentKind.HSE else Role.KVALITETSRADGIVER
        others = [person for person in self.kommune.holders(role) if person != owner]
        chosen = [person for person in unit.employees[:2] if person != owner]
        if others:
            chosen.append(self.rng.choice(others))
        return list(dict.fromkeys(chosen))

    def plan_analysis(self, analysis: Analysis) -> None:
        """The analysis's life by its fate, from the day it was started."""
        fate, rng = analysis.text.fate, self.rng
        started = {
            Fate.DRAFT: self.ago(6, 30),
            Fate.SUBMITTED: self.ago(40, 80),
            Fate.ACTIVE: self.ago(130, 300),
            Fate.REVIEW_DUE: self.ago(390, 400),
            Fate.IN_REVISION: self.ago(400, 430),
            Fate.REVIEW_OVERDUE: self.ago(430, 600),
            Fate.ABANDONED: self.ago(480, 540),
            Fate.REVISED: self.ago(670, 700),
            Fate.ARCHIVED: self.ago(690, 715),
        }[fate]
        ends = {Fate.ARCHIVED: self.ago(200, 280), Fate.ABANDONED: self.ago(400, 440)}.get(fate, self.until)
        self.add(started, create(analysis))
        worked = self.plan_risks(analysis, started, ends)
        if fate == Fate.DRAFT:
            return
        if fate == Fate.ABANDONED:
            self.add(ends, archive(analysis, analysis.owner))  # the project stopped before its analysis was sent
            return
        submitted = self.later(worked, 1, 10)
        if fate == Fate.SUBMITTED:
            self.add(max(submitted, self.ago(3, 12)), submit(analysis))  # the leader above has not got to it yet
            return
        self.add(submitted, submit(analysis))
        approved = self.later(submitted, 2, 14)
        if fate == Fate.REVIEW_DUE:
            approved = max(approved, self.ago(345, 355))  # its review date a year on is within the lead time now
        self.add(approved, approve(analysis))
        if fate == Fate.ARCHIVED:
            self.add(ends, archive(analysis, analysis.approver))
        elif fate in (Fate.REVISED, Fate.IN_REVISION):
            reopened = self.ago(320, 340) if fate == Fate.REVISED else self.ago(5, 20)
            reopened = max(reopened, self.later(approved, 30, 40))
            self.add(reopened, reopen(analysis))
            rated = reopened
            for index, risk_text in enumerate(analysis.text.risks):
                if rng.random() < 0.7:
                    rated = self.add(self.later(rated, 0.5, 4), rate(analysis, index, risk_text))
            if fate == Fate.REVISED:
                changed = self.add(self.later(rated, 1, 5), change_description(analysis))
                submitted = self.add(self.later(changed, 1, 7), submit(analysis))
                self.add(self.later(submitted, 2, 10), approve(analysis))

    def plan_risks(self, analysis: Analysis, started: datetime, ends: datetime) -> datetime:
        """Risks registered over the first weeks by the owner and the participants, each with its measures: owned by
        someone in the group, a deadline weeks or months on, most done near it, some never."""
        rng = self.rng
        at = started
        people = [analysis.owner, *analysis.participants]
        for index, risk_text in enumerate(analysis.text.risks):
            at = self.add(self.later(at, 0.2, 6), register(analysis, index, risk_text, rng.choice(people)))
            added = at
            for number, title in enumerate(risk_text.measures):
                deadline_days, owner = rng.randint(20, 150), rng.choice(people)
                added = self.later(added, 0, 3)
                self.add(added, add_measure(analysis, (index, number), title, owner, deadline_days))
                if rng.random() < 0.18:
                    continue  # nobody got round to it: open, and past its deadline once that has come
                done = self.later(added, deadline_days * 0.35, deadline_days * 1.2)
                if done < ends:
                    self.add(done, complete_measure(analysis, (index, number), owner))
        return at

    def plan_job_rounds(self) -> None:
        """The scheduled jobs on every Monday at 06:00 in Norway, as the worker would have run them."""
        day = oslo_date(self.start)
        day += timedelta(days=(7 - day.weekday()) % 7)
        while True:
            at = datetime.combine(day, datetime.min.time(), tzinfo=OSLO).replace(hour=6).astimezone(UTC)
            if at >= self.until:
                return
            self.add(at, job_round)
            day += timedelta(days=7)


# ---- the steps, each one use case called as the person who takes it ---------------------------------------------


class Maker:
    """The use cases the history is made through, for one kommune, on the sessions of its one transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], kommune: DemoKommune) -> None:
        self.sessions = sessions
        self.kommune = kommune
        self.assessments = AssessmentService(sessions)
        self.approval = ApprovalService(sessions, review_lead_days=REVIEW_LEAD_DAYS)
        self.risks = RiskService(sessions)

    def as_(self, person: uuid.UUID) -> Identity:
        return Identity(tenant_id=self.kommune.tenant_id, tenant_slug=self.kommune.slug, person_id=person,
                        expires_at=2**31 - 1)  # fmt: skip


def known(analysis: Analysis) -> uuid.UUID:
    assert analysis.id is not None
    return analysis.id


def create(analysis: Analysis) -> Act:
    async def act(maker: Maker) -> None:
        text = analysis.text
        review = add_months(oslo_date(now_utc()), text.review_months) if text.review_months else None
        body = AssessmentCreate(
            title=text.title.format(enhet=analysis.unit.name),
            description=text.description,
            kind=text.kind,
            scope_kind=text.scope_kind,
            scope_name=text.scope_name,
            unit_id=analysis.unit.id,
            owner_id=analysis.owner,
            participants=analysis.participants,
            review_due=review,
        )
        made = await maker.assessments.create(maker.as_(analysis.creator), body, LANGUAGE)
        analysis.id = made.id

    return act


def rating_of(text: RiskText, lowered: bool = False) -> dict[str, object]:
    """The rating as the group gave it; ``lowered``: at the review, with the measures done, one step less likely."""
    target_probability, target_consequence = text.target
    probability = max(target_probability, text.probability - 1) if lowered else text.probability
    return {
        "probability": probability,
        "consequences": dict(text.consequences),
        "target_probability": target_probability,
        "target_consequence": target_consequence,
    }


def register(analysis: Analysis, index: int, text: RiskText, person: uuid.UUID) -> Act:
    async def act(maker: Maker) -> None:
        body = RiskCreate.model_validate(
            {"title": text.title, "causes": list(text.causes), "barriers": list(text.barriers), **rating_of(text)}
        )
        made = await maker.risks.register(maker.as_(person), known(analysis), body, LANGUAGE)
        analysis.risks[index] = made.id

    return act


def rate(analysis: Analysis, index: int, text: RiskText) -> Act:
    async def act(maker: Maker) -> None:
        body = Rating.model_validate(rating_of(text, lowered=True))
        await maker.risks.rate(maker.as_(analysis.owner), known(analysis), analysis.risks[index], body, LANGUAGE)

    return act


def add_measure(analysis: Analysis, key: tuple[int, int], title: str, owner: uuid.UUID, deadline_days: int) -> Act:
    async def act(maker: Maker) -> None:
        deadline = oslo_date(now_utc()) + timedelta(days=deadline_days)
        body = MeasureCreate(title=title, owner_id=owner, deadline=deadline)
        risk = analysis.risks[key[0]]
        analysis.measures[key] = (await maker.risks.add_measure(maker.as_(analysis.owner), known(analysis), risk,
                                                                body)).id  # fmt: skip

    return act


def complete_measure(analysis: Analysis, key: tuple[int, int], owner: uuid.UUID) -> Act:
    """Done by the one who owns the measure."""

    async def act(maker: Maker) -> None:
        risk, measure = analysis.risks[key[0]], analysis.measures[key]
        await maker.risks.complete_measure(maker.as_(owner), known(analysis), risk, measure)

    return act


def submit(analysis: Analysis) -> Act:
    async def act(maker: Maker) -> None:
        await maker.approval.submit(maker.as_(analysis.owner), known(analysis), LANGUAGE)

    return act


def approve(analysis: Analysis) -> Act:
    async def act(maker: Maker) -> None:
        await maker.approval.approve(maker.as_(analysis.approver), known(analysis), LANGUAGE)

    return act


def reopen(analysis: Analysis) -> Act:
    async def act(maker: Maker) -> None:
        await maker.approval.reopen(maker.as_(analysis.owner), known(analysis), LANGUAGE)

    return act


def change_description(analysis: Analysis) -> Act:
    async def act(maker: Maker) -> None:
        body = AssessmentChange(description=f"{analysis.text.description}\n\n{texts.REVISION_NOTE}")
        await maker.assessments.change(maker.as_(analysis.owner), known(analysis), body, LANGUAGE)

    return act


def archive(analysis: Analysis, person: uuid.UUID) -> Act:
    async def act(maker: Maker) -> None:
        await maker.approval.archive(maker.as_(person), known(analysis), LANGUAGE)

    return act


async def job_round(maker: Maker) -> None:
    """One round of every job, in one transaction (the worker gives each its own; the effect is the same)."""
    async with tenant_transaction(maker.sessions, maker.kommune.tenant_id) as session:
        for job in jobs(REVIEW_LEAD_DAYS):
            await job.run(session, maker.kommune.tenant_id)


# ---- the command ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    analyses: int
    risks: int


async def make_history(sessions: async_sessionmaker[AsyncSession], kommune: DemoKommune, until: datetime) -> Made:
    """Every planned step before ``until``, in the order of time across the kommune, at its own instant."""
    planner = Planner(kommune, until)
    analyses = planner.plan()
    maker = Maker(sessions, kommune)
    for step in sorted(planner.steps):
        if step.at >= until:
            break
        with simulated_now(step.at):
            await step.act(maker)
    made = [analysis for analysis in analyses if analysis.id is not None]
    return Made(analyses=len(made), risks=sum(len(analysis.risks) for analysis in made))


async def load_kommune(bind: AsyncEngine | AsyncConnection, kommune: DemoKommune, until: datetime) -> Made | None:
    """The kommune's history in one transaction; None when it has one already."""
    return await load_once(bind, kommune, COMMAND, make_history, until)


async def load_demo_history(runtime: Runtime) -> None:
    await load_every_demo_kommune(
        runtime, COMMAND, make_history, lambda made: {"analyses": made.analyses, "risks": made.risks}, log
    )
