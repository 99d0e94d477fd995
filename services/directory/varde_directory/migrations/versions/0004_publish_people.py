"""Every person registered so far is published once as PersonChanged, so the other services' copies learn the
names they show beside ids (later changes publish themselves).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from varde_common.events.directory import PersonChanged
from varde_common.migrations import finish
from varde_common.outbox import RELAY_SETTING, events_per_row_cte, events_per_row_params

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The schema owner reads every kommune's people once: row-level security is lifted inside this migration's
    # transaction only (DDL is transactional), and the outbox is opened by the relay's own named mode.
    op.execute("ALTER TABLE person NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE person DISABLE ROW LEVEL SECURITY")
    op.execute(f"SELECT set_config('{RELAY_SETTING}', 'on', true)")
    told = events_per_row_cte(
        "told",
        "person p",
        data="jsonb_build_object('person_id', p.id, 'name', p.name, 'active', p.active)",
        key="p.id::text",
        tenant="p.tenant_id",
    )
    op.get_bind().execute(
        sa.text(f"WITH {told} SELECT count(*) FROM told"),  # noqa: S608 - constant SQL, values bound
        events_per_row_params(PersonChanged, source="/varde/directory"),
    )
    op.execute("ALTER TABLE person ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE person FORCE ROW LEVEL SECURITY")
    finish()
