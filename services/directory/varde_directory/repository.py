"""The directory's queries about a kommune: its registry row, tree, people, roles, identities and providers. They
run in a tenant transaction: row-level security keeps them inside the kommune (no query filters by tenant).
What signing in asks is in ``sign_in_queries``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from varde_common.authz import TreeTables
from varde_common.errors import ProblemError
from varde_common.tenant_settings import TenantSettings
from varde_directory.errors import (
    EmployeeNumberTaken,
    IdentityTaken,
    IssuerTaken,
    PersonEmailTaken,
    UnitKeyTaken,
)
from varde_directory.models import (
    IdentityProvider,
    OrgUnit,
    OrgUnitHistory,
    Person,
    PersonIdentity,
    RoleAssignment,
    RolePublic,
    Tenant,
)

DIRECTORY_TREE = TreeTables(units=OrgUnit.__table__, roles=RoleAssignment.__table__)  # type: ignore[attr-defined]

NameKey = tuple[str, uuid.UUID]
"""Where a list sorted by name stopped: the last row's name and id."""


SelectT = TypeVar("SelectT", bound=SelectOfScalar[Any])


def _page(statement: SelectT, key: tuple[Any, Any], after: tuple[object, object] | None, limit: int) -> SelectT:
    """Up to ``limit`` + 1 rows in the order of ``key`` (two columns, the last unique), after the row ``after``
    stopped at: the one more tells whether a next page exists."""
    statement = statement.order_by(*key).limit(limit + 1)
    if after is not None:
        statement = statement.where(sa.tuple_(*key) > sa.tuple_(*(sa.literal(value) for value in after)))
    return statement


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


UNIQUE_CLASHES: Mapping[str, type[ProblemError]] = {
    "ux_org_unit_external_key": UnitKeyTaken,
    "ux_person_email": PersonEmailTaken,
    "ux_person_employee_number": EmployeeNumberTaken,
    "ux_person_identity_subject": IdentityTaken,
    "ux_identity_provider_issuer": IssuerTaken,
}
"""The cause of a clash with each unique index of the directory's tables."""


async def save(session: AsyncSession) -> None:
    """Flush the session's changes; a row that clashes with a unique index is answered as that index's problem
    (an e-mail address or a unit code already in use), and the transaction can still go on."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        # The driver's own error (asyncpg's UniqueViolationError) names the index.
        index = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
        if isinstance(index, str) and index in UNIQUE_CLASHES:
            raise UNIQUE_CLASHES[index]() from exc
        raise


# -- the kommune -------------------------------------------------------------------------------------------------


async def tenant(session: AsyncSession, tenant_id: uuid.UUID, *, lock: bool = False) -> Tenant | None:
    return await session.get(Tenant, tenant_id, with_for_update=lock)


async def kommune_settings(session: AsyncSession, tenant_id: uuid.UUID) -> TenantSettings:
    found = await tenant(session, tenant_id)
    return TenantSettings.model_validate(found.settings if found else {})


# -- units -------------------------------------------------------------------------------------------------------


async def unit(session: AsyncSession, unit_id: uuid.UUID, *, lock: bool = False) -> OrgUnit | None:
    return await session.get(OrgUnit, unit_id, with_for_update=lock)


async def units_page(session: AsyncSession, search: str | None, after: NameKey | None, limit: int) -> list[OrgUnit]:
    """A page of units by name, whose name contains ``search``."""
    statement = select(OrgUnit)
    if search:
        statement = statement.where(col(OrgUnit.name).ilike(_contains(search)))
    page = _page(statement, (col(OrgUnit.name), col(OrgUnit.id)), after, limit)
    return list((await session.exec(page)).all())


async def every_unit(session: AsyncSession) -> list[OrgUnit]:
    return list((await session.exec(select(OrgUnit).order_by(col(OrgUnit.name), col(OrgUnit.id)))).all())


async def unit_names(session: AsyncSession, unit_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {u for u in unit_ids if u is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(OrgUnit.id, OrgUnit.name).where(col(OrgUnit.id).in_(wanted)))
    return dict(rows.all())


async def parents(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID | None]:
    rows = await session.exec(select(OrgUnit.id, OrgUnit.parent_id))
    return dict(rows.all())


async def root_unit(session: AsyncSession) -> OrgUnit | None:
    statement = select(OrgUnit).where(col(OrgUnit.parent_id).is_(None), col(OrgUnit.closed_at).is_(None))
    return (await session.exec(statement.order_by(col(OrgUnit.id)))).first()


async def open_children(session: AsyncSession, unit_id: uuid.UUID) -> int:
    statement = select(sa.func.count()).where(OrgUnit.parent_id == unit_id, col(OrgUnit.closed_at).is_(None))
    return int((await session.exec(statement)).one())


async def unit_types_in_use(session: AsyncSession) -> set[str]:
    """The unit types of the units that are not closed."""
    statement = select(OrgUnit.unit_type).distinct().where(col(OrgUnit.closed_at).is_(None))
    return set((await session.exec(statement)).all())


async def unit_history_page(
    session: AsyncSession, unit_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[OrgUnitHistory]:
    """A page of the unit's periods, oldest first."""
    statement = select(OrgUnitHistory).where(OrgUnitHistory.unit_id == unit_id)
    page = _page(statement, (col(OrgUnitHistory.valid_from), col(OrgUnitHistory.id)), after, limit)
    return list((await session.exec(page)).all())


