"""``python -m varde_documents demo-history``: two years of documents for every demo kommune, made through the
service's own use cases, each step at its own instant (``simulated_now``), so versions, approvals, reading lists and
the coverage made from them are true. One transaction per kommune, marked by ``first_run``: a second run adds
nothing.

The plan is drawn from a fixed seed per kommune over its units and people (by name), so the same kommune gets the
same documents every time: about a hundred procedures, guidelines, forms and plans, most approved in two or three
versions by the leader the approval asks, some sent back with a comment first; each approval asks the audience to
read, and most confirm within days. Some documents are still drafts or wait in the approval queue, a few are
archived, and a few are overdue for revision or due soon. Everything is planned to its end and cut at the start of
today.
"""

from __future__ import annotations

import heapq
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import OSLO, add_months, now_utc, oslo_date, simulated_now
from varde_common.db import tenant_transaction
from varde_common.demo_kommuner import DemoKommune, DemoUnit, load_every_demo_kommune, load_once, working
from varde_common.events import DocumentApproved
from varde_common.identity import Identity
from varde_common.pages import PageRequest
from varde_common.roles import Role
from varde_common.runtime import Runtime
from varde_documents import demo_texts as texts
from varde_documents import reading_queries
from varde_documents.coverage import CoverageService
from varde_documents.demo_procedures import ALL_TEXTS
from varde_documents.demo_texts import DocumentText
from varde_documents.documents import DocumentService
from varde_documents.domain import DocumentKind
from varde_documents.folders import FolderService
from varde_documents.models import (
    Audience,
    AudienceEntry,
    DocumentCreate,
    DraftCreate,
    DraftEdit,
    FolderCreate,
    StillValid,
    VersionRejection,
)
from varde_documents.reading import ReadingService
from varde_documents.revision import RevisionService
from varde_documents.versions import VersionService

log = logging.getLogger("varde.documents.demo_history")
COMMAND = "demo-history"
MONTHS = 24
TOP_UNITS = ("kommune", "kommunalsjefsomrade")
WRITERS = (Role.KVALITETSRADGIVER, Role.KVALITETSKOORDINATOR, Role.TILRETTELEGGER)
# Who reads a kommune-wide document: the leaders of the sectors and of the virksomheter, who take it on.
LEADERS = (Role.KOMMUNALSJEF, Role.VIRKSOMHETSLEDER)


# ---- the plan ---------------------------------------------------------------------------------------------------


@dataclass
class Doc:
    """One planned document and, while it is made, what the use cases answered."""

    number: int
    text: DocumentText
    unit: DemoUnit
    author: uuid.UUID
    approver: uuid.UUID
    id: uuid.UUID | None = None
    draft: uuid.UUID | None = None  # the version being written or decided
    in_force: dict[int, uuid.UUID] = field(default_factory=dict)  # approved versions by number
    ends: dict[int, datetime] = field(default_factory=dict)  # when a version stops being the one to read


Act = Callable[["Maker", Doc], Awaitable[None]]


@dataclass(order=True)
class Step:
    at: datetime
    doc: int
    order: int
    act: Act = field(compare=False)


@dataclass(frozen=True)
class Content:
    """What the next version of a document says: the template, with what its revisions added."""

    revisions: int = 0
    changes: tuple[texts.Change, ...] = ()
    fixes: tuple[str, ...] = ()

    def markdown(self, doc: Doc) -> str:
        return texts.body(doc.text, doc.unit.name, revisions=self.revisions, changes=self.changes, fixes=self.fixes)


def line_of(kommune: DemoKommune, unit: DemoUnit) -> list[DemoUnit]:
    """The unit and the units above it, nearest first."""
    found = [unit]
    while found[-1].parent_id is not None and len(found) < 20:
        found.append(kommune.unit(found[-1].parent_id))
    return found


