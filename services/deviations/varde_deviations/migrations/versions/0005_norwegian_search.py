"""Norwegian search that finds what people write: the search column is read through varde_norwegian (bokmål and
nynorsk dictionaries with compound splitting, varde_common.text_search) instead of the snowball stemmer alone.

The generated column is made anew (the text it reads is unchanged), and its index with it; a server without the
dictionaries fails here with the reason.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from varde_common.migrations import finish
from varde_common.text_search import install_norwegian_search

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEARCH_TEXT = (
    "coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(location, '') || ' ' "
    "|| coalesce(immediate_action, '') || ' ' || coalesce(conclusion, '')"
)


def upgrade() -> None:
    install_norwegian_search(op.get_bind())
    op.execute("ALTER TABLE deviation DROP COLUMN search")
    op.execute(
        "ALTER TABLE deviation ADD COLUMN search tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('varde_norwegian', {SEARCH_TEXT})) STORED"
    )
    op.execute("CREATE INDEX ix_deviation_search ON deviation USING gin (search)")
    finish()
