"""Who may do what with one case (sak), from the directory's roles and tree and the case itself.

- the reporter sees their own report, restricted part included;
- the handling chain (the assignee, and the leaders of the handling unit and above) sees and handles it;
- the leaders of the unit where it happened, and above, see it (it may have been forwarded away from them);
- the quality roles over either unit see and follow it up (and may act on it);
- verneombud and tillitsvalgt over the unit see HMS cases, without the restricted part;
- the owner of a measure sees the case, without the restricted part, and completes their measure.
Anyone else is told the case does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer, grants
from varde_common.directory_replica import REPLICA_TREE
from varde_deviations import repository
from varde_deviations.domain import HMS_AREA
from varde_deviations.models import Deviation
from varde_deviations.repository import Reach

authorizer = Authorizer(REPLICA_TREE)


@dataclass(frozen=True)
class CaseAccess:
    read: bool
    restricted: bool
    handle: bool
    follow_up: bool
    measure_owner: bool
    reporter: bool


async def case_access(session: AsyncSession, person_id: uuid.UUID, deviation: Deviation) -> CaseAccess:
    over_unit = await authorizer.roles_over(session, person_id, deviation.unit_id)
    over_handling = (
        over_unit
        if deviation.handling_unit_id == deviation.unit_id
        else await authorizer.roles_over(session, person_id, deviation.handling_unit_id)
    )
    reporter = deviation.reported_by is not None and deviation.reported_by == person_id
    handler = deviation.assignee_id == person_id or grants(over_handling, Action.HANDLE_DEVIATION)
    line = grants(over_unit, Action.HANDLE_DEVIATION)
    follow_up = grants(over_unit | over_handling, Action.FOLLOW_UP_DEVIATIONS)
    hms = deviation.area == HMS_AREA and grants(over_unit, Action.READ_HMS_DEVIATIONS)
    restricted = reporter or handler or line or follow_up
    measure_owner = False if restricted or hms else await repository.owns_measure(session, deviation.id, person_id)
    return CaseAccess(
        read=restricted or hms or measure_owner,
        restricted=restricted,
        handle=handler or follow_up,
        follow_up=follow_up,
        measure_owner=measure_owner,
        reporter=reporter,
    )


LIST_ACTIONS = [Action.HANDLE_DEVIATION, Action.FOLLOW_UP_DEVIATIONS, Action.READ_HMS_DEVIATIONS]


async def reach(session: AsyncSession, person_id: uuid.UUID) -> Reach:
    units = await authorizer.units_where_each(session, person_id, LIST_ACTIONS)
    return Reach(
        person_id=person_id,
        leading=frozenset(units[Action.HANDLE_DEVIATION]),
        following_up=frozenset(units[Action.FOLLOW_UP_DEVIATIONS]),
        hms=frozenset(units[Action.READ_HMS_DEVIATIONS]),
    )
