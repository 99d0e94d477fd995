"""Small builders for tests: identities and a tiny organisation in a service's directory replica."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.calendar import now_utc
from varde_common.db import tenant_transaction
from varde_common.directory_replica import (
    apply_org_unit_changed,
    apply_person_changed,
    apply_role_assignment_changed,
    apply_tenant_changed,
)
from varde_common.envelope import Envelope
from varde_common.events import (
    Event,
    OrgUnitChanged,
    PersonChanged,
    RoleAssignmentChanged,
    TenantChanged,
    owner_of,
    source_of,
)
from varde_common.identity import Identity, InternalTokenSigner
from varde_common.outbox import outbox_table
from varde_common.testing.tokens import ServiceTokenSigner


def identity(tenant_id: uuid.UUID, person_id: uuid.UUID | None = None, slug: str = "test") -> Identity:
    return Identity(
        tenant_id=tenant_id, tenant_slug=slug, person_id=person_id or uuid.uuid4(), expires_at=int(time.time()) + 600
    )


@dataclass(frozen=True)
class TinyOrg:
    """A kommune with a sector above a nursing home: a leader for each (with their leader roles), one employee."""

    tenant_id: uuid.UUID
    sector_id: uuid.UUID
    unit_id: uuid.UUID
    sector_leader: uuid.UUID
    unit_leader: uuid.UUID
    employee: uuid.UUID

    def as_(self, person_id: uuid.UUID) -> Identity:
        return identity(self.tenant_id, person_id)

    def name_of(self, person_id: uuid.UUID) -> str:
        """The name the directory published for one of the org's people."""
        return TINY_ORG_NAMES[
            {self.sector_leader: "sector_leader", self.unit_leader: "unit_leader", self.employee: "employee"}[person_id]
        ]


TINY_ORG_NAMES = {"sector_leader": "Kari Kommunalsjef", "unit_leader": "Lars Leder", "employee": "Ane Ansatt"}


async def seed_tiny_org(sessions: async_sessionmaker[AsyncSession], slug: str = "testkommune") -> TinyOrg:
    org = TinyOrg(
        tenant_id=uuid.uuid4(),
        sector_id=uuid.uuid4(),
        unit_id=uuid.uuid4(),
        sector_leader=uuid.uuid4(),
        unit_leader=uuid.uuid4(),
        employee=uuid.uuid4(),
    )
    now = now_utc()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await apply_tenant_changed(session, TenantChanged(tenant_id=org.tenant_id, slug=slug, name=slug.title()), now)
        await apply_org_unit_changed(
            session,
            org.tenant_id,
            OrgUnitChanged(
                unit_id=org.sector_id,
                parent_id=None,
                name="Helse og omsorg",
                unit_type="kommunalsjefsomrade",
                leader_person_id=org.sector_leader,
            ),
            now,
        )
        await apply_org_unit_changed(
            session,
            org.tenant_id,
            OrgUnitChanged(
                unit_id=org.unit_id,
                parent_id=org.sector_id,
                name="Solsiden sykehjem",
                unit_type="virksomhet",
                leader_person_id=org.unit_leader,
            ),
            now,
        )
        for person, unit, role in (
            (org.sector_leader, org.sector_id, "kommunalsjef"),
            (org.unit_leader, org.unit_id, "virksomhetsleder"),
            (org.employee, org.unit_id, "ansatt"),
        ):
            await grant_role(session, org.tenant_id, person, unit, role, now)
            event = PersonChanged(person_id=person, name=org.name_of(person))
            await apply_person_changed(session, org.tenant_id, event, now)
    return org


async def grant_role(
    session: AsyncSession, tenant_id: uuid.UUID, person_id: uuid.UUID, unit_id: uuid.UUID, role: str, at: datetime
) -> uuid.UUID:
    """Give a person a role in the service's copy of the directory, as the directory's event would."""
    assignment_id = uuid.uuid4()
    event = RoleAssignmentChanged(assignment_id=assignment_id, person_id=person_id, unit_id=unit_id, role=role)
    await apply_role_assignment_changed(session, tenant_id, event, at)
    return assignment_id


async def person_with_role(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg, unit_id: uuid.UUID, role: str
) -> tuple[uuid.UUID, uuid.UUID]:
    """A new person of ``org`` holding ``role`` in ``unit_id`` from today: their id and the assignment's."""
    person_id = uuid.uuid4()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assignment_id = await grant_role(session, org.tenant_id, person_id, unit_id, role, now_utc())
    return person_id, assignment_id


def bearer(signer: InternalTokenSigner, org: TinyOrg, person: uuid.UUID) -> dict[str, str]:
    """The header a service sees when the gateway passes ``person`` of ``org`` on (an internal token for the service
    under test: ``signer`` is its tests' ``token_signer``)."""
    assert isinstance(signer, ServiceTokenSigner), "sign with the token_signer fixture of the service's tests"
    token = signer.for_person(
        tenant_id=org.tenant_id, tenant_slug="testkommune", person_id=person, not_after=int(time.time()) + 300
    )
    return {"authorization": f"Bearer {token}"}


async def outbox_events(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg, key: uuid.UUID, *, but: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """An aggregate's events in the service's outbox, in order: each its short type ("submitted", "reported",
    …) under ``type`` and its data; the types in ``but`` left out."""
    async with tenant_transaction(sessions, org.tenant_id) as session:
        rows = await session.execute(
            sa.select(outbox_table.c.type, outbox_table.c.data)
            .where(outbox_table.c.key == str(key))
            .order_by(outbox_table.c.seq)
        )
        found = [{"type": row.type.split(".")[3], **row.data} for row in rows]
    return [event for event in found if event["type"] not in but]


def envelope_of(org: TinyOrg, event: Event, source: str | None = None) -> Envelope:
    """The envelope a consumer receives for ``event`` of ``org``, as if it came through Kafka (from its owner,
    unless ``source`` says otherwise)."""
    return Envelope(
        id=uuid.uuid4(),
        type=event.type,
        source=source or source_of(owner_of(type(event))),
        time=now_utc(),
        tenant_id=org.tenant_id,
        subject=event.key(),
        data=event.model_dump(mode="json"),
    )
