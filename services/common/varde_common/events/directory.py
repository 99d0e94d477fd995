"""Reference data produced by the directory service, on compacted topics (the latest event per key is the state).

They carry ids, codes and organisational names. A person's display name travels in ``PersonChanged`` only,
because every service shows who did what (a timeline, a measure's owner); never an e-mail address, an employee
number or anything else about a person.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from pydantic import Field

from varde_common.events.base import Event
from varde_common.roles import Role
from varde_common.tenant_settings import TenantSettings


class TenantChanged(Event):
    """A kommune was registered or its settings changed."""

    type: ClassVar[str] = "no.varde.tenant.changed.v1"
    topic: ClassVar[str] = "varde.directory.tenant"
    key_field: ClassVar[str] = "tenant_id"
    compacted: ClassVar[bool] = True

    tenant_id: uuid.UUID
    slug: str
    name: str
    settings: TenantSettings = Field(default_factory=TenantSettings)


class OrgUnitChanged(Event):
    """A unit of a kommune's organisation tree (enhet) was created, renamed, moved, given a leader, or closed.

    The unit's name is organisational, not personal; the leader travels as a person id only. ``unit_type`` is one
    of the kommune's own unit types (``TenantSettings.unit_types``): data per kommune, so a string.
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


class RoleAssignmentChanged(Event):
    """A person was given a role in a unit, or its dates changed (an ended role keeps its row with ``ends_on``)."""

    type: ClassVar[str] = "no.varde.roleassignment.changed.v1"
    topic: ClassVar[str] = "varde.directory.roleassignment"
    key_field: ClassVar[str] = "assignment_id"
    compacted: ClassVar[bool] = True

    assignment_id: uuid.UUID
    person_id: uuid.UUID
    unit_id: uuid.UUID
    role: Role
    starts_on: date | None = None
    ends_on: date | None = None


class PersonChanged(Event):
    """A person was registered, renamed, or made active or inactive. The name is the one readers see beside the
    person's id (who handled a case, who owns a measure); nothing else about the person leaves the directory."""

    type: ClassVar[str] = "no.varde.person.changed.v1"
    topic: ClassVar[str] = "varde.directory.person"
    key_field: ClassVar[str] = "person_id"
    compacted: ClassVar[bool] = True

    person_id: uuid.UUID
    name: str
    active: bool = True
