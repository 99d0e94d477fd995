"""The acceptance matrix for risks belongs to risk (``GET /api/v1/risk/matrix``): the copy in each kommune's
settings goes. The other settings stay as they are.

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
    # The registry of kommuner is the one table without row-level security: one statement reaches them all.
    op.execute("UPDATE tenant SET settings = settings - 'risk_acceptance' WHERE settings ? 'risk_acceptance'")
    finish()
