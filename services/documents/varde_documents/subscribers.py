"""Event adapters of documents: the local copy of the directory (a person whose roles change gets the versions in
force of the documents whose audience now includes them on their reading list), and an approved version asks its
audience to read it."""

from varde_common.directory_replica import register_directory_replica
from varde_common.events import DocumentApproved
from varde_common.kafka import EventRouter
from varde_documents.reading import ReadingService, request_for_new_member


def register(router: EventRouter, reading: ReadingService) -> None:
    register_directory_replica(router, reading.sessions, on_role=request_for_new_member)
    router.on(DocumentApproved)(reading.ask_audience)
