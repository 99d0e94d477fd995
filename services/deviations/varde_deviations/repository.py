"""Every query of the deviations service, always inside a tenant transaction."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from varde_deviations.models import Deviation


async def get(session: AsyncSession, deviation_id: uuid.UUID) -> Deviation | None:
    return await session.get(Deviation, deviation_id)
