"""Folders (mapper) of the kommune's document archive: a short tree, read whole and paged in memory."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.db import tenant_transaction
from varde_common.identity import Identity
from varde_common.pages import PageRequest, page_in_memory
from varde_documents import repository
from varde_documents.access import draft_reach
from varde_documents.errors import FolderCreateForbidden, UnknownParentFolder
from varde_documents.models import Folder, FolderCreate, FolderPage, FolderPublic


class FolderService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def create(self, identity: Identity, body: FolderCreate) -> FolderPublic:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            if not (await draft_reach(session, identity.person_id)).by_role:
                raise FolderCreateForbidden()
            if body.parent_id is not None and not await repository.folder_exists(session, body.parent_id):
                raise UnknownParentFolder()
            folder = Folder(tenant_id=identity.tenant_id, name=body.name, parent_id=body.parent_id)
            session.add(folder)
            await session.flush()
            return FolderPublic(id=folder.id, name=folder.name, parent_id=folder.parent_id)

    async def folders(self, identity: Identity, page: PageRequest) -> FolderPage:
        async with tenant_transaction(self.sessions, identity.tenant_id) as session:
            every = [
                FolderPublic(id=f.id, name=f.name, parent_id=f.parent_id) for f in await repository.folders(session)
            ]
        items, cursor = page_in_memory(every, page)
        return FolderPage(items=items, next_cursor=cursor)
