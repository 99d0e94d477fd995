"""Each assessment gets its number in the kommune (ROS 1, 2, …), given once and never reused: a unit's risk
picture names its risks by it (X14.3 is risk 3 of ROS 14), so the labels of the SVG and the JSON agree and stay.

The assessments there are numbered in the order they were made. Row-level security hides every row from the
schema owner, so the numbering lifts FORCE for its own statement and puts it back in the same transaction.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import finish

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("risk_assessment", sa.Column("number", sa.Integer))
    op.execute("ALTER TABLE risk_assessment NO FORCE ROW LEVEL SECURITY")
    op.execute(
        """
        UPDATE risk_assessment a SET number = n.number
          FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at, id) AS number
                  FROM risk_assessment) n
         WHERE a.id = n.id
        """
    )
    op.execute("ALTER TABLE risk_assessment FORCE ROW LEVEL SECURITY")
    op.alter_column("risk_assessment", "number", nullable=False)
    op.create_unique_constraint("uq_risk_assessment_number", "risk_assessment", ["tenant_id", "number"])
    finish()
