"""Kommune settings, identity providers, unit history, HR keys, person identities.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from varde_common.migrations import finish
from varde_common.tenancy import enable_tenant_rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tenant", sa.Column("settings", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")))
    op.create_table(
        "identity_provider",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("audience", sa.Text, nullable=False),
        sa.Column("jwks_url", sa.Text, nullable=False),
        sa.Column("algorithms", ARRAY(sa.Text), nullable=False),
        sa.Column("subject_claim", sa.Text, nullable=False, server_default="sub"),
        sa.Column("client_id", sa.Text),
        sa.Column("authorization_endpoint", sa.Text),
        sa.Column("token_endpoint", sa.Text),
        sa.Column("end_session_endpoint", sa.Text),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index(
        "ux_identity_provider_issuer", "identity_provider", ["tenant_id", "issuer", "audience"], unique=True
    )

    op.add_column("person", sa.Column("employee_number", sa.Text))
    op.add_column("person", sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
    op.create_index("ux_person_employee_number", "person", ["tenant_id", "employee_number"], unique=True)
    op.create_table(
        "person_identity",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("person_id", sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True),
        sa.Column("provider_id", sa.Uuid, sa.ForeignKey("identity_provider.id"), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
    )
    op.create_index("ux_person_identity_subject", "person_identity", ["provider_id", "subject"], unique=True)

    op.add_column("org_unit", sa.Column("external_key", sa.Text))
    op.create_index("ux_org_unit_external_key", "org_unit", ["tenant_id", "external_key"], unique=True)
    op.create_index("ix_org_unit_parent", "org_unit", ["tenant_id", "parent_id"])
    op.create_table(
        "org_unit_history",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("unit_id", sa.Uuid, sa.ForeignKey("org_unit.id"), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True)),
        sa.Column("parent_id", sa.Uuid),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit_type", sa.Text, nullable=False),
        sa.Column("leader_person_id", sa.Uuid),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("changed_by", sa.Uuid),
    )
    op.create_index("ix_org_unit_history_unit", "org_unit_history", ["tenant_id", "unit_id", "valid_from"])
    # Units that existed before history was kept get their first period now. The owner reads every tenant's
    # units only while RLS is not forced, inside this migration's transaction.
    op.execute("ALTER TABLE org_unit NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO org_unit_history (id, tenant_id, unit_id, valid_from, parent_id, name, unit_type,"
        " leader_person_id, closed) SELECT gen_random_uuid(), tenant_id, id, now(), parent_id, name, unit_type,"
        " leader_person_id, closed_at IS NOT NULL FROM org_unit"
    )
    op.execute("ALTER TABLE org_unit FORCE ROW LEVEL SECURITY")
    op.create_index("ix_role_assignment_unit", "role_assignment", ["tenant_id", "unit_id"])
    for table in ("identity_provider", "person_identity", "org_unit_history"):
        enable_tenant_rls(table)
    finish()
