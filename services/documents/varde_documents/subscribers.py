"""Event adapters of documents: the local copy of the directory; a person whose roles change gets the versions in
force of the documents whose audience now includes them on their reading list; an approved version asks its
audience to read it."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from varde_common.directory_replica import register_directory_replica
from varde_common.events import DocumentApproved
from varde_common.kafka import EventRouter
from varde_documents.reading import on_document_approved, request_for_new_member


def register(router: EventRouter, sessions: async_sessionmaker[AsyncSession]) -> None:
    register_directory_replica(router, sessions, on_role=request_for_new_member)
    router.on(DocumentApproved.type, DocumentApproved.topic)(on_document_approved(sessions))