async def end_current_period(session: AsyncSession, unit_id: uuid.UUID, at: datetime) -> None:
    await session.exec(
        sa.update(OrgUnitHistory)
        .where(col(OrgUnitHistory.unit_id) == unit_id, col(OrgUnitHistory.valid_to).is_(None))
        .values(valid_to=at)
    )


# -- people ------------------------------------------------------------------------------------------------------


async def person(session: AsyncSession, person_id: uuid.UUID, *, lock: bool = False) -> Person | None:
    return await session.get(Person, person_id, with_for_update=lock)


async def people_page(session: AsyncSession, search: str | None, after: NameKey | None, limit: int) -> list[Person]:
    """A page of people by name, whose name or e-mail address contains ``search``."""
    statement = select(Person)
    if search:
        pattern = _contains(search)
        statement = statement.where(sa.or_(col(Person.name).ilike(pattern), col(Person.email).ilike(pattern)))
    page = _page(statement, (col(Person.name), col(Person.id)), after, limit)
    return list((await session.exec(page)).all())


async def every_person(session: AsyncSession) -> list[Person]:
    return list((await session.exec(select(Person).order_by(col(Person.name), col(Person.id)))).all())


async def person_names(session: AsyncSession, person_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {p for p in person_ids if p is not None}
    if not wanted:
        return {}
    rows = await session.exec(select(Person.id, Person.name).where(col(Person.id).in_(wanted)))
    return dict(rows.all())


# -- roles -------------------------------------------------------------------------------------------------------


async def assignment(session: AsyncSession, assignment_id: uuid.UUID, *, lock: bool = False) -> RoleAssignment | None:
    return await session.get(RoleAssignment, assignment_id, with_for_update=lock)


async def assignments(
    session: AsyncSession, person_id: uuid.UUID | None = None, unit_id: uuid.UUID | None = None
) -> list[RoleAssignment]:
    statement = select(RoleAssignment).order_by(col(RoleAssignment.role), col(RoleAssignment.id))
    if person_id is not None:
        statement = statement.where(RoleAssignment.person_id == person_id)
    if unit_id is not None:
        statement = statement.where(RoleAssignment.unit_id == unit_id)
    return list((await session.exec(statement)).all())


async def roles_by_person(
    session: AsyncSession, person_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[RolePublic]]:
    statement = (
        select(RoleAssignment, OrgUnit.name)
        .join(OrgUnit, col(OrgUnit.id) == RoleAssignment.unit_id)
        .order_by(col(RoleAssignment.role), col(OrgUnit.name))
    )
    if person_ids is not None:
        statement = statement.where(col(RoleAssignment.person_id).in_(list(person_ids)))
    result: dict[uuid.UUID, list[RolePublic]] = {}
    for found, unit_name in (await session.exec(statement)).all():
        result.setdefault(found.person_id, []).append(
            RolePublic(
                id=found.id,
                role=found.role,
                unit_id=found.unit_id,
                unit_name=unit_name,
                starts_on=found.starts_on,
                ends_on=found.ends_on,
            )
        )
    return result


# -- identities and identity providers ---------------------------------------------------------------------------


async def identities_of(
    session: AsyncSession, person_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[PersonIdentity]]:
    wanted = list(person_ids)
    if not wanted:
        return {}
    statement = (
        select(PersonIdentity)
        .where(col(PersonIdentity.person_id).in_(wanted))
        .order_by(col(PersonIdentity.subject), col(PersonIdentity.id))
    )
    result: dict[uuid.UUID, list[PersonIdentity]] = {}
    for link in (await session.exec(statement)).all():
        result.setdefault(link.person_id, []).append(link)
    return result


async def people_linked_to(session: AsyncSession, provider_id: uuid.UUID) -> set[uuid.UUID]:
    statement = select(PersonIdentity.person_id).where(PersonIdentity.provider_id == provider_id)
    return set((await session.exec(statement)).all())


async def providers(session: AsyncSession, *, enabled_only: bool = False) -> list[IdentityProvider]:
    statement = select(IdentityProvider).order_by(col(IdentityProvider.name), col(IdentityProvider.id))
    if enabled_only:
        statement = statement.where(col(IdentityProvider.enabled).is_(True))
    return list((await session.exec(statement)).all())


async def provider(session: AsyncSession, provider_id: uuid.UUID, *, lock: bool = False) -> IdentityProvider | None:
    return await session.get(IdentityProvider, provider_id, with_for_update=lock)
