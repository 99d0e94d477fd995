"""The shared authorisation helper over this service's copy of the directory: roles reach down, not up or
sideways, and only between their dates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.authz import Action, Authorizer
from varde_common.db import tenant_transaction
from varde_common.directory_replica import REPLICA_TREE, apply_role_assignment_changed
from varde_common.events import RoleAssignmentChanged
from varde_common.roles import LEADER_ROLES, Role
from varde_common.testing.factories import TinyOrg, grant_role

authorizer = Authorizer(REPLICA_TREE)


async def test_a_role_reaches_its_subtree_and_nothing_above_or_beside(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assert await authorizer.may(session, org.sector_leader, Action.HANDLE_DEVIATION, org.unit_id)
        assert await authorizer.may(session, org.unit_leader, Action.HANDLE_DEVIATION, org.unit_id)
        assert not await authorizer.may(session, org.unit_leader, Action.HANDLE_DEVIATION, org.sector_id)
        assert not await authorizer.may(session, org.employee, Action.HANDLE_DEVIATION, org.unit_id)
        assert await authorizer.may(session, org.employee, Action.REPORT_DEVIATION, org.unit_id)
        assert await authorizer.units_where(session, org.sector_leader, Action.HANDLE_DEVIATION) == {
            org.sector_id,
            org.unit_id,
        }
        assert await authorizer.units_where(session, org.unit_leader, Action.HANDLE_DEVIATION) == {org.unit_id}
        assert await authorizer.units_where(session, org.employee, Action.HANDLE_DEVIATION) == set()
        assert await authorizer.holders(session, org.unit_id, LEADER_ROLES) == {org.unit_leader}


async def test_a_role_counts_only_between_its_dates(sessions: async_sessionmaker[AsyncSession], org: TinyOrg) -> None:
    adviser = uuid.uuid4()
    today = date.today()
    async with tenant_transaction(sessions, org.tenant_id) as session:
        assignment = await grant_role(
            session, org.tenant_id, adviser, org.sector_id, "kvalitetsradgiver", datetime.now(UTC)
        )
        assert await authorizer.roles_over(session, adviser, org.unit_id) == {Role.KVALITETSRADGIVER}
        ended = RoleAssignmentChanged(
            assignment_id=assignment,
            person_id=adviser,
            unit_id=org.sector_id,
            role="kvalitetsradgiver",
            ends_on=today - timedelta(days=1),
        )
        await apply_role_assignment_changed(session, org.tenant_id, ended, datetime.now(UTC))
        assert await authorizer.roles_over(session, adviser, org.unit_id) == set()
        assert await authorizer.roles_over(session, adviser, org.unit_id, on=today - timedelta(days=3)) == {
            Role.KVALITETSRADGIVER
        }
        # An older event arriving late changes nothing.
        stale = RoleAssignmentChanged(
            assignment_id=assignment, person_id=adviser, unit_id=org.sector_id, role="kvalitetsradgiver"
        )
        await apply_role_assignment_changed(session, org.tenant_id, stale, datetime.now(UTC) - timedelta(hours=1))
        assert await authorizer.roles_over(session, adviser, org.unit_id) == set()


async def test_several_actions_in_one_query_agree_with_one_at_a_time(
    sessions: async_sessionmaker[AsyncSession], org: TinyOrg
) -> None:
    actions = [Action.HANDLE_DEVIATION, Action.FOLLOW_UP_DEVIATIONS, Action.READ_HMS_DEVIATIONS]
    async with tenant_transaction(sessions, org.tenant_id) as session:
        await grant_role(session, org.tenant_id, org.unit_leader, org.unit_id, "verneombud", datetime.now(UTC))
        for person in (org.sector_leader, org.unit_leader, org.employee):
            each = await authorizer.units_where_each(session, person, actions)
            assert each == {a: await authorizer.units_where(session, person, a) for a in actions}
        assert (await authorizer.units_where_each(session, org.unit_leader, actions))[Action.READ_HMS_DEVIATIONS] == {
            org.unit_id
        }
