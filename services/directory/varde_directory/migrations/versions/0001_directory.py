"""Kommuner, the organisation tree, people and role assignments; outbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import base_schema, finish
from varde_common.outbox import create_outbox_table
from varde_common.tenancy import enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    base_schema()
    op.create_table(
        "tenant",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("slug", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("organisation_number", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ux_person_email", "person", ["tenant_id", sa.text("lower(email)")], unique=True)
    op.create_table(
        "org_unit",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False, index=True),
        sa.Column("parent_id", sa.Uuid, sa.ForeignKey("org_unit.id")),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit_type", sa.Text, nullable=False),
        sa.Column("leader_person_id", sa.Uuid, sa.ForeignKey("person.id")),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "role_assignment",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False, index=True),
        sa.Column("person_id", sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True),
        sa.Column("unit_id", sa.Uuid, sa.ForeignKey("org_unit.id"), nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date),
        sa.Column("ends_on", sa.Date),
    )
    for table in ("person", "org_unit", "role_assignment"):
        enable_tenant_rls(table)
    create_outbox_table()
    finish()
