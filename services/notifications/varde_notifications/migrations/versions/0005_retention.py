"""Retention: indexes by age, so the retention job deletes old sent outbox rows and old inbox rows in
batches without reading the rest, and the job's mode (varde.retention) opened on both tables.

Revision ID: 0005
Revises: 0004
"""

from varde_common.migrations import finish
from varde_common.retention import bound_outbox_and_inbox

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bound_outbox_and_inbox(inbox=True)
    finish()
