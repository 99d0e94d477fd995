"""Use cases of risk assessments (ROS-analyser) as records: start one, read it, list those a person may read,
change its details, and read its history. Sending, approving, reopening and archiving are in ``approval``.

Each use case owns its transaction and writes its history and its events in it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action
from varde_common.calendar import oslo_date
from varde_common.db import tenant_transaction
from varde_common.directory_replica import find_unit, names_of, subtree
from varde_common.events import RiskAssessmentCreated
from varde_common.identity import Identity
from varde_common.language import Language
from varde_common.outbox import add_events
from varde_common.pages import PageRequest, keyset, page_of
from varde_risk import repository
from varde_risk.access import AssessmentAccess, authorizer, reading_units, visible, workable
from varde_risk.domain import AssessmentStatus, HistoryAction
from varde_risk.errors import OwningNotAllowed, UnknownUnit
from varde_risk.links import linked
from varde_risk.models import (
    AssessmentChange,
    AssessmentCreate,
    AssessmentPage,
    AssessmentPublic,
    Clock,
    HistoryPage,
    RiskAssessment,
    now,
)
from varde_risk.records import SOURCE, facts, record
from varde_risk.views import (
    Reading,
    assessment_public,
    detail_people,
    history_entry,
    people_of,
    summary,
)


async def load_public(
    session: AsyncSession, assessment: RiskAssessment, access: AssessmentAccess, language: Language, at: datetime
) -> AssessmentPublic:
    """The assessment as its reader sees it at ``at``, with its risks, measures, links and the names of its
    people."""
    risks = await repository.risks_of(session, assessment.id)
    measures = await repository.measures_of(session, assessment.id)
    matrix, _ = await repository.kommune_matrix(session)
    links = await linked(session, risks)
    names = await names_of(session, people=people_of(assessment, measures), units=[assessment.unit_id])
    reading = Reading(matrix, links, oslo_date(at), language, names)
    return assessment_public(assessment, access, risks, measures, reading)


class AssessmentService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now) -> None:
        self.sessions = sessions
        self.clock = clock

    async def create(self, identity: Identity, body: AssessmentCreate, language: Language) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await find_unit(session, body.unit_id)
            if unit is None or unit.closed:
                raise UnknownUnit()
            if not await authorizer.may(session, identity.person_id, Action.OWN_RISK, body.unit_id):
                raise OwningNotAllowed()
            at = self.clock()
            assessment = RiskAssessment(
                tenant_id=identity.tenant_id,
                number=await repository.next_assessment_number(session, identity.tenant_id),
                title=body.title,
                description=body.description,
                kind=body.kind,
                scope_kind=body.scope_kind,
                scope_name=body.scope_name,
                unit_id=body.unit_id,
                owner_id=body.owner_id or identity.person_id,
                participants=list(dict.fromkeys(body.participants)),
                review_due=body.review_due,
                created_by=identity.person_id,
                created_at=at,
                updated_at=at,
            )
            session.add(assessment)
            await session.flush()
            record(session, assessment, identity.person_id, HistoryAction.CREATED, at, kind=body.kind)
            event = RiskAssessmentCreated(
                **facts(assessment, at), created_by=identity.person_id, review_due=body.review_due
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            access = AssessmentAccess(read=True, work=True, approve=False, archive=True)
            return await load_public(session, assessment, access, language, at)

    async def get(self, identity: Identity, assessment_id: uuid.UUID, language: Language) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await visible(session, identity.person_id, assessment_id)
            return await load_public(session, assessment, access, language, self.clock())

    async def list_assessments(
        self,
        identity: Identity,
        page: PageRequest,
        language: Language,
        *,
        status: AssessmentStatus | None = None,
        unit_id: uuid.UUID | None = None,
        awaiting_approval: bool | None = None,
    ) -> AssessmentPage:
        """A page of the assessments the person may read, by title: in the units where they read risk (or below
        ``unit_id``), and those they own or take part in."""
        after = keyset(page, str, uuid.UUID)
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessments = await repository.assessment_page(
                session,
                person_id=identity.person_id,
                reach=await reading_units(session, identity.person_id),
                scope=await subtree(session, unit_id) if unit_id is not None else None,
                status=status,
                awaiting_approval=awaiting_approval,
                after=after,
                limit=page.limit + 1,
            )
            shown, next_cursor = page_of(assessments, page.limit, lambda a: (a.title, a.id))
            counts = await repository.risk_counts(session, [a.id for a in shown])
            names = await names_of(session, people=(a.owner_id for a in shown), units=(a.unit_id for a in shown))
            items = [summary(a, counts.get(a.id, (0, 0)), language=language, names=names) for a in shown]
            return AssessmentPage(items=items, next_cursor=next_cursor)

    async def change(
        self, identity: Identity, assessment_id: uuid.UUID, body: AssessmentChange, language: Language
    ) -> AssessmentPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            assessment, access = await workable(session, identity.person_id, assessment_id)
            changes = body.model_dump(exclude_unset=True)
            if "participants" in changes:
                changes["participants"] = list(dict.fromkeys(changes["participants"]))
            at = self.clock()
            for name, value in changes.items():
                setattr(assessment, name, value)
            assessment.updated_at = at
            session.add(assessment)
            record(session, assessment, identity.person_id, HistoryAction.CHANGED, at, changed=sorted(changes))
            return await load_public(session, assessment, access, language, at)

    async def history(
        self, identity: Identity, assessment_id: uuid.UUID, page: PageRequest, language: Language
    ) -> HistoryPage:
        """Every step of the assessment in the order it happened, a page at a time, with the names of the people."""
        key = keyset(page, int)
        after = key[0] if key else None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await visible(session, identity.person_id, assessment_id)
            entries = await repository.history_page(session, assessment_id, after=after, limit=page.limit + 1)
            shown, next_cursor = page_of(entries, page.limit, lambda h: (h.id,))
            names = await names_of(session, people=[*(h.actor_id for h in shown), *detail_people(shown)])
            return HistoryPage(
                items=[history_entry(h, language=language, names=names) for h in shown], next_cursor=next_cursor
            )
