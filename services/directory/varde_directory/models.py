"""Tables and API models of the directory: kommuner (tenants), units, people and their roles."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class Tenant(SQLModel, table=True):
    """A kommune. The registry of tenants is the one table that is not itself tenant-scoped."""

    id: uuid.UUID = Field(primary_key=True)
    slug: str = Field(sa_column=sa.Column(sa.Text, unique=True, nullable=False))
    name: str
    organisation_number: str | None = None
    created_at: datetime = Field(default_factory=_now, sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]


class OrgUnit(SQLModel, table=True):
    """A unit (enhet) of the organisation tree."""

    __tablename__ = "org_unit"

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="org_unit.id")
    name: str
    unit_type: str
    leader_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]


class Person(SQLModel, table=True):
    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str
    email: str
    created_at: datetime = Field(default_factory=_now, sa_type=sa.DateTime(timezone=True))  # type: ignore[call-overload]


class RoleAssignment(SQLModel, table=True):
    __tablename__ = "role_assignment"

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="org_unit.id")
    role: str
    starts_on: date | None = None
    ends_on: date | None = None


class RolePublic(BaseModel):
    role: str
    unit_id: uuid.UUID
    unit_name: str


class PersonPublic(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    roles: list[RolePublic]


class DevPerson(BaseModel):
    """A demo person as the development identity provider lists them."""

    tenant: str
    tenant_name: str
    email: str
    name: str
    roles: list[RolePublic]


class PersonLookup(BaseModel):
    tenant_id: uuid.UUID
    tenant_slug: str
    person_id: uuid.UUID


class OrgUnitPublic(BaseModel):
    id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    unit_type: str
    leader_person_id: uuid.UUID | None
