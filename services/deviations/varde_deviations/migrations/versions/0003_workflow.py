"""The whole deviation workflow: classification, handling, restricted part, measures, history, access log,
attachments, the kommune's catalogue, idempotency records, full-text search, and the scheduler's view of the
kommuner.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from varde_common.migrations import finish, make_append_only
from varde_common.scheduler import open_tenant_list_to_scheduler
from varde_common.tenancy import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
SEARCH_TEXT = (
    "coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(location, '') || ' ' "
    "|| coalesce(immediate_action, '') || ' ' || coalesce(conclusion, '')"
)


def _deviation_columns() -> None:
    add = op.add_column
    add("deviation", sa.Column("kind", sa.Text, nullable=False, server_default="avvik"))
    add("deviation", sa.Column("area", sa.Text, nullable=False, server_default="tjenestekvalitet"))
    add("deviation", sa.Column("category_id", sa.Uuid))
    add("deviation", sa.Column("location", sa.Text))
    add("deviation", sa.Column("immediate_action", sa.Text))
    add("deviation", sa.Column("actual_consequence", sa.SmallInteger))
    add("deviation", sa.Column("potential_consequence", sa.SmallInteger))
    add("deviation", sa.Column("severity", sa.SmallInteger, nullable=False, server_default="0"))
    add("deviation", sa.Column("personal_data_breach", sa.Boolean, nullable=False, server_default=sa.false()))
    add("deviation", sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.false()))
    add("deviation", sa.Column("receipt_hash", sa.Text))
    add("deviation", sa.Column("handling_unit_id", sa.Uuid))
    add("deviation", sa.Column("assignee_id", sa.Uuid))
    add("deviation", sa.Column("acknowledge_due_at", TZ))
    add("deviation", sa.Column("acknowledged_at", TZ))
    add("deviation", sa.Column("conclusion", sa.Text))
    add("deviation", sa.Column("rejection_reason", sa.Text))
    add("deviation", sa.Column("closed_at", TZ))
    add("deviation", sa.Column("updated_at", TZ))
    op.execute("UPDATE deviation SET handling_unit_id = unit_id, updated_at = reported_at")
    op.alter_column("deviation", "handling_unit_id", nullable=False)
    op.alter_column("deviation", "updated_at", nullable=False)
    op.alter_column("deviation", "reported_by", nullable=True)
    op.create_check_constraint(
        "ck_deviation_consequences",
        "deviation",
        "coalesce(actual_consequence, 1) BETWEEN 1 AND 5 AND coalesce(potential_consequence, 1) BETWEEN 1 AND 5",
    )
    op.create_check_constraint("ck_deviation_anonymous", "deviation", "NOT anonymous OR reported_by IS NULL")
    op.execute(
        f"ALTER TABLE deviation ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('norwegian', {SEARCH_TEXT})) STORED"
    )
    op.drop_index("ix_deviation_tenant_unit", "deviation")
    op.execute("CREATE INDEX ix_deviation_recent ON deviation (tenant_id, reported_at DESC, id DESC)")
    op.execute("CREATE INDEX ix_deviation_unit ON deviation (tenant_id, unit_id, reported_at DESC, id DESC)")
    op.execute(
        "CREATE INDEX ix_deviation_handling_unit ON deviation (tenant_id, handling_unit_id, reported_at DESC, id DESC)"
    )
    op.execute("CREATE INDEX ix_deviation_assignee ON deviation (tenant_id, assignee_id, reported_at DESC, id DESC)")
    op.execute("CREATE INDEX ix_deviation_search ON deviation USING gin (search)")
    op.execute(
        "CREATE INDEX ix_deviation_acknowledge_due ON deviation (acknowledge_due_at) WHERE status = 'registered'"
    )
    op.execute("CREATE UNIQUE INDEX ux_deviation_receipt ON deviation (receipt_hash) WHERE receipt_hash IS NOT NULL")


def upgrade() -> None:
    _deviation_columns()
    op.create_table(
        "deviation_restricted",
        sa.Column("deviation_id", sa.Uuid, sa.ForeignKey("deviation.id"), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("persons_involved", sa.Text),
    )
    op.create_table(
        "measure",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("deviation_id", sa.Uuid, sa.ForeignKey("deviation.id"), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner_id", sa.Uuid, nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("effectiveness_check", sa.Text),
        sa.Column("effectiveness_result", sa.Text),
        sa.Column("done_at", TZ),
        sa.Column("done_by", sa.Uuid),
        sa.Column("overdue_notified_for", sa.Date),
        sa.Column("created_by", sa.Uuid, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_measure_deviation", "measure", ["tenant_id", "deviation_id"])
    op.create_index("ix_measure_owner", "measure", ["tenant_id", "owner_id"])
    op.execute("CREATE INDEX ix_measure_open_deadline ON measure (tenant_id, deadline) WHERE done_at IS NULL")
    op.create_table(
        "deviation_history",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("deviation_id", sa.Uuid, sa.ForeignKey("deviation.id"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.Uuid),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.create_index("ix_deviation_history_case", "deviation_history", ["tenant_id", "deviation_id", "id"])
    op.create_table(
        "restricted_access",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("deviation_id", sa.Uuid, sa.ForeignKey("deviation.id"), nullable=False),
        sa.Column("reader_id", sa.Uuid, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
    )
    op.create_index("ix_restricted_access_case", "restricted_access", ["tenant_id", "deviation_id", "id"])
    op.create_index("ix_restricted_access_reader", "restricted_access", ["tenant_id", "reader_id", "id"])
    op.create_table(
        "attachment",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("deviation_id", sa.Uuid, sa.ForeignKey("deviation.id"), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("storage_key", sa.Text, nullable=False),
        sa.Column("uploaded_by", sa.Uuid),
        sa.Column("uploaded_at", TZ, nullable=False),
    )
    op.create_index("ix_attachment_case", "attachment", ["tenant_id", "deviation_id"])
    op.create_table(
        "attachment_content",
        sa.Column("storage_key", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "deviation_area",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "deviation_category",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.UniqueConstraint("tenant_id", "area", "name", name="uq_category_name"),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("scope", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("request_hash", sa.Text, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("response", JSONB, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    for table in (
        "deviation_restricted",
        "measure",
        "deviation_history",
        "restricted_access",
        "attachment",
        "attachment_content",
        "deviation_area",
        "deviation_category",
        "idempotency_record",
    ):
        enable_tenant_rls(table)
    make_append_only("deviation_history", "restricted_access")
    open_tenant_list_to_scheduler()
    finish()
