"""Browser sessions: the server side of the gateway's session cookie (sign-ins, and what logout ends).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import finish
from varde_common.tenancy import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_session",
        sa.Column("id", sa.Text, primary_key=True),  # SHA-256 of the cookie's secret, never the secret
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("person_id", sa.Uuid, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("provider_id", sa.Uuid, sa.ForeignKey("identity_provider.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_browser_session_person", "browser_session", ["tenant_id", "person_id", "created_at"])
    enable_tenant_rls("browser_session")
    finish()
