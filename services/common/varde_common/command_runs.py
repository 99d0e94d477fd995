"""Commands that must have their effect once per kommune (a demo history): the marker row is written in the same
transaction as the effect, so a second run, or a run after one that failed halfway, sees exactly what is there."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from varde_common.calendar import wall_clock_utc
from varde_common.tenancy import enable_tenant_rls

COMMAND_RUN_TABLE = "command_run"
metadata = sa.MetaData()


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("command", sa.Text, primary_key=True),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
    ]


command_run_table = sa.Table(COMMAND_RUN_TABLE, metadata, *_columns())


def create_command_run_table() -> None:
    """Migration step for a service that has once-per-kommune commands."""
    op.create_table(COMMAND_RUN_TABLE, *_columns())
    enable_tenant_rls(COMMAND_RUN_TABLE)


async def first_run(session: AsyncSession, *, tenant_id: uuid.UUID, command: str) -> bool:
    """True when ``command`` has not run for this kommune; marks it as run in the caller's transaction, so the
    mark rolls back with the effect. Two runs at once: the second waits on the first's row and then sees it."""
    result = await session.execute(
        insert(command_run_table)
        .values(tenant_id=tenant_id, command=command, ran_at=wall_clock_utc())
        .on_conflict_do_nothing(index_elements=["tenant_id", "command"])
        .returning(command_run_table.c.command)
    )
    return result.first() is not None
