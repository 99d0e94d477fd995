"""Documents: folders, documents with their revision cycle, versions with full-text search over published ones,
an append-only history, and the scheduler's view of the kommuner (revision deadlines).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from varde_common.migrations import finish, make_append_only
from varde_common.scheduler import open_tenant_list_to_scheduler
from varde_common.tenancy import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "folder",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("parent_id", sa.Uuid, sa.ForeignKey("folder.id")),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("owner_unit_id", sa.Uuid, nullable=False),
        sa.Column("approver_unit_id", sa.Uuid, nullable=False),
        sa.Column("folder_id", sa.Uuid, sa.ForeignKey("folder.id")),
        sa.Column("tags", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("law_references", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("revision_owner_id", sa.Uuid, nullable=False),
        sa.Column("revision_interval_months", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("published_version_id", sa.Uuid),
        sa.Column("revision_cycle_started", sa.Date),
        sa.Column("revision_due", sa.Date),
        sa.Column("due_notified_for", sa.Date),
        sa.Column("overdue_notified_for", sa.Date),
        sa.Column("created_by", sa.Uuid, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint("revision_interval_months BETWEEN 1 AND 60", name="ck_document_revision_interval"),
    )
    op.create_index("ix_document_owner_unit", "document", ["tenant_id", "owner_unit_id"])
    op.create_index(
        "ix_document_revision_due", "document", ["tenant_id", "revision_due"], postgresql_where="status = 'active'"
    )
    op.create_table(
        "document_version",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("document_id", sa.Uuid, sa.ForeignKey("document.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("change_summary", sa.Text),
        sa.Column("significant", sa.Boolean, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("author_id", sa.Uuid, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("submitted_at", TZ),
        sa.Column("decided_by", sa.Uuid),
        sa.Column("decided_at", TZ),
        sa.Column("rejection_comment", sa.Text),
        sa.Column("published_at", TZ),
        sa.UniqueConstraint("document_id", "number", name="uq_document_version_number"),
    )
    # One version in force per document, at most.
    op.create_index(
        "uq_document_version_published",
        "document_version",
        ["document_id"],
        unique=True,
        postgresql_where="status = 'published'",
    )
    op.execute(
        "ALTER TABLE document_version ADD COLUMN search tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('norwegian', title), 'A') || to_tsvector('norwegian', content)) STORED"
    )
    op.execute(
        "CREATE INDEX ix_document_version_search ON document_version USING gin (search) WHERE status = 'published'"
    )
    op.create_table(
        "document_history",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("document_id", sa.Uuid, sa.ForeignKey("document.id"), nullable=False),
        sa.Column("version_id", sa.Uuid),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.Uuid),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("ix_document_history_document", "document_history", ["document_id", "at"])
    for table in ("folder", "document", "document_version", "document_history"):
        enable_tenant_rls(table)
    make_append_only("document_history")
    open_tenant_list_to_scheduler()
    finish()
