"""A person's unread notifications get an index of their own: the unread count (the badge on every page of the
web client), marking all read and the unread list read only the unread rows, not the whole inbox.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

from varde_common.migrations import finish

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_notification_unread",
        "notification",
        ["tenant_id", "recipient_id", "created_at", "id"],
        postgresql_where="read_at IS NULL",
    )
    finish()
