"""Rows as the public models: names beside the ids of people and units, and pages with their cursors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from varde_common.directory_replica import Names
from varde_common.tenant_settings import TenantSettings
from varde_directory.models import (
    IdentityLink,
    IdentityProvider,
    IdentityProviderPublic,
    OrgUnit,
    OrgUnitHistory,
    OrgUnitPeriod,
    OrgUnitPublic,
    Person,
    PersonIdentity,
    PersonPublic,
    RolePublic,
    Tenant,
    TenantPublic,
)

RowT = TypeVar("RowT")


def tenant_public(tenant: Tenant) -> TenantPublic:
    return TenantPublic(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        organisation_number=tenant.organisation_number,
        settings=TenantSettings.model_validate(tenant.settings),
    )


def unit_public(unit: OrgUnit, names: Names) -> OrgUnitPublic:
    return OrgUnitPublic(
        id=unit.id,
        parent_id=unit.parent_id,
        parent_name=names.unit(unit.parent_id),
        name=unit.name,
        unit_type=unit.unit_type,
        external_key=unit.external_key,
        leader_person_id=unit.leader_person_id,
        leader_name=names.person(unit.leader_person_id),
        closed=unit.closed_at is not None,
    )


def period_public(period: OrgUnitHistory, names: Names) -> OrgUnitPeriod:
    return OrgUnitPeriod(
        valid_from=period.valid_from,
        valid_to=period.valid_to,
        parent_id=period.parent_id,
        parent_name=names.unit(period.parent_id),
        name=period.name,
        unit_type=period.unit_type,
        leader_person_id=period.leader_person_id,
        leader_name=names.person(period.leader_person_id),
        closed=period.closed,
        changed_by=period.changed_by,
        changed_by_name=names.person(period.changed_by),
    )


def person_public(person: Person, roles: list[RolePublic], links: Sequence[PersonIdentity] = ()) -> PersonPublic:
    return PersonPublic(
        id=person.id,
        name=person.name,
        email=person.email,
        employee_number=person.employee_number,
        active=person.active,
        roles=roles,
        identities=[IdentityLink(provider_id=link.provider_id, subject=link.subject) for link in links],
    )


def provider_public(provider: IdentityProvider) -> IdentityProviderPublic:
    return IdentityProviderPublic.model_validate(provider, from_attributes=True)
