"""A notification stores what it says as a catalogue key and its facts, so it can be read in bokmål or nynorsk.

The notifications stored before keep their bokmål title and body under the key ``stored``. The backfill must see
every kommune's rows: row-level security is lifted for the owner inside this transaction only.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from varde_common.migrations import finish

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notification", sa.Column("text_key", sa.Text))
    op.add_column("notification", sa.Column("text_params", JSONB, nullable=False, server_default="{}"))
    op.execute("ALTER TABLE notification NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE notification SET text_key = 'stored', text_params = jsonb_build_object('title', title, 'body', body)"
    )
    op.execute("ALTER TABLE notification FORCE ROW LEVEL SECURITY")
    op.alter_column("notification", "text_key", nullable=False)
    op.alter_column("notification", "text_params", server_default=None)
    op.drop_column("notification", "title")
    op.drop_column("notification", "body")
    # The inbox is read newest first, page by page: (created_at, id) is the page key.
    op.drop_index("ix_notification_recipient", "notification")
    op.create_index("ix_notification_recipient", "notification", ["tenant_id", "recipient_id", "created_at", "id"])
    finish()
