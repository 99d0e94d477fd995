"""In-app notifications, the directory replica, outbox and inbox.

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
        "notification",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("recipient_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("subject_type", sa.Text, nullable=False),
        sa.Column("subject_id", sa.Uuid, nullable=False),
        sa.Column("source_event_id", sa.Uuid, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_notification_recipient", "notification", ["tenant_id", "recipient_id", "created_at"])
    op.create_index("ux_notification_event_recipient", "notification", ["source_event_id", "recipient_id"], unique=True)
    enable_tenant_rls("notification")
    create_replica_tables()
    create_outbox_table()
    create_inbox_table()
    finish()
