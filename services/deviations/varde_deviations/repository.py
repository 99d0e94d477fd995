"""Every query of the deviations service, always inside a tenant transaction."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import replica_org_unit
from varde_deviations.models import Deviation


async def get(session: AsyncSession, deviation_id: uuid.UUID) -> Deviation | None:
    return await session.get(Deviation, deviation_id)


async def unit_leaders_up_the_line(session: AsyncSession, unit_id: uuid.UUID) -> set[uuid.UUID]:
    """Leaders of the unit and of every unit above it (the handling chain)."""
    units = replica_org_unit
    chain = (
        sa.select(units.c.id, units.c.parent_id, units.c.leader_person_id)
        .where(units.c.id == unit_id)
        .cte("chain", recursive=True)
    )
    chain = chain.union_all(
        sa.select(units.c.id, units.c.parent_id, units.c.leader_person_id).join(chain, units.c.id == chain.c.parent_id)
    )
    rows = await session.execute(sa.select(chain.c.leader_person_id).where(chain.c.leader_person_id.is_not(None)))
    return {row[0] for row in rows}
