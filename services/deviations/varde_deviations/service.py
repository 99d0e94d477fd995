"""Use cases of deviations. A use case owns its transaction and writes its events to the outbox in it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import ROLE_ACTIONS, Action, Authorizer
from varde_common.db import tenant_transaction
from varde_common.directory_replica import REPLICA_TREE, find_unit
from varde_common.errors import InvalidInputError, NotFoundError
from varde_common.events import DeviationReported
from varde_common.identity import Identity
from varde_common.outbox import add_events
from varde_deviations import repository
from varde_deviations.models import Deviation, DeviationCreate, DeviationPublic

SOURCE = "/varde/deviations"
authorizer = Authorizer(REPLICA_TREE)


def _public(deviation: Deviation) -> DeviationPublic:
    return DeviationPublic.model_validate(deviation, from_attributes=True)


class DeviationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def report(self, identity: Identity, data: DeviationCreate) -> DeviationPublic:
        """An employee reports an avvik: the row and DeviationReported are stored in one transaction."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            unit = await find_unit(session, data.unit_id)
            if unit is None or unit.closed:
                raise InvalidInputError(
                    "Enheten finnes ikke i kommunen.",
                    extra={"errors": [{"field": "unit_id", "message": "ukjent enhet", "code": "unknown_unit"}]},
                )
            deviation = Deviation(
                tenant_id=identity.tenant_id,
                unit_id=data.unit_id,
                title=data.title,
                description=data.description,
                occurred_at=data.occurred_at,
                reported_by=identity.person_id,
            )
            session.add(deviation)
            await session.flush()
            event = DeviationReported(
                deviation_id=deviation.id,
                unit_id=deviation.unit_id,
                status=deviation.status,
                occurred_at=deviation.occurred_at,
                reported_at=deviation.reported_at,
            )
            await add_events(session, [event], tenant_id=identity.tenant_id, source=SOURCE)
            return _public(deviation)

    async def _may_read(self, session: AsyncSession, identity: Identity, deviation: Deviation) -> bool:
        """The reporter, the leaders of the unit and above it, and the quality roles over it."""
        if deviation.reported_by == identity.person_id:
            return True
        roles = await authorizer.roles_over(session, identity.person_id, deviation.unit_id)
        return any(
            Action.HANDLE_DEVIATION in ROLE_ACTIONS[r] or Action.FOLLOW_UP_DEVIATIONS in ROLE_ACTIONS[r] for r in roles
        )

    async def get(self, identity: Identity, deviation_id: uuid.UUID) -> DeviationPublic:
        """The reporter and the leaders up the line see a deviation; to anyone else it does not exist."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation = await repository.get(session, deviation_id)
            if deviation is None:
                raise NotFoundError("Avviket finnes ikke.")
            if not await self._may_read(session, identity, deviation):
                raise NotFoundError("Avviket finnes ikke.")
            return _public(deviation)
