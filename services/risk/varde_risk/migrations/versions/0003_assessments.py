"""Risk assessments (ROS-analyser), their risks and measures, the kommune's matrix, and the history.

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
LEVEL = "BETWEEN 1 AND 5"


def upgrade() -> None:
    op.create_table(
        "risk_matrix",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("grid", JSONB, nullable=False),
        sa.Column("colours", JSONB, nullable=False),
        sa.Column("changed_by", sa.Uuid, nullable=False),
        sa.Column("changed_at", TZ, nullable=False),
    )
    op.create_table(
        "risk_assessment",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("scope_kind", sa.Text, nullable=False),
        sa.Column("scope_name", sa.Text),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("owner_id", sa.Uuid, nullable=False),
        sa.Column("participants", ARRAY(sa.Uuid), nullable=False, server_default="{}"),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("review_due", sa.Date),
        sa.Column("review_notified_for", sa.Date),
        sa.Column("review_overdue_notified_for", sa.Date),
        sa.Column("approved_by", sa.Uuid),
        sa.Column("approved_at", TZ),
        sa.Column("created_by", sa.Uuid, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_risk_assessment_unit", "risk_assessment", ["tenant_id", "unit_id", "status"])
    op.create_index(
        "ix_risk_assessment_review",
        "risk_assessment",
        ["tenant_id", "review_due"],
        postgresql_where="status = 'active'",
    )
    op.create_table(
        "risk",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("assessment_id", sa.Uuid, sa.ForeignKey("risk_assessment.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("causes", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("barriers", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("probability", sa.SmallInteger, sa.CheckConstraint(f"probability {LEVEL}"), nullable=False),
        sa.Column("consequence", sa.SmallInteger, sa.CheckConstraint(f"consequence {LEVEL}"), nullable=False),
        sa.Column("consequences", JSONB, nullable=False, server_default="{}"),
        sa.Column("target_probability", sa.SmallInteger, sa.CheckConstraint(f"target_probability {LEVEL}")),
        sa.Column("target_consequence", sa.SmallInteger, sa.CheckConstraint(f"target_consequence {LEVEL}")),
        sa.Column("zone", sa.Text, nullable=False),
        sa.Column("above_acceptance_since", TZ),
        sa.Column("deviation_ids", ARRAY(sa.Uuid), nullable=False, server_default="{}"),
        sa.Column("document_ids", ARRAY(sa.Uuid), nullable=False, server_default="{}"),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("assessment_id", "number", name="uq_risk_number"),
    )
    op.create_index("ix_risk_tenant", "risk", ["tenant_id", "assessment_id"])
    op.create_table(
        "risk_measure",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("assessment_id", sa.Uuid, sa.ForeignKey("risk_assessment.id"), nullable=False),
        sa.Column("risk_id", sa.Uuid, sa.ForeignKey("risk.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner_id", sa.Uuid, nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("done_at", TZ),
        sa.Column("done_by", sa.Uuid),
        sa.Column("overdue_notified", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_risk_measure_risk", "risk_measure", ["risk_id"])
    op.create_index(
        "ix_risk_measure_open", "risk_measure", ["tenant_id", "deadline"], postgresql_where="done_at IS NULL"
    )
    op.create_table(
        "risk_history",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("assessment_id", sa.Uuid, sa.ForeignKey("risk_assessment.id"), nullable=False),
        sa.Column("risk_id", sa.Uuid),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.Uuid),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("ix_risk_history_assessment", "risk_history", ["assessment_id", "id"])
    for table in ("risk_matrix", "risk_assessment", "risk", "risk_measure", "risk_history"):
        enable_tenant_rls(table)
    make_append_only("risk_history")
    open_tenant_list_to_scheduler()
    finish()