class Planner:
    def __init__(self, kommune: DemoKommune, until: datetime) -> None:
        self.kommune = kommune
        self.until = until
        self.rng = random.Random(f"varde-demo-history/documents/{kommune.slug}")
        self.start = until - timedelta(days=round(MONTHS * 30.44))
        self.steps: list[Step] = []
        self.order = 0

    def later(self, after: datetime, hours: float) -> datetime:
        return working(after + timedelta(hours=hours, minutes=self.rng.randint(5, 55)), self.rng)

    def add(self, doc: Doc, at: datetime, act: Act) -> datetime:
        self.order += 1
        self.steps.append(Step(at, doc.number, self.order, act))
        return at

    def writers_over(self, unit: DemoUnit) -> list[uuid.UUID]:
        line = {u.id for u in line_of(self.kommune, unit)}
        return [p for role in WRITERS for p in self.kommune.holders(role)
                if any(r == role and u in line for r, u in self.kommune.roles.get(p, ()))]  # fmt: skip

    def candidates(self) -> list[tuple[DocumentText, DemoUnit]]:
        roots = [u for u in self.kommune.units if u.parent_id is None]
        found = [(text, roots[0]) for text in texts.TEXTS if text.setting == "kommune"] if roots else []
        for unit in self.kommune.units:
            if unit.unit_type not in TOP_UNITS:
                setting = texts.setting_of(unit.name)
                found += [(text, unit) for text in (*texts.TEXTS, *ALL_TEXTS) if text.setting in (setting, "alle")]
        return found

    def people_for(self, text: DocumentText, unit: DemoUnit) -> tuple[uuid.UUID, uuid.UUID] | None:
        """Who writes the document and the leader who approves it: the nearest above the unit who did not."""
        writers = self.writers_over(unit)
        leaders = [u.leader_id for u in line_of(self.kommune, unit) if u.leader_id is not None]
        if not leaders:
            return None
        if text.setting == "kommune" or (writers and self.rng.random() < 0.35):
            if not writers:
                return None
            author = writers[0] if text.setting == "kommune" else self.rng.choice(writers)
        else:
            author = leaders[0]
        approver = next((leader for leader in leaders if leader != author), None)
        return (author, approver) if approver is not None else None

    def plan(self) -> list[Doc]:
        rng = self.rng
        every = self.candidates()
        kommune_wide = [pair for pair in every if pair[0].setting == "kommune"]
        local = [pair for pair in every if pair[0].setting != "kommune"]
        chosen = kommune_wide + rng.sample(local, min(len(local), rng.randint(92, 102)))
        days = (self.until - self.start).days
        # Most documents came over from the old system in the first half year; new ones since.
        weights = [3.0 if day < 180 else 1.0 for day in range(days)]
        created = sorted(rng.choices(range(days), weights=weights, k=len(chosen)))
        docs: list[Doc] = []
        for (text, unit), day in zip(chosen, created, strict=True):
            people = self.people_for(text, unit)
            if people is None:
                continue
            doc = Doc(len(docs), text, unit, people[0], people[1])
            docs.append(doc)
            self.plan_document(doc, self.start + timedelta(days=day))
        return docs

    def plan_document(self, doc: Doc, created: datetime) -> None:
        rng, until = self.rng, self.until
        fate = rng.random()
        if fate < 0.06:  # still a draft
            self.add(doc, working(until - timedelta(days=rng.uniform(3, 90)), rng), create(Content()))
            return
        if fate < 0.12:  # waiting in the approval queue
            at = self.add(doc, working(until - timedelta(days=rng.uniform(8, 50)), rng), create(Content()))
            at = self.add(doc, self.later(at, rng.uniform(0.1, 2)), set_audience)
            self.add(doc, self.later(at, rng.uniform(2, 24 * 5)), submit)
            return
        at = self.add(doc, working(created, rng), create(Content()))
        at = self.add(doc, self.later(at, rng.uniform(0.1, 2)), set_audience)
        approved, content = self.plan_approval(doc, 1, at, Content())
        versions = 1
        for number in range(2, rng.choices((1, 2, 3), weights=(30, 42, 28))[0] + 1):
            started = self.later(approved, 24 * rng.uniform(80, 300))
            if started >= until:
                break
            content = self.next_content(content, number)
            self.add(doc, started, new_draft(content, number))
            approved, content = self.plan_approval(doc, number, started, content)
            doc.ends[number - 1] = approved
            versions = number
        ending = rng.choices(("kept", "archived", "draft", "queued", "neglected"), weights=(74, 6, 6, 7, 7))[0]
        if ending == "archived":
            at = self.later(approved, 24 * rng.uniform(40, 300))
            doc.ends[versions] = self.add(doc, at, archive)
            return
        cycle = self.plan_revisions(doc, approved, neglected=ending == "neglected")
        if ending in ("draft", "queued"):
            at = working(until - timedelta(days=rng.uniform(4, 40)), rng)
            if at > cycle + timedelta(days=3):
                content = self.next_content(content, versions + 1)
                at = self.add(doc, at, new_draft(content, versions + 1))
                if ending == "queued":
                    self.add(doc, self.later(at, rng.uniform(1, 48)), submit)

    def next_content(self, content: Content, number: int) -> Content:
        if number == 2:
            return Content(1, content.changes, content.fixes)
        return Content(content.revisions, (*content.changes, self.rng.choice(texts.CHANGES)), content.fixes)

    def plan_approval(self, doc: Doc, number: int, drafted: datetime, content: Content) -> tuple[datetime, Content]:
        """Sent for approval, maybe back with a comment and mended first, approved, and the audience asked; when,
        and what the approved version says."""
        rng = self.rng
        at = self.add(doc, self.later(drafted, rng.uniform(2, 24 * 8)), submit)
        if rng.random() < 0.18:
            comment, fix = rng.choice(texts.REJECTIONS)
            at = self.add(doc, self.later(at, rng.lognormvariate(3, 0.8)), reject(comment))
            content = Content(content.revisions, content.changes, (*content.fixes, fix))
            at = self.add(doc, self.later(at, rng.uniform(2, 72)), edit(content))
            at = self.add(doc, self.later(at, rng.uniform(0.2, 24)), submit)
        approved = self.add(doc, self.later(at, rng.lognormvariate(3.2, 0.9)), approve(number))
        self.add(doc, approved + timedelta(minutes=rng.randint(2, 25)), ask_readers(number))
        return approved, content

    def plan_revisions(self, doc: Doc, approved: datetime, *, neglected: bool) -> datetime:
        """The revision owner confirms each year that the version in force still holds, mostly before it is due;
        a neglected document is left overdue once it falls due. The last cycle's start."""
        rng, cycle = self.rng, approved
        interval = 24 if doc.text.kind == DocumentKind.PLAN else 12
        while True:
            due = datetime.combine(add_months(oslo_date(cycle), interval), datetime.min.time(), tzinfo=OSLO)
            if neglected and due < self.until:
                return cycle
            at = working(due - timedelta(days=rng.uniform(-12, 25)), rng)
            if at >= self.until:
                return cycle
            cycle = self.add(doc, at, still_valid(rng.choice(texts.STILL_VALID_COMMENTS)))


