"""Norwegian search that finds what people write: titles and content are read through varde_norwegian (bokmål and
nynorsk dictionaries with compound splitting, varde_common.text_search) instead of the snowball stemmer alone.

The generated column is made anew (titles still weigh more), and the index of the versions in force with it; a
server without the dictionaries fails here with the reason.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

from varde_common.migrations import finish
from varde_common.text_search import install_norwegian_search

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    install_norwegian_search(op.get_bind())
    op.execute("ALTER TABLE document_version DROP COLUMN search")
    op.execute(
        "ALTER TABLE document_version ADD COLUMN search tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('varde_norwegian', title), 'A') || to_tsvector('varde_norwegian', content)) STORED"
    )
    op.execute(
        "CREATE INDEX ix_document_version_search ON document_version USING gin (search) WHERE status = 'published'"
    )
    finish()
