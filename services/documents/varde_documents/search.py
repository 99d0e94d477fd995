"""Full-text search in Norwegian over the titles and content of the versions in force, with the reader's own
reading-list status in each hit."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.text_search import HighlightPart, headline_sql, highlight_parts, unmarked
from varde_documents.domain import DocumentKind


class SearchHit(BaseModel):
    document_id: uuid.UUID
    version_id: uuid.UUID
    version_number: int
    title: str
    kind: DocumentKind
    owner_unit_id: uuid.UUID
    snippet: str = PydanticField(description="Utdrag med treffordene; ren tekst")
    title_highlight: list[HighlightPart] = PydanticField(description="Tittelen i deler med treffordene markert")
    highlight: list[HighlightPart] = PydanticField(description="Utdraget i deler med treffordene markert")
    reading: str | None = PydanticField(description="to_read, confirmed, eller null når du ikke er bedt om å lese den")
    due_on: date | None
    confirmed_at: datetime | None


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
         LIMIT :limit
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


class SearchService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def search(self, identity: Identity, text: str, limit: int) -> list[SearchHit]:
        """Everyone in the kommune may read what is in force, so every hit is theirs to see."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await session.execute(_SEARCH, {"q": text, "limit": limit, "person_id": identity.person_id})
            return [
                SearchHit(
                    document_id=row.document_id,
                    version_id=row.version_id,
                    version_number=row.number,
                    title=row.title,
                    kind=DocumentKind(row.kind),
                    owner_unit_id=row.owner_unit_id,
                    snippet=unmarked(row.highlight),
                    title_highlight=highlight_parts(row.title_highlight),
                    highlight=highlight_parts(row.highlight),
                    reading=None if not row.asked else ("confirmed" if row.confirmed_at else "to_read"),
                    due_on=row.due_on if row.asked else None,
                    confirmed_at=row.confirmed_at,
                )
                for row in rows
            ]