# ---- the steps, each one use case called as the person who takes it ---------------------------------------------


class Maker:
    """The use cases the history is made through, for one kommune, on the sessions of its one transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], kommune: DemoKommune, until: datetime) -> None:
        self.sessions = sessions
        self.kommune = kommune
        self.until = until
        self.documents = DocumentService(sessions)
        self.versions = VersionService(sessions, comparer=self.documents.worker)
        self.reading = ReadingService(sessions)
        self.coverage = CoverageService(sessions)
        self.revision = RevisionService(sessions, worker=self.documents.worker)
        self.folders: dict[str, uuid.UUID] = {}
        self.queue: list[Step] = []
        self.order = 0
        self.confirmations = 0

    def as_(self, person: uuid.UUID) -> Identity:
        return Identity(tenant_id=self.kommune.tenant_id, tenant_slug=self.kommune.slug, person_id=person,
                        expires_at=2**31 - 1)  # fmt: skip

    async def make_folders(self, person: uuid.UUID) -> None:
        service = FolderService(self.sessions)
        for name in texts.FOLDERS:
            self.folders[name] = (await service.create(self.as_(person), FolderCreate(name=name))).id

    def later(self, doc: Doc, at: datetime, act: Act) -> None:
        self.order += 1
        heapq.heappush(self.queue, Step(at, doc.number, self.order, act))

    async def deliver_approval(self, version_id: uuid.UUID) -> None:
        """The worker's side of the approval, as Kafka would drive it: the event from the outbox, under the id the
        relay publishes it with, so the worker that receives it later finds it done (the inbox)."""
        async with tenant_transaction(self.sessions, self.kommune.tenant_id) as session:
            envelope = await reading_queries.approval_envelope(session, version_id)
        await self.reading.ask_audience(envelope, DocumentApproved.model_validate(envelope.data))

    async def not_read(self, doc: Doc) -> list[uuid.UUID]:
        """Who has not confirmed the version in force, by name: the coverage its writer sees."""
        assert doc.id is not None
        found: list[uuid.UUID] = []
        cursor: str | None = None
        while True:
            page = PageRequest(limit=100, cursor=cursor)
            coverage = await self.coverage.of_document(self.as_(doc.author), doc.id, None, page)
            found += [reader.person_id for reader in coverage.not_read.items]
            cursor = coverage.not_read.next_cursor
            if cursor is None:
                return found


def create(content: Content) -> Act:
    async def act(maker: Maker, doc: Doc) -> None:
        text = doc.text
        body = DocumentCreate(
            title=text.title.format(enhet=doc.unit.name),
            kind=text.kind,
            owner_unit_id=doc.unit.id,
            folder_id=maker.folders.get(text.folder),
            tags=list(text.tags),
            law_references=list(text.laws),
            revision_interval_months=24 if text.kind == DocumentKind.PLAN else 12,
            content=content.markdown(doc),
            change_summary=texts.DRAFT_SUMMARIES[doc.number % len(texts.DRAFT_SUMMARIES)],
        )
        created = await maker.documents.create(maker.as_(doc.author), body)
        doc.id = created.id
        doc.draft = next(v.id for v in created.versions)

    return act


async def set_audience(maker: Maker, doc: Doc) -> None:
    """Those who work in the owning unit and below; a kommune-wide document is read by the leaders (``LEADERS``)."""
    assert doc.id is not None
    if doc.text.setting == "kommune":
        body = Audience(entries=[AudienceEntry(role=role) for role in LEADERS], reading_days=30)
    else:
        body = Audience(entries=[AudienceEntry(unit_id=doc.unit.id)], reading_days=14)
    await maker.reading.set_audience(maker.as_(doc.author), doc.id, body)


async def submit(maker: Maker, doc: Doc) -> None:
    assert doc.id is not None
    assert doc.draft is not None
    await maker.versions.submit(maker.as_(doc.author), doc.id, doc.draft)


def reject(comment: str) -> Act:
    async def act(maker: Maker, doc: Doc) -> None:
        assert doc.id is not None
        assert doc.draft is not None
        await maker.versions.reject(maker.as_(doc.approver), doc.id, doc.draft, VersionRejection(comment=comment))

    return act


def edit(content: Content) -> Act:
    async def act(maker: Maker, doc: Doc) -> None:
        assert doc.id is not None
        assert doc.draft is not None
        body = DraftEdit(content=content.markdown(doc), change_summary="Rettet etter tilbakemelding")
        await maker.versions.edit_draft(maker.as_(doc.author), doc.id, doc.draft, body)

    return act


def new_draft(content: Content, number: int) -> Act:
    change = content.changes[-1] if number > 2 else None
    summary = change.summary if change else None
    significant = change.significant if change else True

    async def act(maker: Maker, doc: Doc) -> None:
        assert doc.id is not None
        body = DraftCreate(content=content.markdown(doc), change_summary=summary or doc.text.addition_summary,
                           significant=significant)  # fmt: skip
        doc.draft = (await maker.versions.new_draft(maker.as_(doc.author), doc.id, body)).id

    return act


def approve(number: int) -> Act:
    async def act(maker: Maker, doc: Doc) -> None:
        assert doc.id is not None
        assert doc.draft is not None
        await maker.versions.approve(maker.as_(doc.approver), doc.id, doc.draft)
        doc.in_force[number], doc.draft = doc.draft, None

    return act


def ask_readers(number: int) -> Act:
    """The audience is asked; each reader confirms at their own instant, a few days later mostly, some after the
    deadline, some never, and nobody after the version has stopped being the one in force."""

    async def act(maker: Maker, doc: Doc) -> None:
        version = doc.in_force[number]
        await maker.deliver_approval(version)
        rng = random.Random(f"varde-demo-history/documents/{maker.kommune.slug}/{doc.number}/{number}")
        ends = min(doc.ends.get(number, maker.until), maker.until)
        asked = now_utc()
        for person in await maker.not_read(doc):
            if rng.random() < 0.1:
                continue
            at = working(asked + timedelta(days=rng.lognormvariate(1.1, 0.9)), rng)
            if at < ends:
                maker.later(doc, at, confirm(version, person))

    return act


def confirm(version: uuid.UUID, person: uuid.UUID) -> Act:
    async def act(maker: Maker, doc: Doc) -> None:
        assert doc.id is not None
        await maker.reading.confirm(maker.as_(person), doc.id, version)
        maker.confirmations += 1

    return act


async def archive(maker: Maker, doc: Doc) -> None:
    assert doc.id is not None
    await maker.documents.archive(maker.as_(doc.approver), doc.id)


def still_valid(comment: str | None) -> Act:
    async def act(maker: Maker, doc: Doc) -> None:
        assert doc.id is not None
        await maker.revision.confirm_still_valid(maker.as_(doc.author), doc.id, StillValid(comment=comment))

    return act


# ---- the command ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    documents: int
    versions: int
    confirmations: int


async def make_history(sessions: async_sessionmaker[AsyncSession], kommune: DemoKommune, until: datetime) -> Made:
    """Every planned step up to ``until``, in the order of time across the kommune, at its own instant; the
    readers' confirmations are planned when their reading list is made."""
    planner = Planner(kommune, until)
    docs = planner.plan()
    if not docs:
        return Made(0, 0, 0)
    maker = Maker(sessions, kommune, until)
    with simulated_now(planner.start):
        await maker.make_folders(docs[0].author)
    maker.queue = list(planner.steps)
    maker.order = planner.order
    heapq.heapify(maker.queue)
    try:
        while maker.queue:
            step = heapq.heappop(maker.queue)
            if step.at >= until:
                break
            with simulated_now(step.at):
                await step.act(maker, docs[step.doc])
    finally:
        maker.documents.worker.close()
    made = [doc for doc in docs if doc.id is not None]
    return Made(len(made), sum(len(doc.in_force) for doc in made), maker.confirmations)


async def load_kommune(bind: AsyncEngine | AsyncConnection, kommune: DemoKommune, until: datetime) -> Made | None:
    """The kommune's history in one transaction; None when it has one already."""
    return await load_once(bind, kommune, COMMAND, make_history, until)


async def load_demo_history(runtime: Runtime) -> None:
    await load_every_demo_kommune(runtime, COMMAND, make_history, lambda made: vars(made), log)
