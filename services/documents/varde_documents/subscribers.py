"""Event adapters of documents: the local copy of the directory; a person whose roles change gets the versions in
force of the documents whose audience now includes them on their reading list."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import register_directory_replica
from varde_common.kafka import EventRouter
from varde_documents.reading import request_for_new_member


def register(router: EventRouter, sessions: async_sessionmaker[AsyncSession]) -> None:
    register_directory_replica(router, sessions, on_role=request_for_new_member)
