"""Command runs: the mark that a once-per-kommune command (the demo history) has had its effect for a kommune,
written in the same transaction as that effect.

Revision ID: 0008
Revises: 0007
"""

from varde_common.command_runs import create_command_run_table
from varde_common.migrations import finish

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_command_run_table()
    finish()
