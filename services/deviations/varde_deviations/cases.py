"""Reading one case: the case as this person may see it (a read of its restricted part is logged) and its
history, page by page."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.directory_replica import names_of
from varde_common.identity import Identity
from varde_common.language import DEFAULT_LANGUAGE, Language
from varde_common.pages import PageRequest, keyset, page_of
from varde_deviations import repository
from varde_deviations.access import CaseAccess, readable
from varde_deviations.domain import RESTRICTED_ACTIONS
from varde_deviations.models import AttachmentPublic, Deviation, DeviationPublic, HistoryPage, Restricted, now
from varde_deviations.records import log_restricted_read
from varde_deviations.views import (
    case_public,
    history_entry,
    people_of_case,
    people_of_history,
    units_of_case,
    units_of_history,
)


async def case_view(
    session: AsyncSession,
    deviation: Deviation,
    access: CaseAccess,
    at: datetime,
    language: Language,
    *,
    reader: uuid.UUID | None = None,
) -> DeviationPublic:
    """The case as ``access`` lets one person see it. With ``reader``, showing the restricted part is a read
    that goes to the access log; the answer to a change the person just made is not."""
    measures = await repository.measures(session, deviation.id)
    restricted: Restricted | None = None
    if access.restricted:
        stored = await repository.restricted(session, deviation.id)
        files = await repository.attachments(session, deviation.id)
        restricted = Restricted(
            persons_involved=stored.persons_involved if stored else None,
            attachments=[AttachmentPublic.model_validate(f, from_attributes=True) for f in files],
        )
        if reader is not None:
            log_restricted_read(session, deviation, reader, at, "read")
    names = await names_of(session, people=people_of_case(deviation, measures), units=units_of_case(deviation))
    return case_public(deviation, access, at, measures, restricted, names, language)


class CaseService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def get(
        self, identity: Identity, deviation_id: uuid.UUID, language: Language = DEFAULT_LANGUAGE
    ) -> DeviationPublic:
        """The case as this person may see it; a read of the restricted part is written to the access log."""
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            deviation, access = await readable(session, identity.person_id, deviation_id)
            return await case_view(session, deviation, access, now(), language, reader=identity.person_id)

    async def timeline(
        self,
        identity: Identity,
        deviation_id: uuid.UUID,
        page: PageRequest | None = None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> HistoryPage:
        """Every step of the case, oldest first, with who took it and a label for it in the caller's form. Who does
        not see the restricted part is not shown the steps about it (an attachment added): not even that they were
        taken, as the attachment itself is not found for them."""
        page = page or PageRequest()
        key = keyset(page, int)
        after = key[0] if key else None
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            _, access = await readable(session, identity.person_id, deviation_id)
            hidden = () if access.restricted else RESTRICTED_ACTIONS
            rows = await repository.history(session, deviation_id, after=after, limit=page.limit + 1, leave_out=hidden)
            shown, next_cursor = page_of(rows, page.limit, lambda row: (row.id,))
            names = await names_of(session, people=people_of_history(shown), units=units_of_history(shown))
            return HistoryPage(items=[history_entry(row, names, language) for row in shown], next_cursor=next_cursor)
