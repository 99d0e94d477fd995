"""Reading lists (leseliste): a document's audience, and a reading request per person and version with its
confirmation (lesebekreftelse).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import finish
from varde_common.tenancy import enable_tenant_rls

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("document", sa.Column("reading_days", sa.SmallInteger, nullable=False, server_default="14"))
    op.create_table(
        "document_audience",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("document_id", sa.Uuid, sa.ForeignKey("document.id"), nullable=False),
        sa.Column("unit_id", sa.Uuid),
        sa.Column("role", sa.Text),
        sa.Column("person_id", sa.Uuid),
        sa.Column("include_subtree", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.CheckConstraint(
            "(person_id IS NOT NULL AND unit_id IS NULL AND role IS NULL) "
            "OR (person_id IS NULL AND (unit_id IS NOT NULL OR role IS NOT NULL))",
            name="ck_document_audience_one_kind",
        ),
    )
    op.create_index("ix_document_audience_document", "document_audience", ["document_id"])
    op.create_table(
        "reading_request",
        sa.Column("version_id", sa.Uuid, sa.ForeignKey("document_version.id"), primary_key=True),
        sa.Column("person_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("document_id", sa.Uuid, sa.ForeignKey("document.id"), nullable=False),
        sa.Column("requested_at", TZ, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("confirmed_at", TZ),
        # A newer significant version asks again: the older request is then no longer open.
        sa.Column("superseded_at", TZ),
    )
    op.create_index(
        "ix_reading_request_open",
        "reading_request",
        ["tenant_id", "person_id", "due_on"],
        postgresql_where="confirmed_at IS NULL AND superseded_at IS NULL",
    )
    op.create_index("ix_reading_request_person", "reading_request", ["tenant_id", "person_id"])
    op.create_index("ix_reading_request_document", "reading_request", ["document_id", "version_id"])
    for table in ("document_audience", "reading_request"):
        enable_tenant_rls(table)
    finish()
