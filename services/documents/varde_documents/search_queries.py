"""The query of full-text search in Norwegian over the versions in force (``varde_norwegian``: see
varde_common.text_search and the migrations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.text_search import headline_sql

# Ranking reads every match, the excerpt only the page's: the excerpt is made in the outer query. Title words
# weigh more (the search vector gives the title weight A). The matched words come marked (text_search.headline).
_SEARCH = sa.text(
    f"""
    WITH query AS (SELECT varde_search_query(:q) AS q),
    hits AS (
        SELECT v.id, v.document_id, v.number, v.title, v.content, ts_rank(v.search, query.q) AS rank
          FROM document_version v, query
         WHERE v.status = 'published' AND v.search @@ query.q
         ORDER BY rank DESC, v.id
         LIMIT :limit OFFSET :offset
    )
    SELECT hits.id AS version_id, hits.document_id, hits.number, hits.title, d.kind, d.owner_unit_id,
           {headline_sql("hits.title", "query.q", whole=True)} AS title_highlight,
           {headline_sql("hits.content", "query.q", fragments=1)} AS highlight,
           r.confirmed_at, r.due_on, r.superseded_at, r.person_id IS NOT NULL AS asked
      FROM hits
      JOIN document d ON d.id = hits.document_id
      CROSS JOIN query
      LEFT JOIN reading_request r ON r.version_id = hits.id AND r.person_id = :person_id
     ORDER BY hits.rank DESC, hits.id
    """  # noqa: S608 (the f-string adds only headline_sql of constant expressions)
)


async def search(session: AsyncSession, text: str, person_id: uuid.UUID, *, offset: int, limit: int) -> Sequence[Any]:
    """The hits ranked ``offset`` to ``offset + limit``, with the person's own reading request of each."""
    parameters = {"q": text, "limit": limit, "offset": offset, "person_id": person_id}
    return (await session.execute(_SEARCH, parameters)).all()
