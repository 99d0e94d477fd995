"""Each person's own målform (nb or nn; NULL follows the kommune's). The kommune's own målform and colour are
settings (JSONB), so they need no column: a kommune without them has the defaults.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from varde_common.migrations import finish

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("malform", sa.Text(), nullable=True))
    op.create_check_constraint("person_malform_known", "person", "malform IN ('nb', 'nn')")
    finish()
