"""Deviations, the directory replica, outbox and inbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from varde_common.directory_replica import create_replica_tables
from varde_common.inbox import create_inbox_table
from varde_common.migrations import base_schema, finish
from varde_common.outbox import create_outbox_table
from varde_common.tenancy import enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    base_schema()
    op.create_table(
        "deviation",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sa.Uuid, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_deviation_tenant_unit", "deviation", ["tenant_id", "unit_id", "reported_at"])
    op.create_index("ix_deviation_tenant_reporter", "deviation", ["tenant_id", "reported_by", "reported_at"])
    enable_tenant_rls("deviation")
    create_replica_tables()
    create_outbox_table()
    create_inbox_table()
    finish()
