"""Full-text search in Norwegian over the titles and content of the versions in force, with the reader's own
reading-list status in each hit. Hits are ranked, so a page is an offset in the ranking (``search_queries``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.cursor import encode_cursor
from varde_common.db import tenant_transaction
from varde_common.directory_replica import unit_names
from varde_common.errors import InvalidCursor
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.pages import PageRequest, keyset
from varde_common.text_search import highlight_parts, unmarked
from varde_documents import search_queries, views
from varde_documents.domain import DocumentKind
from varde_documents.models import SearchHit, SearchPage


class SearchService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def search(
        self, identity: Identity, text: str, page: PageRequest, *, language: Language = DEFAULT_LANGUAGE
    ) -> SearchPage:
        """Everyone in the kommune may read what is in force, so every hit is theirs to see."""
        after = keyset(page, int)
        offset = after[0] if after else 0
        if offset < 0:
            raise InvalidCursor()
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            rows = await search_queries.search(session, text, identity.person_id, offset=offset, limit=page.limit + 1)
            shown = rows[: page.limit]
            units = await unit_names(session, [row.owner_unit_id for row in shown])
        hits = []
        for row in shown:
            reading = views.reading_status(row.asked, row.confirmed_at is not None)
            hits.append(
                SearchHit(
                    document_id=row.document_id,
                    version_id=row.version_id,
                    version_number=row.number,
                    title=row.title,
                    kind=DocumentKind(row.kind),
                    kind_label=views.kind_label(row.kind, language),
                    owner_unit_id=row.owner_unit_id,
                    owner_unit_name=units.get(row.owner_unit_id),
                    snippet=unmarked(row.highlight),
                    title_highlight=highlight_parts(row.title_highlight),
                    highlight=highlight_parts(row.highlight),
                    reading=reading,
                    reading_label=views.reading_label(reading, language),
                    due_on=row.due_on if row.asked else None,
                    confirmed_at=row.confirmed_at,
                )
            )
        more = len(rows) > page.limit
        return SearchPage(items=hits, next_cursor=encode_cursor(str(offset + page.limit)) if more else None)
