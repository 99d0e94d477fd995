"""The directory replica gains kommune settings and role assignments (for authorisation).

Revision ID: 0002
Revises: 0001
"""

from varde_common.directory_replica import add_replica_roles_and_settings
from varde_common.migrations import finish

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_replica_roles_and_settings()
    finish()
