"""Authorisation: may this person do this action in this unit? Answered from roles and the organisation tree.

A role held in a unit reaches the unit's subtree, so a person may do an action in unit U when they hold, today,
a role granting that action in U or in any unit above U. Every service asks the same question of its own copy
of the tree (the directory asks its own tables), inside the caller's tenant transaction: row-level security
keeps the answer within one kommune.

What a role grants is the table ``ROLE_ACTIONS``; rules about one object (the reporter sees their own report)
stay in the owning service.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from varde_common.calendar import oslo_today
from varde_common.roles import LEADER_ROLES, QUALITY_ROLES, Role


class Action(StrEnum):
    REPORT_DEVIATION = "deviation.report"
    HANDLE_DEVIATION = "deviation.handle"
    FOLLOW_UP_DEVIATIONS = "deviation.follow_up"
    READ_HMS_DEVIATIONS = "deviation.read_hms"
    READ_RESTRICTED = "deviation.read_restricted"
    ADMINISTER_CATALOGUE = "catalogue.administer"
    READ_DOCUMENTS = "document.read"
    WRITE_DOCUMENT = "document.write"
    APPROVE_DOCUMENT = "document.approve"
    REVISE_DOCUMENT = "document.revise"
    READ_RISK = "risk.read"
    OWN_RISK = "risk.own"
    APPROVE_RISK = "risk.approve"
    VIEW_STATISTICS = "statistics.view"
    READ_DIRECTORY = "directory.read"
    ADMINISTER_DIRECTORY = "directory.administer"


_EVERYONE = frozenset({Action.REPORT_DEVIATION, Action.READ_DOCUMENTS, Action.READ_DIRECTORY})
_LEADER = _EVERYONE | {
    Action.HANDLE_DEVIATION,
    Action.READ_RESTRICTED,
    Action.WRITE_DOCUMENT,
    Action.APPROVE_DOCUMENT,
    Action.READ_RISK,
    Action.OWN_RISK,
    Action.APPROVE_RISK,
    Action.VIEW_STATISTICS,
}
_QUALITY = _EVERYONE | {
    Action.FOLLOW_UP_DEVIATIONS,
    Action.READ_RESTRICTED,
    Action.ADMINISTER_CATALOGUE,
    Action.WRITE_DOCUMENT,
    Action.READ_RISK,
    Action.VIEW_STATISTICS,
}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    **{role: frozenset(_LEADER) for role in LEADER_ROLES},
    **{role: frozenset(_QUALITY) for role in QUALITY_ROLES},
    Role.TILRETTELEGGER: _EVERYONE | {Action.VIEW_STATISTICS, Action.WRITE_DOCUMENT},
    Role.REVISJONSANSVARLIG: _EVERYONE | {Action.WRITE_DOCUMENT, Action.REVISE_DOCUMENT},
    Role.VERNEOMBUD: _EVERYONE | {Action.READ_HMS_DEVIATIONS},
    Role.TILLITSVALGT: _EVERYONE | {Action.READ_HMS_DEVIATIONS},
    Role.ANSATT: _EVERYONE,
    Role.SYSTEMADMINISTRATOR: _EVERYONE | {Action.ADMINISTER_DIRECTORY, Action.ADMINISTER_CATALOGUE},
}


def grants(roles: set[Role], action: Action) -> bool:
    """Whether any of the roles a person holds over a unit grants ``action`` there."""
    return any(action in ROLE_ACTIONS[role] for role in roles)


def roles_granting(action: Action) -> list[str]:
    return sorted(role.value for role, actions in ROLE_ACTIONS.items() if action in actions)


@dataclass(frozen=True)
class TreeTables:
    """Where a service keeps the tree and the roles: the directory's own tables or a replica of them.

    ``units`` needs ``id``, ``parent_id`` and ``closed``; ``roles`` needs ``person_id``, ``unit_id``, ``role``,
    ``starts_on`` and ``ends_on`` (both inclusive, NULL = open).
    """

    units: sa.Table
    roles: sa.Table


def _active_on(roles: sa.Table, on: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        sa.or_(roles.c.starts_on.is_(None), roles.c.starts_on <= on),
        sa.or_(roles.c.ends_on.is_(None), roles.c.ends_on >= on),
    )


class Authorizer:
    """The one answer to "may this person do this action in this unit", for one service's tables."""

    def __init__(self, tables: TreeTables) -> None:
        self.tables = tables

    async def roles_over(
        self, session: AsyncSession, person_id: uuid.UUID, unit_id: uuid.UUID, on: date | None = None
    ) -> set[Role]:
        """The roles the person holds today (in Norway) in ``unit_id`` or any unit above it."""
        units, roles = self.tables.units, self.tables.roles
        line = sa.select(units.c.id, units.c.parent_id).where(units.c.id == unit_id).cte("line", recursive=True)
        line = line.union_all(sa.select(units.c.id, units.c.parent_id).join(line, units.c.id == line.c.parent_id))
        statement = (
            sa.select(roles.c.role)
            .distinct()
            .join(line, line.c.id == roles.c.unit_id)
            .where(roles.c.person_id == person_id, _active_on(roles, on or oslo_today()))
        )
        return {
            Role(value) for value in (await session.execute(statement)).scalars() if value in Role.__members__.values()
        }

    async def may(
        self, session: AsyncSession, person_id: uuid.UUID, action: Action, unit_id: uuid.UUID, on: date | None = None
    ) -> bool:
        return any(action in ROLE_ACTIONS[role] for role in await self.roles_over(session, person_id, unit_id, on))

    async def units_where(
        self, session: AsyncSession, person_id: uuid.UUID, action: Action, on: date | None = None
    ) -> set[uuid.UUID]:
        """Every unit in which the person may do ``action``: the subtrees below the units of their roles."""
        units, roles = self.tables.units, self.tables.roles
        granted = sa.select(roles.c.unit_id.label("id")).where(
            roles.c.person_id == person_id,
            roles.c.role.in_(roles_granting(action)),
            _active_on(roles, on or oslo_today()),
        )
        reach = granted.cte("reach", recursive=True)
        reach = reach.union(sa.select(units.c.id).join(reach, units.c.parent_id == reach.c.id))
        return set((await session.execute(sa.select(reach.c.id))).scalars())

    async def units_where_each(
        self, session: AsyncSession, person_id: uuid.UUID, actions: list[Action], on: date | None = None
    ) -> dict[Action, set[uuid.UUID]]:
        """``units_where`` for several actions in one query (a list view needs three at once)."""
        units, roles = self.tables.units, self.tables.roles
        wanted = sorted({role for action in actions for role in roles_granting(action)})
        granted = sa.select(roles.c.unit_id.label("id"), roles.c.role.label("role")).where(
            roles.c.person_id == person_id, roles.c.role.in_(wanted), _active_on(roles, on or oslo_today())
        )
        reach = granted.cte("reach", recursive=True)
        reach = reach.union(sa.select(units.c.id, reach.c.role).join(reach, units.c.parent_id == reach.c.id))
        result: dict[Action, set[uuid.UUID]] = {action: set() for action in actions}
        for unit_id, role in (await session.execute(sa.select(reach.c.id, reach.c.role))).all():
            for action in actions:
                if role in Role.__members__.values() and action in ROLE_ACTIONS[Role(role)]:
                    result[action].add(unit_id)
        return result

    async def holders(
        self, session: AsyncSession, unit_id: uuid.UUID, role_set: frozenset[Role], on: date | None = None
    ) -> set[uuid.UUID]:
        """The people holding one of ``role_set`` in the unit itself (not above it)."""
        roles = self.tables.roles
        statement = sa.select(roles.c.person_id).where(
            roles.c.unit_id == unit_id,
            roles.c.role.in_([role.value for role in role_set]),
            _active_on(roles, on or oslo_today()),
        )
        return set((await session.execute(statement)).scalars())
