"""Who may do what with one case (sak), from the directory's roles and tree and the case itself.

- the reporter sees their own report, restricted part included;
- the handling chain (the assignee, and the leaders of the handling unit and above) sees and handles it;
- the leaders of the unit where it happened, and above, see it (it may have been forwarded away from them);
- the quality roles over either unit see and follow it up (and may act on it);
- verneombud and tillitsvalgt over the unit see HMS cases, without the restricted part;
- the owner of a measure sees the case, without the restricted part, and completes their measure.

One rule for 404 and 403: whoever may not see the case is told it does not exist (404: its existence is itself
information); whoever sees it but may not do this is told so (403). The lists apply the same rule in SQL
(``repository.page`` with the person's :class:`Reach`), the attachments and the access log through these checks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer, grants
from varde_common.directory_replica import REPLICA_TREE
from varde_common.roles import Role
from varde_deviations import repository
from varde_deviations.domain import HMS_AREA
from varde_deviations.errors import AccessLogForbidden, CatalogueForbidden, DeviationNotFound, HandlingForbidden
from varde_deviations.models import Deviation
from varde_deviations.repository import Reach

authorizer = Authorizer(REPLICA_TREE)


@dataclass(frozen=True)
class CaseAccess:
    read: bool
    restricted: bool  # the persons involved and the attachments
    handle: bool
    follow_up: bool  # a quality role over the case: the access log
    measure_owner: bool  # owns a measure and sees the case only for it
    reporter: bool


def access_by_roles(
    deviation: Deviation, person_id: uuid.UUID, over_unit: set[Role], over_handling: set[Role]
) -> CaseAccess:
    """The rule, from the roles the person holds over the unit where it happened and over the unit handling it.
    A measure they own is not known here: :func:`case_access` asks for it when nothing else lets them read."""
    reporter = deviation.reported_by is not None and deviation.reported_by == person_id
    handler = deviation.assignee_id == person_id or grants(over_handling, Action.HANDLE_DEVIATION)
    line = grants(over_unit, Action.HANDLE_DEVIATION)
    follow_up = grants(over_unit | over_handling, Action.FOLLOW_UP_DEVIATIONS)
    hms = deviation.area == HMS_AREA and grants(over_unit, Action.READ_HMS_DEVIATIONS)
    restricted = reporter or handler or line or follow_up
    return CaseAccess(
        read=restricted or hms,
        restricted=restricted,
        handle=handler or follow_up,
        follow_up=follow_up,
        measure_owner=False,
        reporter=reporter,
    )


async def case_access(session: AsyncSession, person_id: uuid.UUID, deviation: Deviation) -> CaseAccess:
    over_unit = await authorizer.roles_over(session, person_id, deviation.unit_id)
    over_handling = (
        over_unit
        if deviation.handling_unit_id == deviation.unit_id
        else await authorizer.roles_over(session, person_id, deviation.handling_unit_id)
    )
    access = access_by_roles(deviation, person_id, over_unit, over_handling)
    if access.read or not await repository.owns_measure(session, deviation.id, person_id):
        return access
    return replace(access, read=True, measure_owner=True)


async def readable(
    session: AsyncSession, person_id: uuid.UUID, deviation_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Deviation, CaseAccess]:
    """The case and what this person may do with it; 404 when they may not see it."""
    deviation = await repository.get(session, deviation_id, for_update=for_update)
    if deviation is None:
        raise DeviationNotFound()
    access = await case_access(session, person_id, deviation)
    if not access.read:
        raise DeviationNotFound()
    return deviation, access


async def handleable(
    session: AsyncSession, person_id: uuid.UUID, deviation_id: uuid.UUID
) -> tuple[Deviation, CaseAccess]:
    """The case, locked for a change by someone who handles it; 404 or 403 for anyone else."""
    deviation, access = await readable(session, person_id, deviation_id, for_update=True)
    if not access.handle:
        raise HandlingForbidden()
    return deviation, access


async def followed_up(session: AsyncSession, person_id: uuid.UUID, deviation_id: uuid.UUID) -> Deviation:
    """The case for its access log: the quality roles over it see who read its restricted part."""
    deviation, access = await readable(session, person_id, deviation_id)
    if not access.follow_up:
        raise AccessLogForbidden()
    return deviation


async def follow_up_scope(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The units whose cases' access log this person sees (as a quality role), empty for everyone else."""
    return sorted(await authorizer.units_where(session, person_id, Action.FOLLOW_UP_DEVIATIONS))


LIST_ACTIONS = [Action.HANDLE_DEVIATION, Action.FOLLOW_UP_DEVIATIONS, Action.READ_HMS_DEVIATIONS]


async def reach(session: AsyncSession, person_id: uuid.UUID) -> Reach:
    """What this person sees in lists: the same rule as :func:`case_access`, computed once per request."""
    units = await authorizer.units_where_each(session, person_id, LIST_ACTIONS)
    return Reach(
        person_id=person_id,
        leading=frozenset(units[Action.HANDLE_DEVIATION]),
        following_up=frozenset(units[Action.FOLLOW_UP_DEVIATIONS]),
        hms=frozenset(units[Action.READ_HMS_DEVIATIONS]),
    )


async def administers_catalogue(session: AsyncSession, person_id: uuid.UUID) -> None:
    """The catalogue every employee reads is changed by the quality roles and the system administrator: 403."""
    if not await authorizer.units_where(session, person_id, Action.ADMINISTER_CATALOGUE):
        raise CatalogueForbidden()
