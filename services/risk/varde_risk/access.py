"""Who may do what with one risk assessment, from the directory's roles and tree and the assessment itself.

- the owner, the participants and the leaders over the unit work on it (risks, ratings, measures);
- the leaders and the quality roles over the unit read it, as do those who work on it;
- a leader over the unit who is not its owner approves it (the owner's leader level), and archives it, as the
  owner may.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer, grants
from varde_common.directory_replica import REPLICA_TREE
from varde_risk import repository
from varde_risk.domain import AssessmentStatus
from varde_risk.errors import AssessmentArchived, AssessmentNotFound, AssessmentReadOnly
from varde_risk.models import RiskAssessment

authorizer = Authorizer(REPLICA_TREE)


@dataclass(frozen=True)
class AssessmentAccess:
    read: bool
    work: bool  # risks, ratings, measures, details
    approve: bool
    archive: bool


async def assessment_access(
    session: AsyncSession, person_id: uuid.UUID, assessment: RiskAssessment
) -> AssessmentAccess:
    roles = await authorizer.roles_over(session, person_id, assessment.unit_id)
    involved = person_id in (assessment.owner_id, assessment.created_by) or person_id in assessment.participants
    work = involved or grants(roles, Action.OWN_RISK)
    approve = grants(roles, Action.APPROVE_RISK) and person_id != assessment.owner_id
    return AssessmentAccess(
        read=work or grants(roles, Action.READ_RISK),
        work=work,
        approve=approve,
        archive=approve or person_id == assessment.owner_id,
    )


async def reading_units(session: AsyncSession, person_id: uuid.UUID) -> set[uuid.UUID]:
    """The units in which the person reads every assessment by a role (``assessment_access``: reading risk, or
    owning it there); a list adds those they made, own or take part in (``repository.assessment_page``)."""
    reach = await authorizer.units_where_each(session, person_id, [Action.READ_RISK, Action.OWN_RISK])
    return reach[Action.READ_RISK] | reach[Action.OWN_RISK]


async def visible(
    session: AsyncSession, person_id: uuid.UUID, assessment_id: uuid.UUID, *, for_update: bool = False
) -> tuple[RiskAssessment, AssessmentAccess]:
    """The assessment and what the person may do with it; 404 when they may not even know of it."""
    assessment = await repository.get_assessment(session, assessment_id, for_update=for_update)
    if assessment is None:
        raise AssessmentNotFound()
    access = await assessment_access(session, person_id, assessment)
    if not access.read:
        raise AssessmentNotFound()
    return assessment, access


async def workable(
    session: AsyncSession, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> tuple[RiskAssessment, AssessmentAccess]:
    """The assessment, locked, for someone who works on it: 403 for a reader, 409 once it is archived."""
    assessment, access = await visible(session, person_id, assessment_id, for_update=True)
    if not access.work:
        raise AssessmentReadOnly()
    if assessment.status == AssessmentStatus.ARCHIVED:
        raise AssessmentArchived(assessment_status=assessment.status)
    return assessment, access


async def may_administer_kommune(session: AsyncSession, person_id: uuid.UUID) -> bool:
    """The kommune's acceptance criteria are changed by those who administer its catalogues (the quality roles and
    the system administrator) at the top of its tree."""
    for root in await repository.top_units(session):
        if await authorizer.may(session, person_id, Action.ADMINISTER_CATALOGUE, root):
            return True
    return False
