"""A notification may be about one part of its subject (``detail_id``: a measure of a case or an assessment), so
that the event that settles that part (the measure done) settles only its own notices; and the index by subject
that settling looks them up with.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import finish

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notification", sa.Column("detail_id", sa.Uuid, nullable=True))
    op.create_index(
        "ix_notification_subject_unread",
        "notification",
        ["tenant_id", "subject_id", "kind"],
        postgresql_where="read_at IS NULL",
    )
    finish()
