"""The directory replica gains the names of the kommune's people, shown beside their ids.

Revision ID: 0005
Revises: 0004
"""

from varde_common.directory_replica import add_replica_people
from varde_common.migrations import finish

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_replica_people()
    finish()
