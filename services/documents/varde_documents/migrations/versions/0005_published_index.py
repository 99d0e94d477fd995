"""Search walks a kommune's versions in force: under row-level security the full-text index cannot serve as an
index condition (``@@`` is not leakproof), so the kommune's published versions get an index of their own.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from varde_common.migrations import finish

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_document_version_published_by_tenant",
        "document_version",
        ["tenant_id"],
        postgresql_where="status = 'published'",
    )
    finish()
