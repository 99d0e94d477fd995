"""The directory replica, outbox and inbox of documents.

Revision ID: 0001
Revises:
"""

from varde_common.directory_replica import create_replica_tables
from varde_common.inbox import create_inbox_table
from varde_common.migrations import base_schema, finish
from varde_common.outbox import create_outbox_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    base_schema()
    create_replica_tables()
    create_outbox_table()
    create_inbox_table()
    finish()
