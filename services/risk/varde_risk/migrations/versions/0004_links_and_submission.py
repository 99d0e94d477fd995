"""The deviations and documents a risk may link to, as risk learns of them from their events; an assessment sent
for approval.

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
    op.create_table(
        "replica_deviation",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("area", sa.Text),
        sa.Column("severity", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reported_at", TZ),
        sa.Column("changed_at", TZ, nullable=False),
    )
    op.create_table(
        "replica_document",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("owner_unit_id", sa.Uuid, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("version_number", sa.Integer),
        sa.Column("revision_due", sa.Date),
        sa.Column("revision_overdue", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("changed_at", TZ, nullable=False),
    )
    for table in ("replica_deviation", "replica_document"):
        enable_tenant_rls(table)
    op.add_column("risk_assessment", sa.Column("submitted_at", TZ))
    op.add_column("risk_assessment", sa.Column("submitted_by", sa.Uuid))
    op.create_index("ix_risk_assessment_title", "risk_assessment", ["tenant_id", "title", "id"])
    finish()
