"""Command runs: the mark that a once-per-kommune command (the demo history) has had its effect for a kommune,
written in the same transaction as that effect.

Revision ID: 0010
Revises: 0009
"""

from varde_common.command_runs import create_command_run_table
from varde_common.migrations import finish

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_command_run_table()
    finish()
