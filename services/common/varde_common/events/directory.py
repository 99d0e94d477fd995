"""Reference data produced by the directory service, on compacted topics (the latest event per key is the state)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from varde_common.events.base import Event


class TenantChanged(Event):
    """A kommune was registered or its settings changed."""

    type: ClassVar[str] = "no.varde.tenant.changed.v1"
    topic: ClassVar[str] = "varde.directory.tenant"
    key_field: ClassVar[str] = "tenant_id"
    compacted: ClassVar[bool] = True

    tenant_id: uuid.UUID
    slug: str
    name: str


class OrgUnitChanged(Event):
    """A unit of a kommune's organisation tree (enhet) was created, changed or closed.

    The unit's name is organisational, not personal; the leader travels as a person id only.
    """

    type: ClassVar[str] = "no.varde.orgunit.changed.v1"
    topic: ClassVar[str] = "varde.directory.orgunit"
    key_field: ClassVar[str] = "unit_id"
    compacted: ClassVar[bool] = True

    unit_id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    unit_type: str
    leader_person_id: uuid.UUID | None
    closed: bool = False
