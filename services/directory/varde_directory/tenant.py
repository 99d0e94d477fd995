"""The kommune itself: its name and its settings, which every other service copies from ``TenantChanged``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc, oslo_date
from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.tenant_settings import TenantSettings
from varde_directory import repository
from varde_directory.access import require_administrator
from varde_directory.domain import Clock, changed_settings, unit_types_missing
from varde_directory.errors import RiskAcceptanceMovedToRisk, TenantNotFound, UnitTypeInUse
from varde_directory.models import TenantPublic, TenantUpdate
from varde_directory.records import emit, tenant_changed
from varde_directory.views import tenant_public


class TenantService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = now_utc) -> None:
        self.sessions = sessions
        self.clock = clock

    async def get(self, identity: Identity) -> TenantPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            tenant = await repository.tenant(session, identity.tenant_id)
        if tenant is None:
            raise TenantNotFound()
        return tenant_public(tenant)

    async def update(self, identity: Identity, data: TenantUpdate) -> TenantPublic:
        """Change the name or the settings the body names; the rest stays as it is."""
        if data.settings is not None and "risk_acceptance" in data.settings.model_fields_set:
            raise RiskAcceptanceMovedToRisk()
        today = oslo_date(self.clock())
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            await require_administrator(session, identity, today)
            tenant = await repository.tenant(session, identity.tenant_id, lock=True)
            if tenant is None:
                raise TenantNotFound()
            if data.name is not None:
                tenant.name = data.name
            if data.settings is not None:
                settings = changed_settings(TenantSettings.model_validate(tenant.settings), data.settings.named())
                missing = unit_types_missing(settings, await repository.unit_types_in_use(session))
                if missing:
                    raise UnitTypeInUse(unit_types=", ".join(f"«{key}»" for key in missing))
                tenant.settings = settings.model_dump(mode="json")
            session.add(tenant)
            await emit(session, tenant.id, [tenant_changed(tenant)])
            return tenant_public(tenant)
