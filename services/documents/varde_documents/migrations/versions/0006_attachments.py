"""Attachments (vedlegg) on document versions, and the table their bytes are kept in.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import create_attachment_content_table, finish
from varde_common.tenancy import enable_tenant_rls

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_attachment",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("document_id", sa.Uuid, sa.ForeignKey("document.id"), nullable=False),
        sa.Column("version_id", sa.Uuid, sa.ForeignKey("document_version.id"), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("storage_key", sa.Text, nullable=False),
        sa.Column("uploaded_by", sa.Uuid, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_attachment_version", "document_attachment", ["version_id"])
    op.create_index("ix_document_attachment_storage_key", "document_attachment", ["storage_key"])
    enable_tenant_rls("document_attachment")
    create_attachment_content_table()
    finish()
